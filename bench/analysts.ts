/**
 * Respondents first, measured: the submission rate and latency of the closed loop alone, then with
 * `analysts` members loading the heaviest analytical pages in a loop at the same time (the live
 * dashboard with responses in progress, comparisons by region, the live report, the tracker, free
 * text), each analyst one request after another, through their own connections.
 */
import type { Kysely } from 'kysely';
import { createUserSession } from '../server/accounts/user-sessions.queries.ts';
import { insertUser } from '../server/accounts/users.queries.ts';
import type { Database } from '../server/db/schema.ts';
import { USER_COOKIE } from '../server/http/require-user.ts';
import { progress } from './measure.ts';
import { BenchClient } from './server-process.ts';
import { runClosedLoop, type RunResult, type SubmitOne } from './submission-runs.ts';
import { GovernmentQueue, SURVEY_ID, summarizeLatencies, type LatencySummary } from './submission-workload.ts';

export interface AnalystCaseResult {
  analysts: number;
  alone: RunResult;
  loaded: RunResult;
  /** Analytical requests answered during the loaded run, by status, and their latency. */
  pages: { requests: number; statuses: Record<string, number>; ms: LatencySummary };
}

const PAGES = [
  `/admin/dashboard?survey=${SURVEY_ID}&status=all`,
  `/admin/comparisons?survey=${SURVEY_ID}&by=region`,
  `/admin/report?survey=${SURVEY_ID}`,
  `/admin/tracker?survey=${SURVEY_ID}`,
  `/admin/free-text?survey=${SURVEY_ID}`,
];

export async function runAnalystCase(
  baseUrl: string,
  submitOne: SubmitOne,
  db: Kysely<Database>,
  queue: GovernmentQueue,
  options: { analysts: number; clients: number; seconds: number },
): Promise<AnalystCaseResult> {
  progress(`respondents first: ${options.seconds} s of submissions alone, then ${options.seconds} s with ${options.analysts} analysts loading pages`);
  const alone = await runClosedLoop(submitOne, queue, { clients: options.clients, seconds: options.seconds });
  progress(`  alone: ${alone.perSecond.toFixed(1)}/s, pair p50 ${alone.pair.p50.toFixed(0)} p95 ${alone.pair.p95.toFixed(0)} ms`);

  const cookies: string[] = [];
  for (let i = 0; i < options.analysts; i++) {
    const userId = await insertUser(db, { email: `bench-analyst-${process.pid}-${i}@example.org`, role: 'analyst' });
    cookies.push(`${USER_COOKIE}=${(await createUserSession(db, userId, new Date())).cookieValue}`);
  }
  const client = new BenchClient(baseUrl, options.analysts);
  const statuses: Record<string, number> = {};
  const latencies: number[] = [];
  let stopping = false;
  const analyst = async (cookie: string, index: number) => {
    for (let i = index; !stopping; i++) {
      const answer = await client.request('GET', PAGES[i % PAGES.length]!, { cookie });
      if (stopping) break;
      statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
      latencies.push(answer.ms);
      if (answer.status === 503) await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  };
  const load = cookies.map((cookie, i) => analyst(cookie, i));
  // Let every analyst have a request in flight before the submissions are timed.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const loaded = await runClosedLoop(submitOne, queue, { clients: options.clients, seconds: options.seconds });
  stopping = true;
  await Promise.all(load);
  client.close();
  const pages = { requests: latencies.length, statuses, ms: summarizeLatencies(latencies) };
  progress(`  with ${options.analysts} analysts: ${loaded.perSecond.toFixed(1)}/s (${((100 * loaded.perSecond) / alone.perSecond).toFixed(0)}%), pair p50 ${loaded.pair.p50.toFixed(0)} p95 ${loaded.pair.p95.toFixed(0)} ms; pages ${JSON.stringify(statuses)}`);
  return { analysts: options.analysts, alone, loaded, pages };
}
