/**
 * Sessions of Assessment Team members. The cookie holds a random id; the table its SHA-256.
 * A session ends after SESSION_IDLE_MS without a request, and SESSION_ABSOLUTE_MS after login.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, UserRole } from '../db/schema.ts';

export const SESSION_IDLE_MS = 30 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

export interface UserSession {
  userId: number;
  email: string;
  role: UserRole;
  csrfToken: string;
}

/** A new session (a new id at every login); returns the cookie value, never stored. */
export async function createUserSession(db: Kysely<Database>, userId: number, now: Date): Promise<{ cookieValue: string }> {
  const cookieValue = randomBytes(32).toString('base64url');
  await db
    .insertInto('user_session')
    .values({ id_hash: sha256(cookieValue), user_id: userId, csrf_token: randomBytes(32).toString('base64url'), created_at: now, last_seen_at: now })
    .execute();
  return { cookieValue };
}

/** The live session a cookie names, extending its idle timeout; undefined if ended. */
export async function touchUserSession(db: Kysely<Database>, cookieValue: string, now: Date): Promise<UserSession | undefined> {
  const idHash = sha256(cookieValue);
  const row = await db
    .selectFrom('user_session')
    .innerJoin('app_user', 'app_user.id', 'user_session.user_id')
    .select([
      'user_session.user_id',
      'user_session.csrf_token',
      'user_session.created_at',
      'user_session.last_seen_at',
      'app_user.email',
      'app_user.role',
      'app_user.disabled_at',
    ])
    .where('user_session.id_hash', '=', idHash)
    .executeTakeFirst();
  if (!row) return undefined;
  const idle = now.getTime() - row.last_seen_at.getTime() > SESSION_IDLE_MS;
  const expired = now.getTime() - row.created_at.getTime() > SESSION_ABSOLUTE_MS;
  if (idle || expired || row.disabled_at) {
    await db.deleteFrom('user_session').where('id_hash', '=', idHash).execute();
    return undefined;
  }
  // Write the idle clock at most once a minute: reading pages should not mean a write each time.
  if (now.getTime() - row.last_seen_at.getTime() > 60_000) {
    await db.updateTable('user_session').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute();
  }
  return { userId: row.user_id, email: row.email, role: row.role, csrfToken: row.csrf_token };
}

export async function deleteUserSession(db: Kysely<Database>, cookieValue: string): Promise<void> {
  await db.deleteFrom('user_session').where('id_hash', '=', sha256(cookieValue)).execute();
}

export async function deleteSessionsOfUser(db: Kysely<Database>, userId: number): Promise<void> {
  await db.deleteFrom('user_session').where('user_id', '=', userId).execute();
}
