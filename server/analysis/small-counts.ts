/**
 * What observers (and the printable report, which uses their view) may see: the published export's
 * rule. Every count from 1 to 4 is hidden ("fewer than 5"; zeros are shown), and so is every further
 * count from which a hidden one could be worked out: each result is described as the counts a reader
 * sees (option counts, n, missing, hidden, the number of responses, and the bases that shares reveal
 * as count ÷ share) and the sums a reader knows between them, and complementary suppression
 * (analysis/disclosure/table-suppression.ts) hides cells until no hidden count follows by addition or
 * subtraction. A hidden count is null with `suppressed: true` (and `withheld: true` when it is not
 * itself from 1 to 4, so that it reads "withheld" rather than "fewer than 5"; a result's or a scale
 * row's own counts so hidden are named in its `withheld`); the shares and intervals resting on it,
 * or on a hidden base, become null; a mean or top-two share of a row with a hidden point becomes null
 * (it would give the point away). Free-text answers are withheld. Pure functions over finished results.
 *
 * Not covered: sums across results (a question's hidden count against another question's counts, a
 * comparison's groups against the overall figures); test statistics and p-values of comparisons.
 */
import type { ChoiceResult, Count, NumericResult, QuestionComparison, QuestionResult, RankingResult, ScaleResult, TextResult } from '../../analysis/results.ts';
import { DisclosureTable } from './observer-suppression.ts';

/** Smallest count shown to an observer. */
export const MIN_SHOWN_COUNT = 5;

/** 1 to 4: a count that is never shown. Zero is shown ("nobody" discloses no one). */
function isSmall(count: number | null): boolean {
  return count !== null && count > 0 && count < MIN_SHOWN_COUNT;
}

/** The count, or null when it is from 1 to {@link MIN_SHOWN_COUNT} − 1 (primary suppression only). */
export function shownCount(count: number | null): number | null {
  return isSmall(count) ? null : count;
}

const HIDDEN_COUNT = { count: null, share: null, ci95: null, suppressed: true } as const;

/** A count with its share and interval, nulled (and marked) when the count is from 1 to 4 (primary suppression only). */
export function suppressCount<T extends Count>(count: T): T {
  return isSmall(count.count) ? { ...count, ...HIDDEN_COUNT } : count;
}

/**
 * `count` as shown: nulled and marked when its cell is hidden ("withheld" as well when it is not
 * itself from 1 to 4), share and interval nulled when its base is.
 */
function shownAs<T extends Count>(count: T, hidden: boolean, baseHidden: boolean): T {
  if (hidden) return isSmall(count.count) ? { ...count, ...HIDDEN_COUNT } : { ...count, ...HIDDEN_COUNT, withheld: true };
  return baseHidden ? { ...count, share: null, ci95: null } : count;
}

/** Sum of the counts; null if any is null. */
function sumOf(counts: readonly (number | null)[]): number | null {
  return counts.every((c) => c !== null) ? (counts as number[]).reduce((sum, c) => sum + c, 0) : null;
}

/** The base of shares (count ÷ share), from the first count > 0 with a share; 0 when every count is 0. */
function shareBase(counts: readonly Count[]): number | null {
  const known = counts.find((c) => c.count !== null && c.count > 0 && c.share !== null && c.share > 0);
  if (known) return Math.round(known.count! / known.share!);
  return counts.every((c) => c.count === 0) ? 0 : null;
}

/**
 * n, missing, hidden and `covered` (= n + missing + hidden: the responses, published on their own),
 * with covered = n + missing + hidden.
 */
function questionCells(table: DisclosureTable, result: QuestionResult): void {
  table
    .cell('n', result.n)
    .cell('missing', result.missing)
    .cell('hidden', result.hidden)
    .cell('covered', sumOf([result.n, result.missing, result.hidden]), { publishedElsewhere: true })
    .relation('covered', ['n', 'missing', 'hidden']);
}

/** The fields hidden only to protect another count (not themselves from 1 to 4). */
function withheldOf<K extends string>(values: Record<K, number | null>, hidden: ReadonlySet<string>, ids: Record<K, string>): K[] {
  return (Object.keys(values) as K[]).filter((k) => hidden.has(ids[k]) && !isSmall(values[k]));
}

function questionFields(result: QuestionResult, hidden: ReadonlySet<string>, extra: { substantive?: number | null } = {}) {
  const values: Partial<Record<'n' | 'missing' | 'hidden' | 'substantive', number | null>> = { n: result.n, missing: result.missing, hidden: result.hidden };
  if ('substantive' in extra) values.substantive = extra.substantive ?? null;
  const withheld = (Object.keys(values) as (keyof typeof values)[]).filter((k) => hidden.has(k) && !isSmall(values[k] ?? null));
  return {
    n: hidden.has('n') ? null : result.n,
    missing: hidden.has('missing') ? null : result.missing,
    hidden: hidden.has('hidden') ? null : result.hidden,
    ...(withheld.length ? { withheld } : {}),
  };
}

