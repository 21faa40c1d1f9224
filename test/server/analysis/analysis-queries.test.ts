/**
 * The counting queries of the dashboard, against a real database, on the base data set of
 * test/server/support/analysis-data.ts. Every expected count is read off that table by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  countAnsweredByQuestion,
  countAnswersByCode,
  countHiddenByQuestion,
  countNumericValues,
  countRanks,
  countResponses,
  type CodeCount,
} from '../../../server/analysis/analysis.queries.ts';
import { listAnalysisTexts as listTextAnswers } from '../../../server/analysis/text-answers.queries.ts';
import { createTestDatabase, TEST_DATABASE_KIND, type TestDatabase } from '../../support/database.ts';
import { publishAnalysisSurveys, seedBaseData } from '../support/analysis-data.ts';

/** `{ code: respondents }` of one question (and matrix row), for one segment. */
function countsOf(rows: CodeCount[], questionId: string, item = '', segment: string | null = null): Record<string, number> {
  return Object.fromEntries(rows.filter((r) => r.questionId === questionId && r.item === item && r.segment === segment).map((r) => [r.code, r.respondents]));
}

describe(`analysis queries (${TEST_DATABASE_KIND})`, () => {
  let handle: TestDatabase;
  let ids: Record<string, number>;
  // The queries only read: one database with the data set serves every test of this file.
  beforeAll(async () => {
    handle = await createTestDatabase();
    await publishAnalysisSurveys(handle.db);
    ids = await seedBaseData(handle.db);
  });
  afterAll(() => handle.close());

  it('the data set spans two versions of the questionnaire', async () => {
    const versions = await handle.db.selectFrom('response').select('survey_version_id').distinct().execute();
    expect(versions).toHaveLength(2);
  });

  describe('countResponses', () => {
    it.each([
      // R1 R2 R3 R4 R6 R8 are submitted and kept; R5 is in progress; R7 is excluded.
      ['no filter', {}, { responses: 6, excluded: 1 }],
      ['status all adds R5 in progress', { status: 'all' as const }, { responses: 7, excluded: 1 }],
      ['governments: R1 R2 R3 R4 R8, R7 excluded', { kind: ['government'] }, { responses: 5, excluded: 1 }],
      ['international organisations: R6', { kind: ['international_org'] }, { responses: 1, excluded: 0 }],
      ['Africa: R1 R2 R3 R8', { region: ['Africa'] }, { responses: 4, excluded: 0 }],
      ['governments in Africa', { kind: ['government'], region: ['Africa'] }, { responses: 4, excluded: 0 }],
      ['Africa or Europe: R1 R2 R3 R4 R6 R8', { region: ['Africa', 'Europe'] }, { responses: 6, excluded: 0 }],
      ['Americas: only the excluded R7', { region: ['Americas'] }, { responses: 0, excluded: 1 }],
      ['troika: R1 R4', { role: ['troika'] }, { responses: 2, excluded: 0 }],
      ['troika or steering group: R1 R2 R4, R4 once', { role: ['troika', 'steering_group'] }, { responses: 3, excluded: 0 }],
    ])('%s', async (_, filters, expected) => {
      expect(await countResponses(handle.db, 'analysis-gov', filters)).toEqual(expected);
    });

    it('knows nothing of another survey', async () => {
      expect(await countResponses(handle.db, 'analysis-cs', {})).toEqual({ responses: 0, excluded: 0 });
    });
  });

  describe('countAnswersByCode', () => {
    it('counts each code once per respondent, over both versions', async () => {
      const rows = await countAnswersByCode(handle.db, 'analysis-gov', {});
      // Rotating: R1 R2 (version 1) and R8 (version 2); permanent: R3 R6; don't know: R4.
      expect(countsOf(rows, 'g_chair')).toEqual({ rotating: 3, permanent: 2, dk: 1 });
      expect(countsOf(rows, 'g_attended')).toEqual({ yes: 4, no: 1, dk: 1 });
      // Six rows from three respondents: m2010 R1 R2 R4, m2009 R1 R4, m2008 R4.
      expect(countsOf(rows, 'g_meetings')).toEqual({ m2010: 3, m2009: 2, m2008: 1 });
      // Support: 3 (R1), 5 (R2), dk (R3), 2 (R4), 3 (R6), 4 (R8).
      expect(countsOf(rows, 'g_support')).toEqual({ '2': 1, '3': 2, '4': 1, '5': 1, dk: 1 });
      // Matrix rows: troika 5 (R1) 4 (R2) 3 (R4); steering group 4 (R1, R2); friends dk (R1).
      expect(countsOf(rows, 'g_bodies', 'troika')).toEqual({ '3': 1, '4': 1, '5': 1 });
      expect(countsOf(rows, 'g_bodies', 'steering_group')).toEqual({ '4': 2 });
      expect(countsOf(rows, 'g_bodies', 'friends')).toEqual({ dk: 1 });
      // Numbers and texts have no code.
      expect(rows.filter((r) => r.questionId === 'g_staff' || r.questionId === 'g_comment')).toEqual([]);
    });

    it('applies filters, status and exclusions', async () => {
      const africanGovernments = await countAnswersByCode(handle.db, 'analysis-gov', { kind: ['government'], region: ['Africa'] });
      // 3 governments in Africa answered rotating (R1 R2 R8), 1 permanent (R3).
      expect(countsOf(africanGovernments, 'g_chair')).toEqual({ rotating: 3, permanent: 1 });
      const all = await countAnswersByCode(handle.db, 'analysis-gov', { status: 'all' });
      // R5, in progress, adds rotating and support 1; R7 (excluded) never counts.
      expect(countsOf(all, 'g_chair')).toEqual({ rotating: 4, permanent: 2, dk: 1 });
      expect(countsOf(all, 'g_support')).toEqual({ '1': 1, '2': 1, '3': 2, '4': 1, '5': 1, dk: 1 });
      const troika = await countAnswersByCode(handle.db, 'analysis-gov', { role: ['troika'] });
      expect(countsOf(troika, 'g_chair')).toEqual({ rotating: 1, dk: 1 });
    });

    it('splits by segment: kind, region, and role (a respondent in each of its roles)', async () => {
      const byKind = await countAnswersByCode(handle.db, 'analysis-gov', {}, 'kind', ['g_support']);
      expect(countsOf(byKind, 'g_support', '', 'government')).toEqual({ '2': 1, '3': 1, '4': 1, '5': 1, dk: 1 });
      expect(countsOf(byKind, 'g_support', '', 'international_org')).toEqual({ '3': 1 });
      expect(byKind.every((r) => r.questionId === 'g_support')).toBe(true);

      const byRegion = await countAnswersByCode(handle.db, 'analysis-gov', {}, 'region', ['g_chair']);
      expect(countsOf(byRegion, 'g_chair', '', 'Africa')).toEqual({ rotating: 3, permanent: 1 });
      expect(countsOf(byRegion, 'g_chair', '', 'Europe')).toEqual({ permanent: 1, dk: 1 });

      const byRole = await countAnswersByCode(handle.db, 'analysis-gov', {}, 'role', ['g_attended']);
      // R4 holds both roles and counts in both; R3, R6 and R8 hold none and are in no group.
      expect(countsOf(byRole, 'g_attended', '', 'troika')).toEqual({ yes: 2 });
      expect(countsOf(byRole, 'g_attended', '', 'steering_group')).toEqual({ yes: 2 });
      expect(byRole.map((r) => r.segment).sort()).toEqual(['steering_group', 'troika']);
    });

    it('returns nothing for an empty list of questions', async () => {
      expect(await countAnswersByCode(handle.db, 'analysis-gov', {}, undefined, [])).toEqual([]);
    });
  });

  it('countAnsweredByQuestion counts respondents, not rows, and who said more than "don\'t know"', async () => {
    const rows = await countAnsweredByQuestion(handle.db, 'analysis-gov', {});
    const of = (id: string) => rows.find((r) => r.questionId === id);
    expect(of('g_meetings')).toEqual({ questionId: 'g_meetings', segment: null, respondents: 3, substantive: 3 });
    expect(of('g_chair')).toEqual({ questionId: 'g_chair', segment: null, respondents: 6, substantive: 5 });
    expect(of('g_attended')).toMatchObject({ respondents: 6, substantive: 5 });
    expect(of('g_bodies')).toMatchObject({ respondents: 3 });
    expect(of('g_staff')).toMatchObject({ respondents: 4 });
    expect(of('g_priorities')).toMatchObject({ respondents: 3 });
    expect(of('g_comment')).toMatchObject({ respondents: 2 });

    const byKind = await countAnsweredByQuestion(handle.db, 'analysis-gov', {}, 'kind', ['g_chair']);
    expect(byKind).toEqual([
      { questionId: 'g_chair', segment: 'government', respondents: 5, substantive: 4 },
      { questionId: 'g_chair', segment: 'international_org', respondents: 1, substantive: 1 },
    ]);
  });

  it('countHiddenByQuestion tells hidden (skip logic) from missing', async () => {
    // g_meetings is hidden for R3 ("no") and R6 ("don't know"); R8 said yes and skipped it (missing).
    expect(await countHiddenByQuestion(handle.db, 'analysis-gov', {})).toEqual([{ questionId: 'g_meetings', responses: 2 }]);
    // In progress, R5 said yes: still 2. Among governments only R3.
    expect(await countHiddenByQuestion(handle.db, 'analysis-gov', { status: 'all' })).toEqual([{ questionId: 'g_meetings', responses: 2 }]);
    expect(await countHiddenByQuestion(handle.db, 'analysis-gov', { kind: ['government'] })).toEqual([{ questionId: 'g_meetings', responses: 1 }]);
  });

  it('countNumericValues groups by value', async () => {
    // Staff: 10 (R1), 20 (R2), 10 (R3), 35 (R6).
    expect(await countNumericValues(handle.db, 'analysis-gov', {}, ['g_staff'])).toEqual([
      { questionId: 'g_staff', segment: null, value: 10, count: 2 },
      { questionId: 'g_staff', segment: null, value: 20, count: 1 },
      { questionId: 'g_staff', segment: null, value: 35, count: 1 },
    ]);
    expect(await countNumericValues(handle.db, 'analysis-gov', { region: ['Europe'] }, ['g_staff'], 'kind')).toEqual([
      { questionId: 'g_staff', segment: 'international_org', value: 35, count: 1 },
    ]);
  });

  it('countRanks counts respondents per option and rank', async () => {
    // R1: labour, remittances; R2: remittances, labour, diaspora; R4: diaspora.
    expect(await countRanks(handle.db, 'analysis-gov', {}, ['g_priorities'])).toEqual([
      { questionId: 'g_priorities', item: 'diaspora', rank: 1, respondents: 1 },
      { questionId: 'g_priorities', item: 'diaspora', rank: 3, respondents: 1 },
      { questionId: 'g_priorities', item: 'labour', rank: 1, respondents: 1 },
      { questionId: 'g_priorities', item: 'labour', rank: 2, respondents: 1 },
      { questionId: 'g_priorities', item: 'remittances', rank: 1, respondents: 1 },
      { questionId: 'g_priorities', item: 'remittances', rank: 2, respondents: 1 },
    ]);
  });

  it('listTextAnswers lists texts with tags, searched and limited, never excluded ones', async () => {
    const all = await listTextAnswers(handle.db, 'analysis-gov', {}, 'g_comment');
    expect(all).toEqual([
      { responseId: ids.R1, text: 'More follow-up between meetings.', tags: ['follow_up'] },
      { responseId: ids.R4, text: 'Too many side events.', tags: [] },
    ]);
    // R7's "Spam follow-up" matches too but is excluded; the search ignores case.
    expect(await listTextAnswers(handle.db, 'analysis-gov', {}, 'g_comment', { search: 'FOLLOW' })).toEqual([all[0]]);
    expect(await listTextAnswers(handle.db, 'analysis-gov', {}, 'g_comment', { search: '50%_' })).toEqual([]);
    expect(await listTextAnswers(handle.db, 'analysis-gov', {}, 'g_comment', { limit: 1 })).toEqual([all[0]]);
    expect(await listTextAnswers(handle.db, 'analysis-gov', { region: ['Europe'] }, 'g_comment')).toEqual([all[1]]);
  });

  it('binds values as parameters', () => {
    const region = "Africa'; drop table answer; --";
    return expect(countResponses(handle.db, 'analysis-gov', { region: [region], role: [region] })).resolves.toEqual({ responses: 0, excluded: 0 });
  });
});
