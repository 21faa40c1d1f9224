/**
 * Leaving a response out of the analysis (a duplicate, spam through the open link) and taking it
 * back in. The response and its answers stay stored as they are; each change is audited in the
 * same transaction.
 */
import type { Kysely } from 'kysely';
import { insertAuditEntry } from '../audit/audit.queries.ts';
import type { Database } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { withTally } from '../db/answer-tally.queries.ts';
import { deleteExclusion, insertExclusion, lockResponseOwner } from './exclusions.queries.ts';

/** Longest reason accepted, in characters (after trimming). */
export const MAX_REASON_LENGTH = 500;

export interface Actor {
  userId: number;
  email: string;
}

/**
 * Excludes a response from the analysis, with a reason, and audits `response.exclude`.
 *
 * @throws AppError `validation` for an empty or too long reason, `not_found` for an unknown
 *   response, `conflict` if it is already excluded.
 * @example await excludeResponse(db, { responseId: 7, reason: 'duplicate of 5', actor: { userId: 1, email: 'a@x.org' }, at: new Date() });
 */
export async function excludeResponse(db: Kysely<Database>, input: { responseId: number; reason: string; actor: Actor; at: Date }): Promise<{ surveyId: string }> {
  const reason = input.reason.trim();
  if (reason === '') throw new AppError('validation', 'Give a reason for excluding the response.', { field: 'reason' });
  if ([...reason].length > MAX_REASON_LENGTH) throw new AppError('validation', `The reason is longer than ${MAX_REASON_LENGTH} characters.`, { field: 'reason' });
  return db.transaction().execute(async (trx) => {
    const owner = await lockResponseOwner(trx, input.responseId);
    if (!owner) throw new AppError('not_found', `No response ${input.responseId}.`);
    const inserted = await withTally(trx, [owner.responseId], owner.status === 'submitted', () => insertExclusion(trx, owner.responseId, reason, input.actor.userId, input.at));
    if (!inserted) {
      throw new AppError('conflict', `Response ${owner.responseId} is already excluded.`);
    }
    await insertAuditEntry(trx, {
      actor: input.actor.email,
      action: 'response.exclude',
      subject: `response:${owner.responseId}`,
      details: { surveyId: owner.surveyId, respondentId: owner.respondentId, reason },
    });
    return { surveyId: owner.surveyId };
  });
}

/**
 * Takes an excluded response back into the analysis and audits `response.include` with the reason
 * the exclusion had.
 *
 * @throws AppError `not_found` for an unknown response, `conflict` if it is not excluded.
 */
export async function includeResponse(db: Kysely<Database>, input: { responseId: number; actor: Actor }): Promise<{ surveyId: string }> {
  return db.transaction().execute(async (trx) => {
    const owner = await lockResponseOwner(trx, input.responseId);
    if (!owner) throw new AppError('not_found', `No response ${input.responseId}.`);
    const removed = await withTally(trx, [owner.responseId], owner.status === 'submitted', () => deleteExclusion(trx, owner.responseId));
    if (!removed) throw new AppError('conflict', `Response ${owner.responseId} is not excluded.`);
    await insertAuditEntry(trx, {
      actor: input.actor.email,
      action: 'response.include',
      subject: `response:${owner.responseId}`,
      details: { surveyId: owner.surveyId, respondentId: owner.respondentId, reason: removed.reason, excludedAt: removed.excludedAt.toISOString(), excludedBy: removed.excludedBy },
    });
    return { surveyId: owner.surveyId };
  });
}
