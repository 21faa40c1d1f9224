/**
 * Signing in and out of the Assessment Team's pages: the session cookie, a new session at every
 * login, one answer for every failed login, throttling, idle and absolute timeouts, CSRF on
 * sign-out, disabled accounts and the `next` parameter.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { firstAdminLink } from '../../../server/accounts/account-service.ts';
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from '../../../server/accounts/user-sessions.queries.ts';
import { USER_COOKIE } from '../../../server/http/require-user.ts';
import { TEST_DATABASE_KIND } from '../../support/database.ts';
import { Browser } from '../support/browser.ts';
import { inputValue, visibleText } from '../support/html.ts';
import { createTeamFixture, teamCookieLine, type Member, type TeamFixture } from '../support/team-fixture.ts';

const MINUTE = 60_000;

/** The message of the form error on a page (`role="alert"`). */
function formError(html: string): string | undefined {
  const match = /<p class="notice error-summary" role="alert">([\s\S]*?)<\/p>/.exec(html);
  return match ? visibleText(match[1]!) : undefined;
}

describe(`signing in to the Assessment Team pages (${TEST_DATABASE_KIND})`, () => {
  let team: TeamFixture;
  let analyst: Member;
  beforeEach(async () => {
    team = await createTeamFixture();
    analyst = await team.addMember('analyst', 'ana@gfmd.example');
  });
  afterEach(() => team.close());

  /** A request that carries only this session cookie, as a stolen or remembered cookie would. */
  const withCookie = (value: string, path = '/admin') => team.app.request(path, { headers: { Cookie: `${USER_COOKIE}=${value}` } });
  const expectLoginRedirect = (res: Response) => {
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toMatch(/^\/admin\/login\?next=/);
  };

  it('sets an HttpOnly, SameSite=Strict session cookie and lets the member in', async () => {
    const browser = new Browser(team.app);
    const res = await browser.postForm('/admin/login', { email: 'ANA@gfmd.example ', password: analyst.password });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin');
    const line = teamCookieLine(res) ?? '';
    expect(line).toMatch(/;\s*HttpOnly(;|$)/i);
    expect(line).toMatch(/;\s*SameSite=Strict(;|$)/i);
    expect(line).toMatch(/;\s*Path=\/(;|$)/i);
    // The app's public URL is https: the cookie is sent over TLS only.
    expect(line).toMatch(/;\s*Secure(;|$)/i);
    expect(res.headers.get('cache-control')).toBe('no-store');

    const page = await browser.page('/admin');
    expect(page.status).toBe(200);
    expect(visibleText(page.html)).toContain('ana@gfmd.example (analyst)');
    expect(await team.auditActions()).toEqual(['login']);
  });

  it('gives a new session id at every login, and the session from before no longer works', async () => {
    const browser = new Browser(team.app);
    const first = await team.signIn(browser, analyst);
    // Signing in again from the same browser, which still sends the first cookie.
    const second = await team.signIn(browser, analyst);
    expect(second).not.toBe(first);
    expectLoginRedirect(await withCookie(first));
    expect((await withCookie(second)).status).toBe(200);

    // Another browser signing in gets its own session; both stay valid.
    const other = await team.signIn(new Browser(team.app), analyst);
    expect(new Set([first, second, other]).size).toBe(3);
    expect((await withCookie(second)).status).toBe(200);
    expect((await withCookie(other)).status).toBe(200);
  });

  it('replaces a session id planted before login (session fixation)', async () => {
    const planted = 'chosen-by-an-attacker-0123456789abcdefghijkl';
    const browser = new Browser(team.app, { Cookie: `${USER_COOKIE}=${planted}` });
    const res = await browser.postForm('/admin/login', { email: analyst.email, password: analyst.password });
    expect(res.status).toBe(303);
    const issued = /^fat_team=([^;]*)/.exec(teamCookieLine(res) ?? '')?.[1];
    expect(issued).toBeTruthy();
    expect(issued).not.toBe(planted);
    expectLoginRedirect(await withCookie(planted));
  });

  it('answers a wrong password like an unknown e-mail or a disabled account: 401, one message, audited', async () => {
    const disabled = await team.addMember('observer', 'gone@gfmd.example');
    await team.db.updateTable('app_user').set({ disabled_at: team.now() }).where('id', '=', disabled.id).execute();
    const attempts = [
      { email: analyst.email, password: 'not the right password' },
      { email: 'nobody@gfmd.example', password: analyst.password },
      { email: disabled.email, password: disabled.password },
    ];
    const messages: (string | undefined)[] = [];
    for (const attempt of attempts) {
      const browser = new Browser(team.app);
      const res = await browser.postForm('/admin/login', attempt);
      expect(res.status).toBe(401);
      expect(teamCookieLine(res)).toBeUndefined();
      const html = await res.text();
      messages.push(formError(html));
      expect(html).not.toContain(attempt.password);
    }
    expect(messages[0]).toBe('The e-mail or password is not right.');
    expect(new Set(messages).size).toBe(1);
    const failed = await team.db.selectFrom('audit_log').select(['actor', 'action']).where('action', '=', 'login.failed').orderBy('id').execute();
    expect(failed.map((f) => f.actor)).toEqual([analyst.email, 'nobody@gfmd.example', disabled.email]);
  });

  it('ends the session after SESSION_IDLE_MS without a request', async () => {
    const browser = new Browser(team.app);
    const cookie = await team.signIn(browser, analyst);
    team.advance(SESSION_IDLE_MS - MINUTE);
    expect((await browser.get('/admin')).status).toBe(200);
    // The request above counts as activity: the idle clock starts again from it.
    team.advance(SESSION_IDLE_MS - MINUTE);
    expect((await browser.get('/admin')).status).toBe(200);
    team.advance(SESSION_IDLE_MS + 1000);
    const res = await browser.get('/admin/users');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/admin/login?next=%2Fadmin%2Fusers');
    // The ended session's cookie is cleared, and the session stays ended even if the clock went back.
    expect(browser.cookie(USER_COOKIE)).toBeUndefined();
    team.advance(-SESSION_IDLE_MS);
    expectLoginRedirect(await withCookie(cookie));
  });

  it('ends the session SESSION_ABSOLUTE_MS after login even with activity every few minutes', async () => {
    const browser = new Browser(team.app);
    const cookie = await team.signIn(browser, analyst);
    const loginAt = team.now().getTime();
    const step = 5 * MINUTE;
    while (team.now().getTime() + step < loginAt + SESSION_ABSOLUTE_MS) {
      team.advance(step);
      const res = await withCookie(cookie);
      expect(res.status, `at ${(team.now().getTime() - loginAt) / MINUTE} minutes`).toBe(200);
    }
    team.setClock(new Date(loginAt + SESSION_ABSOLUTE_MS + 1000));
    expectLoginRedirect(await withCookie(cookie));
    expectLoginRedirect(await browser.get('/admin'));
  });

  it('signs out only with the CSRF token, and then the session is gone', async () => {
    const browser = new Browser(team.app);
    const cookie = await team.signIn(browser, analyst);
    const csrf = await team.csrfOf(browser);

    const forged = await browser.postForm('/admin/logout', {});
    expect(forged.status).toBe(403);
    const wrong = await browser.postForm('/admin/logout', { _csrf: `${csrf.slice(0, -2)}xx` });
    expect(wrong.status).toBe(403);
    expect((await withCookie(cookie)).status).toBe(200);

    const res = await browser.postForm('/admin/logout', { _csrf: csrf });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/login');
    expect(teamCookieLine(res)).toMatch(/^fat_team=;.*Max-Age=0/i);
    expect(browser.cookie(USER_COOKIE)).toBeUndefined();
    expectLoginRedirect(await withCookie(cookie));
    expect(await team.auditActions()).toEqual(['login', 'logout']);
  });

  it("ends a disabled member's session at once, and applies a new role at once", async () => {
    const admin = await team.addMember('admin', 'chair@gfmd.example');
    const adminBrowser = new Browser(team.app);
    await team.signIn(adminBrowser, admin);
    const adminCsrf = await team.csrfOf(adminBrowser);
    const second = await team.addMember('admin', 'deputy@gfmd.example');
    const deputy = new Browser(team.app);
    await team.signIn(deputy, second);
    const analystBrowser = new Browser(team.app);
    await team.signIn(analystBrowser, analyst);
    expect((await analystBrowser.get('/admin')).status).toBe(200);
    expect((await deputy.get('/admin/users')).status).toBe(200);

    const disabled = await adminBrowser.postForm(`/admin/users/${analyst.id}`, { _csrf: adminCsrf, action: 'disable' });
    expect(disabled.status).toBe(303);
    expect((await analystBrowser.get('/admin')).status).toBe(302);
    // Signing in again does not help while the account is disabled.
    expect((await analystBrowser.postForm('/admin/login', { email: analyst.email, password: analyst.password })).status).toBe(401);

    const demoted = await adminBrowser.postForm(`/admin/users/${second.id}`, { _csrf: adminCsrf, action: 'observer' });
    expect(demoted.status).toBe(303);
    expect((await deputy.get('/admin/users')).status).toBe(403);
    expect((await deputy.get('/admin')).status).toBe(200);
  });

  it("ends a member's other sessions when a new password is set through a password link", async () => {
    const admin = await team.addMember('admin', 'chair@gfmd.example');
    const adminBrowser = new Browser(team.app);
    await team.signIn(adminBrowser, admin);
    const stolen = await team.signIn(new Browser(team.app), analyst);

    const issued = await adminBrowser.postForm(`/admin/users/${analyst.id}`, { _csrf: await team.csrfOf(adminBrowser), action: 'password_link' });
    expect(issued.status).toBe(200);
    const token = /\/admin\/setup\/([A-Za-z0-9_-]{43})/.exec(await issued.text())?.[1];
    expect(token).toBeDefined();
    expect((await withCookie(stolen)).status).toBe(200);

    const owner = new Browser(team.app);
    const res = await owner.postForm(`/admin/setup/${token}`, { password: 'quiet hills beyond the sea' });
    expect(res.status).toBe(303);
    expectLoginRedirect(await withCookie(stolen));
    expect((await owner.get('/admin')).status).toBe(200);
    expect((await adminBrowser.get('/admin')).status).toBe(200);
  });

  it('answers 404, not a server error, to an account id that is not one', async () => {
    const admin = await team.addMember('admin', 'chair@gfmd.example');
    const browser = new Browser(team.app);
    await team.signIn(browser, admin);
    const csrf = await team.csrfOf(browser);
    for (const id of ['abc', '1.5', '-1', '0', '99999999999', '9999']) {
      for (const action of ['analyst', 'disable', 'password_link']) {
        expect((await browser.postForm(`/admin/users/${id}`, { _csrf: csrf, action })).status, `${id} ${action}`).toBe(404);
      }
    }
    expect((await browser.postForm(`/admin/users/${analyst.id}`, { _csrf: csrf, action: 'superuser' })).status).toBe(400);
  });

  describe('the next parameter', () => {
    it('returns to a page under /admin after login', async () => {
      const res = await new Browser(team.app).postForm('/admin/login', { email: analyst.email, password: analyst.password, next: '/admin/audit?before=10' });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/admin/audit?before=10');
    });

    it.each([
      '//evil.example',
      'https://evil.example',
      '//evil.example/admin',
      '/\\evil.example',
      'javascript:alert(1)',
      'http://assess.example.org.evil.example/admin',
      '/adminx',
      ' /admin',
    ])('ignores %s', async (next) => {
      const login = await new Browser(team.app).page(`/admin/login?next=${encodeURIComponent(next)}`);
      expect(inputValue(login.html, 'next')).toBe('/admin');

      const browser = new Browser(team.app);
      const res = await browser.postForm('/admin/login', { email: analyst.email, password: analyst.password, next });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/admin');
      // Already signed in, the login page sends the member on, and again not off-site.
      const again = await browser.get(`/admin/login?next=${encodeURIComponent(next)}`);
      expect(again.status).toBe(303);
      expect(again.headers.get('location')).toBe('/admin');
    });
  });

  it('creates the first admin through the one-time link, which then no longer works', async () => {
    const fresh = await createTeamFixture();
    try {
      const token = (await firstAdminLink(fresh.db, fresh.now()))!;
      const browser = new Browser(fresh.app);
      const form = await browser.page(`/admin/setup/${token}`);
      expect(form.status).toBe(200);
      expect(visibleText(form.html)).toContain('Create the first administrator');

      const weak = await browser.postForm(`/admin/setup/${token}`, { email: 'chair@gfmd.example', password: 'short' });
      expect(weak.status).toBe(422);
      const res = await browser.postForm(`/admin/setup/${token}`, { email: 'chair@gfmd.example', password: 'a quiet river at dawn' });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/admin');
      expect(visibleText((await browser.page('/admin/users')).html)).toContain('chair@gfmd.example');

      expect((await new Browser(fresh.app).get(`/admin/setup/${token}`)).status).toBe(404);
      const reuse = await new Browser(fresh.app).postForm(`/admin/setup/${token}`, { email: 'intruder@evil.example', password: 'a quiet river at dawn' });
      expect(reuse.status).toBe(404);
      expect(await fresh.db.selectFrom('app_user').select('email').execute()).toEqual([{ email: 'chair@gfmd.example' }]);
    } finally {
      await fresh.close();
    }
  });
});

