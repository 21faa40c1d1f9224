/**
 * What an intruder can work out from tables.csv alone: the linear relations between its cells,
 * rebuilt from the published file (never from the production code), and for each hidden cell the
 * smallest and largest value it can take given the published counts, the relations and counts
 * being non-negative, by linear programming (yalps).
 */
import { type Constraint, solve } from 'yalps';

export interface TableCell {
  code: string;
  kind: string;
  region: string;
  /** Null when published as `.s`. */
  value: number | null;
}

export interface Relation {
  total: string;
  parts: string[];
}

export interface PublishedTable {
  key: string;
  cells: Map<string, TableCell>;
  relations: Relation[];
}

const ALL = 'all';
const ANSWERED = '_answered';
const SUBSTANTIVE = '_substantive';
export const cellKey = (code: string, kind: string, region: string) => `${code}|${kind}|${region}`;

/**
 * Groups tables.csv rows by (question_id, item) and writes down the relations a reader knows: for each
 * code, all = sum of kinds and kind = sum of its regions (or all = sum of the regions when one kind only); for a question with one code per respondent
 * (`partitions` holds its question id), each column's `_answered` = sum of its codes, or, where the
 * table has a `_substantive` row, `_answered` = `_substantive` + the codes whose base is `_answered`
 * ("don't know") and `_substantive` = the codes whose base is `_substantive` (the options).
 * Throws when a relation names a cell the file does not hold.
 */
export function readTables(rows: readonly Record<string, string>[], partitions: ReadonlySet<string>): PublishedTable[] {
  const grouped = new Map<string, Record<string, string>[]>();
  for (const row of rows) {
    const key = `${row.question_id}|${row.item}`;
    grouped.set(key, [...(grouped.get(key) ?? []), row]);
  }
  return [...grouped].map(([key, tableRows]) => {
    const cells = new Map<string, TableCell>();
    for (const r of tableRows) {
      const value = r.count === '.s' ? null : Number(r.count);
      if (value !== null && !Number.isInteger(value)) throw new Error(`${key}: count ${r.count} is not a count`);
      cells.set(cellKey(r.code!, r.kind!, r.region!), { code: r.code!, kind: r.kind!, region: r.region!, value });
    }
    const codes = [...new Set(tableRows.map((r) => r.code!))];
    // The columns the file holds: all, then kinds (when there are several), then kind × region
    // (when a kind has several regions); a breakdown into a single group is left out.
    const present = [...new Set(tableRows.map((r) => `${r.kind}\u0000${r.region}`))].map((c) => c.split('\u0000') as [string, string]);
    const kindTotals = present.filter(([k, g]) => k !== ALL && g === ALL).map(([k]) => k);
    const leaves = present.filter(([, g]) => g !== ALL);
    const columns: [string, string][] = [[ALL, ALL], ...kindTotals.map((k): [string, string] => [k, ALL]), ...leaves];
    const relations: Relation[] = [];
    for (const code of codes) {
      if (kindTotals.length) {
        relations.push({ total: cellKey(code, ALL, ALL), parts: kindTotals.map((k) => cellKey(code, k, ALL)) });
        for (const kind of kindTotals) {
          const regions = leaves.filter(([k]) => k === kind);
          if (regions.length) relations.push({ total: cellKey(code, kind, ALL), parts: regions.map(([k, g]) => cellKey(code, k, g)) });
        }
      } else if (leaves.length) {
        relations.push({ total: cellKey(code, ALL, ALL), parts: leaves.map(([k, g]) => cellKey(code, k, g)) });
      }
    }
    if (partitions.has(tableRows[0]!.question_id!)) {
      const baseOf = new Map(tableRows.map((r) => [r.code!, r.base!]));
      const answers = codes.filter((c) => c !== ANSWERED && c !== SUBSTANTIVE);
      for (const [kind, region] of columns) {
        if (!codes.includes(SUBSTANTIVE)) {
          relations.push({ total: cellKey(ANSWERED, kind, region), parts: answers.map((c) => cellKey(c, kind, region)) });
          continue;
        }
        const apart = answers.filter((c) => baseOf.get(c) === ANSWERED);
        relations.push({ total: cellKey(ANSWERED, kind, region), parts: [SUBSTANTIVE, ...apart].map((c) => cellKey(c, kind, region)) });
        relations.push({
          total: cellKey(SUBSTANTIVE, kind, region),
          parts: answers.filter((c) => baseOf.get(c) === SUBSTANTIVE).map((c) => cellKey(c, kind, region)),
        });
      }
    }
    for (const relation of relations) {
      for (const id of [relation.total, ...relation.parts]) if (!cells.has(id)) throw new Error(`${key}: the file has no cell ${id}`);
    }
    return { key, cells, relations };
  });
}

/** Relations whose cells are all published but do not add up. */
export function brokenRelations(table: PublishedTable): string[] {
  const value = (id: string) => table.cells.get(id)!.value;
  return table.relations
    .filter((r) => [r.total, ...r.parts].every((id) => value(id) !== null))
    .filter((r) => value(r.total) !== r.parts.reduce((sum, id) => sum + value(id)!, 0))
    .map((r) => `${table.key}: ${r.total} != ${r.parts.join(' + ')}`);
}

/**
 * The feasible range of every hidden cell: min and max over non-negative reals satisfying every
 * relation with the published values fixed (max is Infinity when unbounded). Throws when the
 * published values admit no solution at all.
 */
export function hiddenRanges(table: PublishedTable): Map<string, { min: number; max: number }> {
  const hidden = [...table.cells].filter(([, c]) => c.value === null).map(([id]) => id);
  const constraints = new Map<string, Constraint>();
  const coefficients = new Map(hidden.map((id) => [id, new Map<string, number>()]));
  const add = (constraint: string, id: string, coefficient: number) => {
    const row = coefficients.get(id)!;
    row.set(constraint, (row.get(constraint) ?? 0) + coefficient);
  };
  table.relations.forEach((relation, index) => {
    const name = `r${index}`;
    let constant = 0;
    for (const [id, sign] of [[relation.total, -1] as const, ...relation.parts.map((p) => [p, 1] as const)]) {
      const value = table.cells.get(id)!.value;
      if (value === null) add(name, id, sign);
      else constant -= sign * value;
    }
    if ([relation.total, ...relation.parts].some((id) => table.cells.get(id)!.value === null)) constraints.set(name, { equal: constant });
  });
  const ranges = new Map<string, { min: number; max: number }>();
  for (const target of hidden) {
    const range = { min: 0, max: 0 };
    for (const direction of ['minimize', 'maximize'] as const) {
      const variables = new Map([...coefficients].map(([id, row]) => [id, id === target ? new Map([...row, ['objective', 1]]) : row]));
      const solution = solve({ direction, objective: 'objective', constraints, variables });
      if (solution.status === 'infeasible') throw new Error(`${table.key}: the published values admit no solution`);
      const result = solution.status === 'unbounded' ? Infinity : solution.result;
      if (direction === 'minimize') range.min = result;
      else range.max = result;
    }
    ranges.set(target, range);
  }
  return ranges;
}
