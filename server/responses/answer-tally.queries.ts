/**
 * The running counts the dashboard reads (`answer_tally`): for every group of respondents (survey,
 * kind, region, roles), how many submitted responses there are, how many were excluded, and how
 * many gave each code, number, answer or skip to each question. They let the full analysis of a
 * million responses read a few thousand rows instead of every answer.
 *
 * They are kept in step by the writers themselves, in the transaction of the change: whatever
 * alters what a response contributes (its answers while submitted, its submission, its exclusion)
 * takes the response's contribution out before the change and puts it back after
 * (`withTally`). A response contributes only while it is submitted; an excluded one contributes
 * only to the `excluded` count. Contributions are computed in SQL from the stored answer rows, the
 * same rows the analysis scans when it cannot use the tallies (responses in progress).
 *
 * Every writer takes one transaction-scoped advisory lock before touching the counts, so that
 * writers queue instead of deadlocking on rows locked in different orders.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** The advisory lock of the counts (an arbitrary constant shared by every writer). */
const TALLY_LOCK = 720_130_001;

/**
 * Adds (`sign` 1) or removes (-1) the current contribution of the given responses. Responses not
 * submitted contribute nothing, and then no lock is taken.
 */
export async function applyTally(db: Db, responseIds: readonly number[], sign: 1 | -1): Promise<void> {
  if (responseIds.length === 0) return;
  await applyTallyWhere(db, sql`p.id = any(${sql.val([...responseIds])}::int[])`, sign);
}

/** Recomputes every count from the stored answers (after a bulk load, or to check the counts). */
export async function rebuildTallies(db: Db): Promise<void> {
  await sql`select pg_advisory_xact_lock(${TALLY_LOCK})`.execute(db);
  await db.deleteFrom('answer_tally').execute();
  await applyTallyWhere(db, sql`true`, 1);
}

/**
 * Runs a change to submitted responses between taking their contribution out and putting it back.
 * `submitted` false (responses in progress contribute nothing) runs the change alone.
 */
export async function withTally<T>(trx: Transaction<Database>, responseIds: readonly number[], submitted: boolean, change: () => Promise<T>): Promise<T> {
  if (!submitted) return change();
  await applyTally(trx, responseIds, -1);
  const result = await change();
  await applyTally(trx, responseIds, 1);
  return result;
}

async function applyTallyWhere(db: Db, responses: ReturnType<typeof sql>, sign: 1 | -1): Promise<void> {
  const { rows } = await sql<{ any: boolean }>`select exists (select 1 from response p where ${responses} and p.status = 'submitted' and p.revision > 0) as any`.execute(db);
  if (!rows[0]?.any) return;
  await sql`select pg_advisory_xact_lock(${TALLY_LOCK})`.execute(db);
  await sql`
    with r as (
      select p.id, p.hidden_questions, d.survey_id, d.kind, coalesce(d.region, '') as region, d.roles,
             exists (select 1 from response_exclusion x where x.response_id = p.id) as excluded
      from response p join respondent d on d.id = p.respondent_id
      where ${responses} and p.status = 'submitted' and p.revision > 0
    ),
    per_question as (
      select a.response_id, a.question_id, bool_or(a.code is distinct from 'dk') as substantive
      from answer a join r on r.id = a.response_id and not r.excluded
      group by a.response_id, a.question_id
    ),
    c (survey_id, kind, region, roles, metric, question_id, item, code, value) as (
      select survey_id, kind, region, roles, case when excluded then 'excluded' else 'responses' end, '', '', '', 0::float8 from r
      union all
      select survey_id, kind, region, roles, 'hidden', unnest(hidden_questions), '', '', 0::float8 from r where not excluded
      union all
      select r.survey_id, r.kind, r.region, r.roles, 'code', a.question_id, a.item, a.code, 0::float8
      from r join answer a on a.response_id = r.id where not r.excluded and a.code is not null
      union all
      select r.survey_id, r.kind, r.region, r.roles, 'number', a.question_id, a.item, '', a.number
      from r join answer a on a.response_id = r.id where not r.excluded and a.number is not null
      union all
      select r.survey_id, r.kind, r.region, r.roles, 'answered', q.question_id, '', '', 0::float8 from r join per_question q on q.response_id = r.id
      union all
      select r.survey_id, r.kind, r.region, r.roles, 'substantive', q.question_id, '', '', 0::float8 from r join per_question q on q.response_id = r.id where q.substantive
    )
    insert into answer_tally (survey_id, kind, region, roles, metric, question_id, item, code, value, n)
    select survey_id, kind, region, roles, metric, question_id, item, code, value, (count(*) * ${sign})::int
    from c
    group by survey_id, kind, region, roles, metric, question_id, item, code, value
    -- One order for every writer: rows are locked in this order.
    order by survey_id, kind, region, roles, metric, question_id, item, code, value
    on conflict (survey_id, kind, region, roles, metric, question_id, item, code, value) do update set n = answer_tally.n + excluded.n
  `.execute(db);
}
