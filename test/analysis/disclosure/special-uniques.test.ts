/**
 * The special-uniques check on tables small enough to count by hand, and on random tables checked
 * against a brute-force count of every combination of up to 3 columns.
 */
import { describe, expect, it } from 'vitest';
import { checkSpecialUniques, describeSpecialUniques, type CodedRows } from '../../../analysis/disclosure/special-uniques.ts';

const repeat = <T>(row: T, times: number): T[] => Array.from({ length: times }, () => row);

/** Records unique on some combination of up to `size` columns, by brute force (null equals null only). */
function bruteUniqueRecords(rows: readonly (readonly (string | null)[])[], columns: number, size = 3): number {
  const combos: number[][] = [];
  for (let a = 0; a < columns; a++) {
    combos.push([a]);
    for (let b = a + 1; b < columns && size >= 2; b++) {
      combos.push([a, b]);
      for (let c = b + 1; c < columns && size >= 3; c++) combos.push([a, b, c]);
    }
  }
  let unique = 0;
  rows.forEach((row, r) => {
    const alone = combos.some((cols) => !rows.some((other, x) => x !== r && cols.every((c) => other[c] === row[c])));
    if (alone) unique++;
  });
  return unique;
}

function withSuppressions(table: CodedRows, suppressions: readonly { record: number; column: number }[]): (string | null)[][] {
  const rows = table.rows.map((row) => [...row]);
  for (const s of suppressions) rows[s.record]![s.column] = null;
  return rows;
}

