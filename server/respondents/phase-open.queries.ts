/**
 * SQL for `phase open`: the respondents of the earlier questionnaire, those already in the new
 * one, and the link between a respondent and the earlier one it is.
 */
import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { EarlierRespondent, PresentRespondent } from './phase-plan.ts';

/** Every respondent of a questionnaire, oldest first, with whether one of its links still works. */
export async function listEarlierRespondents(trx: Transaction<Database>, surveyId: string): Promise<EarlierRespondent[]> {
  const rows = await trx
    .selectFrom('respondent as r')
    .select([
      'r.id',
      'r.kind',
      'r.name',
      'r.name_key',
      'r.country',
      'r.region',
      'r.subregion',
      'r.roles',
      'r.org_type',
      'r.email',
      'r.language',
      'r.source',
      'r.duplicate_of',
      sql<boolean>`exists (select 1 from invitation i where i.respondent_id = r.id and i.revoked_at is null)`.as('has_working_link'),
    ])
    .where('r.survey_id', '=', surveyId)
    .orderBy('r.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    name: r.name,
    nameKey: r.name_key,
    country: r.country,
    region: r.region,
    subregion: r.subregion,
    roles: r.roles,
    orgType: r.org_type,
    email: r.email,
    language: r.language,
    source: r.source,
    duplicateOf: r.duplicate_of,
    hasWorkingLink: r.has_working_link,
  }));
}

/** Every respondent already in a questionnaire, as `phase open` matches them. */
export async function listPresentRespondents(trx: Transaction<Database>, surveyId: string): Promise<PresentRespondent[]> {
  const rows = await trx
    .selectFrom('respondent')
    .select(['id', 'kind', 'name_key', 'country', 'email', 'previous_respondent_id'])
    .where('survey_id', '=', surveyId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, kind: r.kind, nameKey: r.name_key, country: r.country, email: r.email, previousRespondentId: r.previous_respondent_id }));
}

/** Links a respondent to the earlier one it is, unless it is linked already; false if it was. */
export async function linkToPreviousRespondent(trx: Transaction<Database>, respondentId: number, previousRespondentId: number): Promise<boolean> {
  const result = await trx
    .updateTable('respondent')
    .set({ previous_respondent_id: previousRespondentId })
    .where('id', '=', respondentId)
    .where('previous_respondent_id', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Holds the new questionnaire's row until the transaction ends, so that two `phase open` runs into
 * it take turns: the second sees what the first carried.
 */
export async function lockSurvey(trx: Transaction<Database>, surveyId: string): Promise<void> {
  await trx.selectFrom('survey').select('id').where('id', '=', surveyId).forUpdate().execute();
}
