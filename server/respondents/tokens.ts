/**
 * Invitation tokens: random secrets put in links. Only their SHA-256 is stored, so a copy of the
 * database does not give anyone a working link.
 */
import { createHash, randomBytes } from 'node:crypto';

/** Random bytes per token: 32 bytes = 256 bits, well above the 128 bits a link needs. */
export const TOKEN_BYTES = 32;

/**
 * A new token and the hash to store.
 *
 * @returns `token`: 43 URL-safe characters (base64url of 32 random bytes, no padding), to put in
 *   the link and never store; `hash`: its SHA-256 in lower-case hex (64 characters).
 * @example
 *   const { token, hash } = newInvitationToken();
 *   await insertInvitation(trx, respondentId, hash);
 *   const link = `${publicUrl}/r/${token}`;
 */
export function newInvitationToken(): { token: string; hash: string } {
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  return { token, hash: hashToken(token) };
}

/**
 * SHA-256 of a token in lower-case hex: the value stored in `invitation.token_hash` and looked up
 * when a link is opened. A plain hash suffices (no salt, no slow hash) because tokens are random
 * with 256 bits of entropy, so there is nothing to guess from a dictionary.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
