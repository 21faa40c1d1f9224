/**
 * The ceiling of the submission benchmark: the rows the server writes for one submission (a full
 * save, then a submit), written with the bare driver (`pg`, or PGlite's own query API), in the
 * same two transactions with the same row locks, but with no HTTP, no validation and no Kysely.
 * Answer rows, hidden questions and JSON were derived beforehand (see submission-workload.ts).
 *
 * Two variants:
 * - `writes`: only what changes the database (the ceiling the HTTP figure is compared with):
 *   [start the response if missing, lock it, update it, insert the revision, delete and insert
 *   the answer rows]; then [lock the response, insert the submission, update the response]; with
 *   `tallies`, also the dashboard's running counts the server keeps in the same transactions
 *   (out and back in around an amendment, in at a first submission).
 * - `all`: every statement the server issues for the pair, reads included: the invitation looked
 *   up by token hash (twice), the respondent, the current questionnaire version and the version
 *   of the response (its whole definition, three times), and the stored answers (twice).
 */
import type { PGlite, Transaction as PGliteTransaction } from '@electric-sql/pglite';
import type pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { Database } from '../server/db/schema.ts';
import { hashToken } from '../server/respondents/tokens.ts';
import { tallyDeltaStatement } from '../server/db/answer-tally.queries.ts';
import type { AnswerSet, InvitedGovernment } from './submission-workload.ts';

export type RawVariant = 'writes' | 'all';

/** The little a submission needs from a driver: one statement, or several in a transaction. */
export interface RawDriver {
  query(text: string, params: unknown[]): Promise<Record<string, unknown>[]>;
  transaction<T>(work: (query: RawDriver['query']) => Promise<T>): Promise<T>;
}

/** A `pg` pool: single statements take any connection, a transaction holds one (as Kysely does). */
export function pgDriver(pool: pg.Pool): RawDriver {
  return {
    async query(text, params) {
      return (await pool.query(text, params)).rows;
    },
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await work(async (text, params) => (await client.query(text, params)).rows);
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
  };
}

/** PGlite's single session: its `query` waits for an open `transaction`, as Kysely's dialect does. */
export function pgliteDriver(pglite: PGlite): RawDriver {
  return {
    async query(text, params) {
      return (await pglite.query<Record<string, unknown>>(text, params)).rows;
    },
    transaction(work) {
      return pglite.transaction(async (tx: PGliteTransaction) => work(async (text, params) => (await tx.query<Record<string, unknown>>(text, params)).rows));
    },
  };
}

const ANSWER_COLUMNS = 6;

/** `insert into answer ... values (...), (...)`, one row per answered value, as Kysely builds it. */
function answerInsert(responseId: number, set: AnswerSet): { text: string; params: unknown[] } {
  const params: unknown[] = [];
  const tuples = set.rows.map((r, i) => {
    params.push(r.question_id, r.item, r.code, r.number, r.text, responseId);
    const n = i * ANSWER_COLUMNS;
    return `($${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}, $${n + 5}, $${n + 6})`;
  });
  return { text: `insert into answer (question_id, item, code, number, text, response_id) values ${tuples.join(', ')}`, params };
}

/**
 * The dashboard's running counts: the very statement the server sends (`tallyDeltaStatement` in
 * server/db/answer-tally.queries.ts), compiled to SQL text once per call and sent through
 * the bare driver: a submitted response's contribution appended as deltas, -1 or +1.
 */
const compiler = new Kysely<Database>({ dialect: new PostgresDialect({ pool: {} as never }) });

async function applyTally(query: RawDriver['query'], responseId: number, sign: 1 | -1): Promise<void> {
  const compiled = tallyDeltaStatement([responseId], sign).compile(compiler);
  await query(compiled.sql, [...compiled.parameters]);
}

const SELECT_INVITATION =
  'select respondent.*, invitation.id as invitation_id, invitation.revoked_at from invitation inner join respondent on respondent.id = invitation.respondent_id where invitation.token_hash = $1';
