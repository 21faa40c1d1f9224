/**
 * Assessment Team accounts: the first admin, new accounts, password links, login.
 * Every change is written to the audit log in the same transaction.
 */
import type { Kysely, Transaction } from 'kysely';
import { insertAuditEntry } from '../audit/audit.queries.ts';
import type { Database, UserRole } from '../db/schema.ts';
import { transactionOutcome } from '../db/outcome-transaction.ts';
import { AppError, ok, refuse, valueOr, type Outcome, type Refusal } from '../errors.ts';
import { createAccountLink, findAccountLink, useAccountLink, voidAccountLinks } from './account-links.queries.ts';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.ts';
import { deleteSessionsOfUser } from './user-sessions.queries.ts';
import {
  countActiveAdminsForUpdate,
  countUsers,
  findUserForLogin,
  getUser,
  insertUser,
  lockAccountCreation,
  setPasswordHash,
  setUserDisabled,
  setUserRole,
  type User,
} from './users.queries.ts';

export const USER_ROLES = ['admin', 'analyst', 'observer'] as const satisfies readonly UserRole[];
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/** While no account exists, a one-time link (valid 24 hours) to create the first admin. */
export async function firstAdminLink(db: Kysely<Database>, now: Date): Promise<string | undefined> {
  if ((await countUsers(db)) > 0) return undefined;
  return createAccountLink(db, 'first_admin', null, now, 24);
}

/** What a one-time link is for, or undefined if it is unknown, used or expired. */
export async function describeAccountLink(
  db: Kysely<Database>,
  token: string,
  now: Date,
): Promise<{ purpose: 'first_admin' | 'set_password'; email?: string } | undefined> {
  const link = await findAccountLink(db, token, now);
  if (!link) return undefined;
  if (link.purpose === 'first_admin') return (await countUsers(db)) === 0 ? { purpose: 'first_admin' } : undefined;
  const user = link.user_id === null ? undefined : await getUser(db, link.user_id);
  // A disabled account's link sets nothing.
  return user && !user.disabled ? { purpose: 'set_password', email: user.email } : undefined;
}

/** Why a one-time link set nothing: used, expired or void (`invalid_link`), or an e-mail or password it refuses (`validation`). */
export type AccountLinkRefusal = Refusal<'invalid_link'> | Refusal<'validation', { field: 'email' | 'password' }>;

/** A refused field of a form: `validation`, with the field named in the details. */
const invalidField = <Field extends string>(field: Field, message: string) => refuse('validation', message, { field });

/**
 * Uses a one-time link: creates the first admin (with the e-mail given) or sets the password of
 * the account the link was made for. A weak password or a bad e-mail is refused (`validation`)
 * and rolled back, so the link stays usable; a used or expired link is `invalid_link`.
 */
export async function redeemAccountLink(
  db: Kysely<Database>,
  token: string,
  input: { email?: string; password: string },
  now: Date,
): Promise<Outcome<User, AccountLinkRefusal>> {
  return transactionOutcome(db.transaction(), async (trx): Promise<Outcome<User, AccountLinkRefusal>> => {
    const link = await findAccountLink(trx, token, now);
    if (!link || !(await useAccountLink(trx, link.token_hash, now))) return refuse('invalid_link', 'This link was already used or has expired.');
    return link.purpose === 'first_admin' ? createFirstAdmin(trx, input) : setPassword(trx, link.user_id, input.password, now);
  });
}

/**
 * As `redeemAccountLink`, a refusal thrown as an `AppError`: `validation` for a weak password or
 * bad e-mail, `invalid_link` for a used or expired link.
 */
export async function completeAccountLink(db: Kysely<Database>, token: string, input: { email?: string; password: string }, now: Date): Promise<User> {
  return valueOr(await redeemAccountLink(db, token, input, now));
}

/** The first admin, with the e-mail given, in the transaction that used the link. */
async function createFirstAdmin(trx: Transaction<Database>, input: { email?: string; password: string }): Promise<Outcome<User, AccountLinkRefusal>> {
  const email = (input.email ?? '').trim().toLowerCase();
  if (!EMAIL.test(email)) return invalidField('email', 'Please enter a valid e-mail address.');
  const problem = passwordProblem(input.password, email);
  if (problem) return invalidField('password', problem);
  await lockAccountCreation(trx);
  if ((await countUsers(trx)) > 0) return refuse('invalid_link', 'An administrator already exists; ask them for an account.');
  const id = await insertUser(trx, { email, role: 'admin', passwordHash: await hashPassword(input.password) });
  await insertAuditEntry(trx, { actor: email, action: 'user.create_first_admin', subject: `user:${id}`, details: { email } });
  return ok((await getUser(trx, id))!);
}

