/**
 * Growing past one machine: the analytical pages read through a second, read-only handle (a
 * replica) while every write stays on the primary; statement and connect timeouts fail fast and
 * say so; the configuration names a bad variable.
 */
import net from 'node:net';
import { Hono } from 'hono';
import { sql, type KyselyPlugin, type Kysely, type RootOperationNode } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../../../server/accounts/passwords.ts';
import { insertUser } from '../../../server/accounts/users.queries.ts';
import type { AppEnv } from '../../../server/app-env.ts';
import { createApp } from '../../../server/app.ts';
import { ConfigError, readConfig } from '../../../server/config.ts';
import { openDatabase, type DatabaseHandle } from '../../../server/db/connect.ts';
import type { Database } from '../../../server/db/schema.ts';
import { importInvitees } from '../../../server/respondents/import-invitees.ts';
import { syncDefinitions } from '../../../server/surveys/sync-definitions.ts';
import { AppError } from '../../../server/errors.ts';
import { handleError } from '../../../server/http/error-handler.tsx';
import { publishAnalysisSurveys, seedBaseData } from '../support/analysis-data.ts';
import { FLOW_SURVEYS, PUBLIC_URL, WHILE_OPEN } from '../support/app-fixture.ts';
import { Browser } from '../support/browser.ts';
import { inputValue } from '../support/html.ts';
import { createTestDatabase, TEST_DATABASE_KIND, type TestDatabase } from '../../support/database.ts';

const WRITES = new Set(['InsertQueryNode', 'UpdateQueryNode', 'DeleteQueryNode', 'MergeQueryNode']);

/** Counts the statements sent through a handle; with `refuse`, stops any write before it leaves. */
class AnalyticsWatch implements KyselyPlugin {
  readonly statements: string[] = [];
  constructor(private readonly refuse: boolean) {}
  transformQuery({ node }: { node: RootOperationNode }): RootOperationNode {
    const text = node.kind === 'RawNode' ? node.sqlFragments.join('?').trim().slice(0, 12).toLowerCase() : '';
    const write = WRITES.has(node.kind) || /^(insert|update|delete|merge)\b/.test(text);
    this.statements.push(write ? `write:${node.kind}` : node.kind);
    if (write && this.refuse) throw new Error(`analytics handle is read-only: ${node.kind}`);
    return node;
  }
  async transformResult<T>({ result }: { result: T }): Promise<T> {
    return result;
  }
}

