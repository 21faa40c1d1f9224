/**
 * The "Change since <earlier phase>" section of a release's printable report: for the report's
 * group, each tied question's answers with both phases' counts and shares as the two releases
 * publish them, and the change in percentage points where both shares are shown.
 */
import { hiddenLabel } from '../../analysis/results.ts';
import { ANSWERED, SUBSTANTIVE, type PublishedRelease } from '../../analysis/disclosure/release-model.ts';
import { trendChange, trendShare, type ReleaseTrendTable, type TrendCell } from '../../analysis/disclosure/release-trends.ts';
import { allQuestions, type Question, type SurveyDefinition } from '../../survey-definitions/types.ts';
import type { ReportTable, TrendReportSection } from '../analysis/report-model.ts';

/** A code's English label in a question: an option, a scale point, a matrix row, yes/no; else the code. */
export function codeLabel(question: Question | undefined, code: string): string {
  if (!question) return code;
  if (question.type === 'yes_no') return code === 'yes' ? 'Yes' : code === 'no' ? 'No' : 'Don’t know';
  if ('options' in question) {
    const option = question.options.find((o) => o.code === code);
    if (option) return option.label.en;
  }
  if ('scale' in question) {
    const point = [...question.scale.points, ...question.scale.non_substantive].find((p) => p.code === code);
    if (point) return point.label.en;
  }
  if ('rows' in question) {
    const row = question.rows.find((r) => r.code === code);
    if (row) return row.label.en;
  }
  return code;
}

const cellText = (cell: TrendCell | undefined) =>
  cell === undefined || cell === null ? '—' : cell.count === null ? hiddenLabel(cell.why === 'withheld') : String(cell.count);
const shareText = (share: number | null) => (share === null ? '—' : `${(share * 100).toFixed(1)}%`);
const changeText = (points: number | null) => (points === null ? '—' : `${points > 0 ? '+' : points < 0 ? '−' : '±'}${Math.abs(points).toFixed(1)}`);

/** One trend table as a report table for one group. */
function trendTable(table: ReleaseTrendTable, earlierQuestion: Question | undefined, group: string, phases: [number, number]): ReportTable {
  const [before, after] = phases;
  const rows = table.rows
    .filter((r) => r !== ANSWERED && r !== SUBSTANTIVE)
    .map((code) => ({
      label: codeLabel(earlierQuestion, code),
      cells: [
        cellText(table.cells[group]?.[code]?.earlier),
        shareText(trendShare(table, group, code, 'earlier')),
        cellText(table.cells[group]?.[code]?.later),
        shareText(trendShare(table, group, code, 'later')),
        changeText(trendChange(table, group, code)),
      ],
      ...(table.apart.includes(code) ? { apart: true } : {}),
    }));
  const base = table.rows.includes(SUBSTANTIVE) ? SUBSTANTIVE : ANSWERED;
  rows.push({
    label: base === SUBSTANTIVE ? 'Gave a view' : 'Answered',
    cells: [cellText(table.cells[group]?.[base]?.earlier), '100%', cellText(table.cells[group]?.[base]?.later), '100%', ''],
    base: true,
  } as (typeof rows)[number]);
  const item = table.earlier.item ? ` — ${codeLabel(earlierQuestion, table.earlier.item)}` : '';
  return {
    caption: `${earlierQuestion?.text.en ?? table.earlier.questionId}${item}: ${before} and ${after}`,
    headers: ['Answer', `${before}: count`, `${before}: share`, `${after}: count`, `${after}: share`, 'Change (points)'],
    rows,
    note: `Counts and shares as the releases of ${before} and ${after} publish them; a change is given only where both shares are shown.`,
  };
}

/** The section for one group of a release that compares with an earlier phase; null for a release without trends. */
export function trendReportSection(release: PublishedRelease, earlierDefinition: SurveyDefinition | undefined, group: string): TrendReportSection | null {
  if (!release.trendFrom || !release.trends?.length) return null;
  const questions = new Map((earlierDefinition ? allQuestions(earlierDefinition) : []).map((q) => [q.id, q]));
  const phases = release.trendFrom.phases;
  return {
    phases,
    releaseId: release.trendFrom.releaseId,
    questions: release.trends
      .filter((t) => t.cells[group])
      .map((t) => ({
        id: `${t.earlier.questionId}${t.earlier.item ? `.${t.earlier.item}` : ''}`,
        text: questions.get(t.earlier.questionId)?.text.en ?? t.earlier.questionId,
        table: trendTable(t, questions.get(t.earlier.questionId), group, phases),
      })),
  };
}
