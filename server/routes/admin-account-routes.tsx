/** @jsxImportSource hono/jsx */
/**
 * Signing in and out, one-time account links, the users page and the audit log.
 */
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { z } from 'zod';
import { checkSignIn, createAccount, describeAccountLink, redeemAccountLink, resetPasswordLink, updateUser, USER_ROLES } from '../accounts/account-service.ts';
import { createUserSession, deleteUserSession } from '../accounts/user-sessions.queries.ts';
import { listUsers } from '../accounts/users.queries.ts';
import type { AppEnv } from '../app-env.ts';
import { insertAuditEntry, listAuditEntries } from '../audit/audit.queries.ts';
import type { UserRole } from '../db/schema.ts';
import { AppError, ERROR_STATUS, valueOr } from '../errors.ts';
import { renderPage } from '../http/render-page.ts';
import { clearUserCookie, requireRole, setUserCookie, USER_COOKIE } from '../http/require-user.ts';
import { csrfProtection, noStore, refuseCrossSite, tokenRateLimit } from '../http/security.ts';
import { signInThrottle } from '../http/sign-in-throttle.ts';
import { userView } from '../http/user-view.ts';
import { formText, positiveId, valid } from '../http/validate.ts';
import { AUDIT_PAGE_SIZE, AuditPage } from '../pages/admin/audit-page.tsx';
import { SetPasswordPage } from '../pages/admin/set-password-page.tsx';
import { SignInPage } from '../pages/admin/sign-in-page.tsx';
import { UsersPage, type UsersView } from '../pages/admin/users-page.tsx';

const USER_ACTIONS = ['password_link', 'disable', 'enable', ...USER_ROLES] as const;

/** `next` is read by `safeNext`, whatever was sent. */
const loginQuery = z.object({ next: z.unknown().optional() });
const loginForm = z.object({ email: formText(), password: formText(), next: z.unknown().optional() });
const tokenParam = z.object({ token: z.string() });
const setupForm = z.object({ email: z.string().optional(), password: formText() });
const newUserForm = z.object({ email: formText(), role: formText() });
const userParam = z.object({ id: positiveId });
const userActionForm = z.object({ action: z.enum(USER_ACTIONS) });
/** A bad `before` is ignored: the newest entries. */
const auditQuery = z.object({ before: positiveId.optional().catch(undefined) });

const admins = requireRole('admin');

/** Signing out needs the form's token only from someone signed in: signing out no one clears the cookie and changes nothing. */
const csrfWhenSignedIn: MiddlewareHandler<AppEnv> = async function csrfWhenSignedIn(c, next) {
  if (c.get('user')) return csrfProtection(c, next);
  await next();
};

