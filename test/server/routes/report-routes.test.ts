/**
 * The printable reports through the app, on a real database:
 * - the live report, for admins and analysts only: exact figures (response rates, small counts),
 *   marked confidential;
 * - the report of a release, for every member: the release's figures exactly, "fewer than 5" for
 *   small counts and "withheld" for those hidden to protect them, the same whoever asks, and no
 *   free text or identifying question.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublishedRelease } from '../../../analysis/disclosure/release-model.ts';
import { createRelease } from '../../../server/releases/release-service.ts';
import { newInvitationToken } from '../../../server/respondents/tokens.ts';
import { TEST_DATABASE_KIND } from '../../support/database.ts';
import { ANALYSIS_SURVEYS, publishChangedVersion, seedResponses, type Respondent } from '../support/analysis-data.ts';
import { createAppFixture, type AppFixture } from '../support/app-fixture.ts';
import { elementById, visibleText } from '../support/html.ts';
import { TeamMember } from '../support/team-session.ts';
import { addRespondent } from '../support/tracker-data.ts';

const REPORT = '/admin/report?survey=analysis-gov';
const SECRET = 'A remark that names our minister';

/** A government that submitted: `chair` and `support` are its answers to g_chair and g_support. */
function government(name: string, region: string, chair: string, support: string, extra: Partial<Respondent> = {}): Respondent {
  return { name, kind: 'government', region, answers: { g_attended: 'yes', g_chair: chair, g_support: support, g_staff: 12, g_comment: SECRET }, ...extra };
}

/**
 * | region | submitted (analysed)                 | invited only | invited | analysed |
 * |--------|--------------------------------------|--------------|---------|----------|
 * | Africa | 7 rotating (1 of them excluded)      | 2            | 9       | 6        |
 * | Asia   | 5 rotating                           | 5            | 10      | 5        |
 * | Europe | 3 permanent                          | 0            | 3       | 3        |
 * | all    |                                      |              | 22      | 14       |
 */
const RESPONDENTS: Respondent[] = [
  ...[1, 2, 3, 4, 5, 6].map((i) => government(`Africa ${i}`, 'Africa', 'rotating', String((i % 5) + 1))),
  government('Africa 7', 'Africa', 'rotating', '5', { excluded: 'a test response' }),
  ...[1, 2, 3, 4, 5].map((i) => government(`Asia ${i}`, 'Asia', 'rotating', String(i))),
  ...[1, 2, 3].map((i) => government(`Europe ${i}`, 'Europe', 'permanent', '4')),
];

/** A table of the page as rows of visible text, by the id of the table. */
function tableRows(html: string, id: string): string[] {
  return [...elementById(html, id).matchAll(/<tr\b[^>]*>([\s\S]*?)<\/tr>/g)].map((m) => visibleText(m[1]!));
}

