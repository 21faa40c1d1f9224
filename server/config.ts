/**
 * Configuration, read from the environment once, checked, and frozen. Bad values stop the
 * program with a message that names the variable.
 */
import path from 'node:path';
import { z } from 'zod';

/** How much longer than a statement may run the server waits for its answer, by default. */
const QUERY_TIMEOUT_MARGIN_MS = 5_000;

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  /** Address respondents use to reach the server; invitation links are built on it. */
  PUBLIC_URL: z.url({ error: 'must be an absolute URL such as https://assessment.example.org' }).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  /** A read replica for the dashboard, analysis, comparisons, report and exports (needs DATABASE_URL). */
  ANALYTICS_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL (a read replica of DATABASE_URL)')
    .optional(),
  DATA_DIR: z.string().default('data'),
  SURVEYS_DIR: z.string().default('survey-definitions'),
  /** The key that signs backups; by default `backup.key` in DATA_DIR. */
  BACKUP_KEY_FILE: z.string().optional(),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
  STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000),
  /** Analytical queries run longer than a save; 0 turns the limit off. */
  ANALYTICS_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(120_000),
  /** How long to wait for a database connection before failing (instead of hanging). */
  DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100, 'must be at least 100 (milliseconds)').max(600_000).default(5_000),
  /**
   * How long the server waits for any answer on an open connection before it gives the connection
   * up as lost (a silent network, a failover); 0 turns it off. Longer than STATEMENT_TIMEOUT_MS, so
   * that PostgreSQL cancels a slow statement first and the connection stays usable; by default
   * STATEMENT_TIMEOUT_MS plus QUERY_TIMEOUT_MARGIN_MS (none when statements have no limit).
   */
  DB_QUERY_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).optional(),
  /** PostgreSQL ends a session left idle inside a transaction this long, freeing its locks; 0 = never. */
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(15_000),
  SESSION_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** Analytical requests (dashboards, comparisons, reports, releases, exports) running at once; the others wait in line. */
  ANALYSIS_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(2),
  /** Analytical requests waiting at most; past it, 503 with Retry-After. */
  ANALYSIS_QUEUE: z.coerce.number().int().min(0).max(10_000).default(100),
  /** While respondents are active, the share of each analysis slot's time analytical requests may take; each slot rests the remainder (1 = never rests). */
  ANALYSIS_SHARE: z.coerce.number().min(0.05).max(1).default(0.25),
  /** With PostgreSQL, analytical requests are answered by ANALYSIS_CONCURRENCY worker threads, off the event loop that serves respondents. */
  ANALYSIS_WORKERS: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((v) => v === 'true' || v === '1'),
  /** Connections each analysis worker opens (to the primary, and as many to the replica). */
  ANALYSIS_DB_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(2),
  /** Added to the analysis threads' nice value (Linux): the operating system runs respondents' thread first. */
  ANALYSIS_WORKER_NICE: z.coerce.number().int().min(0).max(19).default(10),
  /** Take the client address from X-Forwarded-For (only behind a proxy you control). */
  /**
   * The mail server, as a URL: `smtp://user:pass@host:587` (STARTTLS when offered),
   * `smtps://…:465` (TLS from the start). Unset: messages are written to `<DATA_DIR>/outbox`.
   */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL such as smtp://user:password@mail.example.org:587')
    .optional(),
  /** The sender of every message, `Name <address>` or an address. */
  MAIL_FROM: z.string().min(3).default('GFMD Assessment <assessment@localhost>'),
  MAIL_REPLY_TO: z.string().min(3).optional(),
  /** The key that encrypts invitation tokens for e-mail; by default `mail-token.key` in DATA_DIR. */
  MAIL_TOKEN_KEY_FILE: z.string().optional(),
  /** Messages sent per minute at most. */
  MAIL_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(60),
  /** The first wait before a temporary failure is retried; each retry waits twice as long (at most an hour). */
  MAIL_RETRY_SECONDS: z.coerce.number().min(0.01).max(3600).default(60),
  /** Attempts of one message before it is marked failed. */
  MAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
  /**
   * A message left "sending" this long by a process that stopped is sent again (see README: at
   * least once). Longer than any one delivery may take: the mail server's timeouts are a minute.
   */
  MAIL_SENDING_LEASE_SECONDS: z.coerce.number().min(1).max(86_400).default(300),
  TRUST_PROXY: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((v) => v === 'true' || v === '1'),
});

export type Config = Readonly<{
  port: number;
  host: string;
  publicUrl: string;
  databaseUrl?: string;
  analyticsDatabaseUrl?: string;
  dataDir: string;
  surveysDir: string;
  /** The file holding the key that signs and checks backups. */
  backupKeyFile: string;
  poolSize: number;
  statementTimeoutMs: number;
  analyticsStatementTimeoutMs: number;
  connectTimeoutMs: number;
  /** Client-side limit on waiting for an answer on the primary (0: none). */
  queryTimeoutMs: number;
  /** The same for the replica: its statement timeout plus the primary's margin (0: none). */
  analyticsQueryTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
  sessionDays: number;
  trustProxy: boolean;
  analysisConcurrency: number;
  analysisQueue: number;
  analysisShare: number;
  /** Analytical requests in worker threads (PostgreSQL only; the embedded database keeps them on the main thread). */
  analysisWorkers: boolean;
  analysisPoolSize: number;
  analysisWorkerNice: number;
  mail: MailConfig;
}>;

