/**
 * Starts the server: reads the configuration, opens the database (PGlite in DATA_DIR unless
 * DATABASE_URL is set) and, with ANALYTICS_DATABASE_URL, a read-only handle on a replica for the
 * analytical pages; publishes the questionnaire files, and listens.
 */
import os from 'node:os';
import { serve } from '@hono/node-server';
import { formatProblem } from '../survey-definitions/load-definitions.ts';
import { firstAdminLink } from './accounts/account-service.ts';
import { createApp } from './app.ts';
import { ConfigError, readConfig, type Config } from './config.ts';
import { openDatabase, type DatabaseHandle } from './db/connect.ts';
import { DEFAULT_ANALYSIS_QUEUE } from './http/analysis-queue.ts';
import { startAnalysisWorkers, type AnalysisWorkers } from './http/analysis-workers.ts';
import { openPostgresDatabases } from './postgres-databases.ts';
import { removeStaleTemporaryExports } from './export/stale-exports.ts';
import { acquireDataFolderLock, DataFolderBusyError, type DataFolderLock } from './db/data-folder-lock.ts';
import { startMailSender } from './mail/mail-sender.ts';
import { senderSettingsFromConfig } from './mail/mail-setup.ts';
import { startTallyFolding } from './responses/tally-folding.ts';
import { syncDefinitions } from './surveys/sync-definitions.ts';

async function start(config: Config): Promise<void> {
  let lock: DataFolderLock | undefined;
  let database: DatabaseHandle;
  let analytics: DatabaseHandle | undefined;
  if (config.databaseUrl) {
    ({ database, analytics } = await openPostgresDatabases({ ...config, databaseUrl: config.databaseUrl }, { poolSize: config.poolSize, migrate: true }));
  } else {
    lock = acquireDataFolderLock(config.dataDir, { role: 'server', port: config.port });
    database = await openDatabase({ kind: 'pglite', dataDir: config.dataDir });
  }
  const where = config.databaseUrl
    ? `PostgreSQL (DATABASE_URL${analytics ? '; analytics read from ANALYTICS_DATABASE_URL' : ''}), analysis ${config.analysisWorkers ? `in ${config.analysisConcurrency} worker threads` : 'on the main thread'}`
    : `embedded PGlite database in ${config.dataDir}, analysis on the main thread`;

  // Working folders of exports that were killed half-way (the server's, in the temporary folder).
  for (const left of await removeStaleTemporaryExports(os.tmpdir(), new Date())) console.error(`Removed ${left}, left by an export that was stopped.`);
  const report = await syncDefinitions(database.db, config.surveysDir);
  const setupToken = await firstAdminLink(database.db, new Date());
  const mailSettings = await senderSettingsFromConfig(config);
  for (const problem of report.problems) console.error(`Questionnaire not served: ${formatProblem(problem)}`);

  // The embedded database cannot be opened by a second thread: with it, analysis stays on the main thread.
  const workers: AnalysisWorkers | undefined =
    config.databaseUrl && config.analysisWorkers
      ? startAnalysisWorkers({
          threads: config.analysisConcurrency,
          queue: config.analysisQueue,
          filename: new URL('./analysis-worker.ts', import.meta.url),
          workerData: { config },
          niceIncrement: config.analysisWorkerNice,
          onError: (error) => console.error(`An analysis worker failed and is replaced: ${error instanceof Error ? error.message : String(error)}`),
        })
      : undefined;
  const app = createApp({
    db: database.db,
    ...(analytics ? { analyticsDb: analytics.db } : {}),
    databaseKind: database.kind,
    publicUrl: config.publicUrl,
    sessionDays: config.sessionDays,
    trustProxy: config.trustProxy,
    surveysDir: config.surveysDir,
    analysisQueue: { ...DEFAULT_ANALYSIS_QUEUE, concurrency: config.analysisConcurrency, queue: config.analysisQueue, share: config.analysisShare },
    tokenKeyring: mailSettings.keyring,
    mailDestination: { kind: mailSettings.transport.kind, describe: mailSettings.transport.describe },
    ...(workers ? { analysisWorkers: workers } : {}),
    now: () => new Date(),
  });
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => {
    const lines = [
      `Forum Assessment Toolkit listening on ${config.publicUrl} (${where})`,
      '',
      'Questionnaires (preview links store nothing):',
      ...report.published.map((p) => `  ${p.surveyId} version ${p.version}${p.created ? ' (new snapshot)' : ''}: ${config.publicUrl}/preview/${p.surveyId}`),
      '',
      'To invite respondents, stop the server (Ctrl+C) and run:',
      '  npm run assess -- invite --survey government-assessment --csv invitees.csv --out links.csv',
      `Civil society organisations can register themselves at ${config.publicUrl}/ when a questionnaire is open to them.`,
      '',
      `E-mail: ${mailSettings.transport.kind === 'smtp' ? `sent through ${mailSettings.transport.describe}` : `no SMTP_URL, messages are written to ${mailSettings.transport.describe} (admin page: Outbox)`}.`,
      '',
      setupToken
        ? `No Assessment Team account yet. Create the first administrator (one-time link, valid 24 hours):\n  ${config.publicUrl}/admin/setup/${setupToken}`
        : `Assessment Team: ${config.publicUrl}/admin`,
    ];
    console.log(lines.join('\n'));
  });

  // Keeps the dashboard's running counts quick to add up (see responses/tally-folding.ts).
  const stopFolding = startTallyFolding(database.db, 5_000, (error) =>
    console.error(`Folding the running counts failed (they stay right, only slower to read): ${error instanceof Error ? error.message : String(error)}`),
  );

  // Sends queued e-mail (invitations, reminders, lost links); see mail/mail-sender.ts.
  const stopMail = startMailSender(database.db, mailSettings, 5_000, (error) =>
    console.error(`Sending e-mail failed (queued messages stay queued): ${error instanceof Error ? error.message : String(error)}`),
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping; answers already saved are kept.`);
    server.close(async () => {
      await stopMail().catch(() => {});
      await stopFolding().catch(() => {});
      await workers?.close().catch(() => {});
      await analytics?.close();
      await database.close();
      lock?.release();
      process.exit(0);
    });
    // Keep-alive connections would hold close() open; answers are already committed.
    setTimeout(async () => {
      await stopMail().catch(() => {});
      await workers?.close().catch(() => {});
      await analytics?.close().catch(() => {});
      await database.close().catch(() => {});
      lock?.release();
      process.exit(0);
    }, 3000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

try {
  await start(readConfig());
} catch (error) {
  if (error instanceof ConfigError || error instanceof DataFolderBusyError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}
