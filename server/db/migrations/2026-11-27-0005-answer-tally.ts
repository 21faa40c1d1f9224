/**
 * Running counts of the submitted answers, per group of respondents, for the dashboard (see
 * server/db/answer-tally.queries.ts) and the deltas writers append to them, and an index for
 * the free-text lists.
 */
import { sql, type CreateTableBuilder, type Kysely } from 'kysely';

/** The key of a count and the count: the columns of answer_tally and of its deltas. */
function countColumns(table: CreateTableBuilder<string, never>) {
  return (
    table
      .addColumn('survey_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      // '' for respondents without a region (a key column cannot be null).
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('roles', sql`text[]`, (c) => c.notNull())
      // responses | excluded | hidden | answered | substantive | code | number
      .addColumn('metric', 'text', (c) => c.notNull())
      .addColumn('question_id', 'text', (c) => c.notNull())
      .addColumn('item', 'text', (c) => c.notNull())
      .addColumn('code', 'text', (c) => c.notNull())
      .addColumn('value', 'float8', (c) => c.notNull())
      .addColumn('n', 'integer', (c) => c.notNull())
  );
}

export async function up(db: Kysely<any>): Promise<void> {
  await countColumns(db.schema.createTable('answer_tally'))
    .addUniqueConstraint('answer_tally_key', ['survey_id', 'kind', 'region', 'roles', 'metric', 'question_id', 'item', 'code', 'value'])
    .execute();
  // Reads take one survey's counts of one or two metrics.
  await db.schema.createIndex('answer_tally_metric').on('answer_tally').columns(['survey_id', 'metric', 'question_id']).execute();
  // Signed changes appended by the writers, folded into answer_tally every few seconds.
  await countColumns(db.schema.createTable('answer_tally_delta')).execute();
  // The counts of answers already stored are filled by migrateToLatest, once every migration has run.
  // The dashboard lists the first free-text answers of a question in response order: with this
  // index it reads them in that order and stops at the limit, instead of sorting them all.
  await sql`create index answer_text_by_question on answer (question_id, response_id) where code is null and text is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('answer_text_by_question').execute();
  await db.schema.dropTable('answer_tally_delta').execute();
  await db.schema.dropTable('answer_tally').execute();
}
