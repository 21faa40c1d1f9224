/**
 * Folds the running counts' deltas into `answer_tally` every few seconds while the server runs, so
 * that readers add up a short list of deltas. Readers are right whether or not a fold has run:
 * folding only keeps them fast.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { foldTallyDeltas } from '../db/answer-tally.queries.ts';

/** Starts folding every `intervalMs`; returns a function that stops and runs a last fold. */
export function startTallyFolding(db: Kysely<Database>, intervalMs: number, onError: (error: unknown) => void): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const fold = () => {
    running = running.then(() => db.transaction().execute(foldTallyDeltas)).catch(onError);
    return running;
  };
  void fold();
  const timer = setInterval(fold, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await fold();
  };
}
