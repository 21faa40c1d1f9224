import { describe, expect, it } from 'vitest';
import { toFrequencyTable } from '../../analysis/frequency-table.ts';
import { kruskalWallis, mannWhitneyU } from '../../analysis/rank-tests.ts';
import { expectClose, reference } from './reference-vectors.ts';

describe('mannWhitneyU', () => {
  it.each(reference.mann_whitney_u.map((c) => ({ ...c, n1: c.a.length, n2: c.b.length })))(
    'matches SciPy for n1 = $n1, n2 = $n2 (through frequency tables)',
    ({ a, b, u_a, p_two_sided, rank_biserial }) => {
      const result = mannWhitneyU(toFrequencyTable(a), toFrequencyTable(b));
      expect([result.n1, result.n2]).toEqual([a.length, b.length]);
      expectClose(result.u, u_a, 'U');
      expectClose(result.p, p_two_sided, 'p');
      expectClose(result.rankBiserial, rank_biserial, 'rank-biserial');
    },
  );

  it('agrees with a hand computation without ties', () => {
    // a = 1, 2 and b = 3, 4: R1 = 1 + 2, U = 3 − 3 = 0, rank-biserial = 0 − 1 = −1.
    // σ² = 2·2/12 · 5 = 5/3; z = (|0 − 2| − 0.5)/√(5/3); p = erfc(z/√2) = 0.24527811680677286 (Python math.erfc).
    const result = mannWhitneyU(toFrequencyTable([1, 2]), toFrequencyTable([3, 4]));
    expect(result.u).toBe(0);
    expect(result.rankBiserial).toBe(-1);
    expectClose(result.p, 0.24527811680677286, 'p');
  });

  it('reads counts as SQL gives them: unsorted, repeated, with zero counts', () => {
    const scipy = reference.mann_whitney_u[0]!; // a = 3, 4, 4, 3, 4, 1
    const a = [
      { value: 4, count: 2 },
      { value: 1, count: 1 },
      { value: 3, count: 2 },
      { value: 4, count: 1 },
      { value: 5, count: 0 },
    ];
    const result = mannWhitneyU(a, toFrequencyTable(scipy.b));
    expectClose(result.u, scipy.u_a, 'U');
    expectClose(result.p, scipy.p_two_sided, 'p');
  });

  it('caps p at 1 when U sits on its mean', () => {
    // a = b = 1, 2: U = 2 = n1·n2/2, so |U − mean| − 0.5 < 0 and 2Φ(−z) > 1.
    expect(mannWhitneyU(toFrequencyTable([1, 2]), toFrequencyTable([1, 2])).p).toBe(1);
  });

  it('gives p null, U = n1·n2/2 and rank-biserial 0 when all values are equal', () => {
    expect(mannWhitneyU([{ value: 3, count: 4 }], [{ value: 3, count: 5 }])).toEqual({ n1: 4, n2: 5, u: 10, p: null, rankBiserial: 0 });
  });

  it('gives nulls for an empty group', () => {
    expect(mannWhitneyU([], [{ value: 3, count: 5 }])).toEqual({ n1: 0, n2: 5, u: null, p: null, rankBiserial: null });
    expect(mannWhitneyU([], [])).toEqual({ n1: 0, n2: 0, u: null, p: null, rankBiserial: null });
  });
});

describe('kruskalWallis', () => {
  it.each(reference.kruskal_wallis.map((c) => ({ ...c, k: c.groups.length })))(
    'matches SciPy for $k groups (through frequency tables)',
    ({ groups, h, dof, p, epsilon_squared }) => {
      const result = kruskalWallis(groups.map(toFrequencyTable));
      expect(result.n).toBe(groups.flat().length);
      expectClose(result.h, h, 'H');
      expect(result.dof).toBe(dof);
      expectClose(result.p, p, 'p');
      expectClose(result.epsilonSquared, epsilon_squared, 'epsilon squared');
    },
  );

  it('agrees with a hand computation without ties', () => {
    // 1, 2 | 3, 4: rank sums 3 and 7; H = 12/(4·5)·(3²/2 + 7²/2) − 3·5 = 17.4 − 15 = 2.4; ε² = 2.4/(4 − 1) = 0.8.
    // dof 1: p = P(χ²₁ > 2.4) = erfc(√1.2) = 0.12133525035848217 (Python math.erfc).
    const result = kruskalWallis([toFrequencyTable([1, 2]), toFrequencyTable([3, 4])]);
    expectClose(result.h, 2.4, 'H');
    expect(result.dof).toBe(1);
    expectClose(result.p, 0.12133525035848217, 'p');
    expectClose(result.epsilonSquared, 0.8, 'epsilon squared');
  });

  it('leaves out empty groups', () => {
    const result = kruskalWallis([toFrequencyTable([1, 2]), [], toFrequencyTable([3, 4])]);
    expect(result.groupsTested).toBe(2);
    expectClose(result.h, 2.4, 'H');
    expect(result.dof).toBe(1);
  });

  it('gives nulls, not NaN, for fewer than two groups or when all values are equal', () => {
    const untested = { h: null, dof: null, p: null, epsilonSquared: null };
    expect(kruskalWallis([])).toEqual({ n: 0, groupsTested: 0, ...untested });
    expect(kruskalWallis([toFrequencyTable([1, 2, 3]), []])).toEqual({ n: 3, groupsTested: 1, ...untested });
    expect(kruskalWallis([[{ value: 2, count: 3 }], [{ value: 2, count: 4 }], [{ value: 2, count: 1 }]])).toEqual({ n: 8, groupsTested: 3, ...untested });
  });
});
