/** @jsxImportSource hono/jsx */
/**
 * Signing in and out, one-time account links, the users page and the audit log.
 */
import { Hono, type Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { addUser, authenticate, completeAccountLink, describeAccountLink, resetPasswordLink, updateUser, USER_ROLES } from '../accounts/account-service.ts';
import { MIN_PASSWORD_LENGTH } from '../accounts/passwords.ts';
import { createUserSession, deleteUserSession } from '../accounts/user-sessions.queries.ts';
import { listUsers } from '../accounts/users.queries.ts';
import type { AppEnv } from '../app-env.ts';
import { insertAuditEntry, listAuditEntries } from '../audit/audit.queries.ts';
import type { UserRole } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { renderPage } from '../http/render-page.ts';
import { clearUserCookie, requireRole, setUserCookie, USER_COOKIE } from '../http/require-user.ts';
import { assertCsrf, noStore, refuseCrossSite, tokenRateLimit } from '../http/security.ts';
import { signInThrottle } from '../http/sign-in-throttle.ts';
import { AdminLayout, FormError } from '../pages/admin/admin-layout.tsx';
import { userView } from '../http/user-view.ts';

/** Only same-site paths under /admin may be returned to after login. */
function safeNext(value: unknown): string {
  return typeof value === 'string' && /^\/admin(\/[\w\-/?=&.%]*)?$/.test(value) ? value : '/admin';
}

function LoginPage({ error, email, next }: { error?: string; email?: string; next: string }) {
  return (
    <AdminLayout title="Sign in">
      <FormError message={error} />
      <form method="post" action="/admin/login">
        <input type="hidden" name="next" value={next} />
        <div class="form-row">
          <label for="email">E-mail</label>
          <input type="email" id="email" name="email" value={email ?? ''} autocomplete="username" required />
        </div>
        <div class="form-row">
          <label for="password">Password</label>
          <input type="password" id="password" name="password" autocomplete="current-password" required />
        </div>
        <p class="actions">
          <button type="submit" class="primary">
            Sign in
          </button>
        </p>
      </form>
    </AdminLayout>
  );
}

function SetPasswordPage({ token, purpose, email, error }: { token: string; purpose: 'first_admin' | 'set_password'; email?: string; error?: string }) {
  return (
    <AdminLayout title={purpose === 'first_admin' ? 'Create the first administrator' : 'Set your password'}>
      <FormError message={error} />
      <form method="post" action={`/admin/setup/${token}`}>
        {purpose === 'first_admin' ? (
          <div class="form-row">
            <label for="email">Your e-mail</label>
            <input type="email" id="email" name="email" value={email ?? ''} autocomplete="username" required />
          </div>
        ) : (
          <p>
            Account: <strong>{email}</strong>
          </p>
        )}
        <div class="form-row">
          <label for="password">Password (at least {MIN_PASSWORD_LENGTH} characters)</label>
          <input type="password" id="password" name="password" autocomplete="new-password" minlength={MIN_PASSWORD_LENGTH} required />
        </div>
        <p class="actions">
          <button type="submit" class="primary">
            Save and sign in
          </button>
        </p>
      </form>
    </AdminLayout>
  );
}

async function signIn(c: Context<AppEnv>, userId: number, next: string) {
  const { db, now } = c.get('deps');
  // A new session id at every sign-in: a session fixed before login is worthless after it.
  const old = getCookie(c, USER_COOKIE);
  if (old) await deleteUserSession(db, old);
  const { cookieValue } = await createUserSession(db, userId, now());
  setUserCookie(c, cookieValue);
  return c.redirect(next, 303);
}

export function adminAccountRoutes(loginLimit: number): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', noStore);

  app.get('/login', async (c) => {
    if (c.get('user')) return c.redirect(safeNext(c.req.query('next')), 303);
    return renderPage(c, <LoginPage next={safeNext(c.req.query('next'))} />);
  });

  // Attempts count as they arrive and failed ones stay counted; a team member who types the password right is not slowed.
  app.post('/login', refuseCrossSite, signInThrottle(loginLimit), async (c) => {
    const body = await c.req.parseBody();
    const email = String(body['email'] ?? '');
    const next = safeNext(body['next']);
    const { db, now } = c.get('deps');
    try {
      const user = await authenticate(db, email, String(body['password'] ?? ''), now());
      return signIn(c, user.id, next);
    } catch (error) {
      if (error instanceof AppError && error.code === 'unauthorized') return renderPage(c, <LoginPage error={error.message} email={email} next={next} />, 401);
      throw error;
    }
  });

  app.post('/logout', async (c) => {
    const body = await c.req.parseBody();
    const user = c.get('user');
    if (user) {
      assertCsrf(user.csrfToken, body['_csrf']);
      const cookie = getCookie(c, USER_COOKIE);
      if (cookie) await deleteUserSession(c.get('deps').db, cookie);
      await insertAuditEntry(c.get('deps').db, { actor: user.email, action: 'logout', subject: `user:${user.userId}`, details: {} });
    }
    clearUserCookie(c);
    return c.redirect('/admin/login', 303);
  });

  app.get('/setup/:token', async (c) => {
    const { db, now } = c.get('deps');
    const link = await describeAccountLink(db, c.req.param('token'), now());
    if (!link) throw new AppError('invalid_link', 'This link was already used or has expired.');
    return renderPage(c, <SetPasswordPage token={c.req.param('token')} purpose={link.purpose} email={link.email} />);
  });

  app.post('/setup/:token', refuseCrossSite, tokenRateLimit(loginLimit), async (c) => {
    const { db, now } = c.get('deps');
    const token = c.req.param('token');
    const link = await describeAccountLink(db, token, now());
    if (!link) throw new AppError('invalid_link', 'This link was already used or has expired.');
    const body = await c.req.parseBody();
    const email = typeof body['email'] === 'string' ? body['email'] : undefined;
    try {
      const user = await completeAccountLink(db, token, { ...(email !== undefined ? { email } : {}), password: String(body['password'] ?? '') }, now());
      return signIn(c, user.id, '/admin');
    } catch (error) {
      if (error instanceof AppError && error.code === 'validation')
        return renderPage(c, <SetPasswordPage token={token} purpose={link.purpose} email={email ?? link.email} error={error.message} />, 422);
      throw error;
    }
  });

  app.get('/users', requireRole('admin'), async (c) => {
    const users = await listUsers(c.get('deps').db);
    const me = userView(c)!;
    return renderPage(
      c,
      <AdminLayout title="Users" user={me} current="/admin/users">
        <UsersBody users={users} csrf={me.csrfToken} />
      </AdminLayout>,
    );
  });

  app.post('/users', requireRole('admin'), async (c) => {
    const me = c.get('user')!;
    const body = await c.req.parseBody();
    assertCsrf(me.csrfToken, body['_csrf']);
    const { db, now, publicUrl } = c.get('deps');
    try {
      const { user, token } = await addUser(db, { email: String(body['email'] ?? ''), role: String(body['role'] ?? '') as UserRole, actor: me.email }, now());
      const users = await listUsers(db);
      return renderPage(
        c,
        <AdminLayout title="Users" user={userView(c)} current="/admin/users">
          <p class="notice success" role="status">
            Account created for {user.email}. Send them this one-time link (valid 72 hours) to set a password:{' '}
            <code class="link-box">{`${publicUrl}/admin/setup/${token}`}</code>
          </p>
          <UsersBody users={users} csrf={me.csrfToken} />
        </AdminLayout>,
      );
    } catch (error) {
      if (error instanceof AppError && (error.code === 'validation' || error.code === 'conflict')) {
        return renderPage(
          c,
          <AdminLayout title="Users" user={userView(c)} current="/admin/users">
            <FormError message={error.message} />
            <UsersBody users={await listUsers(db)} csrf={me.csrfToken} />
          </AdminLayout>,
          error.code === 'conflict' ? 409 : 422,
        );
      }
      throw error;
    }
  });

  app.post('/users/:id', requireRole('admin'), async (c) => {
    const me = c.get('user')!;
    const body = await c.req.parseBody();
    assertCsrf(me.csrfToken, body['_csrf']);
    const { db, now, publicUrl } = c.get('deps');
    const id = Number(c.req.param('id'));
    // Not an integer column value: the database would answer with an error (a 500), not "no such account".
    if (!Number.isSafeInteger(id) || id < 1 || id > 2_147_483_647) throw new AppError('not_found', 'There is no such account.');
    const action = String(body['action'] ?? '');
    if (action === 'password_link') {
      const token = await resetPasswordLink(db, id, me.email, now());
      return renderPage(
        c,
        <AdminLayout title="Users" user={userView(c)} current="/admin/users">
          <p class="notice success" role="status">
            One-time link (valid 72 hours): <code class="link-box">{`${publicUrl}/admin/setup/${token}`}</code>
          </p>
          <UsersBody users={await listUsers(db)} csrf={me.csrfToken} />
        </AdminLayout>,
      );
    }
    const change = action === 'disable' ? { disabled: true } : action === 'enable' ? { disabled: false } : (USER_ROLES as readonly string[]).includes(action) ? { role: action as UserRole } : undefined;
    if (!change) throw new AppError('bad_request', 'Unknown action.');
    await updateUser(db, id, change, me.email, now());
    return c.redirect('/admin/users', 303);
  });

  app.get('/audit', requireRole('admin'), async (c) => {
    const before = Number(c.req.query('before'));
    const entries = await listAuditEntries(c.get('deps').db, { limit: 200, ...(Number.isInteger(before) && before > 0 ? { beforeId: before } : {}) });
    return renderPage(
      c,
      <AdminLayout title="Audit log" user={userView(c)} current="/admin/audit">
        <p class="hint">Append-only record of sign-ins, administrative actions and exports, newest first.</p>
        <table class="data">
          <thead>
            <tr>
              <th scope="col">Time (UTC)</th>
              <th scope="col">Who</th>
              <th scope="col">Action</th>
              <th scope="col">Subject</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr>
                <td>{e.at.toISOString().slice(0, 19).replace('T', ' ')}</td>
                <td>{e.actor}</td>
                <td>{e.action}</td>
                <td>{e.subject ?? ''}</td>
                <td>
                  <code>{JSON.stringify(e.details)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {entries.length === 200 ? (
          <p>
            <a href={`/admin/audit?before=${entries.at(-1)!.id}`}>Older entries</a>
          </p>
        ) : null}
      </AdminLayout>,
    );
  });

  return app;
}

function UsersBody({ users, csrf }: { users: Awaited<ReturnType<typeof listUsers>>; csrf: string }) {
  return (
    <>
      <table class="data">
        <thead>
          <tr>
            <th scope="col">E-mail</th>
            <th scope="col">Role</th>
            <th scope="col">State</th>
            <th scope="col">Change</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr>
              <td>{u.email}</td>
              <td>{u.role}</td>
              <td>{u.disabled ? 'disabled' : u.hasPassword ? 'active' : 'waiting for password'}</td>
              <td>
                <form method="post" action={`/admin/users/${u.id}`} class="inline-form">
                  <input type="hidden" name="_csrf" value={csrf} />
                  <label for={`action-${u.id}`} class="visually-hidden">
                    Change {u.email}
                  </label>
                  <select id={`action-${u.id}`} name="action">
                    {USER_ROLES.filter((r) => r !== u.role).map((r) => (
                      <option value={r}>make {r}</option>
                    ))}
                    <option value={u.disabled ? 'enable' : 'disable'}>{u.disabled ? 'enable' : 'disable'}</option>
                    <option value="password_link">new password link</option>
                  </select>
                  <button type="submit" class="secondary">
                    Apply
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Add an account</h2>
      <form method="post" action="/admin/users">
        <input type="hidden" name="_csrf" value={csrf} />
        <div class="form-row">
          <label for="new-email">E-mail</label>
          <input type="email" id="new-email" name="email" required />
        </div>
        <div class="form-row">
          <label for="new-role">Role</label>
          <select id="new-role" name="role">
            <option value="observer">observer — aggregates only, small groups hidden</option>
            <option value="analyst">analyst — dashboard, comparisons, free text, exports</option>
            <option value="admin">admin — also invitations, questionnaires, users</option>
          </select>
        </div>
        <p class="actions">
          <button type="submit" class="primary">
            Create the account
          </button>
        </p>
      </form>
    </>
  );
}
