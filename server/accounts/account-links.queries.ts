/**
 * One-time links for accounts: the first admin's, and "set your password" for a new account.
 * Only a SHA-256 of the token is stored; a link works once and expires.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Db } from '../db/db.ts';
import type { Database } from '../db/schema.ts';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export type AccountLinkPurpose = 'first_admin' | 'set_password';

/**
 * Makes a one-time link. A new link for an account voids its earlier ones: only the latest link
 * sent to a person works.
 */
export async function createAccountLink(db: Db, purpose: AccountLinkPurpose, userId: number | null, now: Date, validHours: number): Promise<string> {
  if (userId !== null) await voidAccountLinks(db, userId, now);
  const token = randomBytes(32).toString('base64url');
  await db
    .insertInto('account_link')
    .values({ token_hash: sha256(token), purpose, user_id: userId, created_at: now, expires_at: new Date(now.getTime() + validHours * 3_600_000) })
    .execute();
  return token;
}

/** The unused, unexpired link a token names. */
export async function findAccountLink(db: Db, token: string, now: Date) {
  return db
    .selectFrom('account_link')
    .select(['token_hash', 'purpose', 'user_id'])
    .where('token_hash', '=', sha256(token))
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

/** Voids every unused link of an account (a newer link was made, one was used, or the account was disabled). */
export async function voidAccountLinks(db: Db, userId: number, now: Date): Promise<void> {
  await db.updateTable('account_link').set({ used_at: now }).where('user_id', '=', userId).where('used_at', 'is', null).execute();
}

/** Marks a link used; false if it was used meanwhile (two tabs), so it works exactly once. */
export async function useAccountLink(trx: Transaction<Database>, tokenHash: string, now: Date): Promise<boolean> {
  const result = await trx
    .updateTable('account_link')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
