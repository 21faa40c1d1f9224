/**
 * What the browser tests share: the real app served in-process on a free port (a fresh test
 * database, the real questionnaires, one invited government), Debian's Chromium driven by
 * playwright-core, screenshots in a temporary folder, and an axe-core check.
 *
 * Nothing here skips: without Chromium the tests fail and say how to install it.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import type { AxeResults, ImpactValue } from 'axe-core';
import { beforeAll, beforeEach } from 'vitest';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { hashPassword } from '../../../server/accounts/passwords.ts';
import { insertUser } from '../../../server/accounts/users.queries.ts';
import type { AppEnv } from '../../../server/app-env.ts';
import { createApp } from '../../../server/app.ts';
import type { UserRole } from '../../../server/db/schema.ts';
import { importInvitees } from '../../../server/respondents/import-invitees.ts';
import type { TokenKeyring } from '../../../server/respondents/sealed-tokens.ts';
import { syncDefinitions } from '../../../server/surveys/sync-definitions.ts';
import { loadDefinitions } from '../../../survey-definitions/load-definitions.ts';
import type { SurveyDefinition } from '../../../survey-definitions/types.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';

export const SURVEYS_DIR = path.resolve('survey-definitions');
export const GOVERNMENT_SURVEY = 'government-assessment';
export const CIVIL_SOCIETY_SURVEY = 'civil-society-survey';

/** Generous: Chromium starts in several seconds on two shared cores, and a full questionnaire is long. */
export const BROWSER_TEST_TIMEOUT = 120_000;

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * The `beforeAll` of a browser test file, whose failure fails every test of the file with its
 * message (a failing `beforeAll` alone would report the tests as skipped, e.g. without Chromium).
 */
export function setUpBrowserTests(setup: () => Promise<void>, timeout = BROWSER_TEST_TIMEOUT): void {
  let failure: unknown;
  beforeAll(async () => {
    try {
      await setup();
    } catch (error) {
      failure = error;
    }
  }, timeout);
  beforeEach(() => {
    if (failure) throw failure;
  });
}

/** Starts Chromium (each launch gets a fresh temporary profile). Fails, never skips, without it. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}. The browser tests need it: run \`apt-get install -y chromium\` ` +
        '(or set CHROMIUM_PATH). Never `npx playwright install`.',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** A fresh context (no cookies) with the app's address as base URL. */
export async function newContext(browser: Browser, server: TestServer, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1100, height: 900 }, ...options });
  context.setDefaultTimeout(15_000);
  return context;
}

/**
 * A clock inside the questionnaires' answering window (1 Nov 2026 to 31 Mar 2027) that still ticks,
 * so the tests do not depend on the day they run.
 */
export function windowClock(start = '2027-01-15T09:00:00Z'): () => Date {
  const offset = Date.parse(start) - Date.now();
  return () => new Date(Date.now() + offset);
}

export interface TestServer {
  /** `http://127.0.0.1:<port>`, also the app's `publicUrl`. */
  url: string;
  /** The invitation link of the government invited at start. */
  link: string;
  /** The token of that link (for the JSON API). */
  token: string;
  database: TestDatabase;
  now: () => Date;
  close(): Promise<void>;
}

/**
 * Serves `createApp` on 127.0.0.1 with a free port, like `server/main.ts` does: publishes the real
 * questionnaires (or those of `surveysDir`, which the app then also uses for uploads) and invites
 * one government (Senegal by default) to `surveyId`.
 */
