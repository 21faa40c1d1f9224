/**
 * Assessment Team accounts: the first admin, new accounts, password links, login.
 * Every change is written to the audit log in the same transaction.
 */
import type { Kysely } from 'kysely';
import { insertAuditEntry } from '../audit/audit.queries.ts';
import type { Database, UserRole } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { createAccountLink, findAccountLink, useAccountLink, voidAccountLinks } from './account-links.queries.ts';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.ts';
import { deleteSessionsOfUser } from './user-sessions.queries.ts';
import { countActiveAdminsForUpdate, countUsers, findUserForLogin, getUser, insertUser, lockAccountCreation, setPasswordHash, setUserDisabled, setUserRole, type User } from './users.queries.ts';

export const USER_ROLES = ['admin', 'analyst', 'observer'] as const satisfies readonly UserRole[];
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/** While no account exists, a one-time link (valid 24 hours) to create the first admin. */
export async function firstAdminLink(db: Kysely<Database>, now: Date): Promise<string | undefined> {
  if ((await countUsers(db)) > 0) return undefined;
  return createAccountLink(db, 'first_admin', null, now, 24);
}

/** What a one-time link is for, or undefined if it is unknown, used or expired. */
export async function describeAccountLink(db: Kysely<Database>, token: string, now: Date): Promise<{ purpose: 'first_admin' | 'set_password'; email?: string } | undefined> {
  const link = await findAccountLink(db, token, now);
  if (!link) return undefined;
  if (link.purpose === 'first_admin') return (await countUsers(db)) === 0 ? { purpose: 'first_admin' } : undefined;
  const user = link.user_id === null ? undefined : await getUser(db, link.user_id);
  // A disabled account's link sets nothing.
  return user && !user.disabled ? { purpose: 'set_password', email: user.email } : undefined;
}

/**
 * Uses a one-time link: creates the first admin (with the e-mail given) or sets the password of
 * the account the link was made for. Throws `validation` for a weak password or bad e-mail,
 * `invalid_link` for a used or expired link.
 */
export async function completeAccountLink(db: Kysely<Database>, token: string, input: { email?: string; password: string }, now: Date): Promise<User> {
  return db.transaction().execute(async (trx) => {
    const link = await findAccountLink(trx, token, now);
    if (!link || !(await useAccountLink(trx, link.token_hash, now))) throw new AppError('invalid_link', 'This link was already used or has expired.');
    if (link.purpose === 'first_admin') {
      const email = (input.email ?? '').trim().toLowerCase();
      if (!EMAIL.test(email)) throw new AppError('validation', 'Please enter a valid e-mail address.', { field: 'email' });
      const problem = passwordProblem(input.password, email);
      if (problem) throw new AppError('validation', problem, { field: 'password' });
      await lockAccountCreation(trx);
      if ((await countUsers(trx)) > 0) throw new AppError('invalid_link', 'An administrator already exists; ask them for an account.');
      const id = await insertUser(trx, { email, role: 'admin', passwordHash: await hashPassword(input.password) });
      await insertAuditEntry(trx, { actor: email, action: 'user.create_first_admin', subject: `user:${id}`, details: { email } });
      return (await getUser(trx, id))!;
    }
    const user = link.user_id === null ? undefined : await getUser(trx, link.user_id);
    if (!user) throw new AppError('invalid_link', 'This account no longer exists.');
    if (user.disabled) throw new AppError('invalid_link', 'This account is disabled; ask an administrator.');
    // The link used voids any other still open for the account.
    await voidAccountLinks(trx, user.id, now);
    const problem = passwordProblem(input.password, user.email);
    if (problem) throw new AppError('validation', problem, { field: 'password' });
    await setPasswordHash(trx, user.id, await hashPassword(input.password));
    // A new password ends every session of the account (a reset after a leak must lock the intruder out).
    await deleteSessionsOfUser(trx, user.id);
    await insertAuditEntry(trx, { actor: user.email, action: 'user.set_password', subject: `user:${user.id}`, details: {} });
    return { ...user, hasPassword: true };
  });
}

