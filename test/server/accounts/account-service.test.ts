/**
 * Assessment Team accounts through the service: the first admin's link, new accounts and their
 * password links, changes of role, and the audit log they leave (never holding a secret).
 */
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addUser,
  authenticate,
  completeAccountLink,
  describeAccountLink,
  firstAdminLink,
  resetPasswordLink,
  updateUser,
} from '../../../server/accounts/account-service.ts';
import { countUsers, getUser, insertUser, listUsers } from '../../../server/accounts/users.queries.ts';
import { AppError } from '../../../server/errors.ts';
import { createTestDatabase, TEST_DATABASE_KIND, type TestDatabase } from '../../support/database.ts';

const NOW = new Date('2026-03-02T09:00:00Z');
const PASSWORD = 'a quiet river at dawn';

/** The error code a rejected promise carries (undefined when it is not an AppError). */
async function errorCode(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return error instanceof AppError ? error.code : `not an AppError: ${String(error)}`;
  }
  throw new Error('expected the promise to be rejected');
}

describe(`account service (${TEST_DATABASE_KIND})`, () => {
  let handle: TestDatabase;
  beforeEach(async () => {
    handle = await createTestDatabase();
  });
  afterEach(() => handle.close());

  const audit = () => handle.db.selectFrom('audit_log').select(['actor', 'action', 'subject', 'details']).orderBy('id').execute();

  /** The first admin, made through the first-admin link. */
  async function firstAdmin(email = 'chair@gfmd.example') {
    const token = (await firstAdminLink(handle.db, NOW))!;
    return completeAccountLink(handle.db, token, { email, password: PASSWORD }, NOW);
  }

  describe('the first admin', () => {
    it('gets a link only while no account exists, and the link creates an admin who can sign in', async () => {
      const token = await firstAdminLink(handle.db, NOW);
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(await describeAccountLink(handle.db, token!, NOW)).toEqual({ purpose: 'first_admin' });

      const admin = await completeAccountLink(handle.db, token!, { email: ' Chair@GFMD.example ', password: PASSWORD }, NOW);
      expect(admin).toMatchObject({ email: 'chair@gfmd.example', role: 'admin', hasPassword: true, disabled: false });
      expect((await authenticate(handle.db, 'chair@gfmd.example', PASSWORD, NOW)).id).toBe(admin.id);

      expect(await firstAdminLink(handle.db, NOW)).toBeUndefined();
      expect(await describeAccountLink(handle.db, token!, NOW)).toBeUndefined();
      const [created] = (await audit()).filter((e) => e.action === 'user.create_first_admin');
      expect(created).toMatchObject({ actor: 'chair@gfmd.example', subject: `user:${admin.id}` });
    });

    it('gets no link once any account exists, whatever its role', async () => {
      await insertUser(handle.db, { email: 'analyst@gfmd.example', role: 'analyst' });
      expect(await firstAdminLink(handle.db, NOW)).toBeUndefined();
    });

    it('works once: a second use of the link is invalid_link and creates nothing', async () => {
      const token = (await firstAdminLink(handle.db, NOW))!;
      await completeAccountLink(handle.db, token, { email: 'chair@gfmd.example', password: PASSWORD }, NOW);
      expect(await errorCode(completeAccountLink(handle.db, token, { email: 'intruder@evil.example', password: PASSWORD }, NOW))).toBe('invalid_link');
      expect((await listUsers(handle.db)).map((u) => u.email)).toEqual(['chair@gfmd.example']);
    });

    it('works once when the link is used twice at the same time (two tabs)', async () => {
      const token = (await firstAdminLink(handle.db, NOW))!;
      const results = await Promise.allSettled([
        completeAccountLink(handle.db, token, { email: 'first@gfmd.example', password: PASSWORD }, NOW),
        completeAccountLink(handle.db, token, { email: 'second@gfmd.example', password: PASSWORD }, NOW),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
      expect(rejected.reason).toBeInstanceOf(AppError);
      expect((rejected.reason as AppError).code).toBe('invalid_link');
      expect(await countUsers(handle.db)).toBe(1);
    });

    it('is made once even when two first-admin links (two server starts) are used at the same time', async () => {
      const one = (await firstAdminLink(handle.db, NOW))!;
      const two = (await firstAdminLink(handle.db, NOW))!;
      const results = await Promise.allSettled([
        completeAccountLink(handle.db, one, { email: 'first@gfmd.example', password: PASSWORD }, NOW),
        completeAccountLink(handle.db, two, { email: 'second@gfmd.example', password: PASSWORD }, NOW),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect(((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason as AppError).code).toBe('invalid_link');
      expect(await countUsers(handle.db)).toBe(1);
    });

    it('refuses a weak password or a bad e-mail without using up the link', async () => {
      const token = (await firstAdminLink(handle.db, NOW))!;
      expect(await errorCode(completeAccountLink(handle.db, token, { email: 'chair@gfmd.example', password: 'short' }, NOW))).toBe('validation');
      expect(await errorCode(completeAccountLink(handle.db, token, { email: 'chair@gfmd.example', password: 'chair@gfmd.example is me' }, NOW))).toBe(
        'validation',
      );
      expect(await errorCode(completeAccountLink(handle.db, token, { email: 'not an address', password: PASSWORD }, NOW))).toBe('validation');
      expect(await errorCode(completeAccountLink(handle.db, token, { password: PASSWORD }, NOW))).toBe('validation');
      expect(await countUsers(handle.db)).toBe(0);
      expect(await completeAccountLink(handle.db, token, { email: 'chair@gfmd.example', password: PASSWORD }, NOW)).toMatchObject({ role: 'admin' });
    });

    it('expires after 24 hours', async () => {
      const token = (await firstAdminLink(handle.db, NOW))!;
      const later = new Date(NOW.getTime() + 24 * 3_600_000 + 1000);
      expect(await describeAccountLink(handle.db, token, later)).toBeUndefined();
      expect(await errorCode(completeAccountLink(handle.db, token, { email: 'chair@gfmd.example', password: PASSWORD }, later))).toBe('invalid_link');
    });
  });

  describe('new accounts', () => {
    it('are created without a password and with a one-time set_password link for their owner', async () => {
      const admin = await firstAdmin();
      const { user, token } = await addUser(handle.db, { email: 'Ana.Lyst@GFMD.example', role: 'analyst', actor: admin.email }, NOW);
      expect(user).toMatchObject({ email: 'ana.lyst@gfmd.example', role: 'analyst', hasPassword: false, disabled: false });
      expect(await describeAccountLink(handle.db, token, NOW)).toEqual({ purpose: 'set_password', email: 'ana.lyst@gfmd.example' });
      // No password yet: signing in fails like any wrong password.
      expect(await errorCode(authenticate(handle.db, user.email, '', NOW))).toBe('unauthorized');

      const done = await completeAccountLink(handle.db, token, { password: PASSWORD }, NOW);
      expect(done).toMatchObject({ id: user.id, role: 'analyst', hasPassword: true });
      expect((await authenticate(handle.db, 'ana.lyst@gfmd.example', PASSWORD, NOW)).id).toBe(user.id);
      expect(await errorCode(completeAccountLink(handle.db, token, { password: 'another long password' }, NOW))).toBe('invalid_link');
      expect(await describeAccountLink(handle.db, token, NOW)).toBeUndefined();
    });

    it('refuse a weak password and keep the link usable', async () => {
      const admin = await firstAdmin();
      const { user, token } = await addUser(handle.db, { email: 'observer.one@gfmd.example', role: 'observer', actor: admin.email }, NOW);
      expect(await errorCode(completeAccountLink(handle.db, token, { password: 'too short' }, NOW))).toBe('validation');
      expect(await errorCode(completeAccountLink(handle.db, token, { password: 'I am observer.one here' }, NOW))).toBe('validation');
      expect((await getUser(handle.db, user.id))!.hasPassword).toBe(false);
      await completeAccountLink(handle.db, token, { password: PASSWORD }, NOW);
      expect((await getUser(handle.db, user.id))!.hasPassword).toBe(true);
    });

    it('need a valid e-mail, a known role and an e-mail not yet taken', async () => {
      const admin = await firstAdmin();
      expect(await errorCode(addUser(handle.db, { email: 'nobody', role: 'analyst', actor: admin.email }, NOW))).toBe('validation');
      expect(await errorCode(addUser(handle.db, { email: 'x@gfmd.example', role: 'superuser' as 'admin', actor: admin.email }, NOW))).toBe('validation');
      expect(await errorCode(addUser(handle.db, { email: 'CHAIR@gfmd.example', role: 'analyst', actor: admin.email }, NOW))).toBe('conflict');
      expect(await countUsers(handle.db)).toBe(1);
    });

    it('get a new password link on request; it sets a new password', async () => {
      const admin = await firstAdmin();
      const token = await resetPasswordLink(handle.db, admin.id, admin.email, NOW);
      expect(await describeAccountLink(handle.db, token, NOW)).toEqual({ purpose: 'set_password', email: admin.email });
      await completeAccountLink(handle.db, token, { password: 'a brand new passphrase' }, NOW);
      expect(await errorCode(authenticate(handle.db, admin.email, PASSWORD, NOW))).toBe('unauthorized');
      expect((await authenticate(handle.db, admin.email, 'a brand new passphrase', NOW)).id).toBe(admin.id);
      expect(await errorCode(resetPasswordLink(handle.db, 9999, admin.email, NOW))).toBe('not_found');
    });

    it('keep only the latest link working: a newer link, or using one, voids the others', async () => {
      const admin = await firstAdmin();
      const { user, token: first } = await addUser(handle.db, { email: 'ana@gfmd.example', role: 'analyst', actor: admin.email }, NOW);
      const second = await resetPasswordLink(handle.db, user.id, admin.email, NOW);
      // Made after the first: the first no longer works.
      expect(await describeAccountLink(handle.db, first, NOW)).toBeUndefined();
      expect(await errorCode(completeAccountLink(handle.db, first, { password: 'the first link is void' }, NOW))).toBe('invalid_link');
      const third = await resetPasswordLink(handle.db, user.id, admin.email, NOW);
      // Using the latest voids any other still open (the second was already voided by the third).
      await completeAccountLink(handle.db, third, { password: PASSWORD }, NOW);
      expect(await errorCode(completeAccountLink(handle.db, second, { password: 'an older link sets nothing' }, NOW))).toBe('invalid_link');
      expect((await authenticate(handle.db, user.email, PASSWORD, NOW)).id).toBe(user.id);
    });

    it('give a disabled account no working link, and make none for it', async () => {
      const admin = await firstAdmin();
      const { user, token } = await addUser(handle.db, { email: 'ana@gfmd.example', role: 'analyst', actor: admin.email }, NOW);
      await updateUser(handle.db, user.id, { disabled: true }, admin.email, NOW);
      expect(await describeAccountLink(handle.db, token, NOW)).toBeUndefined();
      expect(await errorCode(completeAccountLink(handle.db, token, { password: PASSWORD }, NOW))).toBe('invalid_link');
      expect(await errorCode(resetPasswordLink(handle.db, user.id, admin.email, NOW))).toBe('conflict');
      // Enabled again, a new link works.
      await updateUser(handle.db, user.id, { disabled: false }, admin.email, NOW);
      const fresh = await resetPasswordLink(handle.db, user.id, admin.email, NOW);
      await completeAccountLink(handle.db, fresh, { password: PASSWORD }, NOW);
      expect((await authenticate(handle.db, user.email, PASSWORD, NOW)).id).toBe(user.id);
    });
  });

  describe('signing in', () => {
    it('gives one answer for an unknown e-mail, a wrong password and a disabled account', async () => {
      const admin = await firstAdmin();
      const { user, token } = await addUser(handle.db, { email: 'gone@gfmd.example', role: 'analyst', actor: admin.email }, NOW);
      await completeAccountLink(handle.db, token, { password: PASSWORD }, NOW);
      await updateUser(handle.db, user.id, { disabled: true }, admin.email, NOW);
      const messages: string[] = [];
      for (const [email, password] of [
        ['nobody@gfmd.example', PASSWORD],
        [admin.email, 'not the password at all'],
        ['gone@gfmd.example', PASSWORD],
      ] as const) {
        const error = await authenticate(handle.db, email, password, NOW).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(AppError);
        expect((error as AppError).code).toBe('unauthorized');
        messages.push((error as AppError).message);
      }
      expect(new Set(messages).size).toBe(1);
      expect((await audit()).filter((e) => e.action === 'login.failed').map((e) => e.actor)).toEqual(['nobody@gfmd.example', admin.email, 'gone@gfmd.example']);
    });
  });

  describe('changing roles', () => {
    it('refuses to demote or disable the last active admin', async () => {
      const admin = await firstAdmin();
      expect(await errorCode(updateUser(handle.db, admin.id, { role: 'analyst' }, admin.email, NOW))).toBe('conflict');
      expect(await errorCode(updateUser(handle.db, admin.id, { role: 'observer' }, admin.email, NOW))).toBe('conflict');
      expect(await errorCode(updateUser(handle.db, admin.id, { disabled: true }, admin.email, NOW))).toBe('conflict');
      expect(await getUser(handle.db, admin.id)).toMatchObject({ role: 'admin', disabled: false });
    });

    it('counts only active admins: a disabled admin does not stand in for the last one', async () => {
      const admin = await firstAdmin();
      const { user: second } = await addUser(handle.db, { email: 'second@gfmd.example', role: 'admin', actor: admin.email }, NOW);
      await updateUser(handle.db, second.id, { disabled: true }, admin.email, NOW);
      expect(await errorCode(updateUser(handle.db, admin.id, { role: 'analyst' }, admin.email, NOW))).toBe('conflict');
      // Enabling the second admin again lets the first one step down.
      await updateUser(handle.db, second.id, { disabled: false }, admin.email, NOW);
      expect(await updateUser(handle.db, admin.id, { role: 'analyst' }, second.email, NOW)).toMatchObject({ role: 'analyst' });
      expect(await errorCode(updateUser(handle.db, second.id, { disabled: true }, second.email, NOW))).toBe('conflict');
    });

    it('keeps one admin when two admins demote each other at the same time', async () => {
      const admin = await firstAdmin();
      // Several rounds: the first, while the pool still opens connections, tends to run one after the other.
      for (let round = 1; round <= 4; round++) {
        const { user: one } = await addUser(handle.db, { email: `one${round}@gfmd.example`, role: 'admin', actor: admin.email }, NOW);
        const { user: two } = await addUser(handle.db, { email: `two${round}@gfmd.example`, role: 'admin', actor: admin.email }, NOW);
        await handle.db.updateTable('app_user').set({ disabled_at: NOW }).where('id', 'not in', [one.id, two.id]).execute();
        const results = await Promise.allSettled([
          updateUser(handle.db, one.id, { role: 'analyst' }, two.email, NOW),
          updateUser(handle.db, two.id, { disabled: true }, one.email, NOW),
        ]);
        expect(results.map((r) => r.status).sort(), `round ${round}`).toEqual(['fulfilled', 'rejected']);
        expect(((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason as AppError).code).toBe('conflict');
        const admins = (await listUsers(handle.db)).filter((u) => u.role === 'admin' && !u.disabled);
        expect(admins, `round ${round}`).toHaveLength(1);
      }
    });

    it('changes role and state of other accounts; not_found for an unknown one', async () => {
      const admin = await firstAdmin();
      const { user } = await addUser(handle.db, { email: 'obs@gfmd.example', role: 'observer', actor: admin.email }, NOW);
      expect(await updateUser(handle.db, user.id, { role: 'analyst' }, admin.email, NOW)).toMatchObject({ role: 'analyst' });
      expect(await updateUser(handle.db, user.id, { disabled: true }, admin.email, NOW)).toMatchObject({ disabled: true });
      expect(await updateUser(handle.db, user.id, { disabled: false }, admin.email, NOW)).toMatchObject({ disabled: false });
      expect(await errorCode(updateUser(handle.db, 9999, { role: 'analyst' }, admin.email, NOW))).toBe('not_found');
    });
  });

  describe('the audit log', () => {
    it('records every change, and never a password, a password hash, a token or a token hash', async () => {
      const secrets: string[] = [PASSWORD, 'a brand new passphrase'];
      const firstToken = (await firstAdminLink(handle.db, NOW))!;
      secrets.push(firstToken);
      const admin = await completeAccountLink(handle.db, firstToken, { email: 'chair@gfmd.example', password: PASSWORD }, NOW);
      const { user, token } = await addUser(handle.db, { email: 'ana@gfmd.example', role: 'analyst', actor: admin.email }, NOW);
      secrets.push(token);
      await completeAccountLink(handle.db, token, { password: PASSWORD }, NOW);
      const resetToken = await resetPasswordLink(handle.db, user.id, admin.email, NOW);
      secrets.push(resetToken);
      await completeAccountLink(handle.db, resetToken, { password: 'a brand new passphrase' }, NOW);
      await updateUser(handle.db, user.id, { role: 'observer' }, admin.email, NOW);
      await updateUser(handle.db, user.id, { disabled: true }, admin.email, NOW);
      await updateUser(handle.db, user.id, { disabled: false }, admin.email, NOW);
      await authenticate(handle.db, admin.email, PASSWORD, NOW);
      await authenticate(handle.db, admin.email, 'a wrong guess', NOW).catch(() => {});
      // A password typed into the e-mail field must not be written down as the failed login's actor.
      await authenticate(handle.db, PASSWORD, PASSWORD, NOW).catch(() => {});

      const entries = await audit();
      expect(entries.map((e) => e.action)).toEqual([
        'user.create_first_admin',
        'user.create',
        'user.set_password',
        'user.password_link',
        'user.set_password',
        'user.update',
        'user.update',
        'user.update',
        'login',
        'login.failed',
        'login.failed',
      ]);
      expect(entries.find((e) => e.action === 'user.create')).toMatchObject({
        actor: admin.email,
        subject: `user:${user.id}`,
        details: { email: 'ana@gfmd.example', role: 'analyst' },
      });
      expect(entries.filter((e) => e.action === 'user.update').map((e) => e.details)).toEqual([
        { email: 'ana@gfmd.example', role: 'observer' },
        { email: 'ana@gfmd.example', disabled: true },
        { email: 'ana@gfmd.example', disabled: false },
      ]);

      const stored = await handle.db.selectFrom('app_user').select('password_hash').execute();
      const links = await handle.db.selectFrom('account_link').select('token_hash').execute();
      for (const { password_hash } of stored) if (password_hash) secrets.push(password_hash, password_hash.split('$')[5]!, password_hash.split('$')[4]!);
      for (const { token_hash } of links) secrets.push(token_hash);
      for (const link of [firstToken, token, resetToken]) secrets.push(createHash('sha256').update(link).digest('hex'));
      expect(links).toHaveLength(3);

      const written = await handle.db.selectFrom('audit_log').select(['actor', 'subject', 'details']).execute();
      for (const entry of written) {
        const text = [entry.actor, entry.subject ?? '', JSON.stringify(entry.details)].join('\n');
        for (const secret of secrets) expect(text, `audit entry ${text}`).not.toContain(secret);
      }
    });
  });
});
