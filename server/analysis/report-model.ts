/**
 * The printable report's view-model, built by pure functions from an analysis and the tracker's
 * counts (the report of a release builds on these in releases/release-report.ts): which questions are published, each question's table as text, the response
 * counts of the method section with small counts hidden (and the cells that would give them away),
 * and how many cells the report hides in all.
 */
import { chartSeries, type ChartSeries } from '../../analysis/chart-series.ts';
import { resultBaseNote } from '../../analysis/share-bases.ts';
import { FEWER_THAN_5, hiddenLabel, WITHHELD, type QuestionResult, type SurveyAnalysis } from '../../analysis/results.ts';
import { allQuestions, type Question, type SurveyDefinition } from '../../survey-definitions/types.ts';
import { questionNumbers } from '../../survey-definitions/question-numbers.ts';
import type { StateCounts } from '../tracker/tracker.queries.ts';

/** The words that stand for a hidden count, as on the dashboard (defined with the result types). */
export { FEWER_THAN_5, WITHHELD };

/** Printed charts fit the A4 text column (180 mm at 96 dpi is 680 px), with room to spare. */
export const CHART_WIDTH = 640;
/** Category labels wrap at this many characters (the script wraps them the same way). */
export const LABEL_WRAP = 36;

export interface ReportTable {
  caption: string;
  /** The first header names the row labels. */
  headers: string[];
  /**
   * `base`: the row of the shares' base ("Gave a view", 100%); `apart`: a non-substantive answer
   * ("don't know"), set apart from the options with a base of its own, named by `apartHeading`.
   */
  rows: { label: string; cells: string[]; apart?: boolean; base?: boolean }[];
  /** Printed above the rows apart: what their shares are of. */
  apartHeading?: string;
  /** Printed under the table: the bases of its shares in words (analysis/share-bases.ts). */
  note?: string;
}

export interface ReportChart {
  series: ChartSeries;
  width: number;
  height: number;
}

export interface ReportQuestion {
  id: string;
  /** The question's number in the form (survey-definitions/question-numbers.ts): questions left out leave gaps. */
  number: number;
  text: string;
  /** Null where the figures count who answered each row or option rather than the question. */
  answered: string | null;
  /** Null when every figure is hidden or undefined (an empty grid would read as 0%). */
  chart: ReportChart | null;
  /** Summary figures of a numeric question (mean, median…), beside its table. */
  stats: { label: string; value: string }[];
  table: ReportTable;
}

/**
 * Where a report's figures come from: live data (exact, for the Assessment Team only: every page
 * says it is confidential) or one group of a release (what may be published).
 */
export type ReportSource =
  | { kind: 'live' }
  | {
      kind: 'release';
      id: number;
      name: string;
      contentHash: string;
      final: boolean;
      group: string;
      groupLabel: string;
      threshold: number;
      groups: { id: string; label: string }[];
    };

/** A release's comparison with an earlier phase's release (releases/release-trend-report.ts). */
export interface TrendReportSection {
  /** The two phases (years), earlier then later. */
  phases: [number, number];
  /** The earlier phase's release. */
  releaseId: number;
  questions: { id: string; text: string; table: ReportTable }[];
}

export interface ReportModel {
  source: ReportSource;
  surveyId: string;
  title: string;
  version: string;
  /** The day the figures were drawn, YYYY-MM-DD (UTC); no time of day. */
  dataDay: string;
  window: { opens: string; closes: string };
  responses: string;
  /** Null where the figures do not say (a release holds no excluded responses). */
  excluded: string | null;
  byKind: ReportTable;
  byRegion: ReportTable;
  leftOut: { text: number; country: number; identifying: number };
  sections: { id: string; title: string; questions: ReportQuestion[] }[];
  /** Every cell of the report shown as "fewer than 5" or "withheld". */
  hiddenCells: number;
  /** "Change since <earlier phase>": only in the report of a release that compares with an earlier phase. */
  trends?: TrendReportSection | null;
}

const pct = (share: number | null | undefined) => (share === null || share === undefined ? '—' : `${(share * 100).toFixed(1)}%`);
const num = (value: number | null | undefined, digits = 2) =>
  value === null || value === undefined ? '—' : Number.isInteger(value) ? String(value) : value.toFixed(digits);
// A narrow column wraps before an interval, never inside it: no-break spaces, and a word joiner
// after the dash (a line may otherwise break after a dash, no-break space or not).
const ci = (interval: [number, number] | null | undefined, asShare: boolean) =>
  interval ? `${asShare ? pct(interval[0]) : num(interval[0])}\u00a0–\u2060\u00a0${asShare ? pct(interval[1]) : num(interval[1])}` : '—';
const count = (value: number | null, suppressed?: boolean, withheld?: boolean) => (suppressed || value === null ? hiddenLabel(withheld) : String(value));
/** A result's own count (n, substantive, a row's answered): the number, or why it is hidden. */
const field = (owner: { withheld?: readonly string[] }, name: string, value: number | null) => count(value, false, owner.withheld?.includes(name));

/**
 * Invited and analysed respondents per group with the response rate (analysed ÷ invited, whole
 * percent): the live report's exact counts, confidential like the rest of it.
 */
