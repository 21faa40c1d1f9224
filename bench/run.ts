/**
 * `npm run bench`: how long the full analysis of one questionnaire takes on PostgreSQL, and how
 * much memory the server needs for it, at 10,000 and 100,000 responses, against a baseline that
 * loads every answer into Node. A benchmark, not a test: it prints and records figures.
 *
 *   npm run bench [-- --sizes 10000,100000] [--runs 5] [--baseline-runs 3] [--budget 40] [--explain 10000|all|none]
 *                 [--seed bench] [--out bench/RESULTS.md]
 *
 * BENCH_DATABASE_URL (default postgres://root@127.0.0.1:5432/test) is only an admin connection:
 * each size gets a fresh database `fat_bench_<pid>`, dropped afterwards, even on failure.
 *
 * Bounded: each measurement stops adding timed runs once they total `--budget` seconds (at least
 * one run), and a warm-up run is skipped when one run is expected to take more than half the
 * budget (its caches are then warm anyway). The report says how many runs each figure rests on.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { createUserSession } from '../server/accounts/user-sessions.queries.ts';
import { insertUser } from '../server/accounts/users.queries.ts';
import { countResponses } from '../server/analysis/analysis.queries.ts';
import { analyzeSurvey } from '../server/analysis/survey-analysis.ts';
import { createApp } from '../server/app.ts';
import { openDatabase, type DatabaseHandle } from '../server/db/connect.ts';
import { writeDemoData } from '../server/demo/write-demo.ts';
import { USER_COOKIE } from '../server/http/require-user.ts';
import { syncDefinitions } from '../server/surveys/sync-definitions.ts';
import { foldTallyDeltas } from '../server/db/answer-tally.queries.ts';
import { replicateSurveyResponses } from './replicate.ts';
import { keepSubmissionSection } from './submission-report.ts';
import { BenchDatabases, DEFAULT_ADMIN_URL, redactUrl } from './bench-database.ts';
import { killChildren, runChild } from './child-process.ts';
import { progress, timeRuns } from './measure.ts';
import { explainAnalyze, QueryRecorder, type ProfiledQuery } from './query-profile.ts';
import { renderReport, type SizeResult, type SurveyCounts } from './report.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,100000' },
    runs: { type: 'string', default: '5' },
    'baseline-runs': { type: 'string', default: '3' },
    budget: { type: 'string', default: '40' },
    explain: { type: 'string' },
    seed: { type: 'string', default: 'bench' },
    'generate-max': { type: 'string', default: '100000' },
    out: { type: 'string', default: path.join('bench', 'RESULTS.md') },
  },
  strict: true,
});

const positiveInt = (value: string, name: string) => {
  const n = Number(value.replaceAll('_', ''));
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number, not '${value}'`);
  return n;
};
/** Responses drawn by the demo generator; larger sizes copy them (bench/replicate.ts). */
const generateMax = positiveInt(args['generate-max'], 'generate-max');
const sizes = args.sizes.split(',').map((s) => positiveInt(s.trim(), 'sizes'));
const runs = positiveInt(args.runs, 'runs');
const baselineRuns = positiveInt(args['baseline-runs'], 'baseline-runs');
const budgetMs = positiveInt(args.budget, 'budget') * 1000;
// EXPLAIN ANALYZE runs the slowest statement once more: by default only at the smallest size.
const explainSizes = new Set(
  args.explain === 'all'
    ? sizes
    : args.explain === 'none'
      ? []
      : args.explain
        ? args.explain.split(',').map((s) => positiveInt(s.trim(), 'explain'))
        : [Math.min(...sizes)],
);
/** One warm-up run unless a run is expected to take over half the budget. */
const warmupFor = (expectedMs: number | undefined) => (expectedMs === undefined || expectedMs < budgetMs / 2 ? 1 : 0);
const adminUrl = process.env.BENCH_DATABASE_URL || DEFAULT_ADMIN_URL;
/** V8 heap limit of the second export run (the whole process stays within about 3× this). */
const EXPORT_HEAP_CAP_MB = 48;
const databaseName = `fat_bench_${process.pid}`;
const started = Date.now();

const databases = await BenchDatabases.connect(adminUrl);
let stopping = false;
async function cleanUp(): Promise<void> {
  killChildren();
  await databases.close();
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    // Dropping the database WITH (FORCE) ends the bench's own connections: their errors are expected now.
    process.on('uncaughtException', () => {});
    progress(`${signal}: dropping ${databaseName} and stopping`);
    void cleanUp().finally(() => process.exit(130));
  });
}

const results: SizeResult[] = [];
let postgres = '';
try {
  postgres = await databases.serverVersion();
  progress(`sizes ${sizes.join(', ')}; PostgreSQL at ${redactUrl(adminUrl)}: ${postgres}`);
  for (const size of sizes) results.push(await benchSize(size));
} finally {
  await cleanUp();
}

