/**
 * The Trends page's chart: both phases side by side, per answer of one item or per option of a
 * multiple choice, and nothing when neither phase answered.
 */
import { describe, expect, it } from 'vitest';
import { trendSeries } from '../../analysis/chart-series.ts';
import type { OptionCount } from '../../analysis/results.ts';
import type { PhaseFigures, TrendItem } from '../../analysis/trend-results.ts';

const share = (code: string, count: number, n: number): OptionCount => ({ code, label: `Label ${code}`, count, share: n ? count / n : null, ci95: null });
const phase = (n: number, counts: number[], chosen?: number): PhaseFigures => ({
  n,
  distribution: counts.map((c, i) => share(String(i + 1), c, n)),
  ...(chosen === undefined ? {} : { share: share('x', chosen, n) }),
});
function item(measure: TrendItem['measure'], earlier: PhaseFigures, later: PhaseFigures, row?: string): TrendItem {
  return {
    trendKey: 'k',
    earlierQuestionId: 'a',
    laterQuestionId: 'b',
    text: 'Question',
    measure,
    ...(row ? { row: { code: row, label: `Option ${row}` } } : {}),
    earlier,
    later,
    change: { shares: [] },
    paired: { n: 0, changed: 0, test: null },
    overall: { test: null },
    summary: '',
  };
}

describe('trendSeries', () => {
  it('draws a scale’s points, one bar per phase, as shares of each phase', () => {
    const series = trendSeries([item('scale', phase(4, [1, 3]), phase(5, [0, 5]))], ['2011', '2012']);
    expect(series).toEqual({
      type: 'grouped',
      labels: ['Label 1', 'Label 2'],
      datasets: [
        { label: '2011 (n = 4)', data: [0.25, 0.75] },
        { label: '2012 (n = 5)', data: [0, 1] },
      ],
      unit: 'share',
    });
  });

  it('draws a multiple choice’s options together, the share choosing each', () => {
    const series = trendSeries(
      [item('option', phase(4, [], 1), phase(5, [], 5), 'x'), item('option', phase(4, [], 2), phase(5, [], 0), 'y')],
      ['2011', '2012'],
    );
    expect(series?.labels).toEqual(['Option x', 'Option y']);
    expect(series?.datasets.map((d) => d.data)).toEqual([
      [0.25, 0.5],
      [1, 0],
    ]);
  });

  it('draws nothing when neither phase answered', () => {
    expect(trendSeries([item('scale', phase(0, [0, 0]), phase(0, [0, 0]))], ['2011', '2012'])).toBeUndefined();
  });
});
