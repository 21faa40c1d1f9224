import { describe, expect, it } from 'vitest';
import { compareChoiceGroups, compareOrdinalGroups, effectLabel } from '../../analysis/compare-groups.ts';
import { toFrequencyTable } from '../../analysis/frequency-table.ts';
import { expectClose, reference } from './reference-vectors.ts';

describe('compareChoiceGroups', () => {
  it('uses chi-square when every expected count is at least 5', () => {
    const scipy = reference.chi_square_independence[0]!; // [[12, 5], [7, 14]]: smallest expected count 8.5
    const result = compareChoiceGroups(scipy.table);
    expect(result.test).toBe('chi-square');
    expect(result.groupSizes).toEqual([17, 21]);
    expectClose(result.statistic, scipy.chi2, 'chi2');
    expect(result.dof).toBe(1);
    expectClose(result.p, scipy.p, 'p');
    expect(result.effectSize).toMatchObject({ measure: 'cramers-v', label: 'medium' });
    expectClose(result.effectSize?.value, scipy.cramers_v, 'V');
    expect(result.warning).toBeNull();
  });

  it('uses Fisher for a 2x2 table with an expected count below 5', () => {
    // [[8, 2], [1, 5]]: columns 9 and 7 of 16, so the first row expects 10·7/16 = 4.375 in the second column.
    const scipy = reference.fisher_exact_2x2[0]!;
    const result = compareChoiceGroups(scipy.table);
    expect(result.test).toBe('fisher-exact');
    expect(result.explanation).toMatch(/expected count below 5 \(smallest 2\.6\)/); // 6·7/16 = 2.625
    expect(result.statistic).toBeNull();
    expectClose(result.p, scipy.p_two_sided, 'p');
    expect(result.effectSize?.measure).toBe('cramers-v');
    expect(result.warning).toBeNull();
  });

  it('drops an option nobody chose before choosing between chi-square and Fisher', () => {
    const scipy = reference.fisher_exact_2x2[0]!;
    const result = compareChoiceGroups([
      [8, 0, 2],
      [1, 0, 5],
    ]);
    expect(result.test).toBe('fisher-exact');
    expectClose(result.p, scipy.p_two_sided, 'p');
  });

  it('runs chi-square on a sparse larger table but warns', () => {
    // Rows 5, 5; columns 5, 3, 2 of 10: expected 2.5, 1.5, 1 in both rows, all below 5.
    // chi2 = 2·(2.5²/2.5 + 1.5²/1.5 + 1²/1) = 10; dof 2, upper tail e^(−5); V = √(10/10) = 1.
    const result = compareChoiceGroups([
      [5, 0, 0],
      [0, 3, 2],
    ]);
    expect(result.test).toBe('chi-square');
    expectClose(result.statistic, 10, 'chi2');
    expectClose(result.p, Math.exp(-5), 'p');
    expect(result.effectSize).toMatchObject({ value: 1, label: 'large' });
    expect(result.warning?.code).toBe('sparse-table');
  });

  it('refuses to test when a group has fewer than 5 respondents', () => {
    const result = compareChoiceGroups([
      [3, 1],
      [10, 10],
      [0, 0],
    ]);
    expect(result).toMatchObject({ test: null, p: null, statistic: null, effectSize: null, groupSizes: [4, 20, 0] });
    expect(result.warning).toMatchObject({ code: 'group-too-small', groups: [0, 2] });
    expect(result.warning?.message).toMatch(/too small to test/i);
  });

  it('refuses to test fewer than two groups, or answers that do not vary', () => {
    expect(compareChoiceGroups([]).warning?.code).toBe('fewer-than-two-groups');
    expect(compareChoiceGroups([[10, 20]]).warning?.code).toBe('fewer-than-two-groups');
    const same = compareChoiceGroups([
      [5, 0],
      [7, 0],
    ]);
    expect(same).toMatchObject({ test: null, p: null, warning: { code: 'no-variation' } });
  });
});

describe('compareOrdinalGroups', () => {
  it('uses Mann-Whitney with rank-biserial for two groups', () => {
    const scipy = reference.mann_whitney_u[0]!; // n 6 and 7, rank-biserial 0.31
    const result = compareOrdinalGroups([toFrequencyTable(scipy.a), toFrequencyTable(scipy.b)]);
    expect(result.test).toBe('mann-whitney');
    expectClose(result.statistic, scipy.u_a, 'U');
    expectClose(result.p, scipy.p_two_sided, 'p');
    expect(result.effectSize).toMatchObject({ measure: 'rank-biserial', label: 'medium' });
    expectClose(result.effectSize?.value, scipy.rank_biserial, 'rank-biserial');
    expect(result.warning).toBeNull();
  });

  it('uses Kruskal-Wallis with epsilon squared for more than two groups', () => {
    const scipy = reference.kruskal_wallis[0]!; // n 5, 6 and 7, epsilon squared 0.041
    const result = compareOrdinalGroups(scipy.groups.map(toFrequencyTable));
    expect(result.test).toBe('kruskal-wallis');
    expectClose(result.statistic, scipy.h, 'H');
    expect(result.dof).toBe(2);
    expectClose(result.p, scipy.p, 'p');
    expect(result.effectSize).toMatchObject({ measure: 'epsilon-squared', label: 'small' });
    expectClose(result.effectSize?.value, scipy.epsilon_squared, 'epsilon squared');
  });

  it('refuses to test when a group has fewer than 5 respondents', () => {
    const result = compareOrdinalGroups([toFrequencyTable([1, 2, 3, 4, 5]), toFrequencyTable([1, 2, 3, 4])]);
    expect(result).toMatchObject({ test: null, p: null, groupSizes: [5, 4], warning: { code: 'group-too-small', groups: [1] } });
    expect(compareOrdinalGroups([toFrequencyTable([1, 2, 3, 4, 5]), toFrequencyTable([1, 2, 3, 4, 5]), []]).warning?.groups).toEqual([2]);
  });

  it('refuses to test one group, or answers that do not vary', () => {
    expect(compareOrdinalGroups([toFrequencyTable([1, 2, 3, 4, 5])]).warning?.code).toBe('fewer-than-two-groups');
    expect(compareOrdinalGroups([[{ value: 3, count: 5 }], [{ value: 3, count: 6 }]]).warning?.code).toBe('no-variation');
    expect(compareOrdinalGroups([[{ value: 3, count: 5 }], [{ value: 3, count: 6 }], [{ value: 3, count: 7 }]]).warning?.code).toBe('no-variation');
  });
});

describe('effectLabel', () => {
  it.each([
    ['cramers-v', 0.09, 'negligible'],
    ['cramers-v', 0.1, 'small'],
    ['cramers-v', 0.3, 'medium'],
    ['cramers-v', 0.5, 'large'],
    ['rank-biserial', -0.35, 'medium'],
    ['rank-biserial', -0.05, 'negligible'],
    ['epsilon-squared', 0.0099, 'negligible'],
    ['epsilon-squared', 0.01, 'small'],
    ['epsilon-squared', 0.08, 'medium'],
    ['epsilon-squared', 0.26, 'large'],
  ] as const)('labels %s = %s as %s', (measure, value, label) => {
    expect(effectLabel(measure, value)).toBe(label);
  });
});
