/**
 * A random key per response that only the database knows, so the seeded row order of an export
 * (md5 of seed and key) cannot be turned back into response ids by someone holding the seed.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // gen_random_uuid() draws from the server's strong random source, once per existing row too.
  await db.schema
    .alterTable('response')
    .addColumn('export_key', 'text', (c) => c.notNull().defaultTo(sql`gen_random_uuid()::text`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('response').dropColumn('export_key').execute();
}
