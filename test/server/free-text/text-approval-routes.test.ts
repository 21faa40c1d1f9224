/**
 * Approving free-text answers for publication through the app: the redacted text and the hash of
 * the answer stored, audited without the answer's words; CSRF, roles and identifying questions
 * refused; withdrawing; and an answer amended after its approval shown as changed.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answerSha256 } from '../../../server/free-text/text-approvals.queries.ts';
import { syncDefinitions } from '../../../server/surveys/sync-definitions.ts';
import { TEST_DATABASE_KIND } from '../../support/database.ts';
import { createAppFixture, SHIPPED_SURVEYS, WHILE_OPEN, type AppFixture } from '../support/app-fixture.ts';
import { inputValue, visibleText } from '../support/html.ts';
import { TeamMember } from '../support/team-session.ts';
import { addRespondent } from '../support/tracker-data.ts';

const PAGE = '/admin/free-text?survey=flow-gov&question=q_comment&q=&tag=';
const ANSWER = 'The Atlantis Diaspora Forum and maria@example.org helped us a lot.';
const PUBLISHED = 'The [removed] and [removed] helped us a lot.';

describe(`approving free text for publication (${TEST_DATABASE_KIND})`, () => {
  let fixture: AppFixture;
  let analyst: TeamMember;
  beforeEach(async () => {
    fixture = await createAppFixture();
    analyst = await TeamMember.signIn(fixture, 'analyst', { now: new Date(WHILE_OPEN) });
  });
  afterEach(() => fixture.close());

  /** A submitted response of a respondent named `name` with `text` as its answer to `questionId`. */
  async function answered(text: string, options: { name?: string; surveyId?: string; questionId?: string } = {}): Promise<number> {
    const { responseId } = await addRespondent(fixture.db, {
      surveyId: options.surveyId ?? 'flow-gov',
      name: options.name ?? 'Atlantis Diaspora Forum',
      response: { revision: 1, status: 'submitted', firstSubmittedAt: '2026-03-01T09:00:00Z' },
    });
    for (const table of ['answer', 'submitted_answer'] as const)
      await fixture.db
        .insertInto(table)
        .values({ response_id: responseId!, question_id: options.questionId ?? 'q_comment', item: '', code: null, number: null, text })
        .execute();
    return responseId!;
  }

  function approval(member: TeamMember, responseId: number, text: string, fields: Record<string, string> = {}, options: { csrf?: string | false } = {}) {
    return member.post(
      '/admin/free-text/approvals',
      { response: String(responseId), question: 'q_comment', sha256: answerSha256(text), action: 'approve', back: PAGE, ...fields },
      options,
    );
  }

  const approvals = () => fixture.db.selectFrom('text_approval').selectAll().execute();
  const auditOf = (action: string) => fixture.db.selectFrom('audit_log').select(['actor', 'subject', 'details']).where('action', '=', action).execute();

  it('shows the redacted preview, stores it on approval with the answer hash, and audits without the answer text', async () => {
    const responseId = await answered(ANSWER);
    const before = await (await analyst.get(PAGE)).text();
    expect(visibleText(before)).toContain('Not approved: not published');
    expect(visibleText(before)).toContain(`Wording to publish (names removed; edit before approving) ${PUBLISHED}`);
    expect(before).toContain('aria-label="Approve for publication: answer 1"');
    expect(inputValue(before, 'sha256')).toBe(answerSha256(ANSWER));

    const res = await approval(analyst, responseId, ANSWER);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(PAGE);
    expect(await approvals()).toEqual([
      expect.objectContaining({
        response_id: responseId,
        question_id: 'q_comment',
        answer_sha256: answerSha256(ANSWER),
        published_text: PUBLISHED,
        approved_by: analyst.userId,
      }),
    ]);
    const [entry, ...more] = await auditOf('text.approve');
    expect(more).toEqual([]);
    expect(entry).toMatchObject({ actor: analyst.email, subject: `response:${responseId}` });
    const details = JSON.stringify(entry!.details);
    for (const words of ['Atlantis', 'maria', 'helped', '[removed]']) expect(details).not.toContain(words);

    const after = visibleText(await (await analyst.get(PAGE)).text());
    expect(after).toContain('Approved for publication');
    expect(after).toContain(`Published as: ${PUBLISHED}`);
    expect(after).not.toContain('Approve for publication');
    expect(after).toContain('Withdraw approval');
  });

  it('refuses an approval without the CSRF token, or with another, and stores nothing', async () => {
    const responseId = await answered(ANSWER);
    expect((await approval(analyst, responseId, ANSWER, {}, { csrf: false })).status).toBe(403);
    expect((await approval(analyst, responseId, ANSWER, {}, { csrf: 'not-the-token' })).status).toBe(403);
    expect(await approvals()).toEqual([]);
    expect(await auditOf('text.approve')).toEqual([]);
  });

  it('refuses observers the page and the approval', async () => {
    const responseId = await answered(ANSWER);
    const observer = await TeamMember.signIn(fixture, 'observer', { now: new Date(WHILE_OPEN) });
    expect((await observer.get(PAGE)).status).toBe(403);
    expect((await approval(observer, responseId, ANSWER)).status).toBe(403);
    expect((await approval(observer, responseId, ANSWER, { action: 'withdraw' })).status).toBe(403);
    expect(await approvals()).toEqual([]);
  });

  it('lets admins approve too', async () => {
    const responseId = await answered(ANSWER);
    const admin = await TeamMember.signIn(fixture, 'admin', { now: new Date(WHILE_OPEN) });
    expect((await approval(admin, responseId, ANSWER)).status).toBe(303);
    expect((await approvals()).map((a) => a.approved_by)).toEqual([admin.userId]);
  });

  it('offers no approval for an identifying question and refuses a forged one', async () => {
    expect((await syncDefinitions(fixture.db, SHIPPED_SURVEYS)).problems).toEqual([]);
    const text = 'We changed our labour migration law after a GFMD session.';
    const responseId = await answered(text, { surveyId: 'government-assessment', name: 'Atlantis', questionId: 'g_policy_change_example' });
    const page = await (await analyst.get('/admin/free-text?survey=government-assessment&question=g_policy_change_example')).text();
    expect(visibleText(page)).toContain(text);
    expect(visibleText(page)).toContain('This question can identify the respondent: its answers are never published, so they cannot be approved.');
    expect(page).not.toContain('/admin/free-text/approvals');

    const res = await approval(analyst, responseId, text, { question: 'g_policy_change_example' });
    expect(res.status).toBe(422);
    expect(visibleText(await res.text())).toContain('cannot be approved');
    expect(await approvals()).toEqual([]);
  });

  it('refuses an approval for a response without such an answer, or an ill-formed one', async () => {
    const responseId = await answered(ANSWER);
    expect((await approval(analyst, responseId + 1, ANSWER)).status).toBe(404);
    expect((await approval(analyst, responseId, ANSWER, { question: 'Q; drop' })).status).toBe(422);
    expect((await approval(analyst, responseId, ANSWER, { action: 'publish' })).status).toBe(422);
    expect(await approvals()).toEqual([]);
  });

  it('withdraws an approval, audited, and refuses to withdraw one that is not there', async () => {
    const responseId = await answered(ANSWER);
    await approval(analyst, responseId, ANSWER);
    const res = await approval(analyst, responseId, ANSWER, { action: 'withdraw' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(PAGE);
    expect(await approvals()).toEqual([]);
    expect(await auditOf('text.withdraw')).toEqual([
      { actor: analyst.email, subject: `response:${responseId}`, details: { questionId: 'q_comment', answerSha256: answerSha256(ANSWER) } },
    ]);
    const page = visibleText(await (await analyst.get(PAGE)).text());
    expect(page).toContain('Not approved: not published');
    expect((await approval(analyst, responseId, ANSWER, { action: 'withdraw' })).status).toBe(409);
  });

  it('publishes the wording as the analyst edited it, and refuses an edit that still names someone or somewhere', async () => {
    const responseId = await answered(
      'Maria Gonzalez of the Atlantis Diaspora Forum in Dakar found the roundtables useful; write to maria.gonzalez (at) example.org.',
    );
    const edited = 'A diaspora organisation found the roundtables useful.';
    const answerText = (await fixture.db.selectFrom('submitted_answer').select('text').where('response_id', '=', responseId).executeTakeFirstOrThrow()).text!;
    for (const [wording, found] of [
      ['The Atlantis Diaspora Forum found the roundtables useful.', 'the name "Atlantis Diaspora Forum"'],
      ['An organisation in Dakar found them useful.', 'the place name "Dakar"'],
      ['An organisation in SENEGAL found them useful.', 'the place name "SENEGAL"'],
      ['Write to maria.gonzalez (at) example.org.', 'the e-mail address'],
      ['   ', 'empty'],
    ] as const) {
      const refused = await approval(analyst, responseId, answerText, { published: wording });
      expect(refused.status, wording).toBe(422);
      expect(visibleText(await refused.text()), wording).toContain(found);
    }
    expect(await approvals()).toEqual([]);

    expect((await approval(analyst, responseId, answerText, { published: `  ${edited}\r\n` })).status).toBe(303);
    expect(await approvals()).toEqual([expect.objectContaining({ response_id: responseId, answer_sha256: answerSha256(answerText), published_text: edited })]);
    expect(visibleText(await (await analyst.get(PAGE)).text())).toContain(`Published as: ${edited}`);
  });

  it('flags an answer written partly in another script for a close reading', async () => {
    await answered('Merci à 王芳 et à محمد pour leur aide.');
    const page = visibleText(await (await analyst.get(PAGE)).text());
    expect(page).toContain('Written partly in another script: names in it are not found automatically.');
  });

  it('shows an answer amended after its approval as changed, and approves it again only as now written', async () => {
    const responseId = await answered(ANSWER);
    await approval(analyst, responseId, ANSWER);
    const amended = 'Ambassador Osei of the Atlantis Diaspora Forum disagreed.';
    for (const table of ['answer', 'submitted_answer'] as const)
      await fixture.db.updateTable(table).set({ text: amended }).where('response_id', '=', responseId).where('question_id', '=', 'q_comment').execute();

    const page = visibleText(await (await analyst.get(PAGE)).text());
    expect(page).toContain('Changed since approval: not published until approved again');
    expect(page).toContain(`Published as: ${PUBLISHED}`);
    expect(page).toContain('Wording to publish (names removed; edit before approving) [removed] of the [removed] disagreed.');

    // The form of a page shown before the amendment names the old text: refused, nothing changes.
    expect((await approval(analyst, responseId, ANSWER)).status).toBe(409);
    expect((await approvals())[0]).toMatchObject({ answer_sha256: answerSha256(ANSWER), published_text: PUBLISHED });

    expect((await approval(analyst, responseId, amended)).status).toBe(303);
    expect((await approvals())[0]).toMatchObject({ answer_sha256: answerSha256(amended), published_text: '[removed] of the [removed] disagreed.' });
    expect(visibleText(await (await analyst.get(PAGE)).text())).toContain('Approved for publication');
  });
});
