/**
 * Picks the right test for comparing groups of respondents (e.g. regions) on one question, runs it
 * and says why, so that the dashboard never shows a p-value the data cannot support.
 */
import { chiSquareIndependence, fisherExact2x2, type ContingencyTable } from './contingency.ts';
import { totalCount, type FrequencyTable } from './frequency-table.ts';
import { kruskalWallis, mannWhitneyU } from './rank-tests.ts';

/** Fewest respondents a group needs to enter a test; smaller groups are left out of it and named. */
export const MIN_GROUP_SIZE = 5;

export type EffectLabel = 'negligible' | 'small' | 'medium' | 'large';

export interface EffectSize {
  measure: 'cramers-v' | 'rank-biserial' | 'epsilon-squared';
  /** Unrounded; rank-biserial keeps its sign (positive: the first group tested answers higher). */
  value: number;
  /** Conventional size of |value|: see {@link effectLabel}. */
  label: EffectLabel;
  /** The small, medium and large thresholds the label was read from (Cramér's V: adjusted for df*). */
  thresholds: readonly [number, number, number];
}

/**
 * - `group-too-small`: fewer than two groups have {@link MIN_GROUP_SIZE} respondents or more, because
 *   some were too small (listed in `groups`); no test is run.
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
  /** Indexes of the groups the test ran on (those with at least {@link MIN_GROUP_SIZE} respondents); empty when no test ran. */
  groupsTested: number[];
  /** Indexes of the groups left out of the test for having fewer than {@link MIN_GROUP_SIZE} respondents (0 included). */
  groupsLeftOut: number[];
  /** Chi-square, U of the first group, or H; null for Fisher's test and when no test ran. */
  statistic: number | null;
  /** Degrees of freedom of chi-square or Kruskal-Wallis; null otherwise. */
  dof: number | null;
  /** Two-sided p-value, unrounded; null when no test ran. */
  p: number | null;
  effectSize: EffectSize | null;
  warning: ComparisonWarning | null;
}

/** Cohen's (1988) small, medium and large: w (hence Cramér's V with df* = 1) and r 0.1 / 0.3 / 0.5. */
const COHEN = [0.1, 0.3, 0.5] as const;
/** Epsilon squared of Kruskal-Wallis: 0.01 / 0.08 / 0.26 (Rea & Parker 1992, as in R's rcompanion). */
const EPSILON_SQUARED = [0.01, 0.08, 0.26] as const;

/**
 * The small, medium and large thresholds of an effect size. Cramér's V divides Cohen's w
 * thresholds 0.1 / 0.3 / 0.5 by √df*, df* = min(rows, columns) − 1 of the table tested (Cohen 1988,
 * §7.2: V = w / √df*), so a 3x5 table (df* = 2) calls V ≥ 0.071 small, ≥ 0.212 medium and ≥ 0.354
 * large; rank-biserial r uses 0.1 / 0.3 / 0.5 and epsilon squared 0.01 / 0.08 / 0.26. A df* below 1
 * (no table) is read as 1.
 *
 * @example
 * effectThresholds('cramers-v', 2); // [0.0707…, 0.2121…, 0.3535…]
 */
export function effectThresholds(measure: EffectSize['measure'], dfStar = 1): readonly [number, number, number] {
  if (measure === 'epsilon-squared') return EPSILON_SQUARED;
  if (measure === 'rank-biserial') return COHEN;
  const root = Math.sqrt(Math.max(1, dfStar));
  return [COHEN[0] / root, COHEN[1] / root, COHEN[2] / root];
}

/**
 * Conventional label of an effect size: |value| below the first threshold of
 * {@link effectThresholds} is negligible, then small, medium, and large from the third threshold on
 * (thresholds included in the higher label). `dfStar` matters for Cramér's V only.
 *
 * @example
 * effectLabel('epsilon-squared', 0.08); // 'medium'
 * effectLabel('cramers-v', 0.25, 2); // 'medium' (it would be small in a 2xk table)
 */
