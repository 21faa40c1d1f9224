/**
 * Statistical disclosure control for published count tables: hide small counts (primary suppression)
 * and enough further counts (complementary suppression) that no hidden count can be worked out from
 * the published ones through the table's additive relations (totals, margins, column hierarchies).
 */
import { solvedUnknowns } from './exact-elimination.ts';
import { isSmallCount } from './small-counts.ts';

/**
 * One published count, e.g. respondents in a group who chose an answer.
 *
 * @example
 * const cell: CountCell = { id: 'yes|government', value: 4 };
 */
export interface CountCell {
  id: string;
  /** A non-negative integer count. */
  value: number;
}

/**
 * An additive relation that holds in the table and that a reader knows: `value(total) === sum of value(parts)`.
 *
 * @example
 * const rowTotal: Relation = { total: 'yes|all', parts: ['yes|government', 'yes|civil-society'] };
 */
export interface Relation {
  total: string;
  parts: readonly string[];
}

/**
 * A count table described generically as cells and the relations between them, so one-way tables with a
 * total, two-way tables with margins, hierarchical columns and multiple-choice tables share one method.
 *
 * @example
 * const table: CountTable = {
 *   cells: [{ id: 'a', value: 2 }, { id: 'b', value: 7 }, { id: 'total', value: 9 }],
 *   relations: [{ total: 'total', parts: ['a', 'b'] }],
 * };
 */
export interface CountTable {
  cells: readonly CountCell[];
  relations: readonly Relation[];
}

/**
 * Which cells to hide, by id; the two sets are disjoint.
 *
 * @example
 * const result: SuppressionResult = { primary: new Set(['a']), complementary: new Set(['b']) };
 */
export interface SuppressionResult {
  /** Cells hidden because 0 < value < threshold. */
  primary: Set<string>;
  /** Further cells hidden so that no hidden cell can be worked out from the published ones. */
  complementary: Set<string>;
}

/** Row name of the column totals in {@link crossTable}: cell `_total|<column>` holds `columnTotal(column)`. */
const TOTAL_ROW = '_total';

/**
 * Hides every count 1..threshold-1 (zeros are published: "nobody" discloses no one), then adds
 * complementary suppressions, one at a time, until no hidden cell is determined by the published values
 * through the relations (see {@link determinedCells}).
 *
 * Each step takes the determined cell with the smallest id and hides a positive published cell sharing a
 * relation with it, preferring a cell that is not the total of any relation over a total, then the
 * smallest value, then the smallest id. When those relations hold no positive published cell, the search
 * widens to relations reached through hidden cells; only when none is reachable is a zero hidden. The
 * result depends only on the table's content, not on the order of cells or relations. Cells in no
 * relation, and cells in `options.neverComplement`, are never hidden as complements.
 *
 * Guarantee: no hidden cell is computable exactly. While every hidden cell is positive (no zero had to be
 * hidden), this holds even for a reader who also uses that counts are non-negative: each hidden cell can
 * take a range of real values. The width of that range is not controlled (no protection interval).
 *
 * Throws an Error naming the culprit for a threshold that is not an integer >= 2, a duplicate cell id, a
 * negative or non-integer value, a relation naming an unknown cell, listing a cell twice or not adding up;
 * and, for degenerate relations only, when a hidden cell is fixed with every reachable cell hidden.
 *
 * @example
 * suppressTable({
 *   cells: [{ id: 'a', value: 2 }, { id: 'b', value: 7 }, { id: 'c', value: 5 }, { id: 'total', value: 14 }],
 *   relations: [{ total: 'total', parts: ['a', 'b', 'c'] }],
 * }, 3); // { primary: Set {'a'}, complementary: Set {'c'} }
 */
export interface SuppressionOptions {
  /** Cells never hidden as complements: figures the reader sees elsewhere anyway (hiding them here protects nothing). */
  neverComplement?: ReadonlySet<string>;
  /** Cells hidden from the start whatever their value (e.g. a whole group held back); returned among the complements. */
  alsoHidden?: ReadonlySet<string>;
}

