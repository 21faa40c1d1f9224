/**
 * A fresh, migrated database for one test: a PGlite clone in memory, or a PostgreSQL database
 * cloned from the run's template when TEST_DATABASE_URL is set. Never a mock.
 *
 * @example
 *   const handle = await createTestDatabase();
 *   afterEach(() => handle.close());
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../server/db/connect.ts';
import { databaseUrl } from './database-url.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresTemplate: string;
  }
}

export const TEST_DATABASE_KIND = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';

export interface TestDatabase extends DatabaseHandle {
  /** Connection URL (PostgreSQL only), for tests that start a second process or pool. */
  url?: string;
}

let templateBlob: Blob | undefined;

export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (adminUrl) {
    // Named after the run's template, so a run's teardown drops only its own clones.
    const name = `${inject('postgresTemplate').replace('fat_template_', 'fat_t_')}_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('postgresTemplate')}`);
    const url = databaseUrl(adminUrl, name);
    const handle = await openDatabase({ kind: 'postgres', url }, { migrate: false });
    return {
      ...handle,
      url,
      close: async () => {
        await handle.close();
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      },
    };
  }
  templateBlob ??= new Blob([readFileSync(inject('pgliteTemplate'))]);
  const pglite = await PGlite.create({ loadDataDir: templateBlob });
  return openDatabase({ kind: 'pglite', pglite }, { migrate: false });
}

/** An empty database, not migrated (not the template of the other tests): for migration tests. */
export async function createEmptyDatabase(): Promise<DatabaseHandle> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) return openDatabase({ kind: 'pglite', pglite: await PGlite.create() }, { migrate: false });
  const name = `fat_m_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const handle = await openDatabase({ kind: 'postgres', url: databaseUrl(adminUrl, name) }, { migrate: false });
  return {
    ...handle,
    close: async () => {
      await handle.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
