/**
 * The SQL of the Assessment Team's dashboard. Each function answers one question about the
 * responses to a survey, counting in the database (GROUP BY over `answer`, one row per answered
 * value), so Node receives tables of counts, never every response.
 *
 * Every query covers the responses of all versions of the survey (question ids are stable across
 * versions), narrowed by the filters, and always leaves out excluded responses (except
 * `countResponses`, which reports how many were left out). Counts are cast to `int` in SQL: the pg
 * driver would return `count(*)` as a string, PGlite as a number.
 */
import { sql } from 'kysely';
import type { AnalysisFilters, Segment } from '../../analysis/results.ts';
import type { Db } from '../db/db.ts';
import type { RespondentRow } from '../db/schema.ts';
import { tallyAnsweredByQuestion, tallyAnswersByCode, tallyHiddenByQuestion, tallyNumericValues, tallyRanks, tallyResponses } from './tally.queries.ts';

/**
 * Figures of submitted responses come from the running counts (`tally.queries.ts`); those that
 * include responses in progress (`status: 'all'`) are counted from the answer rows.
 */
const fromTallies = (filters: AnalysisFilters) => countsSubmissions(filters);

export const countResponses = (db: Db, surveyId: string, filters: AnalysisFilters) =>
  fromTallies(filters) ? tallyResponses(db, surveyId, filters) : scanCountResponses(db, surveyId, filters);
export const countAnswersByCode = (db: Db, surveyId: string, filters: AnalysisFilters, segment?: Segment, questionIds?: readonly string[]) =>
  fromTallies(filters) ? tallyAnswersByCode(db, surveyId, filters, segment, questionIds) : scanCountAnswersByCode(db, surveyId, filters, segment, questionIds);
export const countAnsweredByQuestion = (db: Db, surveyId: string, filters: AnalysisFilters, segment?: Segment, questionIds?: readonly string[]) =>
  fromTallies(filters)
    ? tallyAnsweredByQuestion(db, surveyId, filters, segment, questionIds)
    : scanCountAnsweredByQuestion(db, surveyId, filters, segment, questionIds);
export const countHiddenByQuestion = (db: Db, surveyId: string, filters: AnalysisFilters) =>
  fromTallies(filters) ? tallyHiddenByQuestion(db, surveyId, filters) : scanCountHiddenByQuestion(db, surveyId, filters);
export const countNumericValues = (db: Db, surveyId: string, filters: AnalysisFilters, questionIds: readonly string[], segment?: Segment) =>
  fromTallies(filters) ? tallyNumericValues(db, surveyId, filters, questionIds, segment) : scanCountNumericValues(db, surveyId, filters, questionIds, segment);
export const countRanks = (db: Db, surveyId: string, filters: AnalysisFilters, questionIds: readonly string[]) =>
  fromTallies(filters) ? tallyRanks(db, surveyId, filters, questionIds) : scanCountRanks(db, surveyId, filters, questionIds);

/**
 * Responses of the survey that match the filters (exclusions not applied). "Submitted" is the
 * default; with `status: 'all'` responses in progress count too, but not those opened and never
 * saved (revision 0), which hold no answer at all.
 */
function filteredResponses(db: Db, surveyId: string, filters: AnalysisFilters) {
  let query = db
    .selectFrom('response')
    .innerJoin('respondent', 'respondent.id', 'response.respondent_id')
    .where('respondent.survey_id', '=', surveyId)
    .where('response.revision', '>', 0);
  if ((filters.status ?? 'submitted') === 'submitted') query = query.where('response.status', '=', 'submitted');
  if (filters.kind?.length) query = query.where('respondent.kind', 'in', filters.kind as RespondentRow['kind'][]);
  if (filters.region?.length) query = query.where('respondent.region', 'in', filters.region);
  // Any of the roles: array overlap, one bound parameter per role.
  if (filters.role?.length) query = query.where(sql<boolean>`respondent.roles && array[${sql.join(filters.role)}]::text[]`);
  return query;
}

/**
 * The group a response belongs to. For `role` a response has one row per role it holds (a
 * Troika member who also sits on the Steering Group is counted in both groups) and none without
 * roles; for `region`, null when the respondent has no country.
 */
function segmentValue(segment: Segment | undefined) {
  switch (segment) {
    case 'kind':
      return sql<string | null>`respondent.kind`;
    case 'region':
      return sql<string | null>`respondent.region`;
    case 'role':
      return sql<string | null>`unnest(respondent.roles)`;
    default:
      return sql<string | null>`null::text`;
  }
}