export function effectLabel(measure: EffectSize['measure'], value: number, dfStar = 1): EffectLabel {
  const [small, medium, large] = effectThresholds(measure, dfStar);
  const size = Math.abs(value);
  if (size >= large) return 'large';
  if (size >= medium) return 'medium';
  return size >= small ? 'small' : 'negligible';
}

function effect(measure: EffectSize['measure'], value: number | null, dfStar = 1): EffectSize | null {
  return value === null ? null : { measure, value, label: effectLabel(measure, value, dfStar), thresholds: effectThresholds(measure, dfStar) };
}

/** Which groups are large enough to test, and which are left out. */
interface GroupSplit {
  groupSizes: number[];
  groupsTested: number[];
  groupsLeftOut: number[];
}

/** The result when no test can run; shared by both comparisons. */
function noTest(split: GroupSplit, code: ComparisonWarningCode, message: string, groups: number[] = []): GroupComparison {
  return {
    test: null,
    explanation: message,
    ...split,
    groupsTested: [],
    statistic: null,
    dof: null,
    p: null,
    effectSize: null,
    warning: { code, message, groups },
  };
}

/** Splits the groups by size; a refusal when fewer than two are large enough. */
function splitGroups(groupSizes: number[]): { split: GroupSplit; refusal: GroupComparison | null } {
  const groupsTested = groupSizes.flatMap((size, i) => (size >= MIN_GROUP_SIZE ? [i] : []));
  const groupsLeftOut = groupSizes.flatMap((size, i) => (size < MIN_GROUP_SIZE ? [i] : []));
  const split = { groupSizes, groupsTested, groupsLeftOut };
  if (groupSizes.length < 2) return { split, refusal: noTest(split, 'fewer-than-two-groups', 'Fewer than two groups: nothing to compare.') };
  if (groupsTested.length >= 2) return { split, refusal: null };
  const message = `Too small to test: fewer than two groups have ${MIN_GROUP_SIZE} respondents or more.`;
  return { split, refusal: noTest(split, 'group-too-small', message, groupsLeftOut) };
}

/** " 2 of 5 groups left out for having fewer than 5 respondents.", or nothing. */
function leftOutNote(split: GroupSplit): string {
  const count = split.groupsLeftOut.length;
  return count ? ` ${count} of ${split.groupSizes.length} groups left out for having fewer than ${MIN_GROUP_SIZE} respondents.` : '';
}

/**
 * Compares groups on a single-choice question, from a table with one row per group and one column
 * per option (each respondent counted once, so a row's total is its number of respondents):
 *
 * 1. groups with fewer than 5 respondents (0 included) are left out of the test (`groupsLeftOut`);
 *    fewer than two groups in all, or fewer than two left: no test, warning `fewer-than-two-groups`
 *    or `group-too-small`;
 * 2. on the groups left, options nobody chose are dropped; if one option is left: no test, warning
 *    `no-variation`;
 * 3. a 2x2 table with any expected count below 5: Fisher's exact test;
 * 4. otherwise Pearson's chi-square without continuity correction, with warning `sparse-table`
 *    when more than 20 % of expected counts in a larger table are below 5.
 *
 * The effect size is Cramér's V (for 2x2, phi) from the chi-square statistic, whichever test gave p,
 * labelled with thresholds adjusted for the tested table's df* (see {@link effectThresholds}).
 *
 * @example
 * compareChoiceGroups([[12, 5], [7, 14]]); // test 'chi-square', p 0.0224, effectSize { measure: 'cramers-v', value: 0.370, label: 'medium' }
 */
