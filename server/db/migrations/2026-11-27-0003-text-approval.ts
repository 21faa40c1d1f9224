/**
 * Free-text answers an analyst has reviewed and approved for publication, with the text as it will
 * be published (names removed) and a hash of the answer it was approved for: an amended answer
 * is no longer approved.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('text_approval')
    .addColumn('response_id', 'integer', (c) => c.notNull().references('response.id').onDelete('cascade'))
    .addColumn('question_id', 'text', (c) => c.notNull())
    .addColumn('answer_sha256', 'text', (c) => c.notNull())
    .addColumn('published_text', 'text', (c) => c.notNull())
    .addColumn('approved_by', 'integer', (c) => c.references('app_user.id'))
    .addColumn('approved_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('text_approval_pk', ['response_id', 'question_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('text_approval').ifExists().execute();
}
