import { describe, expect, it } from 'vitest';
import { compareChoiceGroups, compareOrdinalGroups, effectLabel, effectThresholds } from '../../analysis/compare-groups.ts';
import { chiSquareIndependence } from '../../analysis/contingency.ts';
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

  it('leaves out a group with fewer than 5 respondents and tests the others', () => {
    const scipy = reference.chi_square_independence[1]!; // [[20, 15, 5], [10, 25, 30]]
    const result = compareChoiceGroups([scipy.table[0]!, [1, 0, 3], scipy.table[1]!, [0, 0, 0]]);
    expect(result).toMatchObject({ test: 'chi-square', groupSizes: [40, 4, 65, 0], groupsTested: [0, 2], groupsLeftOut: [1, 3] });
    expectClose(result.statistic, scipy.chi2, 'chi2');
    expectClose(result.p, scipy.p, 'p');
    expectClose(result.effectSize?.value, scipy.cramers_v, 'V');
    expect(result.explanation).toMatch(/2 of 4 groups left out for having fewer than 5 respondents/);
  });

  it('runs Fisher on the two groups left when a third is too small', () => {
    const scipy = reference.fisher_exact_2x2[0]!; // [[8, 2], [1, 5]]
    const result = compareChoiceGroups([[2, 2], scipy.table[0]!, scipy.table[1]!]);
    expect(result).toMatchObject({ test: 'fisher-exact', groupsTested: [1, 2], groupsLeftOut: [0] });
    expectClose(result.p, scipy.p_two_sided, 'p');
  });

  it('refuses to test when fewer than two groups have 5 respondents or more', () => {
    const result = compareChoiceGroups([
      [3, 1],
      [10, 10],
      [0, 0],
    ]);
    expect(result).toMatchObject({ test: null, p: null, statistic: null, effectSize: null, groupSizes: [4, 20, 0], groupsTested: [], groupsLeftOut: [0, 2] });
    expect(result.warning).toMatchObject({ code: 'group-too-small', groups: [0, 2] });
    expect(result.warning?.message).toMatch(/too small to test/i);
  });

  it.each(reference.cramers_v_label.map((c) => ({ ...c, shape: `${c.table.length}x${c.table[0]!.length}` })))(
    'labels Cramér’s V of a $shape table with thresholds for df* = $df_star ($label)',
    ({ table, cramers_v, df_star, thresholds, label }) => {
      const result = compareChoiceGroups(table);
      expectClose(result.effectSize?.value, cramers_v, 'V');
      expect(result.effectSize?.label).toBe(label);
      result.effectSize?.thresholds.forEach((t, i) => {
        expectClose(t, thresholds[i]!, `threshold ${i}`);
      });
      expect(Math.min(chiSquareIndependence(table).rowsTested, chiSquareIndependence(table).columnsTested) - 1).toBe(df_star);
    },
  );

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

  it('leaves out groups with fewer than 5 respondents: Kruskal-Wallis on the rest', () => {
    const scipy = reference.kruskal_wallis[1]!; // four groups of 20, 30, 25 and 10
    const groups = scipy.groups.map(toFrequencyTable);
    const result = compareOrdinalGroups([groups[0]!, toFrequencyTable([5, 5, 5, 1]), groups[1]!, groups[2]!, groups[3]!]);
    expect(result).toMatchObject({ test: 'kruskal-wallis', groupSizes: [20, 4, 30, 25, 10], groupsTested: [0, 2, 3, 4], groupsLeftOut: [1], dof: 3 });
    expectClose(result.statistic, scipy.h, 'H');
    expectClose(result.p, scipy.p, 'p');
    expectClose(result.effectSize?.value, scipy.epsilon_squared, 'epsilon squared');
  });

  it('compares the two groups left with Mann-Whitney, U of the first of them', () => {
    const scipy = reference.mann_whitney_u[0]!;
    const result = compareOrdinalGroups([toFrequencyTable([1, 2, 3]), toFrequencyTable(scipy.a), toFrequencyTable(scipy.b)]);
    expect(result).toMatchObject({ test: 'mann-whitney', groupsTested: [1, 2], groupsLeftOut: [0] });
    expectClose(result.statistic, scipy.u_a, 'U');
    expectClose(result.p, scipy.p_two_sided, 'p');
    expectClose(result.effectSize?.value, scipy.rank_biserial, 'rank-biserial');
  });

  it('refuses to test when fewer than two groups have 5 respondents or more', () => {
    const result = compareOrdinalGroups([toFrequencyTable([1, 2, 3, 4, 5]), toFrequencyTable([1, 2, 3, 4])]);
    expect(result).toMatchObject({ test: null, p: null, groupSizes: [5, 4], groupsLeftOut: [1], warning: { code: 'group-too-small', groups: [1] } });
    expect(compareOrdinalGroups([toFrequencyTable([1, 2, 3, 4, 5]), toFrequencyTable([1, 2]), []]).warning?.groups).toEqual([1, 2]);
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

  it.each([
    [2, 0.07, 'negligible'],
    [2, 0.075, 'small'],
    [2, 0.25, 'medium'],
    [2, 0.36, 'large'],
    [3, 0.29, 'large'],
  ] as const)('labels Cramér’s V with df* = %s: %s is %s', (dfStar, value, label) => {
    expect(effectLabel('cramers-v', value, dfStar)).toBe(label);
  });

  it('divides Cohen’s w thresholds by √df* for Cramér’s V only', () => {
    expect(effectThresholds('cramers-v', 4)).toEqual([0.05, 0.15, 0.25]);
    expect(effectThresholds('rank-biserial', 4)).toEqual([0.1, 0.3, 0.5]);
    expect(effectThresholds('epsilon-squared', 4)).toEqual([0.01, 0.08, 0.26]);
  });
});
