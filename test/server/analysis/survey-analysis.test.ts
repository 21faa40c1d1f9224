/**
 * The assembled results of a survey and the group comparisons, against a real database, on the
 * data sets of test/server/support/analysis-data.ts. Expected figures are worked out by hand in
 * the comments or taken from test/analysis/reference-vectors.json (SciPy).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChoiceResult, NumericResult, QuestionResult, RankingResult, ScaleResult, TextResult } from '../../../analysis/results.ts';
import { analyzeSurvey, compareGroups, compareSharedQuestions } from '../../../server/analysis/survey-analysis.ts';
import { expectClose, reference } from '../../analysis/reference-vectors.ts';
import { createTestDatabase, TEST_DATABASE_KIND, type TestDatabase } from '../../support/database.ts';
import { publishAnalysisSurveys, ROTATING_V2, seedBaseData, seedComparisonData, seedResponses, type Respondent } from '../support/analysis-data.ts';

const NOW = new Date('2026-03-03T10:00:00Z');

/*
 * Wilson 95 % intervals worked out by hand: z = 1.959963984540054, centre (p + z²/2n) / (1 + z²/n),
 * half-width z / (1 + z²/n) · √(p(1 − p)/n + z²/4n²).
 *   4/5: centre 0.6696552605650475, half 0.29412063080252226 → [0.3755346297625253, 0.9637758913675698]
 *   3/5: centre 0.5565517535216824, half 0.3258274722456696  → [0.2307242812760128, 0.882379225767352]
 *   2/5: centre 0.44344824647831743, half 0.3258274722456696 → [0.11762077423264783, 0.769275718723987]
 *   1/6: centre 0.2967780959673884, half 0.26672472621908183 → [0.03005336974830658, 0.5635028221864702]
 */
function expectInterval(ci: [number, number] | null, lower: number, upper: number): void {
  expect(ci).not.toBeNull();
  expect(ci![0]).toBeCloseTo(lower, 12);
  expect(ci![1]).toBeCloseTo(upper, 12);
}

function find<K extends QuestionResult['kind']>(questions: QuestionResult[], id: string, kind: K): Extract<QuestionResult, { kind: K }> {
  const result = questions.find((q) => q.questionId === id);
  expect(result?.kind).toBe(kind);
  return result as Extract<QuestionResult, { kind: K }>;
}

