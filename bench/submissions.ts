/**
 * `npm run bench:submit`: submissions per second through the HTTP API of the real server with 50
 * concurrent clients, against the ceiling of the bare driver writing the same rows, on PostgreSQL
 * and PGlite; then a soak at a fixed rate followed by concurrent exports. A benchmark, not a test:
 * it prints figures and writes its section of bench/RESULTS.md (the other sections are kept).
 *
 *   npm run bench:submit [-- --clients 50 --round-seconds 20 --rounds 2 --databases postgres,pglite
 *                           --soak-seconds 300 --soak-rate 50 --exports 10 --k 5 --analysts 20 --cpu-prof
 *                           --analysis-workers false,true --analyst-rounds 1
 *                           --seed bench --out bench/RESULTS.md]
 *
 * BENCH_DATABASE_URL (default postgres://root@127.0.0.1:5432/test) is only an admin connection:
 * the PostgreSQL runs use fresh databases `fat_bench_<pid>_http` and `_raw`, dropped afterwards;
 * the PGlite runs use fresh folders under the system's temporary folder, removed afterwards.
 * `--soak-seconds 0` skips the soak; `--analysts 0` skips the run with analysts loading pages (PostgreSQL only).
 * `--analysis-workers false,true` runs that case once per value of the server's ANALYSIS_WORKERS, each on
 * a server of its own on the same database (the order alternates over `--analyst-rounds`); `default`
 * leaves the variable as the environment has it. `--analysis-settings 'ANALYSIS_SHARE=1;ANALYSIS_SHARE=0.25'`
 * does the same for any settings: `;` between servers, `,` between the variables of one. `--analyst-rate 30`
 * starts that case's submissions at 30 pairs a second (an open loop: how long each waits at that pace)
 * instead of the closed loop of `--clients` (how many the server takes).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { openDatabase, type DatabaseHandle } from '../server/db/connect.ts';
import { BenchDatabases, DEFAULT_ADMIN_URL, redactUrl } from './bench-database.ts';
import { summarizeCpuProfiles } from './cpu-profile-summary.ts';
import { progress } from './measure.ts';
import { pgDriver, pgliteDriver, type RawDriver } from './raw-insert.ts';
import { BenchClient, killServers, startServer, type ServerProcess } from './server-process.ts';
import { runSoak } from './soak.ts';
import { runAnalystCase, type AnalystCaseResult } from './analysts.ts';
import { renderSubmissionReport, withSubmissionSection, type DatabaseResult, type SoakResult } from './submission-report.ts';
import { httpSubmitter, rawSubmitter, runClosedLoop, summarizeRun, type RunResult } from './submission-runs.ts';
import { GovernmentQueue, prepareWorkload, ROOT, type Workload } from './submission-workload.ts';

const { values: args } = parseArgs({
  options: {
    clients: { type: 'string', default: '50' },
    'round-seconds': { type: 'string', default: '20' },
    rounds: { type: 'string', default: '2' },
    databases: { type: 'string', default: 'postgres,pglite' },
    'soak-seconds': { type: 'string', default: '300' },
    'soak-rate': { type: 'string', default: '50' },
    exports: { type: 'string', default: '10' },
    analysts: { type: 'string', default: '20' },
    'analysis-workers': { type: 'string', default: 'default' },
    'analysis-settings': { type: 'string' },
    'analyst-rounds': { type: 'string', default: '1' },
    'analyst-rate': { type: 'string', default: '0' },
    k: { type: 'string', default: '5' },
    'cpu-prof': { type: 'boolean', default: false },
    seed: { type: 'string', default: 'bench' },
    out: { type: 'string', default: path.join('bench', 'RESULTS.md') },
  },
  strict: true,
});
const whole = (value: string, name: string, min = 1) => {
  const n = Number(value.replaceAll('_', ''));
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number of at least ${min}, not '${value}'`);
  return n;
};
const clients = whole(args.clients, 'clients');
const roundSeconds = whole(args['round-seconds'], 'round-seconds');
const rounds = whole(args.rounds, 'rounds');
const soakSeconds = whole(args['soak-seconds'], 'soak-seconds', 0);
const soakRate = whole(args['soak-rate'], 'soak-rate');
const exportsAtOnce = whole(args.exports, 'exports');
const analysts = whole(args.analysts, 'analysts', 0);
const analystRounds = whole(args['analyst-rounds'], 'analyst-rounds');
const analystRate = whole(args['analyst-rate'], 'analyst-rate', 0);
const workerSettings = args['analysis-workers'].split(',').map((s) => s.trim());
for (const setting of workerSettings)
  if (!['default', 'true', 'false'].includes(setting)) throw new Error(`--analysis-workers takes true, false and/or default, not '${setting}'`);
/** Each server's own environment for the case with analysts, and its label in the report. */
const serverSettings: { label: string; env: Record<string, string> }[] = args['analysis-settings']
  ? args['analysis-settings'].split(';').map((one) => {
      const env = Object.fromEntries(
        one.split(',').map((pair) => {
          const [key, value] = pair.split('=').map((s) => s.trim());
          if (!key || value === undefined || !/^ANALYSIS_[A-Z_]+$/.test(key))
            throw new Error(`--analysis-settings takes ANALYSIS_…=value pairs, not '${pair}'`);
          return [key, value];
        }),
      );
      return {
        label: Object.entries(env)
          .map(([key, value]) => `${key}=${value}`)
          .join(' '),
        env,
      };
    })
  : workerSettings.map((setting) => ({
      label: setting === 'default' ? 'default' : `ANALYSIS_WORKERS=${setting}`,
      env: setting === 'default' ? {} : ({ ANALYSIS_WORKERS: setting } as Record<string, string>),
    }));
