/**
 * The SQL of trends between phases: the same governments and organisations answering an earlier
 * and a later questionnaire. A pair is a later respondent linked to an earlier one
 * (`respondent.previous_respondent_id`) whose responses in both phases are covered: submitted (or,
 * with `status: 'all'`, saved at least once), not excluded, the later respondent matching the
 * filters. Node receives cross-tables of counts (GROUP BY earlier answer, later answer), never the
 * answers of a respondent.
 */
import { sql, type RawBuilder } from 'kysely';
import type { AnalysisFilters, Segment } from '../../analysis/results.ts';
import type { Db } from '../db/db.ts';

/** A tied question pair as the queries need it: ids, and later codes and rows in earlier terms. */
export interface TiedQuestionIds {
  earlierId: string;
  laterId: string;
  /** Later code → earlier code, only where they differ. */
  codes: Readonly<Record<string, string>>;
  /** Later matrix row → earlier row, only where they differ. */
  rows: Readonly<Record<string, string>>;
}

const submittedOnly = (filters: AnalysisFilters) => (filters.status ?? 'submitted') === 'submitted';
/** Submitted figures read each response's latest submission; `status: 'all'` the latest save. */
const answerTable = (filters: AnalysisFilters) => sql.table(submittedOnly(filters) ? 'submitted_answer' : 'answer');

function segmentValue(segment: Segment | undefined): RawBuilder<string | null> {
  switch (segment) {
    case 'kind':
      return sql`p2.kind`;
    case 'region':
      return sql`p2.region`;
    case 'role':
      // One row per role held, as in the dashboard's counts: respondents without roles fall in no group.
      return sql`unnest(p2.roles)`;
    default:
      return sql`null::text`;
  }
}

/** The pairs of covered responses (earlier, later) with the later respondent's group. */
function pairsQuery(fromId: string, toId: string, filters: AnalysisFilters, segment: Segment | undefined): RawBuilder<unknown> {
  const conditions: RawBuilder<unknown>[] = [
    sql`p2.survey_id = ${toId}`,
    sql`p1.survey_id = ${fromId}`,
    sql`r1.revision > 0`,
    sql`r2.revision > 0`,
    sql`not exists (select 1 from response_exclusion x where x.response_id in (r1.id, r2.id))`,
  ];
  if (submittedOnly(filters)) conditions.push(sql`r1.status = 'submitted'`, sql`r2.status = 'submitted'`);
  if (filters.kind?.length) conditions.push(sql`p2.kind in (${sql.join(filters.kind)})`);
  if (filters.region?.length) conditions.push(sql`p2.region in (${sql.join(filters.region)})`);
  if (filters.role?.length) conditions.push(sql`p2.roles && array[${sql.join(filters.role)}]::text[]`);
  return sql`select r1.id as before_id, r2.id as after_id, ${segmentValue(segment)} as segment
    from response r2
    join respondent p2 on p2.id = r2.respondent_id
    join respondent p1 on p1.id = p2.previous_respondent_id
    join response r1 on r1.respondent_id = p1.id
    where ${sql.join(conditions, sql` and `)}`;
}

/** How many pairs of covered responses are there, per group? */
export async function countPairs(
  db: Db,
  fromId: string,
  toId: string,
  filters: AnalysisFilters,
  segment?: Segment,
): Promise<{ segment: string | null; pairs: number }[]> {
  const { rows } = await sql<{ segment: string | null; pairs: number }>`select pairs.segment, count(*)::int as pairs
    from (${pairsQuery(fromId, toId, filters, segment)}) pairs group by pairs.segment order by pairs.segment`.execute(db);
  return rows.map((r) => ({ segment: r.segment, pairs: Number(r.pairs) }));
}

/** `value` mapped through the per-question maps: CASE over (question, value) pairs; the value itself where unmapped. */
function mapped(
  question: RawBuilder<unknown>,
  value: RawBuilder<unknown>,
  maps: readonly { id: string; map: Readonly<Record<string, string>> }[],
): RawBuilder<string> {
  const whens = maps.flatMap(({ id, map }) => Object.entries(map).map(([from, to]) => sql`when ${question} = ${id} and ${value} = ${from} then ${to}`));
  return whens.length ? sql<string>`(case ${sql.join(whens, sql` `)} else ${value} end)` : sql<string>`${value}`;
}

export interface PairedCodeCount {
  /** The earlier question's id. */
  questionId: string;
  /** The matrix row (earlier code), '' for other questions. */
  item: string;
  before: string;
  /** The later answer's code, mapped to the earlier question's code. */
  after: string;
  segment: string | null;
  pairs: number;
}

/**
 * For single-valued questions (scale, matrix row, yes/no, single choice): how many pairs gave each
 * (earlier code, later code), per question, row and group? Later rows and codes are mapped to the
 * earlier question's in SQL, so a renamed option meets its earlier self.
 */
