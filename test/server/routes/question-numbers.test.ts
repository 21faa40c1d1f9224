/**
 * One number per question: the shipped government questionnaire's preparatory-process question
 * carries the number the definition gives it (survey-definitions/question-numbers.ts) in every
 * place a person meets it: the form, the dashboard, the report, the comparisons and the codebook.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDefinitions } from '../../../survey-definitions/load-definitions.ts';
import { questionNumbers } from '../../../survey-definitions/question-numbers.ts';
import { TEST_DATABASE_KIND } from '../../support/database.ts';
import { createAppFixture, SHIPPED_SURVEYS, type AppFixture } from '../support/app-fixture.ts';
import { Browser } from '../support/browser.ts';
import { exportBundle, removeBundles } from '../export/support/bundle.ts';
import { visibleText } from '../support/html.ts';
import { TeamMember } from '../support/team-session.ts';

const SURVEY = 'government-assessment';
const QUESTION = 'g_prep_quality';
const TEXT = 'How would you rate the following parts of the preparatory process?';

/** The numbers printed before the question's text on a page ("6. How would you rate…"). */
function numbersOnPage(html: string): string[] {
  const escaped = TEXT.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return [...visibleText(html).matchAll(new RegExp(`(\\d+)\\. ${escaped}`, 'g'))].map((m) => m[1]!);
}

describe(`one number per question in every channel (${TEST_DATABASE_KIND})`, () => {
  let fixture: AppFixture;
  let analyst: TeamMember;
  let expected: string;

  beforeAll(async () => {
    const { definitions } = await loadDefinitions(SHIPPED_SURVEYS);
    const definition = definitions.find((d) => d.definition.id === SURVEY)!.definition;
    expected = String(questionNumbers(definition).get(QUESTION));
    fixture = await createAppFixture({ folder: SHIPPED_SURVEYS, now: '2026-12-01T10:00:00Z' });
    analyst = await TeamMember.signIn(fixture, 'analyst');
  });
  afterAll(async () => {
    removeBundles();
    await fixture?.close();
  });

  it('counts the questions before it across sections: it is the sixth', () => {
    expect(expected).toBe('6');
  });

  it('the form', async () => {
    const { token } = await fixture.invite({ surveyId: SURVEY, name: 'Sénégal', kind: 'government', country: 'SEN' });
    const browser = new Browser(fixture.app);
    await browser.openLink(token);
    const overview = await browser.page('/form');
    const sections = [...new Set([...overview.html.matchAll(/href="\/form\/section\/(\d+)"/g)].map((m) => m[1]!))];
    const found: string[] = [];
    for (const n of sections) found.push(...numbersOnPage((await browser.page(`/form/section/${n}`)).html));
    expect(found.length).toBeGreaterThan(0);
    expect(new Set(found)).toEqual(new Set([expected]));
    expect(new Set(numbersOnPage((await browser.page('/form/review')).html))).toEqual(new Set([expected]));
  });

  it('the dashboard, which leaves the country question out but keeps the numbers', async () => {
    const html = await (await analyst.get(`/admin/dashboard?survey=${SURVEY}`)).text();
    expect(numbersOnPage(html)).toEqual([expected]);
  });

  it('the report, which leaves identifying questions out but keeps the numbers', async () => {
    const html = await (await analyst.get(`/admin/report?survey=${SURVEY}`)).text();
    expect(numbersOnPage(html)).toEqual([expected]);
  });

  it('the comparisons by region, one per row of the matrix', async () => {
    const html = await (await analyst.get(`/admin/comparisons?survey=${SURVEY}&by=region`)).text();
    const found = numbersOnPage(html);
    expect(found.length).toBeGreaterThan(0);
    expect(new Set(found)).toEqual(new Set([expected]));
  });

  it('the codebook of the export', async () => {
    const bundle = await exportBundle(fixture.db, { surveyId: SURVEY, k: 5 });
    const rows = bundle.csv('codebook-restricted.csv').rows.filter((r) => r.question_id === QUESTION);
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.question_number))).toEqual(new Set([expected]));
  });
});
