/**
 * Rank tests for ordinal answers (scales, ratings) compared across groups, from frequency tables.
 */
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import kruskalTest from '@stdlib/stats-kruskal-test';
import { expandFrequencies, normalizeFrequencies, pooledMidranks, type FrequencyTable } from './frequency-table.ts';

/** Result of {@link mannWhitneyU}; statistics unrounded. */
export interface MannWhitneyResult {
  /** Respondents in the first and second group. */
  n1: number;
  n2: number;
  /** U of the first group: pairs where its value is higher, ties counting one half; null when a group is empty. */
  u: number | null;
  /** Two-sided p-value (normal approximation, tie and continuity correction); null when a group is empty or all values are equal. */
  p: number | null;
  /** `2U / (n1 · n2) − 1` in [−1, 1]: positive when the first group tends to answer higher; null when a group is empty. */
  rankBiserial: number | null;
}

/**
 * Mann-Whitney U test of two groups, two-sided, with the normal approximation corrected for ties
 * and for continuity: SciPy's `mannwhitneyu(a, b, method='asymptotic')` (its default for samples with
 * ties). The statistic and its variance are computed here from midranks of the frequency tables,
 * because stdlib has no two-sample rank-sum test (an open request, stdlib-js/stdlib#293; its
 * `wilcoxon` is the signed-rank test for one or paired samples); the p-value uses stdlib's normal CDF.
 *
 * - `U = R1 − n1(n1 + 1)/2`, R1 the sum of the first group's midranks in the pooled sample.
 * - `σ² = n1·n2/12 · ((n + 1) − Σ(t³ − t) / (n(n − 1)))`, t the size of each group of ties.
 * - `z = (|U − n1·n2/2| − 0.5) / σ`, `p = min(1, 2·Φ(−z))`.
 *
 * Edge cases: an empty group gives u, p and rankBiserial null; all values equal (σ = 0) gives
 * u = n1·n2/2, rankBiserial 0 and p null, as there is nothing to rank. Never throws.
 *
 * @example
 * mannWhitneyU(toFrequencyTable([3, 4, 4, 3, 4, 1]), toFrequencyTable([2, 5, 1, 4, 2, 2, 1]));
 * // { n1: 6, n2: 7, u: 27.5, p: 0.3786, rankBiserial: 0.3095 }
 */
export function mannWhitneyU(groupA: FrequencyTable, groupB: FrequencyTable): MannWhitneyResult {
  const a = normalizeFrequencies(groupA);
  const n1 = a.reduce((sum, { count }) => sum + count, 0);
  const n2 = normalizeFrequencies(groupB).reduce((sum, { count }) => sum + count, 0);
  if (n1 === 0 || n2 === 0) return { n1, n2, u: null, p: null, rankBiserial: null };

  const ranked = pooledMidranks([a, groupB]);
  const midrankOf = new Map(ranked.map(({ value, midrank }) => [value, midrank]));
  const rankSumA = a.reduce((sum, { value, count }) => sum + count * midrankOf.get(value)!, 0);
  const u = rankSumA - (n1 * (n1 + 1)) / 2;
  const rankBiserial = (2 * u) / (n1 * n2) - 1;

  const n = n1 + n2;
  const tieTerm = ranked.reduce((sum, { count: t }) => sum + t ** 3 - t, 0);
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (!(variance > 0)) return { n1, n2, u, p: null, rankBiserial };
  const z = (Math.abs(u - (n1 * n2) / 2) - 0.5) / Math.sqrt(variance);
  return { n1, n2, u, p: Math.min(1, 2 * normalCdf(-z, 0, 1)), rankBiserial };
}

/** Result of {@link kruskalWallis}; statistics unrounded. */
export interface KruskalWallisResult {
  /** Respondents in all groups. */
  n: number;
  /** Groups with at least one respondent (empty groups are left out). */
  groupsTested: number;
  /** H statistic with tie correction; null when untestable. */
  h: number | null;
  /** Degrees of freedom, groupsTested − 1; null when untestable. */
  dof: number | null;
  /** Upper-tail chi-square p-value; null when untestable. */
  p: number | null;
  /** Effect size `H / ((n² − 1)/(n + 1))` = `H / (n − 1)`, in [0, 1]; null when untestable. */
  epsilonSquared: number | null;
}

/**
 * Kruskal-Wallis H test of two or more groups, corrected for ties, with the chi-square
 * approximation: SciPy's `kruskal(*groups)`. The test is stdlib's `kruskal-test`, which applies the
 * same tie correction; it takes raw samples, so each table is expanded to one value per respondent
 * (memory grows with respondents, a few thousand here, not with database rows read).
 *
 * Edge cases: empty groups are left out; fewer than two non-empty groups, or all values equal (no
 * ranking possible: SciPy returns NaN), give h, dof, p and epsilonSquared null. Never throws.
 *
 * @example
 * kruskalWallis([toFrequencyTable([5, 1, 1, 4, 2]), toFrequencyTable([5, 3, 2, 3, 2, 4]), toFrequencyTable([2, 5, 4, 1, 4, 1, 2])]);
 * // { n: 18, groupsTested: 3, h: 0.6915, dof: 2, p: 0.7077, epsilonSquared: 0.0407 }
 */
export function kruskalWallis(groups: readonly FrequencyTable[]): KruskalWallisResult {
  const samples = groups.map(expandFrequencies).filter((sample) => sample.length > 0);
  const n = samples.reduce((sum, sample) => sum + sample.length, 0);
  const groupsTested = samples.length;
  const distinctValues = new Set(samples.flat()).size;
  if (groupsTested < 2 || distinctValues < 2) return { n, groupsTested, h: null, dof: null, p: null, epsilonSquared: null };

  const labels = samples.flatMap((sample, g) => sample.map(() => g));
  const result = kruskalTest(samples.flat(), { groups: labels });
  return {
    n,
    groupsTested,
    h: result.statistic,
    dof: result.df,
    p: Math.min(1, Math.max(0, result.pValue)),
    epsilonSquared: result.statistic / ((n * n - 1) / (n + 1)),
  };
}