/** Option shares are of the substantive answers (n minus "don't know" only); "don't know"'s are of n. */
function suppressChoice(result: ChoiceResult): ChoiceResult {
  const table = new DisclosureTable();
  questionCells(table, result);
  const options = result.options.map((_, i) => `option#${i}`);
  const nonSubstantive = result.nonSubstantive.map((_, i) => `ns#${i}`);
  result.options.forEach((o, i) => table.cell(options[i]!, o.count));
  result.nonSubstantive.forEach((o, i) => table.cell(nonSubstantive[i]!, o.count));
  // The base is stated beside the table ("shares of the 96 who gave a view"); older results only reveal it as count ÷ share.
  table.cell('substantive', result.substantive ?? shareBase(result.options));
  // One answer per respondent: the options add up to the substantive answers. A multiple choice's don't add up.
  if (!result.multiple) table.relation('substantive', options);
  // Holds when "don't know" cannot be chosen with an option (always for single choice).
  table.relation('n', ['substantive', ...nonSubstantive]);
  const hidden = table.hiddenCells(MIN_SHOWN_COUNT);
  return {
    ...result,
    ...questionFields(result, hidden, { substantive: result.substantive }),
    substantive: hidden.has('substantive') ? null : result.substantive,
    options: result.options.map((o, i) => shownAs(o, hidden.has(options[i]!), hidden.has('substantive'))),
    nonSubstantive: result.nonSubstantive.map((o, i) => shownAs(o, hidden.has(nonSubstantive[i]!), hidden.has('n'))),
  };
}

/**
 * Per row: the points add up to the row's n; the row's n and its non-substantive answers to the base
 * of the latter's shares. A single scale's row base is the question's n.
 */
function suppressScale(result: ScaleResult): ScaleResult {
  const table = new DisclosureTable();
  questionCells(table, result);
  const ids = result.rows.map((row, j) => {
    const points = row.distribution.map((_, i) => `row#${j}:point#${i}`);
    const nonSubstantive = row.nonSubstantive.map((_, i) => `row#${j}:ns#${i}`);
    const n = `row#${j}:n`;
    const base = nonSubstantive.length ? `row#${j}:base` : n;
    row.distribution.forEach((d, i) => table.cell(points[i]!, d.count));
    row.nonSubstantive.forEach((d, i) => table.cell(nonSubstantive[i]!, d.count));
    table.cell(n, row.n).relation(n, points);
    if (base !== n) table.cell(base, sumOf([row.n, ...row.nonSubstantive.map((d) => d.count)])).relation(base, [n, ...nonSubstantive]);
    return { points, nonSubstantive, n, base };
  });
  if (result.rows.length === 1 && result.rows[0]!.code === '') table.relation('n', [ids[0]!.base]);
  const hidden = table.hiddenCells(MIN_SHOWN_COUNT);
  return {
    ...result,
    ...questionFields(result, hidden),
    rows: result.rows.map((row, j) => {
      const { points, nonSubstantive, n, base } = ids[j]!;
      // The mean (with n) is Σ value × count, and the top box a sum of counts: with a hidden point, either can give it away.
      const pointHidden = points.some((id) => hidden.has(id)) || hidden.has(n);
      const withheld = withheldOf({ n: row.n, answered: row.answered }, hidden, { n, answered: base });
      return {
        ...row,
        n: hidden.has(n) ? null : row.n,
        answered: hidden.has(base) ? null : row.answered,
        ...(withheld.length ? { withheld } : {}),
        distribution: row.distribution.map((d, i) => shownAs(d, hidden.has(points[i]!), hidden.has(n))),
        nonSubstantive: row.nonSubstantive.map((d, i) => shownAs(d, hidden.has(nonSubstantive[i]!), hidden.has(base))),
        mean: pointHidden ? null : row.mean,
        ci95: pointHidden ? null : row.ci95,
        topBox: pointHidden ? null : row.topBox,
        median: isSmall(row.n) ? null : row.median,
      };
    }),
  };
}

/** The bins add up to n. min and max are single respondents' answers, never shown. */
function suppressNumeric(result: NumericResult): NumericResult {
  const table = new DisclosureTable();
  questionCells(table, result);
  const bins = result.histogram.map((_, i) => `bin#${i}`);
  result.histogram.forEach((b, i) => table.cell(bins[i]!, b.count));
  table.relation('n', bins);
  const hidden = table.hiddenCells(MIN_SHOWN_COUNT);
  // Fewer than 5 answers: a mean, median or quartile is close to one respondent's answer.
  const tooFew = isSmall(result.n);
  return {
    ...result,
    ...questionFields(result, hidden),
    mean: tooFew ? null : result.mean,
    sd: tooFew ? null : result.sd,
    meanCi95: tooFew ? null : result.meanCi95,
    median: tooFew ? null : result.median,
    // From 6 to 8 answers the interval's bounds are the smallest and largest answers, hidden as min and max are.
    medianCi: tooFew || result.medianCi?.lowerRank === 1 ? null : result.medianCi,
    quartiles: tooFew ? null : result.quartiles,
    min: null,
    max: null,
    histogram: result.histogram.map((b, i) => (hidden.has(bins[i]!) ? { ...b, count: null, suppressed: true, ...(isSmall(b.count) ? {} : { withheld: true }) } : b)),
  };
}

