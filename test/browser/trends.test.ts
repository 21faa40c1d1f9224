/**
 * The Trends page in Chromium, on the two phases of test/fixtures/surveys-trends with the linked
 * governments of test/server/support/trends-data.ts: every phase-over-phase chart is drawn (pixels
 * read back), the PNG download works, the tables are there without JavaScript, and axe-core finds
 * no serious or critical violation. Screenshots go to a temporary folder.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { TEST_DATABASE_KIND } from '../support/database.ts';
import { publishTrendSurveys, seedTrendData, TRENDS_SURVEYS } from '../server/support/trends-data.ts';
import {
  addTeamMember,
  BROWSER_TEST_TIMEOUT,
  formatFindings,
  isSerious,
  launchBrowser,
  newContext,
  runAxe,
  screenshot,
  screenshotDir,
  setUpBrowserTests,
  signIn,
  startTestServer,
  type TeamMember,
  type TestServer,
} from './support/browser.ts';

const TRENDS = '/admin/trends?from=trends-2011&to=trends-2012';

/** Per canvas: pixels in a clear colour (bars), not white, grey or black. */
async function colouredPixels(page: Page): Promise<number[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLCanvasElement>('canvas[data-series]')).map((canvas) => {
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      let coloured = 0;
      for (let i = 0; i < data.length; i += 4)
        if (Math.max(data[i]!, data[i + 1]!, data[i + 2]!) - Math.min(data[i]!, data[i + 1]!, data[i + 2]!) > 40) coloured += 1;
      return coloured;
    }),
  );
}

describe(`the Trends page in a browser (${TEST_DATABASE_KIND})`, () => {
  let server: TestServer;
  let browser: Browser;
  let analyst: TeamMember;
  let shots: string;

  setUpBrowserTests(async () => {
    browser = await launchBrowser();
    server = await startTestServer({ surveysDir: TRENDS_SURVEYS, surveyId: 'trends-2012' });
    await publishTrendSurveys(server.database.db);
    await seedTrendData(server.database.db);
    analyst = await addTeamMember(server, 'analyst');
    shots = screenshotDir('trends');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  }, BROWSER_TEST_TIMEOUT);

  it(
    'draws both phases of every tied question, offers a PNG, and passes axe',
    async () => {
      const context = await newContext(browser, server, { acceptDownloads: true });
      const page = await context.newPage();
      await signIn(page, analyst);
      await page.goto(TRENDS);
      // The script shows each chart's PNG button once it has drawn the chart.
      await page.locator('button[data-png-for]').last().waitFor({ state: 'visible' });
      const pixels = await colouredPixels(page);
      // Support, the Steering Group row (the Troika row has no answer), attended, chair, and topics.
      expect(pixels).toHaveLength(5);
      for (const [i, count] of pixels.entries()) expect(count, `chart ${i}`).toBeGreaterThan(200);
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('button[data-png-for="trend-0-0-0"]').click()]);
      expect(download.suggestedFilename()).toBe('trend-0-0-0.png');
      await screenshot(page, shots, 'trends');
      const findings = await runAxe(page, 'trends');
      console.log(formatFindings(findings));
      expect(findings.filter(isSerious)).toEqual([]);
      await context.close();
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'shows every table without JavaScript',
    async () => {
      const context = await newContext(browser, server, { javaScriptEnabled: false });
      const page = await context.newPage();
      await signIn(page, analyst);
      await page.goto(TRENDS);
      expect(await page.locator('table.data').count()).toBe(16);
      await expect(page.locator('section.question-result').first().innerText()).resolves.toContain('Wilcoxon signed-rank test');
      expect(await page.locator('button[data-png-for]:visible').count()).toBe(0);
      await context.close();
    },
    BROWSER_TEST_TIMEOUT,
  );
});
