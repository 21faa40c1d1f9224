/**
 * Picks the right test for comparing groups of respondents (e.g. regions) on one question, runs it
 * and says why, so that the dashboard never shows a p-value the data cannot support.
 */
import { chiSquareIndependence, fisherExact2x2, type ContingencyTable } from './contingency.ts';
import { totalCount, type FrequencyTable } from './frequency-table.ts';
import { kruskalWallis, mannWhitneyU } from './rank-tests.ts';

/** Fewest respondents a group needs before it is compared with others. */
export const MIN_GROUP_SIZE = 5;

export type EffectLabel = 'negligible' | 'small' | 'medium' | 'large';

export interface EffectSize {
  measure: 'cramers-v' | 'rank-biserial' | 'epsilon-squared';
  /** Unrounded; rank-biserial keeps its sign (positive: the first group answers higher). */
  value: number;
  /** Conventional size of |value|: see {@link effectLabel}. */
  label: EffectLabel;
}

/**
 * - `group-too-small`: a group has fewer than {@link MIN_GROUP_SIZE} respondents; no test is run.
 * - `fewer-than-two-groups`: nothing to compare; no test is run.
 * - `no-variation`: every respondent gave the same answer; no test is run.
 * - `sparse-table`: the chi-square test ran on a table larger than 2x2 where more than 20 % of the
 *   expected counts are below 5 (Cochran's rule), so its p-value is only a rough guide.
 */
export type ComparisonWarningCode = 'group-too-small' | 'fewer-than-two-groups' | 'no-variation' | 'sparse-table';

export interface ComparisonWarning {
  code: ComparisonWarningCode;
  /** English sentence for exports and logs; pages translate from the code. */
  message: string;
  /** Indexes of the groups concerned (for `group-too-small`); empty otherwise. */
  groups: number[];
}

export interface GroupComparison {
  /** The test that was run; null when the data allow none (see `warning`). */
  test: 'chi-square' | 'fisher-exact' | 'mann-whitney' | 'kruskal-wallis' | null;
  /** Why this test (or none) was chosen, in English. */
  explanation: string;
  /** Respondents per group, in the input order. */
  groupSizes: number[];
  /** Chi-square, U of the first group, or H; null for Fisher's test and when no test ran. */
  statistic: number | null;
  /** Degrees of freedom of chi-square or Kruskal-Wallis; null otherwise. */
  dof: number | null;
  /** Two-sided p-value, unrounded; null when no test ran. */
  p: number | null;
  effectSize: EffectSize | null;
  warning: ComparisonWarning | null;
}

const THRESHOLDS: Record<EffectSize['measure'], readonly [number, number, number]> = {
  'cramers-v': [0.1, 0.3, 0.5],
  'rank-biserial': [0.1, 0.3, 0.5],
  'epsilon-squared': [0.01, 0.08, 0.26],
};

/**
 * Conventional label of an effect size: |value| below the first threshold is negligible, then small,
 * medium, and large from the third threshold on (thresholds included in the higher label). Cramér's V
 * and rank-biserial use 0.1 / 0.3 / 0.5, epsilon squared 0.01 / 0.08 / 0.26.
 *
 * @example
 * effectLabel('epsilon-squared', 0.08); // 'medium'
 */
export function effectLabel(measure: EffectSize['measure'], value: number): EffectLabel {
  const [small, medium, large] = THRESHOLDS[measure];
  const size = Math.abs(value);
  if (size >= large) return 'large';
  if (size >= medium) return 'medium';
  return size >= small ? 'small' : 'negligible';
}

function effect(measure: EffectSize['measure'], value: number | null): EffectSize | null {
  return value === null ? null : { measure, value, label: effectLabel(measure, value) };
}

/** The result when no test can run; shared by both comparisons. */
function noTest(groupSizes: number[], code: ComparisonWarningCode, message: string, groups: number[] = []): GroupComparison {
  return { test: null, explanation: message, groupSizes, statistic: null, dof: null, p: null, effectSize: null, warning: { code, message, groups } };
}

/** Checks shared by both comparisons: at least two groups, each with enough respondents. */
function checkGroupSizes(groupSizes: number[]): GroupComparison | null {
  if (groupSizes.length < 2) return noTest(groupSizes, 'fewer-than-two-groups', 'Fewer than two groups: nothing to compare.');
  const small = groupSizes.flatMap((size, i) => (size < MIN_GROUP_SIZE ? [i] : []));
  if (small.length === 0) return null;
  return noTest(groupSizes, 'group-too-small', `Too small to test: ${small.length === 1 ? 'a group has' : 'groups have'} fewer than ${MIN_GROUP_SIZE} respondents.`, small);
}

