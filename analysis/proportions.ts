/**
 * Shares of respondents, e.g. "38 % chose option B", with a Wilson score interval.
 */
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';

/** A share with its 95 % Wilson score interval; all values are fractions in [0, 1], unrounded. */
export interface Proportion {
  /** Respondents with the property (e.g. who chose the option). */
  k: number;
  /** Respondents asked. */
  n: number;
  /** k / n; null when n = 0. */
  p: number | null;
  /** Lower bound of the 95 % interval; null when n = 0. */
  lower: number | null;
  /** Upper bound of the 95 % interval; null when n = 0. */
  upper: number | null;
}

/**
 * Proportion `k / n` with the 95 % Wilson score interval (no continuity correction), as SciPy's
 * `binomtest(k, n).proportion_ci(method='wilson')`.
 *
 * Edge cases: n = 0 gives p, lower and upper null. k = 0 gives lower exactly 0 and k = n gives
 * upper exactly 1 (the formula reaches them only up to rounding). Bounds are not rounded; round for
 * display only. Inputs outside 0 ≤ k ≤ n, or not finite, give nulls as well rather than throwing.
 *
 * @example
 * wilsonInterval(3, 10); // { k: 3, n: 10, p: 0.3, lower: 0.1078…, upper: 0.6032… }
 */
export function wilsonInterval(k: number, n: number): Proportion {
  if (!(Number.isFinite(k) && Number.isFinite(n)) || n <= 0 || k < 0 || k > n) return { k, n, p: null, lower: null, upper: null };
  const z = normalQuantile(0.975, 0, 1);
  const p = k / n;
  const z2n = (z * z) / n;
  const centre = (p + z2n / 2) / (1 + z2n);
  const halfWidth = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return {
    k,
    n,
    p,
    lower: k === 0 ? 0 : Math.max(0, centre - halfWidth),
    upper: k === n ? 1 : Math.min(1, centre + halfWidth),
  };
}
