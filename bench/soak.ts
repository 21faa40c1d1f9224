/**
 * The soak: submissions at a fixed rate through the running server (open loop), then several
 * anonymised exports requested at once by an analyst, which must wait their turn and all give
 * the same files.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { unzipSync } from 'fflate';
import { createUserSession, touchUserSession } from '../server/accounts/user-sessions.queries.ts';
import { insertUser } from '../server/accounts/users.queries.ts';
import type { Database } from '../server/db/schema.ts';
import { USER_COOKIE } from '../server/http/require-user.ts';
import { progress } from './measure.ts';
import type { SoakResult } from './submission-report.ts';
import { runOpenLoop, type SubmitOne } from './submission-runs.ts';
import type { BenchClient } from './server-process.ts';
import { type GovernmentQueue, SURVEY_ID, summarizeLatencies } from './submission-workload.ts';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export async function runSoak(
  client: BenchClient,
  submitOne: SubmitOne,
  db: Kysely<Database>,
  queue: GovernmentQueue,
  options: { kind: SoakResult['kind']; rate: number; seconds: number; exports: number; k: number; seed: string },
): Promise<SoakResult> {
  progress(`soak: ${options.rate} submissions/s for ${options.seconds} s (open loop)`);
  const run = await runOpenLoop(submitOne, queue, {
    rate: options.rate,
    seconds: options.seconds,
    graceSeconds: 30,
    onProgress: (done, total, failures) => progress(`  soak: ${done} / ${total} done, ${failures} failed`),
  });
  progress(
    `  soak: ${run.submissions - run.failures} / ${run.submissions} succeeded at ${run.perSecond.toFixed(1)}/s; p99 ${run.pair.p99.toFixed(0)} ms; failures ${JSON.stringify(run.failureCounts)}`,
  );

  // An analyst signs in as bench/run.ts does: a session row, its cookie and CSRF token.
  const userId = await insertUser(db, { email: `bench-soak-${process.pid}@example.org`, role: 'analyst' });
  const { cookieValue } = await createUserSession(db, userId, new Date());
  const session = await touchUserSession(db, cookieValue, new Date());
  if (!session) throw new Error('the analyst session was not found');
  const seed = createHash('sha256').update(`bench-export:${options.seed}`).digest('hex');
  const form = () =>
    new URLSearchParams({
      _csrf: session.csrfToken,
      survey: SURVEY_ID,
      k: String(options.k),
      reproducible: 'yes',
      seed,
      recipient: 'Benchmark',
      purpose: 'Measuring exports under load',
    });
  progress(`exports: ${options.exports} at once (k = ${options.k}, seed ${seed.slice(0, 8)}…)`);
  const started = performance.now();
  const answers = await Promise.all(
    Array.from({ length: options.exports }, () => client.request('POST', '/admin/export', { form: form(), cookie: `${USER_COOKIE}=${cookieValue}` })),
  );
  const seconds = (performance.now() - started) / 1000;

  const differences: string[] = [];
  const fileSets = answers.map((a, i) => {
    if (a.status !== 200) {
      differences.push(`export ${i + 1}: status ${a.status} ${a.body.toString().slice(0, 200)}`);
      return undefined;
    }
    const files = unzipSync(new Uint8Array(a.body));
    return Object.keys(files)
      .sort()
      .map((name) => ({ name, sha256: sha256(files[name]!) }));
  });
  const reference = fileSets.find((f) => f !== undefined) ?? [];
  const key = (set: { name: string; sha256: string }[]) => set.map((f) => `${f.name}=${f.sha256}`).join(',');
  fileSets.forEach((set, i) => {
    if (set && key(set) !== key(reference))
      differences.push(
        `export ${i + 1}: ${set
          .filter((f, j) => reference[j]?.sha256 !== f.sha256)
          .map((f) => f.name)
          .join(', ')} differ from export 1`,
      );
  });
  const manifestBytes = answers[0]?.status === 200 ? unzipSync(new Uint8Array(answers[0].body))['manifest.json'] : undefined;
  const rows = manifestBytes ? (JSON.parse(Buffer.from(manifestBytes).toString('utf8')) as { rows: { published: number } }).rows.published : null;
  const identical = differences.length === 0 && fileSets.every((f) => f !== undefined);
  progress(`  exports: statuses ${answers.map((a) => a.status).join(',')} in ${seconds.toFixed(1)} s; files identical: ${identical}`);
  return {
    kind: options.kind,
    rate: options.rate,
    seconds: options.seconds,
    run,
    exports: {
      count: options.exports,
      k: options.k,
      statuses: answers.map((a) => a.status),
      seconds,
      ms: summarizeLatencies(answers.map((a) => a.ms)),
      identical,
      zipIdentical: new Set(answers.map((a) => sha256(a.body))).size === 1,
      files: reference,
      rows,
      differences,
    },
  };
}
