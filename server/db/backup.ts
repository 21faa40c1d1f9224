/**
 * Logical backup and restore of the whole database, portable between PGlite and PostgreSQL.
 *
 * A backup reads every table in one read-only REPEATABLE READ transaction (one consistent
 * snapshot), through a cursor a page at a time, in foreign-key order. A restore checks the whole
 * file first, then inserts everything in one transaction, resets the sequences past the largest
 * id and compares the row counts with the file's before committing.
 *
 * @example
 *   const key = await loadBackupKey(config.backupKeyFile, { create: true });
 *   const summary = await writeBackup(db, 'forum.backup.gz', { databaseKind: 'pglite', key });
 *   await restoreBackup(otherDb, 'forum.backup.gz', { replace: false, key });
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { AppError } from '../errors.ts';
import {
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  openBackupWriter,
  readBackup,
  verifyBackup,
  type BackupColumn,
  type BackupHeader,
  type BackupRow,
} from './backup-file.ts';
import type { BackupKey } from './backup-key.ts';
import type { Db } from './db.ts';
import type { Database } from './schema.ts';

/** Rows fetched from the cursor, and rows (or bytes) inserted, at a time. */
const PAGE_ROWS = 1000;
const BATCH_BYTES = 1_000_000;

interface CatalogTable {
  name: string;
  columns: BackupColumn[];
  primaryKey: string[];
}

/** The tables of the schema (Kysely's own migration tables aside) in foreign-key order. */
async function readCatalog(db: Db): Promise<CatalogTable[]> {
  const columns = await sql<{ table_name: string; column_name: string; type: string }>`
    select c.relname as table_name, a.attname as column_name, format_type(a.atttypid, a.atttypmod) as type
    from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = current_schema() and c.relkind in ('r', 'p') and c.relname not like 'kysely\\_migration%'
      and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
    order by c.relname, a.attnum`.execute(db);
  const keys = await sql<{ table_name: string; column_name: string }>`
    select c.relname as table_name, a.attname as column_name
    from pg_index i join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
      join pg_attribute a on a.attrelid = c.oid and a.attnum = any(i.indkey)
    where n.nspname = current_schema() and i.indisprimary
    order by c.relname, array_position(i.indkey::int2[], a.attnum)`.execute(db);
  const references = await sql<{ child: string; parent: string }>`
    select ch.relname as child, pa.relname as parent
    from pg_constraint k join pg_class ch on ch.oid = k.conrelid join pg_class pa on pa.oid = k.confrelid
      join pg_namespace n on n.oid = ch.relnamespace
    where k.contype = 'f' and n.nspname = current_schema()`.execute(db);

  const tables = new Map<string, CatalogTable>();
  for (const c of columns.rows) {
    const table = tables.get(c.table_name) ?? { name: c.table_name, columns: [], primaryKey: [] };
    table.columns.push({ name: c.column_name, type: c.type });
    tables.set(c.table_name, table);
  }
  for (const k of keys.rows) tables.get(k.table_name)?.primaryKey.push(k.column_name);

  // Depth-first in name order, parents first; a self-reference does not constrain the order.
  const ordered: CatalogTable[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') throw new AppError('internal', `Tables refer to each other in a cycle through ${name}; a backup cannot order them.`);
    state.set(name, 'visiting');
    for (const r of references.rows
      .filter((r) => r.child === name && r.parent !== name)
      .map((r) => r.parent)
      .sort())
      visit(r);
    state.set(name, 'done');
    const table = tables.get(name);
    if (table) ordered.push(table);
  };
  for (const name of [...tables.keys()].sort()) visit(name);
  return ordered;
}

/** Names of the migrations applied to a database, in order. */
async function appliedMigrations(db: Db): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
  return rows.map((r) => r.name);
}

/** Values in a text form that does not depend on the session: UTC, ISO dates, exact floats. */
async function useCanonicalText(trx: Transaction<Database>): Promise<void> {
  await sql`set local timezone to 'UTC'`.execute(trx);
  await sql`set local datestyle to 'ISO, YMD'`.execute(trx);
  await sql`set local intervalstyle to 'postgres'`.execute(trx);
  await sql`set local extra_float_digits to 1`.execute(trx);
  await sql`set local bytea_output to 'hex'`.execute(trx);
}

export interface BackupSummary {
  file: string;
  bytes: number;
  sha256: string;
  counts: Record<string, number>;
  migrations: string[];
}

