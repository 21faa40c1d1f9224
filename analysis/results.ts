/**
 * The shape of analysis results: what the SQL aggregates are turned into, what the JSON API and
 * `assess analyze --json` return, and what the dashboard draws. Neutral data, no chart library.
 *
 * Conventions:
 * - `n` is the number of respondents a figure rests on (shown the question and answered it);
 *   `missing` were shown it and gave no answer; `hidden` were not shown it (skip logic).
 * - Percentages are fractions in [0, 1] of their base, not rounded (the presentation rounds): one
 *   base per column, so a choice's options are shares of `substantive` (who gave a view) and a
 *   scale row's points of its `n`, while the answers counted apart are shares of all who answered
 *   (`n`, a row's `answered`); analysis/share-bases.ts says the bases in words.
 * - A count is `null` with `suppressed: true` when it was hidden from an observer because fewer
 *   than 5 respondents stand behind it ("fewer than 5"), or with `withheld: true` as well when it
 *   was hidden only so that such a count cannot be worked out from it ("withheld"). Hidden fields
 *   of a result or a scale row (n, missing, …) that are withheld are listed in its `withheld`.
 * - Non-substantive codes ("don't know", "no basis to judge") are counted apart and never enter
 *   means, medians or shares.
 */

export type Segment = 'kind' | 'region' | 'role';

/** Which responses a result covers. Every list is "any of"; an empty or missing list means all. */
export interface AnalysisFilters {
  kind?: string[];
  region?: string[];
  role?: string[];
  /** `submitted` (default): only submitted responses; `all`: also those in progress. */
  status?: 'submitted' | 'all';
}

export interface Count {
  count: number | null;
  /** Share of `n`, null when suppressed or n = 0. */
  share: number | null;
  /** 95% Wilson interval of the share. */
  ci95: [number, number] | null;
  suppressed?: boolean;
  /** Hidden to protect another hidden count, not itself from 1 to 4: it reads {@link WITHHELD}. */
  withheld?: boolean;
}

/**
 * How a count hidden because 1 to k − 1 respondents stand behind it reads (the small-count rule,
 * analysis/disclosure/small-counts.ts).
 *
 * @example
 * fewerThan(10); // 'fewer than 10'
 */
export function fewerThan(k: number): string {
  return `fewer than ${k}`;
}

/** How a count hidden because 1 to 4 respondents stand behind it reads (the default threshold). */
export const FEWER_THAN_5 = fewerThan(5);
/** How a count hidden only to protect another (it may be large) reads. */
export const WITHHELD = 'withheld';

/**
 * The words for a hidden count: {@link WITHHELD} when it protects another, else "fewer than k"
 * ({@link FEWER_THAN_5} at the default threshold).
 */
export function hiddenLabel(withheld: boolean | undefined, k = 5): string {
  return withheld ? WITHHELD : fewerThan(k);
}

export interface OptionCount extends Count {
  code: string;
  label: string;
}

interface Base {
  questionId: string;
  /** Question text in English (the dashboard's language). */
  text: string;
  sharedKey?: string;
  n: number | null;
  missing: number | null;
  hidden: number | null;
  /** Which of this result's own counts (n, missing, hidden, substantive), hidden, were withheld to protect another. */
  withheld?: ('n' | 'missing' | 'hidden' | 'substantive')[];
}

/** single_choice, yes_no, multi_choice (shares of respondents; may add to more than 1), country. */
export interface ChoiceResult extends Base {
  kind: 'choice';
  multiple: boolean;
  /** Respondents with a substantive answer (n minus those who only answered "don't know"): the base of the option shares. */
  substantive: number | null;
  /** Shares of `substantive`: a single choice's add to 1. */
  options: OptionCount[];
  /** Non-substantive answers ("don't know"), kept apart from the options above; shares of n. */
  nonSubstantive: OptionCount[];
}

export interface ScaleSummary {
  /** Respondents with a substantive answer (excludes "don't know"). */
  n: number | null;
  /** Respondents who answered the row, substantive or not: the base of the non-substantive shares. */
  answered: number | null;
  /** Which of `n` and `answered`, hidden, were withheld to protect another count (not themselves 1 to 4). */
  withheld?: ('n' | 'answered')[];
  /** Shares of `n`, adding to 1. */
  distribution: OptionCount[];
  /** Shares of `answered`. */
  nonSubstantive: OptionCount[];
  mean: number | null;
  median: number | null;
  ci95: [number, number] | null;
  /**
   * Share of substantive answers in the scale's top box (its declared `top_box` points, e.g. "agree"
   * or "strongly agree"); null when the scale declares none (a bipolar scale) or n = 0.
   */
  topBox: number | null;
}