describe(`analytics database (${TEST_DATABASE_KIND})`, { timeout: 120_000 }, () => {
  let primary: TestDatabase;
  let replica: DatabaseHandle | undefined;
  let watch: AnalyticsWatch;
  let analytics: Kysely<Database>;
  let app: Hono<AppEnv>;

  beforeEach(async () => {
    primary = await createTestDatabase();
    expect((await syncDefinitions(primary.db, FLOW_SURVEYS)).problems).toEqual([]);
    await publishAnalysisSurveys(primary.db);
    await seedBaseData(primary.db);
    if (primary.url) {
      // PostgreSQL: a second pool whose every transaction is read-only, as on a replica.
      replica = await openDatabase({ kind: 'postgres', url: primary.url, poolSize: 2, readOnly: true, statementTimeoutMs: 60_000 }, { migrate: false });
      watch = new AnalyticsWatch(false);
      analytics = replica.db.withPlugin(watch);
    } else {
      // PGlite has one connection: a session setting would bind the primary too, so the same
      // handle is used and the watch refuses writes before they reach it.
      watch = new AnalyticsWatch(true);
      analytics = primary.db.withPlugin(watch);
    }
    app = createApp({
      db: primary.db,
      analyticsDb: analytics,
      databaseKind: primary.kind,
      publicUrl: PUBLIC_URL,
      sessionDays: 30,
      trustProxy: false,
      surveysDir: FLOW_SURVEYS,
      now: () => new Date(WHILE_OPEN),
    });
  });
  afterEach(async () => {
    await replica?.close();
    replica = undefined;
    await primary.close();
  });

  async function signedInAnalyst(): Promise<Browser> {
    const password = 'plain sailing to the forum';
    await insertUser(primary.db, { email: 'analyst@team.example.org', role: 'analyst', passwordHash: await hashPassword(password) });
    const browser = new Browser(app);
    expect((await browser.postForm('/admin/login', { email: 'analyst@team.example.org', password })).status).toBe(303);
    return browser;
  }

  it('the analytical pages and downloads read through the read-only handle and write only to the primary', async () => {
    const analyst = await signedInAnalyst();
    const pages = [
      '/admin/dashboard?survey=analysis-gov',
      '/admin/dashboard/analysis-gov/g_chair.csv',
      '/api/surveys/analysis-gov/analysis',
      '/api/surveys/analysis-gov/comparisons?by=kind',
      '/api/comparisons/shared?a=analysis-gov&b=analysis-cs',
      '/admin/comparisons?by=region&survey=analysis-gov',
      '/admin/comparisons',
      '/admin/report?survey=analysis-gov',
      '/admin/free-text?survey=analysis-gov',
      '/admin/tracker',
      '/admin/tracker?survey=analysis-gov',
      '/admin/tracker/reminders.csv?survey=analysis-gov',
      '/admin/export',
    ];
    for (const page of pages) {
      const before = watch.statements.length;
      const res = await analyst.get(page);
      expect(res.status, `${page}: ${res.status === 200 ? '' : await res.text()}`).toBe(200);
      expect(watch.statements.length, `${page} read through the analytics handle`).toBeGreaterThan(before);
    }
    expect(watch.statements.filter((s) => s.startsWith('write:'))).toEqual([]);

    // The export bundle is written (and audited) through the primary; its form lists surveys from the replica.
    const csrf = inputValue(await (await analyst.get('/admin/export')).text(), '_csrf')!;
    const exported = await analyst.postForm(
      '/admin/export',
      { _csrf: csrf, survey: 'analysis-gov', k: '3', recipient: 'A. Researcher', purpose: 'A study' },
      { Accept: 'text/html' },
    );
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toBe('application/zip');

    const audit = await primary.db.selectFrom('audit_log').select('action').orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['export.question_csv', 'export.reminders', 'export.restricted']));
    expect(watch.statements.filter((s) => s.startsWith('write:'))).toEqual([]);
  });

  it('respondents still save and submit: their writes go to the primary', async () => {
    const invited = await importInvitees(primary.db, {
      surveyId: 'flow-gov',
      csvText: 'name,kind,country\nKenya,government,KEN\n',
      publicUrl: PUBLIC_URL,
      actor: 'test',
    });
    if (!invited.ok) throw new Error('the invitation failed');
    const respondent = new Browser(app);
    expect((await respondent.openLink(invited.rows[0]!.link.slice(`${PUBLIC_URL}/r/`.length))).status).toBe(303);
    expect((await respondent.saveSection(1, { q_role: 'ministry', q_attended: 'no' })).status).toBe(303);
    const rows = await primary.db
      .selectFrom('answer')
      .innerJoin('response', 'response.id', 'answer.response_id')
      .innerJoin('respondent', 'respondent.id', 'response.respondent_id')
      .select('answer.question_id')
      .where('respondent.name', '=', 'Kenya')
      .execute();
    expect(rows.map((r) => r.question_id).sort()).toEqual(['q_attended', 'q_role']);
    expect(watch.statements).toEqual([]);
  });

  it(TEST_DATABASE_KIND === 'postgres' ? 'the read-only pool refuses a write outright' : 'the watch refuses a write before it reaches PGlite', async () => {
    const write = analytics.insertInto('audit_log').values({ actor: 'test', action: 'should.not.exist', details: '{}' }).execute();
    await expect(write).rejects.toThrow(TEST_DATABASE_KIND === 'postgres' ? /read-only transaction/ : /analytics handle is read-only/);
    expect(await primary.db.selectFrom('audit_log').select('id').where('action', '=', 'should.not.exist').execute()).toEqual([]);
  });

  it(
    TEST_DATABASE_KIND === 'postgres'
      ? 'statement_timeout cancels a long query with a clear 503-class error'
      : 'PGlite has no statement_timeout: a long query runs to its end',
    async () => {
      if (!primary.url) {
        const started = Date.now();
        await sql`set statement_timeout = 100`.execute(primary.db);
        await sql`select pg_sleep(0.4)`.execute(primary.db);
        expect(Date.now() - started).toBeGreaterThanOrEqual(400);
        return;
      }
      const limited = await openDatabase({ kind: 'postgres', url: primary.url, poolSize: 1, statementTimeoutMs: 200 }, { migrate: false });
      try {
        const started = Date.now();
        const error = await sql`select pg_sleep(5)`.execute(limited.db).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(Date.now() - started).toBeLessThan(3000);
        expect(error).toBeInstanceOf(AppError);
        expect(error).toMatchObject({ code: 'unavailable', status: 503 });
        expect((error as AppError).message).toMatch(/did not answer within 200 ms \(statement timeout\)/);
        // The pool's connection is still good afterwards.
        expect((await sql<{ one: number }>`select 1 as one`.execute(limited.db)).rows).toEqual([{ one: 1 }]);
        // Through the app's one error hook, a request answers 503 with the reason and Retry-After.
        const probe = new Hono<AppEnv>();
        probe.onError(handleError);
        probe.get('/api/slow', async (c) => c.json((await sql`select pg_sleep(5)`.execute(limited.db)).rows));
        const res = await probe.request('/api/slow');
        expect(res.status).toBe(503);
        expect(res.headers.get('retry-after')).toBe('5');
        expect(((await res.json()) as { error: { code: string; message: string } }).error).toMatchObject({
          code: 'unavailable',
          message: expect.stringMatching(/statement timeout/),
        });
      } finally {
        await limited.close();
      }
    },
  );
});