const k = whole(args.k, 'k', 3);
const kinds = args.databases.split(',').map((s) => s.trim());
for (const kind of kinds) if (kind !== 'postgres' && kind !== 'pglite') throw new Error(`--databases takes postgres and/or pglite, not '${kind}'`);
/** The server's default DB_POOL_SIZE; the raw pool gets the same. */
const POOL_SIZE = 10;
/** Answer sets per government: the first submission and the amendments use them in turn. */
const VARIANTS = 4;

const adminUrl = process.env.BENCH_DATABASE_URL || DEFAULT_ADMIN_URL;
const started = performance.now();
const durations: { label: string; seconds: number }[] = [];
const timed = async <T>(label: string, work: () => Promise<T>): Promise<T> => {
  const t = performance.now();
  try {
    return await work();
  } finally {
    durations.push({ label, seconds: (performance.now() - t) / 1000 });
  }
};

const databases = await BenchDatabases.connect(adminUrl);
const folders: string[] = [];
const cleanUp = async () => {
  killServers();
  await databases.close();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    process.on('uncaughtException', () => {});
    progress(`${signal}: stopping servers, dropping bench databases`);
    void cleanUp().finally(() => process.exit(130));
  });
}

const results: DatabaseResult[] = [];
let soak: SoakResult | undefined;
const analystCases: AnalystCaseResult[] = [];
let postgresVersion = '';
try {
  postgresVersion = (await databases.serverVersion()).split(' on ')[0]!;
  for (const kind of kinds as ('postgres' | 'pglite')[]) results.push(await timed(`${kind} in all`, () => benchDatabase(kind)));
} finally {
  await cleanUp();
}

const cpus = os.cpus();
const commandArgs = process.argv.slice(2).join(' ');
const section = renderSubmissionReport({
  date: new Date().toISOString(),
  command: `${process.env.BENCH_DATABASE_URL ? `BENCH_DATABASE_URL=${redactUrl(process.env.BENCH_DATABASE_URL)} ` : ''}npm run bench:submit${commandArgs ? ` -- ${commandArgs}` : ''}`,
  machine: `${cpus[0]?.model.trim() ?? 'unknown'}, ${cpus.length} cores, ${(os.totalmem() / 1024 ** 3).toFixed(1)} GB RAM, ${os.type()} ${os.release()} ${os.arch()}`,
  node: process.version,
  postgres: postgresVersion,
  clients,
  poolSize: POOL_SIZE,
  governments: results[0]?.governments ?? 0,
  warmup: results[0]?.governments ?? 0,
  roundSeconds,
  databases: results,
  ...(soak ? { soak } : {}),
  analystCases,
  durations,
  totalSeconds: (performance.now() - started) / 1000,
});
const out = path.resolve(ROOT, args.out);
writeFileSync(out, withSubmissionSection(existsSync(out) ? readFileSync(out, 'utf8') : '', section));
process.stdout.write(`${section}\n`);
progress(`written to ${path.relative(process.cwd(), out)}; took ${((performance.now() - started) / 1000).toFixed(0)} s`);

