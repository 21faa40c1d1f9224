/**
 * Averages and positions of numeric or scale answers, read from frequency tables.
 */
import binomialCdf from '@stdlib/stats-base-dists-binomial-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { normalizeFrequencies, valueAtPosition, type FrequencyTable, type ValueCount } from './frequency-table.ts';

/** Mean with sample standard deviation and 95 % t-interval, in the unit of the values, unrounded. */
export interface MeanSummary {
  /** Number of respondents. */
  n: number;
  /** Arithmetic mean; null when n = 0. */
  mean: number | null;
  /** Sample standard deviation (divisor n − 1); null when n < 2. */
  sd: number | null;
  /** Lower bound of the 95 % t-interval for the mean; null when n < 2. */
  lower: number | null;
  /** Upper bound of the 95 % t-interval for the mean; null when n < 2. */
  upper: number | null;
}

/**
 * Mean, sample standard deviation and 95 % confidence interval `mean ± t(0.975, n − 1) · sd / √n`,
 * as SciPy's `t.interval(0.95, n - 1, loc=mean, scale=sem)`.
 *
 * Edge cases: n = 0 gives mean null (and everything else null); n = 1 gives the mean but no sd and
 * no interval; all values equal give sd 0 and the zero-width interval [mean, mean]. Nothing is rounded.
 *
 * @example
 * meanTInterval([{ value: 5, count: 1 }, { value: 2, count: 1 }]); // { n: 2, mean: 3.5, sd: 2.1213…, lower: -15.559…, upper: 22.559… }
 */
export function meanTInterval(table: FrequencyTable): MeanSummary {
  const rows = normalizeFrequencies(table);
  const n = rows.reduce((sum, { count }) => sum + count, 0);
  if (n === 0) return { n, mean: null, sd: null, lower: null, upper: null };
  const mean = rows.reduce((sum, { value, count }) => sum + value * count, 0) / n;
  if (n < 2) return { n, mean, sd: null, lower: null, upper: null };
  // Two passes (mean first, then squared deviations) to avoid the cancellation of sum(x²) − n·mean².
  const sd = Math.sqrt(rows.reduce((sum, { value, count }) => sum + count * (value - mean) ** 2, 0) / (n - 1));
  const halfWidth = (tQuantile(0.975, n - 1) * sd) / Math.sqrt(n);
  return { n, mean, sd, lower: mean - halfWidth, upper: mean + halfWidth };
}

/** Quartiles in the unit of the values; all null when n = 0. */
export interface Quartiles {
  n: number;
  /** 25th percentile. */
  q1: number | null;
  /** 50th percentile (the median). */
  median: number | null;
  /** 75th percentile. */
  q3: number | null;
}

/**
 * Percentile `fraction` (0–1) by linear interpolation between order statistics: position
 * `h = (n − 1) · fraction`, result `x[⌊h⌋] + (h − ⌊h⌋) · (x[⌊h⌋ + 1] − x[⌊h⌋])`. This is Hyndman & Fan
 * type 7, the default of NumPy's `percentile`, R's `quantile` and Excel's `PERCENTILE.INC`.
 */
function percentile(sorted: readonly ValueCount[], n: number, fraction: number): number | null {
  if (n === 0) return null;
  const position = (n - 1) * fraction;
  const below = Math.floor(position);
  const low = valueAtPosition(sorted, below);
  const high = valueAtPosition(sorted, Math.min(below + 1, n - 1));
  if (low === undefined || high === undefined) return null;
  return low + (position - below) * (high - low);
}

/**
 * Median of the values: the middle value, or the mean of the two middle values when n is even
 * (as NumPy's `median`). n = 0 gives null. Not rounded; on a scale it may fall between two points
 * (e.g. 3.5).
 *
 * @example
 * median([{ value: 2, count: 1 }, { value: 5, count: 1 }]); // 3.5
 */
export function median(table: FrequencyTable): number | null {
  const sorted = normalizeFrequencies(table);
  return percentile(
    sorted,
    sorted.reduce((sum, { count }) => sum + count, 0),
    0.5,
  );
}

