import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Constraint, equalTo, solve } from 'yalps';
import { type CountTable, crossTable, determinedCells, suppressTable } from '../../../analysis/disclosure/table-suppression.ts';

/** A table from plain data: `counts[row][column]` for every row and column, `totals[column]` for column totals. */
function tableFrom(
  counts: Record<string, Record<string, number>>,
  totals: Record<string, number>,
  columns: readonly { id: string; parent?: string }[],
  rowsPartition: boolean,
): CountTable {
  return crossTable({
    rows: Object.keys(counts),
    columns,
    count: (row, column) => counts[row]![column]!,
    columnTotal: (column) => totals[column]!,
    rowsPartition,
  });
}

function hiddenOf(result: { primary: Set<string>; complementary: Set<string> }): Set<string> {
  return new Set([...result.primary, ...result.complementary]);
}

const OBJECTIVE = 'objective';

/**
 * Smallest and largest real value of `target` over all non-negative hidden values that satisfy the
 * relations with the published values fixed, by linear programming: independent of the elimination
 * in the module. Infinity when nothing bounds the cell from above.
 */
function feasibleRange(table: CountTable, hidden: ReadonlySet<string>, target: string): { min: number; max: number } {
  const values = new Map(table.cells.map((cell) => [cell.id, cell.value]));
  const constraints = new Map<string, Constraint>();
  const variables = new Map([...hidden].map((id) => [id, new Map<string, number>()]));
  table.relations.forEach((relation, index) => {
    const key = `relation ${index}`;
    let constant = 0;
    let touchesHidden = false;
    for (const [id, coefficient] of [[relation.total, 1] as const, ...relation.parts.map((part) => [part, -1] as const)]) {
      const coefficients = variables.get(id);
      if (coefficients === undefined) constant -= coefficient * values.get(id)!;
      else {
        coefficients.set(key, coefficient);
        touchesHidden = true;
      }
    }
    if (touchesHidden) constraints.set(key, equalTo(constant));
  });
  variables.get(target)!.set(OBJECTIVE, 1);
  const optimum = (direction: 'minimize' | 'maximize'): number => {
    const solution = solve({ direction, objective: OBJECTIVE, constraints, variables });
    if (solution.status === 'unbounded' && direction === 'maximize') return Number.POSITIVE_INFINITY;
    expect(solution.status, `${direction} ${target}`).toBe('optimal');
    return solution.result;
  };
  return { min: optimum('minimize'), max: optimum('maximize') };
}

/**
 * Whether `target` has one value only among all real (possibly negative) hidden values satisfying the
 * relations, by LP with each hidden x split as x⁺ − x⁻: over an affine set, x is either constant or
 * unbounded, so a bounded maximum means pinned.
 */
function isPinnedOverReals(table: CountTable, hidden: ReadonlySet<string>, target: string): boolean {
  const values = new Map(table.cells.map((cell) => [cell.id, cell.value]));
  const constraints = new Map<string, Constraint>();
  const variables = new Map<string, Map<string, number>>();
  for (const id of hidden) variables.set(`${id}+`, new Map()).set(`${id}-`, new Map());
  table.relations.forEach((relation, index) => {
    const key = `relation ${index}`;
    let constant = 0;
    for (const [id, coefficient] of [[relation.total, 1] as const, ...relation.parts.map((part) => [part, -1] as const)]) {
      if (!hidden.has(id)) constant -= coefficient * values.get(id)!;
      else {
        variables.get(`${id}+`)!.set(key, coefficient);
        variables.get(`${id}-`)!.set(key, -coefficient);
      }
    }
    if (relation.parts.some((id) => hidden.has(id)) || hidden.has(relation.total)) constraints.set(key, equalTo(constant));
  });
  variables.get(`${target}+`)!.set(OBJECTIVE, 1);
  variables.get(`${target}-`)!.set(OBJECTIVE, -1);
  const solution = solve({ direction: 'maximize', objective: OBJECTIVE, constraints, variables });
  expect(['optimal', 'unbounded'], `status for ${target}`).toContain(solution.status);
  return solution.status === 'optimal';
}

/** Every hidden cell can take more than one real value consistent with what is published. */
function expectNoHiddenCellPinned(table: CountTable, hidden: ReadonlySet<string>): void {
  for (const id of hidden) {
    const { min, max } = feasibleRange(table, hidden, id);
    expect(max - min, `range of ${id}`).toBeGreaterThan(1e-6);
  }
}

