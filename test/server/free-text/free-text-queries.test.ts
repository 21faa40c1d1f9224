/**
 * The free-text page's list and the analysis results' texts read the same answers, searched the
 * same way (an escaped, case-insensitive ILIKE), on the base data set of
 * test/server/support/analysis-data.ts: R1 and R4 answered g_comment, R7's comment is excluded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAnalysisTexts } from '../../../server/analysis/text-answers.queries.ts';
import { listTextAnswers } from '../../../server/free-text/free-text.queries.ts';
import { createTestDatabase, TEST_DATABASE_KIND, type TestDatabase } from '../../support/database.ts';
import { publishAnalysisSurveys, seedBaseData } from '../support/analysis-data.ts';

describe(`text answers (${TEST_DATABASE_KIND})`, () => {
  let handle: TestDatabase;
  let ids: Record<string, number>;
  beforeAll(async () => {
    handle = await createTestDatabase();
    await publishAnalysisSurveys(handle.db);
    ids = await seedBaseData(handle.db);
  });
  afterAll(() => handle.close());

  const page = (options: { search?: string; tag?: string; limit?: number; offset?: number } = {}) =>
    listTextAnswers(handle.db, 'analysis-gov', 'g_comment', { limit: 10, offset: 0, ...options });
  const responsesOf = (answers: { responseId: number }[]) => answers.map((a) => a.responseId).sort((a, b) => a - b);

  it('the free-text page lists the submitted answers of responses not excluded, with kind, region and tags', async () => {
    const listed = await page();
    expect(listed.total).toBe(2);
    expect([...listed.answers].sort((a, b) => a.responseId - b.responseId)).toEqual([
      { responseId: ids.R1, text: 'More follow-up between meetings.', kind: 'government', region: 'Africa', tags: ['follow_up'] },
      { responseId: ids.R4, text: 'Too many side events.', kind: 'government', region: 'Europe', tags: [] },
    ]);
  });

  it('searches in any case, and %, _ and \\ literally', async () => {
    expect(responsesOf((await page({ search: 'FOLLOW' })).answers)).toEqual([ids.R1]);
    expect(await page({ search: '%' })).toEqual({ total: 0, answers: [] });
    expect(await page({ search: 'side_events' })).toEqual({ total: 0, answers: [] });
    expect(await page({ search: '\\' })).toEqual({ total: 0, answers: [] });
  });

  it('narrows to a tag and pages, counting all the answers', async () => {
    const tagged = await page({ tag: 'follow_up' });
    expect([tagged.total, responsesOf(tagged.answers)]).toEqual([1, [ids.R1]]);
    expect(await page({ tag: 'nothing' })).toEqual({ total: 0, answers: [] });
    const [first, second] = [await page({ limit: 1 }), await page({ limit: 1, offset: 1 })];
    expect([first.total, second.total]).toEqual([2, 2]);
    expect(responsesOf([...first.answers, ...second.answers])).toEqual([ids.R1, ids.R4]);
  });

  it('the analysis lists the same answers and searches them the same way', async () => {
    const listed = await page();
    const texts = await listAnalysisTexts(handle.db, 'analysis-gov', {}, 'g_comment');
    expect(texts).toEqual([...listed.answers].sort((a, b) => a.responseId - b.responseId).map(({ responseId, text, tags }) => ({ responseId, text, tags })));
    for (const search of ['FOLLOW', '%', 'side_events', '\\']) {
      const searched = responsesOf(await listAnalysisTexts(handle.db, 'analysis-gov', {}, 'g_comment', { search }));
      expect(searched, search).toEqual(responsesOf((await page({ search })).answers));
    }
  });
});
