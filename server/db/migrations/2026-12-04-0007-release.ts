/**
 * Releases: what the Assessment Team publishes, frozen. A release holds the figures as published
 * (every count shown or hidden with its reason) and the submitted revision of every response it
 * covers, so that a later release can be checked against it.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('release')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('survey_id', 'text', (c) => c.notNull().references('survey.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('final', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('threshold', 'integer', (c) => c.notNull())
    .addColumn('responses', 'integer', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('figures', 'jsonb', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('release_by_survey').on('release').columns(['survey_id', 'id']).execute();
  await db.schema
    .createTable('release_response')
    .addColumn('release_id', 'integer', (c) => c.notNull().references('release.id').onDelete('cascade'))
    .addColumn('response_id', 'integer', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('leaf', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('release_response_pk', ['release_id', 'response_id'])
    .execute();
  // Immutable once written: no update of a release or of the responses it covers.
  await sql`create function release_is_immutable() returns trigger language plpgsql as $$
    begin raise exception 'a release cannot be changed'; end $$`.execute(db);
  await sql`create trigger release_immutable before update on release for each row execute function release_is_immutable()`.execute(db);
  await sql`create trigger release_response_immutable before update on release_response for each row execute function release_is_immutable()`.execute(db);
}
