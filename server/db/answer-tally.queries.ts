/**
 * The running counts the dashboard reads: for every group of respondents (survey, kind, region,
 * roles), how many submitted responses there are, how many were excluded, and how many gave each
 * code, number, answer or skip to each question. They let the full analysis of a million
 * responses read a few thousand rows instead of every answer.
 *
 * Writers never update a shared count: whatever alters what a response contributes (a submission,
 * which replaces the submitted answers, or its exclusion) appends signed rows to
 * `answer_tally_delta` in the transaction of the change, taking the response's contribution out
 * before the change and putting it back after (`withTally`). Appends never wait for one another,
 * and the response row, locked by every writer, orders the changes of one response. Readers sum
 * `answer_tally` and the deltas; `foldTallyDeltas` (run by the server every few seconds) moves the
 * deltas into `answer_tally`.
 *
 * A response contributes the answers of its latest submission (`submitted_answer`), not changes
 * saved since; an excluded one contributes only to the `excluded` count. Contributions are
 * computed in SQL from the stored rows, the same rows the analysis scans for submitted responses.
 */
import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { Db } from './db.ts';
import type { Database } from './schema.ts';

/** The advisory lock of folding and rebuilding (an arbitrary constant); writers never take it. */
const TALLY_LOCK = 720_130_001;

const KEY = sql.raw('survey_id, kind, region, roles, metric, question_id, item, code, value');

/**
 * Appends the current contribution of the given responses with `sign` 1 (add) or -1 (remove).
 * Responses not submitted contribute nothing.
 */
export async function applyTally(db: Db, responseIds: readonly number[], sign: 1 | -1): Promise<void> {
  if (responseIds.length === 0) return;
  await tallyDeltaStatement(responseIds, sign).execute(db);
}

/** The one statement of {@link applyTally} (the submission benchmark sends it through bare drivers). */
export function tallyDeltaStatement(responseIds: readonly number[], sign: 1 | -1): RawBuilder<unknown> {
  return sql`insert into answer_tally_delta (${KEY}, n) ${contributions(sql`p.id = any(${sql.val([...responseIds])}::int[])`, sign)}`;
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

/**
 * Moves the committed deltas into `answer_tally` (deltas of transactions still open stay for the
 * next fold). Returns the number of delta rows folded.
 */
export async function foldTallyDeltas(trx: Transaction<Database>): Promise<number> {
  await sql`select pg_advisory_xact_lock(${TALLY_LOCK})`.execute(trx);
  const result = await sql`
    with moved as (delete from answer_tally_delta returning ${KEY}, n)
    insert into answer_tally (${KEY}, n)
    select ${KEY}, sum(n)::int from moved group by ${KEY}
    order by ${KEY}
    on conflict (${KEY}) do update set n = answer_tally.n + excluded.n
  `.execute(trx);
  await sql`delete from answer_tally where n = 0`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

/** Recomputes every count from the stored answers (after a bulk load, a restore, or drift). */
export async function rebuildTallies(trx: Transaction<Database>): Promise<void> {
  await sql`select pg_advisory_xact_lock(${TALLY_LOCK})`.execute(trx);
  // Writers append without the lock: take the table lock they conflict with, so that none commits
  // a delta computed before the rebuild's snapshot.
  await sql`lock table answer_tally_delta in share row exclusive mode`.execute(trx);
  await sql`delete from answer_tally_delta`.execute(trx);
  await sql`delete from answer_tally`.execute(trx);
  await sql`insert into answer_tally (${KEY}, n) select ${KEY}, n from (${contributions(sql`true`, 1)}) c order by ${KEY}`.execute(trx);
}

/**
 * How many counts differ from a recount of the answer rows (0 when the counts are right). Reads
 * only; a rebuild repairs any difference.
 */
export async function countTallyDrift(db: Db): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    with kept as (
      select ${KEY}, sum(n)::int as n from (select ${KEY}, n from answer_tally union all select ${KEY}, n from answer_tally_delta) t group by ${KEY}
    ),
    recounted as (${contributions(sql`true`, 1)})
    select count(*)::int as n from kept full join recounted using (${KEY})
    where coalesce(kept.n, 0) <> coalesce(recounted.n, 0)
  `.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/**
 * The contribution of the responses matching `where` (a condition on `response p`), one row per
 * count, multiplied by `sign`. Numbers are counted for numeric questions (rows without a code) and
 * ranking questions (the ranked option is both item and code); scale points are counted by code.
 */
function contributions(where: RawBuilder<unknown>, sign: 1 | -1) {
  return sql`
    with r as (
      select p.id, p.submitted_hidden_questions as hidden_questions, d.survey_id, d.kind, coalesce(d.region, '') as region, d.roles,
             exists (select 1 from response_exclusion x where x.response_id = p.id) as excluded
      from response p join respondent d on d.id = p.respondent_id
      where ${where} and p.status = 'submitted' and p.revision > 0
    ),
    rows as (
      select r.id, r.survey_id, r.kind, r.region, r.roles, a.question_id, a.item, a.code, a.number
      from r join submitted_answer a on a.response_id = r.id where not r.excluded
    ),
    per_question as (
      select survey_id, kind, region, roles, question_id, bool_or(code is distinct from 'dk') as substantive
      from rows group by id, survey_id, kind, region, roles, question_id
    ),
    c (survey_id, kind, region, roles, metric, question_id, item, code, value) as (
      select survey_id, kind, region, roles, case when excluded then 'excluded' else 'responses' end, '', '', '', 0::float8 from r
      union all
      select survey_id, kind, region, roles, 'hidden', unnest(hidden_questions), '', '', 0::float8 from r where not excluded
      union all
      select survey_id, kind, region, roles, 'code', question_id, item, code, 0::float8 from rows where code is not null
      union all
      select survey_id, kind, region, roles, 'number', question_id, item, '', number from rows
      where number is not null and (code is null or (item = code and item <> ''))
      union all
      select survey_id, kind, region, roles, 'answered', question_id, '', '', 0::float8 from per_question
      union all
      select survey_id, kind, region, roles, 'substantive', question_id, '', '', 0::float8 from per_question where substantive
    )
    select ${KEY}, (count(*) * ${sign})::int as n from c group by ${KEY}
  `;
}
