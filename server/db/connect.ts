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
      /**
       * Gives up waiting for an answer on an open connection after this long and discards the
       * connection (0 or absent: no limit): a connection lost without a word never answers.
       */
      queryTimeoutMs?: number;
      /** PostgreSQL ends a session idle inside a transaction this long (0 or absent: never). */
      idleInTransactionTimeoutMs?: number;
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
      ...(target.queryTimeoutMs ? { query_timeout: target.queryTimeoutMs } : {}),
      // Sent with the startup packet: a session whose client vanished mid-transaction cannot hold
      // its row locks for ever, whatever happened to the network between us.
      ...(target.idleInTransactionTimeoutMs ? { idle_in_transaction_session_timeout: target.idleInTransactionTimeoutMs } : {}),
      // Lets the operating system notice a peer that vanished while the connection sat idle.
      keepAlive: true,
      keepAliveInitialDelayMillis: KEEPALIVE_DELAY_MS,
      // Sent with the startup packet, so it holds from the first statement of every connection.
      ...(target.readOnly ? { options: '-c default_transaction_read_only=on' } : {}),
    });
    // An idle client losing its server must not crash the process; the next query reports it.
    pool.on('error', () => {});
    // A client checked out for a transaction can lose its server between statements: pg then emits
    // 'error' on the client, which would end the process without a listener. The statement fails.
    pool.on('connect', (client) => client.on('error', () => {}));
    const broken = new WeakSet<pg.PoolClient>();
    explainQueryFailures(pool, target.statementTimeoutMs ?? 0, broken);
    releaseBrokenWithError(pool, broken);
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

/** Idle time before the first TCP keepalive probe on a database connection. */
const KEEPALIVE_DELAY_MS = 10_000;

/** SQLSTATE of a statement cancelled, here by `statement_timeout`. */
const QUERY_CANCELED = '57014';

/** pg's message when `query_timeout` passes without an answer. */
const QUERY_READ_TIMEOUT = 'Query read timeout';

/** The part of a pg client this module reaches beyond its public types. */
interface ClientSocket {
  connection?: { stream?: { destroy(): void } };
}

/**
 * Kysely releases a client with `release()` whatever happened on it; a client in `broken` is
 * released with an error instead, which makes the pool destroy it rather than lend it again. Only
 * the promise form of `connect` (Kysely's) is wrapped.
 */
function releaseBrokenWithError(pool: pg.Pool, broken: WeakSet<pg.PoolClient>): void {
  const connect = pool.connect.bind(pool) as (...args: unknown[]) => unknown;
  const connectDiscardingBroken = (...args: unknown[]) => {
    if (args.length > 0) return connect(...args);
    return (connect() as Promise<pg.PoolClient>).then((client) => {
      const release = client.release;
      client.release = (error?: Error | boolean) =>
        release(error || (broken.has(client) ? new Error('The connection got no answer in time and was discarded.') : undefined));
      return client;
    });
  };
  Object.assign(pool, { connect: connectDiscardingBroken });
}

/**
 * Turns a statement cancelled by `statement_timeout` into `unavailable` (503, "try again"), which
 * says what happened instead of a bare 500; and a query that got no answer within `query_timeout`
 * into `unavailable` too, after closing the connection's socket and marking the client `broken`:
 * its answer may still arrive, or never, so the client must not be lent again. Each new connection's `query` is wrapped
 * once; the promise form is the one Kysely uses, other forms pass through untouched.
 */
function explainQueryFailures(pool: pg.Pool, statementTimeoutMs: number, broken: WeakSet<pg.PoolClient>): void {
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    const explained = (...args: unknown[]) => {
      const result = query(...args);
      if (!(result instanceof Promise)) return result;
      return result.catch((error: unknown) => {
        if (error instanceof Error && error.message === QUERY_READ_TIMEOUT) {
          broken.add(client);
          (client as unknown as ClientSocket).connection?.stream?.destroy();
          throw new AppError('unavailable', 'The database did not answer in time (query timeout); please try again in a moment.');
        }
        if (statementTimeoutMs && (error as { code?: unknown })?.code === QUERY_CANCELED) {
          throw new AppError(
            'unavailable',
            `The database did not answer within ${statementTimeoutMs} ms (statement timeout); please try again, or narrow the request.`,
            { sqlstate: QUERY_CANCELED },
          );
        }
        throw error;
      });
    };
    Object.assign(client, { query: explained });
  });
}
