/**
 * Opens the database: PostgreSQL when a URL is given, otherwise PGlite (PostgreSQL in WASM) in a
 * data folder, or in memory for tests. The same migrations and SQL serve both.
 */
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import pg from 'pg';
import { AppError } from '../errors.ts';
import { migrateToLatest } from './migrate.ts';
import type { Database } from './schema.ts';

export type DatabaseKind = 'postgres' | 'pglite';

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: DatabaseKind;
  close(): Promise<void>;
}

export type DatabaseTarget =
  | {
      kind: 'postgres';
      url: string;
      poolSize?: number;
      /** Cancels any statement running longer (0 or absent: no limit). */
      statementTimeoutMs?: number;
      /** Gives up on a connection attempt after this long, so a database that is away fails fast. */
      connectTimeoutMs?: number;
      /** Every transaction read-only (`default_transaction_read_only`): the analytics handle. */
      readOnly?: boolean;
    }
  | { kind: 'pglite'; dataDir?: string; pglite?: PGlite };

/** Connects (and, unless told otherwise, migrates) the database. */
export async function openDatabase(target: DatabaseTarget, options: { migrate?: boolean } = {}): Promise<DatabaseHandle> {
  let handle: DatabaseHandle;
  if (target.kind === 'postgres') {
    const pool = new pg.Pool({
      connectionString: target.url,
      max: target.poolSize ?? 10,
      ...(target.statementTimeoutMs ? { statement_timeout: target.statementTimeoutMs } : {}),
      ...(target.connectTimeoutMs ? { connectionTimeoutMillis: target.connectTimeoutMs } : {}),
      // Sent with the startup packet, so it holds from the first statement of every connection.
      ...(target.readOnly ? { options: '-c default_transaction_read_only=on' } : {}),
    });
    // An idle client losing its server must not crash the process; the next query reports it.
    pool.on('error', () => {});
    // A client checked out for a transaction can lose its server between statements: pg then emits
    // 'error' on the client, which would end the process without a listener. The statement fails.
    pool.on('connect', (client) => client.on('error', () => {}));
    if (target.statementTimeoutMs) explainStatementTimeouts(pool, target.statementTimeoutMs);
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

/** SQLSTATE of a statement cancelled, here by `statement_timeout`. */
const QUERY_CANCELED = '57014';

/**
 * Turns a statement cancelled by `statement_timeout` into `unavailable` (503, "try again"), which
 * says what happened instead of a bare 500. Each new connection's `query` is wrapped once; the
 * promise form is the one Kysely uses, other forms pass through untouched.
 */
function explainStatementTimeouts(pool: pg.Pool, timeoutMs: number): void {
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    const explained = (...args: unknown[]) => {
      const result = query(...args);
      if (!(result instanceof Promise)) return result;
      return result.catch((error: unknown) => {
        if ((error as { code?: unknown })?.code !== QUERY_CANCELED) throw error;
        throw new AppError('unavailable', `The database did not answer within ${timeoutMs} ms (statement timeout); please try again, or narrow the request.`, { sqlstate: QUERY_CANCELED });
      });
    };
    Object.assign(client, { query: explained });
  });
}
