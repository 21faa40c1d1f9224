/**
 * `assess backup <file>` and `assess restore <file> [--replace]`: a portable, logical copy of the
 * whole database (gzip'd NDJSON), restorable into PGlite or PostgreSQL alike.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { insertAuditEntry } from '../audit/audit.queries.ts';
import { restoreBackup, writeBackup } from '../db/backup.ts';
import { verifyBackup } from '../db/backup-file.ts';
import { loadBackupKey, type BackupKey } from '../db/backup-key.ts';
import { AppError } from '../errors.ts';
import { EXIT, readCliConfig, withCliDatabase, type CliOutput } from './cli-database.ts';

const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
const actor = () => `cli:${os.userInfo().username}`;

export async function backupCommand(options: { file?: string; force?: boolean }, out: CliOutput, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (!options.file) {
    out.error('Usage: npm run assess -- backup <file> [--force]');
    return EXIT.usage;
  }
  const file = path.resolve(options.file);
  if (existsSync(file) && !options.force) {
    out.error(`${options.file} already exists; give a new file name (or --force to overwrite it).`);
    return EXIT.badInput;
  }
  return withCliDatabase(env, out, async ({ db, kind }, config) => {
    const started = Date.now();
    // Made on first use; the operator keeps it (and copies it wherever a backup is to be restored).
    const key = await loadBackupKey(config.backupKeyFile, { create: true });
    const summary = await writeBackup(db, file, { databaseKind: kind, key });
    // Recorded after the snapshot, so the backup does not contain its own entry.
    await insertAuditEntry(db, {
      actor: actor(),
      action: 'backup.create',
      subject: null,
      details: { file: path.basename(file), bytes: summary.bytes, sha256: summary.sha256, rows: summary.counts },
    });
    out.log(
      `Wrote ${options.file}: ${total(summary.counts)} row(s) in ${Object.keys(summary.counts).length} tables, ${summary.bytes} bytes, ${Date.now() - started} ms.`,
    );
    for (const [table, n] of Object.entries(summary.counts)) out.log(`  ${table.padEnd(20)} ${String(n).padStart(8)}`);
    out.log(`  sha256 ${summary.sha256}`);
    out.log(`  signed with the backup key ${key.id} in ${key.file}`);
    return EXIT.ok;
  });
}

export async function restoreCommand(options: { file?: string; replace?: boolean }, out: CliOutput, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (!options.file) {
    out.error('Usage: npm run assess -- restore <file> [--replace]');
    return EXIT.usage;
  }
  const file = path.resolve(options.file);
  if (!existsSync(file)) {
    out.error(`There is no file ${options.file}.`);
    return EXIT.badInput;
  }
  const config = readCliConfig(env, out);
  if (!config) return EXIT.usage;
  // A damaged, unsigned or foreign file is refused before the database is opened (and the restore checks it again).
  let key: BackupKey;
  try {
    key = await loadBackupKey(config.backupKeyFile, { create: false });
    await verifyBackup(file, key);
  } catch (error) {
    if (error instanceof AppError) {
      out.error(error.message);
      return EXIT.badInput;
    }
    throw error;
  }
  return withCliDatabase(env, out, async ({ db }) => {
    const started = Date.now();
    const summary = await restoreBackup(db, file, {
      replace: options.replace === true,
      key,
      // In the restore's own transaction: the entry exists exactly when the restore does.
      beforeCommit: (trx, s) =>
        insertAuditEntry(trx, {
          actor: actor(),
          action: 'backup.restore',
          subject: null,
          details: { file: path.basename(file), createdAt: s.createdAt, sha256: s.sha256, replaced: s.replaced, rows: s.counts },
        }),
    });
    out.log(
      `Restored ${options.file} (made ${summary.createdAt}): ${total(summary.counts)} row(s) in ${Object.keys(summary.counts).length} tables, ${Date.now() - started} ms${summary.replaced ? '; the earlier data were replaced' : ''}.`,
    );
    for (const [table, n] of Object.entries(summary.counts)) out.log(`  ${table.padEnd(20)} ${String(n).padStart(8)}`);
    return EXIT.ok;
  });
}
