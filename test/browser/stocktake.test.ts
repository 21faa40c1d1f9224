/**
 * The 2012 stocktake questionnaires in Chromium, as respondents meet them once they open: a
 * government through its invitation link in French, a civil society organisation through open
 * registration in Spanish. Every section renders in the page's language with no serious axe-core
 * finding, a question tied to 2011 reads exactly as it did in 2011, and the skip logic of the new
 * questions on policy change runs in the page.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Language } from '../../survey-definitions/schema.ts';
import type { SurveyDefinition } from '../../survey-definitions/types.ts';
import { TEST_DATABASE_KIND } from '../support/database.ts';
import {
  BROWSER_TEST_TIMEOUT,
  formatFindings,
  isSerious,
  launchBrowser,
  loadDefinition,
  newContext,
  runAxe,
  screenshot,
  screenshotDir,
  setUpBrowserTests,
  startTestServer,
  type AxeFinding,
  type TestServer,
} from './support/browser.ts';
import { question } from './support/questionnaire.ts';

/** A day when the stocktake is open (1 June to 30 September 2027). */
const STOCKTAKE_OPEN = '2027-07-01T09:00:00Z';

describe(`the stocktake questionnaires in Chromium (${TEST_DATABASE_KIND})`, () => {
  let server: TestServer;
  let browser: Browser;
  let government: SurveyDefinition;
  let governmentBefore: SurveyDefinition;
  let civilSociety: SurveyDefinition;
  let shots: string;
  const findings: AxeFinding[] = [];

  setUpBrowserTests(async () => {
    browser = await launchBrowser();
    server = await startTestServer({ surveyId: 'government-stocktake', clockStart: STOCKTAKE_OPEN });
    government = await loadDefinition('government-stocktake');
    governmentBefore = await loadDefinition('government-assessment');
    civilSociety = await loadDefinition('civil-society-stocktake');
    shots = screenshotDir('stocktake');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  }, BROWSER_TEST_TIMEOUT);

  /** Visits every section of the questionnaire the page's session answers, checking each. */
  async function visitSections(page: import('playwright-core').Page, definition: SurveyDefinition, language: Language, name: string) {
    for (let n = 1; n <= definition.sections.length; n++) {
      await page.goto(`/form/section/${n}?lang=${language}`);
      expect(await page.locator('html').getAttribute('lang'), `section ${n}`).toBe(language);
      expect(await page.getByRole('heading', { name: definition.sections[n - 1]!.title[language], exact: true }).count(), `section ${n}`).toBe(1);
      findings.push(...(await runAxe(page, `${name} section ${n} (${language})`)));
      await screenshot(page, shots, `${name}-${language}-section-${n}`);
    }
  }

  it('a government opens its link in French: every section, a 2011 question word for word, and skip logic', { timeout: BROWSER_TEST_TIMEOUT * 2 }, async () => {
    const context = await newContext(browser, server, { locale: 'fr-FR' });
    const page = await context.newPage();
    await page.goto(server.link);
    expect(new URL(page.url()).pathname).toBe('/form');
    await visitSections(page, government, 'fr', 'government');

    // The Support Unit is rated in the words of 2011.
    const tied = question(government, 'g_structure_effectiveness');
    expect(tied.text).toEqual(question(governmentBefore, 'g_structure_effectiveness').text);
    await page.goto('/form/section/2?lang=fr');
    await expect.poll(() => page.locator('#q-g_structure_effectiveness').innerText()).toContain(tied.text.fr);
    expect(await page.locator('#q-g_structure_effectiveness').innerText()).toContain('Unité de soutien');

    // "Oui" to the 2011 question on policy change reveals the new 2012 question, live.
    await page.goto('/form/section/3?lang=fr');
    const recent = page.locator('#q-g_policy_change_recent');
    expect(await recent.isVisible()).toBe(false);
    await page
      .getByRole('group', { name: question(government, 'g_policy_change').text.fr })
      .getByText('Oui', { exact: true })
      .click();
    await expect.poll(() => recent.isVisible()).toBe(true);
    expect(await recent.innerText()).toContain(question(government, 'g_policy_change_recent').text.fr);
    await context.close();
  });

  it('a civil society organisation registers in Spanish and answers the stocktake', { timeout: BROWSER_TEST_TIMEOUT * 2 }, async () => {
    const context = await newContext(browser, server, { locale: 'es-ES' });
    const page = await context.newPage();
    await page.goto('/open/civil-society-stocktake?lang=es');
    expect(await page.title()).toContain(civilSociety.title.es);
    findings.push(...(await runAxe(page, 'registration (es)')));
    await page.locator('#reg-name').fill('Red de Migrantes del Sur');
    await page.locator('#reg-country').selectOption('ECU');
    await page.locator('#reg-org_type').selectOption('migrant_association');
    await page.getByRole('button', { name: 'Obtener mi enlace' }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('h1').innerText()).toBe('Su enlace personal');
    await page.getByRole('link', { name: 'Comenzar' }).click();
    await page.waitForLoadState('load');
    expect(new URL(page.url()).pathname).toBe('/form');
    await visitSections(page, civilSociety, 'es', 'civil-society');
    // The type given at registration answers the questionnaire's question on it.
    await page.goto('/form/section/1?lang=es');
    expect(await page.locator('#q-cs_org_type').innerText()).toContain('Tal como se indicó al inscribir su organización.');
    await context.close();
  });

  it('has no serious or critical axe-core finding on any of these pages', () => {
    const serious = findings.filter(isSerious);
    if (findings.length) console.log(formatFindings(findings));
    expect(serious, formatFindings(serious)).toEqual([]);
  });
});
