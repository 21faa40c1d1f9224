/**
 * The trends as a table for a spreadsheet: one row per group and item (question, matrix row or
 * option), both phases' figures, the change and both tests, as the Trends page shows them. Pure.
 */
import type { TrendItem, TrendsResult, TrendTest } from '../../analysis/trend-results.ts';

/** The columns of {@link trendRows}, in order. */
export const TREND_COLUMNS = [
  'group',
  'trend_key',
  'earlier_question_id',
  'later_question_id',
  'question',
  'row',
  'earlier_n',
  'later_n',
  'earlier_value',
  'later_value',
  'change',
  'value_is',
  'paired_n',
  'paired_test',
  'paired_statistic',
  'paired_p',
  'paired_p_adjusted',
  'paired_effect',
  'paired_effect_value',
  'overall_test',
  'overall_statistic',
  'overall_p',
  'overall_p_adjusted',
  'overall_effect',
  'overall_effect_value',
  'summary',
] as const;

export type TrendRow = Record<(typeof TREND_COLUMNS)[number], string>;

const text = (value: number | null | undefined) => (value === null || value === undefined ? '' : String(value));

/** What one number stands for an item: a scale's mean, a yes/no's or option's share; a choice has none. */
function headline(item: TrendItem): { earlier: string; later: string; change: string; is: string } {
  if (item.measure === 'scale') return { earlier: text(item.earlier.mean), later: text(item.later.mean), change: text(item.change.mean), is: 'mean' };
  if (item.measure === 'choice') return { earlier: '', later: '', change: '', is: 'see the page for each option' };
  return {
    earlier: text(item.earlier.share?.share),
    later: text(item.later.share?.share),
    change: text(item.change.share),
    is: item.measure === 'yes_no' ? 'share yes' : 'share chosen',
  };
}

function testCells(prefix: 'paired' | 'overall', t: TrendTest | null) {
  return {
    [`${prefix}_test`]: t?.title ?? '',
    [`${prefix}_statistic`]: text(t?.statistic),
    [`${prefix}_p`]: text(t?.p),
    [`${prefix}_p_adjusted`]: text(t?.pAdjusted),
    [`${prefix}_effect`]: t?.effect.title ?? '',
    [`${prefix}_effect_value`]: text(t?.effect.value),
  };
}

/** Every group's items as rows of {@link TREND_COLUMNS}. */
export function trendRows(result: TrendsResult): TrendRow[] {
  return result.groups.flatMap((group) =>
    group.items.map((item) => {
      const h = headline(item);
      return {
        group: group.label,
        trend_key: item.trendKey,
        earlier_question_id: item.earlierQuestionId,
        later_question_id: item.laterQuestionId,
        question: item.text,
        row: item.row?.label ?? '',
        earlier_n: String(item.earlier.n),
        later_n: String(item.later.n),
        earlier_value: h.earlier,
        later_value: h.later,
        change: h.change,
        value_is: h.is,
        paired_n: String(item.paired.n),
        ...testCells('paired', item.paired.test),
        ...testCells('overall', item.overall.test),
        summary: item.summary,
      } as TrendRow;
    }),
  );
}
