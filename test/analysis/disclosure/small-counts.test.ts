/**
 * The small-count rule and the words of a hidden count: one definition each.
 */
import { describe, expect, it } from 'vitest';
import { isSmallCount, smallCountRange } from '../../../analysis/disclosure/small-counts.ts';
import { FEWER_THAN_5, fewerThan, hiddenLabel, WITHHELD } from '../../../analysis/results.ts';

describe('the small-count rule', () => {
  it('hides the counts from 1 to k − 1, never zero nor k', () => {
    expect([0, 1, 4, 5, 6].filter((n) => isSmallCount(n, 5))).toEqual([1, 4]);
    expect([0, 1, 2, 3].filter((n) => isSmallCount(n, 3))).toEqual([1, 2]);
  });

  it('a count that reads "fewer than k" is from 1 to k − 1', () => {
    expect(smallCountRange(5)).toEqual({ min: 1, max: 4 });
    expect(smallCountRange(10)).toEqual({ min: 1, max: 9 });
  });

  it('words a hidden count for the threshold, or as withheld', () => {
    expect(FEWER_THAN_5).toBe('fewer than 5');
    expect(fewerThan(10)).toBe('fewer than 10');
    expect([hiddenLabel(false), hiddenLabel(undefined, 10), hiddenLabel(true, 10)]).toEqual([FEWER_THAN_5, 'fewer than 10', WITHHELD]);
  });
});