const cpus = os.cpus();
const commandArgs = process.argv.slice(2).join(' ');
const report = renderReport(
  {
    machine: {
      cpu: cpus[0]?.model.trim() ?? 'unknown',
      cores: cpus.length,
      totalMemoryGb: os.totalmem() / 1024 ** 3,
      node: process.version,
      postgres,
      platform: `${os.type()} ${os.release()} ${os.arch()}`,
    },
    date: new Date().toISOString(),
    command: `${process.env.BENCH_DATABASE_URL ? `BENCH_DATABASE_URL=${redactUrl(process.env.BENCH_DATABASE_URL)} ` : ''}${process.env.npm_lifecycle_event === 'bench' ? 'npm run bench' : 'node --import tsx bench/run.ts'}${commandArgs ? (process.env.npm_lifecycle_event === 'bench' ? ` -- ${commandArgs}` : ` ${commandArgs}`) : ''}`,
    runs,
    baselineRuns,
    budgetSeconds: budgetMs / 1000,
    totalSeconds: (Date.now() - started) / 1000,
  },
  results,
);
const out = path.resolve(ROOT, args.out);
// The submission benchmark (npm run bench:submit) keeps its own section of the same file.
writeFileSync(out, keepSubmissionSection(existsSync(out) ? readFileSync(out, 'utf8') : '', report));
process.stdout.write(report);
progress(`written to ${path.relative(process.cwd(), out)}; bench took ${((Date.now() - started) / 1000).toFixed(0)} s`);

