/**
 * The app's own route table, and plausible values for its path parameters: the security tests
 * and the permission matrix (test/server/routes/admin-roles.test.ts) request every route in it.
 */
import type { Kysely } from 'kysely';
import { inspectRoutes } from 'hono/dev';
import { createApp } from '../../../server/app.ts';
import type { Database } from '../../../server/db/schema.ts';
import { PUBLIC_URL } from '../support/app-fixture.ts';

/** The app's routes with a handler (middleware left out), as `METHOD path`, in registration order. */
export function routeTable(): string[] {
  // Routes are registered without touching the database: a placeholder serves for listing them.
  const app = createApp({
    db: {} as Kysely<Database>,
    databaseKind: 'pglite',
    publicUrl: PUBLIC_URL,
    sessionDays: 30,
    trustProxy: false,
    now: () => new Date(),
  });
  const keys = inspectRoutes(app)
    .filter((r) => !r.isMiddleware)
    .map((r) => `${r.method} ${r.path}`);
  return [...new Set(keys)];
}

export function splitKey(key: string): { method: string; path: string } {
  const at = key.indexOf(' ');
  return { method: key.slice(0, at), path: key.slice(at + 1) };
}

/**
 * The Assessment Team's routes: everything under /admin and the team API, except signing in and
 * out and the one-time account links, which anyone may reach.
 */
export const ACCOUNT_ROUTES = new Set(['GET /admin/login', 'POST /admin/login', 'POST /admin/logout', 'GET /admin/setup/:token', 'POST /admin/setup/:token']);

export function isTeamRoute(key: string): boolean {
  const { path } = splitKey(key);
  if (ACCOUNT_ROUTES.has(key)) return false;
  return path === '/admin' || path.startsWith('/admin/') || (path.startsWith('/api/') && !path.startsWith('/api/r/'));
}

/** Plausible values of path parameters, by `segment-before/:name` first and then by name. */
export function fillPath(path: string, values: Record<string, string>): string {
  const segments = path.split('/');
  return segments
    .map((segment, i) => {
      if (segment === '*') return 'x';
      const param = /^:(\w+)(?:\{(.+)\})?\??$/.exec(segment);
      if (!param) return segment;
      const [, name, pattern] = param as unknown as [string, string, string | undefined];
      const value = values[`${segments[i - 1]}/:${name}`] ?? values[name];
      if (value === undefined) throw new Error(`no plausible value for :${name} in ${path}: add one to the values of the security test`);
      if (pattern && !new RegExp(`^(?:${pattern})$`).test(value)) throw new Error(`the value '${value}' for :${name} does not match {${pattern}} in ${path}`);
      return value;
    })
    .join('/');
}
