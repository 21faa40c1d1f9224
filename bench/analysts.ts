/**
 * Respondents first, measured: the submission rate and latency of the closed loop alone, then with
 * `analysts` members loading the heaviest analytical pages in a loop at the same time (the live
 * dashboard with responses in progress, comparisons by region, the live report, the tracker, free
 * text), each analyst one request after another, through their own connections. Before that, what
 * each page costs the server's main thread (the event loop that also serves saves), page by page.
 */
import type { Kysely } from 'kysely';
import { createUserSession } from '../server/accounts/user-sessions.queries.ts';
import { insertUser } from '../server/accounts/users.queries.ts';
import type { Database } from '../server/db/schema.ts';
import { USER_COOKIE } from '../server/http/require-user.ts';
import { progress } from './measure.ts';
import { BenchClient, type HttpAnswer, type ServerProcess } from './server-process.ts';
import { runClosedLoop, runOpenLoop, type RunResult, type SubmitOne } from './submission-runs.ts';
import { type GovernmentQueue, SURVEY_ID, summarizeLatencies, type LatencySummary } from './submission-workload.ts';

/** What one page costs when asked alone, averaged over a few requests one after another. */
export interface PageCost {
  path: string;
  status: number;
  kb: number;
  ms: number;
  /** CPU of the whole server process (every thread) per request. */
  processCpuMs: number;
  /** CPU of the server's main thread per request. */
  mainThreadCpuMs: number;
}

export interface AnalystCaseResult {
  /** Submissions started at this fixed rate (pairs per second, open loop), or 0: a closed loop of the bench's clients. */
  rate: number;
  /** The server's own settings for this case (`ANALYSIS_WORKERS=true`, 'default' when the bench set none). */
  setting: string;
  analysts: number;
  alone: RunResult;
  loaded: RunResult;
  /** Analytical requests answered during the loaded run, by status, and their latency. */
  pages: { requests: number; statuses: Record<string, number>; ms: LatencySummary };
  costs: PageCost[];
}

const PAGES = [
  `/admin/dashboard?survey=${SURVEY_ID}&status=all`,
  `/admin/comparisons?survey=${SURVEY_ID}&by=region`,
  `/admin/report?survey=${SURVEY_ID}`,
  `/admin/tracker?survey=${SURVEY_ID}`,
  `/admin/free-text?survey=${SURVEY_ID}`,
];
/** Requests per page when measuring its cost (after one to warm up). */
const COST_REQUESTS = 3;

async function measurePageCosts(client: BenchClient, server: ServerProcess, cookie: string): Promise<PageCost[]> {
  const costs: PageCost[] = [];
  for (const path of PAGES) {
    await client.request('GET', path, { cookie });
    const process0 = server.cpuSeconds();
    const main0 = server.mainThreadCpuSeconds();
    let ms = 0;
    let last: HttpAnswer = { status: 0, body: Buffer.alloc(0), ms: 0 };
    for (let i = 0; i < COST_REQUESTS; i++) {
      const answer = await client.request('GET', path, { cookie });
      ms += answer.ms;
      last = answer;
    }
    const per = (seconds: number) => (seconds * 1000) / COST_REQUESTS;
    costs.push({
      path,
      status: last.status,
      kb: last.body.length / 1024,
      ms: ms / COST_REQUESTS,
      processCpuMs: per(server.cpuSeconds() - process0),
      mainThreadCpuMs: per(server.mainThreadCpuSeconds() - main0),
    });
  }
  return costs;
}

export async function runAnalystCase(
  server: ServerProcess,
  submitOne: SubmitOne,
  db: Kysely<Database>,
  queue: GovernmentQueue,
  options: { analysts: number; clients: number; seconds: number; setting: string; rate?: number },
): Promise<AnalystCaseResult> {
  const cookies: string[] = [];
  for (let i = 0; i < options.analysts; i++) {
    const userId = await insertUser(db, { email: `bench-analyst-${process.pid}-${Date.now()}-${i}@example.org`, role: 'analyst' });
    cookies.push(`${USER_COOKIE}=${(await createUserSession(db, userId, new Date())).cookieValue}`);
  }
  const client = new BenchClient(server.baseUrl, options.analysts);
  const costs = await measurePageCosts(client, server, cookies[0]!);
  progress(
    `  ${options.setting}: main-thread CPU ms per page ${costs.map((c) => `${c.path.split('?')[0]} ${c.mainThreadCpuMs.toFixed(0)}/${c.processCpuMs.toFixed(0)}`).join(', ')}`,
  );

  progress(
    `respondents first (${options.setting}): ${options.seconds} s of submissions alone, then ${options.seconds} s with ${options.analysts} analysts loading pages`,
  );
  // A closed loop measures how many saves the server can take; an open loop at a fixed rate, how long each waits at that pace.
  const submissions = () =>
    options.rate
      ? runOpenLoop(submitOne, queue, { rate: options.rate, seconds: options.seconds, graceSeconds: 30 })
      : runClosedLoop(submitOne, queue, { clients: options.clients, seconds: options.seconds });
  const alone = await submissions();
  progress(`  alone: ${alone.perSecond.toFixed(1)}/s, pair p50 ${alone.pair.p50.toFixed(0)} p95 ${alone.pair.p95.toFixed(0)} ms`);

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
  const loaded = await submissions();
  stopping = true;
  await Promise.all(load);
  client.close();
  const pages = { requests: latencies.length, statuses, ms: summarizeLatencies(latencies) };
  progress(
    `  with ${options.analysts} analysts: ${loaded.perSecond.toFixed(1)}/s (${((100 * loaded.perSecond) / alone.perSecond).toFixed(0)}%), pair p50 ${loaded.pair.p50.toFixed(0)} p95 ${loaded.pair.p95.toFixed(0)} ms; pages ${JSON.stringify(statuses)}`,
  );
  return { setting: options.setting, rate: options.rate ?? 0, analysts: options.analysts, alone, loaded, pages, costs };
}