/**
 * First quartile, median and third quartile by linear interpolation between order statistics (Hyndman & Fan
 * type 7, NumPy's default). n = 0 gives nulls; n = 1 gives the single value three times.
 *
 * @example
 * quartiles([{ value: 1, count: 1 }, { value: 2, count: 1 }, { value: 3, count: 1 }, { value: 4, count: 1 }]);
 * // { n: 4, q1: 1.75, median: 2.5, q3: 3.25 }
 */
export function quartiles(table: FrequencyTable): Quartiles {
  const sorted = normalizeFrequencies(table);
  const n = sorted.reduce((sum, { count }) => sum + count, 0);
  return { n, q1: percentile(sorted, n, 0.25), median: percentile(sorted, n, 0.5), q3: percentile(sorted, n, 0.75) };
}

/** A distribution-free interval of the median; bounds in the unit of the values, unrounded. */
export interface MedianInterval {
  n: number;
  /** 1-based ranks of the order statistics that bound the interval, `k + 1` and `n − k`; null when n ≤ 5. */
  lowerRank: number | null;
  upperRank: number | null;
  /** The values at those ranks; null when n ≤ 5. */
  lower: number | null;
  upper: number | null;
  /** Exact coverage `1 − 2·P(B ≤ k)`, B ~ Binomial(n, ½): at least 0.95, often more; null when n ≤ 5. */
  coverage: number | null;
}

/** Largest k with P(B ≤ k) ≤ tail, B ~ Binomial(n, ½); −1 when even P(B = 0) = 2⁻ⁿ exceeds it. */
function largestTailRank(n: number, tail: number): number {
  if (binomialCdf(0, n, 0.5) > tail) return -1;
  // Start just below the normal approximation, then step: the CDF rises with k, so the steps end.
  let k = Math.max(0, Math.floor((n - 1.96 * Math.sqrt(n)) / 2) - 2);
  while (k > 0 && binomialCdf(k, n, 0.5) > tail) k--;
  while (binomialCdf(k + 1, n, 0.5) <= tail) k++;
  return k;
}

/**
 * Distribution-free 95 % interval of the median from order statistics (the sign-test interval;
 * Conover, Practical Nonparametric Statistics, §3.2): with the values sorted x₍₁₎ ≤ … ≤ x₍ₙ₎ and
 * B ~ Binomial(n, ½) the number of values below the population median, k is the largest integer with
 * P(B ≤ k) ≤ 0.025, and the interval is [x₍ₖ₊₁₎, x₍ₙ₋ₖ₎]. Its coverage is exactly 1 − 2·P(B ≤ k) for
 * continuous data, at least 95 % (e.g. 97.85 % for n = 10, [x₍₂₎, x₍₉₎]); with tied values (scale
 * points, rounded numbers) it is at least that. No assumption about the shape of the distribution.
 * The binomial CDF is stdlib's; SciPy's `binom.cdf` gives the reference values.
 *
 * Edge cases: n ≤ 5 gives no interval (all null besides n): even [x₍₁₎, x₍ₙ₎] covers the median with
 * probability 1 − 2⁻⁽ⁿ⁻¹⁾ < 95 %. For n from 6 to 8 the bounds are the smallest and largest values.
 * Bounds are values of the data, never interpolated or rounded.
 *
 * @example
 * medianInterval(toFrequencyTable([10, 20, 10, 35, 4, 120, 15, 8, 60, 12]));
 * // { n: 10, lowerRank: 2, upperRank: 9, lower: 8, upper: 60, coverage: 0.978515625 }
 */
export function medianInterval(table: FrequencyTable): MedianInterval {
  const sorted = normalizeFrequencies(table);
  const n = sorted.reduce((sum, { count }) => sum + count, 0);
  const k = n === 0 ? -1 : largestTailRank(n, 0.025);
  if (k < 0) return { n, lowerRank: null, upperRank: null, lower: null, upper: null, coverage: null };
  return {
    n,
    lowerRank: k + 1,
    upperRank: n - k,
    lower: valueAtPosition(sorted, k) ?? null,
    upper: valueAtPosition(sorted, n - k - 1) ?? null,
    coverage: 1 - 2 * binomialCdf(k, n, 0.5),
  };
}
