/**
 * What open registration and the shipped civil society questionnaire both ask: the organisation's
 * type (shown in the questionnaire's words) and its country (asked once).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TEST_DATABASE_KIND } from '../../support/database.ts';
import { createAppFixture, SHIPPED_SURVEYS, type AppFixture } from '../support/app-fixture.ts';
import { Browser } from '../support/browser.ts';
import { attribute, elementById, tagById, visibleText } from '../support/html.ts';

describe(`registration and the civil society questionnaire (${TEST_DATABASE_KIND})`, () => {
  let fixture: AppFixture;
  beforeEach(async () => {
    fixture = await createAppFixture({ folder: SHIPPED_SURVEYS, now: '2026-12-01T10:00:00Z' });
  });
  afterEach(() => fixture.close());

  it.each([
    { lang: 'en', label: 'NGO or human-rights organisation' },
    { lang: 'fr', label: 'ONG ou organisation de défense des droits de l’homme' },
    { lang: 'es', label: 'ONG u organización de derechos humanos' },
  ])('lists organisation types as the questionnaire words them ($lang)', async ({ lang, label }) => {
    const page = await new Browser(fixture.app).page(`/open/civil-society-survey?lang=${lang}`);
    expect(page.status).toBe(200);
    const list = elementById(page.html, 'reg-org_type');
    expect(list).toContain(`<option value="ngo_human_rights">${label}</option>`);
    expect(visibleText(list)).not.toMatch(/[a-z]+ [a-z]+ rights\b|_/);
  });

  it('answers the questions on type and country from the registration, read-only, and keeps them so', async () => {
    const browser = new Browser(fixture.app);
    const fields = { name: 'Voix des migrants', country: 'FRA', org_type: 'ngo_human_rights', email: '' };
    expect((await browser.postForm('/open/civil-society-survey', fields, { Origin: 'http://localhost' })).status).toBe(200);

    const page = await browser.page('/form/section/1');
    expect(page.status).toBe(200);
    const chosen = tagById(page.html, 'cs_org_type-ngo_human_rights_organisation');
    expect(attribute(chosen, 'checked')).toBeDefined();
    expect(attribute(chosen, 'disabled')).toBeDefined();
    expect(attribute(tagById(page.html, 'cs_org_type-trade_union'), 'disabled')).toBeDefined();
    const country = elementById(page.html, 'cs_country');
    expect(attribute(tagById(page.html, 'cs_country'), 'disabled')).toBeDefined();
    expect(country).toMatch(/<option value="FRA" selected="">/);
    expect(visibleText(elementById(page.html, 'cs_country-registration'))).toBe('As given when your organisation registered.');

    // A page posted with other values (by hand, or through the API) cannot contradict the registration.
    expect((await browser.saveSection(1, { cs_org_type: 'trade_union', cs_country: 'SEN' })).status).toBe(303);
    const stored = await fixture.db
      .selectFrom('answer')
      .select(['question_id', 'code'])
      .where('question_id', 'in', ['cs_org_type', 'cs_country'])
      .orderBy('question_id')
      .execute();
    expect(stored).toEqual([
      { question_id: 'cs_country', code: 'FRA' },
      { question_id: 'cs_org_type', code: 'ngo_human_rights_organisation' },
    ]);
  });
});
