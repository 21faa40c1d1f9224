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
  median_interval: {
    values: number[];
    n: number;
    median: number;
    lower_rank: number | null;
    upper_rank: number | null;
    ci: [number, number] | null;
    coverage: number | null;
  }[];
  /** Ranks and coverage of that interval for n values, without the values. */
  median_interval_ranks: { n: number; lower_rank: number | null; upper_rank: number | null; coverage: number | null }[];
  chi_square_independence: { table: Table; chi2: number; dof: number; p: number; cramers_v: number; expected: Table }[];
  /** Cramér's V from `scipy.stats.contingency.association`, with Cohen's thresholds divided by √df*. */
  cramers_v_label: {
    table: Table;
    cramers_v: number;
    df_star: number;
    thresholds: [number, number, number];
    label: 'negligible' | 'small' | 'medium' | 'large';
  }[];
  fisher_exact_2x2: { table: Table; p_two_sided: number }[];
  mann_whitney_u: { a: number[]; b: number[]; u_a: number; p_two_sided: number; rank_biserial: number }[];
  kruskal_wallis: { groups: number[][]; h: number; dof: number; p: number; epsilon_squared: number }[];
  holm_adjust: { p: number[]; adjusted: number[] }[];
  /** `scipy.stats.wilcoxon(after, before)` with its defaults; `pairs` are (before, after, count). */
  wilcoxon_signed_rank: {
    name: string;
    pairs: [number, number, number][];
    n: number;
    zeros: number;
    n_used: number;
    increased: number;
    decreased: number;
    statistic: number;
    w_plus: number;
    w_minus: number;
    z: number | null;
    p: number;
    method: 'exact' | 'normal';
    exact_distribution: 'signed-rank' | 'permutation' | null;
    rank_biserial: number;
    median_difference: number;
  }[];
  /** Exact (binomtest) below 25 discordant pairs, else chi2.sf of the continuity-corrected statistic. */
  mcnemar: {
    yes_yes: number;
    yes_no: number;
    no_yes: number;
    no_no: number;
    method: 'exact' | 'chi-square';
    statistic: number | null;
    p: number;
    proportion_before: number;
    proportion_after: number;
    proportion_difference: number;
    odds_ratio: number | null;
  }[];
  /** NumPy from the published formula (SciPy has none). */
  stuart_maxwell: {
    name: string;
    table: Table;
    categories_tested: number;
    dropped: number[];
    statistic: number | null;
    dof: number | null;
    p: number | null;
    untestable: string | null;
  }[];
  bowker: { name: string; table: Table; pairs_tested: number; statistic: number | null; dof: number | null; p: number | null; untestable: string | null }[];
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
