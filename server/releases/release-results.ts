/**
 * One group of a release read as analysis results (analysis/results.ts), so that the printable
 * report and its charts draw a release with the same code as the live figures. Pure: every
 * figure here is the release's own count, or a share, interval or average computed from counts
 * the release shows, never from a hidden one.
 *
 * - A hidden count is `null` with `suppressed` (and `withheld` when the release says "withheld").
 * - A share needs its count and its base shown; a mean, median, interval or top-box share needs
 *   every point of its row shown (a partial distribution would give a wrong average).
 * - What a release does not hold reads null: missing and skipped answers, a numeric question's
 *   spread and histogram, a ranking question's number of respondents (a ranked option's base is
 *   the number who ranked it).
 */
import { meanTInterval, median, wilsonInterval } from '../../analysis/index.ts';
import { ANSWERED, SUBSTANTIVE, type PublishedRelease, type ReleaseCell } from '../../analysis/disclosure/release-model.ts';
import { tableKey } from '../../analysis/disclosure/release-tables.ts';
import type {
  ChoiceResult,
  NumericResult,
  OptionCount,
  QuestionResult,
  RankingResult,
  ScaleResult,
  ScaleSummary,
  SurveyAnalysis,
} from '../../analysis/results.ts';
import { allQuestions, type Question, type Scale } from '../../survey-definitions/types.ts';
import { choiceOptions } from '../analysis/question-results.ts';

type Cells = Record<string, ReleaseCell>;

const shown = (cell: ReleaseCell | undefined): number | null => (cell && cell.count !== null ? cell.count : null);
const isWithheld = (cell: ReleaseCell | undefined): boolean => !!cell && cell.count === null && cell.why === 'withheld';

/** A count of the release with its share of `base` (both shown) and 95% Wilson interval. */
function releasedCount(code: string, label: string, cell: ReleaseCell | undefined, base: number | null): OptionCount {
  const count = shown(cell);
  if (count === null) return { code, label, count: null, share: null, ci95: null, suppressed: true, ...(isWithheld(cell) ? { withheld: true } : {}) };
  if (base === null || base === 0) return { code, label, count, share: null, ci95: null };
  const { p, lower, upper } = wilsonInterval(count, base);
  return { code, label, count, share: p, ci95: lower === null || upper === null ? null : [lower, upper] };
}

/** The own counts of a result that are hidden as "withheld" (not themselves small). */
function withheldFields<F extends string>(fields: Record<F, ReleaseCell | undefined>): { withheld?: F[] } {
  const names = (Object.keys(fields) as F[]).filter((name) => isWithheld(fields[name]));
  return names.length ? { withheld: names } : {};
}

function baseOf(question: Question, answered: ReleaseCell | undefined) {
  return {
    questionId: question.id,
    text: question.text.en,
    ...(question.shared_key ? { sharedKey: question.shared_key } : {}),
    n: shown(answered),
    missing: null,
    hidden: null,
  };
}

function choiceResult(question: Question, cells: Cells): ChoiceResult {
  const { substantive: options, nonSubstantive } = choiceOptions(question);
  const answered = cells[ANSWERED];
  // Without codes counted apart, everyone who answered gave a view.
  const substantive = nonSubstantive.length ? cells[SUBSTANTIVE] : answered;
  const substantiveCount = shown(substantive);
  const answeredCount = shown(answered);
  return {
    kind: 'choice',
    ...baseOf(question, answered),
    ...withheldFields({ n: answered, substantive }),
    multiple: question.type === 'multi_choice',
    substantive: substantiveCount,
    options: options.map((o) => releasedCount(o.code, o.label, cells[o.code], substantiveCount)),
    nonSubstantive: nonSubstantive.map((o) => releasedCount(o.code, o.label, cells[o.code], answeredCount)),
  };
}

function scaleRow(scale: Scale, cells: Cells): ScaleSummary {
  const answered = cells[ANSWERED];
  const substantive = scale.non_substantive.length ? cells[SUBSTANTIVE] : answered;
  const n = shown(substantive);
  const answeredCount = shown(answered);
  const points = scale.points.map((p) => ({ value: p.value, count: shown(cells[p.code]) }));
  const complete = n !== null && points.every((p) => p.count !== null);
  const table = complete ? points.map((p) => ({ value: p.value, count: p.count! })) : [];
  const interval = complete ? meanTInterval(table) : null;
  return {
    n,
    answered: answeredCount,
    ...withheldFields({ n: substantive, answered }),
    distribution: scale.points.map((p) => releasedCount(p.code, p.label.en, cells[p.code], n)),
    nonSubstantive: scale.non_substantive.map((o) => releasedCount(o.code, o.label.en, cells[o.code], answeredCount)),
    mean: interval?.mean ?? null,
    median: complete ? median(table) : null,
    ci95: interval && interval.lower !== null && interval.upper !== null ? [interval.lower, interval.upper] : null,
    topBox: complete && n! > 0 && scale.top_box?.length ? scale.top_box.reduce((sum, code) => sum + (shown(cells[code]) ?? 0), 0) / n! : null,
  };
}

