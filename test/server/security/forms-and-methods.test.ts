/**
 * How every route of the app's route table treats methods and forms: state-changing requests
 * without their CSRF defence are refused with 403 and change nothing; the JSON API takes only
 * JSON; no GET changes the database beyond the documented exceptions; and every response carries
 * the security headers. Each list below is checked against the route table, so a new route
 * without an entry fails.
 */
import { createRelease } from '../../../server/releases/release-service.ts';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetPasswordLink } from '../../../server/accounts/account-service.ts';
import { hashPassword } from '../../../server/accounts/passwords.ts';
import { insertUser } from '../../../server/accounts/users.queries.ts';
import { createApp } from '../../../server/app.ts';
import { TEST_DATABASE_KIND } from '../../support/database.ts';
import { FLOW_SURVEYS, type Invited } from '../support/app-fixture.ts';
import { MEMBER_PASSWORD } from '../support/team-fixture.ts';
import { Browser, type Fields } from '../support/browser.ts';
import { visibleText } from '../support/html.ts';
import { changedTables, databaseSnapshot } from './db-snapshot.ts';
import { fillPath, isTeamRoute, routeTable, splitKey } from './route-table.ts';
import { createSecurityFixture, type SecurityFixture, type SignedIn } from './security-fixture.ts';

const ROUTES = routeTable();
const MUTATIONS = ROUTES.filter((key) => splitKey(key).method !== 'GET');
const GETS = ROUTES.filter((key) => splitKey(key).method === 'GET');

const COMPLETE = {
  q_role: 'mission',
  q_attended: 'no',
  q_ratings: { relevant: '3', efficient: 'dk' },
  q_staff: 7,
  q_priorities: ['remittances'],
  q_host: 'SEN',
  q_comment: 'A short comment',
};

/** What stands between a cross-site page and each state-changing route. */
type Guard =
  /** The team session's synchroniser token, posted as `_csrf`. */
  | { kind: 'team-token'; fields: () => Fields; multipart?: boolean }
  /** The respondent session's synchroniser token, posted as `_csrf`. */
  | { kind: 'respondent-token'; fields: () => Fields }
  /** No session exists yet: the Origin (or Sec-Fetch-Site) must be this site's. */
  | { kind: 'origin'; fields: () => Fields }
  /** Only `application/json` is accepted, which a cross-site form cannot send (part ii). */
  | { kind: 'json'; body: () => unknown }
  /** Nothing to protect: the route stores nothing (checked below all the same). */
  | { kind: 'stores-nothing'; reason: string; fields: () => Fields };

