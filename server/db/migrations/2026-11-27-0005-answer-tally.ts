/**
 * Running counts of the submitted answers, per group of respondents, for the dashboard (see
 * server/responses/answer-tally.queries.ts), filled from the answers already stored.
 */
import { sql, type Kysely } from 'kysely';
import { rebuildTallies } from '../../responses/answer-tally.queries.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('answer_tally')
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
    .addUniqueConstraint('answer_tally_key', ['survey_id', 'kind', 'region', 'roles', 'metric', 'question_id', 'item', 'code', 'value'])
    .execute();
  await rebuildTallies(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('answer_tally').execute();
}