/** scale (one row) and matrix (one summary per row). */
export interface ScaleResult extends Base {
  kind: 'scale';
  scale: string;
  /** English labels of the scale's top-box points, highest first; empty when it declares none. */
  topBoxLabels: string[];
  rows: ({ code: string; label: string } & ScaleSummary)[];
}

export interface NumericResult extends Base {
  kind: 'numeric';
  mean: number | null;
  /** Sample standard deviation (divisor n − 1), in the unit of the answers; null when n < 2. */
  sd: number | null;
  /** 95 % t interval of the mean; null when n < 2. */
  meanCi95: [number, number] | null;
  median: number | null;
  /**
   * Distribution-free interval of the median: order statistics x₍lowerRank₎ and x₍upperRank₎ with
   * exact binomial coverage ≥ 95 % (analysis/means.ts `medianInterval`); null when n ≤ 5.
   */
  medianCi: { lower: number; upper: number; lowerRank: number; upperRank: number; coverage: number } | null;
  quartiles: [number, number, number] | null;
  min: number | null;
  max: number | null;
  histogram: { from: number; to: number; count: number | null; suppressed?: boolean; withheld?: boolean }[];
}

export interface RankingResult extends Base {
  kind: 'ranking';
  options: { code: string; label: string; rankedBy: number | null; meanRank: number | null; firstShare: number | null; suppressed?: boolean }[];
}

export interface TextResult extends Base {
  kind: 'text';
  /** The answers themselves; empty for observers. */
  answers: { responseId: number; text: string; tags: string[] }[];
}

export type QuestionResult = ChoiceResult | ScaleResult | NumericResult | RankingResult | TextResult;

export interface SurveyAnalysis {
  surveyId: string;
  title: string;
  filters: AnalysisFilters;
  /** Responses the figures rest on (after filters and exclusions), and how many were excluded. */
  /** Null for an observer when 1 to 4 (a small group's total is a count like any other). */
  responses: number | null;
  excluded: number | null;
  generatedAt: string;
  questions: QuestionResult[];
}

/**
 * The tests and effect sizes in words, for every place a comparison is shown (page, JSON `title`,
 * CSV, command line): one map, next to the codes it names.
 */
export const TEST_TITLES = {
  chi_square: 'chi-square',
  fisher_exact: 'Fisher’s exact test',
  mann_whitney: 'Mann-Whitney U',
  kruskal_wallis: 'Kruskal-Wallis H',
} as const;
export const EFFECT_TITLES = { cramers_v: 'Cramér’s V', rank_biserial: 'rank-biserial r', epsilon_squared: 'epsilon squared' } as const;
export type TestName = keyof typeof TEST_TITLES;
export type EffectName = keyof typeof EFFECT_TITLES;

/** A comparison of one question between groups (segments, or governments and civil society). */
export interface QuestionComparison {
  questionId: string;
  text: string;
  sharedKey?: string;
  /** For matrix questions, the row compared. */
  row?: { code: string; label: string };
  /** `tested` is false for a group left out of the test (fewer than 5 respondents). */
  groups: { key: string; label: string; n: number | null; mean?: number | null; distribution: OptionCount[]; tested?: boolean }[];
  test: {
    name: TestName;
    /** The test in words: {@link TEST_TITLES}. */
    title: string;
    statistic: number | null;
    /** Degrees of freedom of chi-square and Kruskal-Wallis H; null for the others. */
    dof: number | null;
    p: number | null;
    /** Holm-adjusted across the questions compared together. */
    pAdjusted: number | null;
    /**
     * `title` in words ({@link EFFECT_TITLES}); `label` the size word, whose small / medium / large
     * `thresholds` for Cramér's V depend on the table's df* = min(rows, columns) − 1.
     */
    effect: {
      name: EffectName;
      title: string;
      value: number | null;
      label: 'negligible' | 'small' | 'medium' | 'large' | null;
      thresholds?: readonly [number, number, number];
    };
  } | null;
  warnings: string[];
  /** The result in words, e.g. "civil society rated … lower than governments: p = 0.003 after adjustment, medium effect". */
  summary: string;
}