describe(`login throttling (${TEST_DATABASE_KIND})`, () => {
  let team: TeamFixture;
  let analyst: Member;
  beforeEach(async () => {
    team = await createTeamFixture({ loginRateLimit: 3, trustProxy: true });
    analyst = await team.addMember('analyst', 'ana@gfmd.example');
  });
  afterEach(() => team.close());

  const attempt = (address: string, password: string) =>
    new Browser(team.app, { 'X-Forwarded-For': address }).postForm('/admin/login', { email: analyst.email, password });

  it('answers 429 to the 4th failed login from one address, while another address still signs in', async () => {
    for (let i = 1; i <= 3; i++) expect((await attempt('203.0.113.7', `wrong guess ${i}`)).status, `attempt ${i}`).toBe(401);
    const blocked = await attempt('203.0.113.7', 'wrong guess 4');
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toBeTruthy();
    // Blocked means blocked: even the right password waits for the minute to pass.
    expect((await attempt('203.0.113.7', analyst.password)).status).toBe(429);

    expect((await attempt('198.51.100.20', analyst.password)).status).toBe(303);
  });

  it('does not count successful logins', async () => {
    for (let i = 1; i <= 5; i++) expect((await attempt('203.0.113.7', analyst.password)).status, `login ${i}`).toBe(303);
    for (let i = 1; i <= 3; i++) expect((await attempt('203.0.113.7', `wrong guess ${i}`)).status).toBe(401);
    expect((await attempt('203.0.113.7', 'wrong guess 4')).status).toBe(429);
  });

  it('cannot be dodged by inventing X-Forwarded-For entries in front of the one the proxy added', async () => {
    // The proxy appends the address it saw; what the client sent before it is the client's to choose.
    for (let i = 1; i <= 3; i++) expect((await attempt(`10.9.9.${i}, 203.0.113.7`, `wrong guess ${i}`)).status).toBe(401);
    expect((await attempt('10.9.9.4, 203.0.113.7', 'wrong guess 4')).status).toBe(429);
  });
});
