import { describe, expect, it } from 'vitest';
import { expandFrequencies, normalizeFrequencies, pooledMidranks, toFrequencyTable, totalCount, valueAtPosition } from '../../analysis/frequency-table.ts';

describe('frequency tables', () => {
  it('counts raw values, sorted by value, leaving out non-finite ones', () => {
    expect(toFrequencyTable([3, 1, 3, Number.NaN])).toEqual([
      { value: 1, count: 1 },
      { value: 3, count: 2 },
    ]);
    expect(toFrequencyTable([])).toEqual([]);
  });

  it('adds up repeated values and drops empty entries', () => {
    expect(
      normalizeFrequencies([
        { value: 2, count: 1 },
        { value: 1, count: 0 },
        { value: 2, count: 3 },
        { value: 5, count: -1 },
      ]),
    ).toEqual([{ value: 2, count: 4 }]);
    expect(
      totalCount([
        { value: 1, count: 2 },
        { value: 5, count: 3 },
      ]),
    ).toBe(5);
    expect(totalCount([])).toBe(0);
  });

  it('gives tied values their midrank in the pooled sample', () => {
    // Pooled 1, 1, 1, 2: the three 1s hold ranks 1–3 (midrank 2), the 2 holds rank 4.
    expect(
      pooledMidranks([
        [{ value: 1, count: 2 }],
        [
          { value: 2, count: 1 },
          { value: 1, count: 1 },
        ],
      ]),
    ).toEqual([
      { value: 1, count: 3, midrank: 2 },
      { value: 2, count: 1, midrank: 4 },
    ]);
    expect(pooledMidranks([])).toEqual([]);
  });

  it('finds the value at a position without expanding the table', () => {
    const sorted = [
      { value: 1, count: 2 },
      { value: 4, count: 1 },
    ];
    expect([0, 1, 2].map((i) => valueAtPosition(sorted, i))).toEqual([1, 1, 4]);
    expect(valueAtPosition(sorted, 3)).toBeUndefined();
    expect(valueAtPosition(sorted, -1)).toBeUndefined();
  });

  it('expands a table into one value per observation', () => {
    expect(
      expandFrequencies([
        { value: 4, count: 1 },
        { value: 1, count: 2 },
      ]),
    ).toEqual([1, 1, 4]);
  });
});
