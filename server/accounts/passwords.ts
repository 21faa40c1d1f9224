/**
 * Password hashing with scrypt (memory-hard, in Node's standard library). The stored form
 * carries its parameters, so they can be raised later without invalidating existing hashes:
 * `scrypt$N$r$p$salt$hash` (salt and hash in base64url).
 */
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scryptCallback(password, salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key))));

/** N = 2^15, r = 8: 32 MiB of memory per hash, about 0.1 s on a small server. */
const DEFAULT = { N: 2 ** 15, r: 8, p: 1 };
const KEY_BYTES = 32;

export const MIN_PASSWORD_LENGTH = 12;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password.normalize('NFC'), salt, KEY_BYTES, { ...DEFAULT, maxmem: 128 * DEFAULT.N * DEFAULT.r * 2 });
  return ['scrypt', DEFAULT.N, DEFAULT.r, DEFAULT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Largest scrypt memory (128·N·r bytes) a stored hash may ask for when it is verified. */
const MAX_MEMORY = 256 * 1024 * 1024;

/** Parameters scrypt accepts, within MAX_MEMORY (N a power of two above 1). */
const validParameters = (N: number, r: number, p: number) =>
  Number.isSafeInteger(N) &&
  N > 1 &&
  (N & (N - 1)) === 0 &&
  Number.isSafeInteger(r) &&
  r >= 1 &&
  Number.isSafeInteger(p) &&
  p >= 1 &&
  p <= 16 &&
  128 * N * r <= MAX_MEMORY;

/** True when the password matches the stored hash; false for any malformed hash. */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const parts = stored?.split('$') ?? [];
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const salt = Buffer.from(parts[4]!, 'base64url');
  const expected = Buffer.from(parts[5]!, 'base64url');
  // Out-of-range parameters would throw (or exhaust memory); an empty key would equal an empty
  // derivation and so match every password.
  if (!validParameters(N, r, p) || salt.length < 16 || expected.length < 16) return false;
  const key = await scrypt(password.normalize('NFC'), salt, expected.length, { N, r, p, maxmem: 128 * N * r * 2 });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** Why a new password is refused, or undefined when it is acceptable. */
export function passwordProblem(password: string, email: string): string | undefined {
  if ([...password].length < MIN_PASSWORD_LENGTH) return `The password must have at least ${MIN_PASSWORD_LENGTH} characters.`;
  const name = email.split('@')[0]!.toLowerCase();
  // A name of one or two letters (a@…, jo@…) is in almost every password; only longer ones are refused.
  if (name.length >= 3 && password.toLowerCase().includes(name)) return 'The password must not contain your e-mail name.';
  return undefined;
}