const oneWay: CountTable = {
  cells: [
    { id: 'a', value: 2 },
    { id: 'b', value: 7 },
    { id: 'c', value: 5 },
    { id: 'total', value: 14 },
  ],
  relations: [{ total: 'total', parts: ['a', 'b', 'c'] }],
};

// yes|A (2) is the only count below 3.
//          A   B   C | all
//   yes    2  20   5 |  27
//   no    15   7   8 |  30
//   dk     9  11   4 |  24
//   _total 26 38  17 |  81
const twoWay = tableFrom(
  {
    yes: { A: 2, B: 20, C: 5, all: 27 },
    no: { A: 15, B: 7, C: 8, all: 30 },
    dk: { A: 9, B: 11, C: 4, all: 24 },
  },
  { A: 26, B: 38, C: 17, all: 81 },
  [{ id: 'all' }, { id: 'A', parent: 'all' }, { id: 'B', parent: 'all' }, { id: 'C', parent: 'all' }],
  true,
);

describe('suppressTable, hand-worked', () => {
  it('hides the smallest other part of a one-way table, and only that', () => {
    expect(suppressTable(oneWay, 3)).toEqual({ primary: new Set(['a']), complementary: new Set(['c']) });
  });

  it('never takes a cell named in neverComplement (a figure shown elsewhere): the next best is hidden instead', () => {
    expect(suppressTable(oneWay, 3, { neverComplement: new Set(['c']) })).toEqual({ primary: new Set(['a']), complementary: new Set(['b']) });
    expect(() => suppressTable(oneWay, 3, { neverComplement: new Set(['b', 'c', 'total']) })).toThrow('no published cell can protect it');
  });

  it('publishes zeros and needs nothing when no count is small', () => {
    const table: CountTable = {
      cells: [
        { id: 'a', value: 0 },
        { id: 'b', value: 9 },
        { id: 't', value: 9 },
      ],
      relations: [{ total: 't', parts: ['a', 'b'] }],
    };
    expect(suppressTable(table, 3)).toEqual({ primary: new Set(), complementary: new Set() });
  });

  it('hides a rectangle in a two-way table with margins', () => {
    // yes|A: candidates yes|B 20, yes|C 5, no|A 15, dk|A 9 -> yes|C; then yes|A (sorted first) is still
    // fixed by column A -> dk|A 9 (smallest of no|A, dk|A); then dk|A is fixed by row dk -> dk|C 4.
    const result = suppressTable(twoWay, 3);
    expect(result.primary).toEqual(new Set(['yes|A']));
    expect(result.complementary).toEqual(new Set(['yes|C', 'dk|A', 'dk|C']));
    const hidden = hiddenOf(result);
    const rectangle = ['yes', 'dk'].flatMap((row) => ['A', 'C'].map((column) => `${row}|${column}`));
    expect(rectangle.every((id) => hidden.has(id))).toBe(true);
    expect(determinedCells(twoWay, hidden)).toEqual([]);
    expectNoHiddenCellPinned(twoWay, hidden);
  });

  it('needs no column relation for a multiple-choice table, so one complement in the row suffices', () => {
    // Respondents may tick both topics: the rows do not add up to the column totals.
    const table = tableFrom(
      { funding: { gov: 1, ngo: 6, all: 7 }, venue: { gov: 4, ngo: 9, all: 13 } },
      { gov: 5, ngo: 12, all: 17 },
      [{ id: 'all' }, { id: 'gov', parent: 'all' }, { id: 'ngo', parent: 'all' }],
      false,
    );
    expect(table.relations.map((relation) => relation.total)).toEqual(['funding|all', 'venue|all', '_total|all']);
    const result = suppressTable(table, 3);
    expect(result).toEqual({ primary: new Set(['funding|gov']), complementary: new Set(['funding|ngo']) });
    expectNoHiddenCellPinned(table, hiddenOf(result));
  });

  it('protects a small count inside a column hierarchy (total -> kind -> kind x region) at the region level', () => {
    const columns = [
      { id: 'all' },
      { id: 'gov', parent: 'all' },
      { id: 'ngo', parent: 'all' },
      { id: 'gov/Africa', parent: 'gov' },
      { id: 'gov/Asia', parent: 'gov' },
      { id: 'ngo/Africa', parent: 'ngo' },
      { id: 'ngo/Asia', parent: 'ngo' },
    ];
    const table = tableFrom(
      {
        yes: { 'gov/Africa': 1, 'gov/Asia': 4, 'ngo/Africa': 6, 'ngo/Asia': 9, gov: 5, ngo: 15, all: 20 },
        no: { 'gov/Africa': 9, 'gov/Asia': 3, 'ngo/Africa': 8, 'ngo/Asia': 7, gov: 12, ngo: 15, all: 27 },
      },
      { 'gov/Africa': 10, 'gov/Asia': 7, 'ngo/Africa': 14, 'ngo/Asia': 16, gov: 17, ngo: 30, all: 47 },
      columns,
      true,
    );
    // yes|gov/Africa: candidates yes|gov/Asia 4 and no|gov/Africa 9 (yes|gov and _total|gov/Africa are
    // totals) -> yes|gov/Asia; column gov/Africa still fixes it -> no|gov/Africa; row no then fixes
    // no|gov/Africa -> no|gov/Asia. The kind-level and overall columns stay published.
    const result = suppressTable(table, 3);
    expect(result.primary).toEqual(new Set(['yes|gov/Africa']));
    expect(result.complementary).toEqual(new Set(['yes|gov/Asia', 'no|gov/Africa', 'no|gov/Asia']));
    expect(determinedCells(table, hiddenOf(result))).toEqual([]);
    expectNoHiddenCellPinned(table, hiddenOf(result));
  });
});

