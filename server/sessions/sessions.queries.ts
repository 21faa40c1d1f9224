/**
 * Respondent sessions. The cookie holds a random id; the database holds only its hash.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export interface RespondentSession {
  respondentId: number;
  csrfToken: string;
}

/** Starts a session for a respondent; returns the cookie value (shown once, never stored). */
export async function createSession(db: Kysely<Database>, respondentId: number, now: Date, days: number): Promise<{ cookieValue: string; csrfToken: string }> {
  const cookieValue = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  await db
    .insertInto('session')
    .values({
      id_hash: sha256(cookieValue),
      respondent_id: respondentId,
      csrf_token: csrfToken,
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + days * 86_400_000),
    })
    .execute();
  return { cookieValue, csrfToken };
}

/** The live session a cookie names, or undefined if unknown or expired. */
export async function findSession(db: Kysely<Database>, cookieValue: string, now: Date): Promise<RespondentSession | undefined> {
  const row = await db
    .selectFrom('session')
    .select(['respondent_id', 'csrf_token'])
    .where('id_hash', '=', sha256(cookieValue))
    .where('expires_at', '>', now)
    .executeTakeFirst();
  if (!row || row.respondent_id === null) return undefined;
  return { respondentId: row.respondent_id, csrfToken: row.csrf_token };
}

/** Ends a session (e.g. when its link is revoked). */
export async function deleteSessionsOfRespondent(db: Kysely<Database>, respondentId: number): Promise<void> {
  await db.deleteFrom('session').where('respondent_id', '=', respondentId).execute();
}
