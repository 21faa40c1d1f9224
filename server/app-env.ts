/**
 * What every route can reach: the dependencies the app was built with and per-request values.
 */
import type { Context } from 'hono';
import type { Kysely } from 'kysely';
import type { Language } from '../survey-definitions/schema.ts';
import type { DatabaseKind } from './db/connect.ts';
import type { Database } from './db/schema.ts';
import type { UserSession } from './accounts/user-sessions.queries.ts';
import type { RespondentSession } from './sessions/sessions.queries.ts';
import type { AnalysisQueueOptions } from './http/analysis-queue.ts';
import type { TokenKeyring } from './respondents/sealed-tokens.ts';
import type { AnalysisWorkers } from './http/analysis-workers.ts';

export interface AppDeps {
  /** The primary: every write (saves, submissions, audit, approvals, tags, exclusions) goes here. */
  db: Kysely<Database>;
  /**
   * A read-only handle (a replica, possibly seconds behind) for the dashboard, analysis API,
   * comparisons, report, free-text and tracker reading and the export; the primary when absent.
   */
  analyticsDb?: Kysely<Database>;
  databaseKind: DatabaseKind;
  /** Base URL of invitation links, e.g. https://assessment.example.org */
  publicUrl: string;
  sessionDays: number;
  trustProxy: boolean;
  /** The clock (tests move it past a closing date). */
  now: () => Date;
  /** Requests per minute per address on token routes (tests raise or lower it). */
  tokenRateLimit?: number;
  /** Sign-in attempts a minute per address (failed, or still being checked) before 429; an account takes `ACCOUNT_LIMIT_FACTOR` times as many (tests lower it). */
  loginRateLimit?: number;
  /** The questionnaire folder: an uploaded questionnaire is checked against its common.yaml. */
  surveysDir?: string;
  /** How many analytical requests run at once and wait (http/analysis-queue.ts; default DEFAULT_ANALYSIS_QUEUE). */
  analysisQueue?: AnalysisQueueOptions;
  /**
   * The mail token key: new links are kept sealed with it so that e-mail can carry them. Without
   * it links are made as before and cannot be e-mailed.
   */
  tokenKeyring?: TokenKeyring;
  /** Where the server's e-mail goes, for the Outbox page (e.g. the outbox folder or the SMTP server). */
  mailDestination?: { kind: 'smtp' | 'outbox'; describe: string };
  /** Worker threads that answer the analytical requests the queue admits (http/analysis-workers.ts); absent: the main thread answers them. */
  analysisWorkers?: AnalysisWorkers;
}

export interface AppEnv {
  Variables: {
    deps: AppDeps;
    language: string;
    session?: RespondentSession;
    /** The signed-in Assessment Team member (admin pages and team API). */
    user?: UserSession;
  };
}

/** The handle analytical reads go through: the read replica when configured, else the primary. */
export function analyticsDb(c: Context<AppEnv>): Kysely<Database> {
  const deps = c.get('deps');
  return deps.analyticsDb ?? deps.db;
}

/** The negotiated language as one of ours (the detector only yields supported ones). */
export function pageLanguage(value: string | undefined): Language {
  return value === 'fr' || value === 'es' ? value : 'en';
}
