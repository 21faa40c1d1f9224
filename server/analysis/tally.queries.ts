/**
 * The dashboard's counts of submitted responses, read from the running counts (`answer_tally`
 * plus the deltas not yet folded into it, kept by the writers: see
 * server/db/answer-tally.queries.ts) instead of the answer rows.
 * Their number grows with the groups of respondents and the distinct values given, not with the
 * responses. Each function returns exactly
 * what its namesake in `analysis.queries.ts` computes from the answer rows for submitted
 * responses (a test holds them equal).
 */
import { sql, type RawBuilder } from 'kysely';
import type { AnalysisFilters, Segment } from '../../analysis/results.ts';
import type { Db } from '../db/db.ts';
import type { AnsweredCount, CodeCount, ValueCount } from './analysis.queries.ts';

type Metric = 'responses' | 'excluded' | 'hidden' | 'answered' | 'substantive' | 'code' | 'number';

/** The filters on the groups of the counts (status is always "submitted" here). */
function groupFilters(filters: AnalysisFilters): RawBuilder<unknown>[] {
  const conditions: RawBuilder<unknown>[] = [];
  if (filters.kind?.length) conditions.push(sql`t.kind in (${sql.join(filters.kind)})`);
  if (filters.region?.length) {
    // '' stands for "no region" in the counts; as in SQL over the respondents, it matches no filter.
    const regions = filters.region.filter((r) => r !== '');
    conditions.push(regions.length ? sql`t.region in (${sql.join(regions)})` : sql`false`);
  }
  if (filters.role?.length) conditions.push(sql`t.roles && array[${sql.join(filters.role)}]::text[]`);
  return conditions;
}

/** The folded counts and the deltas appended since the last fold, which readers add up. */
const COUNTS = sql`(select * from answer_tally union all select * from answer_tally_delta) t`;

function segmentOf(segment: Segment | undefined): { from: RawBuilder<unknown>; value: RawBuilder<string | null> } {
  switch (segment) {
    case 'kind':
      return { from: COUNTS, value: sql`t.kind` };
    case 'region':
      return { from: COUNTS, value: sql`nullif(t.region, '')` };
    case 'role':
      // One row per role held; responses without roles fall in no group.
      return { from: sql`${COUNTS} cross join lateral unnest(t.roles) as s(role)`, value: sql`s.role` };
    default:
      return { from: COUNTS, value: sql`null::text` };
  }
}

interface TallyRow {
  metric: Metric;
  question_id: string;
  item: string;
  code: string;
  value: number;
  segment: string | null;
  n: number;
}

/** Sums the counts of some metrics by question, item, code, value and segment; zero sums left out. */
async function sumTally(
  db: Db,
  surveyId: string,
  filters: AnalysisFilters,
  metrics: readonly Metric[],
  options: { segment?: Segment | undefined; questionIds?: readonly string[] | undefined } = {},
): Promise<TallyRow[]> {
  const { from, value } = segmentOf(options.segment);
  const conditions = [sql`t.survey_id = ${surveyId}`, sql`t.metric in (${sql.join([...metrics])})`, ...groupFilters(filters)];
  if (options.questionIds) conditions.push(sql`t.question_id in (${sql.join([...options.questionIds])})`);
  const { rows } = await sql<TallyRow>`
    select t.metric, t.question_id, t.item, t.code, t.value, ${value} as segment, sum(t.n)::int as n
    from ${from}
    where ${sql.join(conditions, sql` and `)}
    group by t.metric, t.question_id, t.item, t.code, t.value, 6
    having sum(t.n) <> 0
    order by t.question_id, t.item, t.code, 6, t.value
  `.execute(db);
  return rows.map((r) => ({ ...r, value: Number(r.value), n: Number(r.n) }));
}

export async function tallyResponses(db: Db, surveyId: string, filters: AnalysisFilters): Promise<{ responses: number; excluded: number }> {
  const rows = await sumTally(db, surveyId, filters, ['responses', 'excluded']);
  const total = (metric: Metric) => rows.filter((r) => r.metric === metric).reduce((sum, r) => sum + r.n, 0);
  return { responses: total('responses'), excluded: total('excluded') };
}

export async function tallyAnswersByCode(
  db: Db,
  surveyId: string,
  filters: AnalysisFilters,
  segment?: Segment,
  questionIds?: readonly string[],
): Promise<CodeCount[]> {
  if (questionIds?.length === 0) return [];
  const rows = await sumTally(db, surveyId, filters, ['code'], { segment, questionIds });
  return rows.map((r) => ({ questionId: r.question_id, item: r.item, code: r.code, segment: r.segment, respondents: r.n }));
}

export async function tallyAnsweredByQuestion(
  db: Db,
  surveyId: string,
  filters: AnalysisFilters,
  segment?: Segment,
  questionIds?: readonly string[],
): Promise<AnsweredCount[]> {
  if (questionIds?.length === 0) return [];
  const rows = await sumTally(db, surveyId, filters, ['answered', 'substantive'], { segment, questionIds });
  const byKey = new Map<string, AnsweredCount>();
  for (const r of rows) {
    const key = JSON.stringify([r.question_id, r.segment]);
    const count = byKey.get(key) ?? { questionId: r.question_id, segment: r.segment, respondents: 0, substantive: 0 };
    if (r.metric === 'answered') count.respondents = r.n;
    else count.substantive = r.n;
    byKey.set(key, count);
  }
  // Questions answered only with "don't know" have no `substantive` row: their count stays 0.
  return [...byKey.values()].filter((c) => c.respondents > 0);
}

export async function tallyHiddenByQuestion(db: Db, surveyId: string, filters: AnalysisFilters): Promise<{ questionId: string; responses: number }[]> {
  const rows = await sumTally(db, surveyId, filters, ['hidden']);
  return rows.map((r) => ({ questionId: r.question_id, responses: r.n }));
}

export async function tallyNumericValues(
  db: Db,
  surveyId: string,
  filters: AnalysisFilters,
  questionIds: readonly string[],
  segment?: Segment,
): Promise<ValueCount[]> {
  if (questionIds.length === 0) return [];
  // The `number` counts of numeric questions (rows without a code, one per response).
  const rows = await sumTally(db, surveyId, filters, ['number'], { segment, questionIds });
  return rows.map((r) => ({ questionId: r.question_id, segment: r.segment, value: r.value, count: r.n }));
}

export async function tallyRanks(
  db: Db,
  surveyId: string,
  filters: AnalysisFilters,
  questionIds: readonly string[],
): Promise<{ questionId: string; item: string; rank: number; respondents: number }[]> {
  if (questionIds.length === 0) return [];
  const rows = await sumTally(db, surveyId, filters, ['number'], { questionIds });
  return rows.map((r) => ({ questionId: r.question_id, item: r.item, rank: r.value, respondents: r.n }));
}