export async function countPairedCodes(
  db: Db,
  fromId: string,
  toId: string,
  filters: AnalysisFilters,
  tied: readonly TiedQuestionIds[],
  segment?: Segment,
): Promise<PairedCodeCount[]> {
  if (tied.length === 0) return [];
  const answers = answerTable(filters);
  const questionPairs = sql.join(tied.map((t) => sql`(${t.earlierId}, ${t.laterId})`));
  const afterItem = mapped(
    sql`a.question_id`,
    sql`a.item`,
    tied.map((t) => ({ id: t.laterId, map: t.rows })),
  );
  const afterCode = mapped(
    sql`a.question_id`,
    sql`a.code`,
    tied.map((t) => ({ id: t.laterId, map: t.codes })),
  );
  // Each part once (MATERIALIZED): the pairs, and each side's coded answers of the tied questions,
  // then joined. Left to itself the planner nests loops of answer rows per pair on tables it has
  // no statistics of yet.
  const { rows } = await sql<{ question_id: string; item: string; before: string; after: string; segment: string | null; pairs: number }>`
    with pairs as materialized (${pairsQuery(fromId, toId, filters, segment)}),
    b as materialized (select a.response_id, a.question_id, a.item, a.code from ${answers} a
      where a.question_id in (${sql.join(tied.map((t) => t.earlierId))}) and a.code is not null),
    l as materialized (select a.response_id, a.question_id, ${afterItem} as item, ${afterCode} as code from ${answers} a
      where a.question_id in (${sql.join(tied.map((t) => t.laterId))}) and a.code is not null)
    select b.question_id, b.item, b.code as before, l.code as after, pairs.segment, count(*)::int as pairs
    from pairs
    join b on b.response_id = pairs.before_id
    join l on l.response_id = pairs.after_id and l.item = b.item
    join (values ${questionPairs}) as q(before_q, after_q) on q.before_q = b.question_id and q.after_q = l.question_id
    group by 1, 2, 3, 4, 5
    order by 1, 2, 3, 4, 5`.execute(db);
  return rows.map((r) => ({ questionId: r.question_id, item: r.item, before: r.before, after: r.after, segment: r.segment, pairs: Number(r.pairs) }));
}

export interface PairedOptionCount {
  questionId: string;
  /** The option (earlier code). */
  option: string;
  chosenBefore: boolean;
  chosenAfter: boolean;
  segment: string | null;
  pairs: number;
}

/**
 * For multiple choices: per option, how many pairs chose it in neither, one or both phases, among
 * the pairs who gave a substantive answer (any option but "don't know") in both phases? One row per
 * (option, chosen before, chosen after, group).
 */
export async function countPairedOptions(
  db: Db,
  fromId: string,
  toId: string,
  filters: AnalysisFilters,
  tied: readonly TiedQuestionIds[],
  options: readonly { earlierId: string; laterId: string; code: string }[],
  segment?: Segment,
): Promise<PairedOptionCount[]> {
  if (options.length === 0) return [];
  const answers = answerTable(filters);
  const values = sql.join(options.map((o) => sql`(${o.earlierId}, ${o.laterId}, ${o.code})`));
  // Later options that stand for one earlier option (one split in two) count once, as that option.
  const afterCode = mapped(
    sql`a.question_id`,
    sql`a.code`,
    tied.map((t) => ({ id: t.laterId, map: t.codes })),
  );
  const earlierIds = sql.join([...new Set(options.map((o) => o.earlierId))]);
  const laterIds = sql.join([...new Set(options.map((o) => o.laterId))]);
  // Per response and question, the codes chosen, kept where one is substantive (not "don't know");
  // each part once (MATERIALIZED), as in countPairedCodes.
  const { rows } = await sql<{ question_id: string; option: string; chosen_before: boolean; chosen_after: boolean; segment: string | null; pairs: number }>`
    with pairs as materialized (${pairsQuery(fromId, toId, filters, segment)}),
    b as materialized (select a.response_id, a.question_id, array_agg(a.code) as codes from ${answers} a
      where a.question_id in (${earlierIds}) and a.code is not null group by 1, 2 having bool_or(a.code <> 'dk')),
    l as materialized (select a.response_id, a.question_id, array_agg(${afterCode}) as codes from ${answers} a
      where a.question_id in (${laterIds}) and a.code is not null group by 1, 2 having bool_or(a.code <> 'dk'))
    select q.before_q as question_id, q.code as option, q.code = any(b.codes) as chosen_before, q.code = any(l.codes) as chosen_after, pairs.segment, count(*)::int as pairs
    from pairs
    join b on b.response_id = pairs.before_id
    join l on l.response_id = pairs.after_id
    join (values ${values}) as q(before_q, after_q, code) on q.before_q = b.question_id and q.after_q = l.question_id
    group by 1, 2, 3, 4, 5
    order by 1, 2, 3, 4, 5`.execute(db);
  return rows.map((r) => ({
    questionId: r.question_id,
    option: r.option,
    chosenBefore: Boolean(r.chosen_before),
    chosenAfter: Boolean(r.chosen_after),
    segment: r.segment,
    pairs: Number(r.pairs),
  }));
}
