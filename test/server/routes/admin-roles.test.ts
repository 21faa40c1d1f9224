/**
 * The permission matrix of the Assessment Team's pages and API, generated from the app's own route
 * table: every team route is requested anonymously and as each role, and compared with the
 * expectations below. A route without an expectation fails, so a new route cannot be forgotten.
 *
 * The rule (from the issue): admins manage invitations, questionnaires and users and see the audit
 * log; analysts see the dashboard, tracker, comparisons, free text and exports (live figures);
 * observers read releases only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserRole } from '../../../server/db/schema.ts';
import { TEST_DATABASE_KIND } from '../../support/database.ts';
import { Browser } from '../support/browser.ts';
import { visibleText } from '../support/html.ts';
import { createTeamFixture, type TeamFixture } from '../support/team-fixture.ts';
import { fillPath, routeTable } from '../security/route-table.ts';

const ALL: UserRole[] = ['admin', 'analyst', 'observer'];
const ANALYSTS: UserRole[] = ['admin', 'analyst'];
const ADMINS: UserRole[] = ['admin'];

/** Who may use each team route, keyed `METHOD path` as the app's route table spells it. */
const EXPECTED: Record<string, readonly UserRole[]> = {
  'GET /admin': ALL,
  // Users and the audit log.
  'GET /admin/users': ADMINS,
  'POST /admin/users': ADMINS,
  'POST /admin/users/:id': ADMINS,
  'GET /admin/audit': ADMINS,
  // Invitations and questionnaires.
  'GET /admin/invitations': ADMINS,
  'POST /admin/invitations/upload': ADMINS,
  'POST /admin/invitations/:id/revoke': ADMINS,
  'POST /admin/invitations/:id/reissue': ADMINS,
  // E-mail: sending invitations and reminders, the Outbox and the messages' previews.
  'POST /admin/invitations/send': ADMINS,
  'GET /admin/outbox': ADMINS,
  'POST /admin/outbox/remind': ADMINS,
  'GET /admin/outbox/preview': ADMINS,
  'GET /admin/questionnaires': ADMINS,
  'POST /admin/questionnaires/check': ADMINS,
  'POST /admin/questionnaires/publish': ADMINS,
  // The response tracker (names of respondents) and its exports.
  'GET /admin/tracker': ANALYSTS,
  'GET /admin/tracker/reminders.csv': ANALYSTS,
  'POST /admin/tracker/exclusions': ANALYSTS,
  // Live figures, exact: the dashboard, comparisons, the analysis API and the live (confidential) report.
  'GET /api/surveys/:id/analysis': ANALYSTS,
  'GET /api/surveys/:id/comparisons': ANALYSTS,
  'GET /api/comparisons/shared': ANALYSTS,
  'GET /admin/dashboard': ANALYSTS,
  'GET /admin/report': ANALYSTS,
  // One question's dashboard table as CSV: the figures the page shows.
  'GET /admin/dashboard/:survey/:file{[a-z0-9_]+\\.csv}': ANALYSTS,
  'GET /admin/comparisons': ANALYSTS,
  // The comparisons page as CSV: the same figures.
  'GET /admin/comparisons.csv': ANALYSTS,
  // Trends between phases: live paired figures, as exact as the comparisons.
  'GET /admin/trends': ANALYSTS,
  'GET /admin/trends.csv': ANALYSTS,
  'GET /api/trends': ANALYSTS,
  // Free text: the respondents' own words.
  'GET /admin/free-text': ANALYSTS,
  'POST /admin/free-text/tags': ANALYSTS,
  'POST /admin/free-text/approvals': ANALYSTS,
  // The anonymised bundle for the High Level Dialogue (audited).
  // Releases: every member reads them (observers see nothing else of the answers); analysts and admins make them.
  'GET /admin/releases': ALL,
  'GET /admin/releases/:id': ALL,
  'GET /admin/releases/:id/report': ALL,
  'POST /admin/releases': ANALYSTS,
  'POST /admin/releases/:id/bundle': ANALYSTS,
  'GET /api/surveys/:id/releases': ALL,
  'GET /api/releases/:id': ALL,
  'GET /admin/export': ANALYSTS,
  'POST /admin/export': ANALYSTS,
  'POST /admin/export/working-data': ANALYSTS,
};

/** Team routes open to everyone by design: signing in and out, and the one-time account links. */
const PUBLIC_TEAM_ROUTES = new Set(['GET /admin/login', 'POST /admin/login', 'POST /admin/logout', 'GET /admin/setup/:token', 'POST /admin/setup/:token']);

/**
 * The respondents' side, outside this matrix: guarded by invitation tokens and respondent
 * sessions, not by team roles (see link-routes, respondent-flow and api tests). Any other route
 * of the app counts as a team route and needs an expectation.
 */
function isRespondentRoute(path: string): boolean {
  return (
    path === '/' ||
    path === '/healthz' ||
    ['/r/', '/form', '/open/', '/preview/', '/api/r/', '/assets/', '/lost-link'].some((prefix) => path.startsWith(prefix))
  );
}

