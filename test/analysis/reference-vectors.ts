/**
 * The SciPy reference values (reference-vectors.json beside this file, written by
 * `python3 scripts/reference-vectors.py`), and the relative-closeness check the analysis tests
 * compare them with.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';

type Table = number[][];

export interface ReferenceCases {
  proportion_wilson: { k: number; n: number; p: number; ci95: [number, number] }[];
  mean_t_interval: { values: number[]; mean: number; sd: number; ci95: [number, number] }[];
  median: { values: number[]; median: number }[];
  /** Order-statistic interval [x(lower_rank), x(upper_rank)] (1-based); all null when n ≤ 5. */
  median_interval: { values: number[]; n: number; median: number; lower_rank: number | null; upper_rank: number | null; ci: [number, number] | null; coverage: number | null }[];
  /** Ranks and coverage of that interval for n values, without the values. */
  median_interval_ranks: { n: number; lower_rank: number | null; upper_rank: number | null; coverage: number | null }[];
  chi_square_independence: { table: Table; chi2: number; dof: number; p: number; cramers_v: number; expected: Table }[];
  /** Cramér's V from `scipy.stats.contingency.association`, with Cohen's thresholds divided by √df*. */
  cramers_v_label: { table: Table; cramers_v: number; df_star: number; thresholds: [number, number, number]; label: 'negligible' | 'small' | 'medium' | 'large' }[];
  fisher_exact_2x2: { table: Table; p_two_sided: number }[];
  mann_whitney_u: { a: number[]; b: number[]; u_a: number; p_two_sided: number; rank_biserial: number }[];
  kruskal_wallis: { groups: number[][]; h: number; dof: number; p: number; epsilon_squared: number }[];
  holm_adjust: { p: number[]; adjusted: number[] }[];
}

const FILE = path.resolve(import.meta.dirname, 'reference-vectors.json');

/** Parsed once per test file; each test reads only the cases it needs. */
export const reference: ReferenceCases = JSON.parse(readFileSync(FILE, 'utf8')).cases;

/**
 * Relative tolerance of every comparison with SciPy. The worst case measured is the chi-square
 * p-value at 3.9e-12 (computed as 1 − CDF); everything else agrees to a few ulps.
 */
export const RELATIVE_TOLERANCE = 1e-10;

/** Asserts |actual − expected| ≤ RELATIVE_TOLERANCE · |expected| (exact equality when expected is 0). */
export function expectClose(actual: number | null | undefined, expected: number, label = ''): void {
  expect(actual, `${label}: expected a number close to ${expected}`).toBeTypeOf('number');
  const error = Math.abs((actual as number) - expected);
  expect(error, `${label}: ${actual} vs ${expected}`).toBeLessThanOrEqual(RELATIVE_TOLERANCE * Math.abs(expected));
}
