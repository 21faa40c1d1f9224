/**
 * Wilcoxon's signed-rank test for answers given twice by the same respondents (e.g. a scale
 * question tied across the 2011 and 2012 phases), from the paired cross-table of codes that SQL
 * counts, never from one row per respondent.
 */
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import { median } from './means.ts';

/** How many respondents gave `before` in the earlier phase and `after` in the later one. */
export interface PairedCount {
  /** The earlier answer as a number (e.g. a scale point). */
  before: number;
  /** The later answer as a number, on the same scale. */
  after: number;
  /** Number of respondents with this pair of answers; a non-negative integer from SQL (others are ignored). */
  count: number;
}

/**
 * At most this many pairs (zeros included) for the exact test, as SciPy's `method='auto'`: with
 * more, the normal approximation is used.
 */
export const SIGNED_RANK_EXACT_MAX = 50;
/**
 * At most this many pairs (zeros included) for the exact permutation test when differences tie or
 * are zero, as SciPy's `method='auto'` (2^13 sign patterns, fewer than its 9,999 resamples, so
 * SciPy enumerates them all); with more, the normal approximation with tie correction is used.
 */
export const SIGNED_RANK_PERMUTATION_MAX = 13;

/** Result of {@link wilcoxonSignedRank}; statistics unrounded. */
export interface WilcoxonSignedRankResult {
  /** Pairs counted (respondents who answered in both phases). */
  n: number;
  /** Pairs whose answer did not change (difference 0): left out of the ranking (Wilcoxon's treatment). */
  zeros: number;
  /** Pairs ranked: `n − zeros`. */
  nUsed: number;
  /** Pairs whose answer went up (after > before) and down: `increased + decreased = nUsed`. */
  increased: number;
  decreased: number;
  /** `min(wPlus, wMinus)`, the statistic SciPy reports for the two-sided test; 0 when nothing is ranked. */
  statistic: number;
  /** Sum of the midranks of |after − before| of the pairs whose answer went up; 0 when none did. */
  wPlus: number;
  /** Sum of the midranks of the pairs whose answer went down; 0 when none did. */
  wMinus: number;
  /**
   * `(wPlus − mean) / sd` with the tie-corrected variance, signed (positive when answers went up;
   * SciPy reports −|z|); null when the p-value is exact or nothing is ranked.
   */
  z: number | null;
  /** Two-sided p-value; null when nothing is ranked (n = 0 or every answer unchanged). */
  p: number | null;
  /** The method SciPy's `method='auto'` chooses for these pairs (see {@link wilcoxonSignedRank}). */
  method: 'exact' | 'normal';
  /**
   * For an exact p: `'signed-rank'` (the null distribution of ranks 1..nUsed, no ties or zeros) or
   * `'permutation'` (all sign patterns of the observed midranks, with ties or zeros); null for normal.
   */
  exactDistribution: 'signed-rank' | 'permutation' | null;
  /**
   * Matched-pairs rank-biserial correlation `(wPlus − wMinus) / (wPlus + wMinus)` in [−1, 1]:
   * positive when answers tend to go up (after minus before); null when nothing is ranked.
   */
  rankBiserial: number | null;
  /** Median of `after − before` over all n pairs, zeros included (as NumPy's median); null when n = 0. */
  medianDifference: number | null;
}

/** A group of tied non-zero |differences|: its doubled midrank (an integer) and how many went up or down. */
interface TiedDifferences {
  doubledMidrank: number;
  size: number;
  up: number;
}

/**
 * Wilcoxon signed-rank test of paired answers, two-sided, on the differences `after − before`:
 * SciPy 1.17.1's `wilcoxon(after, before)` with its defaults (`zero_method='wilcox'`,
 * `correction=False`, `method='auto'`). Zeros (unchanged answers) are dropped; the other |differences|
 * get midranks.
 *
 * How the p-value is found, as SciPy's `'auto'` does (n counts every pair, zeros included):
 * - n ≤ 50, no ties and no zeros: exact null distribution of W+ for ranks 1..n.
 * - n ≤ 13 with ties or zeros: exact permutation test, all 2^n sign patterns of the observed midranks
 *   (SciPy's `permutation_test`, which enumerates them all at this size).
 * - Otherwise: normal approximation without continuity correction, variance
 *   `(m(m + 1)(2m + 1) − Σ(t³ − t)/2) / 24` (m = nUsed, t the size of each group of tied |differences|),
 *   `p = 2Φ(−|z|)`.
 *
 * Both exact cases use one distribution: the number of sign patterns giving each sum of doubled
 * midranks, built group by group (a group of t tied pairs adds k·rank with C(t, k) patterns); the
 * two-sided p is `min(1, 2·min(P(W+ ≤ w), P(W+ ≥ w)))`. stdlib's `signrank` CDF covers only untied
 * ranks 1..n, so it would serve one case of two. Counts stay below 2^50, exact in doubles.
 *
 * Edge cases: pairs whose count is not a positive integer, or with a non-finite answer, are ignored; n = 0
 * or every answer unchanged gives p, z and rankBiserial null (SciPy: NaN, or p = 1 for all zeros at
 * n ≤ 13). Never throws.
 *
 * @example
 * wilcoxonSignedRank([{ before: 2, after: 4, count: 3 }, { before: 3, after: 3, count: 2 }, { before: 4, after: 3, count: 1 }]);
 * // n 6, zeros 2, nUsed 4, increased 3, decreased 1, wPlus 9, wMinus 1, statistic 1, method 'exact' (permutation), p 0.25, rankBiserial 0.8
 */
