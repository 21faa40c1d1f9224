import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DATABASE_KIND, type TestDatabase } from '../../support/database.ts';

describe(`database (${TEST_DATABASE_KIND})`, () => {
  let handle: TestDatabase;
  beforeEach(async () => {
    handle = await createTestDatabase();
  });
  afterEach(() => handle.close());

  it('is migrated and returns counts as numbers when cast in SQL', async () => {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from survey_version`.execute(handle.db);
    expect(rows).toEqual([{ n: 0 }]);
  });

  it('does not capture a query issued outside an open transaction', async () => {
    await handle.db.insertInto('audit_log').values({ actor: 'test', action: 'before', details: '{}' }).execute();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const transaction = handle.db
      .transaction()
      .execute(async (trx) => {
        await trx.insertInto('audit_log').values({ actor: 'test', action: 'inside', details: '{}' }).execute();
        await held;
        throw new Error('roll back');
      })
      .catch(() => 'rolled back');
    const outside = handle.db.insertInto('audit_log').values({ actor: 'test', action: 'outside', details: '{}' }).execute();
    release();
    expect(await transaction).toBe('rolled back');
    await outside;
    const actions = await handle.db.selectFrom('audit_log').select('action').orderBy('id').execute();
    expect(actions.map((a) => a.action)).toEqual(['before', 'outside']);
  });
});
