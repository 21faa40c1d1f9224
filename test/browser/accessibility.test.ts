/**
 * axe-core on every kind of page a respondent meets, as served: the list of questionnaires, an
 * invalid link, the open registration (empty, with errors, with the new link), the overview,
 * each of the ten sections of the government questionnaire empty and with a validation error,
 * the "saved" page, the review (incomplete and complete) and the receipt.
 *
 * No violation of impact "serious" or "critical" is allowed; lesser ones are printed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { SurveyDefinition } from '../../survey-definitions/types.ts';
import { TEST_DATABASE_KIND } from '../support/database.ts';
import {
  BROWSER_TEST_TIMEOUT,
  CIVIL_SOCIETY_SURVEY,
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
  type AxeFinding,
  type TestServer,
} from './support/browser.ts';
import { governmentAnswers, question } from './support/questionnaire.ts';

const EN = { locale: 'en-GB' };

describe(`accessibility (axe-core) of the respondent's pages (${TEST_DATABASE_KIND})`, () => {
  let server: TestServer;
  let browser: Browser;
  let definition: SurveyDefinition;
  let shots: string;
  const findings: AxeFinding[] = [];
  const checked: string[] = [];

  setUpBrowserTests(async () => {
    browser = await launchBrowser();
    server = await startTestServer();
    definition = await loadDefinition(GOVERNMENT_SURVEY);
    shots = screenshotDir('accessibility');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  }, BROWSER_TEST_TIMEOUT);

  async function check(page: Page, label: string, expectedStatus?: number) {
    checked.push(label);
    const started = Date.now();
    const found = await runAxe(page, label);
    findings.push(...found);
    console.log(`[axe] ${label}: ${found.length} finding(s) in ${Date.now() - started} ms`);
    if (expectedStatus !== undefined) expect(lastStatus.get(page), label).toBe(expectedStatus);
  }

  /** Status of the last document each page loaded. */
  const lastStatus = new WeakMap<Page, number>();
  async function openPage(context: BrowserContext): Promise<Page> {
    const page = await context.newPage();
    page.on('response', (response) => {
      if (response.request().resourceType() === 'document' && response.frame() === page.mainFrame()) lastStatus.set(page, response.status());
    });
    return page;
  }

  /** Every link of an error summary leads to an element of the page (the field to correct). */
  async function brokenErrorLinks(page: Page): Promise<string[]> {
    return page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLAnchorElement>('.error-summary a[href^="#"]'))
        .map((a) => a.getAttribute('href')!.slice(1))
        .filter((id) => !document.getElementById(id)),
    );
  }

  /**
   * Makes the first question the page shows invalid the way a tampered or outdated form would
   * (an option that does not exist, an unknown country, the same rank twice), and saves.
   */
  async function postInvalid(page: Page): Promise<string | undefined> {
    const target = await page.evaluate(() => {
      const question = Array.from(document.querySelectorAll<HTMLElement>('form.questionnaire [data-question]')).find((q) => !q.hidden);
      if (!question) return undefined;
      const type = question.dataset.type;
      if (type === 'ranking') return { id: question.dataset.question!, type };
      if (type === 'numeric' || type === 'short_text' || type === 'long_text') return { id: question.dataset.question!, type };
      const select = question.querySelector('select');
      if (select) {
        select.add(new Option('Atlantis', 'ATL', true, true));
      } else {
        const input = question.querySelector<HTMLInputElement>('input[type=radio], input[type=checkbox]')!;
        input.value = 'not_an_option';
        input.checked = true;
      }
      return { id: question.dataset.question!, type };
    });
    if (!target) return undefined;
    if (target.type === 'ranking') {
      const selects = page.locator(`#q-${target.id} select`);
      await selects.nth(0).selectOption('1');
      await selects.nth(1).selectOption('1');
    } else if (target.type === 'numeric') {
      await page.locator(`#${target.id}`).fill('beaucoup');
    } else if (target.type === 'short_text' || target.type === 'long_text') {
      return undefined;
    }
    await page.getByRole('button', { name: /^(Save and continue|Review your answers)$/ }).click();
    await page.waitForLoadState('load');
    return target.id;
  }

  let context: BrowserContext;
  let page: Page;

  it('public pages: home, invalid link, no session, open registration', { timeout: BROWSER_TEST_TIMEOUT }, async () => {
    const visitor = await newContext(browser, server, EN);
    const page = await openPage(visitor);
    await page.goto('/');
    await check(page, 'home', 200);
    await page.goto('/r/this-link-does-not-exist');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('This link does not work');
    await check(page, 'invalid link', 404);
    await page.goto('/form');
    await check(page, 'form without a session', 401);

    await page.goto(`/open/${CIVIL_SOCIETY_SURVEY}`);
    await check(page, 'open registration', 200);
    await page.getByRole('button', { name: 'Get my link' }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('.field-errors').count()).toBeGreaterThan(0);
    await check(page, 'open registration with errors', 422);
    await screenshot(page, shots, 'registration-errors');
    await page.getByLabel('Name of your organisation').fill('Migrant Rights Network');
    await page.getByLabel('Country where it is based').selectOption('KEN');
    await page.getByLabel('Type of organisation').selectOption('ngo_human_rights');
    await page.getByLabel('Contact e-mail (optional)').fill('not-an-address');
    await page.getByRole('button', { name: 'Get my link' }).click();
    await page.waitForLoadState('load');
    await check(page, 'open registration with an invalid e-mail', 422);
    await page.getByLabel('Contact e-mail (optional)').fill('');
    await page.getByRole('button', { name: 'Get my link' }).click();
    await page.waitForLoadState('load');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Your personal link');
    await check(page, 'open registration: your link', 200);
    await visitor.close();
  });

  it('the overview and the ten sections of the government questionnaire, empty', { timeout: BROWSER_TEST_TIMEOUT }, async () => {
    context = await newContext(browser, server, EN);
    page = await openPage(context);
    await page.goto(server.link);
    expect(new URL(page.url()).pathname).toBe('/form');
    await check(page, 'overview (not started)', 200);
    for (let n = 1; n <= definition.sections.length; n++) {
      await page.goto(`/form/section/${n}`);
      await check(page, `section ${n} (no answers)`, 200);
    }
  });

  it('each section with a validation error', { timeout: BROWSER_TEST_TIMEOUT }, async () => {
    const noErrorState: number[] = [];
    for (let n = 1; n <= definition.sections.length; n++) {
      await page.goto(`/form/section/${n}`);
      const question = await postInvalid(page);
      if (!question) {
        noErrorState.push(n);
        continue;
      }
      expect(new URL(page.url()).pathname, `section ${n}`).toBe(`/form/section/${n}`);
      expect(await page.locator('#error-summary').count(), `section ${n} shows an error summary`).toBe(1);
      expect(await page.locator(`#q-${question}.has-error`).count(), `section ${n}: ${question} is marked`).toBe(1);
      expect(await brokenErrorLinks(page), `section ${n}: error links`).toEqual([]);
      await check(page, `section ${n} with an error in ${question}`, 422);
      if (question === 'g_priority_topics') {
        // The ranks entered are shown again, with a message that says what is wrong.
        const selects = page.locator('#q-g_priority_topics select');
        expect([await selects.nth(0).inputValue(), await selects.nth(1).inputValue(), await selects.nth(2).inputValue()]).toEqual(['1', '1', '']);
        expect(await page.locator('#g_priority_topics-errors').innerText()).toBe('Two items have the same rank; please give each rank only once.');
        await screenshot(page, shots, 'section-3-duplicate-rank');
      }
    }
    if (noErrorState.length) console.log(`[axe] sections without a question to make invalid (all hidden by skip logic): ${noErrorState.join(', ')}`);

    // The funding page: "Yes" reveals the amount (live, with JavaScript); a word is not a number.
    const amount = question(definition, 'g_contribution_eur').text.en;
    await page.goto('/form/section/5');
    await page
      .getByRole('group', { name: question(definition, 'g_contributed').text.en })
      .getByText('Yes', { exact: true })
      .click();
    await page.getByLabel(amount).fill('a lot');
    await page.getByRole('button', { name: 'Save and continue' }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('#q-g_contribution_eur .field-errors').innerText()).toBe('Please enter a number.');
    expect(await page.getByLabel(amount).getAttribute('aria-invalid')).toBe('true');
    expect(await brokenErrorLinks(page)).toEqual([]);
    await check(page, 'section 5 with an invalid number', 422);
    await screenshot(page, shots, 'section-5-invalid-number');
    // Without JavaScript, "Yes" is saved first and the page comes back with the new questions.
    await page.goto('/form/section/5?notice=new_questions');
    await check(page, 'section 5 with the "new questions" notice', 200);
  });

  it('review, saved page and receipt', { timeout: BROWSER_TEST_TIMEOUT }, async () => {
    await page.goto('/form/review');
    expect(await page.locator('.error-summary').count()).toBe(1);
    await check(page, 'review (answers missing)', 200);
    await page.goto('/form/saved');
    await check(page, 'saved, come back later', 200);

    // The answers of a whole questionnaire, stored through the JSON API as an integration would.
    const api = `/api/r/${server.token}`;
    const current = (await (await context.request.get(api)).json()) as { revision: number };
    const put = await context.request.put(`${api}/answers`, { data: { answers: governmentAnswers(definition), revision: current.revision } });
    expect(put.status(), await put.text()).toBe(200);
    await page.goto('/form');
    await check(page, 'overview (all answered)', 200);
    await page.goto('/form/section/5');
    await check(page, 'section 5 (answered)', 200);
    await page.goto('/form/review');
    expect(await page.locator('.error-summary').count()).toBe(0);
    await check(page, 'review (complete)', 200);
    await page.getByRole('button', { name: 'Submit the answers' }).click();
    await page.waitForLoadState('load');
    expect(new URL(page.url()).pathname).toBe('/form/receipt');
    await check(page, 'receipt', 200);
    await screenshot(page, shots, 'receipt-en');
    await context.close();
  });

  it('found no serious or critical violation on any page checked', () => {
    const serious = findings.filter(isSerious);
    const lesser = findings.filter((f) => !isSerious(f));
    console.log(`[axe] ${checked.length} pages checked: ${checked.join('; ')}`);
    if (lesser.length) console.log(`[axe] moderate or minor findings:\n${formatFindings(lesser)}`);
    expect(checked.length).toBeGreaterThanOrEqual(30);
    expect(serious, `serious or critical accessibility violations:\n${formatFindings(serious)}`).toEqual([]);
  });
});
