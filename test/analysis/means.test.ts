import { describe, expect, it } from 'vitest';
import { toFrequencyTable } from '../../analysis/frequency-table.ts';
import { meanTInterval, median, medianInterval, quartiles } from '../../analysis/means.ts';
import { expectClose, reference } from './reference-vectors.ts';

describe('meanTInterval', () => {
  it.each(reference.mean_t_interval.map((c) => ({ ...c, n: c.values.length })))('matches SciPy for n = $n', ({ values, mean, sd, ci95 }) => {
    const result = meanTInterval(toFrequencyTable(values));
    expect(result.n).toBe(values.length);
    expectClose(result.mean, mean, 'mean');
    expectClose(result.sd, sd, 'sd');
    expectClose(result.lower, ci95[0], 'lower');
    expectClose(result.upper, ci95[1], 'upper');
  });

  it('gives mean null for n = 0', () => {
    expect(meanTInterval([])).toEqual({ n: 0, mean: null, sd: null, lower: null, upper: null });
    expect(meanTInterval([{ value: 4, count: 0 }])).toEqual({ n: 0, mean: null, sd: null, lower: null, upper: null });
  });

  it('gives the mean but no sd and no interval for n = 1', () => {
    expect(meanTInterval([{ value: 4, count: 1 }])).toEqual({ n: 1, mean: 4, sd: null, lower: null, upper: null });
  });

  it('gives sd 0 and a zero-width interval when all values are equal', () => {
    expect(meanTInterval([{ value: 3, count: 6 }])).toEqual({ n: 6, mean: 3, sd: 0, lower: 3, upper: 3 });
  });

  it('weights values by their counts', () => {
    // 1, 1, 4: mean 6/3 = 2; sd = √(((1−2)²·2 + (4−2)²) / 2) = √3.
    const result = meanTInterval([
      { value: 4, count: 1 },
      { value: 1, count: 2 },
    ]);
    expect(result.mean).toBe(2);
    expect(result.sd).toBeCloseTo(Math.sqrt(3), 15);
  });
});

describe('median', () => {
  it.each(reference.median.map((c) => ({ ...c, n: c.values.length })))('matches NumPy for n = $n', ({ values, median: expected }) => {
    expectClose(median(toFrequencyTable(values)), expected, 'median');
  });

  it('is null for n = 0 and the value itself for n = 1', () => {
    expect(median([])).toBeNull();
    expect(median([{ value: 5, count: 1 }])).toBe(5);
  });

  it('reads repeated and unsorted entries of a frequency table', () => {
    // 1, 2, 2, 2, 2, 9: the middle two are 2 and 2.
    expect(
      median([
        { value: 2, count: 1 },
        { value: 9, count: 1 },
        { value: 1, count: 1 },
        { value: 2, count: 3 },
      ]),
    ).toBe(2);
  });
});

describe('quartiles', () => {
  it('interpolates linearly between order statistics (type 7)', () => {
    // 1, 2, 3, 4: h = 3·0.25 = 0.75 → 1 + 0.75·(2 − 1) = 1.75; h = 1.5 → 2.5; h = 2.25 → 3 + 0.25 = 3.25.
    expect(quartiles(toFrequencyTable([4, 3, 2, 1]))).toEqual({ n: 4, q1: 1.75, median: 2.5, q3: 3.25 });
  });

  it('interpolates across a tied block read from counts', () => {
    // 1, 1, 1, 5: q1 at h = 0.75 → 1; median at h = 1.5 → 1; q3 at h = 2.25 → 1 + 0.25·(5 − 1) = 2.
    expect(
      quartiles([
        { value: 1, count: 3 },
        { value: 5, count: 1 },
      ]),
    ).toEqual({ n: 4, q1: 1, median: 1, q3: 2 });
  });

  it('gives nulls for n = 0 and the single value for n = 1', () => {
    expect(quartiles([])).toEqual({ n: 0, q1: null, median: null, q3: null });
    expect(quartiles([{ value: 7, count: 1 }])).toEqual({ n: 1, q1: 7, median: 7, q3: 7 });
  });
});

describe('medianInterval', () => {
  it.each(reference.median_interval.map((c) => ({ ...c })))(
    'matches SciPy’s binomial order-statistic interval for n = $n',
    ({ values, n, lower_rank, upper_rank, ci, coverage }) => {
      const result = medianInterval(toFrequencyTable(values));
      expect(result.n).toBe(n);
      expect([result.lowerRank, result.upperRank]).toEqual([lower_rank, upper_rank]);
      expect(result.lower === null || result.upper === null ? null : [result.lower, result.upper]).toEqual(ci);
      if (coverage === null) expect(result.coverage).toBeNull();
      else expectClose(result.coverage, coverage, 'coverage');
    },
  );

  it('gives no interval for n = 0 and reads tied values from counts', () => {
    expect(medianInterval([])).toEqual({ n: 0, lowerRank: null, upperRank: null, lower: null, upper: null, coverage: null });
    // 3, 3, 3, 3, 3, 9 (n = 6, k = 0): the bounds are the smallest and largest values.
    expect(
      medianInterval([
        { value: 9, count: 1 },
        { value: 3, count: 5 },
      ]),
    ).toMatchObject({ lowerRank: 1, upperRank: 6, lower: 3, upper: 9 });
  });

  it.each(reference.median_interval_ranks)('finds SciPy’s ranks and coverage for n = $n from counts alone', ({ n, lower_rank, upper_rank, coverage }) => {
    // Values 1..n once each: the bounds are the ranks themselves.
    const result = medianInterval(Array.from({ length: n }, (_, i) => ({ value: i + 1, count: 1 })));
    expect([result.lowerRank, result.upperRank]).toEqual([lower_rank, upper_rank]);
    expect([result.lower, result.upper]).toEqual([lower_rank, upper_rank]);
    if (coverage === null) expect(result.coverage).toBeNull();
    else expectClose(result.coverage, coverage, 'coverage');
  });
});
