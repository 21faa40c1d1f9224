/**
 * What the data-safety tests need beyond the app fixture: a fingerprint of every table, to prove
 * that a refused or failed request wrote nothing, and the app served over real HTTP, so that
 * simultaneous requests reach PostgreSQL's pool at the same time.
 *
 * @example
 *   const before = await tableFingerprints(fixture.db);
 *   await fixture.app.request(...);
 *   expect(await tableFingerprints(fixture.db)).toEqual(before);
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { sql, type Kysely } from 'kysely';
import type { AppEnv } from '../../../server/app-env.ts';
import type { Database } from '../../../server/db/schema.ts';

const tablesCache = new WeakMap<object, string[]>();

async function tableNames(db: Kysely<Database>): Promise<string[]> {
  const known = tablesCache.get(db);
  if (known) return known;
  const { rows } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(db);
  const names = rows.map((r) => r.name);
  tablesCache.set(db, names);
  return names;
}

/**
 * An md5 over the rows of every table (each row as text, sorted), in one query. No column is left
 * out: none of the routes under test writes on a read (sessions are looked up, not touched).
 */
export async function tableFingerprints(db: Kysely<Database>): Promise<Record<string, string>> {
  const names = await tableNames(db);
  const parts = names.map((name) => {
    const table = `"${name.replace(/"/g, '""')}"`;
    return `select '${name.replace(/'/g, "''")}' as name, count(*)::int as n, md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) as hash from ${table} t`;
  });
  const { rows } = await sql<{ name: string; n: number; hash: string }>`${sql.raw(parts.join(' union all '))}`.execute(db);
  return Object.fromEntries(rows.map((r) => [r.name, `${r.n}:${r.hash}`]));
}

export interface Served {
  url: string;
  /** Stands in for the Hono app where a helper calls `app.request(path, init)`: the same request over HTTP. */
  client: Pick<Hono<AppEnv>, 'request'>;
  close(): Promise<void>;
}

/** Serves the app on a random local port. */
export async function serveOnRandomPort(app: Hono<AppEnv>): Promise<Served> {
  const { server, port } = await new Promise<{ server: ReturnType<typeof serve>; port: number }>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve({ server: s, port: info.port }));
  });
  const url = `http://127.0.0.1:${port}`;
  const request = ((input: string | Request | URL, init?: RequestInit) =>
    fetch(typeof input === 'string' && input.startsWith('/') ? `${url}${input}` : input, { redirect: 'manual', ...init })) as Hono<AppEnv>['request'];
  return {
    url,
    client: { request },
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
