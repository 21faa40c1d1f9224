/**
 * Cross-site scripting, in Chromium: classic payloads (test/browser/support/xss-corpus.ts) placed
 * in every text a respondent, an importer, an analyst or a questionnaire author controls, then
 * every page that shows that text is opened. On each page nothing runs (no `window.__xss` call,
 * no dialog, no CSP violation), every payload found is shown whole as text (or as a form value or
 * chart label), and no element or attribute a payload could create exists. The CSP alone would
 * block inline scripts; the DOM checks make sure escaping holds without it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Answers } from '../../survey-definitions/answers.ts';
import { importInvitees } from '../../server/respondents/import-invitees.ts';
import { addTeamMember, launchBrowser, newContext, setUpBrowserTests, signIn, startTestServer, type TeamMember, type TestServer } from './support/browser.ts';
import { emptyEvents, inspectPage, payload, PAYLOAD_KINDS, PAYLOADS, watchForXss, type PayloadKind, type XssEvents } from './support/xss-corpus.ts';

const TIMEOUT = 180_000;
const XSS_SURVEYS = path.resolve('test/fixtures/surveys-xss');
const GOV = 'xss-gov';
const CS = 'xss-cs';
/** Inside the fixture questionnaires' window (2026-01-01 to 2026-06-30). */
const CLOCK = '2026-03-02T09:00:00Z';
const GOVERNMENTS = ['KE', 'GH', 'FR', 'BR', 'IN', 'JP'];
const ORGANISATIONS = 5;

/** Every payload of the corpus for one place, one a line (a long text holds them all). */
const corpus = (place: string) => PAYLOAD_KINDS.map((kind) => payload(place, kind)).join('\n');
const ids = (place: string, kinds: readonly PayloadKind[] = PAYLOAD_KINDS) => kinds.map((kind) => `zx_${place}_${kind}`);
/** The n-th kind of the corpus, cycling. */
const kindAt = (n: number) => PAYLOAD_KINDS[n % PAYLOAD_KINDS.length]!;
/** An invitee's name holds at most 300 characters: four payloads. */
const UPLOADED_NAME_KINDS = ['s', 'v', 'f', 'u'] as const;
const csvCell = (value: string) => `"${value.replace(/"/g, '""')}"`;

/** Ids the definition carries in the texts each page shows. */
const DEFINITION = {
  form: ['zx_dtitle_s'],
  section1: [
    'zx_dsec1_t',
    'zx_dintro1_c',
    'zx_dqoffice_a',
    'zx_dhoffice_b',
    'zx_doministry_e',
    'zx_domission_j',
    'zx_doother_f',
    'zx_dqmeetings_h',
    'zx_dlist1_f',
    'zx_dlist2_b',
    'zx_doelsewhere_l',
    'zx_dquseful_q',
    'zx_dhuseful_u',
    'zx_dpoint1_s',
    'zx_dpoint2_a',
    'zx_dpoint3_e',
    'zx_ddk_u',
    'zx_dqstaff_i',
    'zx_dunit_j',
  ],
  section2: [
    'zx_dsec2_l',
    'zx_dintro2_h',
    'zx_dqratings_c',
    'zx_drow1_s',
    'zx_drow2_t',
    'zx_dqpriorities_v',
    'zx_dorank1_q',
    'zx_dorank2_a',
    'zx_dorank3_b',
    'zx_dqattended_e',
    'zx_dqname_f',
    'zx_dqcomment_u',
    'zx_dhcomment_t',
  ],
  /** Question texts and labels of the charts (the dashboard and the report). */
  charts: [
    'zx_dqoffice_a',
    'zx_doministry_e',
    'zx_doother_f',
    'zx_dqmeetings_h',
    'zx_dlist1_f',
    'zx_doelsewhere_l',
    'zx_dquseful_q',
    'zx_dpoint1_s',
    'zx_dpoint3_e',
    'zx_dqratings_c',
    'zx_drow1_s',
    'zx_drow2_t',
    'zx_dqpriorities_v',
    'zx_dorank1_q',
    'zx_dqattended_e',
  ],
};