describe('database connection settings', () => {
  it('a database that accepts no conversation fails within DB_CONNECT_TIMEOUT_MS instead of hanging', async () => {
    // A port that takes the connection and never answers: a database that is away or stuck.
    const silent = net.createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    const handle = await openDatabase({ kind: 'postgres', url: `postgres://nobody@127.0.0.1:${port}/none`, connectTimeoutMs: 300 }, { migrate: false });
    try {
      const started = Date.now();
      await expect(sql`select 1`.execute(handle.db)).rejects.toThrow(/timeout/i);
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await handle.close();
      silent.close();
    }
  });

  it('reads the analytics and timeout settings, with defaults', () => {
    const config = readConfig({
      DATABASE_URL: 'postgres://app@db.example.org/forum?sslmode=require',
      ANALYTICS_DATABASE_URL: 'postgresql://app@replica.example.org/forum?sslmode=require',
    });
    expect(config.analyticsDatabaseUrl).toBe('postgresql://app@replica.example.org/forum?sslmode=require');
    expect(config.connectTimeoutMs).toBe(5000);
    expect(config.statementTimeoutMs).toBe(30_000);
    expect(config.analyticsStatementTimeoutMs).toBe(120_000);
    const tuned = readConfig({ DB_CONNECT_TIMEOUT_MS: '1500', ANALYTICS_STATEMENT_TIMEOUT_MS: '0' });
    expect([tuned.connectTimeoutMs, tuned.analyticsStatementTimeoutMs, tuned.analyticsDatabaseUrl]).toEqual([1500, 0, undefined]);
  });

  it.each([
    [
      { DATABASE_URL: 'postgres://db/forum', ANALYTICS_DATABASE_URL: 'mysql://replica/forum' },
      'ANALYTICS_DATABASE_URL: must be a postgres:// or postgresql:// URL',
    ],
    [{ ANALYTICS_DATABASE_URL: 'postgres://replica/forum' }, 'ANALYTICS_DATABASE_URL: needs DATABASE_URL'],
    [{ DB_CONNECT_TIMEOUT_MS: 'soon' }, 'DB_CONNECT_TIMEOUT_MS:'],
    [{ DB_CONNECT_TIMEOUT_MS: '10' }, 'DB_CONNECT_TIMEOUT_MS: must be at least 100'],
    [{ ANALYTICS_STATEMENT_TIMEOUT_MS: '-1' }, 'ANALYTICS_STATEMENT_TIMEOUT_MS:'],
    [{ STATEMENT_TIMEOUT_MS: '1.5' }, 'STATEMENT_TIMEOUT_MS:'],
  ])('refuses %o, naming the variable', (env, message) => {
    expect(() => readConfig(env)).toThrow(ConfigError);
    expect(() => readConfig(env)).toThrow(message);
  });

  it('never puts a URL (with its password) in a configuration error', () => {
    let message = '';
    try {
      readConfig({ DATABASE_URL: 'postgres://app:s3cret@db/forum', ANALYTICS_DATABASE_URL: 'http://app:s3cret@replica/forum' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('ANALYTICS_DATABASE_URL');
    expect(message).not.toContain('s3cret');
  });
});
