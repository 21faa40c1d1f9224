/**
 * The database going away while the server runs: every request that needs it answers 503 with
 * Retry-After (a JSON error for the API and the health check, a readable page for people), within
 * a few seconds, without crashing the server; once the database is back the next requests succeed
 * without a restart. A save that fails while the database is away is never acknowledged; every
 * acknowledged save is kept.
 *
 * PostgreSQL: the server (`server/main.ts`, a child process) reaches PostgreSQL through a TCP proxy
 * the test cuts and restores. PostgreSQL runs in both passes: TEST_DATABASE_URL when set, otherwise
 * the local server, on which the test creates a throwaway database. PGlite: an app whose embedded
 * database was closed under it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import type { Answers } from '../../../survey-definitions/answers.ts';
import { createApp } from '../../../server/app.ts';
import { openDatabase } from '../../../server/db/connect.ts';
import { databaseUrl } from '../../support/database-url.ts';
import { inviteGovernments, publishQuestionnaires, withDatabase, type InvitedGovernment } from './support/invite-governments.ts';
import { completeAnswers, writeOpenQuestionnaire } from './support/open-questionnaire.ts';
import { startServer, type ServerProcess } from './support/server-process.ts';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.ts';

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';
/** The server's DB_CONNECT_TIMEOUT_MS: how long a connection attempt to a silent host may take. */
const CONNECT_TIMEOUT_MS = 2000;
/** A refused connection must be answered at once; allow for a busy machine. */
const PROMPT_MS = 3000;

interface Answer {
  status: number;
  ms: number;
  retryAfter: string | null;
  contentType: string;
  text: string;
}

async function timed(url: string, init: RequestInit = {}): Promise<Answer> {
  const started = Date.now();
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  return { status: res.status, ms: Date.now() - started, retryAfter: res.headers.get('retry-after'), contentType: res.headers.get('content-type') ?? '', text };
}