/** The answers of the n-th invited government, with a payload in every text. */
function governmentAnswers(n: number): Answers {
  return {
    q_office: 'other',
    'q_office.other': payload(`g${n}oth`, kindAt(n)),
    q_meetings: ['m2009', 'elsewhere'],
    'q_meetings.other': payload(`g${n}else`, kindAt(n + 1)),
    q_useful: String((n % 3) + 1),
    q_staff: n * 3,
    q_ratings: { relevant: String((n % 3) + 1), efficient: n % 2 ? 'dk' : '3' },
    q_priorities: n % 2 ? ['labour', 'diaspora'] : ['remittances', 'labour'],
    q_attended: n % 2 ? 'yes' : 'no',
    q_name: payload(`g${n}name`, kindAt(n + 2)),
    q_comment: corpus(`g${n}cmt`),
  };
}

function organisationAnswers(n: number): Answers {
  return { cs_useful: String((n % 3) + 1), cs_kind: 'other', 'cs_kind.other': payload(`o${n}oth`, kindAt(n + 3)), cs_comment: corpus(`o${n}cmt`) };
}

/** Saves and submits answers through the JSON API of an invitation link. */
async function answerByApi(server: TestServer, token: string, answers: Answers): Promise<void> {
  const api = `${server.url}/api/r/${token}`;
  const state = (await (await fetch(api)).json()) as { revision: number };
  const saved = await fetch(`${api}/answers`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ answers, revision: state.revision }),
  });
  if (!saved.ok) throw new Error(`answers not saved: ${saved.status} ${await saved.text()}`);
  const submitted = await fetch(`${api}/submit`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  if (!submitted.ok) throw new Error(`not submitted: ${submitted.status} ${await submitted.text()}`);
}

async function invite(server: TestServer, surveyId: string, rows: string[][]): Promise<string[]> {
  const csvText = `name,kind,country,org_type\n${rows.map((r) => r.map(csvCell).join(',')).join('\n')}\n`;
  const result = await importInvitees(server.database.db, { surveyId, csvText, publicUrl: server.url, actor: 'xss-test' });
  if (!result.ok) throw new Error(`invitees not imported: ${JSON.stringify(result.errors)}`);
  return result.rows.map((r) => r.link.slice(r.link.lastIndexOf('/') + 1));
}