const TEAM_ROUTES = routeTable().filter((key) => {
  const path = key.slice(key.indexOf(' ') + 1);
  return !isRespondentRoute(path) && !PUBLIC_TEAM_ROUTES.has(key);
});

describe(`the permission matrix of team routes (${TEST_DATABASE_KIND})`, () => {
  let team: TeamFixture;
  const browsers = {} as Record<UserRole, Browser>;
  const csrf = {} as Record<UserRole, string>;
  let values: Record<string, string>;

  beforeAll(async () => {
    team = await createTeamFixture();
    for (const role of ALL) {
      browsers[role] = new Browser(team.app);
      await team.signIn(browsers[role], await team.addMember(role));
      csrf[role] = await team.csrfOf(browsers[role]);
    }
    // Requests name this account, so that an allowed request that got through changes no one who signs in.
    const subject = await team.addMember('observer', 'subject@team.example.org');
    values = {
      'users/:id': String(subject.id),
      'releases/:id': '1',
      'surveys/:id': 'flow-gov',
      id: '1',
      survey: 'flow-gov',
      surveyId: 'flow-gov',
      token: 'no-such-token',
      n: '1',
      file: 'results.csv',
    };
  });
  afterAll(() => team?.close());

  /** One request to a route, anonymous or as a role; mutations carry the role's CSRF token. */
  function send(key: string, role: UserRole | 'anonymous'): Promise<Response> {
    const [method, path] = key.split(' ') as [string, string];
    const url = fillPath(path, values);
    const browser = role === 'anonymous' ? new Browser(team.app) : browsers[role];
    const token = role === 'anonymous' ? '' : csrf[role];
    const api = path.startsWith('/api/');
    const verb = method === 'ALL' ? 'GET' : method;
    if (verb === 'GET') return browser.request(url, { headers: api ? { Accept: 'application/json' } : {} });
    if (api)
      return browser.request(url, {
        method: verb,
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': token },
        body: JSON.stringify({ _csrf: token }),
      });
    return browser.postForm(url, token ? { _csrf: token } : {});
  }

  it('finds the team routes in the route table', () => {
    expect(TEAM_ROUTES).toEqual(expect.arrayContaining(['GET /admin', 'GET /admin/users', 'POST /admin/users/:id', 'GET /admin/audit']));
  });

  it('has no expectation for a route the app no longer has (a renamed route must not keep its old entry)', () => {
    const all = new Set(routeTable());
    const stale = Object.keys(EXPECTED).filter((key) => !all.has(key));
    expect(stale, 'expectations without a route').toEqual([]);
  });

  describe.each(TEAM_ROUTES)('%s', (key) => {
    it('has a permission expectation', () => {
      if (!EXPECTED[key]) throw new Error(`new route ${key} has no permission expectation: add it to EXPECTED in test/server/routes/admin-roles.test.ts`);
    });

    it('turns anonymous visitors away', async () => {
      const res = await send(key, 'anonymous');
      const isPage = key.startsWith('GET ') && !key.startsWith('GET /api/');
      if (isPage) {
        expect(res.status).toBe(302);
        expect(res.headers.get('location')).toMatch(/^\/admin\/login\?next=/);
      } else {
        expect([401, 403]).toContain(res.status);
      }
    });

    // Admins last: whatever an allowed request changes cannot then stand in the way of the others.
    it.each(['observer', 'analyst', 'admin'] as const)('answers %s as expected', async (role) => {
      const expected = EXPECTED[key];
      if (!expected) throw new Error(`new route ${key} has no permission expectation`);
      const res = await send(key, role);
      if (expected.includes(role)) {
        // Allowed: the request may still be refused for its (empty) content, but not for the role.
        const answer = `${role} ${key} answered ${res.status}: ${visibleText(await res.text()).slice(0, 300)}`;
        expect([401, 403], answer).not.toContain(res.status);
        expect(res.status, answer).toBeLessThan(500);
        expect(res.headers.get('location') ?? '').not.toMatch(/^\/admin\/login/);
      } else {
        expect(res.status, `${role} must not reach ${key}`).toBe(403);
      }
    });
  });

  it.each(ALL)('shows %s navigation links only to pages the role may open', async (role) => {
    const html = await (await browsers[role].get('/admin')).text();
    const nav = /<nav class="admin-nav"[\s\S]*?<\/nav>/.exec(html)?.[0] ?? '';
    const links = [...nav.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!);
    expect(links).toContain('/admin');
    for (const link of links) {
      const expected = EXPECTED[`GET ${link}`];
      if (expected) expect(expected, `the navigation of ${role} links to ${link}`).toContain(role);
      const res = await browsers[role].get(link);
      expect([401, 403], `the navigation of ${role} links to ${link}, which answers ${res.status}`).not.toContain(res.status);
    }
  });
});