export function responseRateTable(
  caption: string,
  groupHeader: string,
  rows: readonly StateCounts[],
  overall: StateCounts,
  label: (group: string | null) => string,
): ReportTable {
  const line = (name: string, r: StateCounts) => ({
    label: name,
    cells: [String(r.invited), String(r.analysed), r.invited === 0 ? '—' : `${Math.round((100 * r.analysed) / r.invited)}%`],
  });
  return {
    caption,
    headers: [groupHeader, 'Invited or registered', 'Responses analysed', 'Response rate'],
    rows: [...rows.map((r) => line(label(r.group), r)), line('All', overall)],
  };
}

/** Why a question is not in the report, or null if it is: free text, a country, or identifying. */
export function leftOutBecause(question: Question): 'text' | 'country' | 'identifying' | null {
  if (question.type === 'country') return 'country';
  if (question.identifying) return 'identifying';
  if (question.type === 'short_text' || question.type === 'long_text') return 'text';
  return null;
}

/** The table of a question's figures, the same as on the dashboard (text answers have none). */
export function resultTable(r: QuestionResult): ReportTable {
  switch (r.kind) {
    case 'choice':
      return {
        caption: r.multiple ? 'Share of respondents who chose each option (several could be chosen)' : 'Share of respondents per option',
        headers: ['Option', 'Respondents', 'Share', '95% interval'],
        rows: [
          ...r.options.map((o) => ({ label: o.label, cells: [count(o.count, o.suppressed, o.withheld), pct(o.share), ci(o.ci95, true)] })),
          // A single choice's shares add to 100% of those who gave a view: the base, as a row.
          ...(r.multiple
            ? []
            : [
                {
                  label: r.nonSubstantive.length ? 'Gave a view' : 'Answered',
                  cells: [field(r, 'substantive', r.substantive), r.substantive ? '100%' : '—', ''],
                  base: true,
                },
              ]),
          ...r.nonSubstantive.map((o) => ({ label: o.label, cells: [count(o.count, o.suppressed, o.withheld), pct(o.share), ci(o.ci95, true)], apart: true })),
        ],
        ...(r.nonSubstantive.length ? { apartHeading: `Apart from the shares above, as a share of all ${r.n === null ? '' : `${r.n} `}who answered` } : {}),
        note: resultBaseNote(r) ?? '',
      };
    case 'scale': {
      const points = r.rows[0]?.distribution ?? [];
      const apart = r.rows[0]?.nonSubstantive ?? [];
      return {
        caption: `Share of substantive answers per point; mean (95% t interval) and median of the values 1–${points.length}; ${apart.map((a) => a.label).join(', ') || 'non-substantive answers'} counted apart`,
        headers: [
          r.rows.length > 1 ? 'Row' : 'Question',
          ...points.map((p) => p.label),
          apart.length ? 'Gave a view' : 'Answered',
          'Mean (95% interval)',
          'Median',
          ...(r.topBoxLabels.length ? [`Top box (${r.topBoxLabels.join(', ')})`] : []),
          ...apart.map((a) => a.label),
          ...(apart.length ? ['Answered'] : []),
        ],
        rows: r.rows.map((row) => ({
          label: row.label,
          cells: [
            ...row.distribution.map((d) => (d.suppressed ? hiddenLabel(d.withheld) : pct(d.share))),
            field(row, 'n', row.n),
            `${num(row.mean)} (${ci(row.ci95, false)})`,
            num(row.median),
            ...(r.topBoxLabels.length ? [pct(row.topBox)] : []),
            ...row.nonSubstantive.map((d) =>
              d.share === null ? count(d.count, d.suppressed, d.withheld) : `${count(d.count, d.suppressed, d.withheld)} (${pct(d.share)})`,
            ),
            ...(apart.length ? [field(row, 'answered', row.answered)] : []),
          ],
        })),
        note: resultBaseNote(r) ?? '',
      };
    }
    case 'numeric':
      return {
        caption: 'Respondents per range of values',
        headers: ['Range', 'Respondents'],
        rows: r.histogram.map((b) => ({ label: `${num(b.from)} – ${num(b.to)}`, cells: [count(b.count, b.suppressed, b.withheld)] })),
      };
    case 'ranking':
      return {
        caption: 'How often each option was ranked, its mean rank (1 = first) among those who ranked it, and the share ranking it first',
        headers: ['Option', 'Ranked by', 'Mean rank', 'Ranked first'],
        rows: r.options.map((o) => ({ label: o.label, cells: [o.rankedBy === null ? FEWER_THAN_5 : String(o.rankedBy), num(o.meanRank), pct(o.firstShare)] })),
      };
    case 'text':
      return { caption: '', headers: [], rows: [] };
  }
}

/**
 * Lines a label takes once wrapped at {@link LABEL_WRAP} characters: an estimate on the generous
 * side, since wrapping at spaces leaves lines shorter than the limit.
 */
function labelLines(label: string): number {
  return Math.max(1, Math.ceil(label.length / (LABEL_WRAP * 0.8)));
}

