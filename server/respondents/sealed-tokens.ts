/**
 * Invitation tokens kept encrypted, so that an e-mail (a reminder, a "lost your link?" answer) can
 * carry a respondent's working link without revoking it, while the database, its backups and the
 * logs never hold a token in plain text. Links are still found by the token's SHA-256 (`tokens.ts`);
 * the sealed copy is only ever opened to write a message.
 *
 * AES-256-GCM with a 96-bit random nonce, the token hash as associated data (a sealed value copied
 * onto another invitation does not open). The key file (MAIL_TOKEN_KEY_FILE, by default
 * `<DATA_DIR>/mail-token.key`, created on first use with mode 0600) holds one key per line, 64
 * hexadecimal digits each: the first seals, every line opens. Rotation: put a new key on the first
 * line, keep the old one below, run `npm run assess -- mail reseal`, then delete the old line.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors.ts';

const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const FORMAT = 'v1';

export interface TokenKey {
  /** A short public name of the key (16 hex digits), written in each sealed value. */
  id: string;
  secret: Buffer;
}

/** The keys of a key file: `current` seals, all of them open. */
export interface TokenKeyring {
  current: TokenKey;
  all: readonly TokenKey[];
  file: string;
}

function tokenKey(secret: Buffer): TokenKey {
  return { id: createHmac('sha256', secret).update('forum-assessment-toolkit/mail-token-key-id').digest('hex').slice(0, 16), secret };
}

/** A keyring of the given 32-byte secrets, the first current (for tests and `loadTokenKeyring`). */
export function tokenKeyring(secrets: readonly Buffer[], file = '(memory)'): TokenKeyring {
  const all = secrets.map(tokenKey);
  if (!all[0]) throw new AppError('validation', `The mail token key file ${file} holds no key.`);
  return { current: all[0], all, file };
}

/**
 * Reads the key file; a missing file is created with one new random key (two processes starting
 * at once end up with the same key: the second reads the file the first wrote).
 */
export async function loadTokenKeyring(file: string): Promise<TokenKeyring> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await mkdir(path.dirname(file), { recursive: true });
    try {
      await writeFile(file, `${randomBytes(KEY_BYTES).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (raced) {
      if ((raced as NodeJS.ErrnoException).code !== 'EEXIST') throw raced;
    }
    text = await readFile(file, 'utf8');
  }
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const bad = lines.find((l) => !/^[0-9a-f]{64}$/i.test(l));
  if (bad !== undefined) throw new AppError('validation', `The mail token key file ${file} must hold one key per line, 64 hexadecimal digits each.`);
  return tokenKeyring(
    lines.map((l) => Buffer.from(l, 'hex')),
    file,
  );
}

/** Encrypts a token for the invitation whose stored hash is `tokenHash`: `v1.<key id>.<nonce>.<ciphertext and tag>`. */
export function sealToken(keyring: TokenKeyring, token: string, tokenHash: string): string {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyring.current.secret, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(tokenHash, 'utf8'));
  const sealed = Buffer.concat([cipher.update(token, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return [FORMAT, keyring.current.id, nonce.toString('base64url'), sealed.toString('base64url')].join('.');
}

/**
 * Decrypts a sealed token; undefined when it was sealed with a key the keyring no longer holds or
 * was altered (the message is then sent without a link, or not at all, by the caller's choice).
 */
export function openToken(keyring: TokenKeyring, sealed: string, tokenHash: string): string | undefined {
  const [format, keyId, nonce, body] = sealed.split('.');
  const key = keyring.all.find((k) => k.id === keyId);
  if (format !== FORMAT || !key || !nonce || !body) return undefined;
  const bytes = Buffer.from(body, 'base64url');
  if (bytes.length <= TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.secret, Buffer.from(nonce, 'base64url'), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(tokenHash, 'utf8'));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/** True when `sealed` was made with the keyring's current key (so `mail reseal` can skip it). */
export function isSealedWithCurrentKey(keyring: TokenKeyring, sealed: string): boolean {
  return sealed.split('.')[1] === keyring.current.id;
}
