/**
 * Secrets stay where they belong. A realistic round of the assessment runs through the app (the
 * first administrator, invitations uploaded on the admin page, links opened, answers saved and
 * submitted, a link revoked and one reissued, an analyst added who sets a password and signs in,
 * every download and page of the team), while every console and standard stream write is
 * captured. Then no invitation token, token hash, session cookie, account link, password or
 * password hash may appear in any log line, audit row, page or exported file.
 *
 * By design some answers carry one secret each, and only their own: the links CSV that the
 * upload returns (it exists to carry the new links), the page right after a reissue (the new link,
 * shown once), the users page right after an account is added (its one-time link), and the
 * set-password page an account link opens (its form posts back to that same link).
 */
import { format } from 'node:util';
import type { Hono } from 'hono';
import { strFromU8, unzipSync } from 'fflate';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { firstAdminLink } from '../../../server/accounts/account-service.ts';
import type { AppEnv } from '../../../server/app-env.ts';
import { createApp } from '../../../server/app.ts';
import type { Database } from '../../../server/db/schema.ts';
import { USER_COOKIE } from '../../../server/http/require-user.ts';
import { hashToken } from '../../../server/respondents/tokens.ts';
import { SESSION_COOKIE } from '../../../server/http/respondent-cookie.ts';
import { TEST_DATABASE_KIND } from '../../support/database.ts';
import { PUBLIC_URL } from '../support/app-fixture.ts';
import { Browser } from '../support/browser.ts';
import { inputValue } from '../support/html.ts';
import { createSecurityFixture, type SecurityFixture } from './security-fixture.ts';

const ADMIN_PASSWORD = 'tide tables of the gulf 1947';
const ANALYST_PASSWORD = 'seven herons over the delta';
const LINK = new RegExp(`${PUBLIC_URL}/r/([A-Za-z0-9_-]{43})`, 'g');
const SETUP = /\/admin\/setup\/([A-Za-z0-9_-]{20,})/g;

interface Answer {
  label: string;
  body: Uint8Array;
  location: string | null;
}