/** A new password for the account a link was made for, in the transaction that used the link. */
async function setPassword(trx: Transaction<Database>, userId: number | null, password: string, now: Date): Promise<Outcome<User, AccountLinkRefusal>> {
  const user = userId === null ? undefined : await getUser(trx, userId);
  if (!user) return refuse('invalid_link', 'This account no longer exists.');
  if (user.disabled) return refuse('invalid_link', 'This account is disabled; ask an administrator.');
  // The link used voids any other still open for the account.
  await voidAccountLinks(trx, user.id, now);
  const problem = passwordProblem(password, user.email);
  if (problem) return invalidField('password', problem);
  await setPasswordHash(trx, user.id, await hashPassword(password));
  // A new password ends every session of the account (a reset after a leak must lock the intruder out).
  await deleteSessionsOfUser(trx, user.id);
  await insertAuditEntry(trx, { actor: user.email, action: 'user.set_password', subject: `user:${user.id}`, details: {} });
  return ok({ ...user, hasPassword: true });
}

// A hash of a random password, verified for unknown e-mails so that timing does not tell them apart.
const decoy = hashPassword(Math.random().toString(36));

/** Checks e-mail and password; the same refusal (`unauthorized`) for an unknown account, a wrong password and a disabled account. */
export async function checkSignIn(db: Kysely<Database>, email: string, password: string, now: Date): Promise<Outcome<User, Refusal<'unauthorized'>>> {
  const row = await findUserForLogin(db, email);
  // An account still waiting for its password is checked against the decoy, as an unknown one: timing must not tell which exist.
  const hash = row?.password_hash;
  const verified = await verifyPassword(password, hash || (await decoy));
  const matches = Boolean(hash) && verified;
  if (!row || !matches || row.disabled_at) {
    // What was typed is recorded only if it is an e-mail address: a password typed into the e-mail field must not be kept.
    const typed = email.trim().toLowerCase().slice(0, 200);
    await insertAuditEntry(db, {
      actor: EMAIL.test(typed) ? typed : '(not an e-mail address)',
      action: 'login.failed',
      subject: null,
      details: { at: now.toISOString() },
    });
    return refuse('unauthorized', 'The e-mail or password is not right.');
  }
  await insertAuditEntry(db, { actor: row.email, action: 'login', subject: `user:${row.id}`, details: {} });
  return ok((await getUser(db, row.id))!);
}

/** As `checkSignIn`, the refusal thrown as an `AppError` (`unauthorized`). */
export async function authenticate(db: Kysely<Database>, email: string, password: string, now: Date): Promise<User> {
  return valueOr(await checkSignIn(db, email, password, now));
}

/** Why an account was not created: a bad e-mail or role (`validation`), or an e-mail already taken (`conflict`). */
export type NewAccountRefusal = Refusal<'validation', { field: 'email' | 'role' }> | Refusal<'conflict'>;

function isUserRole(role: string): role is UserRole {
  return (USER_ROLES as readonly string[]).includes(role);
}

/** Creates an account and a one-time link (valid 72 hours) for its owner to set a password. */
export async function createAccount(
  db: Kysely<Database>,
  input: { email: string; role: string; actor: string },
  now: Date,
): Promise<Outcome<{ user: User; token: string }, NewAccountRefusal>> {
  const email = input.email.trim().toLowerCase();
  if (!EMAIL.test(email)) return invalidField('email', `'${input.email}' is not an e-mail address.`);
  const role = input.role;
  if (!isUserRole(role)) return invalidField('role', `The role must be one of ${USER_ROLES.join(', ')}.`);
  return transactionOutcome(db.transaction(), async (trx): Promise<Outcome<{ user: User; token: string }, NewAccountRefusal>> => {
    if (await findUserForLogin(trx, email)) return refuse('conflict', `An account for ${email} already exists.`);
    const id = await insertUser(trx, { email, role });
    const token = await createAccountLink(trx, 'set_password', id, now, 72);
    await insertAuditEntry(trx, { actor: input.actor, action: 'user.create', subject: `user:${id}`, details: { email, role } });
    return ok({ user: (await getUser(trx, id))!, token });
  });
}

/** As `createAccount`, a refusal thrown as an `AppError` (`validation` or `conflict`). */
export async function addUser(
  db: Kysely<Database>,
  input: { email: string; role: UserRole; actor: string },
  now: Date,
): Promise<{ user: User; token: string }> {
  return valueOr(await createAccount(db, input, now));
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
export async function updateUser(
  db: Kysely<Database>,
  userId: number,
  change: { role?: UserRole; disabled?: boolean },
  actor: string,
  now: Date,
): Promise<User> {
  return db.transaction().execute(async (trx) => {
    const user = await getUser(trx, userId);
    if (!user) throw new AppError('not_found', 'There is no such account.');
    const losesAdmin = user.role === 'admin' && !user.disabled && ((change.role !== undefined && change.role !== 'admin') || change.disabled === true);
    if (losesAdmin && (await countActiveAdminsForUpdate(trx)) <= 1)
      throw new AppError('conflict', 'This is the last active administrator; make another administrator first.');
    if (change.role !== undefined && change.role !== user.role) await setUserRole(trx, userId, change.role);
    if (change.disabled !== undefined && change.disabled !== user.disabled) await setUserDisabled(trx, userId, change.disabled ? now : null);
    // A disabled account keeps no working link.
    if (change.disabled === true) await voidAccountLinks(trx, userId, now);
    await insertAuditEntry(trx, { actor, action: 'user.update', subject: `user:${userId}`, details: { email: user.email, ...change } });
    return (await getUser(trx, userId))!;
  });
}
