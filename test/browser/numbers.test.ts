/**
 * Numbers as people write them: "12.000" in the Spanish form is twelve thousand; the same text in
 * the English form is asked about (12 or 12,000?) and saved only once a reading is chosen.
 * Without JavaScript, as on a slow connection where the script has not arrived.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { getResponseState } from '../../server/responses/response-service.ts';
import type { SurveyDefinition } from '../../survey-definitions/types.ts';
import { TEST_DATABASE_KIND } from '../support/database.ts';
import {
  BROWSER_TEST_TIMEOUT,
  formatFindings,
  GOVERNMENT_SURVEY,
  isSerious,
  launchBrowser,
  loadDefinition,
  newContext,
  runAxe,
  screenshot,
  screenshotDir,
  setUpBrowserTests,
  startTestServer,
  type TestServer,
} from './support/browser.ts';
import { enterAnswer, question, questionField } from './support/questionnaire.ts';

/** The section "Funding arrangements" of the government questionnaire (1-based). */
const FUNDING = 5;

describe(`numbers read by the form's language (${TEST_DATABASE_KIND})`, () => {
  let server: TestServer;
  let browser: Browser;
  let definition: SurveyDefinition;
  let shots: string;

  setUpBrowserTests(async () => {
    browser = await launchBrowser();
    server = await startTestServer();
    definition = await loadDefinition(GOVERNMENT_SURVEY);
    shots = screenshotDir('numbers');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  }, BROWSER_TEST_TIMEOUT);

  async function storedContribution() {
    const [respondent] = await server.database.db.selectFrom('respondent').select('id').execute();
    return (await getResponseState(server.database.db, respondent!.id, server.now())).answers['g_contribution_eur'];
  }

  async function press(page: Page, button: string) {
    await page.getByRole('button', { name: button, exact: true }).click();
    await page.waitForLoadState('load');
  }

  const reviewed = (page: Page) => page.locator('dt#review-g_contribution_eur + dd').innerText();

  it('reads "12.000" as twelve thousand in Spanish, and asks in English which number it is', { timeout: BROWSER_TEST_TIMEOUT }, async () => {
    const amount = question(definition, 'g_contribution_eur');

    // Spanish, without JavaScript.
    const spanish = await newContext(browser, server, { javaScriptEnabled: false, locale: 'es-ES' });
    const es = await spanish.newPage();
    await es.goto(server.link);
    await es.goto(`/form/section/${FUNDING}`);
    await enterAnswer(es, question(definition, 'g_contributed'), 'yes', 'es');
    // Without JavaScript the amount is asked once "yes" is saved.
    await press(es, 'Guardar y continuar');
    expect(new URL(es.url()).pathname).toBe(`/form/section/${FUNDING}`);
    await questionField(es, amount, 'es').fill('12.000');
    await press(es, 'Guardar y continuar');
    expect(new URL(es.url()).pathname).toBe(`/form/section/${FUNDING + 1}`);
    expect(await storedContribution()).toBe(12000);

    await es.goto('/form/review');
    expect((await reviewed(es)).trim()).toBe('12.000 euros al año');
    await es.locator('#review-g_contribution_eur').scrollIntoViewIfNeeded();
    await es.screenshot({ path: `${shots}/es-review-viewport.png` });
    await screenshot(es, shots, 'es-review');
    await spanish.close();

    // English, the same government's link: "12.000" could be 12 or 12,000.
    const english = await newContext(browser, server, { javaScriptEnabled: false, locale: 'en-GB' });
    const en = await english.newPage();
    await en.goto(server.link);
    await en.goto(`/form/section/${FUNDING}`);
    const field = questionField(en, amount, 'en');
    // The saved number, written for this page.
    expect(await field.inputValue()).toBe('12000');
    await field.fill('12.000');
    await press(en, 'Save and continue');
    expect(new URL(en.url()).pathname).toBe(`/form/section/${FUNDING}`);
    expect(await storedContribution()).toBe(12000);

    const confirmation = en.getByRole('group', { name: 'Which number do you mean by “12.000”?' });
    await expect(confirmation.isVisible()).resolves.toBe(true);
    expect(await en.locator('#g_contribution_eur-errors').innerText()).toBe('“12.000” could mean 12 or 12,000. Please confirm the number you mean.');
    const twelve = confirmation.getByRole('radio', { name: '12 euros per year', exact: true });
    const twelveThousand = confirmation.getByRole('radio', { name: '12,000 (12 thousand) euros per year', exact: true });
    expect(await twelve.isChecked()).toBe(false);
    expect(await twelveThousand.isChecked()).toBe(false);
    expect(await field.inputValue()).toBe('12.000');
    await en.locator('#q-g_contribution_eur').scrollIntoViewIfNeeded();
    await en.screenshot({ path: `${shots}/en-confirmation-viewport.png` });
    await screenshot(en, shots, 'en-confirmation');

    // Saving again without a choice asks again; choosing 12 saves 12.
    await press(en, 'Save and continue');
    expect(new URL(en.url()).pathname).toBe(`/form/section/${FUNDING}`);
    await confirmation.getByText('12 euros per year', { exact: true }).click();
    await press(en, 'Save and continue');
    expect(new URL(en.url()).pathname).toBe(`/form/section/${FUNDING + 1}`);
    expect(await storedContribution()).toBe(12);
    await en.goto('/form/review');
    expect((await reviewed(en)).trim()).toBe('12 euros per year');
    await english.close();
  });

  it('with JavaScript, autosave says why "12,000" in French is not saved yet, and the page asks the same way', { timeout: BROWSER_TEST_TIMEOUT }, async () => {
    const french = await newContext(browser, server, { locale: 'fr-FR' });
    const page = await french.newPage();
    await page.goto(server.link);
    await page.goto(`/form/section/${FUNDING}`);
    // "Oui" shows the amount at once (live skip logic); it may already be chosen.
    await enterAnswer(page, question(definition, 'g_contributed'), 'yes', 'fr');
    const field = questionField(page, question(definition, 'g_contribution_eur'), 'fr');
    await field.waitFor({ state: 'visible' });
    const before = await storedContribution();
    // As the respondent types, the page says how the number is read.
    const hint = page.locator('#q-g_contribution_eur .number-reading');
    await field.fill('1.500.000');
    await expect.poll(() => hint.innerText()).toBe('Lu comme 1\u202f500\u202f000');
    await field.fill('12,000');
    await expect.poll(() => hint.innerText()).toBe('Peut se lire 12 / 12\u202f000. Il vous sera demandé lequel à l’enregistrement.');
    await expect
      .poll(() => page.locator('.autosave-status').innerText(), { timeout: 10_000 })
      .toContain('« 12,000 » peut se lire 12 ou 12\u202f000. Veuillez confirmer le nombre voulu.');
    expect(await storedContribution()).toBe(before);

    await page.locator('#q-g_contribution_eur').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${shots}/fr-js-hint-viewport.png` });
    await press(page, 'Enregistrer et continuer');
    const confirmation = page.getByRole('group', { name: 'Quel nombre voulez-vous dire par « 12,000 » ?' });
    // axe needs scripts, which this page has.
    expect(formatFindings((await runAxe(page, 'confirmation of a number')).filter(isSerious))).toBe('');
    await confirmation.getByText('12\u202f000 (12 mille) euros par an', { exact: true }).click();
    // Choosing is enough: autosave saves the confirmed reading.
    await expect.poll(storedContribution, { timeout: 10_000 }).toBe(12000);
    await page.goto('/form/review');
    expect((await reviewed(page)).trim()).toBe('12\u202f000 euros par an');
    await french.close();
  });
});
