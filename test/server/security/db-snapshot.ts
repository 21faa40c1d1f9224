/**
 * A fingerprint of the whole database for "nothing changed" checks: for every table of the
 * public schema (the migration bookkeeping left out), its row count and an md5 of all its rows.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../server/db/schema.ts';

export type Snapshot = Record<string, { rows: number; md5: string | null }>;

/**
 * @param ignore columns left out of a table's fingerprint, by table (e.g. a last-seen time that
 * reading a page may move on purpose).
 */
export async function databaseSnapshot(db: Kysely<Database>, ignore: Record<string, readonly string[]> = {}): Promise<Snapshot> {
  const { rows: tables } = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not like 'kysely%'
    order by table_name`.execute(db);
  const snapshot: Snapshot = {};
  for (const { table_name } of tables) {
    const skipped = ignore[table_name] ?? [];
    const row = skipped.length ? sql`(to_jsonb(t) - ${sql.val([...skipped])}::text[])::text` : sql`t::text`;
    const { rows } = await sql<{ rows: number; md5: string | null }>`
      select count(*)::int as rows, md5(string_agg(${row}, '' order by ${row})) as md5 from ${sql.table(table_name)} t`.execute(db);
    snapshot[table_name] = rows[0]!;
  }
  return snapshot;
}

/** The tables whose rows differ between two snapshots. */
export function changedTables(before: Snapshot, after: Snapshot): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((name) => JSON.stringify(before[name]) !== JSON.stringify(after[name])).sort();
}
