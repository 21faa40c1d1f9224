/**
 * Leaving a response out of the analysis (a duplicate, spam through the open link) and taking it
 * back in. The response and its answers stay stored as they are; each change is audited in the
 * same transaction. What a person can get wrong (no reason, an unknown response, one already
 * excluded or not excluded) is answered as a refusal, with nothing changed.
 */
import type { Kysely } from 'kysely';
import { insertAuditEntry } from '../audit/audit.queries.ts';
import type { Database } from '../db/schema.ts';
import { ok, refuse, valueOr, type Outcome, type Refusal } from '../errors.ts';
import { withTally } from '../db/answer-tally.queries.ts';
import { transactionOutcome } from '../db/outcome-transaction.ts';
import { deleteExclusion, insertExclusion, lockResponseOwner } from './exclusions.queries.ts';

/** Longest reason accepted, in characters (after trimming). */
export const MAX_REASON_LENGTH = 500;

export interface Actor {
  userId: number;
  email: string;
}

/** Why an exclusion (or its withdrawal) was refused: no usable reason (422), no such response (404), nothing to change (409). */
export type ExclusionRefusal = Refusal<'validation', { field: 'reason' }> | Refusal<'not_found'> | Refusal<'conflict'>;

/** The questionnaire of the response changed. */
export type ExclusionOutcome = Outcome<{ surveyId: string }, ExclusionRefusal>;

/**
 * Excludes a response from the analysis, with a reason, and audits `response.exclude`; refuses
 * (`validation`) an empty or too long reason, (`not_found`) an unknown response, (`conflict`) one
 * already excluded.
 *
 * @example const outcome = await tryExcludeResponse(db, { responseId: 7, reason: 'duplicate of 5', actor: { userId: 1, email: 'a@x.org' }, at: new Date() });
 */
export async function tryExcludeResponse(
  db: Kysely<Database>,
  input: { responseId: number; reason: string; actor: Actor; at: Date },
): Promise<ExclusionOutcome> {
  const reason = input.reason.trim();
  if (reason === '') return refuse('validation', 'Give a reason for excluding the response.', { field: 'reason' as const });
  if ([...reason].length > MAX_REASON_LENGTH)
    return refuse('validation', `The reason is longer than ${MAX_REASON_LENGTH} characters.`, { field: 'reason' as const });
  return transactionOutcome(db.transaction(), async (trx): Promise<ExclusionOutcome> => {
    const owner = await lockResponseOwner(trx, input.responseId);
    if (!owner) return refuse('not_found', `No response ${input.responseId}.`);
    const inserted = await withTally(trx, [owner.responseId], owner.status === 'submitted', () =>
      insertExclusion(trx, owner.responseId, reason, input.actor.userId, input.at),
    );
    if (!inserted) return refuse('conflict', `Response ${owner.responseId} is already excluded.`);
    await insertAuditEntry(trx, {
      actor: input.actor.email,
      action: 'response.exclude',
      subject: `response:${owner.responseId}`,
      details: { surveyId: owner.surveyId, respondentId: owner.respondentId, reason },
    });
    return ok({ surveyId: owner.surveyId });
  });
}

/**
 * Takes an excluded response back into the analysis and audits `response.include` with the reason
 * the exclusion had; refuses (`not_found`) an unknown response, (`conflict`) one not excluded.
 */
export async function tryIncludeResponse(db: Kysely<Database>, input: { responseId: number; actor: Actor }): Promise<ExclusionOutcome> {
  return transactionOutcome(db.transaction(), async (trx): Promise<ExclusionOutcome> => {
    const owner = await lockResponseOwner(trx, input.responseId);
    if (!owner) return refuse('not_found', `No response ${input.responseId}.`);
    const removed = await withTally(trx, [owner.responseId], owner.status === 'submitted', () => deleteExclusion(trx, owner.responseId));
    if (!removed) return refuse('conflict', `Response ${owner.responseId} is not excluded.`);
    await insertAuditEntry(trx, {
      actor: input.actor.email,
      action: 'response.include',
      subject: `response:${owner.responseId}`,
      details: {
        surveyId: owner.surveyId,
        respondentId: owner.respondentId,
        reason: removed.reason,
        excludedAt: removed.excludedAt.toISOString(),
        excludedBy: removed.excludedBy,
      },
    });
    return ok({ surveyId: owner.surveyId });
  });
}

/** tryExcludeResponse for callers that answer no refusal themselves: a refusal is thrown as an AppError. */
export async function excludeResponse(
  db: Kysely<Database>,
  input: { responseId: number; reason: string; actor: Actor; at: Date },
): Promise<{ surveyId: string }> {
  return valueOr(await tryExcludeResponse(db, input));
}

/** tryIncludeResponse for callers that answer no refusal themselves: a refusal is thrown as an AppError. */
export async function includeResponse(db: Kysely<Database>, input: { responseId: number; actor: Actor }): Promise<{ surveyId: string }> {
  return valueOr(await tryIncludeResponse(db, input));
}
