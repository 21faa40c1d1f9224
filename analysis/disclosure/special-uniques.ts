/**
 * A re-identification check over every column of a row file, answers included: which records are
 * unique on some combination of up to 3 columns ("special uniques", after sdcMicro), and whether
 * blanking at most 5% of the cells (local suppression) leaves none. Pure: coded rows in, figures and
 * the cells to blank out.
 *
 * Missing cells. A null cell (given, or blanked by the suppression) is a value of its own: it
 * equals another null and nothing else. It is never a wildcard, so a missing value never makes a
 * unique look safe: two records count as alike on a combination only when their published cells
 * there are identical, and then no reader, whatever he knows of those columns, can tell them
 * apart. (Taken as a wildcard, as sdcMicro does, a blank in one row would "protect" every row
 * that agrees with it elsewhere, while a reader who knows the target's value still rules out
 * every row that shows another value; two fully blanked rows would "protect" the whole file.)
 * The price: a blank alone protects nothing; a record is protected once another record shows the
 * same cells, blanks included, so blanks come in pairs.
 *
 * Speed. Every combination of up to 3 of m columns is counted with a hash count per combination
 * (n rows, m + m(m-1)/2 + m(m-1)(m-2)/6 combinations: 562,625 for 150 columns). The count stops
 * as soon as failure is certain: a record unique on a combination where none of its cells is blank
 * needs one of them blanked (other records' blanks cannot make them agree), so the number of
 * column-disjoint unique combinations found per record, summed, is a lower bound on the cells to
 * blank; once it exceeds the budget the check ends with `passes: false` and `stoppedEarly`.
 */

/** Rows of coded cells, one array per record in the order of `columns`; null = missing. */
export interface CodedRows {
  columns: readonly string[];
  rows: readonly (readonly (string | null)[])[];
}

export interface SpecialUniquesOptions {
  /** Largest combination of columns looked at (1 to 3, default 3). */
  maxColumns?: number;
  /** Largest share of all cells that may be blanked (default 0.05). */
  maxSuppressedShare?: number;
}

/** A combination of columns and how many records are unique on it. */
export interface UniqueCombination {
  columns: string[];
  uniqueRecords: number;
}

export interface SpecialUniquesResult {
  /** True when, after the suppressions listed, no record is unique on any combination. */
  passes: boolean;
  records: number;
  columns: number;
  maxColumns: number;
  /** Cells that may be blanked: floor(share × records × columns). */
  cellBudget: number;
  maxSuppressedShare: number;
  /** Records unique on at least one combination (at least this many when `stoppedEarly`). */
  uniqueRecordsBefore: number;
  /** Combinations on which at least one record is unique (at least this many when `stoppedEarly`). */
  uniqueCombinationsBefore: number;
  /** Cells blanked (when the check fails: those blanked before the budget ran out; 0 when it stopped before suppressing). */
  suppressedCells: number;
  /** suppressedCells / (records × columns), 0 for an empty table. */
  suppressedShare: number;
  /**
   * Records still unique after the suppressions; null when they were not counted (the budget ran
   * out while blanking, or the check stopped early).
   */
  uniqueRecordsAfter: number | null;
  /** The combinations with most unique records before suppression (at most 5), most first. */
  worstCombinations: UniqueCombination[];
  /**
   * Null when the check ran to its end. Otherwise it stopped because failure was certain: at
   * least `cellsNeeded` cells would have to be blanked, more than `cellBudget`.
   */
  stoppedEarly: { reason: 'budget_exceeded'; cellsNeeded: number } | null;
  /** The cells to blank (record and column indices), empty unless `passes`. */
  suppressions: { record: number; column: number }[];
}

const DEFAULT_SHARE = 0.05;
const WORST_KEPT = 5;
/** Rounds of suppression and recount; each round blanks at least one cell, so the budget ends it too. */
const MAX_ROUNDS = 20;

/**
 * Finds the records unique on some combination of up to `maxColumns` columns and tries to make
 * every record non-unique by blanking at most `maxSuppressedShare` of the cells.
 *
 * Suppression is greedy, record by record: each record unique on some combination is paired
 * with the record that needs fewest blanks to become identical to it (another unique record
 * preferred, so that one pair of blanks protects both), and the cells where the two differ are
 * blanked in both. A lone blank would protect nothing (a null is a value of its own, and a column
 * with one blank makes it unique), while two identical rows share every combination. Then
 * everything is counted again (a record that lost its only partner is now unique), up to 20
 * rounds, until no record is unique or the budget is spent.
 * An empty table, or one with no column, passes; a single record with a column cannot.
 *
 * @example
 * const result = checkSpecialUniques({ columns: ['region', 'donor'], rows: [['Africa', 'no'], ['Africa', 'no'], ['Asia', 'no']] });
 * result.uniqueRecordsBefore; // 1: the only 'Asia'
 * result.passes; // false: at least 1 cell must be blanked, the budget is floor(0.05 × 6) = 0
 * result.stoppedEarly; // { reason: 'budget_exceeded', cellsNeeded: 1 }
 */
