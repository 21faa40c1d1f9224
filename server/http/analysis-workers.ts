/**
 * Respondents first, on the processor too: the analytical requests the queue lets through
 * (http/analysis-queue.ts) are answered by a small pool of worker threads (piscina), each running
 * the same app against its own small database pool (server/analysis-worker.ts). Building figures,
 * pages, charts and JSON then never holds the event loop that serves respondents' saves: the main
 * thread only passes the request on and writes the answer back. The queue bounds how many run at
 * once (one per thread) and keeps its 503 with Retry-After; the pool's own line is a safety net.
 *
 * Only with PostgreSQL: the embedded database (PGlite) cannot be opened by a second thread, so with
 * it the analytical requests stay on the main thread, as they are without this pool.
 */
import type { MiddlewareHandler } from 'hono';
import { Piscina } from 'piscina';
import type { AppEnv } from '../app-env.ts';
import { AppError } from '../errors.ts';
import { isAnalytical } from './analysis-queue.ts';

/** A request as plain data, to cross into a worker thread. */
export interface ForwardedRequest {
  method: string;
  url: string;
  headers: [string, string][];
  body: Uint8Array<ArrayBuffer> | null;
}

/** The worker's answer as plain data. */
export interface ForwardedResponse {
  status: number;
  headers: [string, string][];
  body: Uint8Array<ArrayBuffer>;
}

export interface AnalysisWorkerOptions {
  /** Worker threads, all started at once and kept: ANALYSIS_CONCURRENCY. */
  threads: number;
  /** Requests waiting for a thread at most, past which one is refused (the queue in front normally keeps this line empty). */
  queue: number;
  /** The module that answers a ForwardedRequest (its default export); server/analysis-worker.ts. */
  filename: URL;
  /** Given to every worker as `workerData` (the configuration). */
  workerData?: unknown;
  /** Added to the threads' nice value, so that the operating system runs the main thread first (Linux; 0 leaves it). */
  niceIncrement?: number;
  /** Told about a worker that failed outside a request (it is replaced). */
  onError?: (error: unknown) => void;
}

/** A bounded pool of threads answering analytical requests. */
export interface AnalysisWorkers {
  readonly threads: number;
  run(request: ForwardedRequest): Promise<ForwardedResponse>;
  close(): Promise<void>;
}

/** The workers run TypeScript through tsx, as `npm start` does, whatever the parent was started with. */
function workerExecArgv(): string[] {
  const argv = [...process.execArgv];
  const hasTsx = argv.some((arg, i) => arg === 'tsx' && (argv[i - 1] === '--import' || argv[i - 1] === '--loader')) || argv.includes('--import=tsx');
  return hasTsx ? argv : [...argv, '--import', 'tsx'];
}

/** Starts the pool; every thread is started at once, so the first analyst does not wait for one. */
export function startAnalysisWorkers(options: AnalysisWorkerOptions): AnalysisWorkers {
  const pool = new Piscina<ForwardedRequest, ForwardedResponse>({
    filename: options.filename.href,
    minThreads: options.threads,
    maxThreads: options.threads,
    // One request per thread at a time: a thread is the unit ANALYSIS_CONCURRENCY counts.
    concurrentTasksPerWorker: 1,
    maxQueue: options.queue,
    idleTimeout: Number.MAX_SAFE_INTEGER,
    niceIncrement: options.niceIncrement ?? 0,
    execArgv: workerExecArgv(),
    workerData: options.workerData,
  });
  // An unhandled 'error' event would end the process; piscina replaces the thread.
  pool.on('error', (error: unknown) => options.onError?.(error));
  return {
    threads: options.threads,
    run: (request) => pool.run(request),
    close: () => pool.close({ force: true }),
  };
}

/** Statuses whose answer has no body (a Response refuses one). */
const NULL_BODY = new Set([101, 204, 205, 304]);

/** The request as plain data: method, full URL, every header, the body (for the forms that make releases and exports). */
export async function forwardedRequest(request: Request): Promise<ForwardedRequest> {
  const body = request.method === 'GET' || request.method === 'HEAD' ? null : new Uint8Array(await request.arrayBuffer());
  return { method: request.method, url: request.url, headers: [...request.headers], body };
}

/** Answers a forwarded request with `fetch` (an app's), as plain data: the whole body read. */
export async function answerForwarded(fetch: (request: Request) => Response | Promise<Response>, forwarded: ForwardedRequest): Promise<ForwardedResponse> {
  const response = await fetch(
    new Request(forwarded.url, { method: forwarded.method, headers: forwarded.headers, ...(forwarded.body ? { body: forwarded.body } : {}) }),
  );
  // Several Set-Cookie headers stay several (the Headers iterator keeps them apart).
  return { status: response.status, headers: [...response.headers], body: new Uint8Array(await response.arrayBuffer()) };
}

/** The worker's answer as a Response of the main thread. */
export function responseFromForwarded(answer: ForwardedResponse): Response {
  const headers = new Headers();
  for (const [name, value] of answer.headers) headers.append(name, value);
  return new Response(NULL_BODY.has(answer.status) ? null : answer.body, { status: answer.status, headers });
}

const BUSY = 'The Assessment Team’s figures are busy with other requests; please try again in a moment. (Respondents’ answers come first.)';

/**
 * Hands every analytical request of a signed-in member to the workers and answers with what they
 * return; placed after the analysis queue, which decides when it may run.
 */
export function runInAnalysisWorker(workers: AnalysisWorkers): MiddlewareHandler<AppEnv> {
  return async function runInAnalysisWorkerMiddleware(c, next) {
    if (!c.get('user') || !isAnalytical(c.req.method, c.req.path)) return next();
    let answer: ForwardedResponse;
    try {
      answer = await workers.run(await forwardedRequest(c.req.raw));
    } catch (error) {
      // The pool's line is full (the queue in front should keep it empty) or a thread failed.
      if (error instanceof Error && /queue is at limit/i.test(error.message)) throw new AppError('unavailable', BUSY);
      throw error;
    }
    return responseFromForwarded(answer);
  };
}
