/**
 * Small measuring helpers shared by the benchmark and its child processes: wall-clock timing of
 * repeated runs, median and minimum, and the memory figures a child reports.
 */
import { memoryUsage, resourceUsage } from 'node:process';

export interface Timings {
  /** Every timed run, in milliseconds, in the order run (warm-up runs not included). */
  runs: number[];
  /** Untimed warm-up runs before them. */
  warmup?: number;
  median: number;
  min: number;
}

export function summarize(runs: number[]): Timings {
  const sorted = [...runs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { runs, median, min: sorted[0]! };
}

/**
 * Runs `work` `warmup` times untimed, then timed up to `runs` times, stopping early once the
 * timed runs add up to `budgetMs` (at least one timed run): a slow size gets fewer runs rather
 * than an unbounded bench.
 */
export async function timeRuns(work: () => Promise<unknown>, options: { warmup: number; runs: number; budgetMs?: number; label?: string }): Promise<Timings> {
  for (let i = 0; i < options.warmup; i++) {
    const started = performance.now();
    await work();
    if (options.label) progress(`  ${options.label} warm-up: ${(performance.now() - started).toFixed(0)} ms`);
  }
  const runs: number[] = [];
  let total = 0;
  while (runs.length < options.runs && (runs.length === 0 || total < (options.budgetMs ?? Infinity))) {
    const started = performance.now();
    await work();
    runs.push(performance.now() - started);
    total += runs.at(-1)!;
    if (options.label) progress(`  ${options.label} run ${runs.length}/${options.runs}: ${runs.at(-1)!.toFixed(0)} ms`);
  }
  return { ...summarize(runs), warmup: options.warmup };
}

const MB = 1024 * 1024;

/** Peak resident set size of this process so far (the kernel's figure), in MB. */
export function peakRssMb(): number {
  // resourceUsage().maxRSS is in kilobytes.
  return resourceUsage().maxRSS / 1024;
}

export const rssMb = (): number => memoryUsage().rss / MB;
export const heapUsedMb = (): number => memoryUsage().heapUsed / MB;

/**
 * Samples the V8 heap every few milliseconds while work is awaited (a synchronous stretch is not
 * sampled inside, so the figure is a lower bound of the true heap peak).
 */
export function heapSampler(everyMs = 5): { stop(): number } {
  let peak = heapUsedMb();
  const timer = setInterval(() => {
    peak = Math.max(peak, heapUsedMb());
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, heapUsedMb());
    },
  };
}

const startedAt = Date.now();

/** A progress line on stderr, stamped with seconds since this process started. */
export function progress(message: string): void {
  process.stderr.write(`[bench ${((Date.now() - startedAt) / 1000).toFixed(1).padStart(6)} s] ${message}\n`);
}
