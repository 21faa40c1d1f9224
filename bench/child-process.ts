/**
 * The measuring children: each runs one kind of work against the bench database in a fresh Node
 * process, so that its peak memory (the kernel's maxRSS) belongs to that work alone and not to
 * the data generation of the parent. A child reports one JSON object over IPC (or prints it on
 * stdout when started by hand).
 *
 *   node --import tsx bench/analysis-child.ts <database-url> <survey-id> [warmup] [runs] [budget-ms]
 *   node --import tsx bench/baseline-child.ts <database-url> <survey-id> [warmup] [runs] [budget-ms]
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import type { Timings } from './measure.ts';

export interface ChildReport {
  /** What the child measured, e.g. "analysis" or "baseline". */
  work: string;
  timings: Timings;
  /** Peak resident set size of the whole child process (process.resourceUsage().maxRSS), MB. */
  peakRssMb: number;
  /** RSS after loading modules and connecting, before the first run: the floor of any Node process here. */
  idleRssMb: number;
  /** Heap in use after the runs, MB. */
  heapUsedAfterMb: number;
  /** Largest heap in use seen while sampling during the runs, MB (a lower bound). */
  heapPeakSampledMb: number;
  /** Anything else worth printing, e.g. the rows loaded. */
  details: Record<string, number | string>;
}

export type ChildOutcome = { ok: true; report: ChildReport } | { ok: false; error: string };

/** Sends the report to the parent, or prints it when run by hand. */
export function reportToParent(report: ChildReport): Promise<void> {
  if (!process.send) {
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return Promise.resolve();
  }
  return new Promise((resolve, reject) => process.send!(report, undefined, {}, (error) => (error ? reject(error) : resolve())));
}

/** Reads `<url> <survey> [warmup] [runs] [budget-ms]` from the command line of a child. */
export function childArgs(): { url: string; surveyId: string; warmup: number; runs: number; budgetMs: number } {
  const [url, surveyId, warmup = '1', runs = '5', budgetMs = 'Infinity'] = process.argv.slice(2);
  if (!url || !surveyId) {
    process.stderr.write('usage: node --import tsx bench/<child>.ts <database-url> <survey-id> [warmup] [runs] [budget-ms]\n');
    process.exit(2);
  }
  return { url, surveyId, warmup: Number(warmup), runs: Number(runs), budgetMs: Number(budgetMs) };
}

const live = new Set<import('node:child_process').ChildProcess>();

/** Kills the children still running (on failure or interruption of the parent). */
export function killChildren(): void {
  for (const child of live) child.kill('SIGKILL');
}

/**
 * Forks `node --import tsx bench/<file> <args>` and waits for its report. A child that dies
 * (e.g. out of memory) gives `{ ok: false }` with the end of its stderr, not an exception.
 */
export function runChild(file: string, args: string[], options: { execArgv?: string[] } = {}): Promise<ChildOutcome> {
  return new Promise((resolve) => {
    const child = fork(path.join(import.meta.dirname, file), args, {
      execArgv: ['--import', 'tsx', ...(options.execArgv ?? [])],
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    live.add(child);
    let report: ChildReport | undefined;
    let stderrTail = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      stderrTail = (stderrTail + chunk.toString()).slice(-2000);
    });
    child.on('message', (message) => {
      report = message as ChildReport;
    });
    child.on('error', (error) => {
      live.delete(child);
      resolve({ ok: false, error: error.message });
    });
    child.on('exit', (code, signal) => {
      live.delete(child);
      if (report && code === 0) resolve({ ok: true, report });
      else {
        const lastLines = stderrTail.trim().split('\n').slice(-3).join(' / ');
        resolve({ ok: false, error: `${file} exited with ${signal ?? `code ${code}`}${lastLines ? `: ${lastLines}` : ''}` });
      }
    });
  });
}
