/**
 * The Assessment Team's dashboard in Chromium, on a database filled with the synthetic demo
 * (about 300 responses, fixed seed): the charts are really drawn (pixels read back from each
 * canvas), the figures reconcile (regions add up to the whole, option counts to "Answered"), the
 * PNG and CSV downloads work, an observer reads releases only and is kept out of the live pages, the free
 * text and the tracker, the comparisons page states its tests in words, and axe-core finds no
 * serious or critical violation on the team's pages. Screenshots go to a temporary folder.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { REGIONS } from '../../survey-definitions/countries.ts';
import { writeDemoData } from '../../server/demo/write-demo.ts';
import { TEST_DATABASE_KIND } from '../support/database.ts';
import {
  addTeamMember,
  formatFindings,
  GOVERNMENT_SURVEY,
  isSerious,
  launchBrowser,
  newContext,
  runAxe,
  screenshot,
  screenshotDir,
  setUpBrowserTests,
  signIn,
  startTestServer,
  type AxeFinding,
  type TeamMember,
  type TestServer,
} from './support/browser.ts';

/** Filling the database and drawing forty charts on two shared cores takes a while. */
const TIMEOUT = 180_000;
const DEMO_RESPONSES = 300;
const DEMO_SEED = 'browser-dashboard';
const DASHBOARD = `/admin/dashboard?survey=${GOVERNMENT_SURVEY}`;

/** Script errors, CSP refusals and failed requests a page reported. */
function watchProblems(page: Page, problems: string[]): void {
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(`console: ${message.text()}`);
    if (/Content Security Policy/i.test(message.text())) problems.push(`CSP: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} ${new URL(response.url()).pathname}`);
  });
}

/** The N of "Every figure below rests on N responses". */
async function restsOn(page: Page): Promise<number> {
  const text = await page.locator('p.totals').innerText();
  const match = /rests on (\d+) responses?/.exec(text);
  if (!match) throw new Error(`no "rests on N responses" in: ${text}`);
  return Number(match[1]);
}

interface CanvasPixels {
  id: string;
  type: string;
  width: number;
  height: number;
  /** Pixels neither white nor transparent. */
  inked: number;
  /** Pixels in a clear colour (bars), not grey (axes, grid, text). */
  coloured: number;
}

/** Reads every pixel of each chart on the page back from its canvas. */
async function canvasPixels(page: Page): Promise<CanvasPixels[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLCanvasElement>('canvas[data-series]')).map((canvas) => {
      const context = canvas.getContext('2d')!;
      const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
      let inked = 0;
      let coloured = 0;
      for (let i = 0; i < data.length; i += 4) {
        const [r, g, b, a] = [data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!];
        if (a === 0 || (r > 245 && g > 245 && b > 245)) continue;
        inked++;
        if (Math.max(r, g, b) - Math.min(r, g, b) > 40) coloured++;
      }
      const series = JSON.parse(canvas.dataset.series ?? '{}') as { type?: string };
      return { id: canvas.id, type: series.type ?? '', width: canvas.width, height: canvas.height, inked, coloured };
    }),
  );
}

/** The charts were drawn: chart.js set a size and filled the first canvas with something. */
async function chartsDrawn(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('canvas[data-series]');
    if (!canvas || canvas.width === 0) return false;
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    for (let i = 0; i < data.length; i += 4) if (data[i + 3]! > 0 && (data[i]! < 200 || data[i + 1]! < 200 || data[i + 2]! < 200)) return true;
    return false;
  });
}

/**
 * The first `screens` screens of a long page, as `<name>-1.png`, `<name>-2.png`…: a full-page
 * shot of forty charts is slow and unreadable when scaled down.
 */
async function firstScreens(page: Page, dir: string, name: string, screens: number): Promise<void> {
  const { height, viewport } = await page.evaluate(() => ({ height: document.documentElement.scrollHeight, viewport: window.innerHeight }));
  for (let i = 0; i < screens && i * viewport < height; i++) {
    await page.evaluate((y) => window.scrollTo(0, y), i * viewport);
    await page.screenshot({ path: path.join(dir, `${name}-${i + 1}.png`) });
  }
  await page.evaluate(() => window.scrollTo(0, 0));
}

interface TableFigures {
  questionId: string;
  answered: string;
  caption: string;
  headers: string[];
  rows: { label: string; cells: string[] }[];
  /** The footer: the base of the shares ("Gave a view", 100%), then the answers apart with theirs. */
  foot: { label: string; cells: string[] }[];
}

