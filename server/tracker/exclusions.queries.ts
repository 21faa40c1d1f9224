/**
 * SQL for exclusions: responses left out of the analysis. The response itself is never touched.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

export interface ResponseOwner {
  responseId: number;
  respondentId: number;
  surveyId: string;
  status: 'in_progress' | 'submitted';
}

export interface Exclusion {
  reason: string;
  excludedAt: Date;
  excludedBy: number | null;
}

/** Whose response is this, in which survey? Locks the response row, so two analysts take turns. */
export async function lockResponseOwner(trx: Transaction<Database>, responseId: number): Promise<ResponseOwner | undefined> {
  const row = await trx
    .selectFrom('response as p')
    .innerJoin('respondent as r', 'r.id', 'p.respondent_id')
    .select(['p.id', 'p.respondent_id', 'r.survey_id', 'p.status'])
    .where('p.id', '=', responseId)
    .forUpdate('p')
    .executeTakeFirst();
  return row && { responseId: row.id, respondentId: row.respondent_id, surveyId: row.survey_id, status: row.status };
}

/** Records an exclusion; false if the response was already excluded. */
export async function insertExclusion(trx: Transaction<Database>, responseId: number, reason: string, userId: number, at: Date): Promise<boolean> {
  const inserted = await trx
    .insertInto('response_exclusion')
    .values({ response_id: responseId, reason, excluded_by: userId, excluded_at: at })
    .onConflict((oc) => oc.column('response_id').doNothing())
    .returning('response_id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Removes an exclusion; returns what it said, or undefined if the response was not excluded. */
export async function deleteExclusion(trx: Transaction<Database>, responseId: number): Promise<Exclusion | undefined> {
  const row = await trx
    .deleteFrom('response_exclusion')
    .where('response_id', '=', responseId)
    .returning(['reason', 'excluded_at', 'excluded_by'])
    .executeTakeFirst();
  return row && { reason: row.reason, excludedAt: row.excluded_at, excludedBy: row.excluded_by };
}
