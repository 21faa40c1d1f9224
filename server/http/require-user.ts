/**
 * Access control for the Assessment Team's pages and API: a signed-in session (HttpOnly,
 * SameSite=Strict cookie) and one of the allowed roles, checked on every request.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { SESSION_ABSOLUTE_MS, touchUserSession } from '../accounts/user-sessions.queries.ts';
import type { AppEnv } from '../app-env.ts';
import type { UserRole } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { assertLiveViewer } from '../analysis/live-access.ts';

export const USER_COOKIE = 'fat_team';

export function setUserCookie(c: Context<AppEnv>, cookieValue: string): void {
  setCookie(c, USER_COOKIE, cookieValue, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: c.get('deps').publicUrl.startsWith('https:'),
    path: '/',
    maxAge: SESSION_ABSOLUTE_MS / 1000,
  });
}

export function clearUserCookie(c: Context<AppEnv>): void {
  deleteCookie(c, USER_COOKIE, { path: '/' });
}

/** Loads the session if there is one (the login page uses it to skip ahead). */
export const loadUser: MiddlewareHandler<AppEnv> = async function loadUser(c, next) {
  const cookie = getCookie(c, USER_COOKIE);
  if (cookie) {
    const { db, now } = c.get('deps');
    const user = await touchUserSession(db, cookie, now());
    if (user) c.set('user', user);
    else clearUserCookie(c);
  }
  await next();
};

/**
 * Lets the request through only for a signed-in member with one of `roles`. Pages answer
 * 401 with a login link, the API a JSON error; a member without the role gets 403.
 *
 * @example app.get('/admin/users', requireRole('admin'), listUsersPage)
 */
export function requireRole(...roles: UserRole[]): MiddlewareHandler<AppEnv> {
  return async function requireRoleMiddleware(c, next) {
    const user = c.get('user');
    if (!user) throw new AppError('unauthorized', 'Please sign in.', { login: '/admin/login' });
    if (!roles.includes(user.role)) throw new AppError('forbidden', 'Your role does not give access to this page.');
    c.header('Cache-Control', 'no-store');
    await next();
  };
}

/** Live figures (dashboard, comparisons, the live report, the analysis API): admins and analysts only (analysis/live-access.ts). */
export const requireLiveAccess: MiddlewareHandler<AppEnv> = async function requireLiveAccess(c, next) {
  const user = c.get('user');
  if (user) assertLiveViewer(user.role);
  return requireRole('admin', 'analyst')(c, next);
};
