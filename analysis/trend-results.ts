/**
 * The shape of trends between two phases of the assessment (e.g. the 2011 look back and the 2012
 * stocktake): what `assess trends --json` and `GET /api/trends` return and the Trends page draws.
 * Shares are fractions in [0, 1], changes are later − earlier, nothing is rounded.
 */
import { PAIRED_EFFECT_TITLES, PAIRED_TEST_TITLES } from './paired-tests.ts';
import { EFFECT_TITLES, TEST_TITLES, type AnalysisFilters, type OptionCount, type Segment } from './results.ts';

/** The paired tests and, for the overall comparison, the unpaired ones the comparisons use. */
export const TREND_TEST_TITLES = {
  wilcoxon_signed_rank: PAIRED_TEST_TITLES.wilcoxon_signed_rank,
  mcnemar: PAIRED_TEST_TITLES.mcnemar,
  stuart_maxwell: PAIRED_TEST_TITLES.stuart_maxwell,
  mann_whitney: TEST_TITLES.mann_whitney,
  chi_square: TEST_TITLES.chi_square,
  fisher_exact: TEST_TITLES.fisher_exact,
} as const;
/**
 * Effect sizes: of Wilcoxon, the matched-pairs rank-biserial r (positive: answers rose); of
 * McNemar, the difference in the share of yes (later − earlier); of Stuart-Maxwell, Cohen's
 * w = √(χ² / pairs); of the overall tests, as the comparisons report them.
 */
export const TREND_EFFECT_TITLES = {
  matched_pairs_rank_biserial: PAIRED_EFFECT_TITLES.rank_biserial,
  proportion_difference: PAIRED_EFFECT_TITLES.proportion_difference,
  cohens_w: 'Cohen’s w',
  rank_biserial: EFFECT_TITLES.rank_biserial,
  cramers_v: EFFECT_TITLES.cramers_v,
} as const;
export type TrendTestName = keyof typeof TREND_TEST_TITLES;
export type TrendEffectName = keyof typeof TREND_EFFECT_TITLES;

export interface TrendTest {
  name: TrendTestName;
  /** {@link TREND_TEST_TITLES} */
  title: string;
  /** W (Wilcoxon: min(W+, W−)), χ² (Stuart-Maxwell, chi-square, McNemar from 25 changes on) or U; null for exact McNemar and Fisher's test. */
  statistic: number | null;
  dof: number | null;
  p: number;
  /** Holm-adjusted across every test of the trends (all items, groups, paired and overall). */
  pAdjusted: number | null;
  /** `label`: Cohen's small / medium / large where a convention exists (none for a difference in proportions). */
  effect: { name: TrendEffectName; title: string; value: number | null; label: 'negligible' | 'small' | 'medium' | 'large' | null };
}

/** One phase's figures of an item. */
export interface PhaseFigures {
  /** Respondents with a substantive answer (the base of the shares). */
  n: number;
  /** Shares per code of the earlier question (a later code mapped to it), with 95 % Wilson intervals. */
  distribution: OptionCount[];
  /** Scales: mean of the point values with its 95 % t interval. */
  mean?: number | null;
  ci95?: [number, number] | null;
  /** Scales with a `top_box`: the share in it. */
  topBox?: number | null;
  /** Yes/no and each option of a multiple choice: the share of yes (chosen), with its interval. */
  share?: OptionCount;
}

/** One thing compared between phases: a question, a matrix row, or a multiple choice's option. */
export interface TrendItem {
  trendKey: string;
  /** The earlier and later question ids. */
  earlierQuestionId: string;
  laterQuestionId: string;
  /** The later question's text (the newer wording). */
  text: string;
  measure: 'scale' | 'yes_no' | 'choice' | 'option';
  /** The matrix row, or the option of a multiple choice (earlier codes, later labels). */
  row?: { code: string; label: string };
  earlier: PhaseFigures;
  later: PhaseFigures;
  change: {
    /** Per code: later share − earlier share (null where either base is 0). */
    shares: { code: string; label: string; change: number | null }[];
    mean?: number | null;
    topBox?: number | null;
    share?: number | null;
  };
  paired: {
    /** Pairs (the same respondent in both phases) with a substantive answer in both. */
    n: number;
    /** Scales: the mean of later − earlier over the pairs. */
    meanChange?: number | null;
    /** Pairs whose answer changed. */
    changed: number;
    test: TrendTest | null;
    /** Why no test ran, in words. */
    note?: string;
  };
  /** All respondents of the earlier phase against all of the later (those in both count in both). */
  overall: { test: TrendTest | null; note?: string };
  summary: string;
}

export interface TrendGroup {
  /** `all`, or the kind, region or role. */
  key: string;
  label: string;
  /** Covered pairs of responses in this group, whatever they answered. */
  pairs: number;
  items: TrendItem[];
}

export interface TrendPhase {
  surveyId: string;
  title: string;
  phase: number | null;
  /** Responses the figures rest on (after filters and exclusions). */
  responses: number;
}

export interface TrendsResult {
  from: TrendPhase;
  to: TrendPhase;
  filters: AnalysisFilters;
  by: Segment | null;
  generatedAt: string;
  groups: TrendGroup[];
  /** Tied questions not compared, and why. */
  notCompared: { trendKey: string; earlierQuestionId: string; laterQuestionId: string; text: string; reason: string }[];
}
