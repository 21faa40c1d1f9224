/**
 * Opens the database: PostgreSQL when a URL is given, otherwise PGlite (PostgreSQL in WASM) in a
 * data folder, or in memory for tests. The same migrations and SQL serve both.
 */
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import pg from 'pg';
import { migrateToLatest } from './migrate.ts';
import type { Database } from './schema.ts';

export type DatabaseKind = 'postgres' | 'pglite';

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: DatabaseKind;
  close(): Promise<void>;
}

export type DatabaseTarget =
  | { kind: 'postgres'; url: string; poolSize?: number; statementTimeoutMs?: number }
  | { kind: 'pglite'; dataDir?: string; pglite?: PGlite };

/** Connects (and, unless told otherwise, migrates) the database. */
export async function openDatabase(target: DatabaseTarget, options: { migrate?: boolean } = {}): Promise<DatabaseHandle> {
  let handle: DatabaseHandle;
  if (target.kind === 'postgres') {
    const pool = new pg.Pool({
      connectionString: target.url,
      max: target.poolSize ?? 10,
      ...(target.statementTimeoutMs ? { statement_timeout: target.statementTimeoutMs } : {}),
    });
    // An idle client losing its server must not crash the process; the next query reports it.
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    handle = { db, kind: 'postgres', close: () => db.destroy() };
  } else {
    const pglite = target.pglite ?? (await PGlite.create(target.dataDir));
    const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
    handle = {
      db,
      kind: 'pglite',
      close: async () => {
        await db.destroy();
        if (!pglite.closed) await pglite.close();
      },
    };
  }
  if (options.migrate !== false) await migrateToLatest(handle.db);
  return handle;
}