describe('suppressTable and zeros', () => {
  it('hides a positive cell farther away rather than a zero that non-negativity would pin', () => {
    // Found by the property test: row r0 is all zeros with a published total of 0, so hiding r0|c1
    // (the nearest published cell of column c1) would leave it pinned at 0 and protect nothing.
    const table = tableFrom(
      { r0: { c1: 0, c2: 0, c0: 0 }, r1: { c1: 1, c2: 4, c0: 5 }, r2: { c1: 0, c2: 1, c0: 1 } },
      { c1: 1, c2: 5, c0: 6 },
      [{ id: 'c0' }, { id: 'c1', parent: 'c0' }, { id: 'c2', parent: 'c0' }],
      true,
    );
    const result = suppressTable(table, 3);
    expect(result.primary).toEqual(new Set(['r1|c1', 'r2|c0', 'r2|c2', '_total|c1']));
    const values = new Map(table.cells.map((cell) => [cell.id, cell.value]));
    expect([...result.complementary].filter((id) => values.get(id) === 0)).toEqual([]);
    expectNoHiddenCellPinned(table, hiddenOf(result));
  });
});

describe('determinedCells', () => {
  it('finds a part fixed by its total, and not once a second part is hidden', () => {
    expect(determinedCells(oneWay, new Set(['a']))).toEqual(['a']);
    expect(determinedCells(oneWay, new Set(['a', 'c']))).toEqual([]);
  });

  it('finds a cell fixed only by combining relations (a chain through another hidden cell)', () => {
    // Three corners of a rectangle: dk|A is alone in row dk and yes|C alone in column C, and once
    // either is known, row yes or column A gives yes|A.
    const hidden = new Set(['yes|A', 'yes|C', 'dk|A']);
    expect(determinedCells(twoWay, hidden)).toEqual(['dk|A', 'yes|A', 'yes|C']);
  });

  it('finds a bridge between two hidden rectangles, although every relation has two or more hidden cells', () => {
    // r0,r1 x c0,c1 and r2,r3 x c2,c3 hidden, joined by r1|c2: rows r0+r1 minus columns c0+c1 gives r1|c2.
    const rows = ['r0', 'r1', 'r2', 'r3'];
    const columns = ['c0', 'c1', 'c2', 'c3'];
    const table = crossTable({
      rows,
      columns: [{ id: 'all' }, ...columns.map((id) => ({ id, parent: 'all' }))],
      count: (_row, column) => (column === 'all' ? 40 : 10),
      columnTotal: (column) => (column === 'all' ? 160 : 40),
      rowsPartition: true,
    });
    const hidden = new Set(['r0|c0', 'r0|c1', 'r1|c0', 'r1|c1', 'r2|c2', 'r2|c3', 'r3|c2', 'r3|c3', 'r1|c2']);
    expect(determinedCells(table, hidden)).toEqual(['r1|c2']);
    hidden.add('r0|c2');
    expect(determinedCells(table, hidden)).toEqual([]);
  });

  it('stays exact when the elimination outgrows 2^53', () => {
    // 60 dense pseudo-random relations over 70 hidden cells make the integer rows grow past 2^53 (the
    // module then redoes the reduction in BigInt). Cells x2..x69 always appear with a twin y2..y69, so
    // no combination of relations can separate them: only x0 and x1, pinned by t60 and t61, are determined.
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const xs = Array.from({ length: 70 }, (_, i) => `x${i}`);
    const twin = (id: string) => (id === 'x0' || id === 'x1' ? [id] : [id, id.replace('x', 'y')]);
    const relations = Array.from({ length: 60 }, (_, i) => ({ total: `t${i}`, parts: xs.filter(() => random() < 0.5).flatMap(twin) }));
    relations.push({ total: 't60', parts: ['x0', 'x1'] }, { total: 't61', parts: ['x1'] });
    const parts = xs.flatMap(twin).map((id) => ({ id, value: 1 + Math.floor(random() * 20) }));
    const value = new Map(parts.map((cell) => [cell.id, cell.value]));
    const totals = relations.map((relation) => ({ id: relation.total, value: relation.parts.reduce((sum, id) => sum + value.get(id)!, 0) }));
    const table: CountTable = { cells: [...parts, ...totals], relations };
    expect(determinedCells(table, new Set(parts.map((cell) => cell.id)))).toEqual(['x0', 'x1']);
  });

  it('ignores relations with no hidden cell and hidden cells in no relation', () => {
    const table: CountTable = { cells: [...oneWay.cells, { id: 'loose', value: 1 }], relations: oneWay.relations };
    expect(determinedCells(table, new Set(['loose']))).toEqual([]);
  });
});