export function checkSpecialUniques(table: CodedRows, options: SpecialUniquesOptions = {}): SpecialUniquesResult {
  const maxColumns = options.maxColumns ?? 3;
  if (!Number.isInteger(maxColumns) || maxColumns < 1 || maxColumns > 3) throw new Error(`maxColumns must be 1, 2 or 3, not ${maxColumns}`);
  const share = options.maxSuppressedShare ?? DEFAULT_SHARE;
  if (!(share >= 0 && share < 1)) throw new Error(`maxSuppressedShare must be from 0 to below 1, not ${share}`);
  const data = encode(table);
  const cellBudget = Math.floor(share * data.n * data.m);
  const base = { records: data.n, columns: data.m, maxColumns, cellBudget, maxSuppressedShare: share };

  const before = detect(data, maxColumns, cellBudget);
  const figuresBefore = {
    uniqueRecordsBefore: before.uniqueRecords,
    uniqueCombinationsBefore: before.uniqueCombinations,
    worstCombinations: named(table.columns, before.worst),
  };
  if (!before.complete) {
    return {
      ...base,
      ...figuresBefore,
      passes: false,
      suppressedCells: 0,
      suppressedShare: 0,
      uniqueRecordsAfter: null,
      stoppedEarly: { reason: 'budget_exceeded', cellsNeeded: before.lowerBound },
      suppressions: [],
    };
  }

  const blanked: { record: number; column: number }[] = [];
  let current = before;
  let counted = true;
  for (let round = 0; round < MAX_ROUNDS && current.uniqueRecords > 0; round++) {
    counted = false;
    if (!makeTwins(data, current.unique, blanked, cellBudget)) break;
    current = detect(data, maxColumns, cellBudget - blanked.length);
    if (!current.complete) break;
    counted = true;
  }
  const cells = data.n * data.m;
  const after = counted ? current.uniqueRecords : null;
  const passes = after === 0;
  return {
    ...base,
    ...figuresBefore,
    passes,
    suppressedCells: blanked.length,
    suppressedShare: cells ? blanked.length / cells : 0,
    uniqueRecordsAfter: after,
    stoppedEarly: null,
    suppressions: passes ? blanked : [],
  };
}

/** The sentence a bundle prints for a check, e.g. "100 of 100 records are unique on …". */
export function describeSpecialUniques(result: SpecialUniquesResult): string {
  const pct = `${Math.round(result.maxSuppressedShare * 1000) / 10}%`;
  const upTo = `some combination of up to ${result.maxColumns} column${result.maxColumns > 1 ? 's' : ''}`;
  if (result.uniqueRecordsBefore === 0) return `No record of ${result.records} is unique on ${upTo}.`;
  const atLeast = result.stoppedEarly ? 'At least ' : '';
  const found = `${atLeast}${result.uniqueRecordsBefore} of ${result.records} records are unique on ${upTo}`;
  if (result.passes)
    return `${found}; blanking ${result.suppressedCells} of ${result.records * result.columns} cells (${(result.suppressedShare * 100).toFixed(2)}%) made every record non-unique.`;
  const needed = result.stoppedEarly ? ` (at least ${result.stoppedEarly.cellsNeeded} cells, the limit being ${result.cellBudget})` : '';
  return `${found}; making them non-unique would take more than ${pct} of cells${needed}.`;
}

interface Encoded {
  n: number;
  m: number;
  /** Per column, per record: 0 for null, else 1 + the index of the value in that column. */
  codes: Int32Array[];
  /** Per column: 1 + the number of distinct values (codes are below it). */
  cards: number[];
}

function encode(table: CodedRows): Encoded {
  const n = table.rows.length;
  const m = table.columns.length;
  const codes: Int32Array[] = [];
  const cards: number[] = [];
  for (let c = 0; c < m; c++) {
    const values = new Map<string, number>();
    const column = new Int32Array(n);
    for (let r = 0; r < n; r++) {
      const row = table.rows[r]!;
      if (row.length !== m) throw new Error(`row ${r} has ${row.length} cells for ${m} columns`);
      const value = row[c];
      if (value === null || value === undefined) continue;
      let code = values.get(value);
      if (code === undefined) {
        code = values.size + 1;
        values.set(value, code);
      }
      column[r] = code;
    }
    codes.push(column);
    cards.push(values.size + 1);
  }
  return { n, m, codes, cards };
}

