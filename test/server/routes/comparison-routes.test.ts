/**
 * The comparisons page, its CSV and the comparisons API name tests and effect sizes in words
 * (one map, analysis/results.ts), never by their codes; groups left out of a test are named.
 * Through `app.request()` on the comparison data set of test/server/support/analysis-data.ts.
 */
import type { Hono } from 'hono';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EFFECT_TITLES, TEST_TITLES, type QuestionComparison } from '../../../analysis/results.ts';
import { createUserSession } from '../../../server/accounts/user-sessions.queries.ts';
import { insertUser } from '../../../server/accounts/users.queries.ts';
import type { AppEnv } from '../../../server/app-env.ts';
import { createApp } from '../../../server/app.ts';
import type { UserRole } from '../../../server/db/schema.ts';
import { USER_COOKIE } from '../../../server/http/require-user.ts';
import { createTestDatabase, TEST_DATABASE_KIND, type TestDatabase } from '../../support/database.ts';
import { ANALYSIS_NOW, publishAnalysisSurveys, seedComparisonData } from '../support/analysis-data.ts';

const CODES = /chi_square|fisher_exact|mann_whitney|kruskal_wallis|cramers_v|rank_biserial|epsilon_squared|mann whitney|rank biserial|cramers v/;

describe(`comparisons in words (${TEST_DATABASE_KIND})`, () => {
  let handle: TestDatabase;
  let app: Hono<AppEnv>;
  const cookies = {} as Record<UserRole, string>;

  beforeAll(async () => {
    handle = await createTestDatabase();
    await publishAnalysisSurveys(handle.db);
    await seedComparisonData(handle.db);
    app = createApp({
      db: handle.db,
      databaseKind: handle.kind,
      publicUrl: 'https://assess.example.org',
      sessionDays: 30,
      trustProxy: false,
      now: () => ANALYSIS_NOW,
    });
    for (const role of ['analyst', 'observer'] as const) {
      const userId = await insertUser(handle.db, { email: `${role}@team.example.org`, role });
      cookies[role] = (await createUserSession(handle.db, userId, ANALYSIS_NOW)).cookieValue;
    }
  });
  afterAll(() => handle.close());

  const get = (path: string, role: UserRole = 'analyst') => app.request(path, { headers: { Cookie: `${USER_COOKIE}=${cookies[role]}` } });
  const csvOf = async (path: string, role: UserRole = 'analyst') => {
    const res = await get(path, role);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const text = (await res.text()).replace(/^\uFEFF/, '');
    return { text, rows: Papa.parse<Record<string, string>>(text, { header: true, delimiter: ',', skipEmptyLines: true }).data };
  };

  it('gives each test and effect size its title in the API', async () => {
    const res = await get('/api/surveys/analysis-gov/comparisons?by=kind&question=g_chair&question=g_support');
    const { comparisons } = (await res.json()) as { comparisons: QuestionComparison[] };
    expect(comparisons.map((c) => [c.test?.title, c.test?.effect.title])).toEqual([
      [TEST_TITLES.fisher_exact, EFFECT_TITLES.cramers_v],
      [TEST_TITLES.mann_whitney, EFFECT_TITLES.rank_biserial],
    ]);
    expect(TEST_TITLES.mann_whitney).toBe('Mann-Whitney U');
    expect(EFFECT_TITLES.rank_biserial).toBe('rank-biserial r');
  });

  it('names tests in words on the page, with a link to the CSV', async () => {
    const res = await get('/admin/comparisons?survey=analysis-gov&by=kind');
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('Mann-Whitney U: statistic 27.500');
    expect(html).toContain('rank-biserial r 0.31 (medium; small from 0.100, medium 0.300, large 0.500)');
    expect(html).toContain('href="/admin/comparisons.csv?survey=analysis-gov&amp;by=kind"');
    expect(html).not.toMatch(CODES);
  });

  it('writes the comparisons as CSV with tests and effect sizes in words', async () => {
    const { text, rows } = await csvOf('/admin/comparisons.csv?survey=analysis-gov&by=kind');
    expect(text).not.toMatch(CODES);
    const support = rows.find((r) => r['question_id'] === 'g_support')!;
    expect(support).toMatchObject({ test: 'Mann-Whitney U', statistic: '27.5', df: '', effect_size: 'rank-biserial r', effect_label: 'medium' });
    expect(support['groups_tested']).toBe('Governments (6); International organisations (7)');
    expect(rows.find((r) => r['question_id'] === 'g_chair')).toMatchObject({ test: 'Fisher’s exact test', effect_size: 'Cramér’s V' });
  });

  it('names the group left out in the CSV, and refuses observers', async () => {
    // By region: Africa has 8 governments, Europe 2; the organisations have no region.
    const analyst = (await csvOf('/admin/comparisons.csv?survey=analysis-gov&by=region')).rows.find((r) => r['question_id'] === 'g_chair')!;
    expect(analyst).toMatchObject({ test: '', groups_tested: '', groups_not_tested: 'Africa (8); Europe (2)' });
    expect(analyst['summary']).toMatch(/Europe \(2\) not tested\.$/);
    // Observers read releases: live comparisons are the Assessment Team's own.
    expect((await get('/admin/comparisons.csv?survey=analysis-gov&by=region', 'observer')).status).toBe(403);
  });
});