describe(`analyzeSurvey (${TEST_DATABASE_KIND})`, () => {
  let handle: TestDatabase;
  let ids: Record<string, number>;
  beforeAll(async () => {
    handle = await createTestDatabase();
    await publishAnalysisSurveys(handle.db);
    ids = await seedBaseData(handle.db);
  });
  afterAll(() => handle.close());

  it('assembles every question for an analyst, labelled from the current version', async () => {
    const analysis = await analyzeSurvey(handle.db, 'analysis-gov', {}, { role: 'analyst', now: NOW });
    expect(analysis).toMatchObject({
      surveyId: 'analysis-gov',
      title: 'Analysis test for governments',
      filters: { status: 'submitted' },
      responses: 6,
      excluded: 1,
      generatedAt: NOW.toISOString(),
    });
    expect(analysis.questions.map((q) => q.questionId)).toEqual([
      'g_attended',
      'g_meetings',
      'g_chair',
      'g_support',
      'g_bodies',
      'g_staff',
      'g_priorities',
      'g_comment',
    ]);

    // yes: R1 R2 R4 R8, no: R3, dk: R6. Shares of the 5 substantive answers; dk's of all 6.
    const attended: ChoiceResult = find(analysis.questions, 'g_attended', 'choice');
    expect(attended).toMatchObject({ n: 6, missing: 0, hidden: 0, multiple: false });
    expect(attended.options.map((o) => [o.code, o.label, o.count, o.share])).toEqual([
      ['yes', 'Yes', 4, 0.8],
      ['no', 'No', 1, 0.2],
    ]);
    expectInterval(attended.options[0]!.ci95, 0.3755346297625253, 0.9637758913675698);
    expect(attended.nonSubstantive.map((o) => [o.code, o.count, o.share])).toEqual([['dk', 1, 1 / 6]]);
    expectInterval(attended.nonSubstantive[0]!.ci95, 0.03005336974830658, 0.5635028221864702);

    // Rotating: R1 R2 under version 1, R8 under version 2, labelled as in version 2.
    const chair: ChoiceResult = find(analysis.questions, 'g_chair', 'choice');
    expect(chair).toMatchObject({ n: 6, missing: 0, hidden: 0, sharedKey: 'chair_model' });
    expect(chair.options.map((o) => [o.code, o.label, o.count, o.share])).toEqual([
      ['rotating', ROTATING_V2, 3, 0.6],
      ['permanent', 'A permanent secretariat', 2, 0.4],
    ]);
    expectInterval(chair.options[0]!.ci95, 0.2307242812760128, 0.882379225767352);
    expectInterval(chair.options[1]!.ci95, 0.11762077423264783, 0.769275718723987);
    expect(chair.nonSubstantive.map((o) => [o.code, o.count])).toEqual([['dk', 1]]);

    // Three respondents (six rows); hidden for R3 and R6, missing for R8. Shares may add past 1.
    const meetings: ChoiceResult = find(analysis.questions, 'g_meetings', 'choice');
    expect(meetings).toMatchObject({ n: 3, missing: 1, hidden: 2, multiple: true });
    expect(meetings.options.map((o) => [o.code, o.count, o.share])).toEqual([
      ['m2008', 1, 1 / 3],
      ['m2009', 2, 2 / 3],
      ['m2010', 3, 1],
    ]);

    // Support: 3 5 2 3 4 (R3's dk apart) = the second mean/median case of the reference vectors.
    const support: ScaleResult = find(analysis.questions, 'g_support', 'scale');
    expect(support).toMatchObject({ n: 6, missing: 0, hidden: 0, scale: 'agree5' });
    const row = support.rows[0]!;
    expect(row).toMatchObject({ code: '', n: 5, topBox: 2 / 5 });
    const [meanCase, medianCase] = [reference.mean_t_interval[1]!, reference.median[1]!];
    expect(meanCase.values).toEqual([3, 5, 2, 3, 4]);
    expectClose(row.mean, meanCase.mean, 'mean');
    expectClose(row.ci95?.[0], meanCase.ci95[0], 'lower');
    expectClose(row.ci95?.[1], meanCase.ci95[1], 'upper');
    expect(row.median).toBe(medianCase.median);
    expect(row.distribution.map((d) => [d.code, d.count])).toEqual([
      ['1', 0],
      ['2', 1],
      ['3', 2],
      ['4', 1],
      ['5', 1],
    ]);
    expect(row.distribution.map((d) => d.share)).toEqual([0, 0.2, 0.4, 0.2, 0.2]);
    expect(row.nonSubstantive.map((d) => [d.code, d.count, d.share])).toEqual([['dk', 1, 1 / 6]]);

    // Troika 5 4 3: mean 4, sd 1. With 2 degrees of freedom the t quantile has a closed form,
    // t(u, 2) = (2u − 1) / √(2u(1 − u)): t(0.975, 2) = 0.95 / √0.04875 = 4.302652729749464,
    // so the interval is 4 ∓ 4.302652729749464 / √3.
    const bodies: ScaleResult = find(analysis.questions, 'g_bodies', 'scale');
    expect(bodies).toMatchObject({ n: 3, missing: 3, hidden: 0 });
    const [troika, steering, friends] = bodies.rows;
    expect(troika).toMatchObject({ code: 'troika', label: 'Troika', n: 3, mean: 4, median: 4, topBox: 2 / 3 });
    expectInterval(troika!.ci95, 1.5158622882496688, 6.484137711750331);
    expect(steering).toMatchObject({ code: 'steering_group', n: 2, mean: 4, median: 4, ci95: [4, 4], topBox: 1 });
    expect(friends).toMatchObject({ code: 'friends', n: 0, mean: null, median: null, ci95: null, topBox: null });
    expect(friends!.nonSubstantive.map((d) => [d.code, d.count, d.share])).toEqual([['dk', 1, 1]]);

    // Staff 10 10 20 35: mean 18.75; type-7 quartiles at positions 0.75, 1.5, 2.25 → 10, 15, 23.75.
    const staff: NumericResult = find(analysis.questions, 'g_staff', 'numeric');
    expect(staff).toMatchObject({ n: 4, missing: 2, hidden: 0, mean: 18.75, median: 15, quartiles: [10, 15, 23.75], min: 10, max: 35 });
    // SD and t interval from SciPy; four answers are too few for a distribution-free interval of the median.
    const scipy = reference.mean_t_interval.find((c) => c.values.join() === '10,20,10,35')!;
    expectClose(staff.sd, scipy.sd, 'sd');
    expectClose(staff.meanCi95?.[0], scipy.ci95[0], 'lower');
    expectClose(staff.meanCi95?.[1], scipy.ci95[1], 'upper');
    expect(staff.medianCi).toBeNull();
    // Ten bins of 2.5 from 10 to 35: 10 → first, 20 → fifth, 35 → last.
    expect(staff.histogram.map((b) => b.count)).toEqual([2, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    expect(staff.histogram[4]).toEqual({ from: 20, to: 22.5, count: 1 });
    expect(staff.histogram[9]).toEqual({ from: 32.5, to: 35, count: 1 });

    // R1: labour 1, remittances 2; R2: remittances 1, labour 2, diaspora 3; R4: diaspora 1.
    const priorities: RankingResult = find(analysis.questions, 'g_priorities', 'ranking');
    expect(priorities).toMatchObject({ n: 3, missing: 3, hidden: 0 });
    expect(priorities.options).toEqual([
      { code: 'labour', label: 'Labour mobility', rankedBy: 2, meanRank: 1.5, firstShare: 1 / 3 },
      { code: 'remittances', label: 'Remittances', rankedBy: 2, meanRank: 1.5, firstShare: 1 / 3 },
      { code: 'diaspora', label: 'Diaspora', rankedBy: 2, meanRank: 2, firstShare: 1 / 3 },
    ]);

    const comment: TextResult = find(analysis.questions, 'g_comment', 'text');
    expect(comment).toMatchObject({ n: 2, missing: 4, hidden: 0 });
    expect(comment.answers).toEqual([
      { responseId: ids.R1, text: 'More follow-up between meetings.', tags: ['follow_up'] },
      { responseId: ids.R4, text: 'Too many side events.', tags: [] },
    ]);
  });

  it('refuses observers: live figures are the Assessment Team’s own', async () => {
    await expect(analyzeSurvey(handle.db, 'analysis-gov', {}, { role: 'observer' })).rejects.toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining('releases'),
    });
    // An analyst sees the excluded response counted apart, exact.
    expect(await analyzeSurvey(handle.db, 'analysis-gov', {}, { role: 'analyst' })).toMatchObject({ responses: 6, excluded: 1 });
  });

  it('applies the filters', async () => {
    const analysis = await analyzeSurvey(handle.db, 'analysis-gov', { kind: ['government'], region: ['Africa'], status: 'all' }, { role: 'admin' });
    // R1 R2 R3 R8 (R5 is in Asia): rotating R1 R2 R8, permanent R3.
    expect(analysis).toMatchObject({ filters: { kind: ['government'], region: ['Africa'], status: 'all' }, responses: 4, excluded: 0 });
    const chair = find(analysis.questions, 'g_chair', 'choice');
    expect(chair.options.map((o) => [o.code, o.count, o.share])).toEqual([
      ['rotating', 3, 0.75],
      ['permanent', 1, 0.25],
    ]);
  });

  it('refuses an unknown survey with not_found', async () => {
    await expect(analyzeSurvey(handle.db, 'no-such-survey', {}, { role: 'analyst' })).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe(`group comparisons (${TEST_DATABASE_KIND})`, () => {
  let handle: TestDatabase;
  beforeAll(async () => {
    handle = await createTestDatabase();
    await publishAnalysisSurveys(handle.db);
    await seedComparisonData(handle.db);
  });
  afterAll(() => handle.close());

  // Support 3 4 4 3 4 1 against 2 5 1 4 2 2 1: the first Mann-Whitney case; chair [[8, 2], [1, 5]]: the first Fisher case.
  const mannWhitney = () => reference.mann_whitney_u[0]!;
  const fisher = () => reference.fisher_exact_2x2[0]!;

  it('compares kinds of respondent, Holm-adjusted across the questions compared', async () => {
    expect(mannWhitney()).toMatchObject({ a: [3, 4, 4, 3, 4, 1], b: [2, 5, 1, 4, 2, 2, 1] });
    expect(fisher().table).toEqual([
      [8, 2],
      [1, 5],
    ]);
    const [support, chair, ...rest] = await compareGroups(handle.db, 'analysis-gov', ['g_support', 'g_chair'], 'kind', {}, { role: 'analyst' });
    expect(rest).toEqual([]);

    expect(support!.groups.map((g) => [g.key, g.label, g.n])).toEqual([
      ['government', 'Governments', 6],
      ['international_org', 'International organisations', 7],
    ]);
    expect(support!.groups[0]!.mean).toBeCloseTo(19 / 6, 12);
    expect(support!.groups[1]!.mean).toBeCloseTo(17 / 7, 12);
    expect(support!.test).toMatchObject({
      name: 'mann_whitney',
      title: 'Mann-Whitney U',
      statistic: mannWhitney().u_a,
      effect: { name: 'rank_biserial', title: 'rank-biserial r', label: 'medium' },
    });
    expectClose(support!.test!.p, mannWhitney().p_two_sided, 'p');
    expectClose(support!.test!.effect.value, mannWhitney().rank_biserial, 'rank-biserial');

    expect(chair!.groups.map((g) => [g.key, g.n, g.distribution.map((d) => d.count)])).toEqual([
      ['government', 10, [8, 2]],
      ['international_org', 6, [1, 5]],
    ]);
    expect(chair!.test).toMatchObject({
      name: 'fisher_exact',
      title: 'Fisher’s exact test',
      statistic: null,
      effect: { name: 'cramers_v', title: 'Cramér’s V', label: 'large' },
    });
    expectClose(chair!.test!.p, fisher().p_two_sided, 'p');
    // phi = (8·5 − 2·1) / √(10·6·9·7) = 38 / √3780
    expect(chair!.test!.effect.value).toBeCloseTo(38 / Math.sqrt(3780), 12);

    // Holm over two p-values: the smaller (chair) doubled, the larger (support) unchanged.
    expectClose(chair!.test!.pAdjusted, 2 * fisher().p_two_sided, 'chair adjusted');
    expectClose(support!.test!.pAdjusted, mannWhitney().p_two_sided, 'support adjusted');
    expect(chair!.summary).toBe(
      'No clear difference between governments and international organisations on ‘Who should host the Forum?’: p = 0.070 after adjustment, large effect (Cramér’s V 0.62).',
    );
    expect(support!.summary).toBe(
      'No clear difference between governments and international organisations on ‘The Support Unit serves the Forum well.’: p = 0.379 after adjustment, medium effect (rank-biserial r 0.31).',
    );

    // Alone, the chair comparison needs no adjustment and is significant.
    const [alone] = await compareGroups(handle.db, 'analysis-gov', ['g_chair'], 'kind', {}, { role: 'analyst' });
    expectClose(alone!.test!.pAdjusted, fisher().p_two_sided, 'alone');
    expect(alone!.summary).toBe(
      'Answers to ‘Who should host the Forum?’ differ between governments and international organisations: p = 0.035 after adjustment, large effect (Cramér’s V 0.62).',
    );
  });

  it('does not test a group of fewer than 5, and says so', async () => {
    // G1–G8 (Africa) chose rotating, G9–G10 (Europe) permanent; the organisations have no region.
    const [chair] = await compareGroups(handle.db, 'analysis-gov', ['g_chair'], 'region', {}, { role: 'analyst' });
    expect(chair!.groups.map((g) => [g.key, g.n, g.tested])).toEqual([
      ['Africa', 8, false],
      ['Europe', 2, false],
    ]);
    expect(chair!.test).toBeNull();
    expect(chair!.summary).toBe('Too few respondents to test ‘Who should host the Forum?’: fewer than two groups have 5 or more. Europe (2) not tested.');
    expect(chair!.warnings).toHaveLength(1);
  });

  it('compares the questions two questionnaires share, rows both share only, Holm across all pairs', async () => {
    const comparisons = await compareSharedQuestions(handle.db, 'analysis-gov', 'analysis-cs', { kind: ['government'] }, { role: 'analyst' });
    // chair_model, support_unit, and the two matrix rows both questionnaires have (not friends, not civil_society_days).
    expect(comparisons.map((c) => [c.sharedKey, c.questionId, c.row?.code ?? null])).toEqual([
      ['chair_model', 'g_chair', null],
      ['support_unit', 'g_support', null],
      ['bodies', 'g_bodies', 'troika'],
      ['bodies', 'g_bodies', 'steering_group'],
    ]);
    const [chair, support, troika] = comparisons;
    expect(chair!.groups.map((g) => [g.key, g.label, g.n])).toEqual([
      ['analysis-gov', 'Governments', 10],
      ['analysis-cs', 'Civil society', 6],
    ]);
    expectClose(chair!.test!.p, fisher().p_two_sided, 'chair p');
    expectClose(chair!.test!.pAdjusted, 2 * fisher().p_two_sided, 'chair adjusted');
    expectClose(support!.test!.p, mannWhitney().p_two_sided, 'support p');
    expectClose(support!.test!.pAdjusted, mannWhitney().p_two_sided, 'support adjusted');
    // Nobody answered the matrix: no test, and no weight in the adjustment.
    expect(troika!.test).toBeNull();
    expect(troika!.summary).toBe(
      'Too few respondents to test ‘Troika’: fewer than two groups have 5 or more. Governments (0) and Civil society (0) not tested.',
    );
  });
});

describe(`a comparison that leaves a small group out (${TEST_DATABASE_KIND})`, () => {
  let handle: TestDatabase;
  // Africa and Asia answer support as the first Mann-Whitney case; Oceania has 4 respondents. Chair:
  // Africa all rotating, Asia all permanent, Oceania rotating: no count of Africa or Asia is below 5.
  const mannWhitney = () => reference.mann_whitney_u[0]!;
  beforeAll(async () => {
    handle = await createTestDatabase();
    await publishAnalysisSurveys(handle.db);
    const region = (name: string, region: string, values: number[], chair: string): Respondent[] =>
      values.map((value, i) => ({
        name: `${name}${i + 1}`,
        kind: 'government',
        region,
        answers: { g_attended: 'no', g_chair: chair, g_support: String(value) },
      }));
    await seedResponses(handle.db, 'analysis-gov', [
      ...region('A', 'Africa', mannWhitney().a, 'rotating'),
      ...region('S', 'Asia', mannWhitney().b, 'permanent'),
      ...region('O', 'Oceania', [5, 5, 5, 5], 'rotating'),
    ]);
  });
  afterAll(() => handle.close());

  it('tests the groups of 5 or more and names the one left out', async () => {
    const [support] = await compareGroups(handle.db, 'analysis-gov', ['g_support'], 'region', {}, { role: 'analyst' });
    expect(support!.groups.map((g) => [g.key, g.n, g.tested])).toEqual([
      ['Africa', 6, true],
      ['Asia', 7, true],
      ['Oceania', 4, false],
    ]);
    expect(support!.test).toMatchObject({ name: 'mann_whitney', title: 'Mann-Whitney U', dof: null, statistic: mannWhitney().u_a });
    expectClose(support!.test!.p, mannWhitney().p_two_sided, 'p');
    expectClose(support!.test!.effect.value, mannWhitney().rank_biserial, 'rank-biserial');
    expect(support!.summary).toBe(
      'No clear difference between Africa and Asia on ‘The Support Unit serves the Forum well.’: p = 0.379 after adjustment, medium effect (rank-biserial r 0.31). Oceania (4) not tested.',
    );
  });

  it('refuses observers a comparison', async () => {
    await expect(compareGroups(handle.db, 'analysis-gov', ['g_chair'], 'region', {}, { role: 'observer' })).rejects.toMatchObject({ code: 'forbidden' });
  });
});