describe(`the printable report (${TEST_DATABASE_KIND})`, () => {
  let fixture: AppFixture;
  let observer: TeamMember;
  let analyst: TeamMember;
  let release: PublishedRelease;
  let RELEASE_REPORT: string;

  beforeAll(async () => {
    fixture = await createAppFixture({ folder: ANALYSIS_SURVEYS });
    // The number of staff identifies a government in this version: it must stay out of the report.
    await publishChangedVersion(fixture.db, 'analysis-gov', (definition) => {
      for (const q of definition.sections.flatMap((s) => s.questions)) if (q.id === 'g_staff') q.identifying = true;
    });
    await seedResponses(fixture.db, 'analysis-gov', RESPONDENTS);
    // Everyone who answered had a link.
    const respondents = await fixture.db.selectFrom('respondent').select('id').where('survey_id', '=', 'analysis-gov').execute();
    for (const { id } of respondents) await fixture.db.insertInto('invitation').values({ respondent_id: id, token_hash: newInvitationToken().hash }).execute();
    for (const [region, n] of [
      ['Africa', 2],
      ['Asia', 5],
    ] as const) {
      for (let i = 0; i < n; i++) await addRespondent(fixture.db, { surveyId: 'analysis-gov', name: `${region} silent ${i}`, region, links: [{}] });
    }
    observer = await TeamMember.signIn(fixture, 'observer');
    analyst = await TeamMember.signIn(fixture, 'analyst');
    const made = await createRelease(fixture.db, { surveyId: 'analysis-gov', name: 'First figures', actor: 'test' });
    RELEASE_REPORT = `/admin/releases/${made.id}/report`;
    release = (await (await observer.get(`/api/releases/${made.id}`)).json()) as PublishedRelease;
  });
  afterAll(() => fixture?.close());

  it('opens the live report to admins and analysts only, and the release’s report to every member', async () => {
    const anonymous = await fixture.app.request(REPORT);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toBe('/admin/login?next=%2Fadmin%2Freport');
    const admin = await TeamMember.signIn(fixture, 'admin');
    for (const member of [analyst, admin]) {
      const res = await member.get(REPORT);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
    expect((await observer.get(REPORT)).status).toBe(403);
    expect((await analyst.get('/admin/report?survey=no-such-survey')).status).toBe(404);
    for (const member of [observer, analyst, admin]) expect((await member.get(RELEASE_REPORT)).status).toBe(200);
    expect((await fixture.app.request(RELEASE_REPORT)).status).toBe(302);
    expect((await observer.get(`${RELEASE_REPORT}?group=region:Atlantis`)).status).toBe(404);
    expect((await observer.get('/admin/releases/999/report')).status).toBe(404);
  });

  it('marks the live report confidential and gives its exact figures', async () => {
    const html = await (await analyst.get(REPORT)).text();
    const text = visibleText(html);
    expect(text).toContain('Confidential: live figures of the Assessment Team, not protected for publication');
    expect(html).toContain('<title>Confidential report — Analysis test for governments — GFMD Assessment Team</title>');
    expect(html).toContain('class="report-document confidential"');
    expect(text).toContain('Questionnaire version 1 · Data as of 2 March 2026');
    expect(html).toContain('<time datetime="2026-03-02">');
    expect(text).not.toMatch(/\d{1,2}:\d{2}/);
    expect(tableRows(html, 'rates-kind')).toEqual([
      'Stakeholder kind Invited or registered Responses analysed Response rate',
      'Government 22 14 64%',
      'All 22 14 64%',
    ]);
    expect(tableRows(html, 'rates-region')).toEqual([
      'Region Invited or registered Responses analysed Response rate',
      'Africa 9 6 67%',
      'Asia 10 5 50%',
      'Europe 3 3 100%',
      'All 22 14 64%',
    ]);
    expect(text).toContain('left out (1 excluded)');
    const chair = visibleText(html.slice(html.indexOf('id="r-g_chair"'), html.indexOf('id="r-g_support"')));
    expect(chair).toMatch(/A permanent secretariat 3 21\.4%/);
    expect(elementById(html, 'main')).not.toContain('hidden-count');
  });

  it('states the release, its questionnaire and the day it was made, without a time of day', async () => {
    const html = await (await observer.get(RELEASE_REPORT)).text();
    const text = visibleText(html);
    expect(text).toContain('Analysis test for governments');
    expect(text).toContain(`Release ${release.id}, “First figures”`);
    expect(text).toContain(release.contentHash.slice(0, 16));
    expect(html).toContain(`<time datetime="${release.createdAt.slice(0, 10)}">`);
    expect(text).not.toContain('Confidential');
    expect(text).not.toMatch(/\d{1,2}:\d{2}/);
    const method = visibleText(html.slice(html.indexOf('id="method"'), html.indexOf('id="results"')));
    expect(method).toContain('95% Wilson score interval');
    expect(method).toContain('reported apart');
    // The release's responses by region: Europe's 3 read "fewer than 5", and a count that would give them away "withheld".
    const regions = tableRows(html, 'rates-region');
    expect(regions[0]).toBe('Region Responses in the release');
    expect(regions).toContain('Europe fewer than 5');
    expect(regions.filter((r) => r.endsWith(' withheld')).length).toBeGreaterThanOrEqual(1);
    expect(regions.filter((r) => /\b[1-4]$/.test(r))).toEqual([]);
  });

  it('prints the release’s figures exactly, the same for every member', async () => {
    const html = await (await observer.get(RELEASE_REPORT)).text();
    expect(html).toBe(await (await analyst.get(RELEASE_REPORT)).text());
    const text = visibleText(html);
    for (const question of [
      'Did you attend a Forum meeting?',
      'Who should host the Forum?',
      'The Support Unit serves the Forum well.',
      'Each body does its job well.',
    ]) {
      expect(text).toContain(question);
    }
    expect(text.indexOf('1. Did you attend')).toBeLessThan(text.indexOf('2. Which meetings did you attend?'));
    // Every count of g_chair in the report reads as the release has it (a number, "fewer than 5" or "withheld").
    const cells = release.tables.find((t) => t.questionId === 'g_chair')!.cells['all']!;
    const words = (row: string) => {
      const cell = cells[row]!;
      return cell.count === null ? (cell.why === 'withheld' ? 'withheld' : 'fewer than 5') : String(cell.count);
    };
    const chair = visibleText(html.slice(html.indexOf('id="r-g_chair"'), html.indexOf('id="r-g_support"')));
    expect(words('permanent')).toBe('fewer than 5');
    expect(chair).toContain(`A permanent secretariat ${words('permanent')}`);
    expect(chair).toContain(`Answered by ${words('_answered')} respondents`);
    expect(chair).toContain(`A host government each year ${words('rotating')}`);
    // Each question has its chart, or says why it has none (here, a population of 14, most figures are hidden).
    const questions = (html.match(/<article class="report-question"/g) ?? []).length;
    const charts = (html.match(/<canvas id="chart-[a-z_0-9]+" width="640" height="\d+" data-report-series="[^"]+"/g) ?? []).length;
    const none = (html.match(/class="hint no-chart"/g) ?? []).length;
    expect(questions).toBeGreaterThanOrEqual(5);
    expect(charts + none).toBe(questions);
    expect(html).toMatch(/<script src="\/assets\/report.js" defer(="")?><\/script>/);
  });

  it('leaves out free text and identifying questions, and has no inline script or style', async () => {
    for (const url of [REPORT, RELEASE_REPORT]) {
      const html = await (await analyst.get(url)).text();
      const text = visibleText(html);
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain('Any comment?');
      expect(text).not.toContain('How many staff work on migration?');
      expect(html).not.toContain('r-g_staff');
      expect(text).toContain('Free-text answers are not included (1 question)');
      expect(text).toContain('0 country questions and 1 other identifying question');
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/);
      expect(html).not.toContain('style=');
      expect(html).not.toContain('admin-nav');
    }
  });

  it('serves the report script', async () => {
    const res = await fixture.app.request('/assets/report.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await res.text()).toContain('data-report-series');
  });
});
