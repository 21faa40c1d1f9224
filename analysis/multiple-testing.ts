/**
 * Corrections for reading many p-values at once (e.g. one test per question or per segment).
 */
import padjust from '@stdlib/stats-padjust';

/**
 * Holm's step-down adjustment (controls the family-wise error rate), as R's
 * `p.adjust(p, 'holm')` and statsmodels' `multipletests(p, method='holm')`: sort ascending,
 * multiply the i-th smallest (0-based) by `m − i`, make the sequence non-decreasing, cap at 1.
 * Computed by stdlib's `padjust`. Results are in the input order, unrounded.
 *
 * Edge cases: an empty list gives an empty list. A null p-value (an untestable comparison) stays
 * null and is not counted in m, so adding an untestable question does not weaken the others. A value
 * outside [0, 1] or not finite is treated as null too, rather than throwing.
 *
 * @example
 * holmAdjust([0.01, 0.04, 0.03, 0.2]); // [0.04, 0.09, 0.09, 0.2]
 */
export function holmAdjust(pValues: readonly (number | null)[]): (number | null)[] {
  const testable = pValues.flatMap((p, i) => (p !== null && Number.isFinite(p) && p >= 0 && p <= 1 ? [{ p, i }] : []));
  const adjusted: (number | null)[] = pValues.map(() => null);
  if (testable.length === 0) return adjusted;
  const values = padjust(
    testable.map(({ p }) => p),
    'holm',
  );
  testable.forEach(({ i }, k) => {
    adjusted[i] = values[k] ?? null;
  });
  return adjusted;
}
