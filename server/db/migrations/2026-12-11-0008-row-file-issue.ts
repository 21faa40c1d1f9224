/**
 * Row files issued: every file of one row per response that left the toolkit, public (with a
 * final release, at most once per questionnaire version) or restricted (the k-anonymous file, to a
 * named recipient for a stated purpose). One row per questionnaire version the file holds rows of.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('row_file_issue')
    .addColumn('id', 'integer', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('public', 'restricted')`))
    .addColumn('survey_id', 'text', (c) => c.notNull().references('survey.id'))
    .addColumn('survey_version_id', 'integer', (c) => c.notNull().references('survey_version.id'))
    // The release a public file was issued with; null for a restricted file (read from live data).
    .addColumn('release_id', 'integer', (c) => c.references('release.id'))
    .addColumn('recipient', 'text')
    .addColumn('purpose', 'text')
    .addColumn('rows', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('row_file_issue_public_has_release', sql`kind = 'restricted' or release_id is not null`)
    .addCheckConstraint('row_file_issue_restricted_has_recipient', sql`kind = 'public' or (recipient is not null and purpose is not null)`)
    .execute();
  // A questionnaire version's rows are published once: two public files of it could be compared.
  await db.schema
    .createIndex('row_file_issue_public_once')
    .on('row_file_issue')
    .column('survey_version_id')
    .unique()
    .where(sql.ref('kind'), '=', 'public')
    .execute();
  await db.schema.createIndex('row_file_issue_by_survey').on('row_file_issue').columns(['survey_id', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('row_file_issue').execute();
}
