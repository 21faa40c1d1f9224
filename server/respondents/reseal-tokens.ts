/**
 * Key rotation for sealed tokens: every sealed token not made with the current key is opened with
 * the key it names and sealed again with the current one, in one transaction.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { isSealedWithCurrentKey, openToken, sealToken, type TokenKeyring } from './sealed-tokens.ts';

export async function resealTokens(db: Kysely<Database>, keyring: TokenKeyring): Promise<{ resealed: number; unreadable: number }> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .selectFrom('invitation')
      .select(['id', 'token_hash', 'token_sealed'])
      .where('token_sealed', 'is not', null)
      .orderBy('id')
      .forUpdate()
      .execute();
    let resealed = 0;
    let unreadable = 0;
    for (const row of rows) {
      if (isSealedWithCurrentKey(keyring, row.token_sealed!)) continue;
      const token = openToken(keyring, row.token_sealed!, row.token_hash);
      if (token === undefined) {
        unreadable += 1;
        continue;
      }
      await trx
        .updateTable('invitation')
        .set({ token_sealed: sealToken(keyring, token, row.token_hash) })
        .where('id', '=', row.id)
        .execute();
      resealed += 1;
    }
    return { resealed, unreadable };
  });
}