const SELECT_CURRENT_VERSION =
  'select survey_version.id, survey_version.survey_id, survey_version.version, survey_version.content_hash, survey_version.definition, survey_version.created_at from survey inner join survey_version on survey_version.id = survey.current_version_id where survey.id = $1';
const SELECT_VERSION = 'select id, survey_id, version, content_hash, definition, created_at from survey_version where id = $1';
const SELECT_REVISION = 'select answers from response_revision where response_id = $1 and revision = $2';

/**
 * One submission of `government` with `set`, as the server writes it; returns the new revision.
 * `at` stands for the server's clock (one value per request, as `now()` is read once per request).
 */
export async function rawSubmission(
  driver: RawDriver,
  variant: RawVariant,
  government: InvitedGovernment,
  set: AnswerSet,
  survey: { id: string; versionId: number },
  at: Date,
  tallies: boolean,
): Promise<number> {
  const all = variant === 'all';
  // PUT /answers: invitation and respondent, then one transaction that starts the response if
  // missing, locks it, and writes the revision (amending a submitted response: tallies out and in).
  if (all) {
    await driver.query(SELECT_INVITATION, [hashToken(government.token)]);
    await driver.query('select * from respondent where id = $1', [government.respondentId]);
  }
  const { responseId, revision } = await driver.transaction(async (query) => {
    // `writes` takes the version id known beforehand; the server reads it (with the definition).
    const versionId = all ? ((await query(SELECT_CURRENT_VERSION, [survey.id]))[0]!['id'] as number) : survey.versionId;
    await query('insert into response (respondent_id, survey_version_id, language) values ($1, $2, $3) on conflict (respondent_id) do nothing', [
      government.respondentId,
      versionId,
      government.language,
    ]);
    const [response] = await query('select * from response where respondent_id = $1 for update', [government.respondentId]);
    const id = response!['id'] as number;
    const revision = (response!['revision'] as number) + 1;
    if (all) {
      await query(SELECT_VERSION, [response!['survey_version_id']]);
      if (revision > 1) await query(SELECT_REVISION, [id, revision - 1]);
    }
    await query('update response set revision = $1, hidden_questions = $2, language = $3, updated_at = $4 where id = $5', [
      revision,
      set.hidden,
      government.language,
      at,
      id,
    ]);
    await query('insert into response_revision (response_id, revision, answers, saved_at) values ($1, $2, $3, $4)', [id, revision, set.json, at]);
    await query('delete from answer where response_id = $1', [id]);
    if (set.rows.length) {
      const insert = answerInsert(id, set);
      await query(insert.text, insert.params);
    }
    return { responseId: id, revision };
  });
  // POST /submit: invitation, then one transaction.
  if (all) await driver.query(SELECT_INVITATION, [hashToken(government.token)]);
  await driver.transaction(async (query) => {
    const [response] = await query('select * from response where respondent_id = $1 for update', [government.respondentId]);
    if (all) {
      await query(SELECT_VERSION, [response!['survey_version_id']]);
      await query(SELECT_REVISION, [responseId, revision]);
    }
    const [inserted] = await query(
      'insert into submission (response_id, revision, survey_version_id, answers, submitted_at) values ($1, $2, $3, $4, $5) on conflict (response_id, revision) do nothing returning id, submitted_at',
      [responseId, revision, response!['survey_version_id'], set.json, at],
    );
    if (!inserted) throw new Error(`revision ${revision} of response ${responseId} was already submitted`);
    const resubmission = response!['status'] === 'submitted';
    if (resubmission && tallies) await applyTally(query, responseId, -1);
    await query(
      'update response set status = $1, submitted_revision = $2, submitted_at = $3, first_submitted_at = coalesce(first_submitted_at, $4), submitted_hidden_questions = hidden_questions where id = $5',
      ['submitted', revision, at, at, responseId],
    );
    await query('delete from submitted_answer where response_id = $1', [responseId]);
    await query(
      'insert into submitted_answer (response_id, question_id, item, code, number, text) select response_id, question_id, item, code, number, text from answer where response_id = $1',
      [responseId],
    );
    if (tallies) await applyTally(query, responseId, 1);
  });
  return revision;
}
