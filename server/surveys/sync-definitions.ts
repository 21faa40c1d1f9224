/**
 * Publishes the questionnaire files of a folder to the database: a valid file with new content
 * becomes its survey's current version. A file whose content was stored before (an older version
 * still in the folder after a newer one was published from the browser) changes nothing.
 * Invalid files are reported and never served.
 */
import type { Kysely } from 'kysely';
import { loadDefinitions, type FileProblem } from '../../survey-definitions/load-definitions.ts';
import type { Database } from '../db/schema.ts';
import { publishSurveyVersion } from './survey-versions.queries.ts';

export interface SyncReport {
  published: { surveyId: string; version: string; contentHash: string; created: boolean; becameCurrent: boolean }[];
  problems: FileProblem[];
}

export async function syncDefinitions(db: Kysely<Database>, folder: string): Promise<SyncReport> {
  const { definitions, problems } = await loadDefinitions(folder);
  const published: SyncReport['published'] = [];
  for (const { definition, contentHash } of definitions) {
    const result = await db.transaction().execute((trx) => publishSurveyVersion(trx, definition, contentHash, { makeCurrent: 'if_new' }));
    published.push({ surveyId: definition.id, version: definition.version, contentHash, created: result.created, becameCurrent: result.becameCurrent });
  }
  return { published, problems };
}
