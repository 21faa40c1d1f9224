/**
 * With JavaScript on, the form's script (web/form-enhance.ts) adds live skip logic, autosave and
 * exclusive options, under the page's strict CSP, without reloading the page.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { getResponseState } from '../../server/responses/response-service.ts';
import type { SurveyDefinition } from '../../survey-definitions/types.ts';
import { TEST_DATABASE_KIND } from '../support/database.ts';
import {
  BROWSER_TEST_TIMEOUT,
  GOVERNMENT_SURVEY,
  launchBrowser,
  loadDefinition,
  newContext,
  screenshot,
  screenshotDir,
  setUpBrowserTests,
  startTestServer,
  type TestServer,
} from './support/browser.ts';
import { question, questionField, questionGroup } from './support/questionnaire.ts';

const FR = 'fr' as const;

describe(`the form's script: live skip logic and autosave (${TEST_DATABASE_KIND})`, () => {
  let server: TestServer;
  let browser: Browser;
  let definition: SurveyDefinition;
  let context: BrowserContext;
  let page: Page;
  let shots: string;
  /** Script errors and CSP refusals reported by the browser. */
  const scriptProblems: string[] = [];
  /** Every POST the page sent. */
  const posts: string[] = [];
  /** Main-frame navigations (a page load each). */
  let loads = 0;

  setUpBrowserTests(async () => {
    browser = await launchBrowser();
    server = await startTestServer();
    definition = await loadDefinition(GOVERNMENT_SURVEY);
    shots = screenshotDir('javascript');
    context = await newContext(browser, server, { locale: 'fr-FR' });
    page = await context.newPage();
    page.on('pageerror', (error) => scriptProblems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      // Failed loads are reported with their address by the response listener.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) scriptProblems.push(`console: ${message.text()}`);
    });
    page.on('response', (response) => {
      if (response.status() >= 400) scriptProblems.push(`${response.status()} ${new URL(response.url()).pathname}`);
    });
    page.on('request', (request) => {
      if (request.method() === 'POST') posts.push(new URL(request.url()).pathname);
    });
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) loads++;
    });
    await page.goto(server.link);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  }, BROWSER_TEST_TIMEOUT);

  async function storedAnswers() {
    const [respondent] = await server.database.db.selectFrom('respondent').select('id').execute();
    return (await getResponseState(server.database.db, respondent!.id, server.now())).answers;
  }

  it('funding page: "Oui" shows the contribution questions at once, and typing is saved without submitting', { timeout: BROWSER_TEST_TIMEOUT }, async () => {
    await page.goto('/form/section/5');
    const types = questionGroup(page, question(definition, 'g_contribution_types'), FR);
    const amount = questionField(page, question(definition, 'g_contribution_eur'), FR);
    const contributed = page.getByRole('group', { name: question(definition, 'g_contributed').text.fr });
    expect(await types.isVisible()).toBe(false);
    expect(await amount.isVisible()).toBe(false);

    // Mark this document: a page load would lose the mark.
    await page.evaluate(() => document.documentElement.setAttribute('data-test-same-document', 'yes'));
    const loadsBefore = loads;
    const postsBefore = posts.length;

    await contributed.getByText('Oui', { exact: true }).click();
    await types.waitFor({ state: 'visible', timeout: 2000 });
    expect(await amount.isVisible()).toBe(true);
    // "Non" hides them again, "Oui" brings them back.
    await contributed.getByText('Non', { exact: true }).click();
    await types.waitFor({ state: 'hidden', timeout: 2000 });
    await contributed.getByText('Oui', { exact: true }).click();
    await types.waitFor({ state: 'visible', timeout: 2000 });

    // Autosave: type an amount and wait for the status line.
    await amount.pressSequentially('42000', { delay: 30 });
    const status = page.locator('.autosave-status');
    await page.waitForFunction(() => /^Enregistré à /.test(document.querySelector('.autosave-status')?.textContent ?? ''), undefined, { timeout: 10_000 });
    expect(await status.getAttribute('role')).toBe('status');
    // Wait until the last save has come back (one save may still be running when the first one reports).
    await expect.poll(async () => (await storedAnswers())['g_contribution_eur'], { timeout: 10_000 }).toBe(42000);
    await screenshot(page, shots, 'section-5-autosaved');

    expect(loads).toBe(loadsBefore);
    expect(await page.locator('html').getAttribute('data-test-same-document')).toBe('yes');
    const sent = posts.slice(postsBefore);
    expect(sent.length).toBeGreaterThan(0);
    expect(
      sent.every((p) => p === '/form/section/5/autosave'),
      sent.join(', '),
    ).toBe(true);
    expect(await storedAnswers()).toMatchObject({ g_contributed: 'yes', g_contribution_eur: 42000 });

    // After a reload, the server shows what the script saved.
    await page.reload();
    expect(await page.locator('html').getAttribute('data-test-same-document')).toBe(null);
    expect(await amount.inputValue()).toBe('42000');
    expect(await contributed.getByRole('radio', { name: 'Oui', exact: true }).isChecked()).toBe(true);
    expect(await types.isVisible()).toBe(true);
  });

  it('an exclusive option ("none of these") clears the other boxes, and the other way round', { timeout: BROWSER_TEST_TIMEOUT }, async () => {
    await page.goto('/form/section/1');
    const roles = questionGroup(page, question(definition, 'g_roles'), FR);
    await roles.getByText('Membre du Groupe de pilotage', { exact: true }).click();
    await roles.getByText('Membre de la Troïka', { exact: true }).click();
    const none = roles.getByRole('checkbox', { name: /^Aucun de ces rôles/ });
    await none.check();
    expect(await roles.getByRole('checkbox', { checked: true }).count()).toBe(1);
    await roles.getByText('Membre de la Troïka', { exact: true }).click();
    expect(await none.isChecked()).toBe(false);
    expect(await roles.getByRole('checkbox', { checked: true }).count()).toBe(1);
  });

  it('the script ran without errors or CSP refusals', () => {
    expect(scriptProblems).toEqual([]);
  });
});
