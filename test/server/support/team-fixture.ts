/**
 * The Assessment Team side of the app for integration tests: an app on a fresh test database with
 * a clock the test moves, login throttling and proxy trust the test chooses, members of each role
 * made in one call, and signing in as a browser does.
 *
 * @example
 *   const team = await createTeamFixture({ loginRateLimit: 3 });
 *   afterEach(() => team.close());
 *   const analyst = await team.addMember('analyst');
 *   const browser = new Browser(team.app);
 *   await team.signIn(browser, analyst);
 */
import type { Hono } from 'hono';
import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import { hashPassword } from '../../../server/accounts/passwords.ts';
import { insertUser } from '../../../server/accounts/users.queries.ts';
import type { AppDeps, AppEnv } from '../../../server/app-env.ts';
import { createApp } from '../../../server/app.ts';
import type { Database, UserRole } from '../../../server/db/schema.ts';
import { USER_COOKIE } from '../../../server/http/require-user.ts';
import { syncDefinitions } from '../../../server/surveys/sync-definitions.ts';
import { createTestDatabase, type TestDatabase } from '../../support/database.ts';
import { FLOW_SURVEYS, PUBLIC_URL, WHILE_OPEN } from './app-fixture.ts';
import type { Browser } from './browser.ts';
import { inputValue } from './html.ts';

/** The password of every member `addMember` makes (hashed once per run: scrypt is slow on purpose). */
export const MEMBER_PASSWORD = 'plain sailing to the forum';
let memberHash: Promise<string> | undefined;

export interface Member {
  id: number;
  email: string;
  role: UserRole;
  password: string;
}

export interface TeamFixture {
  handle: TestDatabase;
  db: Kysely<Database>;
  app: Hono<AppEnv>;
  /** The current time of the app's clock. */
  now(): Date;
  /** Sets the app's clock (deps.now). */
  setClock(at: string | Date): void;
  /** Moves the app's clock forward by `ms` milliseconds. */
  advance(ms: number): void;
  /** An active member with a password (MEMBER_PASSWORD); the e-mail is made up unless given. */
  addMember(role: UserRole, email?: string): Promise<Member>;
  /** Posts the login form from `browser` and expects to be let in; returns the new cookie value. */
  signIn(browser: Browser, member: Member, headers?: Record<string, string>): Promise<string>;
  /** The CSRF token of the signed-in browser, read from a page's sign-out form. */
  csrfOf(browser: Browser): Promise<string>;
  /** Actions in the audit log, oldest first. */
  auditActions(): Promise<string[]>;
  close(): Promise<void>;
}

export async function createTeamFixture(options: { loginRateLimit?: number; trustProxy?: boolean; now?: string } = {}): Promise<TeamFixture> {
  const handle = await createTestDatabase();
  const report = await syncDefinitions(handle.db, FLOW_SURVEYS);
  expect(report.problems).toEqual([]);
  let clock = new Date(options.now ?? WHILE_OPEN);
  const deps: AppDeps = {
    db: handle.db,
    databaseKind: handle.kind,
    publicUrl: PUBLIC_URL,
    sessionDays: 30,
    trustProxy: options.trustProxy ?? false,
    now: () => clock,
    ...(options.loginRateLimit !== undefined ? { loginRateLimit: options.loginRateLimit } : {}),
  };
  const app = createApp(deps);
  let made = 0;
  return {
    handle,
    db: handle.db,
    app,
    now: () => clock,
    setClock(at) {
      clock = new Date(at);
    },
    advance(ms) {
      clock = new Date(clock.getTime() + ms);
    },
    async addMember(role, email = `${role}${++made}@team.example.org`) {
      memberHash ??= hashPassword(MEMBER_PASSWORD);
      const id = await insertUser(handle.db, { email, role, passwordHash: await memberHash });
      return { id, email, role, password: MEMBER_PASSWORD };
    },
    async signIn(browser, member, headers = {}) {
      const res = await browser.postForm('/admin/login', { email: member.email, password: member.password }, headers);
      expect(res.status, `sign-in of ${member.email}`).toBe(303);
      const value = browser.cookie(USER_COOKIE);
      if (!value) throw new Error(`signing in ${member.email} set no ${USER_COOKIE} cookie`);
      return value;
    },
    async csrfOf(browser) {
      const res = await browser.get('/admin');
      const token = inputValue(await res.text(), '_csrf');
      if (!token) throw new Error(`GET /admin answered ${res.status} without a sign-out form: is the browser signed in?`);
      return token;
    },
    async auditActions() {
      const rows = await handle.db.selectFrom('audit_log').select('action').orderBy('id').execute();
      return rows.map((r) => r.action);
    },
    close: () => handle.close(),
  };
}

/** The last (effective) `fat_team` Set-Cookie line of a response, if it has one. */
export function teamCookieLine(res: Response): string | undefined {
  return res.headers.getSetCookie().findLast((line) => line.startsWith(`${USER_COOKIE}=`));
}