/** First places (firstShare × n) add up to n. How many ranked an option is in no sum: only 1 to 4 is hidden. */
function suppressRanking(result: RankingResult): RankingResult {
  const table = new DisclosureTable();
  questionCells(table, result);
  const firsts = result.options.map((_, i) => `first#${i}`);
  result.options.forEach((o, i) => table.cell(firsts[i]!, o.firstShare === null || result.n === null ? null : Math.round(o.firstShare * result.n)));
  table.relation('n', firsts);
  const hidden = table.hiddenCells(MIN_SHOWN_COUNT);
  return {
    ...result,
    ...questionFields(result, hidden),
    options: result.options.map((o, i) => {
      const firstHidden = hidden.has(firsts[i]!);
      const fewRanked = isSmall(o.rankedBy);
      const shown = { ...o, firstShare: firstHidden || hidden.has('n') ? null : o.firstShare };
      if (!firstHidden && !fewRanked) return shown;
      return { ...shown, rankedBy: fewRanked ? null : o.rankedBy, meanRank: fewRanked ? null : o.meanRank, suppressed: true };
    }),
  };
}

function suppressText(result: TextResult): TextResult {
  const table = new DisclosureTable();
  questionCells(table, result);
  return { ...result, ...questionFields(result, table.hiddenCells(MIN_SHOWN_COUNT)), answers: [] };
}

/**
 * The result as an observer sees it (see the module comment for the rule).
 *
 * @example
 * // A single choice of 3, 9 and 20 with n = 32: the 3 is hidden, and the 9 with it (3 = 32 − 9 − 20).
 * suppressForObserver(result).options.map((o) => o.count); // [null, null, 20]
 */
export function suppressForObserver(result: QuestionResult): QuestionResult {
  switch (result.kind) {
    case 'choice':
      return suppressChoice(result);
    case 'scale':
      return suppressScale(result);
    case 'numeric':
      return suppressNumeric(result);
    case 'ranking':
      return suppressRanking(result);
    case 'text':
      return suppressText(result);
  }
}

/**
 * A comparison as an observer sees it: each group's distribution adds up to its n (the groups are
 * shown without an overall, so group sizes are in no sum). Hidden counts as in
 * {@link suppressForObserver}; a group's mean is nulled when one of its counts is hidden or it has
 * 1 to 4 members.
 */
export function suppressComparisonForObserver(comparison: QuestionComparison): QuestionComparison {
  const table = new DisclosureTable();
  const ids = comparison.groups.map((g, k) => {
    const n = `group#${k}:n`;
    const distribution = g.distribution.map((_, i) => `group#${k}:count#${i}`);
    table.cell(n, g.n);
    g.distribution.forEach((d, i) => table.cell(distribution[i]!, d.count));
    if (distribution.length) table.relation(n, distribution);
    return { n, distribution };
  });
  const hidden = table.hiddenCells(MIN_SHOWN_COUNT);
  // A statistic, effect size or p-value computed from the groups tested narrows their hidden counts
  // to a few tables (sometimes one): with any of their counts hidden, the test is not shown either.
  // A group left out of the test (fewer than 5 respondents) is in no statistic.
  const anyHidden = comparison.groups.some(
    (g, k) => g.tested !== false && (isSmall(g.n) || hidden.has(ids[k]!.n) || ids[k]!.distribution.some((id) => hidden.has(id))),
  );
  const test =
    anyHidden && comparison.test
      ? { ...comparison.test, statistic: null, p: null, pAdjusted: null, effect: { ...comparison.test.effect, value: null, label: null } }
      : comparison.test;
  return {
    ...comparison,
    test,
    // The sentence names each group left out with its size ("Oceania (4) not tested"): not that size.
    summary:
      anyHidden && comparison.test
        ? 'The test is not shown: with counts below 5 hidden, its result would reveal them.'
        : comparison.groups.reduce((text, g) => (g.tested === false && isSmall(g.n) ? text.replace(`${g.label} (${g.n})`, `${g.label} (fewer than 5)`) : text), comparison.summary),
    groups: comparison.groups.map((g, k) => {
      const { n, distribution } = ids[k]!;
      const countHidden = hidden.has(n) || distribution.some((id) => hidden.has(id)) || isSmall(g.n);
      return {
        ...g,
        n: hidden.has(n) ? null : g.n,
        ...(g.mean !== undefined ? { mean: countHidden ? null : g.mean } : {}),
        distribution: g.distribution.map((d, i) => shownAs(d, hidden.has(distribution[i]!), hidden.has(n))),
      };
    }),
  };
}