async function benchSize(size: number): Promise<SizeResult> {
  progress(`=== ${size.toLocaleString('en-GB')} responses: creating database ${databaseName}`);
  const url = await databases.create(databaseName);
  let handle: DatabaseHandle | undefined;
  try {
    handle = await openDatabase({ kind: 'postgres', url });
    const db = handle.db;
    const sync = await syncDefinitions(db, path.join(ROOT, 'survey-definitions'));
    for (const p of sync.problems) progress(`warning: survey-definitions/${p.file}: ${p.path}: ${p.message}`);

    const generated = Math.min(size, generateMax);
    progress(`generating ${generated.toLocaleString('en-GB')} responses with writeDemoData`);
    const generateStarted = Date.now();
    let lastTenth = -1;
    const demo = await writeDemoData(db, {
      responses: generated,
      seed: args.seed,
      onProgress(done, total) {
        const tenth = Math.floor((done / total) * 10);
        if (tenth !== lastTenth) {
          lastTenth = tenth;
          progress(`  generated ${done.toLocaleString('en-GB')} / ${total.toLocaleString('en-GB')}`);
        }
      },
    });
    let answerRowsTotal = demo.answerRows;
    if (size > generated) {
      const others = demo.government.submitted + demo.government.inProgress;
      progress(`copying civil society responses in SQL up to ${size.toLocaleString('en-GB')} responses in all`);
      const added = await replicateSurveyResponses(db, demo.civilSociety.surveyId, size - others, (step) => progress(`  copied: ${step}`));
      progress(`  ${added.toLocaleString('en-GB')} responses added`);
      answerRowsTotal = Number((await db.selectFrom('answer').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n);
    }
    // The server folds the running counts' deltas every few seconds; the bench does it once here.
    await db.transaction().execute((trx) => foldTallyDeltas(trx));
    const generateSeconds = (Date.now() - generateStarted) / 1000;
    progress(`  ${answerRowsTotal.toLocaleString('en-GB')} answer rows in ${generateSeconds.toFixed(0)} s; VACUUM ANALYZE`);
    const vacuumStarted = Date.now();
    await sql`vacuum analyze`.execute(db);
    const vacuumSeconds = (Date.now() - vacuumStarted) / 1000;

    const surveyId = demo.civilSociety.surveyId;
    const surveys: SurveyCounts[] = [];
    for (const group of [demo.government, demo.civilSociety]) {
      const stored = Number(
        (
          await db
            .selectFrom('response')
            .innerJoin('respondent', 'respondent.id', 'response.respondent_id')
            .where('respondent.survey_id', '=', group.surveyId)
            .select(sql<number>`count(*)::int`.as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
      surveys.push({ surveyId: group.surveyId, stored, analysed: (await countResponses(db, group.surveyId, {})).responses });
    }
    const answerRowsAnalysed = await db
      .selectFrom('answer')
      .innerJoin('response', 'response.id', 'answer.response_id')
      .innerJoin('respondent', 'respondent.id', 'response.respondent_id')
      .where('respondent.survey_id', '=', surveyId)
      .where('response.status', '=', 'submitted')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow();
    progress(`  analysing ${surveyId}: ${surveys.map((s) => `${s.surveyId} ${s.analysed} analysed of ${s.stored}`).join(', ')}`);

    // Expected run times, from the previous size scaled linearly (none for the first size).
    const previous = results.at(-1);
    const scale = previous ? size / previous.requested : 1;
    progress('timing analyzeSurvey in the bench process (the first run records each statement)');
    const recorder = new QueryRecorder(db);
    let statements: ProfiledQuery[] | undefined;
    const analysis = await timeRuns(
      async () => {
        if (!statements) recorder.start();
        await analyzeSurvey(recorder.db, surveyId, {}, { role: 'analyst' });
        statements ??= recorder.stop();
      },
      { warmup: warmupFor(previous && previous.analysis.median * scale), runs, budgetMs, label: 'analyzeSurvey' },
    );
    for (const q of statements!.slice(0, 3)) progress(`  ${q.name}: ${q.ms.toFixed(0)} ms (${q.rows} rows)`);

    progress(`timing GET /api/surveys/${surveyId}/analysis`);
    const app = createApp({ db, databaseKind: 'postgres', publicUrl: 'http://127.0.0.1:3000', sessionDays: 30, trustProxy: false, now: () => new Date() });
    const userId = await insertUser(db, { email: 'bench-analyst@example.org', role: 'analyst' });
    const { cookieValue } = await createUserSession(db, userId, new Date());
    let apiBytes = 0;
    const api = await timeRuns(
      async () => {
        const res = await app.request(`/api/surveys/${surveyId}/analysis`, { headers: { cookie: `${USER_COOKIE}=${cookieValue}` } });
        const body = await res.text();
        if (res.status !== 200) throw new Error(`API answered ${res.status}: ${body.slice(0, 300)}`);
        apiBytes = Buffer.byteLength(body);
      },
      { warmup: warmupFor(analysis.median), runs, budgetMs, label: 'API' },
    );

    let heaviestPlan: string | undefined;
    if (explainSizes.has(size)) {
      progress(`EXPLAIN (ANALYZE, BUFFERS) ${statements![0]!.name}`);
      heaviestPlan = await explainAnalyze(db, statements![0]!);
    }

    progress('analysis child (peak memory)');
    const analysisChild = await runChild('analysis-child.ts', [url, surveyId, String(warmupFor(analysis.median)), String(runs), String(budgetMs)]);
    if (analysisChild.ok)
      progress(`  analysis child: median ${analysisChild.report.timings.median.toFixed(0)} ms, peak RSS ${analysisChild.report.peakRssMb.toFixed(0)} MB`);
    else progress(`  analysis child failed: ${analysisChild.error}`);

    progress('baseline child: every answer row into Node');
    const previousBaseline = previous?.baselineChild.ok ? previous.baselineChild.report.timings.median * scale : undefined;
    const baselineChild = await runChild('baseline-child.ts', [url, surveyId, String(warmupFor(previousBaseline)), String(baselineRuns), String(budgetMs)]);
    if (baselineChild.ok)
      progress(`  baseline child: median ${baselineChild.report.timings.median.toFixed(0)} ms, peak RSS ${baselineChild.report.peakRssMb.toFixed(0)} MB`);
    else progress(`  baseline child failed: ${baselineChild.error}`);

    progress('export child: the anonymised bundle, streamed to files (peak memory)');
    const exportChild = await runChild('export-child.ts', [url, surveyId, '0', '3', String(budgetMs)]);
    if (exportChild.ok)
      progress(
        `  export child: median ${exportChild.report.timings.median.toFixed(0)} ms, ${exportChild.report.details.rows} rows, peak RSS ${exportChild.report.peakRssMb.toFixed(0)} MB`,
      );
    else progress(`  export child failed: ${exportChild.error}`);
    progress(`export child with the heap capped at ${EXPORT_HEAP_CAP_MB} MB`);
    const exportCappedChild = await runChild('export-child.ts', [url, surveyId, '0', '1', String(budgetMs)], {
      execArgv: [`--max-old-space-size=${EXPORT_HEAP_CAP_MB}`],
    });
    if (exportCappedChild.ok)
      progress(`  capped export child: ${exportCappedChild.report.timings.median.toFixed(0)} ms, peak RSS ${exportCappedChild.report.peakRssMb.toFixed(0)} MB`);
    else progress(`  capped export child failed: ${exportCappedChild.error}`);

    progress('release child: one release, protected and checked (after the exports)');
    const releaseChild = await runChild('release-child.ts', [url, surveyId, '0', '1', String(budgetMs)]);
    if (releaseChild.ok)
      progress(
        `  release child: ${releaseChild.report.timings.median.toFixed(0)} ms, ${releaseChild.report.details.cells} counts, ${releaseChild.report.details.hidden} hidden, ${releaseChild.report.details.solves} solver calls`,
      );
    else progress(`  release child failed: ${releaseChild.error}`);

    return {
      requested: size,
      releaseChild,
      exportChild,
      exportCappedChild,
      exportHeapCapMb: EXPORT_HEAP_CAP_MB,
      surveys,
      analysedSurveyId: surveyId,
      answerRowsAnalysed: Number(answerRowsAnalysed.n),
      answerRowsTotal,
      copied: size > generated,
      generateSeconds,
      vacuumSeconds,
      analysis,
      api,
      apiBytes,
      analysisChild,
      baselineChild,
      profile: { queries: statements!, ...(heaviestPlan ? { heaviestPlan } : {}) },
    };
  } finally {
    await handle?.close();
    await databases.drop(databaseName);
    progress(`dropped ${databaseName}`);
  }
}