/** Only same-site paths under /admin may be returned to after login. */
function safeNext(value: unknown): string {
  return typeof value === 'string' && /^\/admin(\/[\w\-/?=&.%]*)?$/.test(value) ? value : '/admin';
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

async function renderUsers(c: Context<AppEnv>, extras: Pick<UsersView, 'link' | 'error'> = {}, status: 200 | 409 | 422 = 200) {
  const users = await listUsers(c.get('deps').db);
  return renderPage(c, <UsersPage view={{ user: userView(c)!, users, ...extras }} />, status);
}

const setupUrl = (c: Context<AppEnv>, token: string) => `${c.get('deps').publicUrl}/admin/setup/${token}`;

/** The change an action of the users page asks for. */
function userChange(action: Exclude<(typeof USER_ACTIONS)[number], 'password_link'>): { role: UserRole } | { disabled: boolean } {
  if (action === 'disable') return { disabled: true };
  if (action === 'enable') return { disabled: false };
  return { role: action };
}

export function adminAccountRoutes(loginLimit: number): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', noStore);

  app.get('/login', valid('query', loginQuery), async (c) => {
    const next = safeNext(c.req.valid('query').next);
    if (c.get('user')) return c.redirect(next, 303);
    return renderPage(c, <SignInPage next={next} />);
  });

  // Attempts count as they arrive and failed ones stay counted; a team member who types the password right is not slowed.
  app.post('/login', refuseCrossSite, signInThrottle(loginLimit), valid('form', loginForm), async (c) => {
    const form = c.req.valid('form');
    const next = safeNext(form.next);
    const { db, now } = c.get('deps');
    const outcome = await checkSignIn(db, form.email, form.password, now());
    if (!outcome.ok) return renderPage(c, <SignInPage error={outcome.refusal.message} email={form.email} next={next} />, 401);
    return signIn(c, outcome.value.id, next);
  });

  app.post('/logout', csrfWhenSignedIn, async (c) => {
    const user = c.get('user');
    if (user) {
      const cookie = getCookie(c, USER_COOKIE);
      if (cookie) await deleteUserSession(c.get('deps').db, cookie);
      await insertAuditEntry(c.get('deps').db, { actor: user.email, action: 'logout', subject: `user:${user.userId}`, details: {} });
    }
    clearUserCookie(c);
    return c.redirect('/admin/login', 303);
  });

  app.get('/setup/:token', valid('param', tokenParam), async (c) => {
    const { db, now } = c.get('deps');
    const { token } = c.req.valid('param');
    const link = await describeAccountLink(db, token, now());
    if (!link) throw new AppError('invalid_link', 'This link was already used or has expired.');
    return renderPage(c, <SetPasswordPage token={token} purpose={link.purpose} email={link.email} />);
  });

  app.post('/setup/:token', refuseCrossSite, tokenRateLimit(loginLimit), valid('param', tokenParam), valid('form', setupForm), async (c) => {
    const { db, now } = c.get('deps');
    const { token } = c.req.valid('param');
    const { email, password } = c.req.valid('form');
    const link = await describeAccountLink(db, token, now());
    if (!link) throw new AppError('invalid_link', 'This link was already used or has expired.');
    const outcome = await redeemAccountLink(db, token, { ...(email !== undefined ? { email } : {}), password }, now());
    if (!outcome.ok && outcome.refusal.code === 'validation') {
      return renderPage(c, <SetPasswordPage token={token} purpose={link.purpose} email={email ?? link.email} error={outcome.refusal.message} />, 422);
    }
    return signIn(c, valueOr(outcome).id, '/admin');
  });

  app.get('/users', admins, (c) => renderUsers(c));

  app.post('/users', admins, csrfProtection, valid('form', newUserForm), async (c) => {
    const me = c.get('user')!;
    const { db, now } = c.get('deps');
    const outcome = await createAccount(db, { ...c.req.valid('form'), actor: me.email }, now());
    if (!outcome.ok) return renderUsers(c, { error: outcome.refusal.message }, ERROR_STATUS[outcome.refusal.code]);
    const { user, token } = outcome.value;
    return renderUsers(c, {
      link: { text: `Account created for ${user.email}. Send them this one-time link (valid 72 hours) to set a password:`, url: setupUrl(c, token) },
    });
  });

  app.post(
    '/users/:id',
    admins,
    csrfProtection,
    // Not an integer column value: the database would answer with an error (a 500), not "no such account".
    valid('param', userParam, { code: 'not_found', message: 'There is no such account.' }),
    valid('form', userActionForm, { code: 'bad_request', message: 'Unknown action.' }),
    async (c) => {
      const me = c.get('user')!;
      const { db, now } = c.get('deps');
      const { id } = c.req.valid('param');
      const { action } = c.req.valid('form');
      if (action === 'password_link') {
        const token = await resetPasswordLink(db, id, me.email, now());
        return renderUsers(c, { link: { text: 'One-time link (valid 72 hours):', url: setupUrl(c, token) } });
      }
      await updateUser(db, id, userChange(action), me.email, now());
      return c.redirect('/admin/users', 303);
    },
  );

  app.get('/audit', admins, valid('query', auditQuery), async (c) => {
    const { before } = c.req.valid('query');
    const entries = await listAuditEntries(c.get('deps').db, { limit: AUDIT_PAGE_SIZE, ...(before !== undefined ? { beforeId: before } : {}) });
    return renderPage(c, <AuditPage user={userView(c)} entries={entries} />);
  });

  return app;
}
