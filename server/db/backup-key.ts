/**
 * The backup key: 32 random bytes the operator holds, with which every backup is signed (HMAC-SHA-256)
 * and checked before a restore. It lives in a file of its own, `<DATA_DIR>/backup.key` unless
 * BACKUP_KEY_FILE says otherwise, created with mode 0600 the first time a backup is made.
 *
 * @example
 *   const key = await loadBackupKey(config.backupKeyFile, { create: true });   // backup
 *   const key = await loadBackupKey(config.backupKeyFile, { create: false });  // restore
 */
import { createHmac, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors.ts';

export interface BackupKey {
  /** The secret itself. */
  secret: Buffer;
  /** Where it was read from, for messages. */
  file: string;
  /** A short public name of the key (16 hex digits), so that "made with another key" can be told apart from "altered". */
  id: string;
}

const KEY_BYTES = 32;

function backupKey(secret: Buffer, file: string): BackupKey {
  return { secret, file, id: createHmac('sha256', secret).update('forum-assessment-toolkit/backup-key-id').digest('hex').slice(0, 16) };
}

/**
 * Reads the key file (64 hex digits). With `create`, a missing file is made with a new random key,
 * readable by its owner only; without, a missing file is refused: a backup can only be checked
 * with the key it was made with.
 */
export async function loadBackupKey(file: string, options: { create: boolean }): Promise<BackupKey> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    if (!options.create) {
      throw new AppError(
        'validation',
        `There is no backup key at ${file}. A backup is checked with the key it was made with: copy that key file here, or point BACKUP_KEY_FILE at it. Nothing was restored.`,
      );
    }
    await mkdir(path.dirname(file), { recursive: true });
    const secret = randomBytes(KEY_BYTES);
    try {
      // `wx`: two commands starting at once do not each write a key of their own.
      await writeFile(file, `${secret.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
      return backupKey(secret, file);
    } catch (raced) {
      if ((raced as NodeJS.ErrnoException).code !== 'EEXIST') throw raced;
      text = await readFile(file, 'utf8');
    }
  }
  const hex = text.trim();
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new AppError('validation', `The backup key file ${file} does not hold a key (64 hexadecimal digits).`);
  return backupKey(Buffer.from(hex, 'hex'), file);
}
