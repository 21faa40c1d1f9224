/**
 * Free text in the row file: withheld (`.w`) unless an analyst approved it, published as approved
 * (names removed), and withheld again once the respondent amends and resubmits the answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveText } from '../../../server/free-text/text-approvals.queries.ts';
import { saveAnswers, submitResponse } from '../../../server/responses/response-service.ts';
import { createTestDatabase, TEST_DATABASE_KIND, type TestDatabase } from '../../support/database.ts';
import { ANALYSIS_NOW, publishAnalysisSurveys } from '../support/analysis-data.ts';
import { exportBundle, removeBundles, type Bundle } from './support/bundle.ts';
import { analyst, storeRespondents, type PlannedRespondent, type SeededRespondent } from './support/export-data.ts';

/** Six African governments with no role: one class of the row file, so every row is published at k = 3. */
const CASES = {
  unapproved: { country: 'GHA', comment: 'Ask Perpetua Okonkwo-Brandt, she knows' },
  approved: { country: 'KEN', comment: 'Minister Ignatius Vallory wants yearly meetings', published: '[removed] wants yearly meetings' },
  amendedResubmitted: { country: 'NGA', comment: 'Fewer side events, says Dr Hesper Quain', published: 'Fewer side events, says [removed]' },
  amendedNotResubmitted: { country: 'SEN', comment: 'More regional meetings, Ambassador Lisette Marrow', published: 'More regional meetings, [removed]' },
  staleApproval: { country: 'UGA', comment: 'A permanent secretariat, per Osric Delacourt' },
  noComment: { country: 'RWA' },
} as const;
const AMENDED = 'Actually: no more side events at all (Hesper Quain)';

describe(`export bundle free text (${TEST_DATABASE_KIND})`, { timeout: 120_000 }, () => {
  let handle: TestDatabase;
  let seeded: SeededRespondent[];
  let bundle: Bundle;
  const rowOf = (name: keyof typeof CASES) => {
    const staff = String(seeded.find((r) => r.country === CASES[name].country)!.answers.g_staff);
    return bundle.csv('responses-restricted.csv').rows.find((r) => r.g_staff === staff)!;
  };

  beforeAll(async () => {
    handle = await createTestDatabase();
    await publishAnalysisSurveys(handle.db);
    const planned = Object.values(CASES).map(
      (c, i): PlannedRespondent => ({
        surveyId: 'analysis-gov',
        name: `Delegation ${i} of ${c.country}`,
        email: `delegation${i}@mfa.example.org`,
        kind: 'government',
        country: c.country,
        region: 'Africa',
        roles: [],
        orgType: '',
        answers: { g_attended: 'no', g_chair: 'rotating', g_staff: 500 + i, ...('comment' in c ? { g_comment: c.comment } : {}) },
        status: 'submitted',
        approved: 'published' in c ? { g_comment: c.published } : {},
      }),
    );
    seeded = await storeRespondents(handle.db, planned);
    const { id: userId } = await analyst(handle.db);
    const respondentOf = async (country: string) =>
      (await handle.db.selectFrom('respondent').select('id').where('country', '=', country).executeTakeFirstOrThrow()).id;
    const responseOf = (country: string) => seeded.find((r) => r.country === country)!.responseId;

    // Approved for a text the respondent never gave: the hash cannot match.
    await approveText(handle.db, {
      responseId: responseOf('UGA'),
      questionId: 'g_comment',
      answerText: 'some other text',
      publishedText: 'A permanent secretariat, per [removed]',
      userId,
    });
    // Amended and submitted again after the approval.
    const nga = await respondentOf('NGA');
    await saveAnswers(handle.db, {
      respondentId: nga,
      baseRevision: 1,
      answers: { g_comment: AMENDED },
      scope: ['g_comment'],
      language: 'en',
      now: ANALYSIS_NOW,
    });
    await submitResponse(handle.db, { respondentId: nga, now: ANALYSIS_NOW });
    // Amended but not submitted again: the export covers the latest submission, which was approved.
    const sen = await respondentOf('SEN');
    await saveAnswers(handle.db, {
      respondentId: sen,
      baseRevision: 1,
      answers: { g_comment: 'Unsubmitted draft naming Lisette Marrow' },
      scope: ['g_comment'],
      language: 'en',
      now: ANALYSIS_NOW,
    });

    bundle = await exportBundle(handle.db, { surveyId: 'analysis-gov', k: 3 });
  }, 120_000);
  afterAll(async () => {
    removeBundles();
    await handle?.close();
  });

  it('publishes every response, in one class', () => {
    expect(bundle.csv('responses-restricted.csv').rows).toHaveLength(6);
    expect(new Set(bundle.csv('responses-restricted.csv').rows.map((r) => r.region))).toEqual(new Set(['Africa']));
  });

  it('withholds an unapproved answer as .w', () => {
    expect(rowOf('unapproved').g_comment).toBe('.w');
  });

  it('publishes an approved answer as approved, not as given', () => {
    expect(rowOf('approved').g_comment).toBe(CASES.approved.published);
  });

  it('withholds an answer amended and resubmitted after its approval', () => {
    expect(rowOf('amendedResubmitted').g_comment).toBe('.w');
  });

  it('keeps publishing an approved answer whose amendment was never submitted', () => {
    expect(rowOf('amendedNotResubmitted').g_comment).toBe(CASES.amendedNotResubmitted.published);
  });

  it('withholds an answer whose approval names another text, and codes a blank answer .a', () => {
    expect(rowOf('staleApproval').g_comment).toBe('.w');
    expect(rowOf('noComment').g_comment).toBe('.a');
  });

  it('counts published and withheld texts in the manifest, and no answer as given appears in any file', () => {
    expect(bundle.manifest.disclosure_control.free_text).toEqual({ published: 2, withheld: 3 });
    const given = [...Object.values(CASES).flatMap((c) => ('comment' in c ? [c.comment] : [])), AMENDED, 'Unsubmitted draft naming Lisette Marrow'];
    const names = ['Okonkwo', 'Vallory', 'Quain', 'Marrow', 'Delacourt'];
    for (const [file, bytes] of bundle.raw) {
      const text = bytes.toString('utf8');
      expect(
        [...given, ...names].filter((needle) => text.includes(needle)),
        file,
      ).toEqual([]);
    }
  });
});
