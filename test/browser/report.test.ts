/**
 * The printable reports in Chromium, on a database filled with the synthetic demo and one release
 * of the civil society survey:
 * - an observer reads the release (its tables by breakdown and its printed report) and nothing
 *   live: every hidden count reads "fewer than 5" or "withheld", and no chart drops a hidden
 *   figure silently (every row or option with a hidden count is drawn as hidden or says so);
 * - the charts are drawn (pixels read back), the report prints to an A4 PDF of several pages, and
 *   axe-core finds no serious or critical violation;
 * - an analyst's live report says it is confidential, on screen and on every printed page.
 * With REPORT_SHOT_DIR set, the PDF and print screenshots are saved there for a person to look at.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChartSeries } from '../../analysis/chart-series.ts';
import { writeDemoData } from '../../server/demo/write-demo.ts';
import { createRelease } from '../../server/releases/release-service.ts';
import { TEST_DATABASE_KIND } from '../support/database.ts';
import {
  addTeamMember,
  CIVIL_SOCIETY_SURVEY,
  formatFindings,
  isSerious,
  launchBrowser,
  newContext,
  runAxe,
  setUpBrowserTests,
  signIn,
  startTestServer,
  type TestServer,
} from './support/browser.ts';

const TIMEOUT = 240_000;
const DEMO_RESPONSES = 200;

/** Per chart: its size and how many pixels are inked (not white or transparent) and coloured (bars). */
async function canvasPixels(page: Page): Promise<{ id: string; width: number; height: number; inked: number; coloured: number }[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLCanvasElement>('canvas[data-report-series]')).map((canvas) => {
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      let inked = 0;
      let coloured = 0;
      for (let i = 0; i < data.length; i += 4) {
        const [r, g, b, a] = [data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!];
        if (a === 0 || (r > 245 && g > 245 && b > 245)) continue;
        inked++;
        if (Math.max(r, g, b) - Math.min(r, g, b) > 40) coloured++;
      }
      return { id: canvas.id, width: canvas.width, height: canvas.height, inked, coloured };
    }),
  );
}

/** Pages of a PDF: its `/Type /Page` objects (not the `/Type /Pages` tree nodes). */
function pdfPageCount(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? []).length;
}

/** Per report question: its table's hidden cells by row label, and its chart's series (if drawn). */
async function questionsOnPage(page: Page): Promise<{ id: string; hiddenRows: string[]; series: ChartSeries | null; noChart: boolean }[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('article.report-question')).map((article) => {
      const canvas = article.querySelector<HTMLCanvasElement>('canvas[data-report-series]');
      const series = canvas ? (JSON.parse(canvas.dataset['reportSeries']!) as { datasets: { label: string }[] }) : null;
      const headers = Array.from(article.querySelectorAll('table.report-table thead th')).map((th) => th.textContent!.trim());
      // The columns a chart draws: an option's respondents, or a scale's points (its datasets).
      const drawn = (header: string) => header === 'Respondents' || !!series?.datasets.some((d) => d.label === header);
      const hiddenRows = Array.from(article.querySelectorAll('table.report-table tbody tr'))
        .filter((tr) =>
          Array.from(tr.children).some(
            (cell, i) => cell.tagName === 'TD' && drawn(headers[i] ?? '') && /^(fewer than\s\d+|withheld)$/.test(cell.textContent!.trim()),
          ),
        )
        .map((tr) => tr.querySelector('th')!.textContent!.trim());
      return { id: article.id, hiddenRows, series: series as ChartSeries | null, noChart: !!article.querySelector('.no-chart') };
    }),
  );
}

