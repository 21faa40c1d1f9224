/**
 * Who reaches what, for every route of the app's own route table: anonymous visitors, a
 * respondent holding the session of another invitation (A, while B's answers are in the
 * database), and Assessment Team members. A route without an expectation fails, so a new route
 * cannot be forgotten.
 *
 * Team routes (everything under /admin but signing in and the account links, and the team API)
 * must turn anonymous visitors and respondents away. Which team role may use which team route is
 * the matrix of test/server/routes/admin-roles.test.ts and is not repeated here; the team roles are
 * requested here on every other route, where a team session must give no respondent's data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserRole } from '../../../server/db/schema.ts';
import { hashToken } from '../../../server/respondents/tokens.ts';
import { USER_COOKIE } from '../../../server/http/require-user.ts';
import { TEST_DATABASE_KIND } from '../../support/database.ts';
import type { Invited } from '../support/app-fixture.ts';
import { Browser } from '../support/browser.ts';
import { visibleText } from '../support/html.ts';
import { fillPath, isTeamRoute, routeTable, splitKey } from './route-table.ts';
import { createSecurityFixture, type SecurityFixture, type SignedIn } from './security-fixture.ts';

const ROLES: UserRole[] = ['admin', 'analyst', 'observer'];
type Requester = 'anonymous' | 'respondent' | 'team';

/** B's own words: they must never reach anyone but B. */
const B_MARKER = 'Mauritius note 9923';
const A_MARKER = 'Kenya note 4471';

/**
 * The status every route outside the team's answers, by who asks. "respondent" is A's session
 * (and A's CSRF token on posts); tokens in paths are unknown ones, never B's.
 */
const EXPECTED: Record<string, Record<Requester, number>> = {
  // The browser's files.
  'GET /assets/styles.css': { anonymous: 200, respondent: 200, team: 200 },
  'GET /assets/form.js': { anonymous: 200, respondent: 200, team: 200 },
  'GET /assets/dashboard.js': { anonymous: 200, respondent: 200, team: 200 },
  'GET /assets/report.js': { anonymous: 200, respondent: 200, team: 200 },
  // Signing in (a signed-in member is sent on), out, and one-time account links (unknown here).
  'GET /admin/login': { anonymous: 200, respondent: 200, team: 303 },
  'POST /admin/login': { anonymous: 401, respondent: 401, team: 401 },
  'POST /admin/logout': { anonymous: 303, respondent: 303, team: 303 },
  'GET /admin/setup/:token': { anonymous: 404, respondent: 404, team: 404 },
  'POST /admin/setup/:token': { anonymous: 404, respondent: 404, team: 404 },
  // The JSON API answers the token in its path, nothing else: no session opens it.
  'GET /api/r/:token': { anonymous: 404, respondent: 404, team: 404 },
  'PUT /api/r/:token/answers': { anonymous: 404, respondent: 404, team: 404 },
  'POST /api/r/:token/submit': { anonymous: 404, respondent: 404, team: 404 },
  // The form needs a respondent session; A's session shows A's own response.
  'GET /form': { anonymous: 401, respondent: 200, team: 401 },
  'GET /form/section/:n': { anonymous: 401, respondent: 200, team: 401 },
  'POST /form/section/:n': { anonymous: 401, respondent: 303, team: 401 },
  'POST /form/section/:n/autosave': { anonymous: 401, respondent: 200, team: 401 },
  'GET /form/review': { anonymous: 401, respondent: 200, team: 401 },
  // A's answers are not complete: the submission is refused for that, not for who asks.
  'POST /form/submit': { anonymous: 401, respondent: 422, team: 401 },
  // Nothing submitted yet: the receipt sends to the review.
  'GET /form/receipt': { anonymous: 401, respondent: 303, team: 401 },
  'GET /form/saved': { anonymous: 401, respondent: 200, team: 401 },
  // Ways in: an unknown link, the open registration (posted without Origin: refused).
  'GET /r/:token': { anonymous: 404, respondent: 404, team: 404 },
  'GET /open/:surveyId': { anonymous: 200, respondent: 200, team: 200 },
  'POST /open/:surveyId': { anonymous: 403, respondent: 403, team: 403 },
  // Lost links: the form for everyone; posted without Origin, refused.
  'GET /lost-link': { anonymous: 200, respondent: 200, team: 200 },
  'POST /lost-link': { anonymous: 403, respondent: 403, team: 403 },
  // Public pages: the list, the health check, previews (nothing stored).
  'GET /': { anonymous: 200, respondent: 200, team: 200 },
  'GET /healthz': { anonymous: 200, respondent: 200, team: 200 },
  'GET /preview/:surveyId': { anonymous: 200, respondent: 200, team: 200 },
  'GET /preview/:surveyId/section/:n': { anonymous: 200, respondent: 200, team: 200 },
  'POST /preview/:surveyId/section/:n': { anonymous: 303, respondent: 303, team: 303 },
};