export function suppressTable(table: CountTable, threshold: number, options: SuppressionOptions = {}): SuppressionResult {
  if (!Number.isInteger(threshold) || threshold < 2) throw new Error(`threshold must be an integer >= 2, got ${threshold}`);
  const values = validateTable(table);
  const primary = new Set(table.cells.filter((cell) => isSmallCount(cell.value, threshold)).map((cell) => cell.id));
  const complementary = new Set([...(options.alsoHidden ?? [])].filter((id) => !primary.has(id)));
  for (const id of complementary) if (!values.has(id)) throw new Error(`hidden cell "${id}" is not a cell of the table`);
  const hidden = new Set([...primary, ...complementary]);
  const totals = new Set(table.relations.map((relation) => relation.total));
  const relationsOf = new Map<string, Relation[]>();
  for (const relation of table.relations) {
    for (const id of cellsOf(relation)) relationsOf.set(id, [...(relationsOf.get(id) ?? []), relation]);
  }
  // Non-total before total (totals are the most used figures), then the smallest value, then the id so
  // that the choice is unique.
  const preference = (a: string, b: string): number => Number(totals.has(a)) - Number(totals.has(b)) || values.get(a)! - values.get(b)! || compareIds(a, b);
  // A hidden zero protects little: non-negativity can pin it (a published total of 0 says every part is 0).
  const isPositive = (id: string): boolean => values.get(id)! > 0;
  const eligible = (id: string): boolean => !options.neverComplement?.has(id);

  for (let first = findDetermined(table.relations, hidden)[0]; first !== undefined; first = findDetermined(table.relations, hidden)[0]) {
    const complement = nextComplement(first, hidden, relationsOf, isPositive, eligible, preference);
    if (complement === undefined) throw new Error(`cell "${first}" is fixed by the relations alone; no published cell can protect it`);
    hidden.add(complement);
    complementary.add(complement);
  }
  return { primary, complementary };
}

/**
 * The hidden cells whose value follows exactly from the published cells and the relations, sorted by id.
 *
 * Each relation touching a hidden cell is an equation in the hidden cells (published cells are constants).
 * Hidden cell c is determined iff the unit vector e_c lies in the row space of that system, i.e. every
 * solution of the homogeneous system is 0 at c. Rows are reduced exactly with integer-preserving
 * Gauss-Jordan elimination (no floating point); bounds from non-negativity are not considered.
 * Validates the table like {@link suppressTable} and throws for a hidden id that is not a cell.
 *
 * @example
 * const table = {
 *   cells: [{ id: 'a', value: 2 }, { id: 'b', value: 7 }, { id: 'total', value: 9 }],
 *   relations: [{ total: 'total', parts: ['a', 'b'] }],
 * };
 * determinedCells(table, new Set(['a']));      // ['a']   (a = 9 − 7)
 * determinedCells(table, new Set(['a', 'b'])); // []
 */
export function determinedCells(table: CountTable, hidden: ReadonlySet<string>): string[] {
  const values = validateTable(table);
  for (const id of hidden) if (!values.has(id)) throw new Error(`hidden cell "${id}" is not a cell of the table`);
  return findDetermined(table.relations, hidden);
}

/** Input of {@link crossTable}. */
export interface CrossTableInput {
  /** Answer codes, e.g. `['yes', 'no', 'dk']`; neither `_total` nor containing `|`. */
  rows: readonly string[];
  /** Groups, a parent before or after its children, e.g. `[{ id: 'all' }, { id: 'government', parent: 'all' }]`. */
  columns: readonly { id: string; parent?: string }[];
  /** Count for a row in a leaf or inner column. */
  count: (row: string, column: string) => number;
  /** Respondents answering in that column. */
  columnTotal: (column: string) => number;
  /** True for single-choice answers (rows sum to the column total); false for multiple choice. */
  rowsPartition: boolean;
}

/**
 * Builds the {@link CountTable} of a 2-D table: rows (answer codes) x columns (groups), plus a row of
 * column totals, with columns optionally nested (total -> kind -> kind x region).
 *
 * Cell ids: `${row}|${column}` for counts and `_total|${column}` for column totals, rows in the given
 * order then `_total`, each across the columns in the given order. Relations: for every row including
 * `_total` and every column with children, `row|parent = sum of row|child` (children must partition
 * their parent); when `rowsPartition`, for every column `_total|column = sum over rows of row|column`.
 * A multiple-choice table gets no such column relation: its rows overlap. Throws an Error for a row named
 * `_total` or containing `|`, a duplicate row or column, an unknown parent or a cycle of parents.
 *
 * @example
 * crossTable({
 *   rows: ['yes', 'no'],
 *   columns: [{ id: 'all' }, { id: 'gov', parent: 'all' }, { id: 'ngo', parent: 'all' }],
 *   count: (row, column) => counts[row][column],
 *   columnTotal: (column) => totals[column],
 *   rowsPartition: true,
 * });
 * // cells yes|all, yes|gov, yes|ngo, no|…, _total|all, _total|gov, _total|ngo; relations
 * // yes|all = yes|gov + yes|ngo, no|all = …, _total|all = …, _total|gov = yes|gov + no|gov, …
 */