export function wilcoxonSignedRank(pairs: readonly PairedCount[]): WilcoxonSignedRankResult {
  const differences = new Map<number, number>();
  for (const { before, after, count } of pairs) {
    if (!Number.isFinite(before) || !Number.isFinite(after) || !Number.isInteger(count) || count <= 0) continue;
    const difference = after - before;
    differences.set(difference, (differences.get(difference) ?? 0) + count);
  }
  const n = [...differences.values()].reduce((sum, count) => sum + count, 0);
  const zeros = differences.get(0) ?? 0;
  const groups = tiedGroups(differences);
  const nUsed = n - zeros;
  const wPlus = groups.reduce((sum, g) => sum + (g.up * g.doubledMidrank) / 2, 0);
  const wMinus = groups.reduce((sum, g) => sum + ((g.size - g.up) * g.doubledMidrank) / 2, 0);
  const hasTies = groups.some((g) => g.size > 1);

  const exact = n <= SIGNED_RANK_EXACT_MAX && !hasTies && zeros === 0;
  const permutation = !exact && n <= SIGNED_RANK_PERMUTATION_MAX;
  const increased = groups.reduce((sum, g) => sum + g.up, 0);
  const shape = {
    n,
    zeros,
    nUsed,
    increased,
    decreased: nUsed - increased,
    statistic: Math.min(wPlus, wMinus),
    wPlus,
    wMinus,
    method: exact || permutation ? ('exact' as const) : ('normal' as const),
    exactDistribution: exact ? ('signed-rank' as const) : permutation ? ('permutation' as const) : null,
    medianDifference: median([...differences].map(([value, count]) => ({ value, count }))),
  };
  if (nUsed === 0) return { ...shape, z: null, p: null, rankBiserial: null };

  const rankBiserial = (wPlus - wMinus) / (wPlus + wMinus);
  if (exact || permutation) return { ...shape, z: null, p: exactSignedRankP(groups, nUsed, 2 * wPlus), rankBiserial };

  const tieTerm = groups.reduce((sum, { size: t }) => sum + t ** 3 - t, 0);
  const sd = Math.sqrt((nUsed * (nUsed + 1) * (2 * nUsed + 1) - tieTerm / 2) / 24);
  const z = (wPlus - (nUsed * (nUsed + 1)) / 4) / sd;
  return { ...shape, z, p: 2 * normalCdf(-Math.abs(z), 0, 1), rankBiserial };
}

/** Groups the non-zero differences by |difference|, ascending, with doubled midranks. */
function tiedGroups(differences: ReadonlyMap<number, number>): TiedDifferences[] {
  const byMagnitude = new Map<number, { size: number; up: number }>();
  for (const [difference, count] of differences) {
    if (difference === 0) continue;
    const group = byMagnitude.get(Math.abs(difference)) ?? { size: 0, up: 0 };
    group.size += count;
    if (difference > 0) group.up += count;
    byMagnitude.set(Math.abs(difference), group);
  }
  let ranked = 0;
  return [...byMagnitude]
    .sort(([a], [b]) => a - b)
    .map(([, { size, up }]) => {
      // Midrank ranked + (size + 1)/2, doubled so that every rank and sum is an integer.
      const doubledMidrank = 2 * ranked + size + 1;
      ranked += size;
      return { doubledMidrank, size, up };
    });
}

/**
 * Two-sided exact p of the observed doubled W+ under random signs: `min(1, 2·min(P(T ≤ t), P(T ≥ t)))`.
 * `patterns[s]` counts the sign patterns whose doubled W+ is s; their total is 2^nUsed.
 */
function exactSignedRankP(groups: readonly TiedDifferences[], nUsed: number, observed: number): number {
  let patterns = [1];
  for (const { doubledMidrank, size } of groups) {
    const next = new Array<number>(patterns.length + size * doubledMidrank).fill(0);
    let ways = 1; // C(size, k), built up as k grows
    for (let k = 0; k <= size; k++) {
      const shift = k * doubledMidrank;
      for (let s = 0; s < patterns.length; s++) next[s + shift]! += patterns[s]! * ways;
      ways = (ways * (size - k)) / (k + 1);
    }
    patterns = next;
  }
  const total = 2 ** nUsed;
  const atMost = patterns.slice(0, observed + 1).reduce((sum, count) => sum + count, 0);
  const atLeast = patterns.slice(observed).reduce((sum, count) => sum + count, 0);
  return Math.min(1, (2 * Math.min(atMost, atLeast)) / total);
}
