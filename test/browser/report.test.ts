/**
 * The printable report in Chromium, on a database filled with the synthetic demo: the charts are
 * drawn (pixels read back), the page prints to an A4 PDF of several pages, and axe-core finds no
 * serious or critical violation. With REPORT_SHOT_DIR set, the PDF and a full-page screenshot in
 * print media are saved there for a person to look at.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { writeDemoData } from '../../server/demo/write-demo.ts';
import { TEST_DATABASE_KIND } from '../support/database.ts';
import { addTeamMember, formatFindings, GOVERNMENT_SURVEY, isSerious, launchBrowser, newContext, runAxe, setUpBrowserTests, signIn, startTestServer, type TestServer } from './support/browser.ts';

const TIMEOUT = 180_000;
const DEMO_RESPONSES = 200;
const REPORT = `/admin/report?survey=${GOVERNMENT_SURVEY}`;

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

describe(`the printable report in a browser, on ~${DEMO_RESPONSES} demo responses (${TEST_DATABASE_KIND})`, () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  setUpBrowserTests(async () => {
    browser = await launchBrowser();
    server = await startTestServer();
    await writeDemoData(server.database.db, { responses: DEMO_RESPONSES, seed: 'browser-report', force: true });
    const observer = await addTeamMember(server, 'observer');
    const context = await newContext(browser, server, { locale: 'en-GB', viewport: { width: 1000, height: 1200 } });
    page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${new URL(response.url()).pathname}`);
    });
    await signIn(page, observer);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  }, TIMEOUT);

  it('draws every chart before printing, without script errors', { timeout: TIMEOUT }, async () => {
    const response = await page.goto(REPORT);
    expect(response?.status()).toBe(200);
    // The script draws synchronously on load: once the load event fired, every chart is finished.
    await page.waitForLoadState('load');
    await page.waitForFunction(() => Array.from(document.querySelectorAll<HTMLCanvasElement>('canvas[data-report-series]')).every((c) => c.width >= 1000));
    const pixels = await canvasPixels(page);
    console.log(`[report] ${pixels.length} charts; first ones: ${JSON.stringify(pixels.slice(0, 3))}`);
    expect(pixels.length).toBeGreaterThanOrEqual(8);
    for (const p of pixels) expect(p.inked / (p.width * p.height), `${p.id} is not blank`).toBeGreaterThan(0.01);
    expect(pixels.filter((p) => p.coloured > 500).length / pixels.length, 'charts with coloured bars').toBeGreaterThan(0.8);
    // Drawn at twice the density for print, shown no wider than the A4 column.
    const shown = await page.locator('canvas[data-report-series]').first().boundingBox();
    expect(shown!.width).toBeLessThanOrEqual(680);
    expect(await page.getByRole('button', { name: 'Print or save as PDF' }).isVisible()).toBe(true);
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('prints to an A4 PDF of several pages (and saves it with a print screenshot when asked)', { timeout: TIMEOUT }, async () => {
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    const pages = pdfPageCount(pdf);
    console.log(`[report] PDF: ${pdf.length} bytes, ${pages} pages`);
    expect(pdf.subarray(0, 4).toString('latin1')).toBe('%PDF');
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(pdf.length).toBeGreaterThan(50_000);

    const dir = process.env.REPORT_SHOT_DIR;
    if (dir) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'report.pdf'), pdf);
      await page.emulateMedia({ media: 'print' });
      await page.screenshot({ path: path.join(dir, 'report-print.png'), fullPage: true });
      await page.emulateMedia({ media: 'screen' });
      console.log(`[report] saved report.pdf and report-print.png in ${dir}`);
    }
  });

  it('has no serious or critical accessibility violation', { timeout: TIMEOUT }, async () => {
    const findings = await runAxe(page, 'report');
    const lesser = findings.filter((f) => !isSerious(f));
    if (lesser.length) console.log(`[axe] moderate or minor findings:\n${formatFindings(lesser)}`);
    expect(findings.filter(isSerious), formatFindings(findings.filter(isSerious))).toEqual([]);
  });
});
