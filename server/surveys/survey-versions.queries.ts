/**
 * Questionnaire snapshots: each distinct content of a questionnaire is stored once, and the
 * survey row points at the version new respondents get.
 */
import type { Kysely, Transaction } from 'kysely';
import type { SurveyDefinition } from '../../survey-definitions/types.ts';
import type { Database } from '../db/schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface SurveyVersion {
  id: number;
  surveyId: string;
  version: string;
  contentHash: string;
  definition: SurveyDefinition;
  createdAt: Date;
}

/** Which snapshot holds this content? Inserts it if new and makes it the survey's current version. */
export async function publishSurveyVersion(
  trx: Transaction<Database>,
  definition: SurveyDefinition,
  contentHash: string,
): Promise<{ versionId: number; created: boolean; becameCurrent: boolean }> {
  const inserted = await trx
    .insertInto('survey_version')
    .values({ survey_id: definition.id, version: definition.version, content_hash: contentHash, definition: JSON.stringify(definition) })
    .onConflict((oc) => oc.columns(['survey_id', 'content_hash']).doNothing())
    .returning('id')
    .executeTakeFirst();
  const versionId =
    inserted?.id ??
    (await trx
      .selectFrom('survey_version')
      .select('id')
      .where('survey_id', '=', definition.id)
      .where('content_hash', '=', contentHash)
      .executeTakeFirstOrThrow()).id;
  const previous = await trx.selectFrom('survey').select('current_version_id').where('id', '=', definition.id).forUpdate().executeTakeFirst();
  if (!previous) await trx.insertInto('survey').values({ id: definition.id, current_version_id: versionId }).execute();
  else if (previous.current_version_id !== versionId)
    await trx.updateTable('survey').set({ current_version_id: versionId, updated_at: new Date() }).where('id', '=', definition.id).execute();
  return { versionId, created: inserted !== undefined, becameCurrent: previous?.current_version_id !== versionId };
}

function toSurveyVersion(row: { id: number; survey_id: string; version: string; content_hash: string; definition: SurveyDefinition; created_at: Date }): SurveyVersion {
  return { id: row.id, surveyId: row.survey_id, version: row.version, contentHash: row.content_hash, definition: row.definition, createdAt: row.created_at };
}

/** The version new respondents of a survey get, or undefined if the survey is unknown. */
export async function getCurrentSurveyVersion(db: Db, surveyId: string): Promise<SurveyVersion | undefined> {
  const row = await db
    .selectFrom('survey')
    .innerJoin('survey_version', 'survey_version.id', 'survey.current_version_id')
    .select(['survey_version.id', 'survey_version.survey_id', 'survey_version.version', 'survey_version.content_hash', 'survey_version.definition', 'survey_version.created_at'])
    .where('survey.id', '=', surveyId)
    .executeTakeFirst();
  return row && toSurveyVersion(row);
}

/** One stored snapshot, by id (the version a response is pinned to). */
export async function getSurveyVersion(db: Db, versionId: number): Promise<SurveyVersion | undefined> {
  const row = await db
    .selectFrom('survey_version')
    .select(['id', 'survey_id', 'version', 'content_hash', 'definition', 'created_at'])
    .where('id', '=', versionId)
    .executeTakeFirst();
  return row && toSurveyVersion(row);
}

/** Every survey with its current version (for the start page and the command line). */
export async function listCurrentSurveyVersions(db: Db): Promise<SurveyVersion[]> {
  const rows = await db
    .selectFrom('survey')
    .innerJoin('survey_version', 'survey_version.id', 'survey.current_version_id')
    .select(['survey_version.id', 'survey_version.survey_id', 'survey_version.version', 'survey_version.content_hash', 'survey_version.definition', 'survey_version.created_at'])
    .orderBy('survey.id')
    .execute();
  return rows.map(toSurveyVersion);
}
