/**
 * A matrix on a 390 px phone, in Chromium: the rows stack, every choice shows its words beside its
 * radio button, nothing scrolls sideways, and a tap on the words chooses the answer, which is saved
 * and shown again. On a wide screen the same matrix stays a table.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
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

const MATRIX = 'g_prep_quality';

describe(`a matrix on a phone (${TEST_DATABASE_KIND})`, () => {
  let browser: Browser;
  let server: TestServer;
  let definition: SurveyDefinition;
  let section: number;

  setUpBrowserTests(async () => {
    browser = await launchBrowser();
    server = await startTestServer();
    definition = await loadDefinition(GOVERNMENT_SURVEY);
    section = definition.sections.findIndex((s) => s.questions.some((q) => q.id === MATRIX)) + 1;
    expect(section).toBeGreaterThan(0);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  }, BROWSER_TEST_TIMEOUT);

  it('stacks the rows at 390 px, with every choice in words, no sideways scroll, and saves a tapped choice', { timeout: BROWSER_TEST_TIMEOUT }, async () => {
    const question = definition.sections[section - 1]!.questions.find((q) => q.id === MATRIX)!;
    if (question.type !== 'matrix') throw new Error(`${MATRIX} is not a matrix`);
    const context = await newContext(browser, server, {
      locale: 'en-GB',
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      javaScriptEnabled: false,
    });
    const page = await context.newPage();
    await page.goto(server.link);
    await page.goto(`/form/section/${section}`);
    const table = page.locator(`fieldset:has(input[name^="${MATRIX}["]) table.matrix`);
    // Nothing wider than the screen: the page does not scroll sideways, nor does the matrix.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const box = (await table.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    // The first row's choices: one under the other, each with its words, big enough to tap.
    const first = question.rows[0]!;
    const choices = page.locator(`input[name="${MATRIX}[${first.code}]"]`);
    const points = [...question.scale.points, ...question.scale.non_substantive];
    expect(await choices.count()).toBe(points.length);
    const words = await page.locator(`tr:has(input[name="${MATRIX}[${first.code}]"]) .matrix-option`).allInnerTexts();
    expect(words).toEqual(points.map((p) => p.label.en));
    const tops = await choices.evaluateAll((inputs) => inputs.map((i) => i.getBoundingClientRect().top));
    for (let i = 1; i < tops.length; i++) expect(tops[i]!).toBeGreaterThan(tops[i - 1]!);
    const label = page.locator(`tr:has(input[name="${MATRIX}[${first.code}]"]) label.matrix-choice`).nth(1);
    expect((await label.boundingBox())!.height).toBeGreaterThanOrEqual(40);
    await screenshot(page, screenshotDir('matrix-phone'), 'matrix-390');
    // A tap on the words chooses; the answer is saved and shown again.
    await label.locator('.matrix-option').tap();
    expect(await choices.nth(1).isChecked()).toBe(true);
    await page.locator('button[name="_action"][value="next"]').click();
    await page.waitForLoadState('load');
    await page.goto(`/form/section/${section}`);
    expect(await page.locator(`input[name="${MATRIX}[${first.code}]"]`).nth(1).isChecked()).toBe(true);
    await context.close();
  });

  it('keeps the table on a wide screen, its words in the header only', { timeout: BROWSER_TEST_TIMEOUT }, async () => {
    const context = await newContext(browser, server, { locale: 'en-GB', viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    await page.goto(server.link);
    await page.goto(`/form/section/${section}`);
    const table = page.locator(`table.matrix:has(input[name^="${MATRIX}["])`);
    expect(await table.locator('thead').isVisible()).toBe(true);
    expect(await table.locator('.matrix-option').first().isVisible()).toBe(false);
    await context.close();
  });
});
