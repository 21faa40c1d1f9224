/**
 * The questionnaires that ship with the toolkit keep rendering: every section of each (the 2011
 * questionnaires and the 2012 stocktake, which renders before it opens, with its opening date), in
 * French, through the respondent's form.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TEST_DATABASE_KIND } from '../../support/database.ts';
import { createAppFixture, SHIPPED_SURVEYS, type AppFixture } from '../support/app-fixture.ts';
import { Browser } from '../support/browser.ts';
import { visibleText } from '../support/html.ts';

describe(`the shipped questionnaires (${TEST_DATABASE_KIND})`, () => {
  let fixture: AppFixture;
  beforeEach(async () => {
    fixture = await createAppFixture({ folder: SHIPPED_SURVEYS, now: '2026-12-01T10:00:00Z' });
  });
  afterEach(() => fixture.close());

  it.each([
    { surveyId: 'government-assessment', name: 'Sénégal', kind: 'government' as const, country: 'SEN' },
    { surveyId: 'civil-society-survey', name: 'Voix des migrants', kind: 'civil_society' as const, country: 'SEN' },
    { surveyId: 'government-stocktake', name: 'Sénégal', kind: 'government' as const, country: 'SEN' },
    { surveyId: 'civil-society-stocktake', name: 'Voix des migrants', kind: 'civil_society' as const, country: 'SEN' },
  ])('renders every section of $surveyId in French', async (invitee) => {
    const { token } = await fixture.invite(invitee);
    const browser = new Browser(fixture.app, { 'Accept-Language': 'fr' });
    expect((await browser.openLink(token)).status).toBe(303);
    const overview = await browser.page('/form');
    expect(overview.status).toBe(200);
    const sections = [...overview.html.matchAll(/href="\/form\/section\/(\d+)"/g)].map((m) => Number(m[1]));
    const count = Math.max(...sections);
    expect(count).toBeGreaterThanOrEqual(5);

    for (let n = 1; n <= count; n++) {
      const { status, html } = await browser.page(`/form/section/${n}`);
      expect(status, `section ${n}`).toBe(200);
      expect(html, `section ${n}`).toContain('<html lang="fr">');
      const text = visibleText(html);
      // A placeholder left unfilled would show as {name}; any brace in the text is suspect.
      expect(text, `section ${n}`).not.toMatch(/[{}]/);
      expect(html, `section ${n}`).not.toMatch(/\{[a-z_]+\}/i);
      expect(text, `section ${n}`).toContain(`Section ${n} sur ${count}`);
    }
    for (const path of ['/form/review', '/form/section/1?lang=es']) {
      const { status, html } = await browser.page(path);
      expect(status, path).toBe(200);
      expect(visibleText(html), path).not.toMatch(/[{}]/);
    }
  });
});