export async function startTestServer(
  options: { invitee?: string; surveysDir?: string; surveyId?: string; clockStart?: string; tokenKeyring?: TokenKeyring } = {},
): Promise<TestServer> {
  const surveyId = options.surveyId ?? GOVERNMENT_SURVEY;
  const database = await createTestDatabase();
  try {
    const report = await syncDefinitions(database.db, options.surveysDir ?? SURVEYS_DIR);
    if (report.problems.length) throw new Error(`questionnaires not published: ${JSON.stringify(report.problems)}`);
    if (!report.published.some((p) => p.surveyId === surveyId)) throw new Error(`${surveyId} was not published`);

    // The port is known only once listening, and the app needs it as its public URL.
    let app: Hono<AppEnv> | undefined;
    const server = await new Promise<Server>((resolve, reject) => {
      const s = serve(
        {
          fetch: (request, env) => (app ? app.fetch(request, env) : new Response('starting', { status: 503 })),
          port: 0,
          hostname: '127.0.0.1',
        },
        () => resolve(s as Server),
      ) as Server;
      s.once('error', reject);
    });
    const { port } = server.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}`;
    const now = windowClock(options.clockStart);
    app = createApp({
      db: database.db,
      databaseKind: database.kind,
      publicUrl: url,
      sessionDays: 30,
      trustProxy: false,
      now,
      tokenRateLimit: 1000,
      ...(options.surveysDir ? { surveysDir: options.surveysDir } : {}),
      ...(options.tokenKeyring ? { tokenKeyring: options.tokenKeyring } : {}),
    });

    const imported = await importInvitees(database.db, {
      surveyId,
      csvText: `name,kind,country,email\n${options.invitee ?? 'République du Sénégal'},government,SN,point.focal@example.org\n`,
      publicUrl: url,
      actor: 'browser-test',
      ...(options.tokenKeyring ? { tokenKeyring: options.tokenKeyring } : {}),
    });
    if (!imported.ok) throw new Error(`invitee import failed: ${JSON.stringify(imported.errors)}`);
    const link = imported.rows[0]!.link;
    const token = link.slice(link.lastIndexOf('/') + 1);
    return {
      url,
      link,
      token,
      database,
      now,
      close: async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          // The browser's keep-alive connections would hold close() open.
          server.closeAllConnections();
        });
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}

/** The password of every Assessment Team member `addTeamMember` makes (hashed once: scrypt is slow on purpose). */
export const TEAM_PASSWORD = 'a browser walks into the forum';
let teamHash: Promise<string> | undefined;

export interface TeamMember {
  email: string;
  role: UserRole;
  password: string;
}

/** An active Assessment Team account with a password, e-mail `<role>@example.org` unless given. */
export async function addTeamMember(server: TestServer, role: UserRole, email = `${role}@example.org`): Promise<TeamMember> {
  teamHash ??= hashPassword(TEAM_PASSWORD);
  await insertUser(server.database.db, { email, role, passwordHash: await teamHash });
  return { email, role, password: TEAM_PASSWORD };
}

/** Signs in through the login form, as a person would, and waits for the page it leads to. */
export async function signIn(page: Page, member: TeamMember, options: { reload?: boolean } = {}): Promise<void> {
  // `reload: false` keeps a login page the test has already opened (and perhaps adjusted).
  if (options.reload !== false) await page.goto('/admin/login');
  await page.locator('#email').fill(member.email);
  await page.locator('#password').fill(member.password);
  await Promise.all([page.waitForURL((url) => url.pathname !== '/admin/login'), page.getByRole('button', { name: 'Sign in' }).click()]);
}

/** The real questionnaire, resolved as the server serves it. */
export async function loadDefinition(id: string): Promise<SurveyDefinition> {
  const { definitions, problems } = await loadDefinitions(SURVEYS_DIR);
  const found = definitions.find((d) => d.definition.id === id);
  if (!found) throw new Error(`${id} not loaded: ${JSON.stringify(problems)}`);
  return found.definition;
}

/** A folder for screenshots, outside the repository. */
export function screenshotDir(name: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `fat-browser-${name}-`));
  console.log(`[browser] screenshots of ${name}: ${dir}`);
  return dir;
}

/**
 * The whole page as `<name>.png`; a tall page also as readable slices `<name>-part-N.png`
 * (a full review page is several screens long and unreadable when scaled down to one image).
 */
export async function screenshot(page: Page, dir: string, name: string): Promise<string> {
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  const { width, height } = await page.evaluate(() => ({ width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight }));
  const slice = 1400;
  if (height > slice * 1.2) {
    for (let i = 0, y = 0; y < height; i++, y += slice) {
      await page.screenshot({
        path: path.join(dir, `${name}-part-${i + 1}.png`),
        fullPage: true,
        clip: { x: 0, y, width, height: Math.min(slice, height - y) },
      });
    }
  }
  return file;
}

const axeSource = readFileSync(path.join(path.dirname(createRequire(import.meta.url).resolve('axe-core')), 'axe.min.js'), 'utf8');

export interface AxeFinding {
  page: string;
  id: string;
  impact: ImpactValue | undefined;
  help: string;
  helpUrl: string;
  targets: string[];
}

/**
 * Runs axe-core (WCAG 2.x A and AA rules plus best practices) on the page as shown. The script is
 * evaluated through the DevTools protocol, so the page's CSP (no inline scripts) stays in force.
 */
export async function runAxe(page: Page, label: string): Promise<AxeFinding[]> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) await page.evaluate(axeSource);
  const results = await page.evaluate(() =>
    (window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResults> } }).axe.run(document, {
      resultTypes: ['violations'],
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    }),
  );
  return results.violations.map((v) => ({
    page: label,
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    targets: v.nodes.map((n) => n.target.map(String).join(' ')),
  }));
}

export function formatFindings(findings: AxeFinding[]): string {
  return findings
    .map(
      (f) =>
        `- [${f.page}] ${f.id} (${f.impact}): ${f.help}\n    ${f.helpUrl}\n    targets: ${f.targets.slice(0, 8).join(' | ')}${f.targets.length > 8 ? ` (+${f.targets.length - 8})` : ''}`,
    )
    .join('\n');
}

export const isSerious = (f: AxeFinding) => f.impact === 'serious' || f.impact === 'critical';
