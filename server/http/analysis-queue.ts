/**
 * Respondents first: the Assessment Team's analytical requests (dashboards, comparisons, reports,
 * the tracker, free text, the analysis API, making and exporting releases and bundles) run at most
 * `concurrency` at a time; the others wait in line, at most `queue` of them and each at most
 * `waitMs`, then get 503 with Retry-After. Saves and submissions never wait here.
 *
 * A limit on how many run at once is not enough on a small machine: two analytical requests
 * always running keep the database's cores busy, and saves slow to half their rate. So while
 * respondents are active (a respondent's request within the last `activeMs`), each slot is also
 * held idle after a request for as long as it needs to keep the analysts' share of its time at
 * `share`: a request that took 400 ms at a share of 0.25 keeps its slot closed 1.2 s more. When
 * no respondent is active, a finished request hands its slot on at once.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { AppError } from '../errors.ts';

export interface AnalysisQueueOptions {
  /** Analytical requests running at once. */
  concurrency: number;
  /** Requests waiting at most; one more is refused at once. */
  queue: number;
  /** Longest wait in line before a 503. */
  waitMs: number;
  /** While respondents are active, the share of each slot's time analytical requests may take (1: no pause). */
  share?: number;
  /** How long after a respondent's last request respondents count as active. */
  activeMs?: number;
  /** The clock (tests pass their own). */
  now?: () => number;
}

/** Without `share` a finished request hands its slot on at once; the server sets it from ANALYSIS_SHARE (server/config.ts). */
export const DEFAULT_ANALYSIS_QUEUE: AnalysisQueueOptions = { concurrency: 2, queue: 100, waitMs: 30_000, share: 1, activeMs: 5_000 };

/** The longest a slot is held idle after one request, whatever it took. */
const MAX_PAUSE_MS = 10_000;

/** Requests of respondents: their links, the JSON API of the form, the form itself and open registration. */
const RESPONDENT = /^\/(r|api\/r|form|open)(\/|$)/;

/**
 * How long a slot stays idle after a request that took `busyMs`, so that requests take at most
 * `share` of its time: `busyMs × (1 − share) / share`, at most 10 s.
 *
 * @example pauseAfter(400, 0.25) // 1200
 */
export function pauseAfter(busyMs: number, share: number): number {
  if (share >= 1 || busyMs <= 0) return 0;
  return Math.min(MAX_PAUSE_MS, Math.round((busyMs * (1 - share)) / share));
}

/** The requests that read or compute figures over many responses. */
const ANALYTICAL: readonly [method: string, path: RegExp][] = [
  ['GET', /^\/admin\/(dashboard|comparisons|trends|report|tracker|free-text)(\/|\.csv$|$)/],
  ['GET', /^\/admin\/releases\/\d+\/report$/],
  ['POST', /^\/admin\/releases(\/\d+\/bundle)?$/],
  ['POST', /^\/admin\/export(\/working-data)?$/],
  ['GET', /^\/api\/surveys\/[^/]+\/(analysis|comparisons)$/],
  ['GET', /^\/api\/comparisons\//],
  ['GET', /^\/api\/trends$/],
];

export function isAnalytical(method: string, path: string): boolean {
  return ANALYTICAL.some(([m, pattern]) => m === method && pattern.test(path));
}

const BUSY = 'The Assessment Team’s figures are busy with other requests; please try again in a moment. (Respondents’ answers come first.)';

/** The queue as middleware; a request without a signed-in member passes (its route refuses it at once). */
export function analysisQueue(options: AnalysisQueueOptions = DEFAULT_ANALYSIS_QUEUE): MiddlewareHandler<AppEnv> {
  const now = options.now ?? Date.now;
  const share = options.share ?? 1;
  const activeMs = options.activeMs ?? DEFAULT_ANALYSIS_QUEUE.activeMs!;
  let lastRespondentAt = Number.NEGATIVE_INFINITY;
  let running = 0;
  const waiting: (() => void)[] = [];
  const handOn = () => {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  };
  const release = (startedAt: number) => {
    const respondentsActive = now() - lastRespondentAt < activeMs;
    const pause = respondentsActive ? pauseAfter(now() - startedAt, share) : 0;
    if (pause > 0) setTimeout(handOn, pause);
    else handOn();
  };
  return async function analysisQueueMiddleware(c, next) {
    if (RESPONDENT.test(c.req.path)) lastRespondentAt = now();
    if (!c.get('user') || !isAnalytical(c.req.method, c.req.path)) return next();
    if (running >= options.concurrency) {
      if (waiting.length >= options.queue) throw new AppError('unavailable', BUSY);
      await new Promise<void>((resolve, reject) => {
        const turn = () => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          const at = waiting.indexOf(turn);
          if (at >= 0) waiting.splice(at, 1);
          reject(new AppError('unavailable', BUSY));
        }, options.waitMs);
        waiting.push(turn);
      });
      // The slot of the request that finished passed to this one: `running` is unchanged.
    } else running += 1;
    const startedAt = now();
    try {
      await next();
    } finally {
      release(startedAt);
    }
  };
}
