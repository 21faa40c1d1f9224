/**
 * A transaction whose work ends in an `Outcome`: kept when the work succeeds, rolled back when it
 * is refused, so that a refused request leaves nothing behind (a response started for a first
 * save that turns out invalid, for one).
 */
import type { Kysely, Transaction } from 'kysely';
import type { Outcome, Refusal } from '../errors.ts';
import type { Database } from './schema.ts';

/** Thrown out of Kysely's transaction callback (which rolls back only when it throws), never further. */
const ROLL_BACK = Symbol('roll back');

/**
 * Runs `work` in one transaction: commits when it returns a value, rolls back and returns the
 * refusal when it refuses. A fault (an exception) rolls back and is thrown, as with any transaction.
 */
export async function transactionOutcome<T, R extends Refusal>(
  db: Kysely<Database>,
  work: (trx: Transaction<Database>) => Promise<Outcome<T, R>>,
): Promise<Outcome<T, R>> {
  let refused: { ok: false; refusal: R } | undefined;
  try {
    return await db.transaction().execute(async (trx) => {
      const outcome = await work(trx);
      if (outcome.ok) return outcome;
      refused = outcome;
      throw ROLL_BACK;
    });
  } catch (error) {
    // A failed rollback throws its own error, a fault like any other.
    if (error === ROLL_BACK && refused) return refused;
    throw error;
  }
}
