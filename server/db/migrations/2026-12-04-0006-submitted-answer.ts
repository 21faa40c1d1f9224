/**
 * The answer rows of each response's latest submission, beside the rows of its latest saved
 * revision (`answer`). Figures of submitted responses count these, so that saving changes to a
 * submitted response changes nothing published until it is submitted again.
 */
import { sql, type Kysely } from 'kysely';
import type { Answers } from '../../../survey-definitions/answers.ts';
import type { SurveyDefinition } from '../../../survey-definitions/types.ts';
import { hiddenQuestions } from '../../../survey-definitions/visibility.ts';
import { answerRows } from '../answer-rows.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('submitted_answer')
    .addColumn('response_id', 'integer', (c) => c.notNull().references('response.id').onDelete('cascade'))
    .addColumn('question_id', 'text', (c) => c.notNull())
    .addColumn('item', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('code', 'text')
    .addColumn('number', 'float8')
    .addColumn('text', 'text')
    .execute();
  await db.schema.createIndex('submitted_answer_response').on('submitted_answer').column('response_id').execute();
  await db.schema.createIndex('submitted_answer_question_code').on('submitted_answer').columns(['question_id', 'item', 'code']).execute();
  await sql`create index submitted_answer_text_by_question on submitted_answer (question_id, response_id) where code is null and text is not null`.execute(db);
  await db.schema
    .alterTable('response')
    .addColumn('submitted_hidden_questions', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .execute();

  // Responses whose latest saved revision is the one submitted: the rows are those of `answer`.
  await sql`
    insert into submitted_answer (response_id, question_id, item, code, number, text)
    select a.response_id, a.question_id, a.item, a.code, a.number, a.text
    from answer a join response p on p.id = a.response_id
    where p.submitted_revision = p.revision`.execute(db);
  await sql`update response set submitted_hidden_questions = hidden_questions where submitted_revision = revision`.execute(db);

  // Responses amended since their latest submission: rows made from the submitted answers, under
  // the questionnaire version they were submitted with.
  const amended = await sql<{ id: number; answers: Answers; definition: SurveyDefinition }>`
    select p.id, s.answers, v.definition
    from response p
    join submission s on s.response_id = p.id and s.revision = p.submitted_revision
    join survey_version v on v.id = s.survey_version_id
    where p.submitted_revision < p.revision`.execute(db);
  for (const { id, answers, definition } of amended.rows) {
    const rows = answerRows(definition, answers);
    if (rows.length)
      await db
        .insertInto('submitted_answer')
        .values(rows.map((r) => ({ ...r, response_id: id })))
        .execute();
    await db
      .updateTable('response')
      .set({ submitted_hidden_questions: [...hiddenQuestions(definition, answers)] })
      .where('id', '=', id)
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('response').dropColumn('submitted_hidden_questions').execute();
  await db.schema.dropTable('submitted_answer').execute();
}
