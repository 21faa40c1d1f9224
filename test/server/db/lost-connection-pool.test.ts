/**
 * The pool and a connection lost without a word: a query that gets no answer within the query
 * timeout fails as `unavailable` and its client is discarded, so the next query, once the network
 * is back, runs on a fresh connection; PostgreSQL ends the session abandoned inside a transaction,
 * and its row locks with it. PostgreSQL in both passes (TEST_DATABASE_URL, else the local server).
 */
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../../server/db/connect.ts';
import { AppError } from '../../../server/errors.ts';
import { startTcpProxy, type TcpProxy } from '../resilience/support/tcp-proxy.ts';

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
const QUERY_TIMEOUT_MS = 500;

const failure = (work: Promise<unknown>) =>
  work.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('a pooled connection lost without a word', () => {
  let proxy: TcpProxy;
  let handle: DatabaseHandle;
  let direct: pg.Client;
  beforeEach(async () => {
    const upstream = new URL(ADMIN_URL);
    proxy = await startTcpProxy({ host: upstream.hostname, port: Number(upstream.port || 5432) });
    const viaProxy = new URL(ADMIN_URL);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    handle = await openDatabase(
      { kind: 'postgres', url: viaProxy.toString(), poolSize: 1, connectTimeoutMs: 500, queryTimeoutMs: QUERY_TIMEOUT_MS, idleInTransactionTimeoutMs: 1000 },
      { migrate: false },
    );
    direct = new pg.Client({ connectionString: ADMIN_URL });
    await direct.connect();
  });
  afterEach(async () => {
    await handle.close();
    await proxy.close();
    await direct.end();
  });

  it('sets the idle-in-transaction timeout on every session', async () => {
    const { rows } = await sql<{ idle_in_transaction_session_timeout: string }>`show idle_in_transaction_session_timeout`.execute(handle.db);
    expect(rows).toEqual([{ idle_in_transaction_session_timeout: '1s' }]);
  });

  it('times the query out as unavailable, discards the client, and serves on a fresh one once the network is back', async () => {
    const before = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(handle.db);
    proxy.drop();
    const started = Date.now();
    const error = await failure(sql`select 1`.execute(handle.db));
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'unavailable' });
    expect(Date.now() - started).toBeLessThan(QUERY_TIMEOUT_MS + 1500);

    proxy.heal();
    const after = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(handle.db);
    expect(after.rows[0]!.pid).not.toBe(before.rows[0]!.pid);
  });

  it('leaves no session idle in a transaction holding a lock', async () => {
    const table = `lost_lock_${process.pid}_${Date.now()}`;
    await direct.query(`CREATE TABLE ${table} (id int PRIMARY KEY)`);
    try {
      await direct.query(`INSERT INTO ${table} VALUES (1)`);
      let pid = 0;
      const transaction = failure(
        handle.db.transaction().execute(async (trx) => {
          pid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)).rows[0]!.pid;
          await sql`select id from ${sql.table(table)} where id = 1 for update`.execute(trx);
          proxy.drop();
          await sql`select 1`.execute(trx);
        }),
      );
      expect(await transaction).toBeInstanceOf(Error);
      // The abandoned session held the row; PostgreSQL ends it within the idle-in-transaction timeout.
      const deadline = Date.now() + 5000;
      let held = true;
      while (held && Date.now() < deadline) {
        const { rows } = await direct.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1', [pid]);
        held = rows[0]!.n > 0;
        if (held) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(held).toBe(false);
      await direct.query(`SET lock_timeout = '1s'`);
      await direct.query('BEGIN');
      await direct.query(`SELECT id FROM ${table} WHERE id = 1 FOR UPDATE`);
      await direct.query('ROLLBACK');
    } finally {
      await direct.query(`DROP TABLE IF EXISTS ${table}`);
    }
  });
});
