/**
 * The comparisons as a table for a spreadsheet (one row per question, matrix row or option
 * compared): tests and effect sizes in words, as the page shows them. Pure.
 */
import { FEWER_THAN_5, type QuestionComparison } from '../../analysis/results.ts';

/** The columns of {@link comparisonRows}, in order. */
export const COMPARISON_COLUMNS = [
  'question_id',
  'question',
  'row',
  'test',
  'statistic',
  'df',
  'p',
  'p_adjusted',
  'effect_size',
  'effect_value',
  'effect_label',
  'groups_tested',
  'groups_not_tested',
  'summary',
] as const;

export type ComparisonRow = Record<(typeof COMPARISON_COLUMNS)[number], string>;

/** "Africa (29)", or "Oceania (fewer than 5)" where an observer's count is hidden. */
const groupWithSize = (g: QuestionComparison['groups'][number]) => `${g.label} (${g.n ?? FEWER_THAN_5})`;
const figure = (value: number | null | undefined) => (value === null || value === undefined ? '' : String(value));

/**
 * One row per comparison, every figure unrounded ('' when there is none). `test` and `effect_size`
 * are the words of analysis/results.ts (`TEST_TITLES`, `EFFECT_TITLES`), never the codes; the groups
 * tested and those left out (fewer than 5 respondents) are listed with their sizes, "; " between them.
 *
 * @example
 * comparisonRows(comparisons)[0]; // { question_id: 'g_support', test: 'Kruskal-Wallis H', effect_size: 'epsilon squared', groups_not_tested: 'Oceania (4)', … }
 */
export function comparisonRows(comparisons: readonly QuestionComparison[]): ComparisonRow[] {
  return comparisons.map((c) => {
    const tested = c.test ? c.groups.filter((g) => g.tested !== false) : [];
    const notTested = c.groups.filter((g) => !tested.includes(g));
    return {
      question_id: c.questionId,
      question: c.text,
      row: c.row?.label ?? '',
      test: c.test?.title ?? '',
      statistic: figure(c.test?.statistic),
      df: figure(c.test?.dof),
      p: figure(c.test?.p),
      p_adjusted: figure(c.test?.pAdjusted),
      effect_size: c.test?.effect.title ?? '',
      effect_value: figure(c.test?.effect.value),
      effect_label: c.test?.effect.label ?? '',
      groups_tested: tested.map(groupWithSize).join('; '),
      groups_not_tested: notTested.map(groupWithSize).join('; '),
      summary: c.summary,
    };
  });
}