function named(columns: readonly string[], worst: readonly { cols: number[]; unique: number }[]): UniqueCombination[] {
  return worst.map((w) => ({ columns: w.cols.map((c) => columns[c]!), uniqueRecords: w.unique }));
}

interface Detection {
  /** False when counting stopped because `lowerBound` exceeded the budget. */
  complete: boolean;
  uniqueRecords: number;
  uniqueCombinations: number;
  worst: { cols: number[]; unique: number }[];
  /** The records unique on some combination, in index order (complete only when `complete`). */
  unique: number[];
  /** Cells that must be blanked at least (column-disjoint unique combinations without a blank, per record). */
  lowerBound: number;
}

/** Key ranges up to this are counted in an array indexed by key; larger ones in a hash table. */
const DIRECT_LIMIT = 1 << 20;

/**
 * Counts of keys per combination, reset in O(1) by a generation stamp. `slotOf` returns the slot of
 * each row's key; a slot with count 1 is a unique record.
 */
class KeyCounter {
  private readonly directCount = new Int32Array(DIRECT_LIMIT);
  private readonly directStamp = new Int32Array(DIRECT_LIMIT);
  private readonly hashCount: Int32Array;
  private readonly hashStamp: Int32Array;
  private readonly hashKey: Float64Array;
  private readonly mask: number;
  private generation = 0;
  /** Slots of the last counting, per row. */
  readonly slots: Int32Array;
  /** Counts of the last counting, indexed by slot. */
  counts: Int32Array;
  /** Slots are below this (the key range, or the hash table's size). */
  range = 0;

  constructor(n: number) {
    let size = 1024;
    while (size < 2 * n) size *= 2;
    this.hashCount = new Int32Array(size);
    this.hashStamp = new Int32Array(size);
    this.hashKey = new Float64Array(size);
    this.mask = size - 1;
    this.slots = new Int32Array(n);
    this.counts = this.directCount;
  }

  /**
   * Counts key(i) = outer[i] × width + inner[i] over every row (outer null: key = inner[i]).
   * Returns the number of keys held by exactly one row. (The loops are written out per case: this
   * is the inner loop of the whole check.)
   */
  count(outer: Int32Array | null, outerRange: number, inner: Int32Array, width: number): number {
    const gen = ++this.generation;
    const keyRange = (outer ? outerRange : 1) * width;
    if (keyRange <= DIRECT_LIMIT) {
      this.counts = this.directCount;
      this.range = keyRange;
      return outer
        ? countDirectPair(this.slots, this.directCount, this.directStamp, gen, outer, width, inner)
        : countDirectSingle(this.slots, this.directCount, this.directStamp, gen, inner);
    }
    this.counts = this.hashCount;
    this.range = this.mask + 1;
    return countHashed(this.slots, this.hashCount, this.hashStamp, this.hashKey, this.mask, gen, outer, width, inner);
  }
}

function countDirectSingle(slots: Int32Array, count: Int32Array, stamp: Int32Array, gen: number, inner: Int32Array): number {
  let singletons = 0;
  for (let i = 0; i < slots.length; i++) {
    const key = inner[i]!;
    if (stamp[key] !== gen) {
      stamp[key] = gen;
      count[key] = 1;
      singletons++;
    } else if (++count[key]! === 2) singletons--;
    slots[i] = key;
  }
  return singletons;
}

function countDirectPair(slots: Int32Array, count: Int32Array, stamp: Int32Array, gen: number, outer: Int32Array, width: number, inner: Int32Array): number {
  let singletons = 0;
  for (let i = 0; i < slots.length; i++) {
    const key = outer[i]! * width + inner[i]!;
    if (stamp[key] !== gen) {
      stamp[key] = gen;
      count[key] = 1;
      singletons++;
    } else if (++count[key]! === 2) singletons--;
    slots[i] = key;
  }
  return singletons;
}

function countHashed(
  slots: Int32Array,
  count: Int32Array,
  stamp: Int32Array,
  keys: Float64Array,
  mask: number,
  gen: number,
  outer: Int32Array | null,
  width: number,
  inner: Int32Array,
): number {
  let singletons = 0;
  for (let i = 0; i < slots.length; i++) {
    const key = outer ? outer[i]! * width + inner[i]! : inner[i]!;
    let slot = (Math.imul(key | 0, 0x9e3779b1) ^ Math.imul((key / 0x100000000) | 0, 0x85ebca77)) & mask;
    while (stamp[slot] === gen && keys[slot] !== key) slot = (slot + 1) & mask;
    if (stamp[slot] !== gen) {
      stamp[slot] = gen;
      keys[slot] = key;
      count[slot] = 1;
      singletons++;
    } else if (++count[slot]! === 2) singletons--;
    slots[i] = slot;
  }
  return singletons;
}

/**
 * Counts every combination of up to `maxColumns` columns (singles, then pairs, then triples),
 * stopping once the lower bound on cells to blank exceeds `budget`.
 */
