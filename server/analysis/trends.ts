/**
 * Trends between two phases of the assessment (an earlier questionnaire and a later one asked of
 * the same governments and organisations): every tied question (`trend_key`) with both phases'
 * figures, the change, a paired test over the respondents who answered both, and the overall
 * test. Counting runs in SQL (analysis.queries.ts per phase, trends.queries.ts for the pairs); the
 * figures and tests are pure (trend-figures.ts, trend-summary.ts). Live figures: admins and
 * analysts only.
 */
import type { Kysely } from 'kysely';
import type { AnalysisFilters, Segment } from '../../analysis/results.ts';
import type { TrendsResult } from '../../analysis/trend-results.ts';
import { tieProblems, trendPairs, type TrendPair } from '../../survey-definitions/check-trends.ts';
import { allQuestions, type Question, type SurveyDefinition } from '../../survey-definitions/types.ts';
import type { Database, UserRole } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { countAnsweredByQuestion, countAnswersByCode, countResponses, type AnsweredCount, type CodeCount } from './analysis.queries.ts';
import { loadCurrentDefinition } from './current-definition.ts';
import { segmentLabel } from './group-comparisons.ts';
import { assertLiveViewer } from './live-access.ts';
import { normalizeFilters } from './survey-analysis.ts';
import { inEarlierTerms, trendItems, type PairedCounts, type PhaseCounts } from './trend-figures.ts';
import { finishTrendGroups } from './trend-summary.ts';
import { countPairedCodes, countPairedOptions, countPairs, type PairedCodeCount, type PairedOptionCount, type TiedQuestionIds } from './trends.queries.ts';

/** Only where the two differ: the SQL maps these, the rest stays as it is. */
const differing = (map: Record<string, string>) => Object.fromEntries(Object.entries(map).filter(([from, to]) => from !== to));

function tiedIds(pair: TrendPair): TiedQuestionIds {
  // Row and answer codes of a matrix never clash (`surveys check`), so one map serves both.
  const map = differing(pair.codeMap);
  return { earlierId: pair.earlierQuestion.id, laterId: pair.laterQuestion.id, codes: map, rows: map };
}

/** The options of the earlier multiple choices, "don't know" aside. */
function optionsOf(pairs: readonly TrendPair[]) {
  return pairs.flatMap(({ earlierQuestion: q, laterQuestion }) =>
    q.type === 'multi_choice' ? q.options.filter((o) => o.code !== 'dk').map((o) => ({ earlierId: q.id, laterId: laterQuestion.id, code: o.code })) : [],
  );
}

/** Types a trend compares; numbers and rankings are tied by `surveys check` but not yet compared. */
const COMPARED: readonly Question['type'][] = ['scale', 'matrix', 'yes_no', 'single_choice', 'multi_choice'];

/** The later questions with a trend key the earlier questionnaire uses that are not compared, and why. */
function notCompared(earlier: SurveyDefinition, later: SurveyDefinition, paired: readonly TrendPair[]): TrendsResult['notCompared'] {
  const earlierByKey = new Map(
    allQuestions(earlier)
      .flatMap((q) => (q.trend_key ? [[q.trend_key, q] as const] : []))
      .reverse(),
  );
  return allQuestions(later).flatMap((question) => {
    const match = question.trend_key ? earlierByKey.get(question.trend_key) : undefined;
    if (!question.trend_key || !match) return [];
    const pair = paired.find((p) => p.laterQuestion.id === question.id);
    const reason = pair
      ? COMPARED.includes(question.type)
        ? undefined
        : `${question.type} questions are not compared between phases.`
      : tieProblems(match, question, 'the earlier question').join(' ') || 'the two questions do not compare.';
    return reason ? [{ trendKey: question.trend_key, earlierQuestionId: match.id, laterQuestionId: question.id, text: question.text.en, reason }] : [];
  });
}

function phaseCounts(questionId: string, segment: string | null, codes: readonly CodeCount[], answered: readonly AnsweredCount[]): PhaseCounts {
  return {
    codes: codes.filter((c) => c.questionId === questionId && c.segment === segment),
    substantive: answered.find((a) => a.questionId === questionId && a.segment === segment)?.substantive ?? 0,
  };
}