/**
 * Figures of submitted responses count the answers of each response's latest submission; with
 * `status: 'all'` they count the latest saved answers of every response.
 */
const countsSubmissions = (filters: AnalysisFilters): boolean => (filters.status ?? 'submitted') === 'submitted';

/**
 * The responses figures rest on: filtered, not excluded, with their segment and the questions skip
 * logic hid in the answers counted.
 */
function coveredResponses(db: Db, surveyId: string, filters: AnalysisFilters, segment?: Segment) {
  const hidden = countsSubmissions(filters) ? sql<string[]>`response.submitted_hidden_questions` : sql<string[]>`response.hidden_questions`;
  return filteredResponses(db, surveyId, filters)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('response_exclusion').select('response_exclusion.response_id').whereRef('response_exclusion.response_id', '=', 'response.id'))),
    )
    .select(['response.id as response_id', hidden.as('hidden_questions'), segmentValue(segment).as('segment')]);
}

/**
 * Answer rows of the covered responses (those submitted, or the latest saved: see
 * {@link countsSubmissions}), as `answer`, optionally limited to some questions. The one
 * definition of which answers the figures rest on, also used for the free-text answers.
 */
export function coveredAnswers(db: Db, surveyId: string, filters: AnalysisFilters, segment?: Segment, questionIds?: readonly string[]) {
  // Both tables have the same columns; the alias lets one query read either.
  const answers = (countsSubmissions(filters) ? 'submitted_answer as answer' : 'answer') as 'answer';
  let query = db.selectFrom(coveredResponses(db, surveyId, filters, segment).as('r')).innerJoin(answers, 'answer.response_id', 'r.response_id');
  if (questionIds) query = query.where('answer.question_id', 'in', [...questionIds]);
  return query;
}

/** How many responses match the filters, and how many of those were excluded from the analysis? */
export async function scanCountResponses(db: Db, surveyId: string, filters: AnalysisFilters): Promise<{ responses: number; excluded: number }> {
  const row = await filteredResponses(db, surveyId, filters)
    .leftJoin('response_exclusion', 'response_exclusion.response_id', 'response.id')
    .select([
      sql<number>`(count(*) filter (where response_exclusion.response_id is null))::int`.as('responses'),
      sql<number>`count(response_exclusion.response_id)::int`.as('excluded'),
    ])
    .executeTakeFirstOrThrow();
  return { responses: Number(row.responses), excluded: Number(row.excluded) };
}

export interface CodeCount {
  questionId: string;
  /** Matrix row (or ranked option); '' otherwise. */
  item: string;
  code: string;
  /** The group (kind, region or role); null when no segment was asked for. */
  segment: string | null;
  /** Distinct responses that gave this code. */
  respondents: number;
}

/**
 * How many respondents gave each code to each question (and matrix row), per segment? Counts
 * distinct responses, so a multiple choice counts respondents, not rows.
 */
export async function scanCountAnswersByCode(
  db: Db,
  surveyId: string,
  filters: AnalysisFilters,
  segment?: Segment,
  questionIds?: readonly string[],
): Promise<CodeCount[]> {
  if (questionIds?.length === 0) return [];
  const rows = await coveredAnswers(db, surveyId, filters, segment, questionIds)
    .where('answer.code', 'is not', null)
    // One row per (response, question, item, code): validation refuses a code given twice, so
    // count(*) counts respondents. count(DISTINCT) would sort every answer row instead of hashing.
    .select(['answer.question_id', 'answer.item', 'answer.code', 'r.segment', sql<number>`count(*)::int`.as('respondents')])
    .groupBy(['answer.question_id', 'answer.item', 'answer.code', 'r.segment'])
    .orderBy('answer.question_id')
    .orderBy('answer.item')
    .orderBy('answer.code')
    .orderBy('r.segment')
    .execute();
  return rows.map((r) => ({ questionId: r.question_id, item: r.item, code: r.code ?? '', segment: r.segment, respondents: Number(r.respondents) }));
}

export interface AnsweredCount {
  questionId: string;
  segment: string | null;
  /** Responses with at least one answer row for the question. */
  respondents: number;
  /**
   * Responses with at least one answer other than the code `dk` (the "don't know" of choice
   * questions): the base of a multiple choice's shares.
   */
  substantive: number;
}

