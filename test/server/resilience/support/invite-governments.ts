/**
 * Invites governments to `flow-gov` before the server starts, the way `npm run assess -- invite`
 * does: with the server modules, against the database the server will open (a PGlite data folder
 * taken under its lock, or a PostgreSQL URL).
 */
import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import { countryChoices } from '../../../../survey-definitions/countries.ts';
import { openDatabase, type DatabaseTarget } from '../../../../server/db/connect.ts';
import { acquireDataFolderLock } from '../../../../server/db/data-folder-lock.ts';
import type { Database } from '../../../../server/db/schema.ts';
import { importInvitees } from '../../../../server/respondents/import-invitees.ts';
import { findInvitationByTokenHash } from '../../../../server/respondents/respondents.queries.ts';
import { hashToken } from '../../../../server/respondents/tokens.ts';
import { syncDefinitions } from '../../../../server/surveys/sync-definitions.ts';

const PUBLIC_URL = 'https://assess.example.org';

export interface InvitedGovernment {
  country: string;
  token: string;
  respondentId: number;
}

/** Runs `work` on the database of `target` (PGlite: under the data folder's lock) and closes it. */
export async function withDatabase<T>(target: { dataDir: string } | { url: string }, work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  const lock = 'dataDir' in target ? acquireDataFolderLock(target.dataDir, { role: 'cli' }) : undefined;
  try {
    const database: DatabaseTarget = 'dataDir' in target ? { kind: 'pglite', dataDir: target.dataDir } : { kind: 'postgres', url: target.url };
    const handle = await openDatabase(database);
    try {
      return await work(handle.db);
    } finally {
      await handle.close();
    }
  } finally {
    lock?.release();
  }
}

/** Publishes the questionnaires of `surveysDir` (again: publishing the same files changes nothing). */
export async function publishQuestionnaires(db: Kysely<Database>, surveysDir: string): Promise<void> {
  const report = await syncDefinitions(db, surveysDir);
  expect(report.problems).toEqual([]);
}

/**
 * Publishes the questionnaires of `surveysDir` and invites `count` governments to `flow-gov`, taking
 * UN member states in order after the first `skip` (which earlier calls invited).
 */
export async function inviteGovernments(db: Kysely<Database>, surveysDir: string, count: number, skip = 0): Promise<InvitedGovernment[]> {
  await publishQuestionnaires(db, surveysDir);
  const countries = countryChoices('un_members')
    .slice(skip, skip + count)
    .map((c) => c.code);
  expect(countries).toHaveLength(count);
  const csvText = `name,kind,country\n${countries.map((code) => `Government of ${code},government,${code}`).join('\n')}\n`;
  const result = await importInvitees(db, { surveyId: 'flow-gov', csvText, publicUrl: PUBLIC_URL, actor: 'test' });
  if (!result.ok) throw new Error(`invitation failed: ${JSON.stringify(result.errors)}`);
  return Promise.all(
    result.rows.map(async (row) => {
      const token = row.link.slice(`${PUBLIC_URL}/r/`.length);
      const invitation = await findInvitationByTokenHash(db, hashToken(token));
      if (!invitation) throw new Error(`the invitation of ${row.country} is not found`);
      return { country: row.country!, token, respondentId: invitation.respondentId };
    }),
  );
}