describe('LP check', () => {
  it('pins a primary cell when no complement is hidden, so the check can fail', () => {
    expect(feasibleRange(oneWay, new Set(['a']), 'a')).toEqual({ min: 2, max: 2 });
    expect(() => expectNoHiddenCellPinned(oneWay, new Set(['a']))).toThrow();
    const hidden = hiddenOf(suppressTable(oneWay, 3));
    expect(feasibleRange(oneWay, hidden, 'a')).toEqual({ min: 0, max: 7 });
    expectNoHiddenCellPinned(oneWay, hidden);
  });
});

/** A random crossTable: 2-6 rows, 2-8 columns with random nesting, leaf counts 0..20. */
const randomTable = (rowsPartition: boolean) =>
  fc
    .record({
      rowCount: fc.integer({ min: 2, max: 6 }),
      columnCount: fc.integer({ min: 2, max: 8 }),
      parentPicks: fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
      // Half the counts drawn from 0..6, so that suppressions are dense enough to interact.
      counts: fc.array(fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 6 })), { minLength: 48, maxLength: 48 }),
      extraRespondents: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 8, maxLength: 8 }),
    })
    .map(({ rowCount, columnCount, parentPicks, counts, extraRespondents }) => {
      const rows = Array.from({ length: rowCount }, (_, i) => `r${i}`);
      // Column i nests under an earlier column, or is a root when the pick lands on 0.
      const columns = Array.from({ length: columnCount }, (_, i) => {
        const pick = i === 0 ? 0 : parentPicks[i]! % (i + 1);
        return pick === 0 ? { id: `c${i}` } : { id: `c${i}`, parent: `c${pick - 1}` };
      });
      const childrenOf = (id: string) => columns.filter((column) => column.parent === id).map((column) => column.id);
      const count = (row: string, column: string): number => {
        const children = childrenOf(column);
        if (children.length > 0) return children.reduce((sum, child) => sum + count(row, child), 0);
        return counts[Number(row.slice(1)) * 8 + Number(column.slice(1))]!;
      };
      const columnTotal = (column: string): number => {
        const children = childrenOf(column);
        if (children.length > 0) return children.reduce((sum, child) => sum + columnTotal(child), 0);
        const answers = rows.map((row) => count(row, column));
        // Multiple choice: each respondent ticks any number of rows, so the total is at least the largest count.
        return rowsPartition ? answers.reduce((a, b) => a + b, 0) : Math.max(...answers) + extraRespondents[Number(column.slice(1))]!;
      };
      return crossTable({ rows, columns, count, columnTotal, rowsPartition });
    });

