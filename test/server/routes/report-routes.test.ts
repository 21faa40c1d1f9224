/**
 * The printable report through the app, on a real database: who may open it, the method section
 * with response rates whose small counts (and the counts that would give them away) are hidden,
 * results as the observer sees them whoever asks, and no free text or identifying question.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    for (const [region, n] of [['Africa', 2], ['Asia', 5]] as const) {
      for (let i = 0; i < n; i++) await addRespondent(fixture.db, { surveyId: 'analysis-gov', name: `${region} silent ${i}`, region, links: [{}] });
    }
    observer = await TeamMember.signIn(fixture, 'observer');
    analyst = await TeamMember.signIn(fixture, 'analyst');
  });
  afterAll(() => fixture?.close());

  it('sends anonymous visitors to the login page and opens for observers, analysts and admins', async () => {
    const anonymous = await fixture.app.request(REPORT);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toBe('/admin/login?next=%2Fadmin%2Freport');
    const admin = await TeamMember.signIn(fixture, 'admin');
    for (const member of [observer, analyst, admin]) {
      const res = await member.get(REPORT);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
    expect((await observer.get('/admin/report?survey=no-such-survey')).status).toBe(404);
  });

  it('states the questionnaire, its version and the day of the data, without a time of day', async () => {
    const html = await (await observer.get(REPORT)).text();
    const text = visibleText(html);
    expect(text).toContain('Analysis test for governments');
    expect(text).toContain('Questionnaire version 1 · Data as of 2 March 2026');
    expect(html).toContain('<time datetime="2026-03-02">');
    expect(text).not.toMatch(/\d{1,2}:\d{2}/);
  });

  it('gives response rates by kind and region, hiding the group of 3 and the count that would give it away', async () => {
    const html = await (await observer.get(REPORT)).text();
    const method = visibleText(html.slice(html.indexOf('id="method"'), html.indexOf('id="results"')));
    expect(method).toContain('Who was asked');
    expect(method).toContain('95% Wilson score interval');
    expect(method).toContain('Student’s t distribution');
    expect(method).toContain('reported apart');
    expect(tableRows(html, 'rates-kind')).toEqual(['Stakeholder kind Invited or registered Responses analysed Response rate', 'Government 22 14 64%', 'All 22 14 64%']);
    expect(tableRows(html, 'rates-region')).toEqual([
      'Region Invited or registered Responses analysed Response rate',
      // Africa's 9 invited would give Europe's 3 away (22 − 10 − 9), Asia's 5 analysed likewise (14 − 6 − 5).
      // Europe's 3 read "fewer than 5"; the counts hidden only to protect them read "withheld".
      'Africa withheld 6 —',
      'Asia 10 withheld —',
      'Europe fewer than 5 fewer than 5 —',
      'All 22 14 64%',
    ]);
    // The excluded response is counted apart, and itself a count below 5.
    expect(method).toContain('left out (fewer than 5 excluded)');
    const hidden = Number(/(\d+) figures?/.exec(visibleText(elementById(html, 'hidden-cells')))?.[1]);
    expect(hidden).toBeGreaterThanOrEqual(5);
  });

  it('shows each published question with a chart and a table, as an observer sees it, even to an analyst', async () => {
    const html = await (await analyst.get(REPORT)).text();
    const text = visibleText(html);
    for (const question of ['Did you attend a Forum meeting?', 'Who should host the Forum?', 'The Support Unit serves the Forum well.', 'Each body does its job well.', 'Rank the priorities.']) {
      expect(text).toContain(question);
    }
    // Questionnaire order, under the section's title.
    expect(text.indexOf('Main')).toBeLessThan(text.indexOf('1. Did you attend a Forum meeting?'));
    expect(text.indexOf('1. Did you attend')).toBeLessThan(text.indexOf('2. Which meetings did you attend?'));
    // The three European governments who chose a permanent secretariat: "fewer than 5", never 3.
    const chair = visibleText(html.slice(html.indexOf('id="r-g_chair"'), html.indexOf('id="r-g_support"')));
    expect(chair).toContain('Answered by 14 respondents');
    expect(chair).toMatch(/A permanent secretariat fewer than 5 — —/);
    // The other option is hidden only so that the 3 cannot be worked out: "withheld", not "fewer than 5".
    expect(chair).toMatch(/ withheld — —/);
    // Whatever the viewer's role, the same (published) figures: the analyst's page is the observer's.
    expect(html).toBe(await (await observer.get(REPORT)).text());
    // g_chair's two options are both hidden, and "don't know" (another base) is not drawn: no chart.
    expect(html).toMatch(/<canvas id="chart-g_attended" width="640" height="\d+" data-report-series="[^"]+"/);
    expect(chair).toContain('No chart');
    expect(html).toMatch(/<script src="\/assets\/report.js" defer(="")?><\/script>/);
  });

  it('leaves out free text and identifying questions, and has no inline script or style', async () => {
    const html = await (await observer.get(REPORT)).text();
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
  });

  it('serves the report script', async () => {
    const res = await fixture.app.request('/assets/report.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await res.text()).toContain('data-report-series');
  });
});