/** Writes a backup of the whole database to `file` (through `<file>.partial`). */
export async function writeBackup(db: Kysely<Database>, file: string, options: { databaseKind: string; key: BackupKey; now?: Date }): Promise<BackupSummary> {
  const writer = openBackupWriter(file, options.key);
  try {
    const { counts, migrations } = await db
      .transaction()
      .setIsolationLevel('repeatable read')
      .setAccessMode('read only')
      .execute(async (trx) => {
        await useCanonicalText(trx);
        const tables = await readCatalog(trx);
        const migrations = await appliedMigrations(trx);
        const header: BackupHeader = {
          format: BACKUP_FORMAT,
          version: BACKUP_FORMAT_VERSION,
          createdAt: (options.now ?? new Date()).toISOString(),
          databaseKind: options.databaseKind,
          migrations,
          tables: tables.map((t) => ({ name: t.name, columns: t.columns })),
        };
        await writer.line(header);
        const counts: Record<string, number> = {};
        for (const table of tables) {
          await writer.line({ table: table.name });
          counts[table.name] = await copyTableRows(trx, table, (row) => writer.line(row));
        }
        return { counts, migrations };
      });
    const { bytes, sha256 } = await writer.finish(counts);
    return { file, bytes, sha256, counts, migrations };
  } catch (error) {
    await writer.abandon();
    throw error;
  }
}

/** Streams one table's rows (as column texts, in primary-key order) through a cursor. */
async function copyTableRows(trx: Transaction<Database>, table: CatalogTable, write: (row: BackupRow) => Promise<void>): Promise<number> {
  const select = sql.join(table.columns.map((c) => sql`${sql.id(c.name)}::text as ${sql.id(c.name)}`));
  // Qualified, so the order is the key's own and not that of its text alias.
  const order = table.primaryKey.length > 0 ? sql`order by ${sql.join(table.primaryKey.map((k) => sql`t.${sql.id(k)}`))}` : sql``;
  await sql`declare backup_rows no scroll cursor for select ${select} from ${sql.id(table.name)} as t ${order}`.execute(trx);
  let count = 0;
  for (;;) {
    const { rows } = await sql<Record<string, string | null>>`fetch forward ${sql.raw(String(PAGE_ROWS))} from backup_rows`.execute(trx);
    for (const row of rows) await write(table.columns.map((c) => row[c.name] ?? null));
    count += rows.length;
    if (rows.length < PAGE_ROWS) break;
  }
  await sql`close backup_rows`.execute(trx);
  return count;
}

/** Explains how two migration lists differ, or returns undefined when they are the same. */
export function migrationDifference(inBackup: readonly string[], inCode: readonly string[]): string | undefined {
  const missing = inCode.filter((m) => !inBackup.includes(m));
  const extra = inBackup.filter((m) => !inCode.includes(m));
  if (missing.length === 0 && extra.length === 0) return undefined;
  const parts = [
    ...(extra.length ? [`the backup has migration(s) this code does not know: ${extra.join(', ')} (restore with the newer version of the toolkit)`] : []),
    ...(missing.length ? [`the backup lacks migration(s) this code has: ${missing.join(', ')} (restore with the version of the toolkit that made it)`] : []),
  ];
  return `The backup's schema does not match this code: ${parts.join('; ')}.`;
}

export interface RestoreSummary {
  counts: Record<string, number>;
  createdAt: string;
  sha256: string;
  replaced: boolean;
}

/**
 * Restores `file` into `db`, which must be migrated and empty unless `replace` is set (then its
 * data are wiped first, in the same transaction). Checks the whole file, its HMAC with `key`
 * included, before changing anything, and again as it inserts;
 * any failure leaves the database as it was.
 */