describe('checkSpecialUniques', () => {
  it('finds the one record unique on a single column and stops at once when the budget cannot cover it', () => {
    // 3 rows × 2 columns: 'Asia' is alone on {region} and on {region, donor}; the budget is floor(0.3) = 0.
    const result = checkSpecialUniques({
      columns: ['region', 'donor'],
      rows: [
        ['Africa', 'no'],
        ['Africa', 'no'],
        ['Asia', 'no'],
      ],
    });
    expect(result).toMatchObject({
      passes: false,
      records: 3,
      columns: 2,
      cellBudget: 0,
      uniqueRecordsBefore: 1,
      stoppedEarly: { reason: 'budget_exceeded', cellsNeeded: 1 },
      suppressedCells: 0,
      uniqueRecordsAfter: null,
      suppressions: [],
    });
    // Counting stopped at the first single column over budget: {region} is the only combination seen.
    expect(result.worstCombinations).toEqual([{ columns: ['region'], uniqueRecords: 1 }]);
  });

  it('counts uniques on pairs and triples that no single column shows', () => {
    // Every value occurs twice or more per column; (x, q) and (y, p) occur once as pairs.
    const rows = [...repeat(['x', 'p', 'k'], 9), ...repeat(['y', 'q', 'k'], 9), ['x', 'q', 'k'], ['y', 'p', 'k']];
    const result = checkSpecialUniques({ columns: ['a', 'b', 'c'], rows }, { maxSuppressedShare: 0.5 });
    expect(result.uniqueRecordsBefore).toBe(2);
    // {a, b} and the triple {a, b, c}: 2 combinations, each with both records unique.
    expect(result.uniqueCombinationsBefore).toBe(2);
    expect(result.worstCombinations).toEqual([
      { columns: ['a', 'b'], uniqueRecords: 2 },
      { columns: ['a', 'b', 'c'], uniqueRecords: 2 },
    ]);
    expect(result.passes).toBe(true);
  });

  it('passes after blanking one cell: a missing value equals another missing value', () => {
    // 10 rows × 2 columns = 20 cells, budget floor(0.05 × 20) = 1.
    // Row 8 is alone with a missing region, row 9 alone with 'z': both unique on {region} and {region, b}.
    // Blanking row 9's region makes rows 8 and 9 identical.
    const table: CodedRows = { columns: ['region', 'b'], rows: [...repeat(['x', 'p'], 4), ...repeat(['y', 'q'], 4), [null, 'p'], ['z', 'p']] };
    const result = checkSpecialUniques(table);
    expect(result).toMatchObject({
      passes: true,
      cellBudget: 1,
      uniqueRecordsBefore: 2,
      uniqueCombinationsBefore: 2,
      suppressedCells: 1,
      suppressedShare: 0.05,
      uniqueRecordsAfter: 0,
      stoppedEarly: null,
      suppressions: [{ record: 9, column: 0 }],
    });
    expect(bruteUniqueRecords(withSuppressions(table, result.suppressions), 2)).toBe(0);
    expect(describeSpecialUniques(result)).toBe(
      '2 of 10 records are unique on some combination of up to 3 columns; blanking 1 of 20 cells (5.00%) made every record non-unique.',
    );
  });

  it('never lets a missing value protect a record that shows its value', () => {
    // A wildcard reading would call 'z' safe next to a blank; here (z, p) is still alone.
    const result = checkSpecialUniques({ columns: ['a', 'b'], rows: [...repeat(['x', 'p'], 4), [null, 'p'], ['z', 'p']] }, { maxSuppressedShare: 0 });
    expect(result.uniqueRecordsBefore).toBe(2);
    expect(result.passes).toBe(false);
  });

  it('fails when pairing the unique records needs more cells than the budget, though the lower bound fits', () => {
    // 20 rows × 2 columns, budget 2. Rows 18 (x, q) and 19 (y, p) are unique on {a, b} only: the lower bound is
    // 2 cells (one per record), but each needs a twin made with 2 blanks: 4 in all.
    const rows = [...repeat(['x', 'p'], 9), ...repeat(['y', 'q'], 9), ['x', 'q'], ['y', 'p']];
    const result = checkSpecialUniques({ columns: ['a', 'b'], rows });
    expect(result).toMatchObject({
      passes: false,
      cellBudget: 2,
      uniqueRecordsBefore: 2,
      stoppedEarly: null,
      suppressedCells: 2,
      uniqueRecordsAfter: null,
      suppressions: [],
    });
    expect(describeSpecialUniques(result)).toBe(
      '2 of 20 records are unique on some combination of up to 3 columns; making them non-unique would take more than 5% of cells.',
    );
  });

  it('says plainly when nothing is unique, and handles empty tables', () => {
    const result = checkSpecialUniques({ columns: ['a'], rows: repeat(['x'], 3) });
    expect(result).toMatchObject({
      passes: true,
      uniqueRecordsBefore: 0,
      uniqueCombinationsBefore: 0,
      suppressedCells: 0,
      uniqueRecordsAfter: 0,
      worstCombinations: [],
    });
    expect(describeSpecialUniques(result)).toBe('No record of 3 is unique on some combination of up to 3 columns.');
    expect(checkSpecialUniques({ columns: ['a'], rows: [] }).passes).toBe(true);
    expect(checkSpecialUniques({ columns: ['a'], rows: [['x']] }).passes).toBe(false);
  });

  it('looks only at combinations up to maxColumns', () => {
    const rows = [...repeat(['x', 'p'], 9), ...repeat(['y', 'q'], 9), ['x', 'q'], ['y', 'p']];
    expect(checkSpecialUniques({ columns: ['a', 'b'], rows }, { maxColumns: 1 }).uniqueRecordsBefore).toBe(0);
    expect(() => checkSpecialUniques({ columns: ['a'], rows }, { maxColumns: 4 })).toThrow(/maxColumns/);
    expect(() => checkSpecialUniques({ columns: ['a'], rows: [['x', 'y']] })).toThrow(/row 0 has 2 cells/);
  });

  it('agrees with a brute-force count on random tables, and leaves no unique record when it passes', () => {
    let seed = 12345;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    let passed = 0;
    for (let t = 0; t < 40; t++) {
      const n = 8 + Math.floor(random() * 40);
      const m = 2 + Math.floor(random() * 5);
      const rare = random() * 0.2;
      const rows = Array.from({ length: n }, () =>
        Array.from({ length: m }, () => (random() < 0.05 ? null : random() < rare ? String(Math.floor(random() * 3)) : 'common')),
      );
      const table = { columns: Array.from({ length: m }, (_, i) => `c${i}`), rows };
      const result = checkSpecialUniques(table, { maxSuppressedShare: 0.2 });
      if (!result.stoppedEarly) expect(result.uniqueRecordsBefore, `table ${t}`).toBe(bruteUniqueRecords(rows, m));
      if (result.passes) {
        passed++;
        expect(result.suppressedCells).toBeLessThanOrEqual(result.cellBudget);
        expect(bruteUniqueRecords(withSuppressions(table, result.suppressions), m), `table ${t}`).toBe(0);
      }
    }
    expect(passed).toBeGreaterThan(5);
  });
});