const ROUTES = routeTable();
const TEAM_ROUTES = ROUTES.filter(isTeamRoute);
const OTHER_ROUTES = ROUTES.filter((key) => !isTeamRoute(key));

const VALUES: Record<string, string> = {
  'open/:surveyId': 'flow-cs',
  surveyId: 'flow-gov',
  'users/:id': '1',
  'releases/:id': '1',
  'surveys/:id': 'flow-gov',
  id: '1',
  survey: 'flow-gov',
  token: 'no-such-token',
  // Section 1 has no free text: the generic posts must not wipe A's comment on section 2.
  n: '1',
  file: 'results.csv',
};

describe(`respondent and anonymous access to every route (${TEST_DATABASE_KIND})`, () => {
  let fixture: SecurityFixture;
  let a: Invited;
  let b: Invited;
  let respondentA: SignedIn;
  let bRows: unknown;

  /** B's response and answers as stored, to show that nothing done as A touched them. */
  const rowsOfB = async () => ({
    response: await fixture.db.selectFrom('response').selectAll().where('respondent_id', '=', b.respondentId).execute(),
    answers: await fixture.db
      .selectFrom('answer')
      .innerJoin('response', 'response.id', 'answer.response_id')
      .select(['answer.question_id', 'answer.item', 'answer.code', 'answer.number', 'answer.text'])
      .where('response.respondent_id', '=', b.respondentId)
      .orderBy('answer.question_id')
      .execute(),
  });

  const revisionOf = async (respondentId: number) =>
    (await fixture.db.selectFrom('response').select('revision').where('respondent_id', '=', respondentId).executeTakeFirst())?.revision ?? 0;

  beforeAll(async () => {
    // Every request here is a wrong token on purpose: the throttle is tested in tokens.test.ts.
    fixture = await createSecurityFixture({ tokenRateLimit: 10_000, loginRateLimit: 10_000 });
    a = await fixture.invite({ name: 'Kenya', country: 'KEN' });
    b = await fixture.invite({ name: 'Mauritius', country: 'MUS' });
    // B answers through the API, with words of their own.
    const saved = await fixture.app.request(`/api/r/${b.token}/answers`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ answers: { q_role: 'mission', q_comment: B_MARKER }, revision: 0 }),
    });
    expect(saved.status).toBe(200);
    respondentA = await fixture.respondent(a.token);
    const aSaved = await respondentA.browser.saveSection(2, { q_comment: A_MARKER });
    expect(aSaved.status).toBe(303);
    bRows = await rowsOfB();
  });
  afterAll(() => fixture?.close());

  /** One request to a route as a browser would send it; posts carry `csrf` (and the revision). */
  async function send(key: string, browser: Browser, csrf: string, revision = 0): Promise<Response> {
    const { method, path } = splitKey(key);
    const url = fillPath(path, VALUES);
    const api = path.startsWith('/api/');
    if (method === 'GET') return browser.request(url, { headers: api ? { Accept: 'application/json' } : {} });
    if (api) return browser.request(url, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ answers: {}, revision }) });
    return browser.postForm(url, csrf ? { _csrf: csrf, _revision: String(revision) } : {});
  }

  async function bodyText(res: Response): Promise<string> {
    return (res.headers.get('content-type') ?? '').match(/text|json|javascript/) ? res.text() : '';
  }

  it('finds the routes of both sides in the route table', () => {
    expect(TEAM_ROUTES).toEqual(
      expect.arrayContaining(['GET /admin', 'GET /admin/tracker', 'POST /admin/invitations/upload', 'GET /api/surveys/:id/analysis']),
    );
    expect(OTHER_ROUTES).toEqual(expect.arrayContaining(['GET /r/:token', 'GET /form', 'PUT /api/r/:token/answers', 'POST /admin/login']));
  });

  it('has no expectation for a route the app no longer has', () => {
    const stale = Object.keys(EXPECTED).filter((key) => !ROUTES.includes(key));
    expect(stale, 'expectations without a route').toEqual([]);
  });

  describe.each(TEAM_ROUTES)('team route %s', (key) => {
    const isPage = key.startsWith('GET ') && !key.startsWith('GET /api/');

    it.each(['anonymous', 'respondent'] as const)('turns %s away', async (who) => {
      const browser = who === 'anonymous' ? new Browser(fixture.app) : respondentA.browser;
      const res = await send(key, browser, who === 'anonymous' ? '' : respondentA.csrf);
      if (isPage) {
        expect(res.status).toBe(302);
        expect(res.headers.get('location')).toMatch(/^\/admin\/login\?next=/);
      } else {
        expect(res.status).toBe(401);
      }
      expect(await bodyText(res)).not.toContain(B_MARKER);
      expect(await rowsOfB()).toEqual(bRows);
    });
  });

  describe.each(OTHER_ROUTES)('route %s', (key) => {
    it('has an access expectation', () => {
      if (!EXPECTED[key]) throw new Error(`new route ${key} has no access expectation: add it to EXPECTED in test/server/security/respondent-access.test.ts`);
    });

    it('answers an anonymous visitor as expected', async () => {
      const res = await send(key, new Browser(fixture.app), '');
      expect(res.status, visibleText(await res.clone().text()).slice(0, 200)).toBe(EXPECTED[key]?.anonymous);
      expect(await bodyText(res)).not.toContain(B_MARKER);
    });

    it("answers respondent A as expected, and never with or to B's response", async () => {
      const res = await send(key, respondentA.browser, respondentA.csrf, await revisionOf(a.respondentId));
      const text = await bodyText(res);
      expect(res.status, visibleText(text).slice(0, 200)).toBe(EXPECTED[key]?.respondent);
      expect(text).not.toContain(B_MARKER);
      // Pages that name who is answering name A (the country lists name every country).
      for (const named of visibleText(text).matchAll(/Answering for: (\w+)/g)) expect(named[1]).toBe('Kenya');
      expect(await rowsOfB()).toEqual(bRows);
    });

    it.each(ROLES)('gives %s no respondent data', async (role) => {
      const member = await fixture.team(role);
      const res = await send(key, member.browser, member.csrf);
      const text = await bodyText(res);
      expect(res.status, visibleText(text).slice(0, 200)).toBe(EXPECTED[key]?.team);
      expect(text).not.toContain(B_MARKER);
      expect(text).not.toContain(A_MARKER);
      expect(await rowsOfB()).toEqual(bRows);
    });
  });

  it("shows A's own answers on every form page, and never B's", async () => {
    const pages = ['/form', '/form/section/1', '/form/section/2', '/form/section/3', '/form/review', '/form/saved'];
    const shown: string[] = [];
    for (const path of pages) {
      const { status, html } = await respondentA.browser.page(path);
      expect(status, path).toBe(200);
      expect(html, path).not.toContain(B_MARKER);
      expect(visibleText(html), path).not.toContain('Answering for: Mauritius');
      shown.push(html);
    }
    expect(visibleText(shown[0]!)).toContain('Answering for: Kenya');
    expect(shown.filter((html) => html.includes(A_MARKER)).length, "A's comment appears on its section and the review").toBeGreaterThanOrEqual(2);
  });

  it("does not open B's response through the API with A's session and anything A could learn", async () => {
    const invitation = await fixture.db.selectFrom('invitation').select('token_hash').where('id', '=', b.invitationId).executeTakeFirstOrThrow();
    const guesses = [
      respondentA.cookie,
      invitation.token_hash,
      hashToken(b.token),
      String(b.invitationId),
      String(b.respondentId),
      respondentA.csrf,
      b.token.slice(0, -1),
      `${b.token}x`,
      b.token.toUpperCase(),
    ];
    for (const guess of guesses) {
      for (const [method, path, body] of [
        ['GET', `/api/r/${encodeURIComponent(guess)}`, undefined],
        ['PUT', `/api/r/${encodeURIComponent(guess)}/answers`, JSON.stringify({ answers: { q_comment: 'overwritten by A' }, revision: 1 })],
        ['POST', `/api/r/${encodeURIComponent(guess)}/submit`, JSON.stringify({})],
      ] as const) {
        const res = await respondentA.browser.request(path, { method, headers: { 'Content-Type': 'application/json' }, ...(body ? { body } : {}) });
        const text = await res.text();
        expect(res.status, `${method} with ${guess === respondentA.cookie ? "A's session cookie" : guess}`).toBe(404);
        expect(text).not.toContain(B_MARKER);
        expect(text).not.toContain('Mauritius');
      }
    }
    expect(await rowsOfB()).toEqual(bRows);

    // The API answers the token in its path, whoever's session comes along: A's link shows A.
    const own = await respondentA.browser.request(`/api/r/${a.token}`);
    expect(own.status).toBe(200);
    const state = (await own.json()) as { respondent: { name: string }; answers: Record<string, unknown> };
    expect(state.respondent.name).toBe('Kenya');
    expect(state.answers['q_comment']).toBe(A_MARKER);
  });

  it("refuses A's form posts carrying B's CSRF token, and A's own saves leave B alone", async () => {
    const respondentB = await fixture.respondent(b.token);
    const revision = String(await revisionOf(a.respondentId));
    const withB = await respondentA.browser.postForm('/form/section/2', {
      _csrf: respondentB.csrf,
      _revision: revision,
      _action: 'next',
      q_comment: 'planted by B',
    });
    expect(withB.status).toBe(403);
    expect(await fixture.db.selectFrom('answer').select('text').where('text', '=', 'planted by B').execute()).toEqual([]);

    const own = await respondentA.browser.postForm('/form/section/2', {
      _csrf: respondentA.csrf,
      _revision: revision,
      _action: 'next',
      q_comment: `${A_MARKER}!`,
    });
    expect(own.status).toBe(303);
    expect(await rowsOfB()).toEqual(bRows);
    const { text } = await fixture.db
      .selectFrom('answer')
      .innerJoin('response', 'response.id', 'answer.response_id')
      .select('answer.text')
      .where('response.respondent_id', '=', a.respondentId)
      .where('answer.question_id', '=', 'q_comment')
      .executeTakeFirstOrThrow();
    expect(text).toBe(`${A_MARKER}!`);
  });

  it("does not take a respondent's session cookie for a team session, nor the reverse", async () => {
    const posing = new Browser(fixture.app);
    posing.setCookie(USER_COOKIE, respondentA.cookie);
    const page = await posing.get('/admin/tracker?survey=flow-gov');
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toMatch(/^\/admin\/login/);

    const admin = await fixture.team('admin');
    const reverse = new Browser(fixture.app);
    reverse.setCookie('fat_session', admin.cookie);
    expect((await reverse.get('/form')).status).toBe(401);
  });
});