describe(`releases and reports in a browser, on ~${DEMO_RESPONSES} demo responses (${TEST_DATABASE_KIND})`, () => {
  let server: TestServer;
  let browser: Browser;
  let observerPage: Page;
  let analystPage: Page;
  let releaseId: number;
  const problems: string[] = [];

  setUpBrowserTests(async () => {
    browser = await launchBrowser();
    server = await startTestServer();
    await writeDemoData(server.database.db, { responses: DEMO_RESPONSES, seed: 'browser-report', force: true });
    releaseId = (await createRelease(server.database.db, { surveyId: CIVIL_SOCIETY_SURVEY, name: 'Browser release', actor: 'test' })).id;
    const observer = await addTeamMember(server, 'observer');
    const analyst = await addTeamMember(server, 'analyst');
    const observerContext = await newContext(browser, server, { locale: 'en-GB', viewport: { width: 1000, height: 1200 } });
    observerPage = await observerContext.newPage();
    observerPage.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    observerPage.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    await signIn(observerPage, observer);
    analystPage = await (await newContext(browser, server, { locale: 'en-GB', viewport: { width: 1000, height: 1200 } })).newPage();
    await signIn(analystPage, analyst);
    // Filling the database and protecting the release take a while on two shared cores.
  }, 2 * TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  }, TIMEOUT);

  it('shows an observer the release, never live figures', { timeout: TIMEOUT }, async () => {
    await observerPage.goto('/admin');
    const nav = await observerPage.locator('nav.admin-nav').innerText();
    expect(nav).toContain('Releases');
    expect(nav).not.toContain('Dashboard');
    expect(nav).not.toContain('Comparisons');
    for (const live of [
      `/admin/dashboard?survey=${CIVIL_SOCIETY_SURVEY}`,
      `/admin/comparisons?survey=${CIVIL_SOCIETY_SURVEY}`,
      `/admin/report?survey=${CIVIL_SOCIETY_SURVEY}`,
    ]) {
      const response = await observerPage.goto(live);
      expect(response?.status(), live).toBe(403);
      expect(await observerPage.locator('main').innerText()).toContain('Releases page');
    }
    await observerPage.goto(`/admin/releases?survey=${CIVIL_SOCIETY_SURVEY}`);
    await observerPage.getByRole('link', { name: String(releaseId), exact: true }).click();
    await observerPage.getByLabel('Breakdown').selectOption('region');
    await observerPage.getByRole('button', { name: 'Show' }).click();
    expect(observerPage.url()).toContain('breakdown=region');
    const cells = await observerPage.locator('table.data td').allInnerTexts();
    const words = new Set(cells.filter((t) => !/^\d+$/.test(t.trim())).map((t) => t.trim()));
    expect([...words].sort()).toEqual(['fewer than 5', 'withheld']);
    // No count from 1 to 4 is on the page.
    expect(cells.filter((t) => /^[1-4]$/.test(t.trim()))).toEqual([]);
  });

  it('prints a release with every chart drawn and no hidden figure dropped silently', { timeout: TIMEOUT }, async () => {
    problems.length = 0; // the refusals above were expected
    const response = await observerPage.goto(`/admin/releases/${releaseId}/report?group=all`);
    expect(response?.status()).toBe(200);
    await observerPage.waitForLoadState('load');
    await observerPage.waitForFunction(() =>
      Array.from(document.querySelectorAll<HTMLCanvasElement>('canvas[data-report-series]')).every((c) => c.width >= 1000),
    );
    expect(await observerPage.locator('#release-source').innerText()).toContain(`Release ${releaseId}`);
    expect(await observerPage.locator('.confidential-mark').count()).toBe(0);
    const pixels = await canvasPixels(observerPage);
    const all = await questionsOnPage(observerPage);
    console.log(
      `[report] ${pixels.length} charts of ${all.length} questions; no chart: ${all
        .filter((q) => q.noChart)
        .map((q) => q.id)
        .join(', ')}`,
    );
    expect(pixels.length).toBeGreaterThanOrEqual(5);
    for (const p of pixels) expect(p.inked / (p.width * p.height), `${p.id} is not blank`).toBeGreaterThan(0.01);

    // A group with hidden figures: every table row with one is drawn as hidden, or named as not shown.
    let checked = 0;
    for (const group of [
      'all',
      ...(await observerPage.locator('#group option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value))),
    ].slice(0, 12)) {
      await observerPage.goto(`/admin/releases/${releaseId}/report?group=${encodeURIComponent(group)}`);
      for (const q of await questionsOnPage(observerPage)) {
        if (!q.hiddenRows.length || q.noChart) continue;
        const series = q.series!;
        const hiddenPart = series.datasets.find((d) => d.side === 'hidden');
        for (const row of q.hiddenRows) {
          const index = series.labels.findIndex((label) => label === row || label.startsWith(`${row} (`));
          if (index < 0) continue; // a base row ("Gave a view") or one counted apart: not drawn
          const label = series.labels[index]!;
          const drawnHidden = hiddenPart !== undefined && (hiddenPart.data[index] ?? 0) > 0;
          const named = /\((fewer than \d+|withheld|not shown)\)$/.test(label);
          expect(drawnHidden || named, `${group} ${q.id}: '${row}' hides a count but its chart says nothing (${label})`).toBe(true);
          checked++;
        }
      }
    }
    console.log(`[report] ${checked} chart rows with hidden counts checked`);
    expect(checked).toBeGreaterThan(10);
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('prints the release to an A4 PDF of several pages, accessibly', { timeout: TIMEOUT }, async () => {
    await observerPage.goto(`/admin/releases/${releaseId}/report?group=all`);
    await observerPage.waitForLoadState('load');
    const pdf = await observerPage.pdf({ format: 'A4', printBackground: true });
    const pages = pdfPageCount(pdf);
    console.log(`[report] PDF: ${pdf.length} bytes, ${pages} pages`);
    expect(pdf.subarray(0, 4).toString('latin1')).toBe('%PDF');
    expect(pages).toBeGreaterThanOrEqual(2);
    const dir = process.env.REPORT_SHOT_DIR;
    if (dir) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'release-report.pdf'), pdf);
      await observerPage.emulateMedia({ media: 'print' });
      await observerPage.screenshot({ path: path.join(dir, 'release-report-print.png'), fullPage: true });
      await observerPage.emulateMedia({ media: 'screen' });
    }
    const findings = await runAxe(observerPage, 'release report');
    expect(findings.filter(isSerious), formatFindings(findings.filter(isSerious))).toEqual([]);
  });

  it('marks the analyst’s live report confidential on screen and on every printed page', { timeout: TIMEOUT }, async () => {
    const response = await analystPage.goto(`/admin/report?survey=${CIVIL_SOCIETY_SURVEY}`);
    expect(response?.status()).toBe(200);
    expect(await analystPage.title()).toMatch(/^Confidential report/);
    const mark = analystPage.locator('.confidential-mark');
    expect(await mark.isVisible()).toBe(true);
    await analystPage.emulateMedia({ media: 'print' });
    // Printed, the document is laid out on the named page whose margins carry the mark on every page.
    expect(await analystPage.locator('main').evaluate((el) => getComputedStyle(el).getPropertyValue('page'))).toBe('confidential');
    const dir = process.env.REPORT_SHOT_DIR;
    if (dir) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'live-report.pdf'), await analystPage.pdf({ preferCSSPageSize: true, printBackground: true }));
    }
    await analystPage.emulateMedia({ media: 'screen' });
    // Live figures are exact: nothing reads "fewer than 5" or "withheld".
    expect(await analystPage.locator('td.hidden-count').count()).toBe(0);
  });
});
