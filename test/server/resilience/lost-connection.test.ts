/**
 * A database connection lost without a word (a firewall or NAT forgetting its state, a failover):
 * the network stops carrying bytes, and nobody closes anything. While it lasts, requests answer
 * 503 within the configured timeouts instead of hanging; within seconds of the network's return
 * requests and the health check succeed again, without a restart; and PostgreSQL keeps no session
 * idle in a transaction holding row locks.
 *
 * The server (`server/main.ts`, a child process) reaches PostgreSQL through a TCP proxy that the
 * test tells to drop traffic. PostgreSQL runs in both passes: TEST_DATABASE_URL when set, otherwise
 * the local server, on which the test creates a throwaway database (as the outage test does).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseUrl } from '../../support/database-url.ts';
import { inviteGovernments, publishQuestionnaires, withDatabase, type InvitedGovernment } from './support/invite-governments.ts';
import { completeAnswers, writeOpenQuestionnaire } from './support/open-questionnaire.ts';
import { startServer, type ServerProcess } from './support/server-process.ts';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.ts';

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
/** The server's timeouts, short so that the test is quick; the defaults are longer. */
const CONNECT_TIMEOUT_MS = 1500;
const STATEMENT_TIMEOUT_MS = 1000;
const QUERY_TIMEOUT_MS = 2000;
const IDLE_IN_TRANSACTION_TIMEOUT_MS = 2000;
/** Longest a request may take while the traffic is dropped: a timeout, and room for a busy machine. */
const FAIL_FAST_MS = QUERY_TIMEOUT_MS + CONNECT_TIMEOUT_MS + 3000;
/** How soon after the network's return the server must serve again. */
const RECOVERY_MS = QUERY_TIMEOUT_MS + 8000;

interface Answer {
  status: number;
  ms: number;
  text: string;
}

async function timed(url: string, init: RequestInit = {}): Promise<Answer> {
  const started = Date.now();
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  return { status: res.status, ms: Date.now() - started, text };
}

const save = (answers: unknown, revision: number): RequestInit => ({
  method: 'PUT',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ answers, revision }),
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a PostgreSQL connection lost without a word', () => {
  const name = `fat_lost_${process.pid}_${randomBytes(4).toString('hex')}`;
  const directUrl = databaseUrl(ADMIN_URL, name);
  let admin: pg.Client;
  /** Straight to the test's database, not through the proxy. */
  let direct: pg.Client | undefined;
  let dir: string;
  let proxy: TcpProxy | undefined;
  let server: ServerProcess | undefined;
  let governments: InvitedGovernment[];

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    dir = mkdtempSync(path.join(tmpdir(), 'fat-lost-'));
    const surveysDir = writeOpenQuestionnaire(path.join(dir, 'surveys'));
    await withDatabase({ url: directUrl }, (db) => publishQuestionnaires(db, surveysDir));
    governments = await withDatabase({ url: directUrl }, (db) => inviteGovernments(db, surveysDir, 8));
    direct = new pg.Client({ connectionString: directUrl });
    await direct.connect();
    const upstream = new URL(ADMIN_URL);
    proxy = await startTcpProxy({ host: upstream.hostname, port: Number(upstream.port || 5432) });
    const viaProxy = new URL(directUrl);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    server = await startServer({
      surveysDir,
      dataDir: path.join(dir, 'data'),
      databaseUrl: viaProxy.toString(),
      env: {
        DB_POOL_SIZE: '4',
        DB_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
        STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
        DB_QUERY_TIMEOUT_MS: String(QUERY_TIMEOUT_MS),
        DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: String(IDLE_IN_TRANSACTION_TIMEOUT_MS),
      },
    });
  }, 120_000);
  afterAll(async () => {
    await server?.stop('SIGKILL');
    await proxy?.close();
    await direct?.end();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Sessions of the test's database left idle inside a transaction, and the row locks they hold. */
  const stranded = async () => {
    const { rows } = await direct!.query<{ sessions: number; locks: number }>(
      `SELECT count(DISTINCT a.pid)::int AS sessions, count(l.pid)::int AS locks
         FROM pg_stat_activity a LEFT JOIN pg_locks l ON l.pid = a.pid AND l.granted AND l.locktype IN ('tuple', 'transactionid')
        WHERE a.datname = $1 AND a.state LIKE 'idle in transaction%'`,
      [name],
    );
    return rows[0]!;
  };

  it('fails fast while the traffic is dropped, serves again within seconds of its return, and leaves no lock behind', { timeout: 120_000 }, async () => {
    const api = (g: InvitedGovernment) => `${server!.url}/api/r/${g.token}`;
    // Saves keep every pooled connection busy, some inside their transaction, when the traffic drops.
    const revisions = new Map(governments.map((g) => [g.token, 0]));
    let dropped = false;
    const during: Answer[] = [];
    const savers = governments.map(async (g, client) => {
      for (let round = 0; ; round++) {
        const answer = await timed(`${api(g)}/answers`, save(completeAnswers(client, round), revisions.get(g.token)!));
        if (answer.status === 200) {
          revisions.set(g.token, revisions.get(g.token)! + 1);
          if (dropped) return;
          continue;
        }
        during.push(answer);
        return;
      }
    });
    await sleep(1500);
    proxy!.drop();
    dropped = true;
    await Promise.all(savers);
    for (const answer of during) {
      expect(answer.status, answer.text).toBe(503);
      expect(answer.ms).toBeLessThan(FAIL_FAST_MS + 1500);
    }

    // While the traffic stays dropped, every request answers 503, promptly.
    const dropEnds = Date.now() + 2 * QUERY_TIMEOUT_MS + 1000;
    while (Date.now() < dropEnds) {
      const [health, state] = await Promise.all([timed(`${server!.url}/healthz`), timed(api(governments[0]!))]);
      for (const answer of [health, state]) {
        expect(answer.status, answer.text).toBe(503);
        expect(answer.ms).toBeLessThan(FAIL_FAST_MS);
      }
    }
    expect(server!.running()).toBe(true);
    // PostgreSQL has ended every session the server left inside a transaction, and their locks with them.
    expect(await stranded()).toEqual({ sessions: 0, locks: 0 });

    proxy!.heal();
    const healed = Date.now();
    let health: Answer;
    do {
      health = await timed(`${server!.url}/healthz`);
      if (health.status !== 200) await sleep(200);
    } while (health.status !== 200 && Date.now() - healed < RECOVERY_MS);
    expect(health.status, health.text).toBe(200);
    expect(Date.now() - healed).toBeLessThan(RECOVERY_MS);
    // Serving again, for every respondent: no broken connection is lent out any more.
    for (const [client, g] of governments.entries()) {
      const state = await timed(api(g));
      expect(state.status, state.text).toBe(200);
      const { revision } = JSON.parse(state.text) as { revision: number };
      const saved = await timed(`${api(g)}/answers`, save(completeAnswers(client, 99), revision));
      expect(saved.status, saved.text).toBe(200);
      expect(saved.ms).toBeLessThan(FAIL_FAST_MS);
    }
    expect(await stranded()).toEqual({ sessions: 0, locks: 0 });
  });
});
