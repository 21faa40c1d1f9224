/**
 * The backup file: gzip'd NDJSON. A header line, then per table a `{"table": …}` line followed by
 * its rows (one JSON array of column texts a line), then a trailer with the row count of every
 * table, the SHA-256 of every line before it, and an HMAC-SHA-256 of the same lines with the
 * operator's backup key. Each value is PostgreSQL's own text form of the column (or null), so
 * timestamps, arrays, jsonb, numbers and bytea come back exactly.
 *
 * The SHA-256 finds accidents (a disk error, a cut copy); only the HMAC shows that nobody without
 * the key changed the content, since anyone can recompute a SHA-256.
 *
 * @example
 *   const writer = await openBackupWriter('survey.fatbackup.gz', key);
 *   await writer.line({ format: BACKUP_FORMAT, … });
 *   await writer.finish({ respondent: 12 });   // writes the trailer, renames .partial into place
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { createGzip, createGunzip } from 'node:zlib';
import { AppError } from '../errors.ts';
import type { BackupKey } from './backup-key.ts';

export const BACKUP_FORMAT = 'forum-assessment-toolkit/backup';
/** 2: the trailer carries an HMAC; files of version 1 have none and cannot be shown unaltered. */
export const BACKUP_FORMAT_VERSION = 2;

export interface BackupColumn {
  name: string;
  /** `format_type()` of the column, e.g. `timestamp with time zone`, `text[]`. */
  type: string;
}

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  databaseKind: string;
  /** Names of the migrations applied to the database the backup was made from, in order. */
  migrations: string[];
  /** Tables in foreign-key order: a table comes after every table it refers to. */
  tables: { name: string; columns: BackupColumn[] }[];
}

export interface BackupTrailer {
  trailer: true;
  /** Rows written per table. */
  counts: Record<string, number>;
  /** SHA-256 (hex) of every line before the trailer, newlines included, before compression. */
  sha256: string;
  /** HMAC-SHA-256 (hex) of the same lines, with the backup key. */
  hmac: string;
  /** The public name of the key the HMAC was made with ({@link BackupKey.id}). */
  keyId: string;
}

export type BackupRow = (string | null)[];

/** Characters collected before a write to the gzip stream. */
const CHUNK_CHARS = 64 * 1024;

export type BackupEvent =
  | { kind: 'header'; header: BackupHeader }
  | { kind: 'table'; table: string }
  | { kind: 'row'; table: string; row: BackupRow }
  | { kind: 'trailer'; trailer: BackupTrailer };

export interface BackupWriter {
  /** Appends one line (an object or a row array), waiting when the disk is behind. */
  line(value: unknown): Promise<void>;
  /** Writes the trailer, closes the file and renames `<file>.partial` to `<file>`; returns its size. */
  finish(counts: Record<string, number>): Promise<{ bytes: number; sha256: string }>;
  /** Removes the partial file (after an error). */
  abandon(): Promise<void>;
}

/** Opens `<file>.partial` for writing; nothing appears at `file` until `finish`. */
export function openBackupWriter(file: string, key: BackupKey): BackupWriter {
  const partial = `${file}.partial`;
  const gzip = createGzip();
  const out = createWriteStream(partial, { mode: 0o600 });
  gzip.pipe(out);
  const hash = createHash('sha256');
  const hmac = createHmac('sha256', key.secret);
  let pending = '';
  let failure: Error | undefined;
  gzip.on('error', (e) => (failure ??= e));
  // A disk error ends the gzip stream too, so a write waiting for 'drain' fails instead of hanging.
  out.on('error', (e) => {
    failure ??= e;
    gzip.destroy(e);
  });
  const push = async (text: string) => {
    if (failure) throw failure;
    if (!gzip.write(text)) await once(gzip, 'drain');
  };
  return {
    async line(value) {
      const text = `${JSON.stringify(value)}\n`;
      hash.update(text);
      hmac.update(text);
      // Lines are handed to gzip in chunks: one write per row would cost more than the row.
      pending += text;
      if (pending.length >= CHUNK_CHARS) {
        const chunk = pending;
        pending = '';
        await push(chunk);
      }
    },
    async finish(counts) {
      const sha256 = hash.digest('hex');
      const trailer: BackupTrailer = { trailer: true, counts, sha256, hmac: hmac.digest('hex'), keyId: key.id };
      await push(`${pending}${JSON.stringify(trailer)}\n`);
      pending = '';
      gzip.end();
      await once(out, 'close');
      if (failure) throw failure;
      await rename(partial, file);
      return { bytes: (await stat(file)).size, sha256 };
    },
    async abandon() {
      gzip.destroy();
      out.destroy();
      await rm(partial, { force: true });
    },
  };
}

const damaged = (file: string, why: string) => new AppError('validation', `${file} is not a complete backup: ${why}. Nothing was restored.`);

/**
 * Reads a backup line by line (memory stays flat) and checks it as it goes: the header first,
 * rows inside a table section, the trailer last with matching counts, SHA-256 and HMAC (with
 * `key`). A truncated, altered or unsigned file, or one signed with another key, throws
 * `validation` naming the problem, at the latest when the end is reached.
 */
