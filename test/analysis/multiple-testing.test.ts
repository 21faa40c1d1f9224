import { describe, expect, it } from 'vitest';
import { holmAdjust } from '../../analysis/multiple-testing.ts';
import { expectClose, reference } from './reference-vectors.ts';

describe('holmAdjust', () => {
  it.each(reference.holm_adjust)('matches SciPy for $p', ({ p, adjusted }) => {
    const result = holmAdjust(p);
    expect(result).toHaveLength(adjusted.length);
    adjusted.forEach((expected, i) => {
      expectClose(result[i], expected, `adjusted[${i}]`);
    });
  });

  it('caps adjusted p-values at 1', () => {
    // Sorted 0.02, 0.6, 0.9 times 3, 2, 1: 0.06, 1.2, 0.9 → running maximum 0.06, 1.2, 1.2 → capped 0.06, 1, 1.
    const [first, second, third] = holmAdjust([0.9, 0.02, 0.6]);
    expect(first).toBe(1);
    expectClose(second, 0.06, 'smallest');
    expect(third).toBe(1);
  });

  it('keeps the adjusted values non-decreasing in the order of the raw ones', () => {
    // Sorted 0.4, 0.7 times 2, 1: 0.8, 0.7 → running maximum 0.8, 0.8.
    expect(holmAdjust([0.7, 0.4])).toEqual([0.8, 0.8]);
  });

  it('leaves untestable comparisons null and out of the count', () => {
    // m = 2: 0.01·2 = 0.02, 0.04·1 = 0.04.
    expect(holmAdjust([0.01, null, 0.04])).toEqual([0.02, null, 0.04]);
    expect(holmAdjust([null, Number.NaN])).toEqual([null, null]);
  });

  it('returns an empty list for no p-values', () => {
    expect(holmAdjust([])).toEqual([]);
  });
});
