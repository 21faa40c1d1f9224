/**
 * SQL of the demo: is the database empty, which ids to use, and multi-row inserts of a batch.
 */
import { sql, type Insertable, type Transaction } from 'kysely';
import { applyTally } from '../db/answer-tally.queries.ts';
import type { Db } from '../db/db.ts';
import type { AnswerTable, Database, InvitationTable, RespondentTable, ResponseRevisionTable, ResponseTable, SubmissionTable } from '../db/schema.ts';

/** How many respondents and responses does the database already hold? */
export async function countExistingData(db: Db): Promise<{ respondents: number; responses: number }> {
  const row = await db
    .selectNoFrom((eb) => [
      eb.selectFrom('respondent').select(sql<number>`count(*)::int`.as('n')).as('respondents'),
      eb.selectFrom('response').select(sql<number>`count(*)::int`.as('n')).as('responses'),
    ])
    .executeTakeFirstOrThrow();
  return { respondents: Number(row.respondents ?? 0), responses: Number(row.responses ?? 0) };
}

/**
 * Which ids will the next `count` rows of a table get? Taken from the table's own sequence (which
 * never hands a value out twice, even outside a transaction), so that the rows of one batch can
 * refer to each other before they are inserted.
 */
export async function allocateIds(db: Db, table: 'respondent' | 'response', count: number): Promise<number[]> {
  if (count === 0) return [];
  const { rows } = await sql<{
    id: string | number | bigint;
  }>`select nextval(pg_get_serial_sequence(${table}, 'id')) as id from generate_series(1, ${count})`.execute(db);
  return rows.map((r) => Number(r.id));
}

export interface DemoRows {
  respondents: Insertable<RespondentTable>[];
  invitations: Insertable<InvitationTable>[];
  responses: Insertable<ResponseTable>[];
  revisions: Insertable<ResponseRevisionTable>[];
  answers: Insertable<AnswerTable>[];
  submissions: Insertable<SubmissionTable>[];
}

/**
 * Bound parameters per multi-row insert: measured fastest on PGlite and PostgreSQL alike (larger
 * statements cost more to parse than they save), and well below PostgreSQL's limit of 65,535.
 */
const MAX_PARAMETERS = 8_000;
/** Answer rows per insert from arrays. */
const ANSWER_CHUNK = 20_000;

/** Inserts rows in as few statements as the parameter limit allows. */
async function insertChunked<R extends object>(rows: R[], insert: (chunk: R[]) => Promise<unknown>): Promise<void> {
  if (!rows.length) return;
  const perRow = Object.keys(rows[0]!).length;
  const size = Math.max(1, Math.floor(MAX_PARAMETERS / perRow));
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

/** Stores one batch of demo data, parents before children. */
export async function insertDemoRows(trx: Transaction<Database>, rows: DemoRows): Promise<void> {
  await insertChunked(rows.respondents, (chunk) => trx.insertInto('respondent').values(chunk).execute());
  await insertChunked(rows.invitations, (chunk) => trx.insertInto('invitation').values(chunk).execute());
  await insertChunked(rows.responses, (chunk) => trx.insertInto('response').values(chunk).execute());
  await insertChunked(rows.revisions, (chunk) => trx.insertInto('response_revision').values(chunk).execute());
  for (let i = 0; i < rows.answers.length; i += ANSWER_CHUNK) await insertAnswerRows(trx, rows.answers.slice(i, i + ANSWER_CHUNK));
  await insertChunked(rows.submissions, (chunk) => trx.insertInto('submission').values(chunk).execute());
  // Demo responses are submitted at their only revision: the submitted rows are the saved ones.
  const submitted = rows.submissions.map((s) => s.response_id);
  if (submitted.length) {
    await sql`insert into submitted_answer (response_id, question_id, item, code, number, text)
      select response_id, question_id, item, code, number, text from answer where response_id = any(${submitted}::int[])`.execute(trx);
  }
  await applyTally(
    trx,
    rows.responses.map((r) => r.id!),
    1,
  );
}

/**
 * Answer rows are most of the volume (about 75 per response): they go in as six arrays, one
 * parameter per column, which PGlite takes in a quarter of the time of a multi-row VALUES list.
 */
async function insertAnswerRows(trx: Transaction<Database>, rows: Insertable<AnswerTable>[]): Promise<void> {
  const column = <K extends keyof Insertable<AnswerTable>>(key: K) => rows.map((r) => r[key] ?? null);
  await sql`
    insert into answer (response_id, question_id, item, code, number, text)
    select * from unnest(
      ${column('response_id')}::int[], ${column('question_id')}::text[], ${rows.map((r) => r.item ?? '')}::text[],
      ${column('code')}::text[], ${column('number')}::float8[], ${column('text')}::text[]
    )`.execute(trx);
}