describe.each([
  { rowsPartition: true, kind: 'single-choice' },
  { rowsPartition: false, kind: 'multiple-choice' },
])('suppressTable on random $kind tables', ({ rowsPartition }) => {
  it('hides every small count and leaves no hidden cell computable, deterministically', () => {
    fc.assert(
      fc.property(randomTable(rowsPartition), fc.integer({ min: 3, max: 6 }), (table, threshold) => {
        const result = suppressTable(table, threshold);
        const small = table.cells.filter((cell) => cell.value > 0 && cell.value < threshold).map((cell) => cell.id);
        expect(result.primary).toEqual(new Set(small));
        expect([...result.complementary].filter((id) => result.primary.has(id))).toEqual([]);
        const hidden = hiddenOf(result);
        expect(determinedCells(table, hidden)).toEqual([]);
        expectNoHiddenCellPinned(table, hidden);
        expect(suppressTable(table, threshold)).toEqual(result);
        const reordered: CountTable = { cells: [...table.cells].reverse(), relations: [...table.relations].reverse() };
        expect(suppressTable(reordered, threshold)).toEqual(result);
      }),
      { numRuns: 200 },
    );
  });
});

describe('determinedCells on random tables', () => {
  it('agrees with an LP over unrestricted reals for random hidden sets', () => {
    fc.assert(
      fc.property(fc.boolean().chain(randomTable), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 56, maxLength: 56 }), (table, draws) => {
        const hidden = new Set(table.cells.filter((_, i) => draws[i]! < 3).map((cell) => cell.id));
        const pinned = [...hidden].filter((id) => isPinnedOverReals(table, hidden, id)).sort();
        expect(determinedCells(table, hidden)).toEqual(pinned);
      }),
      { numRuns: 100 },
    );
  });
});

describe('input validation', () => {
  const cells = oneWay.cells;
  const relations = oneWay.relations;
  it.each([
    { name: 'a duplicate cell id', table: { cells: [...cells, { id: 'b', value: 1 }], relations }, message: /duplicate cell id "b"/ },
    { name: 'a negative value', table: { cells: [...cells, { id: 'x', value: -1 }], relations }, message: /cell "x" has value -1/ },
    { name: 'a non-integer value', table: { cells: [...cells, { id: 'x', value: 1.5 }], relations }, message: /cell "x" has value 1.5/ },
    { name: 'a NaN value', table: { cells: [...cells, { id: 'x', value: Number.NaN }], relations }, message: /cell "x" has value NaN/ },
    {
      name: 'an unknown cell in a relation',
      table: { cells, relations: [{ total: 'total', parts: ['a', 'b', 'zz'] }] },
      message: /relation "total".*unknown cell "zz"/,
    },
    { name: 'an unknown total', table: { cells, relations: [{ total: 'grand', parts: ['a'] }] }, message: /unknown cell "grand"/ },
    { name: 'a cell listed twice', table: { cells, relations: [{ total: 'total', parts: ['a', 'a', 'b'] }] }, message: /lists cell "a" twice/ },
    { name: 'a relation without parts', table: { cells, relations: [{ total: 'total', parts: [] }] }, message: /relation "total".*no parts/ },
    {
      name: 'a relation that does not add up',
      table: { cells, relations: [{ total: 'total', parts: ['a', 'b'] }] },
      message: /relation "total".*does not add up: 14 != 9/,
    },
  ])('rejects $name', ({ table, message }) => {
    expect(() => suppressTable(table, 3)).toThrow(message);
    expect(() => determinedCells(table, new Set())).toThrow(message);
  });

  it.each([1, 0, -3, 2.5, Number.NaN])('rejects threshold %s', (threshold) => {
    expect(() => suppressTable(oneWay, threshold)).toThrow(/threshold must be an integer >= 2/);
  });

  it('rejects a hidden id that is not a cell', () => {
    expect(() => determinedCells(oneWay, new Set(['nope']))).toThrow(/hidden cell "nope"/);
  });

  it.each([
    { name: 'the reserved row _total', rows: ['_total'], columns: [{ id: 'all' }], message: /row "_total"/ },
    { name: 'a row containing |', rows: ['a|b'], columns: [{ id: 'all' }], message: /row "a\|b"/ },
    { name: 'a duplicate column', rows: ['yes'], columns: [{ id: 'all' }, { id: 'all' }], message: /duplicate column "all"/ },
    { name: 'an unknown parent', rows: ['yes'], columns: [{ id: 'gov', parent: 'all' }], message: /column "gov" has unknown parent "all"/ },
    {
      name: 'a cycle of parents',
      rows: ['yes'],
      columns: [
        { id: 'a', parent: 'b' },
        { id: 'b', parent: 'a' },
      ],
      message: /its own ancestor/,
    },
  ])('crossTable rejects $name', ({ rows, columns, message }) => {
    expect(() => crossTable({ rows, columns, count: () => 1, columnTotal: () => 1, rowsPartition: true })).toThrow(message);
  });
});
