/**
 * Free-text answers an analyst approved for publication in the anonymised export, with the text
 * as it will be published (names removed) and the SHA-256 of the answer it was approved for. An
 * answer amended since its approval no longer matches and is not published.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { insertAuditEntry } from '../audit/audit.queries.ts';
import type { Database } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { answerSha256 } from './answer-hash.ts';

/** The answer's fingerprint (answer-hash.ts), where the approvals' readers have always found it. */
export { answerSha256 };

/** `approved`: the answer is still the text approved; `changed`: it was amended since; `not_approved`: no approval. */
export type ApprovalStatus = 'approved' | 'changed' | 'not_approved';

export interface TextApproval {
  status: Exclude<ApprovalStatus, 'not_approved'>;
  publishedText: string;
  approvedAt: Date;
}

/**
 * Which answer does a posted approval name: its text as last submitted (what an export publishes)
 * and the questionnaire it belongs to?
 */
export async function getTextAnswer(
  db: Kysely<Database>,
  responseId: number,
  questionId: string,
): Promise<{ surveyId: string; surveyVersionId: number; text: string } | undefined> {
  const row = await db
    .selectFrom('submitted_answer as answer')
    .innerJoin('response', 'response.id', 'answer.response_id')
    .innerJoin('respondent', 'respondent.id', 'response.respondent_id')
    .where('answer.response_id', '=', responseId)
    .where('answer.question_id', '=', questionId)
    .where('answer.text', 'is not', null)
    .select(['respondent.survey_id', 'response.survey_version_id', 'answer.text'])
    .orderBy('answer.item')
    .executeTakeFirst();
  return row && { surveyId: row.survey_id, surveyVersionId: row.survey_version_id, text: row.text ?? '' };
}

/** The e-mail of the member acting, for the audit log (which names people, not ids). */
async function actorEmail(trx: Transaction<Database>, userId: number): Promise<string> {
  const user = await trx.selectFrom('app_user').select('email').where('id', '=', userId).executeTakeFirst();
  return user?.email ?? `user:${userId}`;
}

/**
 * Approves an answer for publication as `publishedText` (replacing an earlier approval), and
 * audits `text.approve` in the same transaction. The audit entry holds the question and the
 * answer's hash, never its text.
 *
 * @example await approveText(db, { responseId: 7, questionId: 'q_comment', answerText: 'Maria said…', publishedText: '[removed] said…', userId: 2 });
 */
export async function approveText(
  db: Kysely<Database>,
  input: { responseId: number; questionId: string; answerText: string; publishedText: string; userId: number },
): Promise<void> {
  const sha256 = answerSha256(input.answerText);
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('text_approval')
      .values({
        response_id: input.responseId,
        question_id: input.questionId,
        answer_sha256: sha256,
        published_text: input.publishedText,
        approved_by: input.userId,
      })
      .onConflict((oc) =>
        oc
          .columns(['response_id', 'question_id'])
          .doUpdateSet({ answer_sha256: sha256, published_text: input.publishedText, approved_by: input.userId, approved_at: sql`now()` }),
      )
      .execute();
    await insertAuditEntry(trx, {
      actor: await actorEmail(trx, input.userId),
      action: 'text.approve',
      subject: `response:${input.responseId}`,
      details: { questionId: input.questionId, answerSha256: sha256 },
    });
  });
}

/**
 * Withdraws the approval of an answer (it is no longer published) and audits `text.withdraw`.
 *
 * @throws AppError `conflict` when the answer is not approved.
 * @example await withdrawApproval(db, { responseId: 7, questionId: 'q_comment', userId: 2 });
 */
export async function withdrawApproval(db: Kysely<Database>, input: { responseId: number; questionId: string; userId: number }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const removed = await trx
      .deleteFrom('text_approval')
      .where('response_id', '=', input.responseId)
      .where('question_id', '=', input.questionId)
      .returning('answer_sha256')
      .executeTakeFirst();
    if (!removed) throw new AppError('conflict', `The answer of response ${input.responseId} to ${input.questionId} is not approved.`);
    await insertAuditEntry(trx, {
      actor: await actorEmail(trx, input.userId),
      action: 'text.withdraw',
      subject: `response:${input.responseId}`,
      details: { questionId: input.questionId, answerSha256: removed.answer_sha256 },
    });
  });
}

/**
 * Which of these answers to a question are approved, and does each still match the text approved?
 * Answers without an approval are left out of the map (`not_approved`).
 */
export async function getApprovals(db: Kysely<Database>, questionId: string, responseIds: readonly number[]): Promise<Map<number, TextApproval>> {
  if (!responseIds.length) return new Map();
  const rows = await db
    .selectFrom('text_approval')
    .leftJoin('submitted_answer as answer', (join) =>
      join
        .onRef('answer.response_id', '=', 'text_approval.response_id')
        .onRef('answer.question_id', '=', 'text_approval.question_id')
        .on('answer.text', 'is not', null),
    )
    .where('text_approval.question_id', '=', questionId)
    .where('text_approval.response_id', 'in', [...responseIds])
    .select(['text_approval.response_id', 'text_approval.published_text', 'text_approval.approved_at'])
    // Hashed in the database as `answerSha256` does in Node: SHA-256 of the UTF-8 bytes, in hex.
    .select(sql<boolean | null>`text_approval.answer_sha256 = encode(sha256(convert_to(answer.text, 'UTF8')), 'hex')`.as('matches'))
    .execute();
  return new Map(
    rows.map((r) => [r.response_id, { status: r.matches ? 'approved' : 'changed', publishedText: r.published_text, approvedAt: new Date(r.approved_at) }]),
  );
}

/** The names of all respondents of a questionnaire (organisations, countries, people), to remove from published text. */
export async function respondentNames(db: Kysely<Database>, surveyId: string): Promise<string[]> {
  const rows = await db.selectFrom('respondent').select('name').distinct().where('survey_id', '=', surveyId).orderBy('name').execute();
  return rows.map((r) => r.name);
}