export async function restoreBackup(
  db: Kysely<Database>,
  file: string,
  options: { replace: boolean; key: BackupKey; beforeCommit?: (trx: Transaction<Database>, summary: RestoreSummary) => Promise<void> },
): Promise<RestoreSummary> {
  const { header, trailer } = await verifyBackup(file, options.key);
  return db.transaction().execute(async (trx) => {
    const migrationProblem = migrationDifference(header.migrations, await appliedMigrations(trx));
    if (migrationProblem) throw new AppError('validation', migrationProblem);
    const tables = await readCatalog(trx);
    checkSameTables(header, tables);

    const holding = [];
    for (const t of tables) {
      const { rows } = await sql<{ found: boolean }>`select exists (select 1 from ${sql.id(t.name)}) as found`.execute(trx);
      if (rows[0]?.found) holding.push(t.name);
    }
    if (holding.length > 0 && !options.replace) {
      throw new AppError(
        'conflict',
        `The target database already holds data (${holding.join(', ')}); restore into an empty database, or give --replace to wipe it first.`,
      );
    }
    if (holding.length > 0) await sql`truncate table ${sql.join(tables.map((t) => sql.id(t.name)))} restart identity cascade`.execute(trx);

    await useCanonicalText(trx);
    // The types cast to are this database's own (checked equal to the backup's above).
    const columnsOf = new Map(tables.map((t) => [t.name, t.columns]));
    let batch: BackupRow[] = [];
    let batchBytes = 0;
    let batchTable = '';
    const flush = async () => {
      if (batch.length > 0) await insertRows(trx, batchTable, columnsOf.get(batchTable)!, batch);
      batch = [];
      batchBytes = 0;
    };
    for await (const event of readBackup(file, options.key)) {
      if (event.kind === 'table') {
        await flush();
        batchTable = event.table;
      } else if (event.kind === 'row') {
        batch.push(event.row);
        batchBytes += event.row.reduce((sum, v) => sum + (v?.length ?? 4), 0);
        if (batch.length >= PAGE_ROWS || batchBytes >= BATCH_BYTES) await flush();
      }
    }
    await flush();

    await resetSequences(trx, tables);
    const counts: Record<string, number> = {};
    for (const t of tables) {
      const { rows } = await sql<{ n: string | number }>`select count(*) as n from ${sql.id(t.name)}`.execute(trx);
      counts[t.name] = Number(rows[0]!.n);
      if (counts[t.name] !== trailer.counts[t.name])
        throw new AppError(
          'internal',
          `After restoring, table ${t.name} holds ${counts[t.name]} row(s) instead of ${trailer.counts[t.name]}; nothing was restored.`,
        );
    }
    const summary = { counts, createdAt: header.createdAt, sha256: trailer.sha256, replaced: holding.length > 0 };
    await options.beforeCommit?.(trx, summary);
    return summary;
  });
}

function checkSameTables(header: BackupHeader, tables: CatalogTable[]): void {
  const describe = (columns: BackupColumn[]) => columns.map((c) => `${c.name} ${c.type}`).join(', ');
  const here = new Map(tables.map((t) => [t.name, describe(t.columns)]));
  for (const t of header.tables) {
    if (!here.has(t.name)) throw new AppError('validation', `The backup holds a table ${t.name} that this database does not have.`);
    if (here.get(t.name) !== describe(t.columns))
      throw new AppError('validation', `Table ${t.name} has different columns in the backup (${describe(t.columns)}) than here (${here.get(t.name)}).`);
  }
  const missing = tables.filter((t) => !header.tables.some((h) => h.name === t.name));
  if (missing.length > 0) throw new AppError('validation', `The backup has no table ${missing.map((t) => t.name).join(', ')}.`);
}

/** Inserts rows of column texts, each cast back to its column's type; ids are kept as they were. */
async function insertRows(trx: Transaction<Database>, table: string, columns: BackupColumn[], rows: BackupRow[]): Promise<void> {
  const names = sql.join(columns.map((c) => sql.id(c.name)));
  const values = sql.join(columns.map((c, i) => sql`cast(r.value ->> ${sql.raw(String(i))} as ${sql.raw(c.type)})`));
  await sql`insert into ${sql.id(table)} (${names}) overriding system value
    select ${values} from jsonb_array_elements(${JSON.stringify(rows)}::jsonb) as r(value)`.execute(trx);
}

/** Sets every serial or identity sequence so that the next id follows the largest restored one. */
async function resetSequences(trx: Transaction<Database>, tables: CatalogTable[]): Promise<void> {
  for (const t of tables) {
    for (const c of t.columns) {
      const { rows } = await sql<{ seq: string | null }>`select pg_get_serial_sequence(${`"${t.name}"`}, ${c.name}) as seq`.execute(trx);
      const seq = rows[0]?.seq;
      if (!seq) continue;
      await sql`select setval(${seq}::regclass, coalesce(max(${sql.id(c.name)})::bigint, 0) + 1, false) from ${sql.id(t.name)}`.execute(trx);
    }
  }
}
