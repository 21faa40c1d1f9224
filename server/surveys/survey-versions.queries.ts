/**
 * Questionnaire snapshots: each distinct content of a questionnaire is stored once, and the
 * survey row points at the version new respondents get.
 */
import { sql, type Transaction } from 'kysely';
import type { SurveyDefinition } from '../../survey-definitions/types.ts';
import type { Db } from '../db/db.ts';
import type { Database } from '../db/schema.ts';

export interface SurveyVersion {
  id: number;
  surveyId: string;
  version: string;
  contentHash: string;
  definition: SurveyDefinition;
  createdAt: Date;
}

/**
 * Which snapshot holds this content? Inserts it if new and makes it the survey's current version
 * (with `makeCurrent: 'if_new'`, only when the content was never stored before).
 */
export async function publishSurveyVersion(
  trx: Transaction<Database>,
  definition: SurveyDefinition,
  contentHash: string,
  options: { makeCurrent?: 'always' | 'if_new' } = {},
): Promise<{ versionId: number; created: boolean; becameCurrent: boolean }> {
  const inserted = await trx
    .insertInto('survey_version')
    .values({ survey_id: definition.id, version: definition.version, content_hash: contentHash, definition: JSON.stringify(definition) })
    .onConflict((oc) => oc.columns(['survey_id', 'content_hash']).doNothing())
    .returning('id')
    .executeTakeFirst();
  const versionId =
    inserted?.id ??
    (
      await trx
        .selectFrom('survey_version')
        .select('id')
        .where('survey_id', '=', definition.id)
        .where('content_hash', '=', contentHash)
        .executeTakeFirstOrThrow()
    ).id;
  const previous = await trx.selectFrom('survey').select('current_version_id').where('id', '=', definition.id).forUpdate().executeTakeFirst();
  // `if_new`: content seen before (an older file) never displaces a version published since.
  const switchTo = previous?.current_version_id !== versionId && (options.makeCurrent !== 'if_new' || inserted !== undefined || !previous);
  if (!previous) await trx.insertInto('survey').values({ id: definition.id, current_version_id: versionId }).execute();
  else if (switchTo) await trx.updateTable('survey').set({ current_version_id: versionId, updated_at: new Date() }).where('id', '=', definition.id).execute();
  return { versionId, created: inserted !== undefined, becameCurrent: switchTo };
}

type VersionRow = { id: number; survey_id: string; version: string; content_hash: string; created_at: Date };

function toSurveyVersion(row: VersionRow & { definition: SurveyDefinition }): SurveyVersion {
  return { id: row.id, surveyId: row.survey_id, version: row.version, contentHash: row.content_hash, definition: row.definition, createdAt: row.created_at };
}

/**
 * Parsed definitions by survey and content hash. A snapshot never changes, and a save or submit
 * reads its version's definition (some 50 KB of JSON) several times: each content is read from
 * the database once per process. Callers must not modify a definition they are given.
 */
const definitions = new Map<string, SurveyDefinition>();
const MAX_CACHED_DEFINITIONS = 64;

async function withDefinition(db: Db, row: VersionRow): Promise<SurveyVersion> {
  const key = `${row.survey_id}\u0000${row.content_hash}`;
  let definition = definitions.get(key);
  if (!definition) {
    definition = (await db.selectFrom('survey_version').select('definition').where('id', '=', row.id).executeTakeFirstOrThrow()).definition;
    if (definitions.size >= MAX_CACHED_DEFINITIONS) definitions.delete(definitions.keys().next().value!);
    definitions.set(key, definition);
  }
  return toSurveyVersion({ ...row, definition });
}

/** The version new respondents of a survey get, or undefined if the survey is unknown. */
export async function getCurrentSurveyVersion(db: Db, surveyId: string): Promise<SurveyVersion | undefined> {
  const row = await db
    .selectFrom('survey')
    .innerJoin('survey_version', 'survey_version.id', 'survey.current_version_id')
    .select(['survey_version.id', 'survey_version.survey_id', 'survey_version.version', 'survey_version.content_hash', 'survey_version.created_at'])
    .where('survey.id', '=', surveyId)
    .executeTakeFirst();
  return row && withDefinition(db, row);
}

/** One stored snapshot, by id (the version a response is pinned to). */
export async function getSurveyVersion(db: Db, versionId: number): Promise<SurveyVersion | undefined> {
  const row = await db
    .selectFrom('survey_version')
    .select(['id', 'survey_id', 'version', 'content_hash', 'created_at'])
    .where('id', '=', versionId)
    .executeTakeFirst();
  return row && withDefinition(db, row);
}

/** Every survey with its current version (for the start page and the command line). */
export async function listCurrentSurveyVersions(db: Db): Promise<SurveyVersion[]> {
  const rows = await db
    .selectFrom('survey')
    .innerJoin('survey_version', 'survey_version.id', 'survey.current_version_id')
    .select([
      'survey_version.id',
      'survey_version.survey_id',
      'survey_version.version',
      'survey_version.content_hash',
      'survey_version.definition',
      'survey_version.created_at',
    ])
    .orderBy('survey.id')
    .execute();
  return rows.map(toSurveyVersion);
}

export interface SurveyVersionUse {
  id: number;
  surveyId: string;
  version: string;
  contentHash: string;
  createdAt: Date;
  /** The version new respondents get. */
  current: boolean;
  /** Responses pinned to this version, and of them those submitted. */
  responses: number;
  submitted: number;
}

/** Which versions does each survey have, and how many responses are pinned to each? By survey, newest first. */
export async function listSurveyVersionUse(db: Db): Promise<SurveyVersionUse[]> {
  const rows = await db
    .selectFrom('survey_version as v')
    .innerJoin('survey as s', 's.id', 'v.survey_id')
    .leftJoin('response as p', 'p.survey_version_id', 'v.id')
    .select([
      'v.id',
      'v.survey_id',
      'v.version',
      'v.content_hash',
      'v.created_at',
      sql<boolean>`bool_or(s.current_version_id = v.id)`.as('current'),
      sql<number>`count(p.id)::int`.as('responses'),
      sql<number>`(count(p.id) filter (where p.status = 'submitted'))::int`.as('submitted'),
    ])
    .groupBy(['v.id', 'v.survey_id', 'v.version', 'v.content_hash', 'v.created_at'])
    .orderBy('v.survey_id')
    .orderBy('v.id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    surveyId: r.survey_id,
    version: r.version,
    contentHash: r.content_hash,
    createdAt: r.created_at,
    current: r.current,
    responses: r.responses,
    submitted: r.submitted,
  }));
}

/** The stored snapshot of a survey with this content, if any (an upload may repeat an old version). */
export async function findSurveyVersionByHash(
  db: Db,
  surveyId: string,
  contentHash: string,
): Promise<{ id: number; version: string; createdAt: Date } | undefined> {
  const row = await db
    .selectFrom('survey_version')
    .select(['id', 'version', 'created_at'])
    .where('survey_id', '=', surveyId)
    .where('content_hash', '=', contentHash)
    .executeTakeFirst();
  return row && { id: row.id, version: row.version, createdAt: row.created_at };
}

/** The current version id of a survey, locking its row until the transaction ends; null for a new survey. */
export async function lockCurrentVersionId(trx: Transaction<Database>, surveyId: string): Promise<number | null> {
  const row = await trx.selectFrom('survey').select('current_version_id').where('id', '=', surveyId).forUpdate().executeTakeFirst();
  return row?.current_version_id ?? null;
}
