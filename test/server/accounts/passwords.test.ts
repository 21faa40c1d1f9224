/**
 * Password hashing (scrypt with its parameters in the stored form) and the rules for new passwords.
 */
import { scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashPassword, MIN_PASSWORD_LENGTH, passwordProblem, verifyPassword } from '../../../server/accounts/passwords.ts';

const PASSWORD = 'correct horse battery staple';

/** A stored hash of PASSWORD made by hand with the given scrypt parameters (VALID: the defaults). */
function handMadeHash(N: number, r: number, p: number): string {
  const salt = Buffer.alloc(16, 7);
  const key = scryptSync(PASSWORD, salt, 32, { N, r, p, maxmem: 256 * N * r });
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}
const VALID = handMadeHash(2 ** 15, 8, 1);
const [, N, r, p, salt, key] = VALID.split('$') as [string, string, string, string, string, string];

describe('hashPassword and verifyPassword', () => {
  it('stores scrypt$N$r$p$salt$hash with a 16-byte salt and a 32-byte key in base64url', async () => {
    const stored = await hashPassword(PASSWORD);
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    const [, , , , storedSalt, storedKey] = stored.split('$');
    expect(Buffer.from(storedSalt!, 'base64url')).toHaveLength(16);
    expect(Buffer.from(storedKey!, 'base64url')).toHaveLength(32);
    expect(stored).not.toContain(PASSWORD);
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword(PASSWORD);
    expect(await verifyPassword(PASSWORD, stored)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', stored)).toBe(false);
    expect(await verifyPassword('Correct horse battery staple', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('salts every hash: one password hashed twice gives two different hashes, both valid', async () => {
    const [a, b] = await Promise.all([hashPassword(PASSWORD), hashPassword(PASSWORD)]);
    expect(a).not.toBe(b);
    expect(a.split('$')[4]).not.toBe(b.split('$')[4]);
    expect(await verifyPassword(PASSWORD, a)).toBe(true);
    expect(await verifyPassword(PASSWORD, b)).toBe(true);
  });

  it('compares passwords in Unicode NFC, so the same word typed on another keyboard matches', async () => {
    const composed = 'café au lait, s’il vous plaît';
    const stored = await hashPassword(composed);
    expect(await verifyPassword(composed.normalize('NFD'), stored)).toBe(true);
  });

  it('honours the parameters a stored hash carries (so they can be raised later)', async () => {
    expect(await verifyPassword(PASSWORD, VALID)).toBe(true);
    const otherParameters = handMadeHash(2 ** 14, 8, 2);
    expect(await verifyPassword(PASSWORD, otherParameters)).toBe(true);
    expect(await verifyPassword('another password', otherParameters)).toBe(false);
  });

  describe('answers false, never throws, for a malformed or missing hash', () => {
    const stored = VALID;
    const cases: [string, string | null][] = [
      ['no hash (account waiting for its password)', null],
      ['an empty string', ''],
      ['another algorithm', stored.replace(/^scrypt/, 'bcrypt')],
      ['too few fields', ['scrypt', N, r, p, salt].join('$')],
      ['too many fields', `${stored}$extra`],
      // An empty key would compare equal to an empty derivation: every password would match.
      ['an empty key', ['scrypt', N, r, p, salt, ''].join('$')],
      ['a key of a few bytes', ['scrypt', N, r, p, salt, 'AAAA'].join('$')],
      ['an empty salt', ['scrypt', N, r, p, '', key].join('$')],
      ['N not a number', ['scrypt', 'abc', r, p, salt, key].join('$')],
      ['N not a power of two', ['scrypt', '1000', r, p, salt, key].join('$')],
      ['N of zero', ['scrypt', '0', r, p, salt, key].join('$')],
      ['N far too large (memory exhaustion)', ['scrypt', String(2 ** 40), r, p, salt, key].join('$')],
      ['r of zero', ['scrypt', N, '0', p, salt, key].join('$')],
      ['p negative', ['scrypt', N, r, '-1', salt, key].join('$')],
      ['r fractional', ['scrypt', N, '8.5', p, salt, key].join('$')],
    ];
    it.each(cases)('%s', async (_, malformed) => {
      await expect(verifyPassword(PASSWORD, malformed)).resolves.toBe(false);
      await expect(verifyPassword('', malformed)).resolves.toBe(false);
    });
  });
});

describe('passwordProblem', () => {
  it.each([
    ['a long passphrase', 'a quiet river at dawn', 'maria.lopez@gfmd.example', undefined],
    ['exactly the minimum length', 'x'.repeat(MIN_PASSWORD_LENGTH), 'maria.lopez@gfmd.example', undefined],
    [
      'one character short',
      'x'.repeat(MIN_PASSWORD_LENGTH - 1),
      'maria.lopez@gfmd.example',
      `The password must have at least ${MIN_PASSWORD_LENGTH} characters.`,
    ],
    ['empty', '', 'maria.lopez@gfmd.example', `The password must have at least ${MIN_PASSWORD_LENGTH} characters.`],
    // Characters, not UTF-16 units: eleven emoji are eleven characters, not twenty-two.
    [
      'eleven astral characters',
      '🌍'.repeat(MIN_PASSWORD_LENGTH - 1),
      'maria.lopez@gfmd.example',
      `The password must have at least ${MIN_PASSWORD_LENGTH} characters.`,
    ],
    ['containing the e-mail name', 'my name is maria.lopez!', 'maria.lopez@gfmd.example', 'The password must not contain your e-mail name.'],
    ['containing the e-mail name in other case', 'MARIA.LOPEZ-2026-forum', 'Maria.Lopez@gfmd.example', 'The password must not contain your e-mail name.'],
    ['equal to the e-mail name', 'maria.lopez.gfmd', 'maria.lopez.gfmd@example.org', 'The password must not contain your e-mail name.'],
    ['containing only the domain', 'gfmd.example rocks', 'maria.lopez@gfmd.example', undefined],
    // A one- or two-letter e-mail name is in almost every password; refusing them all helps no one.
    ['with a one-letter e-mail name', 'a quiet river at dawn', 'a@b.org', undefined],
    ['with a two-letter e-mail name', 'jo jo jo jo jo jo', 'jo@b.org', undefined],
    ['with a three-letter e-mail name', 'ann of the forum', 'ann@b.org', 'The password must not contain your e-mail name.'],
  ])('%s', (_, password, email, problem) => {
    expect(passwordProblem(password, email)).toBe(problem);
  });
});