const jsonRequest = (method: string, body: unknown): RequestInit => ({ method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

/** The 503 of the API and the health check. */
function expectUnavailableJson(answer: Answer, withinMs: number): void {
  expect(answer.status, answer.text).toBe(503);
  expect(answer.retryAfter).toBe('5');
  expect(answer.contentType).toMatch(/^application\/json/);
  expect(JSON.parse(answer.text)).toEqual({ error: { code: 'unavailable', message: expect.stringMatching(/database is unavailable/) } });
  expect(answer.ms).toBeLessThan(withinMs);
}

/** The 503 of a page a person opened. */
function expectUnavailablePage(answer: Answer, withinMs: number): void {
  expect(answer.status, answer.text).toBe(503);
  expect(answer.retryAfter).toBe('5');
  expect(answer.contentType).toMatch(/^text\/html/);
  expect(answer.text).toContain('The database is unavailable; please try again in a moment.');
  expect(answer.ms).toBeLessThan(withinMs);
}

describe('the PostgreSQL database going away while the server runs', () => {
  const name = `fat_outage_${process.pid}_${randomBytes(4).toString('hex')}`;
  const directUrl = databaseUrl(ADMIN_URL, name);
  let admin: pg.Client;
  /** Straight to the test's database, not through the proxy. */
  let direct: pg.Client | undefined;
  let dir: string;
  let surveysDir: string;
  let proxy: TcpProxy;
  let server: ServerProcess;

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    dir = mkdtempSync(path.join(tmpdir(), 'fat-outage-'));
    surveysDir = writeOpenQuestionnaire(path.join(dir, 'surveys'));
    // Migrated and the questionnaire published before the server starts.
    await withDatabase({ url: directUrl }, (db) => publishQuestionnaires(db, surveysDir));
    direct = new pg.Client({ connectionString: directUrl });
    await direct.connect();
  }, 120_000);
  // A server and a proxy of its own for every test, so that a test that breaks the server breaks no other.
  beforeEach(async () => {
    const upstream = new URL(ADMIN_URL);
    proxy = await startTcpProxy({ host: upstream.hostname, port: Number(upstream.port || 5432) });
    const viaProxy = new URL(directUrl);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    server = await startServer({
      surveysDir,
      dataDir: path.join(dir, 'data'),
      databaseUrl: viaProxy.toString(),
      env: { DB_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS) },
    });
  }, 60_000);
  afterEach(async () => {
    await server?.stop('SIGKILL');
    await proxy?.close();
  });
  afterAll(async () => {
    await direct?.end();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A request to the server; if the server is gone, the error says what it printed last. */
  const call = (url: string, init?: RequestInit) =>
    timed(url, init).catch(async (error: Error) => {
      // A server that died with the connection is reaped a moment later.
      await Promise.race([server.exited, new Promise((resolve) => setTimeout(resolve, 500))]);
      throw new Error(
        `${error.message} (${String(error.cause)}); the server ${server.running() ? 'runs' : 'has ended'}:\n${server.output().stderr.slice(-3000)}`,
      );
    });
  /** Invites governments (directly, not through the proxy) for one test. */
  const invite = (count: number, skip: number): Promise<InvitedGovernment[]> =>
    withDatabase({ url: directUrl }, (db) => inviteGovernments(db, surveysDir, count, skip));
  /** What the database holds for a respondent, read directly (not through the proxy). */
  const stored = async (respondentId: number) => {
    const { rows } = await direct!.query<{ revision: number; status: string; answers: Answers | null; submitted: number }>(
      `SELECT r.revision, r.status, rr.answers, (SELECT count(*) FROM submission s WHERE s.response_id = r.id)::int AS submitted
         FROM response r LEFT JOIN response_revision rr ON rr.response_id = r.id AND rr.revision = r.revision
        WHERE r.respondent_id = $1`,
      [respondentId],
    );
    return rows[0];
  };

  it('answers 503 with Retry-After while connections are refused, and serves again once the database is back, without a restart', {
    timeout: 60_000,
  }, async () => {
    const [kenya] = await invite(1, 0);
    const api = `${server.url}/api/r/${kenya!.token}`;
    const before = completeAnswers(1, 0);
    const saved = await call(`${api}/answers`, jsonRequest('PUT', { answers: before, revision: 0 }));
    expect(saved.status, saved.text).toBe(200);

    await proxy.cut();
    expectUnavailableJson(await call(`${server.url}/healthz`), PROMPT_MS);
    expectUnavailableJson(await call(api), PROMPT_MS);
    const lost = completeAnswers(1, 1);
    expectUnavailableJson(await call(`${api}/answers`, jsonRequest('PUT', { answers: lost, revision: 1 })), PROMPT_MS);
    expectUnavailableJson(await call(`${api}/submit`, jsonRequest('POST', { revision: 1 })), PROMPT_MS);
    expectUnavailablePage(await call(`${server.url}/`, { headers: { Accept: 'text/html' } }), PROMPT_MS);
    expectUnavailablePage(await call(`${server.url}/r/${kenya!.token}`, { headers: { Accept: 'text/html' }, redirect: 'manual' }), PROMPT_MS);
    expect(server.running()).toBe(true);

    await proxy.restore();
    const health = await call(`${server.url}/healthz`);
    expect(health.status, health.text).toBe(200);
    expect(JSON.parse(health.text)).toEqual({ status: 'ok', database: 'postgres' });
    // The save refused with 503 was not stored: the answers are still those acknowledged before.
    const state = JSON.parse((await call(api)).text) as { revision: number; answers: Answers };
    expect(state).toMatchObject({ revision: 1, answers: before });
    const resaved = await call(`${api}/answers`, jsonRequest('PUT', { answers: lost, revision: 1 }));
    expect(resaved.status, resaved.text).toBe(200);
    const submitted = await call(`${api}/submit`, jsonRequest('POST', { revision: 2 }));
    expect(submitted.status, submitted.text).toBe(200);
    expect(await stored(kenya!.respondentId)).toEqual({ revision: 2, status: 'submitted', answers: lost, submitted: 1 });
    expect(server.running()).toBe(true);
  });

  it('answers every save cut off mid-flight with 200 or 503, and keeps every acknowledged one', { timeout: 60_000 }, async () => {
    const clients = await invite(10, 1);
    const ledgers = clients.map((invited) => ({ invited, sent: new Map<number, Answers>(), acknowledged: 0 }));
    let acknowledged = 0;
    let cut: Promise<void> | undefined;
    await Promise.all(
      ledgers.map(async (ledger, client) => {
        const api = `${server.url}/api/r/${ledger.invited.token}`;
        for (let round = 0; ; round++) {
          const answers = completeAnswers(client, round);
          ledger.sent.set(ledger.acknowledged + 1, answers);
          const saved = await call(`${api}/answers`, jsonRequest('PUT', { answers, revision: ledger.acknowledged }));
          if (saved.status !== 200) {
            expectUnavailableJson(saved, PROMPT_MS);
            return;
          }
          ledger.acknowledged += 1;
          // The cut comes while the other clients' saves are running.
          if (++acknowledged === 30) cut = proxy.cut();
        }
      }),
    );
    await cut;
    expect(server.running()).toBe(true);

    await proxy.restore();
    for (const ledger of ledgers) {
      const row = await stored(ledger.invited.respondentId);
      // A commit whose answer was lost with the connection is possible; a lost acknowledged save is not.
      expect(row!.revision).toBeGreaterThanOrEqual(ledger.acknowledged);
      expect(row!.answers).toEqual(ledger.sent.get(row!.revision));
      // Serving again: a save based on the stored revision is accepted.
      const again = await call(
        `${server.url}/api/r/${ledger.invited.token}/answers`,
        jsonRequest('PUT', { answers: completeAnswers(0, 99), revision: row!.revision }),
      );
      expect(again.status, again.text).toBe(200);
    }
  });

  it('answers 503 within the connect timeout when the database host stops answering', { timeout: 60_000 }, async () => {
    const [ghana] = await invite(1, 11);
    proxy.silence();
    const [health, state] = await Promise.all([call(`${server.url}/healthz`), call(`${server.url}/api/r/${ghana!.token}`)]);
    expectUnavailableJson(health, CONNECT_TIMEOUT_MS + PROMPT_MS);
    expectUnavailableJson(state, CONNECT_TIMEOUT_MS + PROMPT_MS);
    expect(server.running()).toBe(true);

    await proxy.restore();
    expect((await call(`${server.url}/healthz`)).status).toBe(200);
    expect((await call(`${server.url}/api/r/${ghana!.token}`)).status).toBe(200);
  });
});

describe('the embedded PGlite database closed under the app', () => {
  it('answers 503 with Retry-After, not 500', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fat-outage-pglite-'));
    // The run's migrated template in the PGlite pass; in the PostgreSQL pass there is none, so migrate.
    const pglite = process.env.TEST_DATABASE_URL
      ? await PGlite.create()
      : await PGlite.create({ loadDataDir: new Blob([readFileSync(inject('pgliteTemplate'))]) });
    const handle = await openDatabase({ kind: 'pglite', pglite }, { migrate: !!process.env.TEST_DATABASE_URL });
    try {
      const [kenya] = await inviteGovernments(handle.db, writeOpenQuestionnaire(path.join(dir, 'surveys')), 1);
      const app = createApp({
        db: handle.db,
        databaseKind: 'pglite',
        publicUrl: 'https://assess.example.org',
        sessionDays: 30,
        trustProxy: false,
        surveysDir: path.join(dir, 'surveys'),
        now: () => new Date(),
      });
      const request = async (url: string, init: RequestInit = {}): Promise<Answer> => {
        const started = Date.now();
        const res = await app.request(url, init);
        return {
          status: res.status,
          ms: Date.now() - started,
          retryAfter: res.headers.get('retry-after'),
          contentType: res.headers.get('content-type') ?? '',
          text: await res.text(),
        };
      };
      expect((await request('/healthz')).status).toBe(200);

      await pglite.close();
      expectUnavailableJson(await request('/healthz'), PROMPT_MS);
      expectUnavailableJson(await request(`/api/r/${kenya!.token}`), PROMPT_MS);
      expectUnavailablePage(await request('/', { headers: { Accept: 'text/html' } }), PROMPT_MS);
    } finally {
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
