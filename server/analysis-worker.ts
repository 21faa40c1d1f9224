/**
 * One analysis worker thread (see http/analysis-workers.ts): the same app as the main thread, with
 * its own small PostgreSQL pool (ANALYSIS_DB_POOL_SIZE connections to the primary, as many to the
 * replica), answering the analytical requests the main thread hands it. Every check a route makes
 * (session, role, CSRF token) is made here again, against the same database.
 */
import { workerData } from 'node:worker_threads';
import type { Hono } from 'hono';
import type { AppEnv } from './app-env.ts';
import { createApp } from './app.ts';
import type { Config } from './config.ts';
import { answerForwarded, type ForwardedRequest, type ForwardedResponse } from './http/analysis-workers.ts';
import { openPostgresDatabases } from './postgres-databases.ts';

const config = (workerData as { config: Config }).config;
let ready: Promise<Hono<AppEnv>> | undefined;

/**
 * The app of this thread, made once (no top-level await, which the thread's loader refuses). A
 * database that cannot be reached as the thread starts fails the requests of that moment, and the
 * next request tries again.
 */
function threadApp(): Promise<Hono<AppEnv>> {
  if (!ready) {
    ready = startApp(config);
    ready.catch(() => (ready = undefined));
  }
  return ready;
}
// Connect while the thread starts, so that the first analyst does not wait for it.
threadApp().catch(() => {});

async function startApp(config: Config): Promise<Hono<AppEnv>> {
  if (!config.databaseUrl) throw new Error('An analysis worker needs DATABASE_URL: the embedded database cannot be opened by a second thread.');
  const { database, analytics } = await openPostgresDatabases(
    { ...config, databaseUrl: config.databaseUrl },
    { poolSize: config.analysisPoolSize, migrate: false },
  );
  return createApp({
    db: database.db,
    ...(analytics ? { analyticsDb: analytics.db } : {}),
    databaseKind: database.kind,
    publicUrl: config.publicUrl,
    sessionDays: config.sessionDays,
    trustProxy: config.trustProxy,
    surveysDir: config.surveysDir,
    // The main thread's queue already admitted the request: here it runs at once.
    analysisQueue: { concurrency: Number.MAX_SAFE_INTEGER, queue: 0, waitMs: 0 },
    now: () => new Date(),
  });
}

/** Answers one analytical request (piscina calls the default export). */
export default async function answerAnalyticalRequest(request: ForwardedRequest): Promise<ForwardedResponse> {
  const app = await threadApp();
  return answerForwarded(app.fetch, request);
}
