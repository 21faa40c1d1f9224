/**
 * A signed-in Assessment Team member for integration tests: an account of the given role, a
 * session made directly in the database, and requests that carry its `fat_team` cookie.
 *
 * @example
 *   const analyst = await TeamMember.signIn(fixture, 'analyst');
 *   const res = await analyst.get('/admin/tracker?survey=flow-gov');
 *   await analyst.post('/admin/tracker/exclusions', { response: '1', action: 'exclude', reason: 'spam' });
 */
import type { Hono } from 'hono';
import type { Kysely } from 'kysely';
import { createUserSession } from '../../../server/accounts/user-sessions.queries.ts';
import { insertUser } from '../../../server/accounts/users.queries.ts';
import type { AppEnv } from '../../../server/app-env.ts';
import type { Database, UserRole } from '../../../server/db/schema.ts';
import { USER_COOKIE } from '../../../server/http/require-user.ts';

export class TeamMember {
  private constructor(
    private readonly app: Hono<AppEnv>,
    readonly userId: number,
    readonly email: string,
    readonly csrf: string,
    /** The `Cookie` header of its requests. */
    readonly cookie: string,
  ) {}

  /** Creates an account and a session at `now` (the app's clock: sessions end after 30 idle minutes). */
  static async signIn(fixture: { app: Hono<AppEnv>; db: Kysely<Database> }, role: UserRole, options: { email?: string; now?: Date } = {}): Promise<TeamMember> {
    const email = options.email ?? `${role}-${Math.random().toString(36).slice(2, 8)}@example.org`;
    const userId = await insertUser(fixture.db, { email, role });
    const { cookieValue } = await createUserSession(fixture.db, userId, options.now ?? new Date());
    const { csrf_token } = await fixture.db.selectFrom('user_session').select('csrf_token').where('user_id', '=', userId).executeTakeFirstOrThrow();
    return new TeamMember(fixture.app, userId, email, csrf_token, `${USER_COOKIE}=${cookieValue}`);
  }

  get(path: string): Promise<Response> {
    return Promise.resolve(this.app.request(path, { headers: { cookie: this.cookie } }));
  }

  /**
   * Posts a form: URL-encoded fields, or a FormData (multipart) as given. The CSRF token is added
   * unless `csrf: false` (or another value) is asked for.
   */
  post(path: string, fields: Record<string, string> | FormData, options: { csrf?: string | false } = {}): Promise<Response> {
    const token = options.csrf === undefined ? this.csrf : options.csrf;
    let body: URLSearchParams | FormData;
    if (fields instanceof FormData) {
      body = fields;
      if (token !== false) body.set('_csrf', token);
    } else {
      body = new URLSearchParams({ ...fields, ...(token !== false ? { _csrf: token } : {}) });
    }
    return Promise.resolve(this.app.request(path, { method: 'POST', body, headers: { cookie: this.cookie } }));
  }
}
