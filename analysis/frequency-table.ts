/**
 * Frequency tables: how ordinal and numeric answers reach the statistics, as counts per value from a
 * SQL `GROUP BY`, never as one number per respondent.
 */

/** One answered value and how many respondents gave it. */
export interface ValueCount {
  /** The answer as a number, e.g. a scale point `4`. */
  value: number;
  /** Number of respondents; a non-negative integer from SQL. */
  count: number;
}

/** Counts per value, in any order; the same value may appear more than once (counts are added). */
export type FrequencyTable = readonly ValueCount[];

/** A value with its count and the midrank it takes in a pooled ranking. */
export interface RankedValue extends ValueCount {
  /** Average of the ranks (1-based) that the tied observations of this value occupy. */
  midrank: number;
}

/**
 * Turns raw values into a frequency table sorted by value (for tests and small in-memory data).
 * Non-finite values (`NaN`, `Infinity`) are left out.
 *
 * @example
 * toFrequencyTable([3, 1, 3]); // [{ value: 1, count: 1 }, { value: 3, count: 2 }]
 */
export function toFrequencyTable(values: readonly number[]): ValueCount[] {
  return normalizeFrequencies(values.map((value) => ({ value, count: 1 })));
}

/**
 * Sorts by value, adds up repeated values and drops entries whose count is not positive or whose
 * value or count is not finite, so that every function here reads the same clean shape.
 *
 * @example
 * normalizeFrequencies([{ value: 2, count: 1 }, { value: 1, count: 0 }, { value: 2, count: 3 }]); // [{ value: 2, count: 4 }]
 */
export function normalizeFrequencies(table: FrequencyTable): ValueCount[] {
  const counts = new Map<number, number>();
  for (const { value, count } of table) {
    if (!Number.isFinite(value) || !Number.isFinite(count) || count <= 0) continue;
    counts.set(value, (counts.get(value) ?? 0) + count);
  }
  return [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => a.value - b.value);
}

/**
 * Number of respondents in a table (sum of the positive counts); 0 for an empty table.
 *
 * @example
 * totalCount([{ value: 1, count: 2 }, { value: 5, count: 3 }]); // 5
 */
export function totalCount(table: FrequencyTable): number {
  return normalizeFrequencies(table).reduce((sum, { count }) => sum + count, 0);
}

/**
 * Ranks the pooled values of several tables, ties sharing their midrank: a value held by `t`
 * observations after `before` smaller ones gets rank `before + (t + 1) / 2`. Sorted by value.
 *
 * @example
 * pooledMidranks([[{ value: 1, count: 2 }], [{ value: 1, count: 1 }, { value: 2, count: 1 }]]);
 * // [{ value: 1, count: 3, midrank: 2 }, { value: 2, count: 1, midrank: 4 }]
 */
export function pooledMidranks(tables: readonly FrequencyTable[]): RankedValue[] {
  let before = 0;
  return normalizeFrequencies(tables.flat()).map(({ value, count }) => {
    const midrank = before + (count + 1) / 2;
    before += count;
    return { value, count, midrank };
  });
}

/**
 * The value at a 0-based position of the sorted observations; `undefined` outside `[0, n)`.
 * Reads the table without expanding it.
 */
export function valueAtPosition(sorted: readonly ValueCount[], position: number): number | undefined {
  let seen = 0;
  for (const { value, count } of sorted) {
    seen += count;
    if (position < seen) return position >= 0 ? value : undefined;
  }
  return undefined;
}

/**
 * Expands a table into one value per observation (length = total count). Only for library tests
 * that take raw samples; memory grows with the number of respondents, not with the number of values.
 */
export function expandFrequencies(table: FrequencyTable): number[] {
  return normalizeFrequencies(table).flatMap(({ value, count }) => Array.from({ length: count }, () => value));
}
