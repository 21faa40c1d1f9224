/**
 * Tests of independence for counts per group and answer (a contingency table from a SQL `GROUP BY`).
 */
import chisquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';
import hypergeometricPmf from '@stdlib/stats-base-dists-hypergeometric-pmf';

/**
 * Counts with one row per group (e.g. region) and one column per answer option. Cells are
 * non-negative integers; a missing cell in a shorter row counts as 0.
 */
export type ContingencyTable = readonly (readonly number[])[];

/** Result of {@link chiSquareIndependence}; statistics unrounded. */
export interface ChiSquareResult {
  /** Total count of the table. */
  n: number;
  /** Rows and columns left after dropping those that sum to zero. */
  rowsTested: number;
  columnsTested: number;
  /** Expected counts under independence, `rowTotal · columnTotal / n`, in the input's shape (0 in a zero row or column). */
  expected: number[][];
  /** Smallest expected count among the rows and columns tested; null when nothing is tested. */
  minExpected: number | null;
  /** Pearson's chi-square statistic, without Yates' continuity correction; null when untestable. */
  chi2: number | null;
  /** Degrees of freedom `(rowsTested − 1)(columnsTested − 1)`; null when untestable. */
  dof: number | null;
  /** Upper-tail p-value of the chi-square distribution; null when untestable. */
  p: number | null;
  /** Cramér's V, `√(chi2 / (n · (min(rowsTested, columnsTested) − 1)))`, in [0, 1]; null when untestable. */
  cramersV: number | null;
}

/** Cell (i, j) of a possibly ragged table, non-finite or negative cells read as 0. */
function cell(table: ContingencyTable, i: number, j: number): number {
  const value = table[i]?.[j] ?? 0;
  return Number.isFinite(value) && value > 0 ? value : 0;
}

/**
 * Pearson's chi-square test of independence (no Yates correction, as SciPy's
 * `chi2_contingency(table, correction=False)`), with expected counts, degrees of freedom, p-value and
 * Cramér's V.
 *
 * A zero row or column in a contingency table is dropped before the test (an option nobody chose, a
 * group nobody belongs to): it carries no information and would divide by a zero expected count.
 * Fewer than two rows or columns left (including an empty table) gives chi2, dof, p and V null.
 * The approximation is poor when expected counts are small: with an expected count < 5 in a 2x2
 * table, use Fisher's exact test ({@link fisherExact2x2}); {@link compareChoiceGroups} makes that choice.
 *
 * The p-value is `1 − CDF`, exact to about 1e-16 absolute: values below that print as 0.
 *
 * @example
 * chiSquareIndependence([[12, 5], [7, 14]]); // chi2 5.2157, dof 1, p 0.02238, cramersV 0.3705
 */
export function chiSquareIndependence(table: ContingencyTable): ChiSquareResult {
  const columns = Math.max(0, ...table.map((row) => row.length));
  const rowTotals = table.map((_, i) => Array.from({ length: columns }, (_, j) => cell(table, i, j)).reduce((a, b) => a + b, 0));
  const columnTotals = Array.from({ length: columns }, (_, j) => table.reduce((sum, _, i) => sum + cell(table, i, j), 0));
  const n = rowTotals.reduce((a, b) => a + b, 0);
  const expected = table.map((_, i) => columnTotals.map((columnTotal) => (n > 0 ? (rowTotals[i]! * columnTotal) / n : 0)));
  const keptRows = rowTotals.flatMap((total, i) => (total > 0 ? [i] : []));
  const keptColumns = columnTotals.flatMap((total, j) => (total > 0 ? [j] : []));
  const untestable = { chi2: null, dof: null, p: null, cramersV: null };
  const shape = { n, rowsTested: keptRows.length, columnsTested: keptColumns.length, expected };
  if (keptRows.length < 2 || keptColumns.length < 2) return { ...shape, minExpected: null, ...untestable };

  let chi2 = 0;
  let minExpected = Infinity;
  for (const i of keptRows) {
    for (const j of keptColumns) {
      const e = expected[i]![j]!;
      chi2 += (cell(table, i, j) - e) ** 2 / e;
      minExpected = Math.min(minExpected, e);
    }
  }
  const dof = (keptRows.length - 1) * (keptColumns.length - 1);
  const p = 1 - chisquareCdf(chi2, dof);
  const cramersV = Math.sqrt(chi2 / (n * (Math.min(keptRows.length, keptColumns.length) - 1)));
  return { ...shape, minExpected, chi2, dof, p: Math.min(1, Math.max(0, p)), cramersV };
}

/**
 * Two-sided Fisher's exact test for a 2x2 table `[[a, b], [c, d]]`, as SciPy's `fisher_exact`: the
 * sum of the hypergeometric probabilities (margins fixed) of every table no more likely than the
 * observed one. Probabilities come from stdlib's hypergeometric PMF; the sum runs over the whole
 * support, at most `min(row, column total) + 1` tables, which is small for survey counts.
 *
 * "No more likely" allows a relative tolerance of 1e-7 (as R's `fisher.test`) so that tables with
 * mathematically equal probabilities count despite rounding in the log-gamma computation. SciPy uses
 * 1e-14, which is tighter than the PMF's own rounding for larger totals; the two differ only for
 * tables whose probabilities differ by less than 1e-7 relative.
 *
 * Edge cases: a table that is not 2x2 or whose total is 0 gives p null; a zero row or column leaves
 * one possible table and gives p = 1; so does any table that is the most likely one. p is capped at
 * 1 and not rounded.
 *
 * @example
 * fisherExact2x2([[8, 2], [1, 5]]); // { p: 0.03497 }
 */
export function fisherExact2x2(table: ContingencyTable): { p: number | null } {
  if (table.length !== 2 || table.some((row) => row.length !== 2)) return { p: null };
  const [a, b, c, d] = [cell(table, 0, 0), cell(table, 0, 1), cell(table, 1, 0), cell(table, 1, 1)];
  const total = a + b + c + d;
  if (total === 0) return { p: null };
  const firstRow = a + b;
  const firstColumn = a + c;
  const tolerance = 1 + 1e-7;
  const observed = hypergeometricPmf(a, total, firstRow, firstColumn);
  const probabilities: number[] = [];
  for (let x = Math.max(0, firstRow + firstColumn - total); x <= Math.min(firstRow, firstColumn); x++) {
    probabilities.push(hypergeometricPmf(x, total, firstRow, firstColumn));
  }
  // The most likely table counts every table: p is 1 exactly, not a sum that rounds below it (as SciPy).
  if (observed * tolerance >= Math.max(...probabilities)) return { p: 1 };
  const p = probabilities.filter((probability) => probability <= observed * tolerance).reduce((sum, probability) => sum + probability, 0);
  return { p: Math.min(1, p) };
}
