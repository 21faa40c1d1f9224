/**
 * The migration that keeps the rows of each response's latest submission apart from those of its
 * latest saved revision, run over answers stored under the schema before it: a response amended
 * and not submitted again must keep counting its submitted answers, one submitted at its latest
 * revision its saved rows, and one never submitted nothing.
 */
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { loadDefinitions } from '../../../survey-definitions/load-definitions.ts';
import { hiddenQuestions } from '../../../survey-definitions/visibility.ts';
import { scanCountAnswersByCode, scanCountHiddenByQuestion } from '../../../server/analysis/analysis.queries.ts';
import { tallyAnswersByCode, tallyResponses } from '../../../server/analysis/tally.queries.ts';
import type { DatabaseHandle } from '../../../server/db/connect.ts';
import { migrateToLatest, migrateUpTo } from '../../../server/db/migrate.ts';
import { answerRows } from '../../../server/db/answer-rows.ts';
import { syncDefinitions } from '../../../server/surveys/sync-definitions.ts';
import { createEmptyDatabase, TEST_DATABASE_KIND } from '../../support/database.ts';
import { FLOW_SURVEYS } from '../support/app-fixture.ts';

describe(`migration to submitted answer rows (${TEST_DATABASE_KIND})`, { timeout: 120_000 }, () => {
  let handle: DatabaseHandle | undefined;
  afterEach(() => handle?.close());

  it('builds the submitted rows of amended responses from their submissions, and the counts from them', async () => {
    handle = await createEmptyDatabase();
    const db = handle.db;
    await migrateUpTo(db, '2026-11-27-0005-answer-tally');
    expect((await syncDefinitions(db, FLOW_SURVEYS)).problems).toEqual([]);
    const { definitions } = await loadDefinitions(FLOW_SURVEYS);
    const definition = definitions.find((d) => d.definition.id === 'flow-gov')!.definition;
    const { id: versionId } = await db.selectFrom('survey_version').select('id').where('survey_id', '=', 'flow-gov').executeTakeFirstOrThrow();

    const submitted = { q_role: 'ministry', q_attended: 'yes', q_meetings: ['2007'], q_ratings: { relevant: '2', efficient: '3' } };
    const amendedTo = { q_role: 'embassy', q_attended: 'no', q_ratings: { relevant: '1' } };
    /** Stores a response as the schema before the migration did: revisions, rows of the latest, submissions. */
    async function stored(name: string, revisions: Record<string, unknown>[], submittedRevision: number | null): Promise<number> {
      const { id: respondentId } = await db
        .insertInto('respondent')
        .values({ survey_id: 'flow-gov', kind: 'government', name, source: 'invitation' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const latest = revisions.at(-1)!;
      const { rows } = await sql<{ id: number }>`
        insert into response (respondent_id, survey_version_id, language, revision, status, submitted_revision, hidden_questions, submitted_at, first_submitted_at)
        values (${respondentId}, ${versionId}, 'en', ${revisions.length}, ${submittedRevision ? 'submitted' : 'in_progress'}, ${submittedRevision},
                ${[...hiddenQuestions(definition, latest as never)]}::text[], ${submittedRevision ? new Date() : null}, ${submittedRevision ? new Date() : null})
        returning id`.execute(db);
      const responseId = rows[0]!.id;
      for (const [i, answers] of revisions.entries()) {
        await db
          .insertInto('response_revision')
          .values({ response_id: responseId, revision: i + 1, answers: JSON.stringify(answers) })
          .execute();
      }
      for (const row of answerRows(definition, latest as never))
        await db
          .insertInto('answer')
          .values({ ...row, response_id: responseId })
          .execute();
      if (submittedRevision) {
        const answers = JSON.stringify(revisions[submittedRevision - 1]);
        await db
          .insertInto('submission')
          .values({ response_id: responseId, revision: submittedRevision, survey_version_id: versionId, answers, submitted_at: new Date() })
          .execute();
      }
      return responseId;
    }
    const amended = await stored('Amended, not resubmitted', [submitted, amendedTo], 1);
    const current = await stored('Submitted at its latest revision', [amendedTo, submitted], 2);
    const draft = await stored('Never submitted', [amendedTo], null);

    await migrateToLatest(db);

    const rowsOf = async (responseId: number) =>
      await db
        .selectFrom('submitted_answer')
        .select(['question_id', 'item', 'code', 'number', 'text'])
        .where('response_id', '=', responseId)
        .orderBy('question_id')
        .orderBy('item')
        .orderBy('code')
        .execute();
    const expected = [
      { question_id: 'q_attended', item: '', code: 'yes', number: null, text: null },
      { question_id: 'q_meetings', item: '', code: '2007', number: null, text: null },
      { question_id: 'q_ratings', item: 'efficient', code: '3', number: 3, text: null },
      { question_id: 'q_ratings', item: 'relevant', code: '2', number: 2, text: null },
      { question_id: 'q_role', item: '', code: 'ministry', number: null, text: null },
    ];
    expect(await rowsOf(amended)).toEqual(expected);
    expect(await rowsOf(current)).toEqual(expected);
    expect(await rowsOf(draft)).toEqual([]);
    // What the submissions hid: nothing; the amendment ("did not attend") hid the questions on the meetings.
    const hidden = await db.selectFrom('response').select(['id', 'hidden_questions', 'submitted_hidden_questions']).orderBy('id').execute();
    expect(hidden.map((r) => [r.hidden_questions, r.submitted_hidden_questions])).toEqual([
      [['q_meetings', 'q_meeting_lesson'], []],
      [[], []],
      [['q_meetings', 'q_meeting_lesson'], []],
    ]);

    // The running counts, rebuilt after the migration, count the two submissions alike.
    expect(await tallyResponses(db, 'flow-gov', {})).toEqual({ responses: 2, excluded: 0 });
    const roles = (await tallyAnswersByCode(db, 'flow-gov', {})).filter((c) => c.questionId === 'q_role');
    expect(roles).toEqual([{ questionId: 'q_role', item: '', code: 'ministry', segment: null, respondents: 2 }]);
    expect(await scanCountAnswersByCode(db, 'flow-gov', {})).toEqual(await tallyAnswersByCode(db, 'flow-gov', {}));
    expect(await scanCountHiddenByQuestion(db, 'flow-gov', {})).toEqual([]);
  });
});