/**
 * Compares groups on a single-choice question, from a table with one row per group and one column
 * per option (each respondent counted once, so a row's total is its number of respondents):
 *
 * 1. fewer than two groups, or any group with fewer than 5 respondents: no test, warning
 *    `fewer-than-two-groups` or `group-too-small` (a group with 0 respondents is too small too: leave
 *    out groups that should not be compared);
 * 2. options nobody chose are dropped; if one option is left: no test, warning `no-variation`;
 * 3. a 2x2 table with any expected count below 5: Fisher's exact test;
 * 4. otherwise Pearson's chi-square without continuity correction, with warning `sparse-table`
 *    when more than 20 % of expected counts in a larger table are below 5.
 *
 * The effect size is Cramér's V (for 2x2, phi) from the chi-square statistic, whichever test gave p.
 *
 * @example
 * compareChoiceGroups([[12, 5], [7, 14]]); // test 'chi-square', p 0.0224, effectSize { measure: 'cramers-v', value: 0.370, label: 'medium' }
 */
export function compareChoiceGroups(table: ContingencyTable): GroupComparison {
  const groupSizes = table.map((row) => row.reduce((sum, count) => sum + (Number.isFinite(count) && count > 0 ? count : 0), 0));
  const refusal = checkGroupSizes(groupSizes);
  if (refusal) return refusal;

  const chi = chiSquareIndependence(table);
  if (chi.chi2 === null || chi.minExpected === null) return noTest(groupSizes, 'no-variation', 'Every respondent gave the same answer: nothing to compare.');
  const effectSize = effect('cramers-v', chi.cramersV);

  if (chi.rowsTested === 2 && chi.columnsTested === 2 && chi.minExpected < 5) {
    // The same 2x2 table the chi-square tested: every row has respondents, so only empty options go.
    const usedColumns = chi.expected[0]!.flatMap((_, j) => (chi.expected.some((row) => row[j]! > 0) ? [j] : []));
    const twoByTwo = table.map((row) => usedColumns.map((j) => row[j] ?? 0));
    return {
      test: 'fisher-exact',
      explanation: `Fisher's exact test: a 2x2 table with an expected count below 5 (smallest ${chi.minExpected.toFixed(1)}), where chi-square is unreliable.`,
      groupSizes,
      statistic: null,
      dof: null,
      p: fisherExact2x2(twoByTwo).p,
      effectSize,
      warning: null,
    };
  }

  const expectedTested = chi.expected.flatMap((row) => row.filter((e) => e > 0));
  const sparse = expectedTested.filter((e) => e < 5).length / expectedTested.length > 0.2;
  const explanation = `Chi-square test of independence (${chi.rowsTested} groups x ${chi.columnsTested} answers, no continuity correction).`;
  return {
    test: 'chi-square',
    explanation,
    groupSizes,
    statistic: chi.chi2,
    dof: chi.dof,
    p: chi.p,
    effectSize,
    warning: sparse
      ? { code: 'sparse-table', message: 'More than 20% of expected counts are below 5: read the chi-square p-value as a rough guide.', groups: [] }
      : null,
  };
}

/**
 * Compares groups on an ordinal question (scale points as numbers), from one frequency table per group:
 * fewer than two groups or any group under 5 respondents gives no test and a warning, as in
 * {@link compareChoiceGroups}; two groups use the Mann-Whitney U test with rank-biserial correlation,
 * more use Kruskal-Wallis with epsilon squared. All answers equal: no test, warning `no-variation`.
 * Non-substantive answers ("don't know") must be left out by the caller: they have no place on the scale.
 *
 * @example
 * compareOrdinalGroups([tableA, tableB]); // test 'mann-whitney', statistic = U of tableA, effectSize rank-biserial
 */
export function compareOrdinalGroups(groups: readonly FrequencyTable[]): GroupComparison {
  const groupSizes = groups.map(totalCount);
  const refusal = checkGroupSizes(groupSizes);
  if (refusal) return refusal;
  const noVariation = () => noTest(groupSizes, 'no-variation', 'Every respondent gave the same answer: nothing to compare.');

  if (groups.length === 2) {
    const result = mannWhitneyU(groups[0]!, groups[1]!);
    if (result.p === null) return noVariation();
    return {
      test: 'mann-whitney',
      explanation: 'Mann-Whitney U test for two groups (two-sided, normal approximation with tie and continuity correction).',
      groupSizes,
      statistic: result.u,
      dof: null,
      p: result.p,
      effectSize: effect('rank-biserial', result.rankBiserial),
      warning: null,
    };
  }

  const result = kruskalWallis(groups);
  if (result.p === null) return noVariation();
  return {
    test: 'kruskal-wallis',
    explanation: `Kruskal-Wallis test for ${groups.length} groups (chi-square approximation with tie correction).`,
    groupSizes,
    statistic: result.h,
    dof: result.dof,
    p: result.p,
    effectSize: effect('epsilon-squared', result.epsilonSquared),
    warning: null,
  };
}