function scaleResult(question: Extract<Question, { type: 'scale' | 'matrix' }>, cellsOf: (item: string) => Cells): ScaleResult {
  const rows = question.type === 'matrix' ? question.rows.map((r) => ({ code: r.code, label: r.label.en })) : [{ code: '', label: question.text.en }];
  // A matrix's own n is not a count of the release (each row has its own); a scale's is its row's.
  const first = question.type === 'matrix' ? undefined : cellsOf('')[ANSWERED];
  return {
    kind: 'scale',
    ...baseOf(question, first),
    ...withheldFields({ n: first }),
    scale: question.scale.name,
    topBoxLabels: [...question.scale.points]
      .filter((p) => question.scale.top_box?.includes(p.code))
      .sort((a, b) => b.value - a.value)
      .map((p) => p.label.en),
    rows: rows.map((row) => ({ ...row, ...scaleRow(question.scale, cellsOf(row.code)) })),
  };
}

function numericResult(question: Question, release: PublishedRelease, group: string): NumericResult {
  const figures = release.numeric.find((q) => q.questionId === question.id)?.groups[group];
  return {
    kind: 'numeric',
    ...baseOf(question, figures?.n),
    ...withheldFields({ n: figures?.n }),
    mean: figures?.mean ?? null,
    sd: null,
    meanCi95: null,
    median: figures?.median ?? null,
    medianCi: null,
    quartiles: null,
    min: null,
    max: null,
    histogram: [],
  };
}

function rankingResult(question: Extract<Question, { type: 'ranking' }>, cellsOf: (item: string) => Cells): RankingResult {
  const ranks = question.options.map((_, i) => i + 1);
  return {
    kind: 'ranking',
    ...baseOf(question, undefined),
    options: question.options.map((o) => {
      const cells = cellsOf(o.code);
      const rankedBy = shown(cells[ANSWERED]);
      const counts = ranks.map((rank) => shown(cells[String(rank)]));
      const complete = rankedBy !== null && rankedBy > 0 && counts.every((c) => c !== null);
      const first = counts[0] ?? null;
      return {
        code: o.code,
        label: o.label.en,
        rankedBy,
        meanRank: complete ? counts.reduce<number>((sum, c, i) => sum + c! * (i + 1), 0) / rankedBy : null,
        // Of those who ranked the option: the release does not hold how many answered the question.
        firstShare: rankedBy !== null && rankedBy > 0 && first !== null ? first / rankedBy : null,
        ...(rankedBy === null || first === null ? { suppressed: true } : {}),
      };
    }),
  };
}

/**
 * The results of one group of a release (`all`, `region:Africa`, …), in questionnaire order, for
 * the questions the release tabulates.
 *
 * @throws Error when the release has no such group (the caller checks it against `release.groups`).
 */
export function releaseAnalysis(release: PublishedRelease, definition: Parameters<typeof allQuestions>[0], group: string): SurveyAnalysis {
  if (!release.groups[group]) throw new Error(`Release ${release.id} has no group '${group}'.`);
  const tables = new Map(release.tables.map((t) => [tableKey(t), t]));
  const cellsOf = (questionId: string) => (item: string) => tables.get(tableKey({ questionId, item }))?.cells[group] ?? {};
  const results: QuestionResult[] = [];
  for (const q of allQuestions(definition)) {
    if (!tables.has(q.id) && !release.tables.some((t) => t.questionId === q.id)) continue;
    switch (q.type) {
      case 'single_choice':
      case 'multi_choice':
      case 'yes_no':
        results.push(choiceResult(q, cellsOf(q.id)('')));
        break;
      case 'scale':
      case 'matrix':
        results.push(scaleResult(q, cellsOf(q.id)));
        break;
      case 'numeric':
        results.push(numericResult(q, release, group));
        break;
      case 'ranking':
        results.push(rankingResult(q, cellsOf(q.id)));
        break;
      default:
        break;
    }
  }
  return {
    surveyId: release.surveyId,
    title: definition.title.en,
    filters: {},
    responses: shown(release.respondents[group]),
    excluded: null,
    generatedAt: release.createdAt,
    questions: results,
  };
}
