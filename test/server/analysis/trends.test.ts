/**
 * Trends between phases against a real database, on the pairs of test/server/support/trends-data.ts.
 * Expected figures are worked out by hand in the comments, or computed with SciPy 1.17.1 where
 * named (the call is given beside each literal).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holmAdjust } from '../../../analysis/multiple-testing.ts';
import type { TrendItem, TrendsResult } from '../../../analysis/trend-results.ts';
import { trendsBetween } from '../../../server/analysis/trends.ts';
import { AppError } from '../../../server/errors.ts';
import { createTestDatabase, TEST_DATABASE_KIND, type TestDatabase } from '../../support/database.ts';
import { publishTrendSurveys, seedTrendData } from '../support/trends-data.ts';

const NOW = new Date('2026-03-03T10:00:00Z');

function item(result: TrendsResult, laterId: string, row?: string, group = 'all'): TrendItem {
  const found = result.groups.find((g) => g.key === group)?.items.find((i) => i.laterQuestionId === laterId && (row === undefined || i.row?.code === row));
  expect(found, `${laterId} ${row ?? ''} in ${group}`).toBeDefined();
  return found!;
}

describe(`trendsBetween (${TEST_DATABASE_KIND})`, () => {
  let handle: TestDatabase;
  let all: TrendsResult;
  beforeAll(async () => {
    handle = await createTestDatabase();
    await publishTrendSurveys(handle.db);
    await seedTrendData(handle.db);
    all = await trendsBetween(handle.db, 'trends-2011', 'trends-2012', {}, { role: 'analyst', now: NOW });
  }, 180_000);
  afterAll(() => handle.close());

  it('names both phases, counts the covered responses and the pairs, and lists the tied questions in the later order', () => {
    // 2011: E1–E8; 2012: L1–L7 (L8 excluded). Pairs: 1–6 (E8–L8 is not one: L8 is excluded).
    expect(all.from).toEqual({ surveyId: 'trends-2011', title: 'Look back 2011', phase: 2011, responses: 8 });
    expect(all.to).toEqual({ surveyId: 'trends-2012', title: 'Stocktake 2012', phase: 2012, responses: 7 });
    expect(all.groups.map((g) => [g.key, g.pairs])).toEqual([['all', 6]]);
    expect(all.groups[0]!.items.map((i) => `${i.laterQuestionId}${i.row ? `/${i.row.code}` : ''}`)).toEqual([
      'b_support',
      'b_bodies/troika',
      'b_bodies/steering_group',
      'b_attended',
      'b_chair',
      'b_topics/labour',
      'b_topics/remittances',
      'b_topics/diaspora',
    ]);
    // Tied, but numbers are not compared between phases (yet): said, not dropped silently.
    expect(all.notCompared).toEqual([
      {
        trendKey: 'staff',
        earlierQuestionId: 'a_staff',
        laterQuestionId: 'b_staff',
        text: 'How many staff work on migration?',
        reason: 'numeric questions are not compared between phases.',
      },
    ]);
  });

  it('gives a scale both phases’ figures, the change and Wilcoxon over the six pairs', () => {
    const support = item(all, 'b_support');
    // 2011: 2 3 1 4 2 3 1 1 (E1–E8), mean 17/8; 2012: 4 4 4 3 5 5 5 (L1–L7), mean 30/7.
    expect(support.earlier.n).toBe(8);
    expect(support.later.n).toBe(7);
    expect(support.earlier.mean).toBeCloseTo(17 / 8, 12);
    expect(support.later.mean).toBeCloseTo(30 / 7, 12);
    expect(support.change.mean).toBeCloseTo(30 / 7 - 17 / 8, 12);
    // Top box (4 or 5): 1 of 8, then 6 of 7.
    expect(support.earlier.topBox).toBeCloseTo(1 / 8, 12);
    expect(support.later.topBox).toBeCloseTo(6 / 7, 12);
    expect(support.earlier.distribution.map((d) => d.count)).toEqual([3, 2, 2, 1, 0]);
    expect(support.later.distribution.map((d) => d.count)).toEqual([0, 0, 1, 3, 3]);
    // Pairs: differences +2 +1 +3 −1 +3 +2, mean 10/6.
    expect(support.paired).toMatchObject({ n: 6, changed: 6 });
    expect(support.paired.meanChange).toBeCloseTo(10 / 6, 12);
    // scipy.stats.wilcoxon([4,4,4,3,5,5], [2,3,1,4,2,3]) → statistic 1.5, pvalue 0.09375
    // (ties: SciPy runs the exact permutation test). Rank-biserial (19.5 − 1.5) / 21.
    expect(support.paired.test).toMatchObject({ name: 'wilcoxon_signed_rank', statistic: 1.5 });
    expect(support.paired.test!.p).toBeCloseTo(0.09375, 12);
    expect(support.paired.test!.effect.value).toBeCloseTo(18 / 21, 12);
    expect(support.paired.test!.effect.label).toBe('large');
    // scipy.stats.mannwhitneyu([4,4,4,3,5,5,5], [2,3,1,4,2,3,1,1], method='asymptotic') → U 52.5, pvalue 0.0045637158708124416
    expect(support.overall.test).toMatchObject({ name: 'mann_whitney', statistic: 52.5 });
    expect(support.overall.test!.p).toBeCloseTo(0.0045637158708124416, 12);
    expect(support.overall.test!.effect.value).toBeCloseTo((2 * 52.5) / 56 - 1, 12);
  });

  it('pairs a matrix row renamed in the later phase (trend_codes) with its earlier row', () => {
    const sg = item(all, 'b_bodies', 'steering_group');
    expect(sg.row).toEqual({ code: 'steering_group', label: 'Steering Group' });
    expect(sg.earlier.distribution.map((d) => d.count)).toEqual([0, 0, 6, 0, 0]);
    expect(sg.later.distribution.map((d) => d.count)).toEqual([0, 1, 0, 5, 0]);
    // scipy.stats.wilcoxon([4,4,4,4,4,2], [3,3,3,3,3,3]) → statistic 3.5, pvalue 0.21875
    expect(sg.paired.test).toMatchObject({ name: 'wilcoxon_signed_rank', statistic: 3.5 });
    expect(sg.paired.test!.p).toBeCloseTo(0.21875, 12);
    const troika = item(all, 'b_bodies', 'troika');
    expect(troika.paired).toMatchObject({ n: 0, test: null });
    expect(troika.overall.test).toBeNull();
  });

  it('runs McNemar’s exact test on a yes/no', () => {
    const attended = item(all, 'b_attended');
    // 2011 yes: pairs 1 and 5 (2 of 6); 2012 yes: all but 5 (5 of 6).
    expect(attended.earlier.share).toMatchObject({ code: 'yes', count: 2, share: 2 / 6 });
    expect(attended.later.share).toMatchObject({ code: 'yes', count: 5, share: 5 / 6 });
    expect(attended.change.share).toBeCloseTo(0.5, 12);
    // Yes → no: 1 (pair 5); no → yes: 4. Exact: 2 · P(Bin(5, ½) ≤ 1) = 2 · 6/32 = 0.375; the share of yes
    // rose by (4 − 1) / 6 = 0.5.
    expect(attended.paired).toMatchObject({ n: 6, changed: 5 });
    expect(attended.paired.test).toMatchObject({ name: 'mcnemar', statistic: null });
    expect(attended.paired.test!.p).toBeCloseTo(0.375, 12);
    expect(attended.paired.test!.effect).toMatchObject({ name: 'proportion_difference', label: null });
    expect(attended.paired.test!.effect.value).toBeCloseTo(0.5, 12);
  });

  it('maps renamed options through trend_codes and runs Stuart-Maxwell on a single choice', () => {
    const chair = item(all, 'b_chair');
    // Earlier codes throughout: host → rotating, secretariat → permanent.
    expect(chair.earlier.distribution.map((d) => [d.code, d.count])).toEqual([
      ['rotating', 3],
      ['permanent', 2],
      ['mixed', 1],
    ]);
    expect(chair.later.distribution.map((d) => [d.code, d.count])).toEqual([
      ['rotating', 1],
      ['permanent', 4],
      ['mixed', 1],
    ]);
    // Table (rows 2011, columns 2012): rotating [0 2 1], permanent [1 1 0], mixed [0 1 0]. d = (3 − 1, 2 − 4) = (2, −2),
    // S = [[4, −3], [−3, 4]], S⁻¹ = [[4, 3], [3, 4]] / 7, χ² = (16 − 24 + 16) / 7 = 8/7, df 2, p = exp(−4/7).
    expect(chair.paired).toMatchObject({ n: 6, changed: 5 });
    expect(chair.paired.test).toMatchObject({ name: 'stuart_maxwell', dof: 2 });
    expect(chair.paired.test!.statistic).toBeCloseTo(8 / 7, 12);
    expect(chair.paired.test!.p).toBeCloseTo(Math.exp(-4 / 7), 12);
    expect(chair.paired.test!.effect.value).toBeCloseTo(Math.sqrt(8 / 7 / 6), 12);
  });

  it('compares each option of a multiple choice, paired by McNemar', () => {
    const diaspora = item(all, 'b_topics', 'diaspora');
    expect(diaspora.earlier.share).toMatchObject({ count: 0, share: 0 });
    expect(diaspora.later.share).toMatchObject({ count: 6, share: 1 });
    // Not chosen → chosen: 6, the other way 0: 2 · (½)⁶ = 0.03125.
    expect(diaspora.paired.test!.p).toBeCloseTo(0.03125, 12);
    const labour = item(all, 'b_topics', 'labour');
    // Pair 4 took it up, nobody dropped it: 2 · P(Bin(1, ½) ≤ 0) = 1.
    expect(labour.paired).toMatchObject({ n: 6, changed: 1 });
    expect(labour.paired.test!.p).toBe(1);
  });

  it('adjusts every test of the page together with Holm’s method and says the result in words', () => {
    const tests = all.groups.flatMap((g) => g.items.flatMap((i) => [i.paired.test, i.overall.test]));
    const adjusted = holmAdjust(tests.map((t) => t?.p ?? null));
    expect(tests.map((t) => t?.pAdjusted ?? null)).toEqual(adjusted);
    // Eight items, two without a paired test (troika row) or overall test (troika row): 14 tests.
    expect(tests.filter((t) => t !== null)).toHaveLength(14);
    // 0.09375 is the 5th smallest of the 14 p-values (× 10) and 0.0045637 the 2nd (× 13).
    expect(item(all, 'b_support').summary).toMatch(
      /^‘The Support Unit serves the Forum well\.’: mean 2\.13 → 4\.29 \(\+2\.16\)\. Paired, the 6 respondents with a view in both phases: Wilcoxon signed-rank test p = 0\.938 after adjustment, large effect \(matched-pairs rank-biserial r 0\.86\) \(no clear change\)\. Overall, all respondents of each phase: Mann-Whitney U p = 0\.059 after adjustment/,
    );
  });

  it('gives the trends per group with `by`, each group its own pairs', async () => {
    const byRegion = await trendsBetween(handle.db, 'trends-2011', 'trends-2012', {}, { role: 'analyst', now: NOW }, 'region');
    expect(byRegion.groups.map((g) => [g.key, g.label, g.pairs])).toEqual([
      ['Africa', 'Africa', 4],
      ['Europe', 'Europe', 2],
    ]);
    const europe = item(byRegion, 'b_support', undefined, 'Europe');
    expect(europe.paired).toMatchObject({ n: 2, test: null });
    expect(europe.paired.note).toMatch(/Fewer than 5/);
    // Africa 2011: E1–E4, E7, E8 = 2 3 1 4 1 1.
    expect(item(byRegion, 'b_support', undefined, 'Africa').earlier.n).toBe(6);
  });

  it('names groups as the comparisons do, and a group by role holds only respondents with that role', async () => {
    const byKind = await trendsBetween(handle.db, 'trends-2011', 'trends-2012', {}, { role: 'analyst', now: NOW }, 'kind');
    expect(byKind.groups.map((g) => [g.key, g.label, g.pairs])).toEqual([['government', 'Governments', 6]]);
    expect(item(byKind, 'b_support', undefined, 'government').paired.test!.p).toBeCloseTo(0.09375, 12);
    // Nobody holds a GFMD role here: no group at all, rather than a group of everyone.
    const byRole = await trendsBetween(handle.db, 'trends-2011', 'trends-2012', {}, { role: 'analyst', now: NOW }, 'role');
    expect(byRole.groups).toEqual([]);
  });

  it('applies the filters to both phases and to the pairs', async () => {
    const europe = await trendsBetween(handle.db, 'trends-2011', 'trends-2012', { region: ['Europe'] }, { role: 'analyst', now: NOW });
    expect([europe.from.responses, europe.to.responses, europe.groups[0]!.pairs]).toEqual([2, 2, 2]);
  });

  it('refuses an observer, and the same questionnaire twice', async () => {
    await expect(trendsBetween(handle.db, 'trends-2011', 'trends-2012', {}, { role: 'observer' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(trendsBetween(handle.db, 'trends-2011', 'trends-2011', {}, { role: 'analyst' })).rejects.toBeInstanceOf(AppError);
  });
});
