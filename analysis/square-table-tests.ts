/**
 * Tests of a square paired table (rows: the code answered before, columns: the code answered after,
 * in the same order): marginal homogeneity (Stuart-Maxwell) and symmetry (Bowker).
 */
import chisquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';

/**
 * Counts of a paired k × k table from SQL: `table[i][j]` pairs answered code i before and code j
 * after, codes in the same order for rows and columns. A missing cell (ragged or short table)
 * counts as 0, and so does a negative or non-finite one.
 */
export type SquareTable = readonly (readonly number[])[];

/**
 * Why a test gave no statistic: `'no pairs'` (the table is empty), `'no change'` (every pair on the
 * diagonal: nobody changed answer), `'singular covariance'` (Stuart-Maxwell only: the codes fall into
 * groups with no change between the groups, so the covariance of the marginal differences has no inverse).
 */
export type UntestableReason = 'no pairs' | 'no change' | 'singular covariance';

/**
 * How pairs moved: the effect size of the square-table tests. "Up" means to a later code in the
 * table's order (a higher scale point when codes are in ascending order); for unordered codes only
 * `shareChanged` has a meaning.
 */
export interface PairedShift {
  /** All pairs. */
  n: number;
  /** Pairs off the diagonal (the answer changed), above it (moved up) and below it (moved down). */
  changed: number;
  movedUp: number;
  movedDown: number;
  /** `changed / n`; null when n = 0. */
  shareChanged: number | null;
  /**
   * `(movedUp − movedDown) / changed` in [−1, 1]; null when nobody changed. For k = 2 its size is
   * twice Cohen's g for McNemar's test, `|b − c| / (2(b + c))`.
   */
  netShift: number | null;
}

/** Result of {@link stuartMaxwell}; statistics unrounded. */
export interface StuartMaxwellResult extends PairedShift {
  /** Codes kept (see {@link stuartMaxwell}) and the 0-based indices of those dropped. */
  categoriesTested: number;
  droppedCategories: number[];
  /** `d′ S⁻¹ d`; null when untestable. */
  statistic: number | null;
  /** `categoriesTested − 1`; null when untestable. */
  dof: number | null;
  /** Upper-tail chi-square p-value; null when untestable. */
  p: number | null;
  /** Why the test was not run; null when it was. */
  untestable: UntestableReason | null;
}

/** Result of {@link bowker}; statistics unrounded. */
export interface BowkerResult extends PairedShift {
  /** Pairs of codes (i < j) with `n_ij + n_ji > 0`: the terms of the sum and the degrees of freedom. */
  pairsTested: number;
  /** `Σ (n_ij − n_ji)² / (n_ij + n_ji)` over those pairs; null when untestable. */
  statistic: number | null;
  dof: number | null;
  /** Upper-tail chi-square p-value; null when untestable. */
  p: number | null;
  untestable: Exclude<UntestableReason, 'singular covariance'> | null;
}

/** The table as a dense k × k matrix of clean counts, k the longest side. */
function squareCounts(table: SquareTable): number[][] {
  const k = Math.max(table.length, ...table.map((row) => row.length));
  return Array.from({ length: k }, (_, i) =>
    Array.from({ length: k }, (_, j) => {
      const value = table[i]?.[j] ?? 0;
      return Number.isFinite(value) && value > 0 ? value : 0;
    }),
  );
}

/** Upper-tail chi-square probability, `1 − CDF` (exact to about 1e-16 absolute, as chiSquareIndependence). */
function chiSquareTail(statistic: number, dof: number): number {
  return Math.min(1, Math.max(0, 1 - chisquareCdf(statistic, dof)));
}

/**
 * Counts the pairs that stayed, moved up (above the diagonal) and moved down (below it).
 *
 * @example
 * pairedShift([[5, 3], [1, 6]]); // { n: 15, changed: 4, movedUp: 3, movedDown: 1, shareChanged: 0.2667, netShift: 0.5 }
 */
export function pairedShift(table: SquareTable): PairedShift {
  const counts = squareCounts(table);
  let n = 0;
  let movedUp = 0;
  let movedDown = 0;
  for (const [i, row] of counts.entries()) {
    for (const [j, count] of row.entries()) {
      n += count;
      if (j > i) movedUp += count;
      if (j < i) movedDown += count;
    }
  }
  const changed = movedUp + movedDown;
  return { n, changed, movedUp, movedDown, shareChanged: n > 0 ? changed / n : null, netShift: changed > 0 ? (movedUp - movedDown) / changed : null };
}

/**
 * Stuart-Maxwell test of marginal homogeneity (Stuart 1955, Maxwell 1970): did the shares of the
 * codes change between the two phases? With `d_i = n_i· − n_·i` (row minus column total) and
 * `S_ii = n_i· + n_·i − 2n_ii`, `S_ij = −(n_ij + n_ji)`, the statistic is `d′ S⁻¹ d` over all codes
 * but one (which one does not matter), chi-square with `categoriesTested − 1` df.
 *
 * Codes are dropped first when no pair moved into or out of them (their row and column are empty
 * off the diagonal: an unused code, or one everybody kept): they add a zero to d and a zero row and
 * column to S, so they change nothing but the degrees of freedom (the rank of S). If the codes left
 * still fall into groups with no change between them, S is singular: the result is null with the
 * reason `'singular covariance'`. S is otherwise positive definite and solved by Cholesky.
 *
 * For k = 2 this is McNemar's test without continuity correction, `(b − c)² / (b + c)`.
 *
 * Edge cases: an empty table gives `'no pairs'`; a table with every pair on the diagonal gives
 * `'no change'` (statistic, dof, p null). Never throws.
 *
 * @example
 * stuartMaxwell([[20, 5, 1], [2, 15, 6], [0, 3, 12]]); // statistic 3.2405, dof 2, p 0.1978
 */
