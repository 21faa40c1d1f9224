/**
 * Paired tests for questions answered by the same respondents in two phases (2011 and 2012): what
 * changed, from the paired cross-table of codes that SQL counts (before code × after code), never
 * from one row per respondent. Scales: {@link wilcoxonSignedRank}; yes/no: {@link mcnemar}; a
 * single choice of k codes: {@link stuartMaxwell} (did the shares change?) and {@link bowker} (did
 * people move one way more than the other between any two codes?).
 */
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import binomialCdf from '@stdlib/stats-base-dists-binomial-cdf';

export { SIGNED_RANK_EXACT_MAX, SIGNED_RANK_PERMUTATION_MAX, wilcoxonSignedRank } from './signed-rank.ts';
export type { PairedCount, WilcoxonSignedRankResult } from './signed-rank.ts';
export { bowker, pairedShift, stuartMaxwell } from './square-table-tests.ts';
export type { BowkerResult, PairedShift, SquareTable, StuartMaxwellResult, UntestableReason } from './square-table-tests.ts';

/** The paired tests in words, for pages, CSV files and the API's `title` fields. */
export const PAIRED_TEST_TITLES = {
  wilcoxon_signed_rank: 'Wilcoxon signed-rank test',
  mcnemar: 'McNemar’s test',
  stuart_maxwell: 'Stuart-Maxwell test of marginal homogeneity',
  bowker: 'Bowker’s test of symmetry',
} as const;
/** Their effect sizes in words. */
export const PAIRED_EFFECT_TITLES = {
  rank_biserial: 'matched-pairs rank-biserial r',
  proportion_difference: 'difference in proportions',
  odds_ratio: 'odds ratio of the changes',
  net_shift: 'net shift (moved up minus moved down, of those who changed)',
} as const;

/**
 * Below this many discordant pairs (b + c) McNemar's p-value is exact (binomial); from it on, the
 * chi-square approximation with continuity correction. The chi-square distribution approximates
 * the discrete statistic poorly when b + c is small; 25 is the common rule of thumb for switching
 * to the exact binomial test. Above it the two p-values are close; the exact one is conservative
 * (Fagerland, Lydersen & Laake 2013, BMC Med Res Methodol 13:91).
 */
export const MCNEMAR_EXACT_BELOW = 25;

/** A yes/no question answered in both phases: how many pairs fall in each cell. */
export interface PairedYesNoCounts {
  /** Yes before, yes after. */
  yesYes: number;
  /** Yes before, no after (McNemar's b). */
  yesNo: number;
  /** No before, yes after (McNemar's c). */
  noYes: number;
  /** No before, no after. */
  noNo: number;
}

/** Result of {@link mcnemar}; statistics unrounded. */
export interface McNemarResult {
  /** Pairs counted (all four cells). */
  n: number;
  /** Yes → no (b) and no → yes (c): the discordant pairs, the only ones the test reads. */
  b: number;
  c: number;
  /** `'exact'` (binomial) when b + c < {@link MCNEMAR_EXACT_BELOW}, else `'chi-square'`. */
  method: 'exact' | 'chi-square';
  /** `max(0, |b − c| − 1)² / (b + c)` with the chi-square method; null when exact or b + c = 0. */
  statistic: number | null;
  /** 1 with the chi-square method, else null. */
  dof: 1 | null;
  /** Two-sided p-value; null when b + c = 0 (nobody changed: nothing to test). */
  p: number | null;
  /** Share answering yes before, `(yesYes + yesNo) / n`, and after, `(yesYes + noYes) / n`; null when n = 0. */
  proportionBefore: number | null;
  proportionAfter: number | null;
  /** `proportionAfter − proportionBefore` = `(c − b) / n`, in [−1, 1]; null when n = 0. */
  proportionDifference: number | null;
  /** Odds ratio of the discordant pairs `c / b` (> 1 when more moved to yes); null when b = 0. */
  oddsRatio: number | null;
}

/** A count as read here: non-finite or negative counts read as 0. */
function countOf(value: number): number {
  return Number.isFinite(value) && value > 0 ? value : 0;
}

/**
 * McNemar's test of a yes/no question answered twice by the same respondents, two-sided. Only the
 * discordant pairs enter: b = yes → no, c = no → yes.
 * - b + c < {@link MCNEMAR_EXACT_BELOW}: exact, `p = min(1, 2·P(X ≤ min(b, c)))` for X ~ Binomial(b + c, ½),
 *   as SciPy's `binomtest(min(b, c), b + c, 0.5).pvalue` (stdlib's binomial CDF).
 * - Otherwise: `χ² = max(0, |b − c| − 1)² / (b + c)` (continuity correction, never below 0, so
 *   b = c gives χ² = 0 and p = 1), df 1, `p = P(χ²₁ > χ²) = 2Φ(−√χ²)`: χ²₁ is the square of a
 *   standard normal, and the normal tail keeps small p-values accurate where `1 − CDF` would not.
 *
 * Edge cases: b + c = 0 (nobody changed) gives p null, not 1: the test has nothing to compare, as
 * with an all-zero Wilcoxon test (SciPy's binomtest refuses n = 0). n = 0 also gives the
 * proportions null; b = 0 gives the odds ratio null. Never throws.
 *
 * @example
 * mcnemar({ yesYes: 20, yesNo: 3, noYes: 11, noNo: 16 });
 * // b 3, c 11, method 'exact', p 0.0574, proportionDifference 0.16, oddsRatio 3.667
 */
export function mcnemar(counts: PairedYesNoCounts): McNemarResult {
  const [yesYes, b, c, noNo] = [counts.yesYes, counts.yesNo, counts.noYes, counts.noNo].map(countOf) as [number, number, number, number];
  const n = yesYes + b + c + noNo;
  const discordant = b + c;
  const method = discordant < MCNEMAR_EXACT_BELOW ? ('exact' as const) : ('chi-square' as const);
  const effects = {
    proportionBefore: n > 0 ? (yesYes + b) / n : null,
    proportionAfter: n > 0 ? (yesYes + c) / n : null,
    proportionDifference: n > 0 ? (c - b) / n : null,
    oddsRatio: b > 0 ? c / b : null,
  };
  if (discordant === 0) return { n, b, c, method, statistic: null, dof: null, p: null, ...effects };
  if (method === 'exact') {
    const p = Math.min(1, 2 * binomialCdf(Math.min(b, c), discordant, 0.5));
    return { n, b, c, method, statistic: null, dof: null, p, ...effects };
  }
  const statistic = Math.max(0, Math.abs(b - c) - 1) ** 2 / discordant;
  return { n, b, c, method, statistic, dof: 1, p: Math.min(1, 2 * normalCdf(-Math.sqrt(statistic), 0, 1)), ...effects };
}