/** How e-mail is sent. */
export type MailConfig = Readonly<{
  /** Unset: messages are written as .eml files to `outboxDir`. */
  smtpUrl?: string;
  outboxDir: string;
  from: string;
  replyTo?: string;
  tokenKeyFile: string;
  ratePerMinute: number;
  retrySeconds: number;
  maxAttempts: number;
  leaseSeconds: number;
}>;

export class ConfigError extends Error {}

/** Reads the configuration from an environment (by default `process.env`). */
export function readConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${String(i.path[0])}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.ANALYTICS_DATABASE_URL && !e.DATABASE_URL) {
    throw new ConfigError(
      'Invalid configuration:\n  ANALYTICS_DATABASE_URL: needs DATABASE_URL (a read replica serves a PostgreSQL primary, not the embedded database)',
    );
  }
  if (e.SMTP_URL && !env.MAIL_FROM) {
    throw new ConfigError(
      'Invalid configuration:\n  MAIL_FROM: needed with SMTP_URL, the address messages are sent from (such as "GFMD Assessment <assessment@example.org>")',
    );
  }
  if (!/@[^\s@>]+>?$/.test(e.MAIL_FROM.trim()))
    throw new ConfigError('Invalid configuration:\n  MAIL_FROM: must be an address such as "GFMD Assessment <assessment@example.org>"');
  const queryTimeoutMs = e.DB_QUERY_TIMEOUT_MS ?? (e.STATEMENT_TIMEOUT_MS > 0 ? e.STATEMENT_TIMEOUT_MS + QUERY_TIMEOUT_MARGIN_MS : 0);
  if (queryTimeoutMs > 0 && e.STATEMENT_TIMEOUT_MS > 0 && queryTimeoutMs <= e.STATEMENT_TIMEOUT_MS) {
    throw new ConfigError(`Invalid configuration:\n  DB_QUERY_TIMEOUT_MS: must be longer than STATEMENT_TIMEOUT_MS (${e.STATEMENT_TIMEOUT_MS}), or 0`);
  }
  // A replica's statements may run longer than the primary's; its client-side limit follows them.
  const queryMargin = Math.max(queryTimeoutMs - e.STATEMENT_TIMEOUT_MS, QUERY_TIMEOUT_MARGIN_MS);
  const analyticsQueryTimeoutMs =
    queryTimeoutMs === 0 || e.ANALYTICS_STATEMENT_TIMEOUT_MS === 0 ? 0 : Math.max(queryTimeoutMs, e.ANALYTICS_STATEMENT_TIMEOUT_MS + queryMargin);
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    publicUrl: (e.PUBLIC_URL ?? `http://${e.HOST === '0.0.0.0' ? 'localhost' : e.HOST}:${e.PORT}`).replace(/\/$/, ''),
    ...(e.DATABASE_URL ? { databaseUrl: e.DATABASE_URL } : {}),
    ...(e.ANALYTICS_DATABASE_URL ? { analyticsDatabaseUrl: e.ANALYTICS_DATABASE_URL } : {}),
    dataDir: path.resolve(e.DATA_DIR),
    surveysDir: path.resolve(e.SURVEYS_DIR),
    backupKeyFile: path.resolve(e.BACKUP_KEY_FILE ?? path.join(e.DATA_DIR, 'backup.key')),
    poolSize: e.DB_POOL_SIZE,
    statementTimeoutMs: e.STATEMENT_TIMEOUT_MS,
    analyticsStatementTimeoutMs: e.ANALYTICS_STATEMENT_TIMEOUT_MS,
    connectTimeoutMs: e.DB_CONNECT_TIMEOUT_MS,
    queryTimeoutMs,
    analyticsQueryTimeoutMs,
    idleInTransactionTimeoutMs: e.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    sessionDays: e.SESSION_DAYS,
    trustProxy: e.TRUST_PROXY,
    analysisConcurrency: e.ANALYSIS_CONCURRENCY,
    analysisQueue: e.ANALYSIS_QUEUE,
    analysisShare: e.ANALYSIS_SHARE,
    mail: Object.freeze({
      ...(e.SMTP_URL ? { smtpUrl: e.SMTP_URL } : {}),
      outboxDir: path.resolve(e.DATA_DIR, 'outbox'),
      from: e.MAIL_FROM,
      ...(e.MAIL_REPLY_TO ? { replyTo: e.MAIL_REPLY_TO } : {}),
      tokenKeyFile: path.resolve(e.MAIL_TOKEN_KEY_FILE ?? path.join(e.DATA_DIR, 'mail-token.key')),
      ratePerMinute: e.MAIL_RATE_PER_MINUTE,
      retrySeconds: e.MAIL_RETRY_SECONDS,
      maxAttempts: e.MAIL_MAX_ATTEMPTS,
      leaseSeconds: e.MAIL_SENDING_LEASE_SECONDS,
    }),
    analysisWorkers: e.ANALYSIS_WORKERS,
    analysisPoolSize: e.ANALYSIS_DB_POOL_SIZE,
    analysisWorkerNice: e.ANALYSIS_WORKER_NICE,
  });
}
