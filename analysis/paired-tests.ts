/**
 * Tests for paired answers: the same respondents asked twice (one phase of the assessment, then
 * the next). Pure functions of counts of pairs, with no database.
 */
import binomialCdf from '@stdlib/stats-base-dists-binomial-cdf';
import chisquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';

/** `count` respondents answered `before` in the earlier phase and `after` in the later one. */
export interface PairCount {
  before: number;
  after: number;
  count: number;
}

export interface WilcoxonResult {
  /** Pairs whose answer changed (zero differences are dropped, SciPy's `zero_method='wilcox'`). */
  n: number;
  /** W = min(R+, R−), as SciPy reports for a two-sided test; null when n = 0. */
  statistic: number | null;
  rankSumUp: number;
  rankSumDown: number;
  /** Two-sided p; null when n = 0. */
  p: number | null;
  /** `exact`: the distribution of the signed ranks (midranks for ties) enumerated; `normal`: approximation with tie correction, no continuity correction. */
  method: 'exact' | 'normal' | null;
  /** Matched-pairs rank-biserial r = (R+ − R−) / (R+ + R−): positive when answers rose; null when n = 0. */
  rankBiserial: number | null;
}

/** Largest n of changed pairs for which the exact distribution is enumerated. */
const EXACT_UP_TO = 50;

/**
 * Wilcoxon signed-rank test of after − before, two-sided. Zero differences are dropped; tied
 * absolute differences get their mean rank. Up to 50 changed pairs the p-value is exact (all 2ⁿ
 * sign assignments of the ranks as given, the permutation test SciPy runs for ties), beyond that
 * the normal approximation with the tie correction. Matches `scipy.stats.wilcoxon(after, before)`
 * (method 'exact' without ties, a `PermutationMethod` with them).
 *
 * @example
 * wilcoxonSignedRank([{ before: 2, after: 4, count: 3 }, { before: 3, after: 2, count: 1 }]);
 */
export function wilcoxonSignedRank(pairs: readonly PairCount[]): WilcoxonResult {
  const diffs = pairs.filter((p) => p.count > 0 && p.after !== p.before).map((p) => ({ d: p.after - p.before, count: p.count }));
  const byAbs = new Map<number, { up: number; down: number }>();
  for (const { d, count } of diffs) {
    const entry = byAbs.get(Math.abs(d)) ?? { up: 0, down: 0 };
    if (d > 0) entry.up += count;
    else entry.down += count;
    byAbs.set(Math.abs(d), entry);
  }
  let next = 1;
  let up = 0;
  let down = 0;
  let tieTerm = 0;
  // Each tie group: its size and its doubled midrank (an integer), for the exact enumeration.
  const groups: { size: number; doubledRank: number }[] = [];
  for (const abs of [...byAbs.keys()].sort((a, b) => a - b)) {
    const { up: u, down: w } = byAbs.get(abs)!;
    const size = u + w;
    const midrank = next + (size - 1) / 2;
    up += u * midrank;
    down += w * midrank;
    tieTerm += size ** 3 - size;
    groups.push({ size, doubledRank: 2 * next + size - 1 });
    next += size;
  }
  const n = next - 1;
  if (n === 0) return { n, statistic: null, rankSumUp: 0, rankSumDown: 0, p: null, method: null, rankBiserial: null };
  const statistic = Math.min(up, down);
  const rankBiserial = (up - down) / (up + down);
  if (n <= EXACT_UP_TO) return { n, statistic, rankSumUp: up, rankSumDown: down, p: exactP(groups, 2 * statistic), method: 'exact', rankBiserial };
  const mean = (n * (n + 1)) / 4;
  const sd = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24 - tieTerm / 48);
  const z = (statistic - mean) / sd;
  return { n, statistic, rankSumUp: up, rankSumDown: down, p: Math.min(1, 2 * normalCdf(z, 0, 1)), method: 'normal', rankBiserial };
}

