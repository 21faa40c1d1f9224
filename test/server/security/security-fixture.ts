/**
 * One app with both sides for the security tests: the flow questionnaires published, respondents
 * invited (their tokens known to the test), and Assessment Team members whose sessions are made
 * directly in the database, a fresh one whenever asked (so that a test signing out loses nothing).
 *
 * @example
 *   const fixture = await createSecurityFixture({ tokenRateLimit: 1000 });
 *   const a = await fixture.invite({ name: 'Kenya' });
 *   const { browser, csrf } = await fixture.respondent(a.token);
 *   const admin = await fixture.team('admin');
 */
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { Hono } from 'hono';
import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import { createUserSession } from '../../../server/accounts/user-sessions.queries.ts';
import { insertUser } from '../../../server/accounts/users.queries.ts';
import type { AppDeps, AppEnv } from '../../../server/app-env.ts';
import { createApp } from '../../../server/app.ts';
import type { Database, UserRole } from '../../../server/db/schema.ts';
import { SESSION_COOKIE } from '../../../server/http/respondent-cookie.ts';
import { USER_COOKIE } from '../../../server/http/require-user.ts';
import { importInvitees } from '../../../server/respondents/import-invitees.ts';
import { findInvitationByTokenHash } from '../../../server/respondents/respondents.queries.ts';
import { hashToken } from '../../../server/respondents/tokens.ts';
import { syncDefinitions } from '../../../server/surveys/sync-definitions.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { FLOW_SURVEYS, PUBLIC_URL, WHILE_OPEN, type Invited } from '../support/app-fixture.ts';
import { Browser } from '../support/browser.ts';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export interface SignedIn {
  browser: Browser;
  csrf: string;
  /** The session cookie's value. */
  cookie: string;
}

export interface SecurityFixture {
  handle: TestDatabase;
  db: Kysely<Database>;
  app: Hono<AppEnv>;
  deps: AppDeps;
  setClock(iso: string): void;
  /** Moves the app's clock forward by `ms` milliseconds. */
  advance(ms: number): void;
  /** Invites one government (or organisation) to `flow-gov` unless told otherwise. */
  invite(options?: { surveyId?: string; name?: string; kind?: 'government' | 'civil_society'; country?: string }): Promise<Invited>;
  /** A browser that opened the link `token`: its session cookie and CSRF token. */
  respondent(token: string): Promise<SignedIn>;
  /** A new session of the team member of this role (one account per role, made on first use). */
  team(role: UserRole): Promise<SignedIn>;
  close(): Promise<void>;
}

export async function createSecurityFixture(
  options: Partial<Pick<AppDeps, 'publicUrl' | 'tokenRateLimit' | 'loginRateLimit' | 'trustProxy'>> = {},
): Promise<SecurityFixture> {
  const handle = await createTestDatabase();
  const report = await syncDefinitions(handle.db, FLOW_SURVEYS);
  expect(report.problems).toEqual([]);
  // Two phases of one questionnaire, so that the trends routes answer with content.
  expect((await syncDefinitions(handle.db, path.resolve('test/fixtures/surveys-trends'))).problems).toEqual([]);
  let clock = new Date(WHILE_OPEN);
  const deps: AppDeps = {
    db: handle.db,
    databaseKind: handle.kind,
    publicUrl: PUBLIC_URL,
    sessionDays: 365,
    trustProxy: false,
    surveysDir: FLOW_SURVEYS,
    now: () => clock,
    ...options,
  };
  const app = createApp(deps);
  const members = new Map<UserRole, number>();
  return {
    handle,
    db: handle.db,
    app,
    deps,
    setClock(iso) {
      clock = new Date(iso);
    },
    advance(ms) {
      clock = new Date(clock.getTime() + ms);
    },
    async invite({ surveyId = 'flow-gov', name = 'Kenya', kind = 'government', country = 'KEN' } = {}) {
      const csvText = `name,kind,country\n"${name}",${kind},${country}\n`;
      const result = await importInvitees(handle.db, { surveyId, csvText, publicUrl: deps.publicUrl, actor: 'test' });
      if (!result.ok) throw new Error(`invitation failed: ${JSON.stringify(result.errors)}`);
      const token = result.rows[0]!.link.slice(`${deps.publicUrl}/r/`.length);
      const invitation = await findInvitationByTokenHash(handle.db, hashToken(token));
      if (!invitation) throw new Error('the invitation just made is not found');
      return { token, respondentId: invitation.respondentId, invitationId: invitation.invitationId };
    },
    async respondent(token) {
      const browser = new Browser(app);
      const res = await browser.openLink(token);
      expect(res.status, 'opening the invitation link').toBe(303);
      const cookie = browser.cookie(SESSION_COOKIE);
      if (!cookie) throw new Error('opening the link set no session cookie');
      const { csrf_token } = await handle.db.selectFrom('session').select('csrf_token').where('id_hash', '=', sha256(cookie)).executeTakeFirstOrThrow();
      return { browser, csrf: csrf_token, cookie };
    },
    async team(role) {
      let userId = members.get(role);
      if (userId === undefined) {
        userId = await insertUser(handle.db, { email: `${role}@team.example.org`, role });
        members.set(role, userId);
      }
      const { cookieValue } = await createUserSession(handle.db, userId, clock);
      const { csrf_token } = await handle.db
        .selectFrom('user_session')
        .select('csrf_token')
        .where('id_hash', '=', sha256(cookieValue))
        .executeTakeFirstOrThrow();
      const browser = new Browser(app);
      browser.setCookie(USER_COOKIE, cookieValue);
      return { browser, csrf: csrf_token, cookie: cookieValue };
    },
    close: () => handle.close(),
  };
}
