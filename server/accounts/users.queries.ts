/**
 * Assessment Team accounts.
 */
import { sql, type Transaction } from 'kysely';
import type { Db } from '../db/db.ts';
import type { Database, UserRole } from '../db/schema.ts';

export interface User {
  id: number;
  email: string;
  role: UserRole;
  hasPassword: boolean;
  disabled: boolean;
  createdAt: Date;
}

const toUser = (r: { id: number; email: string; role: UserRole; password_hash: string | null; disabled_at: Date | null; created_at: Date }): User => ({
  id: r.id,
  email: r.email,
  role: r.role,
  hasPassword: r.password_hash !== null,
  disabled: r.disabled_at !== null,
  createdAt: r.created_at,
});

/** Is there any account yet? (No account: `npm start` prints the first-admin link.) */
export async function countUsers(db: Db): Promise<number> {
  const row = await db
    .selectFrom('app_user')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertUser(db: Db, user: { email: string; role: UserRole; passwordHash?: string | null }): Promise<number> {
  const row = await db
    .insertInto('app_user')
    .values({ email: user.email.trim().toLowerCase(), role: user.role, password_hash: user.passwordHash ?? null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The account with this e-mail and its password hash (for login only). */
export async function findUserForLogin(db: Db, email: string) {
  return db
    .selectFrom('app_user')
    .select(['id', 'email', 'role', 'password_hash', 'disabled_at', 'created_at'])
    .where('email', '=', email.trim().toLowerCase())
    .executeTakeFirst();
}

export async function getUser(db: Db, id: number): Promise<User | undefined> {
  const row = await db
    .selectFrom('app_user')
    .select(['id', 'email', 'role', 'password_hash', 'disabled_at', 'created_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toUser(row);
}

export async function listUsers(db: Db): Promise<User[]> {
  const rows = await db.selectFrom('app_user').select(['id', 'email', 'role', 'password_hash', 'disabled_at', 'created_at']).orderBy('email').execute();
  return rows.map(toUser);
}

export async function setPasswordHash(db: Db, userId: number, passwordHash: string): Promise<void> {
  await db.updateTable('app_user').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
}

export async function setUserRole(db: Db, userId: number, role: UserRole): Promise<void> {
  await db.updateTable('app_user').set({ role }).where('id', '=', userId).execute();
}

export async function setUserDisabled(db: Db, userId: number, disabledAt: Date | null): Promise<void> {
  await db.updateTable('app_user').set({ disabled_at: disabledAt }).where('id', '=', userId).execute();
}

/**
 * How many active admins remain (the last one cannot be demoted or disabled), locking their rows
 * until the transaction ends: two admins demoting each other at once must not both see "two
 * admins" and leave none.
 */
export async function countActiveAdminsForUpdate(trx: Transaction<Database>): Promise<number> {
  const rows = await trx.selectFrom('app_user').select('id').where('role', '=', 'admin').where('disabled_at', 'is', null).forUpdate().execute();
  return rows.length;
}

/** Holds off other new accounts until the transaction ends, so that two first-admin links used at once make one admin. */
export async function lockAccountCreation(trx: Transaction<Database>): Promise<void> {
  await sql`lock table app_user in share row exclusive mode`.execute(trx);
}