describe('an XSS corpus in every text a person or a file controls runs on no page', () => {
  let server: TestServer;
  let browser: Browser;
  let admin: TeamMember;
  let analyst: TeamMember;
  const contexts: BrowserContext[] = [];
  /** Page label -> payload ids seen on it. */
  const coverage = new Map<string, string[]>();
  const started = Date.now();

  setUpBrowserTests(async () => {
    server = await startTestServer({ surveysDir: XSS_SURVEYS, surveyId: GOV, clockStart: CLOCK });
    browser = await launchBrowser();
    admin = await addTeamMember(server, 'admin');
    // A team member's address is text too, shown in the header of every page and in the audit log.
    analyst = await addTeamMember(server, 'analyst', payload('analyst', 'm'));
    const govTokens = await invite(
      server,
      GOV,
      GOVERNMENTS.map((country, n) => [payload(`inv${n}`, kindAt(n)), 'government', country, payload(`invorg${n}`, kindAt(n + 5))]),
    );
    for (const [n, token] of govTokens.entries()) await answerByApi(server, token, governmentAnswers(n));
    const csTokens = await invite(
      server,
      CS,
      Array.from({ length: ORGANISATIONS }, (_, n) => [payload(`org${n}`, kindAt(n + 7)), 'civil_society', 'KE', 'ngo_human_rights']),
    );
    for (const [n, token] of csTokens.entries()) await answerByApi(server, token, organisationAnswers(n));
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
    const lines = [...coverage].map(([label, seen]) => `  ${label}: ${seen.length} payloads (${[...new Set(seen.map((id) => id.slice(-1)))].sort().join('')})`);
    console.log(`[xss] ${coverage.size} pages checked in ${((Date.now() - started) / 1000).toFixed(1)} s:\n${lines.join('\n')}`);
  });

  /** A fresh context that records every payload that runs. */
  async function watchedContext(events: XssEvents, member?: TeamMember): Promise<Page> {
    const context = await newContext(browser, server, { locale: 'en-GB' });
    contexts.push(context);
    await watchForXss(context, events);
    const page = await context.newPage();
    if (member) {
      // The login field is type="email"; a payload is no address the browser would send.
      await page.goto('/admin/login');
      await page.locator('#email').evaluate((input) => input.closest('form')!.setAttribute('novalidate', ''));
      await signIn(page, member, { reload: false });
    }
    return page;
  }

  /**
   * Checks the page as shown: nothing ran, the payloads `expected` are there, every payload found
   * is whole as text, no element or attribute came from one.
   */
  async function checkPage(page: Page, events: XssEvents, label: string, expected: string[], options: { skip?: string } = {}): Promise<void> {
    await page.waitForLoadState('load');
    // Handlers that would run a moment after load (image errors, autofocus) get their chance.
    await page.waitForTimeout(150);
    const found = await inspectPage(page, options);
    coverage.set(label, found.ids);
    expect(found.dangerous, `${label}: elements or attributes made from a payload`).toEqual([]);
    expect(
      found.ids.filter((id) => !found.intact.includes(id)),
      `${label}: payloads not shown whole as text`,
    ).toEqual([]);
    expect(
      expected.filter((id) => !found.ids.includes(id)),
      `${label}: payloads expected on the page`,
    ).toEqual([]);
    expect(events, `${label}: what ran`).toEqual(emptyEvents());
  }

  it('checks the checker: a payload written into a page unescaped is caught by each check', { timeout: TIMEOUT }, async () => {
    const events = emptyEvents();
    const page = await watchedContext(events);
    // A page without our CSP, the way a page that forgot to escape would look.
    await page.setContent(
      `<title>t</title><p>${payload('self', 's')}</p><p>${payload('self', 'i')}</p><input value="${payload('self', 'v')}"><p>${payload('self', 'l')}</p>`,
    );
    await page.waitForTimeout(300);
    const found = await inspectPage(page);
    expect(found.ids).toEqual(expect.arrayContaining(ids('self', ['s', 'i', 'v', 'l'])));
    expect(found.intact).not.toContain('zx_self_s');
    expect(found.dangerous.join('\n')).toMatch(/script without a source[\s\S]*onerror[\s\S]*<svg>[\s\S]*javascript:/);
    expect(events.hits.map((h) => h.split(' ')[0]).sort()).toEqual(['zx_self_i', 'zx_self_s', 'zx_self_v']);
  });

  it('a respondent types the corpus into every field of the form: section pages, errors, review, receipt', { timeout: TIMEOUT }, async () => {
    const events = emptyEvents();
    const page = await watchedContext(events);
    await page.goto(server.link);
    await checkPage(page, events, 'respondent: overview', DEFINITION.form);

    await page.goto('/form/section/1');
    await checkPage(page, events, 'respondent: section 1', DEFINITION.section1);
    await page.locator('input[name="q_office"][value="other"]').check();
    await page.locator('#q_office-other-text').fill(`${payload('rother', 'v')} ${payload('rother', 't')}`);
    await page.locator('input[name="q_meetings"][value="elsewhere"]').check();
    await page.locator('#q_meetings-other-text').fill(`${payload('relse', 'a')} ${payload('relse', 'b')}`);
    await page.locator('input[name="q_useful"][value="2"]').check();
    // Junk in a number field comes back in the field with an error.
    await page.locator('#q_staff').fill(payload('rnum', 's'));
    await page.getByRole('button', { name: 'Save and continue' }).click();
    await checkPage(page, events, 'respondent: section 1 with an error', [
      ...DEFINITION.section1,
      ...ids('rother', ['v', 't']),
      ...ids('relse', ['a', 'b']),
      'zx_rnum_s',
    ]);
    expect(new URL(page.url()).pathname).toBe('/form/section/1');

    await page.locator('#q_staff').fill(payload('rnum2', 'q'));
    await page.getByRole('button', { name: 'Save and continue' }).click();
    await checkPage(page, events, 'respondent: section 1 with another error', ['zx_rnum2_q']);
    await page.locator('#q_staff').fill('12');
    await Promise.all([page.waitForURL(/\/form\/section\/2$/), page.getByRole('button', { name: 'Save and continue' }).click()]);
    await checkPage(page, events, 'respondent: section 2', DEFINITION.section2);
    await page.locator('input[name="q_ratings[relevant]"][value="3"]').check();
    await page.locator('input[name="q_attended"][value="yes"]').check();
    await page.locator('#q_name').fill(payload('rname', 't'));
    await page.locator('#q_comment').fill(corpus('rcmt'));
    await Promise.all([page.waitForURL(/\/form\/review$/), page.getByRole('button', { name: 'Review your answers' }).click()]);
    const answered = [...ids('rother', ['v', 't']), ...ids('relse', ['a', 'b']), 'zx_rname_t', ...ids('rcmt')];
    await checkPage(page, events, 'respondent: review', [...answered, 'zx_dqoffice_a', 'zx_doother_f', 'zx_dqcomment_u']);

    await page.getByRole('button', { name: 'Submit the answers' }).click();
    await page.waitForURL(/\/form\/receipt$/);
    await checkPage(page, events, 'respondent: receipt', ['zx_dtitle_s']);
    // The section pages again, answered and submitted, with the answers in their fields.
    await page.goto('/form/section/2');
    await checkPage(page, events, 'respondent: section 2 answered', ['zx_rname_t', ...ids('rcmt')]);
  });

  it('an organisation registers with payloads in its name and e-mail, sees the errors, then answers', { timeout: TIMEOUT }, async () => {
    const events = emptyEvents();
    const page = await watchedContext(events);
    await page.goto(`/open/${CS}`);
    await checkPage(page, events, 'registration', ['zx_dcstitle_v']);
    await page.locator('#reg-name').fill(payload('regname', 'a'));
    await page.locator('#reg-email').fill(payload('regmail', 'i'));
    await page.getByRole('button', { name: 'Get my link' }).click();
    await checkPage(page, events, 'registration with errors', ['zx_regname_a', 'zx_regmail_i']);
    expect(await page.locator('.field-errors').count()).toBeGreaterThanOrEqual(2);

    await page.locator('#reg-name').fill(`${payload('regname2', 'v')} ${payload('regname2', 'e')}`);
    await page.locator('#reg-country').selectOption({ label: 'Kenya' });
    await page.locator('#reg-org_type').selectOption('ngo_human_rights');
    await page.locator('#reg-email').fill(payload('regmail2', 'm'));
    await page.getByRole('button', { name: 'Get my link' }).click();
    await checkPage(page, events, 'registration: your link', []);
    await page.getByRole('link', { name: 'Start' }).click();
    await checkPage(page, events, 'organisation: overview', ['zx_dcstitle_v']);
    await page.goto('/form/section/1');
    await checkPage(page, events, 'organisation: section', ['zx_dcssec_h', 'zx_dcsuseful_j', 'zx_dcskind_c', 'zx_dcsnetwork_i', 'zx_dcsother_s']);
    await page.locator('input[name="cs_kind"][value="other"]').check();
    await page.locator('#cs_kind-other-text').fill(payload('csother', 'f'));
    await page.locator('#cs_comment').fill(corpus('cscmt'));
    await Promise.all([page.waitForURL(/\/form\/review$/), page.getByRole('button', { name: 'Review your answers' }).click()]);
    await checkPage(page, events, 'organisation: review', ['zx_csother_f', ...ids('cscmt')]);
    await page.getByRole('button', { name: 'Submit the answers' }).click();
    await page.waitForURL(/\/form\/receipt$/);
    await checkPage(page, events, 'organisation: receipt', ['zx_dcstitle_v']);
  });

  it('an admin imports invitees whose fields carry payloads: upload errors, the invitations page, the tracker', { timeout: TIMEOUT }, async () => {
    const events = emptyEvents();
    const page = await watchedContext(events, admin);
    await page.goto(`/admin/invitations?survey=${GOV}`);
    await checkPage(page, events, 'invitations (government)', [...GOVERNMENTS.map((_, n) => `zx_inv${n}_${kindAt(n)}`), 'zx_dtitle_s']);

    // A file whose every field is wrong: each value comes back in the list of problems.
    const upload = async (name: string, text: string) => {
      await page.locator('#invitee-file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });
      await page.getByRole('button', { name: 'Import and download the links' }).click();
    };
    await page.goto(`/admin/invitations?survey=${CS}`);
    await upload(
      `${payload('file', 'i')}.csv`,
      `name,kind,country,roles,org_type,email\n${[payload('badname', 'v'), payload('badkind', 's'), payload('badcountry', 'a'), payload('badrole', 'l'), payload('badorg', 'e'), payload('bademail', 'm')].map(csvCell).join(',')}\n`,
    );
    await checkPage(page, events, 'invitations: rejected rows', ['zx_file_i', 'zx_badkind_s', 'zx_badcountry_a', 'zx_badrole_l', 'zx_bademail_m']);
    await upload('invitees.csv', `name,kind,${csvCell(payload('badcolumn', 'b'))}\nA,civil_society,x\n`);
    await checkPage(page, events, 'invitations: an unknown column', ['zx_badcolumn_b']);

    // A good file: names and organisation types are free text.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      upload(
        'invitees.csv',
        `name,kind,country,org_type,email\n${csvCell(UPLOADED_NAME_KINDS.map((k) => payload('upname', k)).join(' '))},civil_society,SN,${csvCell(payload('uporg', 'h'))},up@example.org\n`,
      ),
    ]);
    const links = readFileSync((await download.path())!, 'utf8');
    expect(links).toContain('zx_upname_s');
    await page.goto(`/admin/invitations?survey=${CS}`);
    await checkPage(page, events, 'invitations (civil society)', [
      ...ids('upname', UPLOADED_NAME_KINDS),
      ...Array.from({ length: ORGANISATIONS }, (_, n) => `zx_org${n}_${kindAt(n + 7)}`),
    ]);

    await page.goto(`/admin/tracker?survey=${GOV}`);
    await checkPage(
      page,
      events,
      'tracker',
      GOVERNMENTS.map((_, n) => `zx_inv${n}_${kindAt(n)}`),
    );
    // An exclusion reason is free text written by the team.
    // The third government's response is excluded (the others stay in the analysis).
    const reason = page.getByLabel(`Reason for excluding the response of ${payload('inv2', kindAt(2))}`, { exact: true });
    await reason.fill(payload('reason', 'v'));
    await page.locator('form', { has: reason }).getByRole('button', { name: 'Exclude' }).click();
    await page.waitForURL(/done=excluded/);
    await checkPage(page, events, 'tracker with an exclusion', ['zx_reason_v']);
    await page.goto(`/admin/tracker?survey=${CS}`);
    await checkPage(page, events, 'tracker (civil society)', [...ids('upname', UPLOADED_NAME_KINDS), `zx_org0_${kindAt(7)}`]);
  });

  it('an analyst whose e-mail is a payload: dashboard, comparisons, free text, report, export', { timeout: TIMEOUT }, async () => {
    const events = emptyEvents();
    const page = await watchedContext(events, analyst);
    const me = ['zx_analyst_m'];
    const drawn = () => page.waitForFunction(() => Array.from(document.querySelectorAll<HTMLCanvasElement>('canvas[data-series]')).every((c) => c.width > 0));

    await page.goto(`/admin/dashboard?survey=${GOV}`);
    await drawn();
    await checkPage(page, events, 'dashboard', [...me, 'zx_dtitle_s', ...DEFINITION.charts]);
    await page.goto(`/admin/dashboard?survey=${CS}`);
    await drawn();
    await checkPage(page, events, 'dashboard (civil society)', [...me, 'zx_dcsuseful_j', 'zx_dcsnetwork_i']);

    await page.goto('/admin/comparisons');
    await drawn();
    await checkPage(page, events, 'comparisons (shared questions)', [...me, 'zx_dquseful_q', 'zx_dpoint1_s']);
    await page.goto(`/admin/comparisons?survey=${GOV}&by=region`);
    await drawn();
    await checkPage(page, events, 'comparisons by region', [...me, 'zx_dqoffice_a', 'zx_doministry_e']);

    await page.goto(`/admin/free-text?survey=${GOV}&question=q_comment`);
    await checkPage(page, events, 'free text (long answers)', [...me, 'zx_dqcomment_u', ...ids('g0cmt'), ...ids('g5cmt')]);
    const first = page.locator('ol.text-answers > li').first();
    await first.getByRole('textbox', { name: /^New tag for answer/ }).fill('funding');
    await Promise.all([page.waitForURL(/\/admin\/free-text\?/), first.getByRole('button', { name: 'Add tag' }).click()]);
    await drawn();
    await checkPage(page, events, 'free text with a tag', me);
    // A tag made of a payload is refused; the page that says so shows nothing of it.
    const tagBox = page
      .locator('ol.text-answers > li')
      .first()
      .getByRole('textbox', { name: /^New tag for answer/ });
    await tagBox.evaluate((input) => input.removeAttribute('maxlength'));
    await tagBox.fill(payload('tag', 'i'));
    await page.locator('ol.text-answers > li').first().getByRole('button', { name: 'Add tag' }).click();
    await checkPage(page, events, 'free text: a refused tag', []);
    await page.goto(`/admin/free-text?survey=${GOV}&question=q_office.other`);
    await checkPage(page, events, 'free text ("other" texts)', me);
    const search = new URLSearchParams({ survey: GOV, question: 'q_name', q: payload('search', 'v'), tag: payload('tagq', 'a') });
    await page.goto(`/admin/free-text?${search}`);
    // The tag filter keeps 40 characters, too few for a whole payload: only the DOM checks apply to it.
    await checkPage(page, events, 'free text: a search and a tag filter', ['zx_search_v']);

    await page.goto(`/admin/report?survey=${GOV}`);
    await drawn();
    await checkPage(page, events, 'report', ['zx_dtitle_s', 'zx_dqoffice_a', 'zx_dquseful_q', 'zx_dqratings_c', 'zx_dqpriorities_v']);
    await page.goto('/admin/export');
    await checkPage(page, events, 'export', [...me, 'zx_dtitle_s', 'zx_dcstitle_v']);
  });

  it('an admin: users (a payload as an address, valid and not), the audit log, questionnaire checks and previews', { timeout: TIMEOUT }, async () => {
    const events = emptyEvents();
    const page = await watchedContext(events, admin);
    const addUser = async (email: string) => {
      await page.locator('#new-email').evaluate((input) => input.closest('form')!.setAttribute('novalidate', ''));
      await page.locator('#new-email').fill(email);
      await page.getByRole('button', { name: 'Create the account' }).click();
      await page.waitForLoadState('load');
    };
    await page.goto('/admin/users');
    await checkPage(page, events, 'users', ['zx_analyst_m']);
    await addUser(payload('newuser', 'm'));
    await checkPage(page, events, 'users: an account created', ['zx_newuser_m', 'zx_analyst_m']);
    await addUser(payload('baduser', 's'));
    await checkPage(page, events, 'users: an address refused', ['zx_baduser_s']);

    // The analyst signs in, so that the audit log names them.
    await watchedContext(emptyEvents(), analyst);
    await page.goto('/admin/audit');
    await checkPage(page, events, 'audit log', ['zx_analyst_m', 'zx_newuser_m']);

    await page.goto('/admin/questionnaires');
    await checkPage(page, events, 'questionnaires', ['zx_dtitle_s', 'zx_dcstitle_v']);
    const check = async (name: string, text: string) => {
      await page.goto('/admin/questionnaires');
      await page.locator('#questionnaire-file').setInputFiles({ name, mimeType: 'application/yaml', buffer: Buffer.from(text, 'utf8') });
      await page.getByRole('button', { name: 'Check the file' }).click();
      await page.waitForLoadState('load');
    };
    const source = readFileSync(path.join(XSS_SURVEYS, 'xss-gov.yaml'), 'utf8');
    const label = (place: string, kind: PayloadKind) => {
      const text = JSON.stringify(payload(place, kind));
      return `{ en: ${text}, fr: ${text}, es: ${text} }`;
    };
    // A new version: a new option and a changed title, shown as what the version changes.
    const version2 = source
      .replace('version: "1"', 'version: "2"')
      .replace(/title: \{ en: "<script>window.__xss\('zx_dtitle_s'\)<\/script>".*\n/, `title: ${label('v2title', 'i')}\n`)
      .replace(
        '          - code: other\n            specify: true',
        `          - code: embassy\n            label: ${label('v2option', 'e')}\n          - code: other\n            specify: true`,
      );
    expect(version2).toContain('zx_v2title_i');
    expect(version2).toContain('zx_v2option_e');
    await check(`${payload('yamlfile', 'v')}.yaml`, version2);
    // The checked file travels back, unchanged, in a hidden field of the publish form.
    const carrier = 'form[action="/admin/questionnaires/publish"] input[name="text"]';
    expect(await page.locator(carrier).inputValue()).toBe(version2);
    await checkPage(page, events, 'questionnaire check: preview of a new version', ['zx_v2title_i', 'zx_dqoffice_a', 'zx_dqcomment_u', 'zx_yamlfile_v'], {
      skip: carrier,
    });
    // A file with problems: values quoted in the messages come back as text.
    const broken = source
      .replace('version: "1"', 'version: "3"')
      .replace('      - id: q_name\n', `      - id: q_name\n        show_if: ${JSON.stringify(payload('showif', 'l'))}\n`);
    await check(`${payload('yamlbad', 'a')}.yaml`, broken);
    await checkPage(page, events, 'questionnaire check: problems', ['zx_yamlbad_a']);
    await check('broken.yaml', `id: ${JSON.stringify(payload('yamlid', 's'))}\nversion: 1\n`);
    await checkPage(page, events, 'questionnaire check: a wrong id', []);
  });

  it('values reflected from the address into error pages are escaped', { timeout: TIMEOUT }, async () => {
    const events = emptyEvents();
    const page = await watchedContext(events, analyst);
    for (const [label, url] of [
      ['dashboard of an unknown questionnaire', `/admin/dashboard?survey=${encodeURIComponent(payload('urlsurvey', 'v'))}`],
      ['report of an unknown questionnaire', `/admin/report?survey=${encodeURIComponent(payload('urlreport', 'i'))}`],
      [
        'dashboard with unknown filters',
        `/admin/dashboard?survey=${GOV}&kind=${encodeURIComponent(payload('urlkind', 'a'))}&region=${encodeURIComponent(payload('urlregion', 'b'))}`,
      ],
      ['registration for an unknown questionnaire', `/open/${encodeURIComponent(payload('urlopen', 's'))}`],
      ['preview of an unknown questionnaire', `/preview/${encodeURIComponent(payload('urlpreview', 'l'))}`],
    ] as const) {
      await page.goto(url);
      await checkPage(page, events, `reflected: ${label}`, []);
    }
  });

  it('the fixture questionnaires carry every kind of payload', () => {
    const text = ['common.yaml', 'xss-gov.yaml', 'xss-cs.yaml'].map((f) => readFileSync(path.join(XSS_SURVEYS, f), 'utf8')).join('\n');
    const kinds = new Set([...text.matchAll(/zx_d[a-z0-9]+_([a-z])/g)].map((m) => m[1]));
    expect([...kinds].sort()).toEqual(PAYLOAD_KINDS.filter((k) => k !== 'm').sort());
    expect(Object.keys(PAYLOADS).length).toBeGreaterThanOrEqual(12);
  });
});
