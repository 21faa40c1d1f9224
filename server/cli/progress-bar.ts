/**
 * A progress line for long commands, on standard error: redrawn in place ("\r") on a terminal,
 * a plain line every tenth of the way otherwise (logs, CI), so that a log is not flooded.
 */

export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export interface ProgressBar {
  update(done: number, total: number): void;
  /** Ends the line on a terminal; prints nothing more otherwise. */
  finish(): void;
}

const WIDTH = 30;
/** A terminal is redrawn at most this often (ms), except for the last update. */
const REDRAW_MS = 80;

/** `Generating responses [#####-----] 450/1000` */
export function progressLine(label: string, done: number, total: number, width = WIDTH): string {
  const filled = total > 0 ? Math.min(width, Math.floor((done / total) * width)) : width;
  return `${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}`;
}

/**
 * @example
 *   const bar = progressBar('Generating responses', process.stderr);
 *   bar.update(450, 1000);
 *   bar.finish();
 */
export function progressBar(label: string, stream: ProgressStream, now: () => number = Date.now): ProgressBar {
  let lastDraw = -Infinity;
  let lastTenth = -1;
  let drawn = false;
  return {
    update(done, total) {
      if (stream.isTTY) {
        if (done < total && now() - lastDraw < REDRAW_MS) return;
        lastDraw = now();
        drawn = true;
        stream.write(`\r${progressLine(label, done, total)}`);
        return;
      }
      const tenth = total > 0 ? Math.floor((done / total) * 10) : 10;
      if (tenth === lastTenth) return;
      lastTenth = tenth;
      stream.write(`${progressLine(label, done, total)}\n`);
    },
    finish() {
      if (stream.isTTY && drawn) stream.write('\n');
    },
  };
}
