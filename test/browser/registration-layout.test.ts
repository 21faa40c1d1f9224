/**
 * The open registration page as a person sees it, in Spanish (its longest labels), on a desktop
 * and on a 390 px phone: every label sits above its field, neither overlapping it nor beside it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { TEST_DATABASE_KIND } from '../support/database.ts';
import {
  BROWSER_TEST_TIMEOUT,
  CIVIL_SOCIETY_SURVEY,
  launchBrowser,
  newContext,
  screenshot,
  screenshotDir,
  setUpBrowserTests,
  startTestServer,
  type TestServer,
} from './support/browser.ts';

describe(`open registration layout (${TEST_DATABASE_KIND})`, () => {
  let server: TestServer;
  let browser: Browser;
  let shots: string;

  setUpBrowserTests(async () => {
    browser = await launchBrowser();
    // Publishes every shipped questionnaire, the civil society one among them.
    server = await startTestServer();
    shots = screenshotDir('registration');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  }, BROWSER_TEST_TIMEOUT);

  it.each([
    { width: 1280, height: 900 },
    { width: 390, height: 844 },
  ])(
    'puts each label above its field at $width px',
    async (viewport) => {
      const context = await newContext(browser, server, { viewport, locale: 'es-ES' });
      const page = await context.newPage();
      await page.goto(`${server.url}/open/${CIVIL_SOCIETY_SURVEY}?lang=es`);
      await screenshot(page, shots, `registro-${viewport.width}`);
      const boxes = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLLabelElement>('form.register label[for]')].map((label) => {
          const field = document.getElementById(label.htmlFor)!;
          const l = label.getBoundingClientRect();
          const f = field.getBoundingClientRect();
          return { field: label.htmlFor, labelBottom: l.bottom, fieldTop: f.top, fieldRight: f.right };
        }),
      );
      expect(boxes.map((b) => b.field)).toEqual(['reg-name', 'reg-country', 'reg-org_type', 'reg-email']);
      for (const b of boxes) {
        expect(b.labelBottom, b.field).toBeLessThanOrEqual(b.fieldTop);
        expect(b.fieldRight, b.field).toBeLessThanOrEqual(viewport.width);
      }
      await context.close();
    },
    BROWSER_TEST_TIMEOUT,
  );
});
