import { sql, type Kysely } from 'kysely';

/** Questionnaire snapshots, respondents, invitations, responses, answers, sessions, audit log. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('survey_version')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('survey_id', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('definition', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('survey_version_content_unique', ['survey_id', 'content_hash'])
    .execute();

  await db.schema
    .createTable('survey')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('current_version_id', 'integer', (c) => c.notNull().references('survey_version.id'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('respondent')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('survey_id', 'text', (c) => c.notNull().references('survey.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('government', 'civil_society', 'international_org')`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('country', 'text')
    .addColumn('region', 'text')
    .addColumn('subregion', 'text')
    .addColumn('roles', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('org_type', 'text')
    .addColumn('email', 'text')
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('invitation', 'open_registration')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // One government answers once per questionnaire; its colleagues share the one link.
  await db.schema
    .createIndex('respondent_one_government_per_country')
    .on('respondent')
    .columns(['survey_id', 'country'])
    .unique()
    .where(sql.ref('kind'), '=', 'government')
    .execute();

  await db.schema
    .createTable('invitation')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('respondent_id', 'integer', (c) => c.notNull().references('respondent.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('first_opened_at', 'timestamptz')
    .addColumn('last_opened_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('invitation_respondent').on('invitation').column('respondent_id').execute();

  await db.schema
    .createTable('response')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('respondent_id', 'integer', (c) => c.notNull().unique().references('respondent.id').onDelete('cascade'))
    .addColumn('survey_version_id', 'integer', (c) => c.notNull().references('survey_version.id'))
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('in_progress').check(sql`status in ('in_progress', 'submitted')`))
    .addColumn('submitted_revision', 'integer')
    .addColumn('hidden_questions', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('first_submitted_at', 'timestamptz')
    .addColumn('submitted_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('answer')
    .addColumn('response_id', 'integer', (c) => c.notNull().references('response.id').onDelete('cascade'))
    .addColumn('question_id', 'text', (c) => c.notNull())
    .addColumn('item', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('code', 'text')
    .addColumn('number', 'float8')
    .addColumn('text', 'text')
    .execute();
  await db.schema.createIndex('answer_response').on('answer').column('response_id').execute();
  await db.schema.createIndex('answer_question_code').on('answer').columns(['question_id', 'item', 'code']).execute();

  await db.schema
    .createTable('response_revision')
    .addColumn('response_id', 'integer', (c) => c.notNull().references('response.id').onDelete('cascade'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('answers', 'jsonb', (c) => c.notNull())
    .addColumn('saved_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('response_revision_pk', ['response_id', 'revision'])
    .execute();

  await db.schema
    .createTable('submission')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('response_id', 'integer', (c) => c.notNull().references('response.id').onDelete('cascade'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('survey_version_id', 'integer', (c) => c.notNull().references('survey_version.id'))
    .addColumn('answers', 'jsonb', (c) => c.notNull())
    .addColumn('submitted_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // Submitting the same revision twice stores it once.
    .addUniqueConstraint('submission_once_per_revision', ['response_id', 'revision'])
    .execute();

  await db.schema
    .createTable('session')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('respondent_id', 'integer', (c) => c.references('respondent.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('subject', 'text')
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'audit_log',
    'session',
    'submission',
    'response_revision',
    'answer',
    'response',
    'invitation',
    'respondent',
    'survey',
    'survey_version',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
