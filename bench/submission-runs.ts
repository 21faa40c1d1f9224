/**
 * Driving submissions: one submission through the HTTP API (PUT the answers, POST submit), and
 * the two ways of running many: closed loop (N clients, each starting its next submission when
 * the previous one ends: measures throughput) and open loop (submissions started on a fixed
 * schedule whatever the server's speed: measures whether a rate is sustained, latency counted
 * from the scheduled start so that a stall is not hidden).
 */
import { rawSubmission, type RawDriver, type RawVariant } from './raw-insert.ts';
import type { BenchClient } from './server-process.ts';
import { type GovernmentQueue, SURVEY_ID, summarizeLatencies, type LatencySummary, type Workload } from './submission-workload.ts';

export interface SubmissionSample {
  ok: boolean;
  /** The failing step and its status (0 = network error) with the start of the body. */
  failure?: string;
  pairMs: number;
  putMs?: number;
  submitMs?: number;
  /** Open loop: from the scheduled start to the end (includes waiting for a free government). */
  scheduledMs?: number;
  amendment: boolean;
}

/** One submission; `deadline` (a `performance.now()` time) bounds the wait for a free government. */
export type SubmitOne = (queue: GovernmentQueue, deadline?: number) => Promise<SubmissionSample>;

const NOT_STARTED: SubmissionSample = {
  ok: false,
  failure: 'not-started: no government came free before the end of the soak (the server fell behind)',
  pairMs: 0,
  amendment: true,
};

/** A submission through the API, as an integration would do it; revisions are tracked per government. */
export function httpSubmitter(client: BenchClient, revisions = new Map<number, number>()): SubmitOne {
  return async (queue, deadline) => {
    const turn = await queue.take(deadline);
    if (!turn) return { ...NOT_STARTED };
    const { government, answerSet } = turn;
    const started = performance.now();
    try {
      const base = revisions.get(turn.index) ?? 0;
      const from = turn.index;
      const put = await client.request('PUT', `/api/r/${government.token}/answers`, {
        json: { answers: answerSet.answers, revision: base, language: government.language },
        from,
      });
      if (put.status !== 200)
        return {
          ok: false,
          failure: `PUT ${put.status} ${put.body.toString().slice(0, 200)}`,
          pairMs: performance.now() - started,
          putMs: put.ms,
          amendment: turn.use > 0,
        };
      const revision = (JSON.parse(put.body.toString()) as { revision: number }).revision;
      revisions.set(turn.index, revision);
      const submit = await client.request('POST', `/api/r/${government.token}/submit`, { json: { revision }, from });
      const pairMs = performance.now() - started;
      if (submit.status !== 200)
        return {
          ok: false,
          failure: `submit ${submit.status} ${submit.body.toString().slice(0, 200)}`,
          pairMs,
          putMs: put.ms,
          submitMs: submit.ms,
          amendment: turn.use > 0,
        };
      return { ok: true, pairMs, putMs: put.ms, submitMs: submit.ms, amendment: turn.use > 0 };
    } finally {
      queue.give(turn.index);
    }
  };
}

/** The same rows written with the bare driver (see raw-insert.ts). */
export function rawSubmitter(driver: RawDriver, variant: RawVariant, workload: Workload, tallies: boolean): SubmitOne {
  return async (queue, deadline) => {
    const turn = await queue.take(deadline);
    if (!turn) return { ...NOT_STARTED };
    const started = performance.now();
    try {
      await rawSubmission(driver, variant, turn.government, turn.answerSet, { id: SURVEY_ID, versionId: workload.surveyVersionId }, new Date(), tallies);
      return { ok: true, pairMs: performance.now() - started, amendment: turn.use > 0 };
    } catch (error) {
      return {
        ok: false,
        failure: error instanceof Error ? error.message.slice(0, 200) : String(error),
        pairMs: performance.now() - started,
        amendment: turn.use > 0,
      };
    } finally {
      queue.give(turn.index);
    }
  };
}

