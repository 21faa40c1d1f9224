/**
 * Reading and writing responses, their revisions, answer rows and submissions.
 */
import { sql, type Transaction } from 'kysely';
import type { Answers } from '../../survey-definitions/answers.ts';
import type { Db } from '../db/db.ts';
import type { Database, ResponseRow } from '../db/schema.ts';
import type { AnswerRow } from '../db/answer-rows.ts';

/** The response of a respondent, if one was started; `lock` takes a row lock until commit. */
export async function findResponse(db: Db, respondentId: number, options: { lock?: boolean } = {}): Promise<ResponseRow | undefined> {
  let query = db.selectFrom('response').selectAll().where('respondent_id', '=', respondentId);
  if (options.lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** Starts a respondent's response, pinned to a questionnaire version; does nothing if it exists. */
export async function insertResponseIfMissing(trx: Db, respondentId: number, surveyVersionId: number, language: string): Promise<void> {
  await trx
    .insertInto('response')
    .values({ respondent_id: respondentId, survey_version_id: surveyVersionId, language })
    .onConflict((oc) => oc.column('respondent_id').doNothing())
    .execute();
}

/** The answers saved at one revision ({} for revision 0, before the first save). */
export async function getRevisionAnswers(db: Db, responseId: number, revision: number): Promise<Answers | undefined> {
  if (revision === 0) return {};
  const row = await db
    .selectFrom('response_revision')
    .select('answers')
    .where('response_id', '=', responseId)
    .where('revision', '=', revision)
    .executeTakeFirst();
  return row?.answers;
}

/** Stores a new revision: the response row, the revision snapshot and the answer rows. */
export async function writeRevision(
  trx: Transaction<Database>,
  response: { id: number; revision: number },
  change: { answers: Answers; rows: AnswerRow[]; hidden: string[]; language: string; at: Date },
): Promise<void> {
  await trx
    .updateTable('response')
    .set({ revision: response.revision, hidden_questions: change.hidden, language: change.language, updated_at: change.at })
    .where('id', '=', response.id)
    .execute();
  await trx
    .insertInto('response_revision')
    .values({ response_id: response.id, revision: response.revision, answers: JSON.stringify(change.answers), saved_at: change.at })
    .execute();
  await trx.deleteFrom('answer').where('response_id', '=', response.id).execute();
  if (change.rows.length)
    await trx
      .insertInto('answer')
      .values(change.rows.map((r) => ({ ...r, response_id: response.id })))
      .execute();
}

/** Records a submission of a revision; a second submission of the same revision stores nothing. */
export async function insertSubmission(
  trx: Transaction<Database>,
  response: { id: number; revision: number; surveyVersionId: number },
  answers: Answers,
  at: Date,
): Promise<{ id: number; submittedAt: Date; created: boolean }> {
  const inserted = await trx
    .insertInto('submission')
    .values({
      response_id: response.id,
      revision: response.revision,
      survey_version_id: response.surveyVersionId,
      answers: JSON.stringify(answers),
      submitted_at: at,
    })
    .onConflict((oc) => oc.columns(['response_id', 'revision']).doNothing())
    .returning(['id', 'submitted_at'])
    .executeTakeFirst();
  if (inserted) {
    await trx
      .updateTable('response')
      .set({
        status: 'submitted',
        submitted_revision: response.revision,
        submitted_at: at,
        first_submitted_at: sql<Date>`coalesce(first_submitted_at, ${at})`,
        submitted_hidden_questions: sql<string[]>`hidden_questions`,
      })
      .where('id', '=', response.id)
      .execute();
    await copySubmittedRows(trx, response.id);
    return { id: inserted.id, submittedAt: inserted.submitted_at, created: true };
  }
  const existing = await findSubmission(trx, response.id, response.revision);
  if (!existing) throw new Error('submission vanished');
  return { id: existing.id, submittedAt: existing.submittedAt, created: false };
}

/**
 * Makes the answer rows of the latest saved revision those of the latest submission (a response
 * is always submitted at its latest saved revision).
 */
async function copySubmittedRows(trx: Transaction<Database>, responseId: number): Promise<void> {
  await trx.deleteFrom('submitted_answer').where('response_id', '=', responseId).execute();
  await trx
    .insertInto('submitted_answer')
    .columns(['response_id', 'question_id', 'item', 'code', 'number', 'text'])
    .expression((eb) => eb.selectFrom('answer').select(['response_id', 'question_id', 'item', 'code', 'number', 'text']).where('response_id', '=', responseId))
    .execute();
}

/** The submission of one revision, if there is one. */
export async function findSubmission(db: Db, responseId: number, revision: number): Promise<{ id: number; submittedAt: Date; answers: Answers } | undefined> {
  const row = await db
    .selectFrom('submission')
    .select(['id', 'submitted_at', 'answers'])
    .where('response_id', '=', responseId)
    .where('revision', '=', revision)
    .executeTakeFirst();
  return row && { id: row.id, submittedAt: row.submitted_at, answers: row.answers };
}

/** Every submission of a response, oldest first (the history kept when answers are amended). */
export async function listSubmissions(db: Db, responseId: number): Promise<{ id: number; revision: number; submittedAt: Date }[]> {
  const rows = await db.selectFrom('submission').select(['id', 'revision', 'submitted_at']).where('response_id', '=', responseId).orderBy('revision').execute();
  return rows.map((r) => ({ id: r.id, revision: r.revision, submittedAt: r.submitted_at }));
}

/** The respondent a session or link belongs to. */
export async function getRespondent(db: Db, respondentId: number) {
  return db.selectFrom('respondent').selectAll().where('id', '=', respondentId).executeTakeFirst();
}
