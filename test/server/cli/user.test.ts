/**
 * `assess user add`: creating an Assessment Team account from the command line, in its own
 * process, on the configured database (a PGlite data folder, or PostgreSQL when the run has one).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeAccountLink } from '../../../server/accounts/account-service.ts';
import { openDatabase } from '../../../server/db/connect.ts';
import { createTestDatabase, TEST_DATABASE_KIND, type TestDatabase } from '../../support/database.ts';
import { assess } from '../support/assess-cli.ts';

const PUBLIC_URL = 'https://assess.example.org';

describe(`assess user add (${TEST_DATABASE_KIND})`, { timeout: 180_000 }, () => {
  let dir: string;
  let database: TestDatabase | undefined;
  let env: Record<string, string>;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'fat-user-'));
    env = { DATA_DIR: path.join(dir, 'data'), PUBLIC_URL };
    if (process.env.TEST_DATABASE_URL) {
      database = await createTestDatabase();
      env.DATABASE_URL = database.url as string;
    }
  });
  afterEach(async () => {
    await database?.close();
    database = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  /** Opens the database the command used (after it exited: the PGlite folder is one process's at a time). */
  async function withDatabase<T>(work: (db: TestDatabase['db']) => Promise<T>): Promise<T> {
    if (database) return work(database.db);
    const handle = await openDatabase({ kind: 'pglite', dataDir: env.DATA_DIR! });
    try {
      return await work(handle.db);
    } finally {
      await handle.close();
    }
  }

  it('creates the account and prints a one-time link to set its password; the same e-mail again exits 1', async () => {
    const run = await assess(['user', 'add', '--email', 'a@b.org', '--role', 'analyst'], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Created analyst account a@b.org.');
    const link = new RegExp(`${PUBLIC_URL.replace(/[.]/g, '\\.')}/admin/setup/([A-Za-z0-9_-]{43})\\n`).exec(run.stdout);
    expect(link, run.stdout).not.toBeNull();

    const { user, described, audit } = await withDatabase(async (db) => ({
      user: await db.selectFrom('app_user').select(['email', 'role', 'password_hash']).execute(),
      described: await describeAccountLink(db, link![1]!, new Date()),
      audit: await db.selectFrom('audit_log').select(['actor', 'action']).execute(),
    }));
    expect(user).toEqual([{ email: 'a@b.org', role: 'analyst', password_hash: null }]);
    expect(described).toEqual({ purpose: 'set_password', email: 'a@b.org' });
    expect(audit).toEqual([{ actor: 'cli', action: 'user.create' }]);

    const again = await assess(['user', 'add', '--email', 'A@B.org', '--role', 'observer'], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('An account for a@b.org already exists.');
    expect(again.stdout).not.toContain('/admin/setup/');
  });

  it('refuses an unknown role with a message naming the roles, and creates nothing', async () => {
    const run = await assess(['user', 'add', '--email', 'a@b.org', '--role', 'superuser'], env);
    expect([1, 2]).toContain(run.code);
    expect(run.stderr).toContain('The role must be one of admin, analyst, observer.');
    expect(run.stdout).not.toContain('/admin/setup/');
    expect(await withDatabase((db) => db.selectFrom('app_user').select('email').execute())).toEqual([]);
  });

  it('explains its usage when the e-mail or the role is missing (exit 2)', async () => {
    const run = await assess(['user', 'add', '--email', 'a@b.org'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Usage: npm run assess -- user add --email <e-mail> --role <admin|analyst|observer>');
  });
});