/** The token with its last character changed, never to itself (a token may end in 'A'). */
const offByOne = (token: string) => `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;

describe(`forms and methods (${TEST_DATABASE_KIND})`, () => {
  let fixture: SecurityFixture;
  let a: Invited;
  let b: Invited;
  let responseA: number;
  let subjectUserId: number;
  let respondentA: SignedIn;
  let respondentB: SignedIn;

  const revisionOf = async (respondentId: number) =>
    String((await fixture.db.selectFrom('response').select('revision').where('respondent_id', '=', respondentId).executeTakeFirst())?.revision ?? 0);
  const flowGov = () => readFileSync(path.join(FLOW_SURVEYS, 'flow-gov.yaml'), 'utf8');

  const GUARDS: Record<string, Guard> = {
    // Signing in needs no session: without an Origin check a page elsewhere could sign a visitor in to its own account.
    'POST /admin/login': { kind: 'origin', fields: () => ({ email: 'member@team.example.org', password: MEMBER_PASSWORD }) },
    'POST /admin/logout': { kind: 'team-token', fields: () => ({}) },
    // The one-time token in the path is a secret too; the Origin check stops login CSRF with a link the attacker holds.
    'POST /admin/setup/:token': { kind: 'origin', fields: () => ({ email: 'intruder@evil.example', password: 'a long enough password' }) },
    'POST /admin/users': { kind: 'team-token', fields: () => ({ email: 'new.member@team.example.org', role: 'analyst' }) },
    'POST /admin/users/:id': { kind: 'team-token', fields: () => ({ action: 'disable' }) },
    'POST /admin/free-text/tags': { kind: 'team-token', fields: () => ({ response: String(responseA), question: 'q_comment', tag: 'governance' }) },
    'POST /admin/free-text/approvals': {
      kind: 'team-token',
      fields: () => ({ response: String(responseA), question: 'q_comment', action: 'approve', sha256: 'x' }),
    },
    'POST /admin/export': { kind: 'team-token', fields: () => ({ survey: 'flow-gov', k: '5', recipient: 'A. Researcher', purpose: 'A study' }) },
    'POST /admin/export/working-data': { kind: 'team-token', fields: () => ({ survey: 'flow-gov', language: 'fr', values: 'labels' }) },
    'POST /admin/tracker/exclusions': {
      kind: 'team-token',
      fields: () => ({ response: String(responseA), action: 'exclude', reason: 'a test entry', survey: 'flow-gov' }),
    },
    'POST /admin/releases': { kind: 'team-token', fields: () => ({ survey: 'flow-gov', name: 'A release' }) },
    'POST /admin/releases/:id/bundle': { kind: 'team-token', fields: () => ({}) },
    'POST /admin/invitations/upload': {
      kind: 'team-token',
      multipart: true,
      fields: () => ({ survey: 'flow-gov' }),
    },
    'POST /admin/invitations/:id/revoke': { kind: 'team-token', fields: () => ({}) },
    'POST /admin/invitations/:id/reissue': { kind: 'team-token', fields: () => ({}) },
    'POST /admin/invitations/send': { kind: 'team-token', fields: () => ({ survey: 'flow-gov' }) },
    'POST /admin/outbox/remind': { kind: 'team-token', fields: () => ({ survey: 'flow-gov', round: '1', target: 'not_submitted' }) },
    'POST /lost-link': { kind: 'origin', fields: () => ({ survey: 'flow-gov', email: 'focal.point@example.org' }) },
    'POST /admin/questionnaires/check': { kind: 'team-token', multipart: true, fields: () => ({}) },
    'POST /admin/questionnaires/publish': {
      kind: 'team-token',
      fields: () => ({ text: flowGov().replace('version: "1"', 'version: "2"'), file_name: 'flow-gov.yaml', based_on: 'none', content_hash: 'x' }),
    },
    'PUT /api/r/:token/answers': { kind: 'json', body: () => ({ answers: { q_staff: 11 }, revision: 1 }) },
    'POST /api/r/:token/submit': { kind: 'json', body: () => ({}) },
    'POST /form/section/:n': { kind: 'respondent-token', fields: () => ({ _action: 'next', q_role: 'ministry' }) },
    'POST /form/section/:n/autosave': { kind: 'respondent-token', fields: () => ({ q_role: 'ministry' }) },
    'POST /form/submit': { kind: 'respondent-token', fields: () => ({}) },
    'POST /open/:surveyId': { kind: 'origin', fields: () => ({ name: 'Voices of Migrants', country: 'SEN', org_type: 'migrant_association', email: '' }) },
    'POST /preview/:surveyId/section/:n': {
      kind: 'stores-nothing',
      reason: 'a preview stores nothing',
      fields: () => ({ q_role: 'ministry', _action: 'next' }),
    },
  };

  let values: Record<string, string>;

  beforeAll(async () => {
    fixture = await createSecurityFixture({ tokenRateLimit: 10_000, loginRateLimit: 10_000 });
    a = await fixture.invite({ name: 'Kenya', country: 'KEN' });
    b = await fixture.invite({ name: 'Mauritius', country: 'MUS' });
    const put = await fixture.app.request(`/api/r/${a.token}/answers`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ answers: COMPLETE, revision: 0 }),
    });
    expect(put.status).toBe(200);
    expect(
      (await fixture.app.request(`/api/r/${a.token}/submit`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status,
    ).toBe(200);
    responseA = (await fixture.db.selectFrom('response').select('id').where('respondent_id', '=', a.respondentId).executeTakeFirstOrThrow()).id;
    respondentA = await fixture.respondent(a.token);
    respondentB = await fixture.respondent(b.token);
    subjectUserId = (
      await fixture.db.insertInto('app_user').values({ email: 'subject@team.example.org', role: 'observer' }).returning('id').executeTakeFirstOrThrow()
    ).id;
    await insertUser(fixture.db, { email: 'member@team.example.org', role: 'analyst', passwordHash: await hashPassword(MEMBER_PASSWORD) });
    values = {
      'users/:id': String(subjectUserId),
      'surveys/:id': 'flow-gov',
      'invitations/:id': String(b.invitationId),
      'releases/:id': String((await createRelease(fixture.db, { surveyId: 'flow-gov', name: 'A first release', actor: 'test' })).id),
      'open/:surveyId': 'flow-cs',
      surveyId: 'flow-gov',
      survey: 'flow-gov',
      'setup/:token': await resetPasswordLink(fixture.db, subjectUserId, 'test', fixture.deps.now()),
      token: a.token,
      n: '1',
      file: 'q_role.csv',
    };
  });
  afterAll(() => fixture?.close());

  /** Query strings the team's GET routes need to answer with content rather than a chooser or a 400. */
  const QUERIES: Record<string, string> = {
    'GET /api/surveys/:id/comparisons': '?by=kind',
    'GET /api/comparisons/shared': '?a=flow-gov&b=flow-cs',
    'GET /api/trends': '?from=trends-2011&to=trends-2012',
    'GET /admin/trends': '?from=trends-2011&to=trends-2012',
    'GET /admin/trends.csv': '?from=trends-2011&to=trends-2012',
  };
  const url = (key: string) => fillPath(splitKey(key).path, values);
  const getUrl = (key: string) => `${url(key)}${QUERIES[key] ?? (splitKey(key).path.startsWith('/admin') ? '?survey=flow-gov' : '')}`;

  /** Posts a route's fields from `browser`, with `csrf` as `_csrf` when given. */
  async function postGuarded(
    key: string,
    guard: Exclude<Guard, { kind: 'json' }>,
    browser: Browser,
    csrf: string | undefined,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const fields: Fields = { ...guard.fields(), ...(csrf !== undefined ? { _csrf: csrf } : {}) };
    if (guard.kind === 'respondent-token') fields['_revision'] = await revisionOf(a.respondentId);
    if (guard.kind === 'team-token' && guard.multipart) {
      const body = new FormData();
      for (const [name, value] of Object.entries(fields)) body.append(name, String(value));
      const file = key.includes('invitations')
        ? new File(['name,kind,country\nGhana,government,GHA\n'], 'invitees.csv', { type: 'text/csv' })
        : new File([flowGov()], 'flow-gov.yaml', { type: 'application/yaml' });
      body.append('file', file);
      return browser.request(url(key), { method: 'POST', body, headers });
    }
    return browser.postForm(url(key), fields, headers);
  }

  it('knows the defence of every state-changing route', () => {
    const missing = MUTATIONS.filter((key) => !GUARDS[key]);
    expect(missing, 'state-changing routes without an entry in GUARDS of forms-and-methods.test.ts').toEqual([]);
    expect(
      Object.keys(GUARDS).filter((key) => !ROUTES.includes(key)),
      'entries without a route',
    ).toEqual([]);
  });

  describe('(i) cross-site requests', () => {
    describe.each(MUTATIONS)('%s', (key) => {
      const guard = () => GUARDS[key]!;

      it('is refused with 403 without its CSRF defence, and nothing changes', async () => {
        const g = guard();
        if (!g) throw new Error(`no guard for ${key}`);
        if (g.kind === 'json') {
          // A cross-site page can only post forms: each kind a browser form can send.
          for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/plain']) {
            const before = await databaseSnapshot(fixture.db);
            const res = await fixture.app.request(url(key), { method: splitKey(key).method, headers: { 'Content-Type': type }, body: 'answers=x' });
            expect(res.status, type).toBe(415);
            expect(changedTables(before, await databaseSnapshot(fixture.db)), type).toEqual([]);
          }
          return;
        }
        if (g.kind === 'stores-nothing') {
          const before = await databaseSnapshot(fixture.db);
          const res = await postGuarded(key, g, new Browser(fixture.app), undefined, { Origin: 'https://evil.example' });
          expect(res.status).toBeLessThan(500);
          expect(changedTables(before, await databaseSnapshot(fixture.db)), g.reason).toEqual([]);
          return;
        }
        const attempts: { what: string; send: () => Promise<Response> }[] = [];
        if (g.kind === 'team-token') {
          const admin = await fixture.team('admin');
          const other = await fixture.team('admin');
          attempts.push(
            { what: 'no token', send: () => postGuarded(key, g, admin.browser, undefined) },
            { what: 'an empty token', send: () => postGuarded(key, g, admin.browser, '') },
            { what: "another session's token", send: () => postGuarded(key, g, admin.browser, other.csrf) },
          );
        } else if (g.kind === 'respondent-token') {
          attempts.push(
            { what: 'no token', send: () => postGuarded(key, g, respondentA.browser, undefined) },
            { what: "another respondent's token", send: () => postGuarded(key, g, respondentA.browser, respondentB.csrf) },
            { what: 'a token one character off', send: () => postGuarded(key, g, respondentA.browser, offByOne(respondentA.csrf)) },
          );
        } else {
          attempts.push(
            { what: 'another Origin', send: () => postGuarded(key, g, new Browser(fixture.app), undefined, { Origin: 'https://evil.example' }) },
            { what: 'a cross-site fetch', send: () => postGuarded(key, g, new Browser(fixture.app), undefined, { 'Sec-Fetch-Site': 'cross-site' }) },
          );
        }
        for (const attempt of attempts) {
          const before = await databaseSnapshot(fixture.db);
          const res = await attempt.send();
          expect(res.status, `${attempt.what}: ${visibleText(await res.text()).slice(0, 200)}`).toBe(403);
          expect(changedTables(before, await databaseSnapshot(fixture.db)), attempt.what).toEqual([]);
        }
      });

      it('is let through with its defence (so the refusal above was the defence, not the body)', async () => {
        const g = guard();
        if (!g) throw new Error(`no guard for ${key}`);
        let res: Response;
        if (g.kind === 'json') {
          res = await fixture.app.request(url(key), {
            method: splitKey(key).method,
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(g.body()),
          });
        } else if (g.kind === 'team-token') {
          const admin = await fixture.team('admin');
          res = await postGuarded(key, g, admin.browser, admin.csrf);
        } else if (g.kind === 'respondent-token') {
          res = await postGuarded(key, g, respondentA.browser, respondentA.csrf);
        } else {
          res = await postGuarded(key, g, new Browser(fixture.app), undefined, { Origin: 'http://localhost' });
        }
        expect([401, 403, 415], `${key}: ${res.status}`).not.toContain(res.status);
        expect(res.status).toBeLessThan(500);
      });
    });
  });

  describe('(ii) the JSON API', () => {
    const apiMutations = MUTATIONS.filter((key) => splitKey(key).path.startsWith('/api/'));

    it('has JSON mutations to check', () => {
      expect(apiMutations).toEqual(expect.arrayContaining(['PUT /api/r/:token/answers', 'POST /api/r/:token/submit']));
    });

    it.each(apiMutations)('%s takes only application/json: 415 in JSON otherwise, nothing stored', async (key) => {
      const { method } = splitKey(key);
      for (const [type, body] of [
        ['application/x-www-form-urlencoded', 'revision=1&answers%5Bq_staff%5D=12'],
        ['text/plain', JSON.stringify({ answers: { q_staff: 12 }, revision: 1 })],
        ['text/plain;charset=UTF-8', JSON.stringify({ answers: { q_staff: 12 }, revision: 1 })],
        ['application/jsonp', JSON.stringify({ answers: { q_staff: 12 }, revision: 1 })],
        ['', JSON.stringify({ answers: { q_staff: 12 }, revision: 1 })],
      ] as const) {
        const before = await databaseSnapshot(fixture.db);
        const res = await fixture.app.request(url(key), { method, headers: type ? { 'Content-Type': type } : {}, body });
        expect(res.status, `Content-Type: ${type || '(none)'}`).toBe(415);
        expect(await res.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });
        expect(changedTables(before, await databaseSnapshot(fixture.db)), type).toEqual([]);
      }
    });
  });

  describe('(iii) no GET changes state', () => {
    /**
     * The documented exceptions: the tables a GET may change, and why. Team sessions' last-seen
     * time is left out of every comparison (the idle timeout moves it at most once a minute).
     */
    const GET_CHANGES: Record<string, { tables: string[]; reason: string }> = {
      'GET /r/:token': {
        tables: ['invitation', 'session'],
        reason: 'opening a link swaps the token for a new respondent session and records when the link was opened',
      },
      'GET /admin/tracker/reminders.csv': { tables: ['audit_log'], reason: 'the reminders file holds names and e-mails: who took it is on record' },
      'GET /admin/dashboard/:survey/:file{[a-z0-9_]+\\.csv}': { tables: ['audit_log'], reason: 'every CSV download of a dashboard table is on record' },
      'GET /admin/comparisons.csv': { tables: ['audit_log'], reason: 'every CSV download of the comparisons is on record, as of a dashboard table' },
      'GET /admin/trends.csv': { tables: ['audit_log'], reason: 'every CSV download of the trends is on record, as of the comparisons' },
    };
    const IGNORED = { user_session: ['last_seen_at'] };

    it('lists exceptions only for GET routes the app has', () => {
      expect(Object.keys(GET_CHANGES).filter((key) => !GETS.includes(key))).toEqual([]);
    });

    beforeAll(async () => {
      // The account link of part (i) was used there, and the account may have been disabled by the
      // user routes: enabled again (a disabled account gets no link), a new link for the set-password page.
      await fixture.db.updateTable('app_user').set({ disabled_at: null }).where('id', '=', subjectUserId).execute();
      values['setup/:token'] = await resetPasswordLink(fixture.db, subjectUserId, 'test', fixture.deps.now());
    });

    it.each(GETS)('%s changes nothing but its documented exception', async (key) => {
      const { path: routePath } = splitKey(key);
      const isForm = routePath.startsWith('/form');
      const requester = isForm ? respondentA.browser : (await fixture.team('admin')).browser;
      // Two minutes on, so that the team session's idle clock is due to move.
      fixture.advance(120_000);
      const before = await databaseSnapshot(fixture.db, IGNORED);
      const res = await requester.get(getUrl(key), routePath.startsWith('/api/') ? { Accept: 'application/json' } : {});
      expect(res.status, `${key}: ${visibleText(await res.clone().text()).slice(0, 200)}`).toBeLessThan(400);
      await res.arrayBuffer();
      const changed = changedTables(before, await databaseSnapshot(fixture.db, IGNORED));
      expect(changed, GET_CHANGES[key]?.reason ?? 'a GET must not change the database').toEqual(GET_CHANGES[key]?.tables ?? []);
    });
  });

  describe('(iv) security headers', () => {
    function expectSecurityHeaders(res: Response, what: string, https: boolean): void {
      const csp = res.headers.get('content-security-policy') ?? '';
      const scriptSrc = /(?:^|;)\s*script-src ([^;]*)/.exec(csp)?.[1];
      expect(scriptSrc, `${what}: script-src`).toBeDefined();
      expect(scriptSrc, `${what}: script-src`).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
      expect(csp, `${what}: CSP`).toMatch(/(?:^|;)\s*frame-ancestors 'none'/);
      expect(csp, `${what}: CSP`).toMatch(/(?:^|;)\s*default-src 'self'/);
      expect(res.headers.get('x-content-type-options'), what).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), what).toBe('no-referrer');
      if (https) expect(res.headers.get('strict-transport-security'), what).toMatch(/max-age=\d{7,}/);
      else expect(res.headers.get('strict-transport-security'), what).toBeNull();
    }

    /** Every route as a visitor and as the one it is for, plus error answers; `[what, response]`. */
    async function everyAnswer(app: typeof fixture.app, signedIn: { team: SignedIn; respondent: SignedIn }): Promise<[string, Response, boolean][]> {
      const answers: [string, Response, boolean][] = [];
      for (const key of ROUTES) {
        const { method, path: routePath } = splitKey(key);
        const target = method === 'GET' ? getUrl(key) : url(key);
        const init: RequestInit =
          method === 'GET' ? {} : { method, body: new URLSearchParams({ x: '1' }), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } };
        answers.push([`${key} anonymous`, await new Browser(app).request(target, init), false]);
        if (isTeamRoute(key)) answers.push([`${key} as admin`, await signedIn.team.browser.request(target, init), method === 'GET']);
        if (routePath.startsWith('/form')) answers.push([`${key} as respondent`, await signedIn.respondent.browser.request(target, init), method === 'GET']);
      }
      answers.push(['GET /api/r/:token as respondent', await app.request(`/api/r/${a.token}`), true]);
      answers.push(['404 page', await app.request('/no/such/page'), false]);
      answers.push(['404 JSON', await app.request('/api/r/unknown/nothing-here'), false]);
      answers.push([
        '415 JSON',
        await app.request(`/api/r/${a.token}/answers`, { method: 'PUT', headers: { 'Content-Type': 'text/plain' }, body: '{}' }),
        false,
      ]);
      answers.push([
        '400 JSON',
        await app.request(`/api/r/${a.token}/answers`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: '{' }),
        false,
      ]);
      answers.push(['405-like', await app.request('/healthz', { method: 'DELETE' }), false]);
      return answers;
    }

    it.each([
      ['https', 'https://assess.example.org'],
      ['http', 'http://assess.example.org'],
    ] as const)('are on every answer of every route when the public URL is %s', async (scheme, publicUrl) => {
      const app = createApp({ ...fixture.deps, publicUrl });
      const team = await fixture.team('admin');
      const signedIn = {
        team: { ...team, browser: browserOn(app, 'fat_team', team.cookie) },
        respondent: { ...respondentA, browser: browserOn(app, 'fat_session', respondentA.cookie) },
      };
      const answers = await everyAnswer(app, signedIn);
      expect(answers.length).toBeGreaterThan(ROUTES.length);
      for (const [what, res] of answers) expectSecurityHeaders(res, what, scheme === 'https');
    });

    it('forbids caching of every authenticated page and of the API', async () => {
      const team = await fixture.team('admin');
      const answers = await everyAnswer(fixture.app, { team, respondent: respondentA });
      const authenticated = answers.filter(([, , signed]) => signed);
      // Every team page and every form page, as the one it is for, plus the API.
      expect(authenticated.length).toBe(GETS.filter((key) => isTeamRoute(key) || splitKey(key).path.startsWith('/form')).length + 1);
      for (const [what, res] of authenticated) expect(res.status, what).toBeLessThan(400);
      for (const [what, res] of authenticated) expect(res.headers.get('cache-control'), what).toBe('no-store');
    });
  });
});

function browserOn(app: ReturnType<typeof createApp>, cookie: string, value: string): Browser {
  const browser = new Browser(app);
  browser.setCookie(cookie, value);
  return browser;
}
