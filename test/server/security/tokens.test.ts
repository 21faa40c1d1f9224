/**
 * Invitation tokens and account links at their limits: a flood of guesses from one address, links
 * revoked and reissued through the admin pages, answers after the closing date, and expired
 * set-password links. What link-routes.test.ts and admin-auth.test.ts already show (the sixth
 * wrong token refused, valid openings not counted, a used first-admin link refused) is not
 * repeated.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../../../server/accounts/passwords.ts';
import { insertUser } from '../../../server/accounts/users.queries.ts';
import { TEST_DATABASE_KIND } from '../../support/database.ts';
import { AFTER_CLOSING, PUBLIC_URL } from '../support/app-fixture.ts';
import { Browser } from '../support/browser.ts';
import { visibleText } from '../support/html.ts';
import { MEMBER_PASSWORD } from '../support/team-fixture.ts';
import { changedTables, databaseSnapshot } from './db-snapshot.ts';
import { createSecurityFixture, type SecurityFixture } from './security-fixture.ts';

const json = (body: unknown) => ({ headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const COMPLETE = {
  q_role: 'mission',
  q_attended: 'no',
  q_ratings: { relevant: '3', efficient: 'dk' },
  q_staff: 7,
  q_priorities: ['remittances'],
  q_host: 'SEN',
};

describe(`a flood of wrong tokens from one address (${TEST_DATABASE_KIND})`, () => {
  let fixture: SecurityFixture;
  const FLOODER = { 'X-Forwarded-For': '203.0.113.7' };
  const ELSEWHERE = { 'X-Forwarded-For': '198.51.100.20' };
  beforeEach(async () => {
    fixture = await createSecurityFixture({ tokenRateLimit: 5, loginRateLimit: 3, trustProxy: true });
  });
  afterEach(() => fixture.close());

  async function flood(): Promise<void> {
    for (let i = 1; i <= 3; i++) expect((await fixture.app.request(`/r/guess-${i}`, { headers: FLOODER })).status).toBe(404);
    for (let i = 4; i <= 5; i++) expect((await fixture.app.request(`/api/r/guess-${i}`, { headers: FLOODER })).status).toBe(404);
  }

  it('is refused with a page on /r/ and JSON on /api/r/, on reading and writing alike, and stores nothing', async () => {
    await flood();
    const before = await databaseSnapshot(fixture.db);
    const page = await fixture.app.request('/r/guess-6', { headers: { ...FLOODER, 'Accept-Language': 'fr' } });
    expect(page.status).toBe(429);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(visibleText(await page.text())).toMatch(/Trop de/);
    for (const [method, path] of [
      ['GET', '/api/r/guess-7'],
      ['PUT', '/api/r/guess-8/answers'],
      ['POST', '/api/r/guess-9/submit'],
    ] as const) {
      const res = await fixture.app.request(path, {
        method,
        ...(method === 'GET' ? { headers: FLOODER } : { ...json({ answers: {}, revision: 0 }), headers: { ...FLOODER, 'Content-Type': 'application/json' } }),
      });
      expect(res.status, `${method} ${path}`).toBe(429);
      expect(await res.json()).toEqual({ error: { code: 'rate_limited', message: expect.stringMatching(/wait a minute/) } });
    }
    expect(changedTables(before, await databaseSnapshot(fixture.db))).toEqual([]);
  });

  it("leaves the Assessment Team's sign-in from the same address working", async () => {
    await insertUser(fixture.db, { email: 'chair@team.example.org', role: 'admin', passwordHash: await hashPassword(MEMBER_PASSWORD) });
    await flood();
    expect((await fixture.app.request('/r/guess-6', { headers: FLOODER })).status).toBe(429);
    const browser = new Browser(fixture.app, FLOODER);
    const login = await browser.postForm('/admin/login', { email: 'chair@team.example.org', password: MEMBER_PASSWORD });
    expect(login.status).toBe(303);
    expect((await browser.get('/admin')).status).toBe(200);
  });

  it('leaves a respondent already in the form working from the same address, and valid links from elsewhere', async () => {
    const invited = await fixture.invite({ name: 'Kenya' });
    const colleague = await fixture.invite({ name: 'Ghana', country: 'GHA' });
    const inForm = new Browser(fixture.app, FLOODER);
    expect((await inForm.openLink(invited.token)).status).toBe(303);
    await flood();

    // The form runs on the session cookie, which the throttle does not touch.
    expect((await inForm.get('/form')).status).toBe(200);
    expect((await inForm.saveSection(1, { q_role: 'ministry', q_attended: 'no' })).status).toBe(303);
    expect(await fixture.db.selectFrom('response').select('revision').where('respondent_id', '=', invited.respondentId).executeTakeFirst()).toEqual({
      revision: 1,
    });

    // Another address is not held back by this one's guesses.
    expect((await new Browser(fixture.app, ELSEWHERE).openLink(colleague.token)).status).toBe(303);
    expect((await fixture.app.request(`/api/r/${colleague.token}`, { headers: ELSEWHERE })).status).toBe(200);

    // From the flooding address even a valid link waits out the minute: answering it would tell
    // the guesser which of its guesses was right.
    expect((await new Browser(fixture.app, FLOODER).openLink(colleague.token)).status).toBe(429);
  });
});

describe(`revoked and reissued links through the admin pages (${TEST_DATABASE_KIND})`, () => {
  let fixture: SecurityFixture;
  beforeEach(async () => {
    fixture = await createSecurityFixture({ tokenRateLimit: 1000 });
  });
  afterEach(() => fixture.close());

  it('refuses the replaced link on /r/ and /api/r/, opens the same response with the new one, and refuses it once revoked', async () => {
    const invited = await fixture.invite({ name: 'Kenya' });
    expect((await fixture.app.request(`/api/r/${invited.token}/answers`, { method: 'PUT', ...json({ answers: { q_staff: 12 }, revision: 0 }) })).status).toBe(
      200,
    );

    const admin = await fixture.team('admin');
    const reissued = await admin.browser.postForm(`/admin/invitations/${invited.invitationId}/reissue`, { _csrf: admin.csrf });
    expect(reissued.status).toBe(200);
    const newToken = new RegExp(`${PUBLIC_URL}/r/([A-Za-z0-9_-]{43})`).exec(await reissued.text())?.[1];
    if (!newToken) throw new Error('the reissue page shows no new link');
    expect(newToken).not.toBe(invited.token);

    // The old link: refused everywhere, and nothing written through it.
    const before = await databaseSnapshot(fixture.db);
    expect((await new Browser(fixture.app).openLink(invited.token)).status).toBe(404);
    const oldApi = await fixture.app.request(`/api/r/${invited.token}`);
    expect(oldApi.status).toBe(404);
    expect(await oldApi.json()).toMatchObject({ error: { code: 'invalid_link' } });
    expect((await fixture.app.request(`/api/r/${invited.token}/answers`, { method: 'PUT', ...json({ answers: { q_staff: 99 }, revision: 1 }) })).status).toBe(
      404,
    );
    expect((await fixture.app.request(`/api/r/${invited.token}/submit`, { method: 'POST', ...json({}) })).status).toBe(404);
    expect(changedTables(before, await databaseSnapshot(fixture.db))).toEqual([]);

    // The new link: the same response, answers kept.
    const state = (await (await fixture.app.request(`/api/r/${newToken}`)).json()) as { answers: Record<string, unknown>; revision: number };
    expect(state).toMatchObject({ answers: { q_staff: 12 }, revision: 1 });
    const browser = new Browser(fixture.app);
    expect((await browser.openLink(newToken)).status).toBe(303);
    expect((await browser.get('/form')).status).toBe(200);

    // Revoked in turn: refused on both, and the session it opened has ended.
    const { id: newInvitationId } = await fixture.db
      .selectFrom('invitation')
      .select('id')
      .where('respondent_id', '=', invited.respondentId)
      .where('revoked_at', 'is', null)
      .executeTakeFirstOrThrow();
    const revoked = await admin.browser.postForm(`/admin/invitations/${newInvitationId}/revoke`, { _csrf: admin.csrf });
    expect(revoked.status).toBe(303);
    const afterRevoke = await databaseSnapshot(fixture.db);
    expect((await new Browser(fixture.app).openLink(newToken)).status).toBe(404);
    expect((await fixture.app.request(`/api/r/${newToken}`)).status).toBe(404);
    expect((await fixture.app.request(`/api/r/${newToken}/answers`, { method: 'PUT', ...json({ answers: { q_staff: 99 }, revision: 1 }) })).status).toBe(404);
    expect((await browser.get('/form')).status).toBe(401);
    expect(changedTables(afterRevoke, await databaseSnapshot(fixture.db))).toEqual([]);
    expect(
      await fixture.db.selectFrom('invitation').select('id').where('respondent_id', '=', invited.respondentId).where('revoked_at', 'is', null).execute(),
    ).toEqual([]);
  });
});

describe(`after the closing date (${TEST_DATABASE_KIND})`, () => {
  let fixture: SecurityFixture;
  beforeEach(async () => {
    fixture = await createSecurityFixture({ tokenRateLimit: 1000 });
  });
  afterEach(() => fixture.close());

  it('refuses a complete response its submission, by API and by form, with the closing date, storing nothing', async () => {
    const invited = await fixture.invite({ name: 'Kenya' });
    expect((await fixture.app.request(`/api/r/${invited.token}/answers`, { method: 'PUT', ...json({ answers: COMPLETE, revision: 0 }) })).status).toBe(200);
    const { browser, csrf } = await fixture.respondent(invited.token);

    fixture.setClock(AFTER_CLOSING);
    const before = await databaseSnapshot(fixture.db);
    const save = await fixture.app.request(`/api/r/${invited.token}/answers`, { method: 'PUT', ...json({ answers: { q_staff: 8 }, revision: 1 }) });
    expect(save.status).toBe(409);
    expect(await save.json()).toEqual({ error: { code: 'closed', message: expect.stringContaining('closed on 2026-06-30') } });
    const submit = await fixture.app.request(`/api/r/${invited.token}/submit`, { method: 'POST', ...json({ revision: 1 }) });
    expect(submit.status).toBe(409);
    expect(await submit.json()).toEqual({ error: { code: 'closed', message: expect.stringContaining('closed on 2026-06-30') } });

    const form = await browser.postForm('/form/submit', { _csrf: csrf, _revision: '1' });
    expect(form.status).toBe(409);
    expect(visibleText(await form.text())).toContain('closed on 2026-06-30');
    const autosave = await browser.postMultipart('/form/section/2/autosave', { _csrf: csrf, _revision: '1', q_staff: '9' });
    expect(autosave.status).toBe(409);
    expect(await autosave.json()).toMatchObject({ error: { code: 'closed' } });

    expect(changedTables(before, await databaseSnapshot(fixture.db))).toEqual([]);
    expect(await fixture.db.selectFrom('submission').select('id').execute()).toEqual([]);
  });

  it('refuses registrations once the questionnaire has closed', async () => {
    fixture.setClock(AFTER_CLOSING);
    const before = await databaseSnapshot(fixture.db);
    const res = await new Browser(fixture.app).postForm(
      '/open/flow-cs',
      { name: 'Late Voices', country: 'SEN', org_type: 'trade_union', email: '' },
      { Origin: 'http://localhost' },
    );
    expect(res.status).toBe(409);
    expect(visibleText(await res.text())).toMatch(/closed on \d{4}-\d{2}-\d{2}/);
    expect(changedTables(before, await databaseSnapshot(fixture.db))).toEqual([]);
  });
});

describe(`expired set-password links (${TEST_DATABASE_KIND})`, () => {
  let fixture: SecurityFixture;
  beforeEach(async () => {
    fixture = await createSecurityFixture();
  });
  afterEach(() => fixture.close());

  /** Adds an account through the users page and returns the one-time link's token. */
  async function addAccount(email: string): Promise<string> {
    const admin = await fixture.team('admin');
    const res = await admin.browser.postForm('/admin/users', { _csrf: admin.csrf, email, role: 'analyst' });
    expect(res.status).toBe(200);
    const token = /\/admin\/setup\/([A-Za-z0-9_-]+)/.exec(await res.text())?.[1];
    if (!token) throw new Error('the users page shows no set-password link');
    return token;
  }

  it('opens a link until it expires 72 hours later, and refuses it after, changing nothing', async () => {
    const token = await addAccount('late.analyst@team.example.org');
    fixture.advance(71 * 3_600_000);
    expect((await new Browser(fixture.app).get(`/admin/setup/${token}`)).status).toBe(200);

    fixture.advance(1 * 3_600_000 + 60_000);
    const before = await databaseSnapshot(fixture.db);
    const page = await new Browser(fixture.app).get(`/admin/setup/${token}`);
    expect(page.status).toBe(404);
    expect(visibleText(await page.text())).not.toContain('late.analyst@team.example.org');
    const post = await new Browser(fixture.app).postForm(`/admin/setup/${token}`, { password: 'a quiet river at dawn' });
    expect(post.status).toBe(404);
    expect(post.headers.getSetCookie().filter((line) => line.startsWith('fat_team='))).toEqual([]);
    expect(changedTables(before, await databaseSnapshot(fixture.db))).toEqual([]);
    const account = await fixture.db
      .selectFrom('app_user')
      .select('password_hash')
      .where('email', '=', 'late.analyst@team.example.org')
      .executeTakeFirstOrThrow();
    expect(account.password_hash).toBeNull();
  });

  it('lets a link set the password once; the account then signs in with it and the link is spent', async () => {
    const token = await addAccount('prompt.analyst@team.example.org');
    const browser = new Browser(fixture.app);
    expect((await browser.postForm(`/admin/setup/${token}`, { password: 'a quiet river at dawn' })).status).toBe(303);
    expect((await browser.get('/admin')).status).toBe(200);
    const again = await new Browser(fixture.app).postForm(`/admin/setup/${token}`, { password: 'an attacker changes it' });
    expect(again.status).toBe(404);
    const signIn = await new Browser(fixture.app).postForm('/admin/login', { email: 'prompt.analyst@team.example.org', password: 'a quiet river at dawn' });
    expect(signIn.status).toBe(303);
  });
});