function pairedCounts(questionId: string, segment: string | null, cells: readonly PairedCodeCount[], options: readonly PairedOptionCount[]): PairedCounts {
  return {
    cells: cells.filter((c) => c.questionId === questionId && c.segment === segment),
    options: options.filter((o) => o.questionId === questionId && o.segment === segment),
  };
}

/**
 * The trends from questionnaire `fromId` (the earlier phase) to `toId` (the later), for the
 * responses matching `filters`, for all of them or per group of `by`. p-values are Holm-adjusted
 * across every test returned. Throws `not_found` for an unknown questionnaire, `bad_request` when
 * the two are the same, `forbidden` for an observer.
 *
 * @example
 * await trendsBetween(db, 'government-look-back-2011', 'government-stocktake-2012', {}, { role: 'analyst' });
 */
export async function trendsBetween(
  db: Kysely<Database>,
  fromId: string,
  toId: string,
  filters: AnalysisFilters,
  viewer: { role: UserRole; now?: Date },
  by?: Segment,
): Promise<TrendsResult> {
  assertLiveViewer(viewer.role);
  if (fromId === toId) throw new AppError('bad_request', 'Trends compare two different questionnaires: give the earlier phase as from and the later as to.');
  const [earlier, later] = await Promise.all([loadCurrentDefinition(db, fromId), loadCurrentDefinition(db, toId)]);
  const all = trendPairs(earlier, later);
  const pairs = all.filter((p) => COMPARED.includes(p.earlierQuestion.type));
  const singleValued = pairs.filter((p) => p.earlierQuestion.type !== 'multi_choice');
  const [totalsFrom, totalsTo, codesFrom, codesTo, answeredFrom, answeredTo, pairCounts, cells, options] = await Promise.all([
    countResponses(db, fromId, filters),
    countResponses(db, toId, filters),
    countAnswersByCode(
      db,
      fromId,
      filters,
      by,
      pairs.map((p) => p.earlierQuestion.id),
    ),
    countAnswersByCode(
      db,
      toId,
      filters,
      by,
      pairs.map((p) => p.laterQuestion.id),
    ),
    countAnsweredByQuestion(
      db,
      fromId,
      filters,
      by,
      pairs.map((p) => p.earlierQuestion.id),
    ),
    countAnsweredByQuestion(
      db,
      toId,
      filters,
      by,
      pairs.map((p) => p.laterQuestion.id),
    ),
    countPairs(db, fromId, toId, filters, by),
    countPairedCodes(db, fromId, toId, filters, singleValued.map(tiedIds), by),
    countPairedOptions(db, fromId, toId, filters, pairs.map(tiedIds), optionsOf(pairs), by),
  ]);

  const keys: (string | null)[] = by ? [...new Set([...answeredFrom, ...answeredTo].flatMap((a) => (a.segment === null ? [] : [a.segment])))].sort() : [null];
  const groups = keys.map((key) => ({
    key: key ?? 'all',
    label: key === null || !by ? 'All respondents' : segmentLabel(by, key).label,
    pairs: pairCounts.find((p) => p.segment === key)?.pairs ?? 0,
    items: pairs.flatMap((pair) =>
      trendItems(
        pair,
        phaseCounts(pair.earlierQuestion.id, key, codesFrom, answeredFrom),
        inEarlierTerms(pair, phaseCounts(pair.laterQuestion.id, key, codesTo, answeredTo)),
        pairedCounts(pair.earlierQuestion.id, key, cells, options),
      ),
    ),
  }));

  const phase = (id: string, definition: typeof earlier, responses: number) => ({
    surveyId: id,
    title: definition.title.en,
    phase: definition.phase ?? null,
    responses,
  });
  return {
    from: phase(fromId, earlier, totalsFrom.responses),
    to: phase(toId, later, totalsTo.responses),
    filters: normalizeFilters(filters),
    by: by ?? null,
    generatedAt: (viewer.now ?? new Date()).toISOString(),
    groups: finishTrendGroups(groups),
    notCompared: notCompared(earlier, later, all),
  };
}
