/**
 * A transaction whose work answers with an `Outcome` (errors.ts): committed when the outcome is a
 * value, rolled back when it is a refusal, so that nothing the refused work wrote stays (as when
 * the refusal was thrown); rolled back and thrown on as before on a fault.
 *
 * @example
 *   const outcome = await transactionOutcome(db.transaction(), async (trx) => (await lockRow(trx, id)) ? ok(await change(trx)) : refuse('not_found', `No row ${id}.`));
 */
import type { Transaction, TransactionBuilder } from 'kysely';
import type { Outcome, Refusal } from '../errors.ts';
import type { Database } from './schema.ts';

/** Carries a refusal out of Kysely's transaction, which rolls back on anything thrown; never leaves this module. */
class RolledBack<R extends Refusal> {
  constructor(readonly outcome: { ok: false; refusal: R }) {}
}

/** Runs `work` in the transaction `builder` begins (with its isolation level); commits only a value. */
export async function transactionOutcome<T, R extends Refusal>(
  builder: TransactionBuilder<Database>,
  work: (trx: Transaction<Database>) => Promise<Outcome<T, R>>,
): Promise<Outcome<T, R>> {
  try {
    return await builder.execute(async (trx) => {
      const outcome = await work(trx);
      if (!outcome.ok) throw new RolledBack(outcome);
      return outcome;
    });
  } catch (error) {
    if (error instanceof RolledBack) return (error as RolledBack<R>).outcome;
    throw error;
  }
}
