/**
 * The approval queries on a real database: the hash the database computes for the status agrees
 * with Node's for any UTF-8 text, and the names offered for redaction are the survey's own.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertUser } from '../../../server/accounts/users.queries.ts';
import { answerSha256, approveText, getApprovals, respondentNames, withdrawApproval } from '../../../server/free-text/text-approvals.queries.ts';
import { TEST_DATABASE_KIND } from '../../support/database.ts';
import { createAppFixture, type AppFixture } from '../support/app-fixture.ts';
import { addRespondent } from '../support/tracker-data.ts';

describe(`text approval queries (${TEST_DATABASE_KIND})`, () => {
  let fixture: AppFixture;
  let userId: number;
  beforeEach(async () => {
    fixture = await createAppFixture();
    userId = await insertUser(fixture.db, { email: 'analyst@team.example.org', role: 'analyst' });
  });
  afterEach(() => fixture.close());

  async function answered(name: string, text: string, surveyId = 'flow-gov'): Promise<number> {
    const { responseId } = await addRespondent(fixture.db, { surveyId, name, response: { revision: 1, status: 'submitted' } });
    for (const table of ['answer', 'submitted_answer'] as const)
      await fixture.db.insertInto(table).values({ response_id: responseId!, question_id: 'q_comment', item: '', code: null, number: null, text }).execute();
    return responseId!;
  }

  it('hashes the UTF-8 text in the database as answerSha256 does, so a non-ASCII answer stays approved', async () => {
    const texts = ['Café à São Paulo — ñ, “quotes”, 😀', 'plain ascii', 'ligne 1\nligne 2\r\n\tfin'];
    const ids: number[] = [];
    for (const [i, text] of texts.entries()) {
      const id = await answered(`Respondent ${i}`, text);
      await approveText(fixture.db, { responseId: id, questionId: 'q_comment', answerText: text, publishedText: `published ${i}`, userId });
      ids.push(id);
    }
    const unapproved = await answered('Respondent 9', 'not approved');
    const approvals = await getApprovals(fixture.db, 'q_comment', [...ids, unapproved]);
    expect(ids.map((id) => approvals.get(id)?.status)).toEqual(['approved', 'approved', 'approved']);
    expect(approvals.get(ids[0]!)).toMatchObject({ publishedText: 'published 0', approvedAt: expect.any(Date) });
    expect(approvals.has(unapproved)).toBe(false);
    expect(answerSha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('reports an approval as changed when the answer is amended or emptied and submitted', async () => {
    const amended = await answered('A', 'first words');
    const emptied = await answered('B', 'other words');
    for (const id of [amended, emptied]) {
      const { text } = await fixture.db.selectFrom('answer').select('text').where('response_id', '=', id).executeTakeFirstOrThrow();
      await approveText(fixture.db, { responseId: id, questionId: 'q_comment', answerText: text!, publishedText: 'published', userId });
    }
    for (const table of ['answer', 'submitted_answer'] as const)
      await fixture.db.updateTable(table).set({ text: 'first words, amended' }).where('response_id', '=', amended).execute();
    for (const table of ['answer', 'submitted_answer'] as const) await fixture.db.deleteFrom(table).where('response_id', '=', emptied).execute();
    const approvals = await getApprovals(fixture.db, 'q_comment', [amended, emptied]);
    expect([approvals.get(amended)?.status, approvals.get(emptied)?.status]).toEqual(['changed', 'changed']);
  });

  it('replaces an earlier approval, and withdrawing what is not approved is a conflict', async () => {
    const id = await answered('A', 'words');
    await approveText(fixture.db, { responseId: id, questionId: 'q_comment', answerText: 'words', publishedText: 'one', userId });
    await approveText(fixture.db, { responseId: id, questionId: 'q_comment', answerText: 'words', publishedText: 'two', userId });
    expect((await fixture.db.selectFrom('text_approval').select('published_text').execute()).map((r) => r.published_text)).toEqual(['two']);
    await withdrawApproval(fixture.db, { responseId: id, questionId: 'q_comment', userId });
    await expect(withdrawApproval(fixture.db, { responseId: id, questionId: 'q_comment', userId })).rejects.toMatchObject({ code: 'conflict' });
    const actions = await fixture.db.selectFrom('audit_log').select('action').where('action', 'like', 'text.%').orderBy('id').execute();
    expect(actions.map((a) => a.action)).toEqual(['text.approve', 'text.approve', 'text.withdraw']);
  });

  it('lists the names of the respondents of one questionnaire, each once', async () => {
    await answered('Zeta Network', 'x');
    await answered('Alpha Ministry', 'y');
    await addRespondent(fixture.db, { surveyId: 'flow-gov', name: 'Alpha Ministry' });
    await addRespondent(fixture.db, { surveyId: 'flow-cs', name: 'Other Survey Org' });
    expect(await respondentNames(fixture.db, 'flow-gov')).toEqual(['Alpha Ministry', 'Zeta Network']);
  });
});
