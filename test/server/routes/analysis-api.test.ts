/**
 * The Assessment Team's analysis API through `app.request()`, on the comparison data set of
 * test/server/support/analysis-data.ts plus one government still answering (G11, Asia).
 */
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChoiceResult, QuestionComparison, ScaleResult, SurveyAnalysis } from '../../../analysis/results.ts';
import { createUserSession } from '../../../server/accounts/user-sessions.queries.ts';
import { insertUser } from '../../../server/accounts/users.queries.ts';
import type { AppEnv } from '../../../server/app-env.ts';
import { createApp } from '../../../server/app.ts';
import type { UserRole } from '../../../server/db/schema.ts';
import { USER_COOKIE } from '../../../server/http/require-user.ts';
import { createTestDatabase, TEST_DATABASE_KIND, type TestDatabase } from '../../support/database.ts';
import { ANALYSIS_NOW, publishAnalysisSurveys, seedComparisonData, seedResponses } from '../support/analysis-data.ts';

const ANALYSIS = '/api/surveys/analysis-gov/analysis';

describe(`analysis API (${TEST_DATABASE_KIND})`, () => {
  let handle: TestDatabase;
  let app: Hono<AppEnv>;
  const cookies = {} as Record<UserRole, string>;

  // Every test only reads: one database and one set of sessions serve the whole file.
  beforeAll(async () => {
    handle = await createTestDatabase();
    await publishAnalysisSurveys(handle.db);
    await seedComparisonData(handle.db);
    await seedResponses(handle.db, 'analysis-gov', [
      { name: 'G11', kind: 'government', region: 'Asia', status: 'in_progress', answers: { g_attended: 'no', g_chair: 'rotating' } },
    ]);
    app = createApp({
      db: handle.db,
      databaseKind: handle.kind,
      publicUrl: 'https://assess.example.org',
      sessionDays: 30,
      trustProxy: false,
      now: () => ANALYSIS_NOW,
    });
    for (const role of ['admin', 'analyst', 'observer'] as const) {
      const userId = await insertUser(handle.db, { email: `${role}@team.example.org`, role });
      cookies[role] = (await createUserSession(handle.db, userId, ANALYSIS_NOW)).cookieValue;
    }
  });
  afterAll(() => handle.close());

  const get = (path: string, role?: UserRole) => app.request(path, { headers: role ? { Cookie: `${USER_COOKIE}=${cookies[role]}` } : {} });
  async function analysis(query: string, role: UserRole = 'analyst'): Promise<SurveyAnalysis> {
    const res = await get(`${ANALYSIS}${query}`, role);
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as SurveyAnalysis;
  }
  const chairCounts = (a: SurveyAnalysis) => (a.questions.find((q) => q.questionId === 'g_chair') as ChoiceResult).options.map((o) => [o.code, o.count]);

  it.each([ANALYSIS, '/api/surveys/analysis-gov/comparisons?by=kind', '/api/comparisons/shared?a=analysis-gov&b=analysis-cs'])(
    'answers 401 to anonymous requests: %s',
    async (path) => {
      const res = await get(path);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } });
    },
  );

  it.each(['admin', 'analyst'] as const)('answers 200 with JSON to an %s', async (role) => {
    const res = await get(ANALYSIS, role);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    // G1–G10 and I1–I7 submitted; G11 is in progress.
    expect(await res.json()).toMatchObject({ surveyId: 'analysis-gov', responses: 17, excluded: 0, filters: { status: 'submitted' } });
  });

  it('refuses observers, who read releases', async () => {
    for (const path of [ANALYSIS, '/api/surveys/analysis-gov/comparisons?by=kind', '/api/comparisons/shared?a=analysis-gov&b=analysis-cs']) {
      const res = await get(path, 'observer');
      expect(res.status, path).toBe(403);
      expect(await res.json(), path).toMatchObject({ error: { code: 'forbidden', message: expect.stringContaining('/api/surveys/<id>/releases') } });
    }
  });

  it('gives analysts exact figures, small counts included', async () => {
    const analyst = await analysis('', 'analyst');
    // Rotating 9 (G1–G8, I1) and permanent 7 (G9, G10, I2–I6).
    expect(chairCounts(analyst)).toEqual([
      ['rotating', 9],
      ['permanent', 7],
    ]);
    // Support 3 4 4 3 4 1 and 2 5 1 4 2 2 1: points 1–5 held by 3, 3, 2, 4, 1 respondents.
    const points = (a: SurveyAnalysis) => (a.questions.find((q) => q.questionId === 'g_support') as ScaleResult).rows[0]!.distribution.map((d) => d.count);
    expect(points(analyst)).toEqual([3, 3, 2, 4, 1]);
    expect((await analysis('?region=Europe')).responses).toBe(2);
    expect((analyst.questions.find((q) => q.questionId === 'g_support') as ScaleResult).rows[0]).toMatchObject({ n: 13, mean: 36 / 13 });
  });

  it('narrows by the filters, and the kinds add up to the whole', async () => {
    const all = await analysis('');
    const governments = await analysis('?kind=government');
    const organisations = await analysis('?kind=international_org');
    const civilSociety = await analysis('?kind=civil_society');
    expect([governments.responses, organisations.responses, civilSociety.responses]).toEqual([10, 7, 0]);
    expect(governments.responses! + organisations.responses! + civilSociety.responses!).toBe(all.responses);
    expect(chairCounts(governments)).toEqual([
      ['rotating', 8],
      ['permanent', 2],
    ]);
    expect(chairCounts(organisations)).toEqual([
      ['rotating', 1],
      ['permanent', 5],
    ]);

    // Repeated parameters mean "any of".
    expect((await analysis('?kind=government&kind=international_org')).responses).toBe(17);
    const africa = await analysis('?region=Africa');
    expect(africa).toMatchObject({ responses: 8, filters: { region: ['Africa'], status: 'submitted' } });
    expect(chairCounts(africa)).toEqual([
      ['rotating', 8],
      ['permanent', 0],
    ]);
    expect((await analysis('?region=Africa&region=Europe')).responses).toBe(10);
    expect((await analysis('?role=troika')).responses).toBe(0);
    // G11 is still answering: counted only with status=all.
    const withOpen = await analysis('?status=all');
    expect(withOpen.responses).toBe(18);
    expect(chairCounts(withOpen)).toEqual([
      ['rotating', 10],
      ['permanent', 7],
    ]);
  });

  it('refuses a malformed query with 400 and an unknown survey with 404', async () => {
    for (const query of ['?kind=alien', '?status=maybe', '?role=emperor']) {
      const res = await get(`${ANALYSIS}${query}`, 'analyst');
      expect(res.status, query).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'bad_request' } });
    }
    const unknown = await get('/api/surveys/no-such-survey/analysis', 'analyst');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'not_found' } });
    expect((await get('/api/surveys/analysis-gov/comparisons', 'analyst')).status).toBe(400);
    expect((await get('/api/surveys/analysis-gov/comparisons?by=kind&question=g_nothing', 'analyst')).status).toBe(404);
    expect((await get('/api/comparisons/shared?a=analysis-gov&b=no-such-survey', 'analyst')).status).toBe(404);
  });

  it('compares groups of a survey', async () => {
    const res = await get('/api/surveys/analysis-gov/comparisons?by=kind&question=g_chair&question=g_support', 'analyst');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { by: string; comparisons: QuestionComparison[] };
    expect(body.by).toBe('kind');
    expect(body.comparisons.map((c) => [c.questionId, c.test?.name])).toEqual([
      ['g_chair', 'fisher_exact'],
      ['g_support', 'mann_whitney'],
    ]);
    // Governments: rotating 8, permanent 2; international organisations: rotating 1, permanent 5 (one left it blank).
    expect(body.comparisons[0]!.groups.map((g) => [g.key, g.n, g.distribution.map((d) => d.count)])).toEqual([
      ['government', 10, [8, 2]],
      ['international_org', 6, [1, 5]],
    ]);
  });

  it('compares the questions two questionnaires share', async () => {
    const res = await get('/api/comparisons/shared?a=analysis-gov&b=analysis-cs&kind=government', 'admin');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { a: string; b: string; comparisons: QuestionComparison[] };
    expect(body).toMatchObject({ a: 'analysis-gov', b: 'analysis-cs' });
    expect(body.comparisons.map((c) => c.sharedKey)).toEqual(['chair_model', 'support_unit', 'bodies', 'bodies']);
    expect(body.comparisons[0]!.groups.map((g) => [g.label, g.n])).toEqual([
      ['Governments', 10],
      ['Civil society', 6],
    ]);
  });

  it('leaves the respondent API alone', async () => {
    const res = await get('/api/r/not-a-token');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'invalid_link' } });
  });
});