export function crossTable(input: CrossTableInput): CountTable {
  const { rows, columns, count, columnTotal, rowsPartition } = input;
  for (const row of rows) if (row === TOTAL_ROW || row.includes('|')) throw new Error(`row "${row}" is reserved or contains "|"`);
  assertUnique(rows, 'row');
  assertUnique(
    columns.map((column) => column.id),
    'column',
  );
  const parentOf = new Map(columns.map((column) => [column.id, column.parent]));
  const children = new Map<string, string[]>();
  for (const { id, parent } of columns) {
    if (parent === undefined) continue;
    if (!parentOf.has(parent)) throw new Error(`column "${id}" has unknown parent "${parent}"`);
    children.set(parent, [...(children.get(parent) ?? []), id]);
    for (let up: string | undefined = parent, steps = 0; up !== undefined; up = parentOf.get(up), steps++) {
      if (steps > columns.length) throw new Error(`column "${id}" is its own ancestor`);
    }
  }
  const cellId = (row: string, column: string): string => `${row}|${column}`;
  const allRows = [...rows, TOTAL_ROW];
  const cells = allRows.flatMap((row) => columns.map(({ id }) => ({ id: cellId(row, id), value: row === TOTAL_ROW ? columnTotal(id) : count(row, id) })));
  const relations: Relation[] = allRows.flatMap((row) =>
    [...children].map(([parent, kids]) => ({ total: cellId(row, parent), parts: kids.map((kid) => cellId(row, kid)) })),
  );
  if (rowsPartition) {
    for (const { id } of columns) relations.push({ total: cellId(TOTAL_ROW, id), parts: rows.map((row) => cellId(row, id)) });
  }
  return { cells, relations };
}

function assertUnique(ids: readonly string[], what: string): void {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) throw new Error(`duplicate ${what} "${id}"`);
    seen.add(id);
  }
}

/** Code-unit order, independent of the locale, so results are the same on every machine. */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function cellsOf(relation: Relation): string[] {
  return [relation.total, ...relation.parts];
}

function describeRelation(relation: Relation): string {
  return `relation "${relation.total}" = ${relation.parts.map((part) => `"${part}"`).join(' + ') || '(no parts)'}`;
}

/** Checks the table and returns its values by id. */
function validateTable(table: CountTable): Map<string, number> {
  const values = new Map<string, number>();
  for (const { id, value } of table.cells) {
    if (values.has(id)) throw new Error(`duplicate cell id "${id}"`);
    if (!Number.isInteger(value) || value < 0) throw new Error(`cell "${id}" has value ${value}; counts must be non-negative integers`);
    values.set(id, value);
  }
  for (const relation of table.relations) {
    if (relation.parts.length === 0) throw new Error(`${describeRelation(relation)} has no parts`);
    const seen = new Set<string>();
    for (const id of cellsOf(relation)) {
      if (!values.has(id)) throw new Error(`${describeRelation(relation)} names unknown cell "${id}"`);
      if (seen.has(id)) throw new Error(`${describeRelation(relation)} lists cell "${id}" twice`);
      seen.add(id);
    }
    const sum = relation.parts.reduce((total, id) => total + values.get(id)!, 0);
    if (sum !== values.get(relation.total)) throw new Error(`${describeRelation(relation)} does not add up: ${values.get(relation.total)} != ${sum}`);
  }
  return values;
}

/**
 * The published cell to hide next for `start`: the best (by `preference`) positive cell of the relations
 * of `start`; if those hold none, of the relations reached from them through hidden cells, layer by layer.
 * Only when no positive cell is reachable, the best zero of the nearest layer holding one. Undefined when
 * no published cell is reachable.
 */
function nextComplement(
  start: string,
  hidden: ReadonlySet<string>,
  relationsOf: ReadonlyMap<string, readonly Relation[]>,
  isPositive: (id: string) => boolean,
  eligible: (id: string) => boolean,
  preference: (a: string, b: string) => number,
): string | undefined {
  const reached = new Set([start]);
  const used = new Set<Relation>();
  let nearestZero: string | undefined;
  for (let frontier = [start]; frontier.length > 0; ) {
    const candidates: string[] = [];
    const next: string[] = [];
    for (const relation of frontier.flatMap((id) => relationsOf.get(id) ?? [])) {
      if (used.has(relation)) continue;
      used.add(relation);
      for (const id of cellsOf(relation)) {
        if (!hidden.has(id)) {
          if (eligible(id)) candidates.push(id);
        } else if (!reached.has(id)) {
          reached.add(id);
          next.push(id);
        }
      }
    }
    const [best] = candidates.filter(isPositive).sort(preference);
    if (best !== undefined) return best;
    nearestZero ??= candidates.sort(preference)[0];
    frontier = next;
  }
  return nearestZero;
}

/** {@link determinedCells} without validation: builds the equations in the hidden cells and solves them exactly. */
function findDetermined(relations: readonly Relation[], hidden: ReadonlySet<string>): string[] {
  const unknowns = [...hidden].sort(compareIds);
  const column = new Map(unknowns.map((id, index) => [id, index]));
  const equations: number[][] = [];
  for (const relation of relations) {
    const row = new Array<number>(unknowns.length).fill(0);
    let touchesHidden = false;
    for (const [id, coefficient] of [[relation.total, 1] as const, ...relation.parts.map((part) => [part, -1] as const)]) {
      const index = column.get(id);
      if (index === undefined) continue;
      row[index] = row[index]! + coefficient;
      touchesHidden = true;
    }
    if (touchesHidden) equations.push(row);
  }
  return solvedUnknowns(equations, unknowns.length).map((index) => unknowns[index]!);
}
