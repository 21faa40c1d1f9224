/**
 * Statistics over SQL aggregates: pure functions of counts, with no database or HTTP.
 */
export { compareChoiceGroups, compareOrdinalGroups, effectLabel, effectThresholds, MIN_GROUP_SIZE } from './compare-groups.ts';
export type { ComparisonWarning, ComparisonWarningCode, EffectLabel, EffectSize, GroupComparison } from './compare-groups.ts';
export { chiSquareIndependence, fisherExact2x2 } from './contingency.ts';
export type { ChiSquareResult, ContingencyTable } from './contingency.ts';
export { expandFrequencies, normalizeFrequencies, pooledMidranks, toFrequencyTable, totalCount, valueAtPosition } from './frequency-table.ts';
export type { FrequencyTable, RankedValue, ValueCount } from './frequency-table.ts';
export { meanTInterval, median, medianInterval, quartiles } from './means.ts';
export type { MeanSummary, MedianInterval, Quartiles } from './means.ts';
export {
  bowker,
  MCNEMAR_EXACT_BELOW,
  mcnemar,
  PAIRED_EFFECT_TITLES,
  PAIRED_TEST_TITLES,
  pairedShift,
  SIGNED_RANK_EXACT_MAX,
  SIGNED_RANK_PERMUTATION_MAX,
  stuartMaxwell,
  wilcoxonSignedRank,
} from './paired-tests.ts';
export type {
  BowkerResult,
  McNemarResult,
  PairedCount,
  PairedShift,
  PairedYesNoCounts,
  SquareTable,
  StuartMaxwellResult,
  UntestableReason,
  WilcoxonSignedRankResult,
} from './paired-tests.ts';
export { holmAdjust } from './multiple-testing.ts';
export { wilsonInterval } from './proportions.ts';
export type { Proportion } from './proportions.ts';
export { kruskalWallis, mannWhitneyU } from './rank-tests.ts';
export type { KruskalWallisResult, MannWhitneyResult } from './rank-tests.ts';
export type * from './results.ts';
export { EFFECT_TITLES, TEST_TITLES } from './results.ts';
