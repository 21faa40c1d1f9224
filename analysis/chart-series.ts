/**
 * Neutral chart series for each kind of result: what to draw, not how. `web/dashboard.ts` turns a
 * series into a chart.js configuration; the same series feed the accessible table and the CSV.
 */
import type { TrendItem } from './trend-results.ts';
import {
  FEWER_THAN_5,
  hiddenLabel,
  WITHHELD,
  type ChoiceResult,
  type Count,
  type NumericResult,
  type QuestionComparison,
  type QuestionResult,
  type RankingResult,
  type ScaleResult,
} from './results.ts';

/** The legend of the part of a bar whose counts are hidden from observers. */
export const HIDDEN_SEGMENT = `Not shown (${FEWER_THAN_5} or ${WITHHELD})`;

/** A category's label, saying so when its figure is hidden: a bar left out must not read as zero. */
const labelOf = (c: Pick<Count, 'suppressed' | 'withheld'> & { label: string }) => (c.suppressed ? `${c.label} (${hiddenLabel(c.withheld)})` : c.label);

export interface SeriesDataset {
  label: string;
  /** One value per label; null where a figure is suppressed or undefined. */
  data: (number | null)[];
  /**
   * For diverging scales: which side of the middle the dataset stacks on; `hidden` is the part of
   * each row whose points are hidden from observers, drawn apart so that no bar silently starts
   * further along the scale.
   */
  side?: 'negative' | 'neutral' | 'positive' | 'hidden';
}

export interface ChartSeries {
  /**
   * `bars`: one bar per option (share of respondents, 0..1);
   * `diverging`: stacked horizontal bars per scale row, lower points to the left of zero;
   * `histogram`: counts per bin; `ranking`: share ranked first per option.
   */
  type: 'bars' | 'diverging' | 'histogram' | 'ranking' | 'grouped';
  labels: string[];
  datasets: SeriesDataset[];
  /** `share`: values are fractions 0..1; `count`: respondents. */
  unit: 'share' | 'count';
}

/**
 * One bar per option, as a share of those who gave a view: "don't know" has another base, so it is
 * left to the table and the base note rather than drawn beside shares it does not add up with.
 */
function choiceSeries(result: ChoiceResult): ChartSeries {
  const label = result.nonSubstantive.length ? 'Share of those who gave a view' : 'Share of respondents';
  return { type: 'bars', labels: result.options.map(labelOf), datasets: [{ label, data: result.options.map((o) => o.share) }], unit: 'share' };
}

/**
 * Diverging stacked bars: points below the middle go left (as negative shares), the middle point
 * (odd scales) is split half and half, points above go right. Shares are of substantive answers.
 */
function scaleSeries(result: ScaleResult): ChartSeries {
  const first = result.rows[0];
  const points = first?.distribution ?? [];
  const middle = (points.length - 1) / 2;
  const byPoint: SeriesDataset[] = points.map((point, index) => {
    const side = index < middle ? 'negative' : index > middle ? 'positive' : 'neutral';
    return {
      label: point.label,
      side,
      data: result.rows.map((row) => {
        const share = row.distribution[index]?.share ?? null;
        if (share === null) return null;
        return side === 'negative' ? -share : side === 'neutral' ? share / 2 : share;
      }),
    };
  });
  // Stacks grow outwards from zero in dataset order, so each side lists the points nearest the
  // middle first: the neutral point's left half, then the lower points from the middle outwards.
  const neutral = byPoint.find((d) => d.side === 'neutral');
  const datasets: SeriesDataset[] = [
    ...(neutral ? [{ label: neutral.label, side: 'neutral' as const, data: neutral.data.map((v) => (v === null ? null : -v)) }] : []),
    ...byPoint.filter((d) => d.side === 'negative').reverse(),
    ...(neutral ? [neutral] : []),
    ...byPoint.filter((d) => d.side === 'positive'),
  ];
  // The shares shown add to 100% with those hidden: what is missing is drawn, in one grey part at
  // the end (its size follows from the shares shown, so it tells a reader nothing new).
  const hiddenShare = (row: ScaleResult['rows'][number]) => {
    if (!row.distribution.some((d) => d.suppressed)) return null;
    const shown = row.distribution.filter((d) => d.share !== null);
    if (!shown.length) return null;
    return Math.max(0, 1 - shown.reduce((sum, d) => sum + d.share!, 0));
  };
  const hidden = result.rows.map(hiddenShare);
  if (hidden.some((v) => v !== null && v > 0)) datasets.push({ label: HIDDEN_SEGMENT, side: 'hidden', data: hidden });
  // A row with nothing to draw says so, rather than standing empty as if nobody had answered.
  const rowLabel = (row: ScaleResult['rows'][number]) =>
    row.distribution.every((d) => d.share === null) && row.distribution.some((d) => d.suppressed) ? `${row.label} (not shown)` : row.label;
  return { type: 'diverging', labels: result.rows.map(rowLabel), datasets, unit: 'share' };
}