/** How many respondents answered each question (any row, any value), per segment? */
export async function scanCountAnsweredByQuestion(
  db: Db,
  surveyId: string,
  filters: AnalysisFilters,
  segment?: Segment,
  questionIds?: readonly string[],
): Promise<AnsweredCount[]> {
  if (questionIds?.length === 0) return [];
  // First one row per (question, segment, response), then count those: a hash aggregate, where
  // count(DISTINCT response_id) sorted every answer row (the slowest statement of the analysis).
  const perResponse = coveredAnswers(db, surveyId, filters, segment, questionIds)
    .select(['answer.question_id', 'r.segment', sql<boolean>`bool_or(answer.code is distinct from 'dk')`.as('has_substantive')])
    .groupBy(['answer.question_id', 'r.segment', 'answer.response_id'])
    .as('per_response');
  const rows = await db
    .selectFrom(perResponse)
    .select([
      'per_response.question_id',
      'per_response.segment',
      sql<number>`count(*)::int`.as('respondents'),
      sql<number>`(count(*) filter (where per_response.has_substantive))::int`.as('substantive'),
    ])
    .groupBy(['per_response.question_id', 'per_response.segment'])
    .orderBy('per_response.question_id')
    .orderBy('per_response.segment')
    .execute();
  return rows.map((r) => ({ questionId: r.question_id, segment: r.segment, respondents: Number(r.respondents), substantive: Number(r.substantive) }));
}

/** For each question, how many covered responses had it hidden by skip logic? */
export async function scanCountHiddenByQuestion(db: Db, surveyId: string, filters: AnalysisFilters): Promise<{ questionId: string; responses: number }[]> {
  const hidden = db
    .selectFrom(coveredResponses(db, surveyId, filters).as('r'))
    .select(sql<string>`unnest(r.hidden_questions)`.as('question_id'))
    .as('h');
  const rows = await db
    .selectFrom(hidden)
    .select(['h.question_id', sql<number>`count(*)::int`.as('responses')])
    .groupBy('h.question_id')
    .orderBy('h.question_id')
    .execute();
  return rows.map((r) => ({ questionId: r.question_id, responses: Number(r.responses) }));
}

export interface ValueCount {
  questionId: string;
  segment: string | null;
  value: number;
  /** Respondents who gave this value. */
  count: number;
}

/**
 * How many respondents gave each value to each numeric question, per segment? A frequency table
 * (GROUP BY the value) from which mean, median, quartiles and histogram are computed.
 */
export async function scanCountNumericValues(
  db: Db,
  surveyId: string,
  filters: AnalysisFilters,
  questionIds: readonly string[],
  segment?: Segment,
): Promise<ValueCount[]> {
  if (questionIds.length === 0) return [];
  const rows = await coveredAnswers(db, surveyId, filters, segment, questionIds)
    .where('answer.code', 'is', null)
    .where('answer.number', 'is not', null)
    .select(['answer.question_id', 'r.segment', sql<number>`answer.number::float8`.as('value'), sql<number>`count(*)::int`.as('count')])
    .groupBy(['answer.question_id', 'r.segment', 'answer.number'])
    .orderBy('answer.question_id')
    .orderBy('r.segment')
    .orderBy('answer.number')
    .execute();
  return rows.map((r) => ({ questionId: r.question_id, segment: r.segment, value: Number(r.value), count: Number(r.count) }));
}

/** How many respondents put each option of each ranking question at each rank? */
export async function scanCountRanks(
  db: Db,
  surveyId: string,
  filters: AnalysisFilters,
  questionIds: readonly string[],
): Promise<{ questionId: string; item: string; rank: number; respondents: number }[]> {
  if (questionIds.length === 0) return [];
  const rows = await coveredAnswers(db, surveyId, filters, undefined, questionIds)
    .where('answer.number', 'is not', null)
    .select(['answer.question_id', 'answer.item', sql<number>`answer.number::int`.as('rank'), sql<number>`count(*)::int`.as('respondents')])
    .groupBy(['answer.question_id', 'answer.item', 'answer.number'])
    .orderBy('answer.question_id')
    .orderBy('answer.item')
    .orderBy('answer.number')
    .execute();
  return rows.map((r) => ({ questionId: r.question_id, item: r.item, rank: Number(r.rank), respondents: Number(r.respondents) }));
}
