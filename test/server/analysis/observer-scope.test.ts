/**
 * What observers may not ask for, whichever way they ask: figures of responses in progress
 * (`status=all` minus the submitted figures gives a government's unsubmitted draft) and figures of
 * identifying questions, comparisons included (a group mean of the yearly contribution, differenced
 * between two filters, gives one government's contribution). Analysts keep both.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QuestionComparison } from '../../../analysis/results.ts';
import { countryChoices } from '../../../survey-definitions/countries.ts';
import { allQuestions, type SurveyDefinition } from '../../../survey-definitions/types.ts';
import { createApp } from '../../../server/app.ts';
import { generateValidAnswers } from '../../../server/demo/generate-answers.ts';
import { createRandom } from '../../../server/demo/random.ts';
import { saveAnswers, submitResponse } from '../../../server/responses/response-service.ts';
import { getCurrentSurveyVersion } from '../../../server/surveys/survey-versions.queries.ts';
import { syncDefinitions } from '../../../server/surveys/sync-definitions.ts';
import { createTestDatabase, TEST_DATABASE_KIND, type TestDatabase } from '../../support/database.ts';
import { visibleText } from '../support/html.ts';
import { TeamMember } from '../support/team-session.ts';

const SURVEY = 'government-assessment';
const SHIPPED = path.resolve('survey-definitions');
const NOW = new Date('2026-12-01T10:00:00Z');

describe(`observers' scope (${TEST_DATABASE_KIND})`, { timeout: 120_000 }, () => {
  let handle: TestDatabase;
  let definition: SurveyDefinition;
  let observer: TeamMember;
  let analyst: TeamMember;
  let identifying: string[];

  beforeAll(async () => {
    handle = await createTestDatabase();
    const db = handle.db;
    expect((await syncDefinitions(db, SHIPPED)).problems).toEqual([]);
    definition = (await getCurrentSurveyVersion(db, SURVEY))!.definition;
    identifying = allQuestions(definition).filter((q) => q.identifying).map((q) => q.id);
    expect(identifying).toEqual(expect.arrayContaining(['g_roles', 'g_contribution_eur']));
    const random = createRandom('observer-scope');
    // Twelve governments in two regions, every one a donor, the last one still answering.
    const places = countryChoices('un_members').filter((c) => c.region === 'Africa' || c.region === 'Europe').slice(0, 12);
    for (const [i, place] of places.entries()) {
      const roles = i % 3 === 0 ? (['steering_group'] as const) : [];
      const { id: respondentId } = await db
        .insertInto('respondent')
        .values({ survey_id: SURVEY, kind: 'government', name: place.names.en, country: place.code, region: place.region, subregion: place.subregion, roles: [...roles], source: 'invitation' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const profile = { kind: 'government' as const, country: place.code, region: place.region, subregion: place.subregion, roles, orgType: null, migrantLed: false, language: 'en' as const };
      // A donor's valid answers (follow-ups included), the contribution made distinct.
      let answers = generateValidAnswers(definition, profile, random);
      for (let tries = 0; answers['g_contributed'] !== 'yes' && tries < 200; tries++) answers = generateValidAnswers(definition, profile, random);
      expect(answers['g_contributed']).toBe('yes');
      answers = { ...answers, g_contribution_eur: 10_000 * (i + 1) };
      await saveAnswers(db, { respondentId, baseRevision: 0, answers, scope: 'all', language: 'en', now: NOW });
      if (i < places.length - 1) await submitResponse(db, { respondentId, now: NOW });
    }
    const app = createApp({ db, databaseKind: handle.kind, publicUrl: 'https://assess.example.org', sessionDays: 1, trustProxy: false, surveysDir: SHIPPED, now: () => NOW });
    observer = await TeamMember.signIn({ app, db }, 'observer', { now: NOW });
    analyst = await TeamMember.signIn({ app, db }, 'analyst', { now: NOW });
  });
  afterAll(() => handle.close());

  it('refuses observers figures of responses in progress on every channel, with a message', async () => {
    for (const url of [
      `/api/surveys/${SURVEY}/analysis?status=all`,
      `/api/surveys/${SURVEY}/comparisons?by=region&status=all`,
      `/api/comparisons/shared?a=${SURVEY}&b=civil-society-survey&status=all`,
    ]) {
      const res = await observer.get(url);
      expect(res.status, url).toBe(403);
      expect(await res.json()).toMatchObject({ error: { code: 'forbidden', message: expect.stringContaining('submitted responses only') } });
      expect((await analyst.get(url)).status, url).toBe(200);
    }
    const page = await observer.get(`/admin/dashboard?survey=${SURVEY}&status=all`);
    expect(page.status).toBe(403);
    expect(await page.text()).toContain('submitted responses only');
    const dashboard = await observer.get(`/admin/dashboard?survey=${SURVEY}`);
    expect(dashboard.status).toBe(200);
    // The filter form offers observers no choice that would be refused.
    expect(await dashboard.text()).not.toContain('name="status"');
    expect(await (await analyst.get(`/admin/dashboard?survey=${SURVEY}`)).text()).toContain('name="status" value="all"');
  });

  it('lets observers look at one group at a time, and compare the groups of all respondents only', async () => {
    for (const url of [
      `/api/surveys/${SURVEY}/analysis?region=Africa&region=Europe`,
      `/api/surveys/${SURVEY}/analysis?role=steering_group&region=Africa`,
      `/api/surveys/${SURVEY}/comparisons?by=region&role=steering_group`,
      `/api/comparisons/shared?a=${SURVEY}&b=civil-society-survey&region=Africa`,
    ]) {
      const res = await observer.get(url);
      expect(res.status, url).toBe(403);
      expect(await res.json(), url).toMatchObject({ error: { code: 'forbidden', message: expect.stringContaining('single out respondents') } });
      expect((await analyst.get(url)).status, url).toBe(200);
    }
    for (const url of [`/api/surveys/${SURVEY}/analysis?region=Africa`, `/api/surveys/${SURVEY}/analysis?role=steering_group`, `/api/surveys/${SURVEY}/comparisons?by=region`]) {
      expect((await observer.get(url)).status, url).toBe(200);
    }
    // The dashboard offers observers one group to choose, and reads it.
    const page = await (await observer.get(`/admin/dashboard?survey=${SURVEY}&group=region:Europe`)).text();
    expect(page).toContain('<select id="group" name="group">');
    expect(page).toMatch(/<option value="region:Europe" selected="">Europe<\/option>/);
    expect(page).not.toContain('type="checkbox" name="region"');
    const europe = (await (await observer.get(`/api/surveys/${SURVEY}/analysis?region=Europe`)).json()) as { responses: number };
    expect(europe.responses).toBeLessThan(11);
    expect(visibleText(page)).toContain(`rests on ${europe.responses} responses (submitted)`);
    expect((await observer.get(`/admin/dashboard?survey=${SURVEY}&kind=government&region=Africa`)).status).toBe(403);
    expect((await analyst.get(`/admin/dashboard?survey=${SURVEY}&kind=government&region=Africa`)).status).toBe(200);
  });

  it('compares no identifying question for observers, and refuses one asked for by name', async () => {
    const observed = (await (await observer.get(`/api/surveys/${SURVEY}/comparisons?by=region`)).json()) as { comparisons: QuestionComparison[] };
    expect(observed.comparisons.length).toBeGreaterThan(10);
    expect(observed.comparisons.filter((c) => identifying.includes(c.questionId)).map((c) => c.questionId)).toEqual([]);
    const analysed = (await (await analyst.get(`/api/surveys/${SURVEY}/comparisons?by=region`)).json()) as { comparisons: QuestionComparison[] };
    expect(analysed.comparisons.some((c) => c.questionId === 'g_contribution_eur')).toBe(true);

    const asked = await observer.get(`/api/surveys/${SURVEY}/comparisons?by=region&question=g_contribution_eur`);
    expect(asked.status).toBe(403);
    expect(await asked.json()).toMatchObject({ error: { code: 'forbidden', message: expect.stringContaining('g_contribution_eur') } });
    expect((await analyst.get(`/api/surveys/${SURVEY}/comparisons?by=region&question=g_contribution_eur`)).status).toBe(200);

    const page = await (await observer.get(`/admin/comparisons?survey=${SURVEY}&by=region`)).text();
    expect(page).not.toContain('g_contribution_eur');
    expect(page).not.toMatch(/contribution in euros/i);
  });
});