function numericSeries(result: NumericResult): ChartSeries {
  return {
    type: 'histogram',
    labels: result.histogram.map((b) => labelOf({ ...b, label: `${b.from}–${b.to}` })),
    datasets: [{ label: 'Respondents', data: result.histogram.map((b) => b.count) }],
    unit: 'count',
  };
}

function rankingSeries(result: RankingResult): ChartSeries {
  // An option whose share is hidden says so, rather than reading as ranked first by nobody.
  const label = (o: RankingResult['options'][number]) => (o.firstShare === null && o.suppressed ? `${o.label} (not shown)` : o.label);
  return {
    type: 'ranking',
    labels: result.options.map(label),
    datasets: [{ label: 'Ranked first', data: result.options.map((o) => o.firstShare) }],
    unit: 'share',
  };
}

/** The series to draw for a result; free-text questions have none. */
export function chartSeries(result: QuestionResult): ChartSeries | undefined {
  switch (result.kind) {
    case 'choice':
      return choiceSeries(result);
    case 'scale':
      return scaleSeries(result);
    case 'numeric':
      return numericSeries(result);
    case 'ranking':
      return rankingSeries(result);
    case 'text':
      return undefined;
  }
}

/** Grouped bars for a comparison: one bar per group for each answer, as shares of the group. */
export function comparisonSeries(comparison: QuestionComparison): ChartSeries | undefined {
  const first = comparison.groups[0];
  if (!first || first.distribution.length === 0) return undefined;
  return {
    type: 'grouped',
    labels: first.distribution.map((d) => d.label),
    datasets: comparison.groups.map((g) => ({ label: `${g.label} (n = ${g.n ?? FEWER_THAN_5})`, data: g.distribution.map((d) => d.share) })),
    unit: 'share',
  };
}

/**
 * Paired bars for a trend: for each answer, one bar per phase, as shares of each phase's
 * substantive answers. One item gives its answers (a scale's points, a choice's options, a yes/no's
 * yes); the options of a multiple choice, given together, one pair of bars per option (the share
 * choosing it). `phases` names the earlier and the later phase ("2011", "2012"). Undefined when
 * neither phase has an answer.
 */
export function trendSeries(items: readonly TrendItem[], phases: readonly [string, string]): ChartSeries | undefined {
  const first = items[0];
  if (!first || items.every((i) => i.earlier.n === 0 && i.later.n === 0)) return undefined;
  const perItem = items.length > 1 || first.measure === 'option' || first.measure === 'yes_no';
  const labels = perItem ? items.map((i) => i.row?.label ?? 'Yes') : first.earlier.distribution.map((d) => d.label);
  const data = (side: 'earlier' | 'later') => (perItem ? items.map((i) => i[side].share?.share ?? null) : first[side].distribution.map((d) => d.share));
  const n = (side: 'earlier' | 'later') => Math.max(...items.map((i) => i[side].n));
  return {
    type: 'grouped',
    labels,
    datasets: [
      { label: `${phases[0]} (n = ${n('earlier')})`, data: data('earlier') },
      { label: `${phases[1]} (n = ${n('later')})`, data: data('later') },
    ],
    unit: 'share',
  };
}
