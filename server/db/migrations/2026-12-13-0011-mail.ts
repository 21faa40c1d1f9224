/**
 * E-mail: every message the toolkit sends is one row of `mail_message`, keyed by an idempotency key
 * (`invitation:<respondent>:<invitation>`, `reminder:<round>:<respondent>`, …) that a unique index
 * holds, so queueing the same message twice stores it once. The sender moves a row through
 * queued -> sending -> sent | retrying | failed. Respondents get the language their messages are
 * written in, and invitations an encrypted copy of their token (AES-256-GCM, key outside the
 * database), so that a reminder can carry a working link without the token ever being stored in
 * plain text.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('respondent')
    .addColumn('language', 'text', (c) => c.notNull().defaultTo('en').check(sql`language in ('en', 'fr', 'es')`))
    .execute();
  await db.schema.alterTable('invitation').addColumn('token_sealed', 'text').execute();
  await db.schema
    .createTable('mail_message')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('invitation', 'reminder', 'reminder_amended', 'lost_link')`))
    .addColumn('survey_id', 'text', (c) => c.notNull())
    .addColumn('respondent_id', 'integer', (c) => c.notNull().references('respondent.id'))
    .addColumn('invitation_id', 'integer', (c) => c.references('invitation.id'))
    .addColumn('round', 'text')
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('queued').check(sql`state in ('queued', 'sending', 'sent', 'retrying', 'failed')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('claimed_at', 'timestamptz')
    .addColumn('claimed_by', 'text')
    .addColumn('reply', 'text')
    .addColumn('error', 'text')
    .addColumn('queued_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('sent_at', 'timestamptz')
    .execute();
  await sql`create index mail_message_due on mail_message (next_attempt_at) where state in ('queued', 'retrying', 'sending')`.execute(db);
  await sql`create index mail_message_respondent on mail_message (respondent_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('mail_message').execute();
  await db.schema.alterTable('invitation').dropColumn('token_sealed').execute();
  await db.schema.alterTable('respondent').dropColumn('language').execute();
}
