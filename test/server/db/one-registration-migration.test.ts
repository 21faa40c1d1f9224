/**
 * The migration that refuses a second open registration of one organisation, run over a database
 * that already holds such repeats: it must not fail, must keep every row, and must refuse the next.
 */
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../../server/db/connect.ts';
import { migrateToLatest, migrateUpTo } from '../../../server/db/migrate.ts';
import { isUniqueViolation } from '../../../server/db/unique-violation.ts';
import { syncDefinitions } from '../../../server/surveys/sync-definitions.ts';
import { createEmptyDatabase, TEST_DATABASE_KIND } from '../../support/database.ts';
import { FLOW_SURVEYS } from '../support/app-fixture.ts';

describe(`migration to one registration per organisation (${TEST_DATABASE_KIND})`, { timeout: 120_000 }, () => {
  let handle: DatabaseHandle | undefined;
  afterEach(() => handle?.close());

  it('marks repeats stored before it as duplicates of the first, and refuses new ones', async () => {
    handle = await createEmptyDatabase();
    const db = handle.db;
    await migrateUpTo(db, '2026-12-11-0008-row-file-issue');
    expect((await syncDefinitions(db, FLOW_SURVEYS)).problems).toEqual([]);
    const register = (name: string, country: string) =>
      sql<{
        id: number;
      }>`insert into respondent (survey_id, kind, name, country, source) values ('flow-cs', 'civil_society', ${name}, ${country}, 'open_registration') returning id`
        .execute(db)
        .then((r) => r.rows[0]!.id);
    const first = await register('Dup Org', 'FRA');
    const again = await register('dup org', 'FRA');
    const accented = await register('  DÛP-ORG. ', 'FRA');
    const elsewhere = await register('Dup Org', 'SEN');
    const other = await register('Другая организация', 'FRA');

    await migrateToLatest(db);

    const rows = await db.selectFrom('respondent').select(['id', 'name_key', 'duplicate_of']).orderBy('id').execute();
    expect(rows).toEqual([
      { id: first, name_key: 'duporg', duplicate_of: null },
      { id: again, name_key: 'duporg', duplicate_of: first },
      { id: accented, name_key: 'duporg', duplicate_of: first },
      { id: elsewhere, name_key: 'duporg', duplicate_of: null },
      { id: other, name_key: expect.stringMatching(/^\S+$/), duplicate_of: null },
    ]);
    const error = await register('Dup  Org!', 'FRA').catch((e: unknown) => e);
    expect(isUniqueViolation(error)).toBe(true);
  });
});