/** The chart of a result, sized for the page: a bar's height per line of label, histograms wide and low. */
export function reportChart(r: QuestionResult): ReportChart | null {
  const series = chartSeries(r);
  if (!series?.datasets.some((d) => d.data.some((v) => v !== null))) return null;
  if (series.type === 'histogram') return { series, width: CHART_WIDTH, height: 260 };
  const legend = series.datasets.length > 1 ? 40 : 0;
  const lines = series.labels.reduce((sum, label) => sum + labelLines(label), 0);
  const height = Math.min(760, Math.max(150, 60 + legend + series.labels.length * 14 + lines * 17));
  return { series, width: CHART_WIDTH, height };
}

function reportQuestion(r: QuestionResult, number: number): ReportQuestion {
  const stats =
    r.kind === 'numeric'
      ? [
          { label: 'Mean (95% t interval)', value: `${num(r.mean)}${r.meanCi95 ? ` (${num(r.meanCi95[0])} – ${num(r.meanCi95[1])})` : ''}` },
          { label: 'Standard deviation', value: num(r.sd) },
          {
            label: 'Median (distribution-free interval)',
            value: `${num(r.median)}${r.medianCi ? ` (${num(r.medianCi.lower)} – ${num(r.medianCi.upper)}, ${pct(r.medianCi.coverage)} coverage)` : ''}`,
          },
          { label: 'Quartiles', value: r.quartiles ? r.quartiles.map((q) => num(q)).join(' · ') : '—' },
        ]
      : [];
  // A release counts who answered each row of a matrix and each ranked option, not the question.
  const perItem = r.n === null && (r.kind === 'ranking' || (r.kind === 'scale' && r.rows.length > 1));
  return { id: r.questionId, number, text: r.text, answered: perItem ? null : field(r, 'n', r.n), chart: reportChart(r), stats, table: resultTable(r) };
}

export interface ReportInput {
  definition: SurveyDefinition;
  /** The version label of the current definition ("1.0"). */
  version: string;
  /** The live, exact analysis of the Assessment Team. */
  analysis: SurveyAnalysis;
  overall: StateCounts;
  byKind: StateCounts[];
  byRegion: StateCounts[];
  kindLabel: (group: string | null) => string;
  now: Date;
}

/** The published questions in questionnaire order under their section titles; questions without a result are skipped. */
export function reportSections(definition: SurveyDefinition, analysis: SurveyAnalysis): ReportModel['sections'] {
  const results = new Map(analysis.questions.map((q) => [q.questionId, q]));
  const numbers = questionNumbers(definition);
  return definition.sections
    .map((section) => ({
      id: section.id,
      title: section.title.en,
      questions: section.questions.flatMap((q) => {
        const r = results.get(q.id);
        return r && r.kind !== 'text' && !leftOutBecause(q) ? [reportQuestion(r, numbers.get(q.id)!)] : [];
      }),
    }))
    .filter((s) => s.questions.length > 0);
}

export function leftOutCounts(definition: SurveyDefinition): ReportModel['leftOut'] {
  const leftOut = { text: 0, country: 0, identifying: 0 };
  for (const q of allQuestions(definition)) {
    const reason = leftOutBecause(q);
    if (reason) leftOut[reason]++;
  }
  return leftOut;
}

const isHidden = (cell: string) => cell === FEWER_THAN_5 || cell === WITHHELD;

/** Every figure of the report that reads "fewer than 5" or "withheld". */
export function hiddenFigures(m: Omit<ReportModel, 'hiddenCells'>): number {
  const tables = [m.byKind, m.byRegion, ...m.sections.flatMap((s) => s.questions.map((q) => q.table)), ...(m.trends?.questions.map((q) => q.table) ?? [])];
  const answeredHidden = m.sections.flatMap((s) => s.questions).filter((q) => q.answered !== null && isHidden(q.answered)).length;
  return tables.reduce((sum, t) => sum + t.rows.reduce((n, row) => n + row.cells.filter(isHidden).length, 0), answeredHidden) + (isHidden(m.responses) ? 1 : 0);
}

/**
 * The live report of one questionnaire: every question with exact figures, for the Assessment
 * Team (confidential: nothing in it is protected for publication).
 */
export function buildReportModel(input: ReportInput): ReportModel {
  const { definition, analysis } = input;
  const model = {
    source: { kind: 'live' } as const,
    surveyId: analysis.surveyId,
    title: definition.title.en,
    version: input.version,
    dataDay: input.now.toISOString().slice(0, 10),
    window: { opens: definition.opens, closes: definition.closes },
    responses: String(analysis.responses ?? 0),
    excluded: String(analysis.excluded ?? 0),
    byKind: responseRateTable(
      'Invited respondents and responses analysed, by stakeholder kind',
      'Stakeholder kind',
      input.byKind,
      input.overall,
      input.kindLabel,
    ),
    byRegion: responseRateTable(
      'Invited respondents and responses analysed, by region (UN M49)',
      'Region',
      input.byRegion,
      input.overall,
      (g) => g ?? 'No region',
    ),
    leftOut: leftOutCounts(definition),
    sections: reportSections(definition, analysis),
  };
  return { ...model, hiddenCells: hiddenFigures(model) };
}
