/**
 * Respondents first: the Assessment Team's analytical requests (dashboards, comparisons, reports,
 * the tracker, free text, the analysis API, making and exporting releases and bundles) run at most
 * `concurrency` at a time; the others wait in line, at most `queue` of them and each at most
 * `waitMs`, then get 503 with Retry-After. Saves and submissions never wait here, so twenty
 * analysts loading pages cannot take the database from the governments answering.
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
}

export const DEFAULT_ANALYSIS_QUEUE: AnalysisQueueOptions = { concurrency: 2, queue: 100, waitMs: 30_000 };

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
  let running = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  };
  return async function analysisQueueMiddleware(c, next) {
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
    try {
      await next();
    } finally {
      release();
    }
  };
}
