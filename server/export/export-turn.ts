/**
 * A first-in, first-out turn for exports: one holds it, at most `maxWaiting` wait for it, and a
 * request past that is refused with a `conflict` rather than queued without end.
 */
import { ok, refuse, type Outcome, type Refusal } from '../errors.ts';

/** The turn of the exports of one process (export-bundle.ts holds the one instance). */
export class ExportTurn {
  private held = false;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly maxWaiting: number) {}

  /** When it is this caller's turn, the function that ends the turn; refused when too many wait already. */
  async take(): Promise<Outcome<() => void, Refusal<'conflict'>>> {
    if (this.held) {
      if (this.waiting.length >= this.maxWaiting) {
        return refuse('conflict', `An export is being written and ${this.waiting.length} more are waiting; try again when they have finished.`);
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.held = true;
    let released = false;
    return ok(() => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      // The turn passes straight to the next in line, so a newcomer cannot overtake it.
      if (next) next();
      else this.held = false;
    });
  }
}