/** A fresh database (or data folder) prepared with the workload; for the server, closed again. */
async function prepared(
  kind: 'postgres' | 'pglite',
  role: 'http' | 'raw',
): Promise<{ workload: Workload; env: Record<string, string>; handle: DatabaseHandle; driver?: RawDriver; close(): Promise<void> }> {
  if (kind === 'postgres') {
    const url = await databases.create(`fat_bench_${process.pid}_${role}`);
    const handle = await openDatabase({ kind: 'postgres', url });
    const workload = await prepareWorkload(handle.db, { seed: args.seed, variants: VARIANTS });
    if (role === 'http') return { workload, env: { DATABASE_URL: url, DB_POOL_SIZE: String(POOL_SIZE) }, handle, close: () => handle.close() };
    const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE });
    // Dropping the database WITH (FORCE) ends idle connections: not an error of the bench.
    pool.on('error', () => {});
    const close = async () => {
      await pool.end();
      await handle.close();
    };
    return { workload, env: {}, handle, driver: pgDriver(pool), close };
  }
  const folder = mkdtempSync(path.join(os.tmpdir(), `fat-bench-${role}-`));
  folders.push(folder);
  const pglite = await PGlite.create(folder);
  const handle = await openDatabase({ kind: 'pglite', pglite });
  const workload = await prepareWorkload(handle.db, { seed: args.seed, variants: VARIANTS });
  if (role === 'http') await handle.close(); // the server takes the folder's lock
  return { workload, env: { DATA_DIR: folder }, handle, ...(role === 'raw' ? { driver: pgliteDriver(pglite) } : {}), close: () => handle.close() };
}

