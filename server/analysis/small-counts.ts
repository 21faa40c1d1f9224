/**
 * What observers may see: every count below 5 ("fewer than 5") is replaced by null with
 * `suppressed: true`, with the shares, intervals and averages that rest on it, and free-text
 * answers are withheld. Pure functions over finished results.
 *
 * This is primary suppression only: where a total is shown and one cell of a single-choice
 * question is hidden, that cell can be worked out by subtraction.
 */
import type { Count, QuestionComparison, QuestionResult, ScaleSummary } from '../../analysis/results.ts';

/** Smallest count shown to an observer. */
export const MIN_SHOWN_COUNT = 5;

function isSmall(count: number | null): boolean {
  return count !== null && count < MIN_SHOWN_COUNT;
}

/** The count, or null when it is below {@link MIN_SHOWN_COUNT}. */
export function shownCount(count: number | null): number | null {
  return isSmall(count) ? null : count;
}

/** A count with its share and interval, nulled (and marked) when the count is small. */
export function suppressCount<T extends Count>(count: T): T {
  return isSmall(count.count) ? { ...count, count: null, share: null, ci95: null, suppressed: true } : count;
}

function suppressScaleRow<T extends ScaleSummary>(row: T): T {
  const tooFew = isSmall(row.n);
  const topTwoCount = row.topTwo === null || row.n === null ? null : Math.round(row.topTwo * row.n);
  return {
    ...row,
    n: shownCount(row.n),
    distribution: row.distribution.map(suppressCount),
    nonSubstantive: row.nonSubstantive.map(suppressCount),
    mean: tooFew ? null : row.mean,
    median: tooFew ? null : row.median,
    ci95: tooFew ? null : row.ci95,
    topTwo: tooFew || isSmall(topTwoCount) ? null : row.topTwo,
  };
}

/**
 * The result as an observer sees it. n, missing and hidden below 5 become null; averages resting
 * on fewer than 5 respondents become null; text answers are removed.
 */
export function suppressForObserver(result: QuestionResult): QuestionResult {
  const tooFew = isSmall(result.n);
  const base = { n: shownCount(result.n), missing: shownCount(result.missing), hidden: shownCount(result.hidden) };
  switch (result.kind) {
    case 'choice':
      return { ...result, ...base, options: result.options.map(suppressCount), nonSubstantive: result.nonSubstantive.map(suppressCount) };
    case 'scale':
      return { ...result, ...base, rows: result.rows.map(suppressScaleRow) };
    case 'numeric':
      return {
        ...result,
        ...base,
        mean: tooFew ? null : result.mean,
        median: tooFew ? null : result.median,
        quartiles: tooFew ? null : result.quartiles,
        min: tooFew ? null : result.min,
        max: tooFew ? null : result.max,
        histogram: result.histogram.map((bin) => (isSmall(bin.count) ? { ...bin, count: null, suppressed: true } : bin)),
      };
    case 'ranking':
      return {
        ...result,
        ...base,
        options: result.options.map((o) => {
          const firstCount = o.firstShare === null || result.n === null ? null : Math.round(o.firstShare * result.n);
          const fewRanked = isSmall(o.rankedBy);
          const fewFirst = isSmall(firstCount);
          if (!fewRanked && !fewFirst) return o;
          return { ...o, rankedBy: shownCount(o.rankedBy), meanRank: fewRanked ? null : o.meanRank, firstShare: fewFirst ? null : o.firstShare, suppressed: true };
        }),
      };
    case 'text':
      return { ...result, ...base, answers: [] };
  }
}

/** A comparison as an observer sees it: small groups' sizes, means and counts nulled. */
export function suppressComparisonForObserver(comparison: QuestionComparison): QuestionComparison {
  return {
    ...comparison,
    groups: comparison.groups.map((g) => ({
      ...g,
      n: shownCount(g.n),
      ...(g.mean !== undefined ? { mean: isSmall(g.n) ? null : g.mean } : {}),
      distribution: g.distribution.map(suppressCount),
    })),
  };
}