export async function* readBackup(file: string, key: BackupKey): AsyncGenerator<BackupEvent> {
  const input = createReadStream(file);
  const gunzip = createGunzip();
  input.on('error', (e) => gunzip.destroy(e));
  input.pipe(gunzip);
  const decoder = new StringDecoder('utf8');
  const hash = createHash('sha256');
  const hmac = createHmac('sha256', key.secret);
  const seal = (line: string) => {
    hash.update(`${line}\n`);
    hmac.update(`${line}\n`);
  };
  const counts: Record<string, number> = {};
  let header: BackupHeader | undefined;
  let table: string | undefined;
  let trailer: BackupTrailer | undefined;
  let lineNumber = 0;
  let rest = '';

  function* take(line: string): Generator<BackupEvent> {
    lineNumber++;
    if (trailer) throw damaged(file, `line ${lineNumber} follows the trailer`);
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw damaged(file, `line ${lineNumber} is not JSON`);
    }
    if (!header) {
      const h = value as BackupHeader;
      if (h?.format !== BACKUP_FORMAT) throw damaged(file, 'it does not start with a Forum Assessment Toolkit backup header');
      if (h.version === 1)
        throw damaged(
          file,
          'it was made by an earlier version of the toolkit and carries no HMAC, so it cannot be shown unaltered; restore it with the version that made it',
        );
      if (h.version !== BACKUP_FORMAT_VERSION) throw damaged(file, `its format version ${String(h.version)} is not ${BACKUP_FORMAT_VERSION}`);
      header = h;
      seal(line);
      yield { kind: 'header', header };
      return;
    }
    if (Array.isArray(value)) {
      if (!table) throw damaged(file, `line ${lineNumber} is a row outside any table`);
      seal(line);
      counts[table]!++;
      yield { kind: 'row', table, row: value as BackupRow };
      return;
    }
    const object = value as { table?: unknown; trailer?: unknown };
    if (typeof object?.table === 'string') {
      if (!header.tables.some((t) => t.name === object.table) || object.table in counts)
        throw damaged(file, `line ${lineNumber} starts an unexpected table '${object.table}'`);
      seal(line);
      table = object.table;
      counts[table] = 0;
      yield { kind: 'table', table };
      return;
    }
    if (object?.trailer === true) {
      trailer = value as BackupTrailer;
      if (trailer.sha256 !== hash.digest('hex')) throw damaged(file, 'its content does not match the SHA-256 in its trailer (the file was altered)');
      checkSignature(file, trailer, hmac.digest(), key);
      for (const t of header.tables) {
        if ((counts[t.name] ?? 0) !== trailer.counts[t.name])
          throw damaged(file, `table ${t.name} holds ${counts[t.name] ?? 0} row(s) but the trailer says ${String(trailer.counts[t.name])}`);
      }
      yield { kind: 'trailer', trailer };
      return;
    }
    throw damaged(file, `line ${lineNumber} is neither a row, a table nor the trailer`);
  }

  try {
    for await (const chunk of gunzip) {
      const lines = (rest + decoder.write(chunk as Buffer)).split('\n');
      rest = lines.pop()!;
      for (const line of lines) yield* take(line);
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new AppError('validation', `There is no file ${file}.`);
    throw damaged(file, code === 'Z_BUF_ERROR' ? 'it ends early (truncated)' : `it cannot be decompressed (${(error as Error).message})`);
  } finally {
    input.destroy();
  }
  rest += decoder.end();
  if (rest !== '') yield* take(rest);
  if (!header) throw damaged(file, 'it is empty');
  if (!trailer) throw damaged(file, 'it ends before its trailer (truncated)');
}

/** Refuses a trailer without an HMAC, with another key's HMAC, or with one that does not match the content. */
function checkSignature(file: string, trailer: BackupTrailer, computed: Buffer, key: BackupKey): void {
  if (typeof trailer.hmac !== 'string' || trailer.hmac === '') throw damaged(file, 'it carries no HMAC, so it cannot be shown unaltered');
  if (trailer.keyId !== key.id) {
    throw damaged(
      file,
      `it was signed with another backup key (${String(trailer.keyId)}), not the one in ${key.file} (${key.id}); restore it with the key it was made with (BACKUP_KEY_FILE)`,
    );
  }
  const given = Buffer.from(trailer.hmac, 'hex');
  if (given.length !== computed.length || !timingSafeEqual(given, computed))
    throw damaged(file, 'its content does not match its HMAC: it was changed after it was made, by someone without the backup key');
}

/** Reads the whole file once to check it, before anything is changed; returns header and trailer. */
export async function verifyBackup(file: string, key: BackupKey): Promise<{ header: BackupHeader; trailer: BackupTrailer }> {
  let header: BackupHeader | undefined;
  let trailer: BackupTrailer | undefined;
  for await (const event of readBackup(file, key)) {
    if (event.kind === 'header') header = event.header;
    if (event.kind === 'trailer') trailer = event.trailer;
  }
  return { header: header!, trailer: trailer! };
}