export interface RunResult {
  submissions: number;
  failures: number;
  /** The first few failures, with their status. */
  failureSamples: string[];
  /** Failures counted by their step and status, e.g. "PUT 409". */
  failureCounts: Record<string, number>;
  seconds: number;
  perSecond: number;
  pair: LatencySummary;
  put?: LatencySummary;
  submit?: LatencySummary;
  scheduled?: LatencySummary;
  amendments: number;
  /** Every sample, for pooling rounds (not printed). */
  samples: SubmissionSample[];
}

export function summarizeRun(samples: SubmissionSample[], seconds: number): RunResult {
  const failed = samples.filter((s) => !s.ok);
  const failureCounts: Record<string, number> = {};
  for (const s of failed) {
    const key = s.failure!.split(' ').slice(0, 2).join(' ');
    failureCounts[key] = (failureCounts[key] ?? 0) + 1;
  }
  const ok = samples.filter((s) => s.ok);
  const defined = (values: (number | undefined)[]) => values.filter((v): v is number => v !== undefined);
  const put = defined(ok.map((s) => s.putMs));
  const submit = defined(ok.map((s) => s.submitMs));
  const scheduled = defined(samples.map((s) => s.scheduledMs));
  return {
    submissions: samples.length,
    failures: failed.length,
    failureSamples: failed.slice(0, 5).map((s) => s.failure!),
    failureCounts,
    seconds,
    perSecond: ok.length / seconds,
    pair: summarizeLatencies(ok.map((s) => s.pairMs)),
    ...(put.length ? { put: summarizeLatencies(put) } : {}),
    ...(submit.length ? { submit: summarizeLatencies(submit) } : {}),
    ...(scheduled.length ? { scheduled: summarizeLatencies(scheduled) } : {}),
    amendments: samples.filter((s) => s.amendment).length,
    samples,
  };
}

/**
 * `clients` concurrent clients, each starting its next submission when the previous one ends,
 * until `count` have started or `seconds` have passed (whichever comes first).
 */
export async function runClosedLoop(
  submitOne: SubmitOne,
  queue: GovernmentQueue,
  options: { clients: number; count?: number; seconds?: number },
): Promise<RunResult> {
  const samples: SubmissionSample[] = [];
  let started = 0;
  const begun = performance.now();
  const deadline = begun + (options.seconds ?? Infinity) * 1000;
  const count = options.count ?? Infinity;
  await Promise.all(
    Array.from({ length: options.clients }, async () => {
      while (started < count && performance.now() < deadline) {
        started++;
        samples.push(await submitOne(queue));
      }
    }),
  );
  return summarizeRun(samples, (performance.now() - begun) / 1000);
}

/**
 * Starts a submission every `1000 / rate` ms for `seconds`, on a schedule kept from the start
 * (a late timer does not shift the ones after it). Those that find no free government within
 * `graceSeconds` after the end fail as not started. `onProgress` reports every 10 s.
 */
export async function runOpenLoop(
  submitOne: SubmitOne,
  queue: GovernmentQueue,
  options: { rate: number; seconds: number; graceSeconds: number; onProgress?: (done: number, total: number, failures: number) => void },
): Promise<RunResult & { lateStarts: number }> {
  const total = Math.round(options.rate * options.seconds);
  const interval = 1000 / options.rate;
  const samples: SubmissionSample[] = [];
  const running: Promise<void>[] = [];
  let failures = 0;
  let lateStarts = 0;
  const begun = performance.now();
  // A submission still waiting for a free government this long after the last one was due fails.
  const deadline = begun + (options.seconds + options.graceSeconds) * 1000;
  let reported = 0;
  for (let i = 0; i < total; i++) {
    const due = begun + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    else if (wait < -interval) lateStarts++;
    running.push(
      submitOne(queue, deadline).then((sample) => {
        sample.scheduledMs = performance.now() - due;
        if (!sample.ok) failures++;
        samples.push(sample);
      }),
    );
    const second = Math.floor((performance.now() - begun) / 10_000);
    if (second > reported) {
      reported = second;
      options.onProgress?.(samples.length, total, failures);
    }
  }
  await Promise.all(running);
  return { ...summarizeRun(samples, (performance.now() - begun) / 1000), lateStarts };
}
