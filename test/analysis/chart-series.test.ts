/**
 * What the charts draw where counts are hidden from observers: a hidden option keeps its bar's
 * label and says why it has no bar, and a scale row's hidden points are drawn as one grey part, so
 * that no bar silently starts further along the scale.
 */
import { describe, expect, it } from 'vitest';
import { chartSeries, HIDDEN_SEGMENT } from '../../analysis/chart-series.ts';
import type { ChoiceResult, OptionCount, ScaleResult } from '../../analysis/results.ts';

const shown = (code: string, count: number, share: number): OptionCount => ({ code, label: code, count, share, ci95: null });
const hidden = (code: string, withheld = false): OptionCount => ({
  code,
  label: code,
  count: null,
  share: null,
  ci95: null,
  suppressed: true,
  ...(withheld ? { withheld: true } : {}),
});

describe('chartSeries with hidden counts', () => {
  it('labels a hidden option with the reason, so its missing bar does not read as 0%', () => {
    const result: ChoiceResult = {
      kind: 'choice',
      questionId: 'q',
      text: 'Q',
      n: 32,
      missing: 0,
      hidden: 0,
      multiple: false,
      substantive: 32,
      options: [hidden('small'), hidden('protecting', true), shown('big', 20, 20 / 32)],
      nonSubstantive: [],
    };
    const series = chartSeries(result)!;
    expect(series.labels).toEqual(['small (fewer than 5)', 'protecting (withheld)', 'big']);
    expect(series.datasets[0]!.data).toEqual([null, null, 20 / 32]);
  });

  it('draws the hidden points of a scale row as one part of the size the shown shares leave', () => {
    const row = (code: string, distribution: OptionCount[]) => ({
      code,
      label: code,
      n: 20,
      answered: 20,
      distribution,
      nonSubstantive: [],
      mean: null,
      median: null,
      ci95: null,
      topBox: null,
    });
    const result: ScaleResult = {
      kind: 'scale',
      questionId: 'q',
      text: 'Q',
      n: 20,
      missing: 0,
      hidden: 0,
      scale: 'agree5',
      topBoxLabels: [],
      rows: [
        // Very poor and Poor hidden: the bar must not start at Fair as if nobody rated it badly.
        row('a', [hidden('1'), hidden('2', true), shown('3', 6, 0.3), shown('4', 5, 0.25), shown('5', 5, 0.25)]),
        row('b', [shown('1', 5, 0.25), shown('2', 5, 0.25), shown('3', 0, 0), shown('4', 5, 0.25), shown('5', 5, 0.25)]),
      ],
    };
    const series = chartSeries(result)!;
    const part = series.datasets.find((d) => d.label === HIDDEN_SEGMENT)!;
    expect(part.side).toBe('hidden');
    expect(part.data[0]).toBeCloseTo(0.2, 12);
    expect(part.data[1]).toBeNull();
    // Every row's drawn parts (the neutral point counted once) cover the whole bar.
    for (const i of [0, 1]) {
      const total = series.datasets.reduce((sum, d) => sum + Math.abs(d.data[i] ?? 0), 0);
      expect(total, `row ${i}`).toBeCloseTo(1, 12);
    }
  });

  it('says so on a row with nothing to draw', () => {
    const row = {
      code: 'a',
      label: 'Row',
      n: null,
      answered: null,
      distribution: [hidden('1'), hidden('2', true)],
      nonSubstantive: [],
      mean: null,
      median: null,
      ci95: null,
      topBox: null,
    };
    const result: ScaleResult = { kind: 'scale', questionId: 'q', text: 'Q', n: null, missing: 0, hidden: 0, scale: 'agree5', topBoxLabels: [], rows: [row] };
    expect(chartSeries(result)!.labels).toEqual(['Row (not shown)']);
  });

  it('adds no hidden part when nothing is hidden', () => {
    const result: ScaleResult = {
      kind: 'scale',
      questionId: 'q',
      text: 'Q',
      n: 4,
      missing: 0,
      hidden: 0,
      scale: 'agree5',
      topBoxLabels: [],
      rows: [
        {
          code: '',
          label: 'Q',
          n: 4,
          answered: 4,
          distribution: [shown('1', 2, 0.5), shown('2', 2, 0.5)],
          nonSubstantive: [],
          mean: 1.5,
          median: 1.5,
          ci95: null,
          topBox: null,
        },
      ],
    };
    expect(chartSeries(result)!.datasets.map((d) => d.label)).not.toContain(HIDDEN_SEGMENT);
  });
});