async function benchDatabase(kind: 'postgres' | 'pglite'): Promise<DatabaseResult> {
  progress(`=== ${kind}: preparing two fresh databases (server, raw)`);
  const http = await prepared(kind, 'http');
  const raw = await prepared(kind, 'raw');
  const profileDir = args['cpu-prof'] ? mkdtempSync(path.join(os.tmpdir(), 'fat-bench-prof-')) : undefined;
  if (profileDir) folders.push(profileDir);
  let server: ServerProcess | undefined;
  try {
    const logFile = path.join(os.tmpdir(), `fat-bench-server-${kind}-${process.pid}.log`);
    server = await startServer(http.env, { logFile, ...(profileDir ? { execArgv: ['--cpu-prof', '--cpu-prof-dir', profileDir] } : {}) });
    progress(`server pid ${server.pid} at ${server.baseUrl}, output in ${logFile}`);
    const client = new BenchClient(server.baseUrl, clients);
    const httpQueue = new GovernmentQueue(http.workload.governments);
    const rawQueue = new GovernmentQueue(raw.workload.governments);
    // Each government's latest revision, shared by every server started on this database.
    const revisions = new Map<number, number>();
    const submitHttp = httpSubmitter(client, revisions);
    // The dashboard's running counts, when this version of the server keeps them, are rows it writes.
    const tallies = (await sql<{ present: boolean }>`select to_regclass('answer_tally') is not null as present`.execute(raw.handle.db)).rows[0]!.present;
    const sides = {
      http: submitHttp,
      raw: rawSubmitter(raw.driver!, 'writes', raw.workload, tallies),
      rawAll: rawSubmitter(raw.driver!, 'all', raw.workload, tallies),
      ...(tallies ? { rawNoTally: rawSubmitter(raw.driver!, 'writes', raw.workload, false) } : {}),
    };
    const governments = http.workload.governments.length;

    progress(`warm-up: ${governments} first submissions on each side${tallies ? ' (the server keeps answer_tally: the raw side writes it too)' : ''}`);
    const warmHttp = await runClosedLoop(submitHttp, httpQueue, { clients, count: governments });
    const warmRaw = await runClosedLoop(sides.raw, rawQueue, { clients, count: governments });
    progress(
      `  warm-up: HTTP ${warmHttp.perSecond.toFixed(1)}/s (${warmHttp.failures} failed), raw ${warmRaw.perSecond.toFixed(1)}/s (${warmRaw.failures} failed)`,
    );
    if (warmHttp.failures) progress(`  first HTTP failures: ${warmHttp.failureSamples.join(' | ')}`);

    const roundResults: DatabaseResult['rounds'] = [];
    let serverCpu = 0;
    let clientCpu = 0;
    let rawCpu = 0;
    const names = Object.keys(sides) as (keyof typeof sides)[];
    for (let round = 1; round <= rounds; round++) {
      // Alternate who goes first, so that drift on the shared machine falls on every side.
      const order = round % 2 ? names : [...names].reverse();
      const result: Partial<DatabaseResult['rounds'][number]> = {};
      for (const side of order) {
        const cpuBefore = process.cpuUsage();
        const serverBefore = server.cpuSeconds();
        const r = await runClosedLoop(sides[side]!, side === 'http' ? httpQueue : rawQueue, { clients, seconds: roundSeconds });
        result[side] = r;
        const cpu = process.cpuUsage(cpuBefore);
        const benchCpuMs = (cpu.user + cpu.system) / 1000;
        if (side === 'http') {
          serverCpu += (server.cpuSeconds() - serverBefore) * 1000;
          clientCpu += benchCpuMs;
        } else if (side === 'raw') rawCpu += benchCpuMs;
        progress(
          `  round ${round} ${side}: ${r.perSecond.toFixed(1)}/s, pair p50 ${r.pair.p50.toFixed(0)} p99 ${r.pair.p99.toFixed(0)} ms, ${r.failures} failed${r.failures ? ` (${r.failureSamples[0]})` : ''}`,
        );
      }
      roundResults.push(result as DatabaseResult['rounds'][number]);
    }
    const merge = (pick: (x: DatabaseResult['rounds'][number]) => RunResult): RunResult => mergeRuns(roundResults.map(pick));
    const httpAll = merge((x) => x.http);
    const rows = http.workload.governments.flatMap((g) => g.answerSets.map((s) => s.rows.length));

    if (analysts > 0 && kind === 'postgres') {
      await timed('postgres with analysts', async () => {
        for (let round = 1; round <= analystRounds; round++) {
          for (const setting of round % 2 ? serverSettings : [...serverSettings].reverse()) {
            // A server of its own per setting, on the same database, started as the deployment would be.
            const own = await startServer({ ...http.env, ...setting.env });
            const ownClient = new BenchClient(own.baseUrl, clients);
            try {
              analystCases.push(
                await runAnalystCase(own, httpSubmitter(ownClient, revisions), http.handle.db, httpQueue, {
                  analysts,
                  clients,
                  seconds: roundSeconds,
                  setting: setting.label,
                  rate: analystRate,
                }),
              );
            } finally {
              ownClient.close();
              await own.stop();
            }
          }
        }
      });
    }
    if (soakSeconds > 0 && kind === 'postgres') {
      soak = await timed('postgres soak and exports', () =>
        runSoak(client, submitHttp, http.handle.db, httpQueue, { kind, rate: soakRate, seconds: soakSeconds, exports: exportsAtOnce, k, seed: args.seed }),
      );
    }
    client.close();
    await server.stop();
    server = undefined;
    const profile = profileDir ? summarizeCpuProfiles(profileDir) : undefined;
    return {
      kind,
      governments,
      rounds: roundResults,
      http: httpAll,
      raw: merge((x) => x.raw),
      rawAll: merge((x) => x.rawAll),
      ...(tallies ? { rawNoTally: merge((x) => x.rawNoTally!) } : {}),
      tallies,
      serverCpuMs: serverCpu / Math.max(1, httpAll.submissions - httpAll.failures),
      clientCpuMs: clientCpu / Math.max(1, httpAll.submissions),
      rawCpuMs:
        rawCpu /
        Math.max(
          1,
          roundResults.reduce((sum, x) => sum + x.raw.submissions, 0),
        ),
      answerRows: { mean: rows.reduce((a, b) => a + b, 0) / rows.length, min: Math.min(...rows), max: Math.max(...rows) },
      ...(profile ? { profile } : {}),
    };
  } finally {
    await server?.stop();
    await http.close().catch(() => {});
    await raw.close().catch(() => {});
    if (kind === 'postgres') {
      await databases.drop(`fat_bench_${process.pid}_http`);
      await databases.drop(`fat_bench_${process.pid}_raw`);
    }
  }
}

/** One figure over several rounds: the rate from the summed time, percentiles over every sample. */
function mergeRuns(runs: RunResult[]): RunResult {
  return summarizeRun(
    runs.flatMap((r) => r.samples),
    runs.reduce((sum, r) => sum + r.seconds, 0),
  );
}
