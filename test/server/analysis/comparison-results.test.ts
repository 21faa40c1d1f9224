/**
 * The pure parts of the analysis back end: sentences of comparisons, histogram bins, top boxes.
 */
import { describe, expect, it } from 'vitest';
import type { GroupComparison } from '../../../analysis/index.ts';
import { comparisonSentence, formatP, type ComparisonUnit } from '../../../server/analysis/comparison-results.ts';
import { equalWidthHistogram, scaleSummary } from '../../../server/analysis/question-results.ts';
import type { Scale } from '../../../survey-definitions/types.ts';

const unit: ComparisonUnit = {
  questionId: 'g_bodies',
  text: 'Each body does its job well.',
  row: { code: 'support_unit', label: 'Support Unit' },
  subject: 'Support Unit',
  measure: 'ordinal',
  verb: 'rated',
  columns: [],
  showDistribution: true,
  groups: [
    { key: 'civil_society', label: 'Civil society', phrase: 'civil society', counts: [] },
    { key: 'government', label: 'Governments', phrase: 'governments', counts: [] },
  ],
  warnings: [],
};

function mannWhitney(p: number, rankBiserial: number): GroupComparison {
  return {
    test: 'mann-whitney',
    explanation: '',
    groupSizes: [20, 30],
    groupsTested: [0, 1],
    groupsLeftOut: [],
    statistic: 100,
    dof: null,
    p,
    effectSize: { measure: 'rank-biserial', value: rankBiserial, label: 'medium', thresholds: [0.1, 0.3, 0.5] },
    warning: null,
  };
}

const withOceania: ComparisonUnit = {
  ...unit,
  groups: [...unit.groups, { key: 'Oceania', label: 'Oceania', phrase: 'Oceania', counts: [] }, { key: 'Asia', label: 'Asia', phrase: 'Asia', counts: [] }],
};

describe('comparisonSentence', () => {
  it('names the direction of a significant difference from the first group', () => {
    expect(comparisonSentence(unit, mannWhitney(0.001, -0.34), 0.003)).toBe(
      'Civil society rated ‘Support Unit’ lower than governments: p = 0.003 after adjustment, medium effect (rank-biserial r −0.34).',
    );
    expect(comparisonSentence(unit, mannWhitney(0.001, 0.34), 0.0004)).toBe(
      'Civil society rated ‘Support Unit’ higher than governments: p < 0.001 after adjustment, medium effect (rank-biserial r 0.34).',
    );
  });

  it('reads the adjusted p-value, not the raw one', () => {
    expect(comparisonSentence(unit, mannWhitney(0.02, -0.34), 0.06)).toBe(
      'No clear difference between civil society and governments on ‘Support Unit’: p = 0.060 after adjustment, medium effect (rank-biserial r −0.34).',
    );
  });

  it('names the groups left out of a test with their size, and compares the others', () => {
    const result = { ...mannWhitney(0.001, -0.34), groupSizes: [20, 30, 4, 0], groupsLeftOut: [2, 3] };
    expect(comparisonSentence(withOceania, result, 0.003)).toBe(
      'Civil society rated ‘Support Unit’ lower than governments: p = 0.003 after adjustment, medium effect (rank-biserial r −0.34). Oceania (4) and Asia (0) not tested.',
    );
    // Kruskal-Wallis on the second, third and fourth group only: the sentence lists those.
    const kruskal: GroupComparison = {
      ...mannWhitney(0.2, 0.05),
      test: 'kruskal-wallis',
      groupSizes: [3, 30, 12, 9],
      groupsTested: [1, 2, 3],
      groupsLeftOut: [0],
      effectSize: { measure: 'epsilon-squared', value: 0.05, label: 'small', thresholds: [0.01, 0.08, 0.26] },
    };
    expect(comparisonSentence(withOceania, kruskal, 0.4)).toBe(
      'No clear difference between governments, Oceania and Asia on ‘Support Unit’: p = 0.400 after adjustment, small effect (epsilon squared 0.05). Civil society (3) not tested.',
    );
  });

  it('says why no test ran', () => {
    const tooSmall: GroupComparison = {
      test: null,
      explanation: '',
      groupSizes: [3, 30],
      groupsTested: [],
      groupsLeftOut: [0],
      statistic: null,
      dof: null,
      p: null,
      effectSize: null,
      warning: { code: 'group-too-small', message: '', groups: [0] },
    };
    expect(comparisonSentence(unit, tooSmall, null)).toBe(
      'Too few respondents to test ‘Support Unit’: fewer than two groups have 5 or more. Civil society (3) not tested.',
    );
    expect(comparisonSentence({ ...unit, untestable: 'the two questionnaires use different scales.' }, null, null)).toBe(
      '‘Support Unit’ cannot be compared: the two questionnaires use different scales.',
    );
  });

  it.each([
    [0.0004, 'p < 0.001'],
    [0.001, 'p = 0.001'],
    [0.0499, 'p = 0.050'],
  ])('formatP(%s) = %s', (p, text) => expect(formatP(p)).toBe(text));
});

describe('equalWidthHistogram', () => {
  it('puts values on inner edges in the upper bin and the maximum in the last', () => {
    // 0.3 / 10 = 0.03 wide: 0.09 sits on the edge of bin 3 (an inexact division would put it in bin 2).
    const bins = equalWidthHistogram([
      { value: 0, count: 1 },
      { value: 0.09, count: 2 },
      { value: 0.3, count: 1 },
    ]);
    expect(bins).toHaveLength(10);
    expect(bins.map((b) => b.count)).toEqual([1, 0, 0, 2, 0, 0, 0, 0, 0, 1]);
    expect(bins[9]!.to).toBe(0.3);
  });

  it('gives one bin when every value is equal and none without values', () => {
    expect(equalWidthHistogram([{ value: 7, count: 3 }])).toEqual([{ from: 7, to: 7, count: 3 }]);
    expect(equalWidthHistogram([])).toEqual([]);
  });
});

describe('scaleSummary top box', () => {
  const point = (code: string, value: number, en: string) => ({ code, value, label: { en, fr: en, es: en } });
  const strength: Scale = {
    name: 'strength3',
    points: [point('1', 1, 'Too weak'), point('2', 2, 'About right'), point('3', 3, 'Too strong')],
    non_substantive: [],
  };
  // Too weak 4, about right 10, too strong 6: the old "top two" would have added about right to too strong (16 of 20).
  const counts = new Map([
    ['1', 4],
    ['2', 10],
    ['3', 6],
  ]);

  it('gives no top box for a scale that declares none (a bipolar scale)', () => {
    expect(scaleSummary(strength, counts)).toMatchObject({ n: 20, topBox: null });
  });

  it('adds up exactly the declared points', () => {
    expect(scaleSummary({ ...strength, top_box: ['3'] }, counts).topBox).toBe(6 / 20);
    expect(scaleSummary({ ...strength, top_box: ['3', '2'] }, counts).topBox).toBe(16 / 20);
    expect(scaleSummary({ ...strength, top_box: ['3'] }, new Map()).topBox).toBeNull();
  });
});