describe(`secrets in logs, audit rows, pages and exports (${TEST_DATABASE_KIND})`, () => {
  let fixture: SecurityFixture;
  const logs: string[] = [];
  const answers: Answer[] = [];
  /** The one secret each by-design answer may carry, by its label. */
  const allowed = new Map<string, string[]>();
  const secrets = new Map<string, string>();
  const cookieJars: Browser[] = [];
  let exportFiles: Record<string, string> = {};

  const remember = (kind: string, value: string | null | undefined) => {
    if (value) secrets.set(value, kind);
  };
  const keepCookies = () => {
    for (const browser of cookieJars) {
      remember('team session cookie', browser.cookie(USER_COOKIE));
      remember('respondent session cookie', browser.cookie(SESSION_COOKIE));
    }
  };

  /** The app, recording every answer it gives (body and Location) under `METHOD path`. */
  function recording(app: Hono<AppEnv>): Hono<AppEnv> {
    return {
      request: async (input: string, init?: RequestInit) => {
        const res = await app.request(input, init);
        const path = input.replace(/\?.*$/, '');
        answers.push({
          label: `${init?.method ?? 'GET'} ${path}`,
          body: new Uint8Array(await res.clone().arrayBuffer()),
          location: res.headers.get('location'),
        });
        return res;
      },
    } as unknown as Hono<AppEnv>;
  }

  beforeAll(async () => {
    fixture = await createSecurityFixture({ tokenRateLimit: 1000 });
    const capture =
      (stream: string) =>
      (...args: unknown[]) => {
        logs.push(`${stream}: ${format(...args)}`);
      };
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) vi.spyOn(console, level).mockImplementation(capture(`console.${level}`));
    for (const name of ['stdout', 'stderr'] as const) {
      vi.spyOn(process[name], 'write').mockImplementation(((chunk: unknown) => {
        logs.push(`${name}: ${typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8')}`);
        return true;
      }) as typeof process.stdout.write);
    }
    try {
      await runTheAssessment();
    } finally {
      vi.restoreAllMocks();
    }
  }, 120_000);
  afterAll(() => fixture?.close());

  async function runTheAssessment(): Promise<void> {
    const app = recording(fixture.app);
    const browser = (headers: Record<string, string> = {}) => {
      const b = new Browser(app, headers);
      cookieJars.push(b);
      return b;
    };

    // The first administrator, through the one-time link the server prints on first start.
    const firstLink = (await firstAdminLink(fixture.db, fixture.deps.now()))!;
    remember('account link', firstLink);
    const admin = browser();
    expect((await admin.page(`/admin/setup/${firstLink}`)).status).toBe(200);
    expect((await admin.postForm(`/admin/setup/${firstLink}`, { email: 'chair@team.example.org', password: ADMIN_PASSWORD })).status).toBe(303);
    const adminCsrf = inputValue((await admin.page('/admin')).html, '_csrf')!;

    // Invitations uploaded on the admin page: the answer is the links CSV.
    const upload = new FormData();
    upload.append('_csrf', adminCsrf);
    upload.append('survey', 'flow-gov');
    upload.append(
      'file',
      new File(['name,kind,country,email\nKenya,government,KEN,focal@kenya.example\nGhana,government,GHA,\nSenegal,government,SEN,\n'], 'invitees.csv', {
        type: 'text/csv',
      }),
    );
    const linksCsv = await admin.request('/admin/invitations/upload', { method: 'POST', body: upload });
    expect(linksCsv.status).toBe(200);
    const tokens = [...(await linksCsv.text()).matchAll(LINK)].map((m) => m[1]!);
    expect(tokens).toHaveLength(3);
    for (const token of tokens) remember('invitation token', token);
    allowed.set('POST /admin/invitations/upload', tokens);
    const [kenya, ghana, senegal] = tokens as [string, string, string];

    // Respondents open their links, save and submit.
    const kenyaBrowser = browser();
    expect((await kenyaBrowser.openLink(kenya)).status).toBe(303);
    expect((await kenyaBrowser.saveSection(1, { q_role: 'ministry', q_attended: 'no' })).status).toBe(303);
    expect(
      (await kenyaBrowser.saveSection(2, { 'q_ratings[relevant]': '3', 'q_ratings[efficient]': '2', q_staff: '4', q_comment: 'More focus on results' })).status,
    ).toBe(303);
    expect((await kenyaBrowser.submit()).status).toBe(303);
    expect((await kenyaBrowser.page('/form/receipt')).status).toBe(200);
    const ghanaBrowser = browser();
    expect((await ghanaBrowser.openLink(ghana)).status).toBe(303);
    expect((await ghanaBrowser.saveSection(1, { q_role: 'mission', q_attended: 'no' }, 'later')).status).toBe(303);
    const api = await app.request(`/api/r/${senegal}/answers`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ answers: { q_staff: 2 }, revision: 0 }),
    });
    expect(api.status).toBe(200);
    expect((await app.request(`/api/r/${senegal}`)).status).toBe(200);
    keepCookies();

    // Ghana's link revoked, Senegal's reissued (the new link shown once).
    const invitationOf = async (token: string) =>
      (await fixture.db.selectFrom('invitation').select('id').where('token_hash', '=', hashToken(token)).executeTakeFirstOrThrow()).id;
    expect((await admin.postForm(`/admin/invitations/${await invitationOf(ghana)}/revoke`, { _csrf: adminCsrf })).status).toBe(303);
    const senegalInvitation = await invitationOf(senegal);
    const reissued = await admin.postForm(`/admin/invitations/${senegalInvitation}/reissue`, { _csrf: adminCsrf });
    expect(reissued.status).toBe(200);
    const newSenegal = [...(await reissued.text()).matchAll(LINK)].map((m) => m[1]!);
    expect(newSenegal).toHaveLength(1);
    remember('invitation token', newSenegal[0]);
    allowed.set(`POST /admin/invitations/${senegalInvitation}/reissue`, newSenegal);
    expect((await browser().openLink(newSenegal[0]!)).status).toBe(303);
    expect((await admin.page('/admin/invitations?survey=flow-gov')).status).toBe(200);

    // An analyst added on the users page, who sets a password through the link and signs in.
    const added = await admin.postForm('/admin/users', { _csrf: adminCsrf, email: 'analyst@team.example.org', role: 'analyst' });
    expect(added.status).toBe(200);
    const setupTokens = [...(await added.text()).matchAll(SETUP)].map((m) => m[1]!);
    expect(setupTokens).toHaveLength(1);
    remember('account link', setupTokens[0]);
    allowed.set('POST /admin/users', setupTokens);
    const setup = browser();
    expect((await setup.page(`/admin/setup/${setupTokens[0]}`)).status).toBe(200);
    expect((await setup.postForm(`/admin/setup/${setupTokens[0]}`, { password: ANALYST_PASSWORD })).status).toBe(303);
    const analyst = browser();
    expect((await analyst.postForm('/admin/login', { email: 'analyst@team.example.org', password: 'a wrong guess at it' })).status).toBe(401);
    expect((await analyst.postForm('/admin/login', { email: 'analyst@team.example.org', password: ANALYST_PASSWORD })).status).toBe(303);
    const analystCsrf = inputValue((await analyst.page('/admin')).html, '_csrf')!;

    // The team's pages and downloads.
    for (const path of [
      '/admin/tracker?survey=flow-gov',
      '/admin/dashboard?survey=flow-gov',
      '/admin/comparisons',
      '/admin/free-text?survey=flow-gov',
      '/admin/report?survey=flow-gov',
      '/admin/export',
    ]) {
      expect((await analyst.get(path)).status, path).toBe(200);
    }
    expect((await analyst.get('/admin/tracker/reminders.csv?survey=flow-gov')).status).toBe(200);
    expect((await analyst.get('/admin/dashboard/flow-gov/q_role.csv')).status).toBe(200);
    expect((await analyst.get('/api/surveys/flow-gov/analysis')).status).toBe(200);
    const zip = await analyst.postForm('/admin/export', { _csrf: analystCsrf, survey: 'flow-gov', k: '3', recipient: 'A. Researcher', purpose: 'A study' });
    expect(zip.status).toBe(200);
    expect(zip.headers.get('content-type')).toBe('application/zip');
    // Every file of the zip as text, a workbook's parts unzipped.
    const addZip = (prefix: string, zipped: Uint8Array) => {
      for (const [name, bytes] of Object.entries(unzipSync(zipped))) {
        if (!name.endsWith('.xlsx')) exportFiles[`${prefix}${name}`] = strFromU8(bytes);
        else for (const [part, data] of Object.entries(unzipSync(bytes))) exportFiles[`${prefix}${name}/${part}`] = strFromU8(data);
      }
    };
    exportFiles = {};
    addZip('', new Uint8Array(await zip.arrayBuffer()));
    // The team's working data too.
    const working = await analyst.postForm('/admin/export/working-data', { _csrf: analystCsrf, survey: 'flow-gov', language: 'en', values: 'labels' });
    expect(working.status).toBe(200);
    addZip('working/', new Uint8Array(await working.arrayBuffer()));
    for (const path of ['/admin/users', '/admin/audit', '/admin/questionnaires']) expect((await admin.get(path)).status, path).toBe(200);
    keepCookies();
    expect((await analyst.postForm('/admin/logout', { _csrf: analystCsrf })).status).toBe(303);

    // An unexpected error on the token routes is logged, with the token left out.
    const broken = new Browser(createApp({ ...fixture.deps, db: {} as Kysely<Database> }));
    expect((await broken.get(`/r/${kenya}`)).status).toBe(500);
    expect(
      (await broken.request(`/api/r/${kenya}/answers`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: '{"answers":{},"revision":1}' }))
        .status,
    ).toBe(500);

    // What the database holds that must stay there: hashes of tokens and passwords.
    for (const token of [...secrets.entries()].filter(([, kind]) => kind === 'invitation token').map(([token]) => token))
      remember('token hash', hashToken(token));
    for (const { token_hash } of await fixture.db.selectFrom('invitation').select('token_hash').execute()) remember('token hash', token_hash);
    for (const { password_hash } of await fixture.db.selectFrom('app_user').select('password_hash').execute()) remember('password hash', password_hash);
    remember('password', ADMIN_PASSWORD);
    remember('password', ANALYST_PASSWORD);
  }

  /** The secrets found in `text`, except those allowed, as `kind: start of the value`. */
  function leaks(text: string, except: readonly string[] = []): string[] {
    return [...secrets.entries()].filter(([value]) => !except.includes(value) && text.includes(value)).map(([value, kind]) => `${kind}: ${value.slice(0, 8)}…`);
  }

  it('gathered every kind of secret from a full round', () => {
    const kinds = new Set(secrets.values());
    expect([...kinds].sort()).toEqual([
      'account link',
      'invitation token',
      'password',
      'password hash',
      'respondent session cookie',
      'team session cookie',
      'token hash',
    ]);
    expect([...secrets.values()].filter((kind) => kind === 'invitation token')).toHaveLength(4);
    expect([...secrets.values()].filter((kind) => kind === 'password hash')).toHaveLength(2);
    expect(answers.length).toBeGreaterThan(40);
    expect(
      Object.keys(exportFiles)
        .filter((name) => !name.includes('.xlsx/'))
        .sort(),
    ).toEqual([
      'README.txt',
      'codebook-restricted.csv',
      'labels.R',
      'labels.do',
      'labels.sps',
      'manifest.json',
      'responses-restricted.csv',
      'tables-restricted.csv',
      'working/README.txt',
      'working/codebook-confidential.csv',
      'working/labels.R',
      'working/labels.do',
      'working/labels.sps',
      'working/responses-confidential.csv',
      'working/tables-confidential.csv',
    ]);
    expect(Object.keys(exportFiles).filter((name) => name.startsWith('working/results.xlsx/xl/worksheets/')).length).toBeGreaterThan(0);
  });

  it('writes no secret to a log line, and logs the failing token routes without their token', () => {
    const errors = logs.filter((line) => line.includes('[token]'));
    expect(errors.length, logs.join('\n').slice(0, 500)).toBeGreaterThanOrEqual(2);
    for (const line of logs) expect(leaks(line), line.slice(0, 300)).toEqual([]);
  });

  it('writes no secret to any column of the audit log', async () => {
    const { rows } = await sql<{ row: string }>`select t::text as row from audit_log t order by id`.execute(fixture.db);
    expect(rows.length).toBeGreaterThan(5);
    for (const { row } of rows) expect(leaks(row), row).toEqual([]);
  });

  it('shows no secret in any page or download, except the one each by-design answer carries', () => {
    for (const label of allowed.keys())
      expect(
        answers.map((a) => a.label),
        `the by-design answer ${label} was fetched`,
      ).toContain(label);
    for (const { label, body, location } of answers) {
      const text = Buffer.from(body).toString('utf8');
      const setupPage = /^GET \/admin\/setup\/(.+)$/.exec(label)?.[1];
      const own = allowed.get(label) ?? (setupPage ? [setupPage] : []);
      expect(leaks(text, own), label).toEqual([]);
      expect(leaks(location ?? ''), `${label} Location`).toEqual([]);
      for (const value of own) expect(text, `${label} carries its own secret`).toContain(value);
    }
  });

  it('puts no secret in any file of the export', () => {
    for (const [name, text] of Object.entries(exportFiles)) expect(leaks(text), name).toEqual([]);
    // Nor the respondents' e-mail, which the team holds but the published bundle must not.
    for (const [name, text] of Object.entries(exportFiles)) expect(text, name).not.toContain('focal@kenya.example');
  });
});
