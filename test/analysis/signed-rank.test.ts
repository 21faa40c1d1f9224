/**
 * The exact Wilcoxon p-value against a direct count of every sign pattern, the definition SciPy's
 * exact and permutation routes apply, on many random paired tables (the SciPy cases are in
 * paired-tests.test.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wilcoxonSignedRank, type PairedCount } from '../../analysis/signed-rank.ts';

/** Two-sided p by flipping the signs of the non-zero differences in all 2^m ways, midranks by sorting. */
function bruteForceP(pairs: readonly PairedCount[]): number | null {
  const differences = pairs.flatMap(({ before, after, count }) => Array.from({ length: count }, () => after - before)).filter((d) => d !== 0);
  const magnitudes = differences.map(Math.abs).sort((a, b) => a - b);
  const midrank = (value: number) => (magnitudes.indexOf(value) + 1 + magnitudes.lastIndexOf(value) + 1) / 2;
  const ranks = differences.map((d) => midrank(Math.abs(d)));
  if (ranks.length === 0) return null;
  const observed = differences.reduce((sum, d, i) => sum + (d > 0 ? ranks[i]! : 0), 0);
  let atMost = 0;
  let atLeast = 0;
  for (let mask = 0; mask < 2 ** ranks.length; mask++) {
    const wPlus = ranks.reduce((sum, rank, i) => sum + (mask & (1 << i) ? rank : 0), 0);
    if (wPlus <= observed) atMost += 1;
    if (wPlus >= observed) atLeast += 1;
  }
  return Math.min(1, (2 * Math.min(atMost, atLeast)) / 2 ** ranks.length);
}

describe('wilcoxonSignedRank, exact p', () => {
  it('equals a count of all sign patterns for every table of at most 13 pairs', () => {
    const pair = fc.record({ before: fc.integer({ min: 1, max: 5 }), after: fc.integer({ min: 1, max: 5 }), count: fc.integer({ min: 1, max: 4 }) });
    fc.assert(
      fc.property(fc.array(pair, { maxLength: 6 }), (pairs) => {
        fc.pre(pairs.reduce((sum, { count }) => sum + count, 0) <= 13);
        const result = wilcoxonSignedRank(pairs);
        expect(result.method).toBe('exact');
        expect(result.p).toBe(bruteForceP(pairs));
      }),
      { numRuns: 300 },
    );
  });

  it('equals a count of all sign patterns without ties up to 16 pairs (the signed-rank distribution)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 16 }),
        fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }),
        (sizes, signs) => {
          const pairs = sizes.map((size, i) => ({ before: 50, after: 50 + (signs[i] ? size : -size), count: 1 }));
          const result = wilcoxonSignedRank(pairs);
          expect(result.exactDistribution).toBe('signed-rank');
          expect(result.p).toBe(bruteForceP(pairs));
        },
      ),
      { numRuns: 100 },
    );
  });
});