/** Every question's table as text: the header row, then each row's label and cells. */
async function tables(page: Page): Promise<TableFigures[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('section.question-result')).flatMap((section) => {
      const table = section.querySelector('table.data');
      if (!table) return [];
      const text = (el: Element) => (el.textContent ?? '').replace(/\s+/g, ' ').trim();
      const answered = /Answered: ([^·]+)/.exec(text(section.querySelector('p.hint') ?? section))?.[1]?.trim() ?? '';
      return [
        {
          questionId: section.id.replace(/^r-/, ''),
          answered,
          caption: text(table.querySelector('caption') ?? table),
          headers: Array.from(table.querySelectorAll('thead th')).map(text),
          rows: Array.from(table.querySelectorAll('tbody tr')).map((tr) => ({
            label: text(tr.querySelector('th') ?? tr),
            cells: Array.from(tr.children).map(text),
          })),
          foot: Array.from(table.querySelectorAll('tfoot tr')).map((tr) => ({
            label: text(tr.querySelector('th') ?? tr),
            cells: Array.from(tr.children).map(text),
          })),
        },
      ];
    }),
  );
}

describe(`the dashboard in a browser, on ~${DEMO_RESPONSES} demo responses (${TEST_DATABASE_KIND})`, () => {
  let server: TestServer;
  let browser: Browser;
  let shots: string;
  let analyst: TeamMember;
  let observer: TeamMember;
  let admin: TeamMember;
  /** The analyst's signed-in context and page. */
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];
  const findings: AxeFinding[] = [];
  const checked: string[] = [];

  setUpBrowserTests(async () => {
    browser = await launchBrowser();
    server = await startTestServer();
    const started = Date.now();
    // The server invited one government already; the demo adds its synthetic population beside it.
    const demo = await writeDemoData(server.database.db, { responses: DEMO_RESPONSES, seed: DEMO_SEED, force: true });
    console.log(`[dashboard] demo written in ${Date.now() - started} ms: ${JSON.stringify(demo)}`);
    analyst = await addTeamMember(server, 'analyst');
    observer = await addTeamMember(server, 'observer');
    admin = await addTeamMember(server, 'admin');
    shots = screenshotDir('dashboard');
    context = await newContext(browser, server, { locale: 'en-GB', viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    watchProblems(page, problems);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  }, TIMEOUT);

  async function axe(target: Page, label: string): Promise<void> {
    const started = Date.now();
    const found = await runAxe(target, label);
    findings.push(...found);
    checked.push(label);
    console.log(`[axe] ${label}: ${found.length} finding(s) in ${Date.now() - started} ms`);
  }

  let unfiltered = 0;

  it('an analyst signs in through the form and the dashboard draws its charts, without script errors', { timeout: TIMEOUT }, async () => {
    await page.goto('/admin/login');
    await axe(page, 'login');
    await screenshot(page, shots, 'login');
    await signIn(page, analyst);
    expect(new URL(page.url()).pathname).toMatch(/^\/admin/);

    const response = await page.goto(DASHBOARD);
    expect(response?.status()).toBe(200);
    await chartsDrawn(page);
    unfiltered = await restsOn(page);
    expect(unfiltered).toBeGreaterThan(20);

    const pixels = await canvasPixels(page);
    console.log(`[dashboard] ${pixels.length} charts; first ones: ${JSON.stringify(pixels.slice(0, 4))}`);
    expect(pixels.length).toBeGreaterThanOrEqual(8);
    for (const p of pixels) {
      const total = p.width * p.height;
      expect(total, `${p.id} has a size`).toBeGreaterThan(10_000);
      // Axes, labels and bars: a drawn chart inks well over one pixel in a hundred.
      expect(p.inked / total, `${p.id} (${p.type}) is not blank`).toBeGreaterThan(0.01);
    }
    // Bars in colour on most charts (a chart can rest on too few answers to show a bar).
    const withBars = pixels.filter((p) => p.coloured > 200);
    expect(withBars.length / pixels.length, `charts with coloured bars: ${withBars.length} of ${pixels.length}`).toBeGreaterThan(0.8);
    for (const type of ['bars', 'diverging'])
      expect(
        pixels.some((p) => p.type === type && p.coloured > 200),
        `a ${type} chart with bars`,
      ).toBe(true);

    expect(problems, problems.join('\n')).toEqual([]);
    await axe(page, 'dashboard (analyst)');
  });

  it('the figures reconcile: regions add up to the whole, option counts to "Answered", in-progress responses add', { timeout: TIMEOUT }, async () => {
    await page.goto(DASHBOARD);
    expect(await restsOn(page)).toBe(unfiltered);

    // Filters through the form, as a person would apply them.
    const filters = page.getByRole('form', { name: 'Filters' });
    await filters.getByRole('group', { name: 'Stakeholder kind' }).getByLabel('Government', { exact: true }).check();
    await filters.getByRole('group', { name: 'Region (UN M49)' }).getByLabel('Africa', { exact: true }).check();
    await Promise.all([page.waitForURL(/region=Africa/), filters.getByRole('button', { name: 'Apply filters' }).click()]);
    const url = new URL(page.url());
    expect(url.searchParams.getAll('kind')).toEqual(['government']);
    expect(url.searchParams.getAll('region')).toEqual(['Africa']);
    const africa = await restsOn(page);
    expect(africa).toBeGreaterThan(0);
    expect(africa).toBeLessThan(unfiltered);
    // The form shows the filters as applied, and the CSV links carry them.
    expect(await filters.getByLabel('Africa', { exact: true }).isChecked()).toBe(true);
    expect(await page.getByRole('link', { name: 'Download CSV' }).first().getAttribute('href')).toMatch(/\?kind=government&region=Africa$/);

    // Every government has a region: the five regions, one at a time, add up to the whole.
    const byRegion: Record<string, number> = {};
    for (const region of REGIONS) {
      await page.goto(`${DASHBOARD}&region=${region}`);
      byRegion[region] = await restsOn(page);
    }
    console.log(`[dashboard] N = ${unfiltered}; by region: ${JSON.stringify(byRegion)}`);
    expect(byRegion['Africa']).toBe(africa);
    expect(Object.values(byRegion).reduce((a, b) => a + b, 0)).toBe(unfiltered);

    // Single-choice tables: the respondents per option add up to the base of the shares ("Gave a
    // view"), the shares to 100%; the base and the answers apart ("don't know") add up to "Answered".
    await page.goto(DASHBOARD);
    const single = (await tables(page)).filter((t) => t.caption === 'Share of respondents per option');
    expect(single.length, 'single-choice questions on the dashboard').toBeGreaterThanOrEqual(1);
    for (const t of single) {
      const column = t.headers.indexOf('Respondents');
      expect(column, `${t.questionId} has a Respondents column`).toBeGreaterThan(0);
      const counts = t.rows.map((r) => r.cells[column]!);
      for (const c of counts) expect(c, `${t.questionId}: a count`).toMatch(/^\d+$/);
      const sum = counts.reduce((a, c) => a + Number(c), 0);
      const base = t.foot.find((r) => r.label === 'Gave a view' || r.label === 'Answered')!;
      expect(sum, `${t.questionId}: ${counts.join(' + ')} = ${base.label} ${base.cells[column]}`).toBe(Number(base.cells[column]));
      const shares = t.rows.reduce((a, r) => a + Number(r.cells[column + 1]!.replace('%', '')), 0);
      expect(Math.abs(shares - 100), `${t.questionId}: shares add to ${shares}%`).toBeLessThan(0.05 * t.rows.length + 1e-9);
      const apart = t.foot.filter((r) => /^\d+$/.test(r.cells[column] ?? '') && r !== base).reduce((a, r) => a + Number(r.cells[column]), 0);
      expect(sum + apart, `${t.questionId}: the base and the answers apart = Answered ${t.answered}`).toBe(Number(t.answered));
    }
    console.log(
      `[dashboard] ${single.length} single-choice tables reconcile with "Answered": ${single.map((t) => `${t.questionId} (${t.answered})`).join(', ')}`,
    );

    // Responses in progress come on top of the submitted ones.
    await page.goto(`${DASHBOARD}&status=all`);
    const all = await restsOn(page);
    expect(await page.locator('p.totals').innerText()).toContain('(submitted or in progress)');
    console.log(`[dashboard] submitted: ${unfiltered}; with those in progress: ${all}`);
    expect(all).toBeGreaterThanOrEqual(unfiltered);
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('the PNG button appears with JavaScript and the CSV link downloads a table with a BOM and a header row', { timeout: TIMEOUT }, async () => {
    await page.goto(DASHBOARD);
    await chartsDrawn(page);
    const png = page.getByRole('button', { name: 'Download PNG' }).first();
    await expect.poll(() => png.isVisible()).toBe(true);
    const pngDownload = await Promise.all([page.waitForEvent('download'), png.click()]).then(([d]) => d);
    expect(pngDownload.suggestedFilename()).toMatch(/^chart-[a-z0-9_]+\.png$/);
    const pngBytes = readFileSync((await pngDownload.path())!);
    expect(pngBytes.subarray(1, 4).toString('latin1')).toBe('PNG');

    // A single-choice question's CSV.
    const section = page.locator('section.question-result', { has: page.locator('caption', { hasText: /^Share of respondents per option$/ }) }).first();
    const questionId = (await section.getAttribute('id'))!.replace(/^r-/, '');
    const [download] = await Promise.all([page.waitForEvent('download'), section.getByRole('link', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toBe(`${GOVERNMENT_SURVEY}-${questionId}.csv`);
    const bytes = readFileSync((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split(/\r?\n/).filter(Boolean);
    expect(lines[0]).toBe('option,label,respondents,share,ci95_low,ci95_high,base,base_is');
    expect(lines.length).toBeGreaterThan(2);
    // The page is still the dashboard (a download is not a navigation).
    expect(new URL(page.url()).pathname).toBe('/admin/dashboard');
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('an observer is kept out of the live dashboard, free text and tracker, and reads the releases', { timeout: TIMEOUT }, async () => {
    const observing = await newContext(browser, server, { locale: 'en-GB' });
    const view = await observing.newPage();
    const observerProblems: string[] = [];
    watchProblems(view, observerProblems);
    await signIn(view, observer);
    const refused = [
      DASHBOARD,
      `${DASHBOARD}&role=troika`,
      `/admin/comparisons?survey=${GOVERNMENT_SURVEY}`,
      '/admin/free-text',
      `/admin/free-text?survey=${GOVERNMENT_SURVEY}`,
      '/admin/tracker',
      `/admin/tracker?survey=${GOVERNMENT_SURVEY}`,
    ];
    for (const path of refused) {
      const response = await view.goto(path);
      expect(response?.status(), path).toBe(403);
    }
    expect(await view.locator('main').innerText()).not.toMatch(/\d+ responses?/);
    const releases = await view.goto(`/admin/releases?survey=${GOVERNMENT_SURVEY}`);
    expect(releases?.status()).toBe(200);
    expect(await view.locator('nav.admin-nav').innerText()).not.toContain('Dashboard');
    await axe(view, 'releases (observer)');
    // The refusals above are expected; nothing else failed.
    expect(
      observerProblems.filter((p) => !/^403 \/admin\/(dashboard|comparisons|free-text|tracker)/.test(p)),
      observerProblems.join('\n'),
    ).toEqual([]);
    await observing.close();
  });

  it('the comparisons page states at least one test "after adjustment" and draws two groups side by side', { timeout: TIMEOUT }, async () => {
    const response = await page.goto('/admin/comparisons');
    expect(response?.status()).toBe(200);
    const summaries = await page.locator('section.question-result p.notice').allInnerTexts();
    const adjusted = summaries.filter((s) => s.includes('after adjustment'));
    console.log(`[comparisons] ${summaries.length} comparisons; e.g. ${adjusted.slice(0, 2).join(' | ')}`);
    expect(adjusted.length).toBeGreaterThanOrEqual(1);
    await chartsDrawn(page);
    const pixels = await canvasPixels(page);
    const twoGroups = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLCanvasElement>('canvas[data-series]'))
        .filter((c) => (JSON.parse(c.dataset.series ?? '{}') as { datasets?: unknown[] }).datasets?.length === 2)
        .map((c) => c.id),
    );
    expect(twoGroups.length).toBeGreaterThanOrEqual(1);
    for (const id of twoGroups) expect(pixels.find((p) => p.id === id)!.coloured, `${id} has bars`).toBeGreaterThan(200);
    expect(problems, problems.join('\n')).toEqual([]);
    await axe(page, 'comparisons');
    // A p-value below 0.001 reads "p < 0.001", not "p = < 0.001".
    const captions = await page.locator('section.question-result caption').allInnerTexts();
    expect(captions.filter((c) => /= </.test(c))).toEqual([]);
    await firstScreens(page, shots, 'comparisons', 2);
    await page
      .locator('section.question-result')
      .first()
      .screenshot({ path: path.join(shots, 'comparisons-first.png') });

    await page.goto(`/admin/comparisons?survey=${GOVERNMENT_SURVEY}&by=region`);
    expect(await page.locator('section.question-result').count()).toBeGreaterThan(0);
    await axe(page, 'comparisons by region');
    // The country question is what the regions are made of (and identifies a government): not compared.
    expect(await page.locator('section.question-result h2').allInnerTexts()).not.toContain('Which government are you answering for?');
    await page
      .locator('section.question-result')
      .first()
      .screenshot({ path: path.join(shots, 'comparisons-by-region-first.png') });
  });

  it('the free-text page, the tracker, the users page: tags drawn, axe finds nothing serious', { timeout: TIMEOUT }, async () => {
    await page.goto(`/admin/free-text?survey=${GOVERNMENT_SURVEY}`);
    const answers = page.locator('ol.text-answers > li');
    expect(await answers.count()).toBeGreaterThan(0);
    // Tag a few answers through the forms, so that the tag chart has something to draw.
    for (const [i, tag] of [
      [0, 'funding'],
      [1, 'funding'],
      [2, 'civil society'],
    ] as const) {
      const answer = page.locator('ol.text-answers > li').nth(i);
      await answer.getByRole('textbox').fill(tag);
      await Promise.all([page.waitForURL(/\/admin\/free-text\?/), answer.getByRole('button', { name: 'Add tag' }).click()]);
      await page.waitForLoadState('load');
    }
    expect(await page.locator('table.data tbody tr').count()).toBe(2);
    await chartsDrawn(page);
    const [tags] = await canvasPixels(page);
    expect(tags!.coloured).toBeGreaterThan(200);
    expect(problems, problems.join('\n')).toEqual([]);
    await axe(page, 'free text');
    await screenshot(page, shots, 'free-text');

    // Approving an answer for publication, on a question that does not identify the respondent.
    await page.goto(`/admin/free-text?survey=${GOVERNMENT_SURVEY}&question=g_common_space_changes`);
    const first = page.locator('ol.text-answers > li').first();
    await Promise.all([page.waitForURL(/\/admin\/free-text\?/), first.getByRole('button', { name: /^Approve for publication: answer 1$/ }).click()]);
    await page.waitForLoadState('load');
    expect(
      await page
        .locator('ol.text-answers > li')
        .first()
        .getByRole('button', { name: /^Withdraw approval: answer 1$/ })
        .count(),
    ).toBe(1);
    await axe(page, 'free text with an approval');

    await page.goto(`/admin/tracker?survey=${GOVERNMENT_SURVEY}`);
    await axe(page, 'tracker');

    const exportPage = await page.goto('/admin/export');
    expect(exportPage?.status()).toBe(200);
    await axe(page, 'export');

    const administering = await newContext(browser, server, { locale: 'en-GB' });
    const adminPage = await administering.newPage();
    await signIn(adminPage, admin);
    const users = await adminPage.goto('/admin/users');
    expect(users?.status()).toBe(200);
    await axe(adminPage, 'users');
    await administering.close();
  });

  it('screenshots: a scale question with its diverging chart', { timeout: TIMEOUT }, async () => {
    await page.goto(DASHBOARD);
    await chartsDrawn(page);
    const scale = page.locator('section.question-result', { has: page.locator('canvas[data-series*="\\"type\\":\\"diverging\\""]') });
    expect(await scale.count()).toBeGreaterThan(0);
    await scale.first().scrollIntoViewIfNeeded();
    await scale.first().screenshot({ path: path.join(shots, 'dashboard-scale.png') });
    // A matrix (several rows) if there is one: the longest diverging chart.
    const rows = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLCanvasElement>('canvas[data-series]'))
        .map((c) => ({
          id: c.id,
          rows: (JSON.parse(c.dataset.series ?? '{}') as { type?: string; labels?: unknown[] }).labels?.length ?? 0,
          type: (JSON.parse(c.dataset.series ?? '{}') as { type?: string }).type,
        }))
        .filter((c) => c.type === 'diverging')
        .sort((a, b) => b.rows - a.rows),
    );
    if (rows[0] && rows[0].rows > 1)
      await page.locator(`section.question-result:has(#${rows[0].id})`).screenshot({ path: path.join(shots, 'dashboard-matrix.png') });
    await page
      .locator('section.question-result')
      .first()
      .screenshot({ path: path.join(shots, 'dashboard-first.png') });
    await firstScreens(page, shots, 'dashboard-top', 1);
  });

  it('found no serious or critical accessibility violation on the team pages', () => {
    const serious = findings.filter(isSerious);
    const lesser = findings.filter((f) => !isSerious(f));
    console.log(`[axe] ${checked.length} pages checked: ${checked.join('; ')}`);
    if (lesser.length) console.log(`[axe] moderate or minor findings:\n${formatFindings(lesser)}`);
    expect(checked).toEqual(expect.arrayContaining(['login', 'dashboard (analyst)', 'releases (observer)', 'comparisons', 'free text', 'tracker', 'users']));
    expect(serious, `serious or critical accessibility violations:\n${formatFindings(serious)}`).toEqual([]);
  });
});
