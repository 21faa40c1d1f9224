import { describe, expect, it } from 'vitest';
import { wilsonInterval } from '../../analysis/proportions.ts';
import { expectClose, reference } from './reference-vectors.ts';

describe('wilsonInterval', () => {
  it.each(reference.proportion_wilson)('matches SciPy for k = $k, n = $n', ({ k, n, p, ci95 }) => {
    const result = wilsonInterval(k, n);
    expectClose(result.p, p, 'p');
    expectClose(result.lower, ci95[0], 'lower');
    expectClose(result.upper, ci95[1], 'upper');
  });

  it('gives nulls, not NaN, when nobody was asked', () => {
    expect(wilsonInterval(0, 0)).toEqual({ k: 0, n: 0, p: null, lower: null, upper: null });
  });

  it('gives nulls for impossible counts instead of throwing', () => {
    expect(wilsonInterval(6, 5).p).toBeNull();
    expect(wilsonInterval(-1, 5).lower).toBeNull();
    expect(wilsonInterval(Number.NaN, 5).upper).toBeNull();
  });

  it('pins the bounds to exactly 0 and 1 at the extremes', () => {
    expect(wilsonInterval(0, 7).lower).toBe(0);
    expect(wilsonInterval(7, 7).upper).toBe(1);
  });

  it('is centred on 1/2 for k = n/2, as the Wilson centre (p + z²/2n)/(1 + z²/n) is 1/2 when p = 1/2', () => {
    const { lower, upper } = wilsonInterval(2, 4);
    expect(lower! + upper!).toBeCloseTo(1, 15);
  });
});