export function stuartMaxwell(table: SquareTable): StuartMaxwellResult {
  const counts = squareCounts(table);
  const shift = pairedShift(counts);
  const k = counts.length;
  const moved = (i: number, j: number) => counts[i]![j]! + counts[j]![i]!;
  const kept = Array.from({ length: k }, (_, i) => i).filter((i) => counts.some((_, j) => j !== i && moved(i, j) > 0));
  const droppedCategories = Array.from({ length: k }, (_, i) => i).filter((i) => !kept.includes(i));
  const shape = { ...shift, categoriesTested: kept.length, droppedCategories };
  const untestable = (reason: UntestableReason) => ({ ...shape, statistic: null, dof: null, p: null, untestable: reason });
  if (shift.n === 0) return untestable('no pairs');
  if (shift.changed === 0) return untestable('no change');
  if (!connected(kept, moved)) return untestable('singular covariance');

  // All kept codes but the last: S is then the reduced Laplacian of a connected graph.
  const used = kept.slice(0, -1);
  const d = used.map((i) => counts.reduce((sum, _, j) => sum + counts[i]![j]! - counts[j]![i]!, 0));
  const s = used.map((i) => used.map((j) => (i === j ? kept.reduce((sum, m) => sum + (m === i ? 0 : moved(i, m)), 0) : -moved(i, j))));
  const statistic = quadraticFormInverse(s, d);
  const dof = kept.length - 1;
  return { ...shape, statistic, dof, p: chiSquareTail(statistic, dof), untestable: null };
}

/** Whether the codes are linked by pairs that moved between them (union of the graph's edges). */
function connected(codes: readonly number[], moved: (i: number, j: number) => number): boolean {
  if (codes.length === 0) return false;
  const reached = new Set([codes[0]!]);
  const queue = [codes[0]!];
  while (queue.length > 0) {
    const i = queue.pop()!;
    for (const j of codes) {
      if (!reached.has(j) && moved(i, j) > 0) {
        reached.add(j);
        queue.push(j);
      }
    }
  }
  return reached.size === codes.length;
}

/** `d′ S⁻¹ d` for a symmetric positive definite S, by Cholesky (S = L L′, then |L⁻¹ d|²). */
function quadraticFormInverse(s: readonly (readonly number[])[], d: readonly number[]): number {
  const m = d.length;
  const l = Array.from({ length: m }, () => new Array<number>(m).fill(0));
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = s[i]![j]!;
      for (let r = 0; r < j; r++) sum -= l[i]![r]! * l[j]![r]!;
      l[i]![j] = i === j ? Math.sqrt(sum) : sum / l[j]![j]!;
    }
  }
  let total = 0;
  const y = new Array<number>(m).fill(0);
  for (let i = 0; i < m; i++) {
    let sum = d[i]!;
    for (let r = 0; r < i; r++) sum -= l[i]![r]! * y[r]!;
    y[i] = sum / l[i]![i]!;
    total += y[i]! ** 2;
  }
  return total;
}

/**
 * Bowker's test of symmetry (Bowker 1948): did as many pairs move from code i to code j as from j
 * to i, for every two codes? `Σ_{i<j} (n_ij − n_ji)² / (n_ij + n_ji)`, skipping pairs of codes with
 * `n_ij + n_ji = 0`, chi-square with one df per pair kept. Stricter than marginal homogeneity
 * (symmetry implies equal shares, not the reverse). For k = 2 it is McNemar's test without
 * continuity correction.
 *
 * Edge cases: an empty table gives `'no pairs'`; every pair on the diagonal gives `'no change'`
 * (statistic, dof, p null). Never throws.
 *
 * @example
 * bowker([[20, 5, 1], [2, 15, 6], [0, 3, 12]]); // statistic 3.2857, dof 3, p 0.3496
 */
export function bowker(table: SquareTable): BowkerResult {
  const counts = squareCounts(table);
  const shift = pairedShift(counts);
  let statistic = 0;
  let pairsTested = 0;
  for (let i = 0; i < counts.length; i++) {
    for (let j = i + 1; j < counts.length; j++) {
      const [up, down] = [counts[i]![j]!, counts[j]![i]!];
      if (up + down === 0) continue;
      statistic += (up - down) ** 2 / (up + down);
      pairsTested += 1;
    }
  }
  if (shift.n === 0 || pairsTested === 0) {
    return { ...shift, pairsTested, statistic: null, dof: null, p: null, untestable: shift.n === 0 ? 'no pairs' : 'no change' };
  }
  return { ...shift, pairsTested, statistic, dof: pairsTested, p: chiSquareTail(statistic, pairsTested), untestable: null };
}