// A hash of a random password, verified for unknown e-mails so that timing does not tell them apart.
const decoy = hashPassword(Math.random().toString(36));

/** Checks e-mail and password; the same error for an unknown account and a wrong password. */
export async function authenticate(db: Kysely<Database>, email: string, password: string, now: Date): Promise<User> {
  const row = await findUserForLogin(db, email);
  // An account still waiting for its password takes as long as an unknown one: timing must not tell which exist.
  const ok = row?.password_hash ? await verifyPassword(password, row.password_hash) : (await verifyPassword(password, await decoy), false);
  if (!row || !ok || row.disabled_at) {
    // What was typed is recorded only if it is an e-mail address: a password typed into the e-mail field must not be kept.
    const typed = email.trim().toLowerCase().slice(0, 200);
    await insertAuditEntry(db, { actor: EMAIL.test(typed) ? typed : '(not an e-mail address)', action: 'login.failed', subject: null, details: { at: now.toISOString() } });
    throw new AppError('unauthorized', 'The e-mail or password is not right.');
  }
  await insertAuditEntry(db, { actor: row.email, action: 'login', subject: `user:${row.id}`, details: {} });
  return (await getUser(db, row.id))!;
}

/** Creates an account and a one-time link (valid 72 hours) for its owner to set a password. */
export async function addUser(db: Kysely<Database>, input: { email: string; role: UserRole; actor: string }, now: Date): Promise<{ user: User; token: string }> {
  const email = input.email.trim().toLowerCase();
  if (!EMAIL.test(email)) throw new AppError('validation', `'${input.email}' is not an e-mail address.`, { field: 'email' });
  if (!(USER_ROLES as readonly string[]).includes(input.role)) throw new AppError('validation', `The role must be one of ${USER_ROLES.join(', ')}.`, { field: 'role' });
  return db.transaction().execute(async (trx) => {
    if (await findUserForLogin(trx, email)) throw new AppError('conflict', `An account for ${email} already exists.`);
    const id = await insertUser(trx, { email, role: input.role });
    const token = await createAccountLink(trx, 'set_password', id, now, 72);
    await insertAuditEntry(trx, { actor: input.actor, action: 'user.create', subject: `user:${id}`, details: { email, role: input.role } });
    return { user: (await getUser(trx, id))!, token };
  });
}

/** A new "set your password" link for an account (a forgotten password, or an expired link). */
export async function resetPasswordLink(db: Kysely<Database>, userId: number, actor: string, now: Date): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const user = await getUser(trx, userId);
    if (!user) throw new AppError('not_found', 'There is no such account.');
    if (user.disabled) throw new AppError('conflict', `The account ${user.email} is disabled: enable it before sending it a link.`);
    const token = await createAccountLink(trx, 'set_password', userId, now, 72);
    await insertAuditEntry(trx, { actor, action: 'user.password_link', subject: `user:${userId}`, details: { email: user.email } });
    return token;
  });
}

/** Changes a role or disables an account; the last active admin cannot lose either. */
export async function updateUser(db: Kysely<Database>, userId: number, change: { role?: UserRole; disabled?: boolean }, actor: string, now: Date): Promise<User> {
  return db.transaction().execute(async (trx) => {
    const user = await getUser(trx, userId);
    if (!user) throw new AppError('not_found', 'There is no such account.');
    const losesAdmin = user.role === 'admin' && !user.disabled && ((change.role !== undefined && change.role !== 'admin') || change.disabled === true);
    if (losesAdmin && (await countActiveAdminsForUpdate(trx)) <= 1) throw new AppError('conflict', 'This is the last active administrator; make another administrator first.');
    if (change.role !== undefined && change.role !== user.role) await setUserRole(trx, userId, change.role);
    if (change.disabled !== undefined && change.disabled !== user.disabled) await setUserDisabled(trx, userId, change.disabled ? now : null);
    // A disabled account keeps no working link.
    if (change.disabled === true) await voidAccountLinks(trx, userId, now);
    await insertAuditEntry(trx, { actor, action: 'user.update', subject: `user:${userId}`, details: { email: user.email, ...change } });
    return (await getUser(trx, userId))!;
  });
}
