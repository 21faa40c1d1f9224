/**
 * Phases (rounds) of the assessment: a respondent of a later phase's questionnaire may be the same
 * government or organisation as a respondent of an earlier one. `previous_respondent_id` links it to
 * that earlier respondent; the link is what pairs the two phases' answers. One earlier respondent is
 * carried into a given questionnaire at most once, which the unique index holds even for two
 * `phase open` runs at the same time.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('respondent')
    .addColumn('previous_respondent_id', 'integer', (c) => c.references('respondent.id'))
    .execute();
  await sql`create unique index respondent_carried_once on respondent (survey_id, previous_respondent_id)
    where previous_respondent_id is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists respondent_carried_once`.execute(db);
  await db.schema.alterTable('respondent').dropColumn('previous_respondent_id').execute();
}