/** P(T ≤ t) · 2 under the null, T the doubled positive rank sum, by counting sign assignments. */
function exactP(groups: readonly { size: number; doubledRank: number }[], doubledStatistic: number): number {
  let ways = new Map<number, number>([[0, 1]]);
  for (const { size, doubledRank } of groups) {
    for (let i = 0; i < size; i += 1) {
      const after = new Map(ways);
      for (const [sum, count] of ways) after.set(sum + doubledRank, (after.get(sum + doubledRank) ?? 0) + count);
      ways = after;
    }
  }
  let total = 0;
  let atMost = 0;
  for (const [sum, count] of ways) {
    total += count;
    // A small tolerance: doubled midranks are integers, so sums are too.
    if (sum <= doubledStatistic + 1e-9) atMost += count;
  }
  return Math.min(1, (2 * atMost) / total);
}

export interface McNemarResult {
  /** Pairs that changed from yes to no (b) and from no to yes (c). */
  b: number;
  c: number;
  /** Two-sided exact p: 2 · P(Binomial(b + c, ½) ≤ min(b, c)), at most 1; null when b + c = 0. */
  p: number | null;
  /** Cohen's g = max(b, c) / (b + c) − ½; null when b + c = 0. */
  cohensG: number | null;
}

/**
 * McNemar's exact test for a paired yes/no: only the pairs that changed answer count, and under
 * no change each direction is as likely. As `statsmodels.stats.contingency_tables.mcnemar(table,
 * exact=True)`.
 *
 * @example
 * mcnemar(1, 6); // { b: 1, c: 6, p: 0.125, cohensG: 0.357… }
 */
export function mcnemar(b: number, c: number): McNemarResult {
  const changed = b + c;
  if (changed === 0) return { b, c, p: null, cohensG: null };
  return { b, c, p: Math.min(1, 2 * binomialCdf(Math.min(b, c), changed, 0.5)), cohensG: Math.max(b, c) / changed - 0.5 };
}

export interface StuartMaxwellResult {
  statistic: number | null;
  dof: number | null;
  p: number | null;
}

/**
 * Stuart-Maxwell test of marginal homogeneity for a square table of paired answers (rows: earlier
 * answer, columns: later answer), χ² with k − 1 degrees of freedom over the categories anyone
 * chose. Null when fewer than two categories are used or the covariance is singular (nobody
 * changed answer).
 *
 * @example
 * stuartMaxwell([[5, 2, 0], [1, 4, 3], [0, 1, 6]]);
 */
export function stuartMaxwell(table: readonly (readonly number[])[]): StuartMaxwellResult {
  const none = { statistic: null, dof: null, p: null };
  const used = table.map((_, i) => i).filter((i) => table[i]!.some((v) => v > 0) || table.some((row) => (row[i] ?? 0) > 0));
  if (used.length < 2) return none;
  const cell = (i: number, j: number) => table[used[i]!]?.[used[j]!] ?? 0;
  const k = used.length - 1;
  const rowSum = (i: number) => used.reduce((s, _, j) => s + cell(i, j), 0);
  const colSum = (j: number) => used.reduce((s, _, i) => s + cell(i, j), 0);
  const d = Array.from({ length: k }, (_, i) => rowSum(i) - colSum(i));
  const s = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i === j ? rowSum(i) + colSum(i) - 2 * cell(i, i) : -(cell(i, j) + cell(j, i)))));
  const x = solve(s, d);
  if (!x) return none;
  const statistic = d.reduce((sum, v, i) => sum + v * x[i]!, 0);
  return { statistic, dof: k, p: 1 - chisquareCdf(statistic, k) };
}

/** Solves a·x = b by Gaussian elimination with partial pivoting; null when a is singular. */
function solve(a: number[][], b: number[]): number[] | null {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let col = 0; col < n; col += 1) {
    let pivot = col;
    for (let r = col + 1; r < n; r += 1) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    if (Math.abs(m[pivot]![col]!) < 1e-12) return null;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    for (let r = 0; r < n; r += 1) {
      if (r === col) continue;
      const factor = m[r]![col]! / m[col]![col]!;
      for (let c = col; c <= n; c += 1) m[r]![c]! -= factor * m[col]![c]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}
