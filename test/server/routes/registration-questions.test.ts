/**
 * What open registration and the shipped civil society questionnaire both ask: the organisation's
 * type (shown in the questionnaire's words) and its country (asked once).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TEST_DATABASE_KIND } from '../../support/database.ts';
import { createAppFixture, SHIPPED_SURVEYS, type AppFixture } from '../support/app-fixture.ts';
import { Browser } from '../support/browser.ts';
import { elementById, visibleText } from '../support/html.ts';

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
});
