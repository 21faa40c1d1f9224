/**
 * Trends through the app and the command line, on the pairs of test/server/support/trends-data.ts:
 * the API's JSON is the command line's, observers are refused, and the page and its CSV show the
 * figures of the JSON.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Hono } from 'hono';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrendsResult } from '../../../analysis/trend-results.ts';
import { createUserSession } from '../../../server/accounts/user-sessions.queries.ts';
import { insertUser } from '../../../server/accounts/users.queries.ts';
import type { AppEnv } from '../../../server/app-env.ts';
import { createApp } from '../../../server/app.ts';
import type { CliOutput } from '../../../server/cli/cli-database.ts';
import { trendsCommand } from '../../../server/cli/trends.ts';
import { openDatabase, type DatabaseHandle } from '../../../server/db/connect.ts';
import type { UserRole } from '../../../server/db/schema.ts';
import { USER_COOKIE } from '../../../server/http/require-user.ts';
import { createTestDatabase, TEST_DATABASE_KIND, type TestDatabase } from '../../support/database.ts';
import { ANALYSIS_NOW } from '../support/analysis-data.ts';
import { publishTrendSurveys, seedTrendData } from '../support/trends-data.ts';

const API = '/api/trends?from=trends-2011&to=trends-2012';

describe(`trends API, command line and page (${TEST_DATABASE_KIND})`, () => {
  let dataDir: string;
  let handle: DatabaseHandle;
  let app: Hono<AppEnv>;
  const cookies = {} as Record<UserRole, string>;
  const open = async () => {
    handle = process.env.TEST_DATABASE_URL ? handle : await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'data') });
    app = createApp({
      db: handle.db,
      databaseKind: handle.kind,
      publicUrl: 'https://assess.example.org',
      sessionDays: 30,
      trustProxy: false,
      now: () => ANALYSIS_NOW,
    });
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'fat-trends-'));
    // The command line opens the database itself: PostgreSQL by URL, or PGlite in a data folder.
    handle = process.env.TEST_DATABASE_URL ? await createTestDatabase() : await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'data') });
    await publishTrendSurveys(handle.db);
    await seedTrendData(handle.db);
    for (const role of ['admin', 'analyst', 'observer'] as const) {
      const userId = await insertUser(handle.db, { email: `${role}@team.example.org`, role });
      cookies[role] = (await createUserSession(handle.db, userId, ANALYSIS_NOW)).cookieValue;
    }
    await open();
    // A migrated PGlite in a data folder, on two shared cores.
  }, 300_000);
  afterAll(async () => {
    await handle.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const get = (url: string, role?: UserRole) => app.request(url, { headers: role ? { Cookie: `${USER_COOKIE}=${cookies[role]}` } : {} });
  async function api(query = '', role: UserRole = 'analyst'): Promise<TrendsResult> {
    const res = await get(`${API}${query}`, role);
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as TrendsResult;
  }

  it('answers 401 to anonymous requests and 403 to an observer, on the API, the page and the CSV', async () => {
    expect((await get(API)).status).toBe(401);
    for (const url of [API, `${API}&by=region`, '/api/trends?from=trends-2011&to=trends-2012&region=Europe']) {
      const res = await get(url, 'observer');
      expect(res.status, url).toBe(403);
      expect(await res.json()).toMatchObject({ error: { code: 'forbidden' } });
    }
    for (const url of ['/admin/trends', '/admin/trends?from=trends-2011&to=trends-2012', '/admin/trends.csv?from=trends-2011&to=trends-2012']) {
      const res = await get(url, 'observer');
      expect(res.status, url).toBe(403);
      expect(await res.text()).not.toContain('Wilcoxon');
    }
  });

  it('refuses a malformed query with 400 and an unknown questionnaire with 404', async () => {
    expect((await get('/api/trends?from=trends-2011', 'analyst')).status).toBe(400);
    expect((await get(`${API}&by=colour`, 'analyst')).status).toBe(400);
    expect((await get('/api/trends?from=trends-2011&to=nowhere', 'analyst')).status).toBe(404);
  });

  it('gives the command line’s --json exactly', async () => {
    for (const [query, options] of [
      ['', {}],
      ['&by=region&status=all', { by: 'region', status: 'all' }],
      ['&region=Africa&kind=government', { region: 'Africa', kind: 'government' }],
    ] as const) {
      const fromApi = await api(query, 'admin');
      if (!process.env.TEST_DATABASE_URL) await handle.close();
      const out: string[] = [];
      const output: CliOutput = { log: (line) => out.push(line), error: (line) => out.push(line), write: (text) => out.push(text) };
      const env = process.env.TEST_DATABASE_URL ? { DATABASE_URL: (handle as TestDatabase).url! } : { DATA_DIR: path.join(dataDir, 'data') };
      expect(await trendsCommand({ from: 'trends-2011', to: 'trends-2012', json: true, ...options }, output, env), out.join('\n')).toBe(0);
      await open();
      const fromCli = JSON.parse(out.join('')) as TrendsResult;
      // Only the time of making differs (the app's clock against the machine's).
      expect({ ...fromCli, generatedAt: '' }).toEqual({ ...fromApi, generatedAt: '' });
      expect(fromApi.groups.length).toBeGreaterThan(0);
    }
  }, 180_000);

  it('shows on the page, for every item, the figures and tests of the JSON', async () => {
    const json = await api();
    const res = await get('/admin/trends', 'analyst');
    expect(res.status).toBe(200);
    const html = await res.text();
    // Without from and to, the two phased questionnaires of the same audience, earlier first.
    expect(html).toMatch(/<option value="trends-2011" selected="">Look back 2011 \(2011\)<\/option>/);
    expect(html).toMatch(/<option value="trends-2012" selected="">Stocktake 2012 \(2012\)<\/option>/);
    expect(html).toContain('<a href="/admin/trends" aria-current="page">Trends</a>');
    const items = json.groups.flatMap((g) => g.items);
    expect(items).toHaveLength(8);
    for (const item of items) {
      expect(html).toContain(item.summary);
      for (const t of [item.paired.test, item.overall.test]) {
        if (!t) continue;
        const cell = (p: number) => `<td class="num">${p < 0.001 ? '&lt; 0.001' : p.toFixed(3)}</td>`;
        expect(html, `${item.laterQuestionId} ${t.name}`).toContain(`${cell(t.p)}${cell(t.pAdjusted!)}`);
      }
    }
    // Support: 2011 mean 2.13 (17/8), 2012 mean 4.29 (30/7), change +2.16; Wilcoxon p 0.094, Holm 0.938.
    expect(html).toMatch(
      /<th scope="row">Mean<\/th><td class="num">2.13<\/td><td class="num">[^<]+<\/td><td class="num">4.29<\/td><td class="num">[^<]+<\/td><td class="num">\+2.16<\/td>/,
    );
    expect(html).toContain('<td class="num">0.094</td><td class="num">0.938</td>');
    // One chart per question, a matrix one per row, none where neither phase answered (the Troika row):
    // support, Steering Group row, attended, chair, and the options of topics together.
    expect(html.match(/<canvas id="trend-0-[\d-]+"/g)).toHaveLength(5);
    expect(html).toContain('No chart: neither phase has an answer');
  });

  it('downloads the page as CSV, one row per item, and logs it', async () => {
    const json = await api('&by=region');
    const res = await get('/admin/trends.csv?from=trends-2011&to=trends-2012&by=region', 'analyst');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('trends-trends-2011-trends-2012.csv');
    const rows = Papa.parse<Record<string, string>>((await res.text()).replace(/^\uFEFF/, ''), { header: true, delimiter: ',', skipEmptyLines: true }).data;
    expect(rows).toHaveLength(json.groups.reduce((sum, g) => sum + g.items.length, 0));
    const support = rows.find((r) => r['group'] === 'Africa' && r['later_question_id'] === 'b_support')!;
    const item = json.groups.find((g) => g.key === 'Africa')!.items.find((i) => i.laterQuestionId === 'b_support')!;
    expect(Number(support['earlier_value'])).toBe(item.earlier.mean);
    expect(support['paired_n']).toBe('4');
    const audit = await handle.db.selectFrom('audit_log').select(['action', 'actor']).where('action', '=', 'export.trends_csv').execute();
    expect(audit).toEqual([{ action: 'export.trends_csv', actor: 'analyst@team.example.org' }]);
  });
});
