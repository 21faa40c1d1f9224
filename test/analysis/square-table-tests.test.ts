/**
 * Properties of the square-table tests that any correct implementation has (the values themselves
 * are checked against NumPy in paired-tests.test.ts): renaming the codes changes nothing, and
 * swapping before and after changes only the direction of the shift.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bowker, stuartMaxwell } from '../../analysis/square-table-tests.ts';

const squareTable = fc
  .integer({ min: 2, max: 5 })
  .chain((k) => fc.array(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: k, maxLength: k }), { minLength: k, maxLength: k }));
const close = (a: number | null, b: number | null) => (a === null || b === null ? a === b : Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)));

describe('stuartMaxwell and bowker', () => {
  it('give the same statistic when the codes are put in another order (rows and columns alike)', () => {
    const withOrder = squareTable.chain((table) =>
      fc.tuple(
        fc.constant(table),
        fc.shuffledSubarray(
          table.map((_, i) => i),
          { minLength: table.length, maxLength: table.length },
        ),
      ),
    );
    fc.assert(
      fc.property(withOrder, ([table, order]) => {
        const reordered = order.map((i) => order.map((j) => table[i]![j]!));
        expect(close(stuartMaxwell(reordered).statistic, stuartMaxwell(table).statistic)).toBe(true);
        expect(stuartMaxwell(reordered).untestable).toBe(stuartMaxwell(table).untestable);
        expect(close(bowker(reordered).statistic, bowker(table).statistic)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('give the same statistic when before and after swap, with the shift reversed', () => {
    fc.assert(
      fc.property(squareTable, (table) => {
        const transposed = table.map((row, i) => row.map((_, j) => table[j]![i]!));
        expect(close(stuartMaxwell(transposed).statistic, stuartMaxwell(table).statistic)).toBe(true);
        expect(close(bowker(transposed).statistic, bowker(table).statistic)).toBe(true);
        const [shift, back] = [bowker(table).netShift, bowker(transposed).netShift];
        expect(back === null ? shift === null : close(back, -shift!)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