export function compareChoiceGroups(table: ContingencyTable): GroupComparison {
  const groupSizes = table.map((row) => row.reduce((sum, count) => sum + (Number.isFinite(count) && count > 0 ? count : 0), 0));
  const { split, refusal } = splitGroups(groupSizes);
  if (refusal) return refusal;
  const tested = split.groupsTested.map((i) => table[i]!);

  const chi = chiSquareIndependence(tested);
  if (chi.chi2 === null || chi.minExpected === null) return noTest(split, 'no-variation', 'Every respondent gave the same answer: nothing to compare.');
  const effectSize = effect('cramers-v', chi.cramersV, Math.min(chi.rowsTested, chi.columnsTested) - 1);

  if (chi.rowsTested === 2 && chi.columnsTested === 2 && chi.minExpected < 5) {
    // The same 2x2 table the chi-square tested: every row has respondents, so only empty options go.
    const usedColumns = chi.expected[0]!.flatMap((_, j) => (chi.expected.some((row) => row[j]! > 0) ? [j] : []));
    const twoByTwo = tested.map((row) => usedColumns.map((j) => row[j] ?? 0));
    return {
      test: 'fisher-exact',
      explanation: `Fisher's exact test: a 2x2 table with an expected count below 5 (smallest ${chi.minExpected.toFixed(1)}), where chi-square is unreliable.${leftOutNote(split)}`,
      ...split,
      statistic: null,
      dof: null,
      p: fisherExact2x2(twoByTwo).p,
      effectSize,
      warning: null,
    };
  }

  const expectedTested = chi.expected.flatMap((row) => row.filter((e) => e > 0));
  const sparse = expectedTested.filter((e) => e < 5).length / expectedTested.length > 0.2;
  const explanation = `Chi-square test of independence (${chi.rowsTested} groups x ${chi.columnsTested} answers, no continuity correction).${leftOutNote(split)}`;
  return {
    test: 'chi-square',
    explanation,
    ...split,
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
 * Compares groups on an ordinal question (scale points as numbers), from one frequency table per group.
 * Groups with fewer than 5 respondents are left out of the test, and fewer than two groups (in all
 * or left) give no test and a warning, as in {@link compareChoiceGroups}. Two groups tested use the
 * Mann-Whitney U test with rank-biserial correlation (U and the sign of r are those of the first
 * group tested), more use Kruskal-Wallis with epsilon squared. All answers equal: no test, warning
 * `no-variation`. Non-substantive answers ("don't know") must be left out by the caller: they have
 * no place on the scale.
 *
 * @example
 * compareOrdinalGroups([tableA, tableB]); // test 'mann-whitney', statistic = U of tableA, effectSize rank-biserial
 * compareOrdinalGroups([tableA, tableB, smallTable]); // the same, groupsLeftOut [2]
 */
export function compareOrdinalGroups(groups: readonly FrequencyTable[]): GroupComparison {
  const groupSizes = groups.map(totalCount);
  const { split, refusal } = splitGroups(groupSizes);
  if (refusal) return refusal;
  const tested = split.groupsTested.map((i) => groups[i]!);
  const noVariation = () => noTest(split, 'no-variation', 'Every respondent gave the same answer: nothing to compare.');

  if (tested.length === 2) {
    const result = mannWhitneyU(tested[0]!, tested[1]!);
    if (result.p === null) return noVariation();
    return {
      test: 'mann-whitney',
      explanation: `Mann-Whitney U test for two groups (two-sided, normal approximation with tie and continuity correction).${leftOutNote(split)}`,
      ...split,
      statistic: result.u,
      dof: null,
      p: result.p,
      effectSize: effect('rank-biserial', result.rankBiserial),
      warning: null,
    };
  }

  const result = kruskalWallis(tested);
  if (result.p === null) return noVariation();
  return {
    test: 'kruskal-wallis',
    explanation: `Kruskal-Wallis test for ${tested.length} groups (chi-square approximation with tie correction).${leftOutNote(split)}`,
    ...split,
    statistic: result.h,
    dof: result.dof,
    p: result.p,
    effectSize: effect('epsilon-squared', result.epsilonSquared),
    warning: null,
  };
}