function detect(data: Encoded, maxColumns: number, budget: number): Detection {
  const { n, m, codes, cards } = data;
  const counter = new KeyCounter(n);
  const uniqueRecord = new Uint8Array(n);
  // Columns of each record already in a counted unique combination (see the lower bound).
  const packed = new Uint8Array(n * m);
  const worst: Detection['worst'] = [];
  let uniqueRecords = 0;
  let uniqueCombinations = 0;
  let lowerBound = 0;

  /** Records the unique rows of the combination just counted; false once failure is certain. */
  const record = (cols: number[], singletons: number): boolean => {
    uniqueCombinations++;
    if (worst.length < WORST_KEPT || singletons > worst[worst.length - 1]!.unique) {
      worst.push({ cols, unique: singletons });
      worst.sort((a, b) => b.unique - a.unique);
      if (worst.length > WORST_KEPT) worst.pop();
    }
    const { slots, counts } = counter;
    for (let i = 0; i < n; i++) {
      if (counts[slots[i]!] !== 1) continue;
      if (!uniqueRecord[i]) {
        uniqueRecord[i] = 1;
        uniqueRecords++;
      }
      // A unique combination with no blank of this record, disjoint from those already counted,
      // needs a blank of its own. (A superset of a counted one overlaps it, so counting only
      // minimal combinations would give the same bound.)
      if (cols.every((c) => codes[c]![i] !== 0 && !packed[i * m + c])) {
        for (const c of cols) packed[i * m + c] = 1;
        lowerBound++;
      }
    }
    return lowerBound <= budget;
  };
  const done = (complete: boolean): Detection => {
    const unique: number[] = [];
    for (let i = 0; i < n; i++) if (uniqueRecord[i]) unique.push(i);
    return { complete, uniqueRecords, uniqueCombinations, worst, unique, lowerBound };
  };

  for (let a = 0; a < m; a++) {
    const singletons = counter.count(null, 1, codes[a]!, cards[a]!);
    if (singletons && !record([a], singletons)) return done(false);
  }
  if (maxColumns < 2) return done(true);
  const pairSlots = new Int32Array(n);
  for (let a = 0; a < m; a++) {
    for (let b = a + 1; b < m; b++) {
      const singletons = counter.count(codes[a]!, cards[a]!, codes[b]!, cards[b]!);
      if (singletons && !record([a, b], singletons)) return done(false);
    }
  }
  if (maxColumns < 3) return done(true);
  for (let a = 0; a < m; a++) {
    for (let b = a + 1; b < m; b++) {
      // The pair's slots are dense enough to key the triples on.
      counter.count(codes[a]!, cards[a]!, codes[b]!, cards[b]!);
      pairSlots.set(counter.slots);
      const pairRange = counter.range;
      for (let c = b + 1; c < m; c++) {
        const singletons = counter.count(pairSlots, pairRange, codes[c]!, cards[c]!);
        if (singletons && !record([a, b, c], singletons)) return done(false);
      }
    }
  }
  return done(true);
}

/**
 * One round of suppression: each record still unique is paired with the record that needs fewest
 * blanks to become identical to it (preferring another unique record, so that one pair of blanks
 * serves both), and the cells where they differ are blanked in both. Identical rows share every
 * combination. Returns false when the budget ran out or a record has no partner.
 */
function makeTwins(data: Encoded, uniqueRecords: readonly number[], blanked: { record: number; column: number }[], budget: number): boolean {
  const { n, m, codes } = data;
  if (n < 2) return false;
  const waiting = new Uint8Array(n);
  for (const r of uniqueRecords) waiting[r] = 1;
  for (const r of uniqueRecords) {
    if (!waiting[r]) continue;
    let best = -1;
    let bestCost = Number.POSITIVE_INFINITY;
    for (let x = 0; x < n; x++) {
      if (x === r) continue;
      let cost = 0;
      for (let c = 0; c < m && cost <= bestCost; c++) {
        const cr = codes[c]![r]!;
        const cx = codes[c]![x]!;
        if (cr !== cx) cost += (cr !== 0 ? 1 : 0) + (cx !== 0 ? 1 : 0);
      }
      if (cost < bestCost || (cost === bestCost && waiting[x] && !waiting[best])) {
        best = x;
        bestCost = cost;
      }
    }
    if (blanked.length + bestCost > budget) return false;
    for (let c = 0; c < m; c++) {
      if (codes[c]![r] === codes[c]![best]) continue;
      for (const who of [r, best]) {
        if (codes[c]![who] === 0) continue;
        codes[c]![who] = 0;
        blanked.push({ record: who, column: c });
      }
    }
    waiting[r] = 0;
    waiting[best] = 0;
  }
  return true;
}
