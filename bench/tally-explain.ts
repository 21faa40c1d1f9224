/**
 * Why an amendment is slow: on a fresh PostgreSQL database, runs the submission workload with the
 * raw driver (first submissions, then amendments), then times one amendment's statements one by
 * one and prints the plan of the tally upsert. A diagnostic for the submission benchmark.
 *
 *   node --import tsx bench/tally-explain.ts [amendments=400]
 */
import pg from 'pg';
import { openDatabase } from '../server/db/connect.ts';
import { BenchDatabases, DEFAULT_ADMIN_URL } from './bench-database.ts';
import { progress } from './measure.ts';
import { pgDriver, rawSubmission, type RawDriver } from './raw-insert.ts';
import { runClosedLoop, rawSubmitter } from './submission-runs.ts';
import { GovernmentQueue, prepareWorkload, SURVEY_ID } from './submission-workload.ts';

const amendments = Number(process.argv[2] ?? 400);
const databases = await BenchDatabases.connect(process.env.BENCH_DATABASE_URL || DEFAULT_ADMIN_URL);
try {
  const url = await databases.create(`fat_bench_${process.pid}_tally`);
  const handle = await openDatabase({ kind: 'postgres', url });
  const workload = await prepareWorkload(handle.db, { seed: 'bench', variants: 4 });
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const queue = new GovernmentQueue(workload.governments);
  const submit = rawSubmitter(pgDriver(pool), 'writes', workload, true);
  await runClosedLoop(submit, queue, { clients: 50, count: workload.governments.length + amendments });
  progress(`${workload.governments.length} first submissions and ${amendments} amendments written`);

  // One amendment alone, every statement timed (no concurrency: the cost of the work itself).
  const client = await pool.connect();
  const timings: [string, number][] = [];
  const timedDriver: RawDriver = {
    async query(text, params) {
      const t = performance.now();
      const rows = (await client.query(text, params)).rows;
      timings.push([text.trim().split(/\s+/).slice(0, 4).join(' '), performance.now() - t]);
      return rows;
    },
    async transaction(work) {
      await timedDriver.query('begin', []);
      const result = await work(timedDriver.query);
      await timedDriver.query('commit', []);
      return result;
    },
  };
  const turn = (await queue.take())!;
  await rawSubmission(timedDriver, 'writes', turn.government, turn.answerSet, { id: SURVEY_ID, versionId: workload.surveyVersionId }, new Date(), true);
  for (const [text, ms] of timings) process.stdout.write(`${ms.toFixed(1).padStart(8)} ms  ${text}\n`);
  const [{ n }] = (await client.query('select count(*)::int as n from answer_tally')).rows as [{ n: number }];
  const stats = (await client.query("select relname, n_live_tup, n_dead_tup from pg_stat_user_tables where relname in ('answer_tally', 'answer', 'response') order by relname")).rows;
  process.stdout.write(`answer_tally rows: ${n}; ${JSON.stringify(stats)}\n`);
  client.release();
  await pool.end();
  await handle.close();
} finally {
  await databases.close();
}
