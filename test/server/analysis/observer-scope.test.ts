/**
 * Observers read releases only. Every channel of live figures refuses them, whichever filters they
 * ask for: the attacks these channels allowed ("Steering Group" minus "Steering Group in four
 * regions" is one government; `status=all` minus the submitted figures is a government's draft; a
 * group mean of the yearly contribution differenced between two filters is one government's
 * contribution) have nothing to work on. A release of the same population tabulates no identifying
 * question (roles, contribution, country), in its tables, its numeric summaries or anywhere in its JSON.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublishedRelease } from '../../../analysis/disclosure/release-model.ts';
import { countryChoices } from '../../../survey-definitions/countries.ts';
import { allQuestions, type SurveyDefinition } from '../../../survey-definitions/types.ts';
import { createApp } from '../../../server/app.ts';
import { analyzeSurvey, compareGroups } from '../../../server/analysis/survey-analysis.ts';
import { generateValidAnswers } from '../../../server/demo/generate-answers.ts';
import { createRandom } from '../../../server/demo/random.ts';
import { createRelease } from '../../../server/releases/release-service.ts';
import { saveAnswers, submitResponse } from '../../../server/responses/response-service.ts';
import { getCurrentSurveyVersion } from '../../../server/surveys/survey-versions.queries.ts';
import { syncDefinitions } from '../../../server/surveys/sync-definitions.ts';
import { createTestDatabase, TEST_DATABASE_KIND, type TestDatabase } from '../../support/database.ts';
import { TeamMember } from '../support/team-session.ts';

const SURVEY = 'government-assessment';
const SHIPPED = path.resolve('survey-definitions');
const NOW = new Date('2026-12-01T10:00:00Z');

describe(`observers read releases only (${TEST_DATABASE_KIND})`, { timeout: 180_000 }, () => {
  let handle: TestDatabase;
  let definition: SurveyDefinition;
  let observer: TeamMember;
  let analyst: TeamMember;
  let identifying: string[];
  let releaseId: number;
  beforeAll(async () => {
    handle = await createTestDatabase();
    const db = handle.db;
    expect((await syncDefinitions(db, SHIPPED)).problems).toEqual([]);
    definition = (await getCurrentSurveyVersion(db, SURVEY))!.definition;
    identifying = allQuestions(definition)
      .filter((q) => q.identifying)
      .map((q) => q.id);
    expect(identifying).toEqual(expect.arrayContaining(['g_roles', 'g_contribution_eur']));
    const random = createRandom('observer-scope');
    // Twelve governments in two regions, every one a donor, the last one still answering.
    const places = countryChoices('un_members')
      .filter((c) => c.region === 'Africa' || c.region === 'Europe')
      .slice(0, 12);
    for (const [i, place] of places.entries()) {
      const roles = i % 3 === 0 ? (['steering_group'] as const) : [];
      const { id: respondentId } = await db
        .insertInto('respondent')
        .values({
          survey_id: SURVEY,
          kind: 'government',
          name: place.names.en,
          country: place.code,
          region: place.region,
          subregion: place.subregion,
          roles: [...roles],
          source: 'invitation',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const profile = {
        kind: 'government' as const,
        country: place.code,
        region: place.region,
        subregion: place.subregion,
        roles,
        orgType: null,
        migrantLed: false,
        language: 'en' as const,
      };
      // A donor's valid answers (follow-ups included), the contribution made distinct.
      let answers = generateValidAnswers(definition, profile, random);
      for (let tries = 0; answers['g_contributed'] !== 'yes' && tries < 200; tries++) answers = generateValidAnswers(definition, profile, random);
      expect(answers['g_contributed']).toBe('yes');
      answers = { ...answers, g_contribution_eur: 10_000 * (i + 1) };
      await saveAnswers(db, { respondentId, baseRevision: 0, answers, scope: 'all', language: 'en', now: NOW });
      if (i < places.length - 1) await submitResponse(db, { respondentId, now: NOW });
    }
    const app = createApp({
      db,
      databaseKind: handle.kind,
      publicUrl: 'https://assess.example.org',
      sessionDays: 1,
      trustProxy: false,
      surveysDir: SHIPPED,
      now: () => NOW,
    });
    releaseId = (await createRelease(db, { surveyId: SURVEY, name: 'Observers', actor: 'test' })).id;
    observer = await TeamMember.signIn({ app, db }, 'observer', { now: NOW });
    analyst = await TeamMember.signIn({ app, db }, 'analyst', { now: NOW });
  });
  afterAll(() => handle.close());

  const LIVE = [
    `/api/surveys/${SURVEY}/analysis`,
    `/api/surveys/${SURVEY}/analysis?status=all`,
    `/api/surveys/${SURVEY}/analysis?role=steering_group`,
    `/api/surveys/${SURVEY}/analysis?role=steering_group&region=Africa`,
    `/api/surveys/${SURVEY}/comparisons?by=region`,
    `/api/surveys/${SURVEY}/comparisons?by=region&question=g_contribution_eur`,
    `/api/comparisons/shared?a=${SURVEY}&b=civil-society-survey`,
    `/admin/dashboard?survey=${SURVEY}`,
    `/admin/dashboard?survey=${SURVEY}&status=all`,
    `/admin/dashboard/${SURVEY}/g_meetings_attended.csv`,
    `/admin/comparisons?survey=${SURVEY}&by=region`,
    `/admin/comparisons.csv?survey=${SURVEY}&by=region`,
    `/admin/report?survey=${SURVEY}`,
  ];

  it('refuses observers every channel of live figures, pointing to the releases', async () => {
    for (const url of LIVE) {
      const res = await observer.get(url);
      expect(res.status, url).toBe(403);
      const text = await res.text();
      expect(text, url).toContain('Observers read the published releases');
      expect(text, url).toContain('/admin/releases');
      expect((await analyst.get(url)).status, url).toBe(200);
    }
    // The functions behind them refuse an observer too, whoever calls them.
    await expect(analyzeSurvey(handle.db, SURVEY, {}, { role: 'observer' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(compareGroups(handle.db, SURVEY, undefined, 'region', {}, { role: 'observer' })).rejects.toMatchObject({ code: 'forbidden' });
    // The navigation offers observers the releases, not the live pages.
    const home = await (await observer.get('/admin')).text();
    expect(home).toContain('href="/admin/releases"');
    expect(home).not.toContain('href="/admin/dashboard"');
    expect(home).not.toContain('href="/admin/comparisons"');
  });

  it('gives observers the release, which holds no identifying question anywhere', async () => {
    const listed = await observer.get(`/api/surveys/${SURVEY}/releases`);
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { id: number }[]).map((r) => r.id)).toEqual([releaseId]);
    const res = await observer.get(`/api/releases/${releaseId}`);
    expect(res.status).toBe(200);
    const json = await res.text();
    const release = JSON.parse(json) as PublishedRelease;
    const countries = allQuestions(definition)
      .filter((q) => q.type === 'country')
      .map((q) => q.id);
    expect(identifying.length + countries.length).toBeGreaterThan(2);
    for (const id of [...identifying, ...countries]) {
      expect(
        release.tables.some((t) => t.questionId === id),
        id,
      ).toBe(false);
      expect(
        release.numeric.some((n) => n.questionId === id),
        id,
      ).toBe(false);
      expect(json, id).not.toContain(`"${id}`);
    }
    // Contributions of 10,000 to 120,000 were given: no figure of them is in the release.
    expect(json).not.toMatch(/[1-9]\d*0000\b/);
    expect(release.tables.length).toBeGreaterThan(20);
    // The page and the printed report of the release open for observers.
    expect((await observer.get(`/admin/releases/${releaseId}?breakdown=region`)).status).toBe(200);
    expect((await observer.get(`/admin/releases/${releaseId}/report?group=region:Africa`)).status).toBe(200);
    expect((await observer.get(`/admin/releases/${releaseId}/report?group=region:Nowhere`)).status).toBe(404);
  });
});
