/**
 * What an observer sees, on hand-built results: counts from 1 to 4 are hidden, and so is whatever
 * would give them away. Every case is also attacked: from the figures the observer is shown (plus the
 * number of responses, published on its own) an intruder rebuilds the sums any reader knows, written
 * here from the meaning of the figures and not from the production code, and for each hidden count
 * finds its smallest and largest possible value by linear programming (yalps). A hidden count whose
 * smallest and largest values coincide has been given away.
 */
import { describe, expect, it } from 'vitest';
import { equalTo, solve, type Constraint } from 'yalps';
import { FEWER_THAN_5, hiddenLabel, WITHHELD, type ChoiceResult, type NumericResult, type OptionCount, type QuestionComparison, type QuestionResult, type RankingResult, type ScaleResult, type TextResult } from '../../../analysis/results.ts';
import { optionCount } from '../../../server/analysis/question-results.ts';
import { MIN_SHOWN_COUNT, shownCount, suppressComparisonForObserver, suppressCount, suppressForObserver } from '../../../server/analysis/small-counts.ts';

// ---- hand-built results, with shares and intervals as question-results.ts computes them ----

const options = (counts: readonly number[], base: number, prefix = 'o'): OptionCount[] => counts.map((c, i) => optionCount(`${prefix}${i}`, `Option ${i}`, c, base));
const sum = (counts: readonly number[]) => counts.reduce((s, c) => s + c, 0);
const common = (n: number, missing: number, hidden: number) => ({ questionId: 'q', text: 'Question', n, missing, hidden });

function choice(counts: number[], dontKnow: number | null, missing: number, hidden: number, multiple = false, substantive = sum(counts)): ChoiceResult {
  const n = substantive + (dontKnow ?? 0);
  return { kind: 'choice', ...common(n, missing, hidden), multiple, substantive, options: options(counts, substantive), nonSubstantive: dontKnow === null ? [] : options([dontKnow], n, 'dk') };
}

/** A single scale with points valued 1, 2, 3, …, one "don't know", mean and top two of the points. */
function scale(points: number[], dontKnow: number, missing: number, hidden: number): ScaleResult {
  const n = sum(points);
  const mean = sum(points.map((c, i) => c * (i + 1))) / n;
  const row = { code: '', label: 'Question', n, answered: n + dontKnow, distribution: options(points, n, 'p'), nonSubstantive: options([dontKnow], n + dontKnow, 'dk') };
  return { kind: 'scale', ...common(n + dontKnow, missing, hidden), scale: 'agree5', topBoxLabels: ['Strongly agree', 'Agree'], rows: [{ ...row, mean, median: 4, ci95: [mean - 0.5, mean + 0.5], topBox: (points.at(-1)! + points.at(-2)!) / n }] };
}

function numeric(bins: number[], missing: number, hidden: number): NumericResult {
  const histogram = bins.map((count, i) => ({ from: 10 * i, to: 10 * (i + 1), count }));
  const medianCi = { lower: 8, upper: 15, lowerRank: 6, upperRank: 15, coverage: 0.9586 };
  return { kind: 'numeric', ...common(sum(bins), missing, hidden), mean: 12.5, sd: 7, meanCi95: [9.2, 15.8], median: 11, medianCi, quartiles: [4, 11, 19], min: 1, max: 29, histogram };
}

function ranking(firsts: number[], rankedBy: number[], missing: number, hidden: number): RankingResult {
  const n = sum(firsts);
  return { kind: 'ranking', ...common(n, missing, hidden), options: firsts.map((f, i) => ({ code: `r${i}`, label: `Option ${i}`, rankedBy: rankedBy[i]!, meanRank: 1.5, firstShare: f / n })) };
}

const text = (n: number, missing: number, hidden: number): TextResult => ({ kind: 'text', ...common(n, missing, hidden), answers: [{ responseId: 1, text: 'Secret', tags: [] }] });

/** Groups compared on a 1–3 scale: counts per point, mean of the points. */
function comparison(groups: number[][]): QuestionComparison {
  return {
    questionId: 'q',
    text: 'Question',
    groups: groups.map((counts, k) => ({ key: `g${k}`, label: `Group ${k}`, n: sum(counts), mean: sum(counts.map((c, i) => c * (i + 1))) / sum(counts), distribution: options(counts, sum(counts), 'p') })),
    test: null,
    warnings: [],
    summary: '',
  };
}

// ---- the intruder: figures shown, sums known, range of every hidden count ----

/** Cells (null when not shown) and equations `Σ coefficient × cell = 0` that any reader can write down. */
interface ReaderView {
  values: Record<string, number | null>;
  equations: Record<string, number>[];
}

/** `total = sum of parts` as an equation. */
const adds = (total: string, parts: readonly string[]): Record<string, number> => Object.fromEntries([[total, 1], ...parts.map((p) => [p, -1])]);
/** The base of a share (count ÷ share), if some shown count > 0 has its share shown. */
const baseOf = (counts: readonly OptionCount[]) => {
  const known = counts.find((c) => c.count !== null && c.count > 0 && c.share !== null);
  return known ? known.count! / known.share! : null;
};
const ids = (prefix: string, length: number) => Array.from({ length }, (_, i) => `${prefix}${i}`);

/** n, missing, hidden and the responses (published on their own), which add up. */
function questionView(r: QuestionResult, responses: number): ReaderView {
  return { values: { n: r.n, missing: r.missing, hidden: r.hidden, responses }, equations: [adds('responses', ['n', 'missing', 'hidden'])] };
}

/** What a reader can write down about a result, from the figures alone. */
function readerView(r: QuestionResult, responses: number): ReaderView {
  const view = questionView(r, responses);
  const put = (prefix: string, counts: readonly (number | null)[]) => counts.forEach((c, i) => (view.values[`${prefix}${i}`] = c));
  switch (r.kind) {
    case 'choice': {
      put('o', r.options.map((o) => o.count));
      put('dk', r.nonSubstantive.map((o) => o.count));
      // Stated beside the table ("shares of the 96 who gave a view"), else worked out from a share.
      view.values.substantive = r.substantive ?? baseOf(r.options);
      // "Don't know" is exclusive, so n = substantive + don't know; one answer each: the options add up.
      view.equations.push(adds('n', ['substantive', ...ids('dk', r.nonSubstantive.length)]));
      if (!r.multiple) view.equations.push(adds('substantive', ids('o', r.options.length)));
      return view;
    }
    case 'scale': {
      const row = r.rows[0]!;
      put('p', row.distribution.map((d) => d.count));
      put('dk', row.nonSubstantive.map((d) => d.count));
      Object.assign(view.values, { rowN: row.n, base: row.answered ?? baseOf(row.nonSubstantive) });
      view.equations.push(adds('rowN', ids('p', row.distribution.length)), adds('base', ['rowN', ...ids('dk', row.nonSubstantive.length)]), adds('n', ['base']));
      // mean × n = Σ value × count; top box × n = the top two counts.
      if (row.mean !== null && row.n !== null) view.equations.push({ ...Object.fromEntries(row.distribution.map((_, i) => [`p${i}`, i + 1])), mean: -row.mean }), (view.values.mean = row.n);
      if (row.topBox !== null && row.n !== null) view.equations.push({ p3: 1, p4: 1, topBox: -row.topBox }), (view.values.topBox = row.n);
      return view;
    }
    case 'numeric':
      put('b', r.histogram.map((b) => b.count));
      view.equations.push(adds('n', ids('b', r.histogram.length)));
      return view;
    case 'ranking':
      put('f', r.options.map((o) => (o.firstShare === null || r.n === null ? null : Math.round(o.firstShare * r.n))));
      view.equations.push(adds('n', ids('f', r.options.length)));
      return view;
    case 'text':
      return view;
  }
}

function comparisonView(c: QuestionComparison): ReaderView {
  const view: ReaderView = { values: {}, equations: [] };
  c.groups.forEach((g, k) => {
    view.values[`g${k}n`] = g.n;
    g.distribution.forEach((d, i) => (view.values[`g${k}p${i}`] = d.count));
    view.equations.push(adds(`g${k}n`, ids(`g${k}p`, g.distribution.length)));
    if (g.mean !== null && g.mean !== undefined && g.n !== null) {
      view.equations.push({ ...Object.fromEntries(g.distribution.map((_, i) => [`g${k}p${i}`, i + 1])), [`g${k}mean`]: -g.mean });
      view.values[`g${k}mean`] = g.n;
    }
  });
  return view;
}

/** Smallest and largest value of each unknown cell over non-negative reals satisfying every equation. */
function ranges(view: ReaderView): Map<string, { min: number; max: number }> {
  const unknown = Object.keys(view.values).filter((id) => view.values[id] === null);
  const constraints = new Map<string, Constraint>();
  const variables = new Map(unknown.map((id) => [id, new Map<string, number>()]));
  view.equations.forEach((equation, index) => {
    let constant = 0;
    for (const [id, coefficient] of Object.entries(equation)) {
      const value = view.values[id];
      if (value === undefined) throw new Error(`equation ${index} names no cell "${id}"`);
      if (value === null) variables.get(id)!.set(`e${index}`, coefficient);
      else constant -= coefficient * value;
    }
    constraints.set(`e${index}`, equalTo(constant));
  });
  return new Map(
    unknown.map((target) => {
      const model = (direction: 'minimize' | 'maximize') => ({
        direction,
        objective: 'objective',
        constraints,
        variables: new Map([...variables].map(([id, row]) => [id, id === target ? new Map([...row, ['objective', 1]]) : row])),
      });
      const low = solve(model('minimize'));
      const high = solve(model('maximize'));
      expect(low.status, `${target}: the shown figures contradict each other`).toBe('optimal');
      return [target, { min: low.result, max: high.status === 'unbounded' ? Infinity : high.result }];
    }),
  );
}

/** The hidden counts a reader can work out exactly, as "cell = value". */
function givenAway(shown: ReaderView, original: ReaderView): string[] {
  return [...ranges(shown)].flatMap(([id, { min, max }]) => {
    const truth = original.values[id];
    // Unknown to the analyst too (e.g. a base with no count to show it): nothing to give away.
    if (truth === null || truth === undefined) return [];
    expect(truth, `${id} lies outside its range`).toBeGreaterThanOrEqual(min - 1e-6);
    expect(truth, `${id} lies outside its range`).toBeLessThanOrEqual(max + 1e-6);
    return max - min < 1e-6 ? [`${id} = ${truth}`] : [];
  });
}

const counts = (list: readonly { count: number | null }[]) => list.map((c) => c.count);

// ---- the cases ----

interface Case {
  name: string;
  original: QuestionResult;
  /** Responses covered (n + missing + hidden), published above the results. */
  responses: number;
  check: (shown: QuestionResult) => void;
}

const cases: Case[] = [
  {
    name: 'single choice, one small cell and the total shown: a second cell is hidden',
    original: choice([3, 9, 20], 6, 7, 0),
    responses: 45,
    check: (shown) => {
      const r = shown as ChoiceResult;
      expect(counts(r.options)).toEqual([null, null, 20]);
      expect(r.options.map((o) => o.suppressed ?? false)).toEqual([true, true, false]);
      expect(r.options[2]!.share).toBe(20 / 32);
      expect(r).toMatchObject({ n: 38, missing: 7, hidden: 0 });
      expect(counts(r.nonSubstantive)).toEqual([6]);
    },
  },
  {
    name: 'the stated base of the shares (those who gave a view) would give a small "don’t know" away as n − base: it goes with it',
    original: choice([10, 20, 8], 3, 4, 0),
    responses: 45,
    check: (shown) => {
      const r = shown as ChoiceResult;
      expect(counts(r.nonSubstantive)).toEqual([null]);
      expect(r.n === null || r.substantive === null).toBe(true);
    },
  },
  {
    name: 'everyone who chose an option chose the same one, with a few "don’t know": that option and the base go',
    original: choice([12, 0, 0], 2, 0, 0),
    responses: 14,
    check: (shown) => {
      const r = shown as ChoiceResult;
      // 12 shown with share 1 would give the base 12, and "don't know" as 14 − 12.
      expect(counts(r.options)).toEqual([null, 0, 0]);
      expect(r.options.every((o) => o.share === null && o.ci95 === null)).toBe(true);
      expect(counts(r.nonSubstantive)).toEqual([null]);
      expect(r.n).toBe(14);
    },
  },
  {
    name: 'multiple choice: a small "don’t know" is n minus the base of the shares, so the shares go',
    original: choice([9, 15, 20], 3, 5, 5, true, 30),
    responses: 43,
    check: (shown) => {
      const r = shown as ChoiceResult;
      expect(counts(r.options)).toEqual([9, 15, 20]);
      expect(r.options.every((o) => o.share === null && o.ci95 === null && !o.suppressed)).toBe(true);
      expect(counts(r.nonSubstantive)).toEqual([null]);
      expect(r.n).toBe(33);
    },
  },
  {
    name: 'missing is small with n and the responses shown: the skipped count goes too',
    original: text(50, 3, 10),
    responses: 63,
    check: (shown) => {
      expect(shown).toMatchObject({ n: 50, missing: null, hidden: null });
      expect((shown as TextResult).answers).toEqual([]);
    },
  },
  {
    name: 'scale row with a hidden point: the mean, its interval and the top two go, the median stays',
    original: scale([2, 8, 0, 7, 6], 7, 5, 0),
    responses: 35,
    check: (shown) => {
      const row = (shown as ScaleResult).rows[0]!;
      expect(counts(row.distribution)).toEqual([null, 8, 0, 7, null]);
      expect(row).toMatchObject({ n: 23, mean: null, ci95: null, topBox: null, median: 4 });
      expect(counts(row.nonSubstantive)).toEqual([7]);
    },
  },
  {
    name: 'numeric: min and max are never shown; a small bin takes another with it, mean and median stay',
    original: numeric([3, 12, 5], 5, 0),
    responses: 25,
    check: (shown) => {
      const r = shown as NumericResult;
      expect(counts(r.histogram)).toEqual([null, 12, null]);
      expect(r).toMatchObject({ n: 20, min: null, max: null, mean: 12.5, sd: 7, meanCi95: [9.2, 15.8], median: 11, quartiles: [4, 11, 19] });
      expect(r.medianCi).toMatchObject({ lowerRank: 6, upperRank: 15 });
    },
  },
  {
    name: 'numeric: a median interval bounded by the smallest and largest answers goes, as min and max do',
    original: { ...numeric([0, 7, 0], 0, 0), medianCi: { lower: 1, upper: 29, lowerRank: 1, upperRank: 7, coverage: 0.984375 } },
    responses: 7,
    check: (shown) => {
      expect(shown).toMatchObject({ n: 7, min: null, max: null, medianCi: null, median: 11 });
    },
  },
  {
    name: 'ranking: a small number of first places takes another with it; a small "ranked by" alone',
    original: ranking([3, 7, 10], [15, 12, 3], 5, 0),
    responses: 25,
    check: (shown) => {
      const r = shown as RankingResult;
      expect(r.options.map((o) => o.firstShare)).toEqual([null, null, 0.5]);
      expect(r.options.map((o) => o.rankedBy)).toEqual([15, 12, null]);
      expect(r.options.map((o) => o.meanRank)).toEqual([1.5, 1.5, null]);
      expect(r.options.map((o) => o.suppressed ?? false)).toEqual([true, true, true]);
    },
  },
];

describe('suppressForObserver', () => {
  it.each(cases)('$name', ({ original, responses, check }) => {
    const shown = suppressForObserver(original);
    // No count from 1 to 4 is shown ...
    const small = Object.entries(readerView(shown, responses).values).filter(([id, v]) => id !== 'responses' && v !== null && v > 0 && v < MIN_SHOWN_COUNT);
    expect(small).toEqual([]);
    // ... no hidden count can be worked out from what is ...
    expect(givenAway(readerView(shown, responses), readerView(original, responses))).toEqual([]);
    // ... and no more is hidden than that takes.
    check(shown);
  });

  it('the attack works: with the mean shown, the scale row’s hidden points follow', () => {
    const original = scale([2, 8, 0, 7, 6], 7, 5, 0);
    const shown = suppressForObserver(original) as ScaleResult;
    const withMean: ScaleResult = { ...shown, rows: [{ ...shown.rows[0]!, mean: original.rows[0]!.mean }] };
    expect(givenAway(readerView(withMean, 35), readerView(original, 35))).toEqual(['p0 = 2', 'p4 = 6']);
  });

  it('marks a count hidden only to protect another as withheld, never as fewer than 5', () => {
    // 3 is small; 9 is hidden because 32 − 20 − 9 would give the 3 back: it is withheld, not small.
    const shown = suppressForObserver(choice([3, 9, 20], null, 0, 0)) as ChoiceResult;
    expect(shown.options.map((o) => [o.count, o.suppressed ?? false, o.withheld ?? false])).toEqual([
      [null, true, false],
      [null, true, true],
      [20, false, false],
    ]);
    // A "don't know" of 2 hides the number who gave a view (44) with it: withheld, with its name.
    const dk = suppressForObserver(choice([20, 24], 2, 0, 0)) as ChoiceResult;
    expect(dk.nonSubstantive[0]).toMatchObject({ count: null, suppressed: true });
    expect(dk.nonSubstantive[0]!.withheld).toBeUndefined();
    expect(dk.substantive).toBeNull();
    expect(dk.withheld).toEqual(['substantive']);
    // And an option with it, or 20 + 24 would give the number who gave a view back.
    expect(dk.options.map((o) => [o.count, o.withheld ?? false])).toEqual([
      [null, true],
      [24, false],
    ]);
    // Labels follow the marks.
    expect(hiddenLabel(shown.options[0]!.withheld)).toBe(FEWER_THAN_5);
    expect(hiddenLabel(shown.options[1]!.withheld)).toBe(WITHHELD);
  });

  it('leaves a result with no count from 1 to 4 alone, zeros included', () => {
    const original = choice([12, 0, 9], 0, 0, 0);
    expect(suppressForObserver(original)).toEqual(original);
  });

  it('hides every count of a small group, and keeps its zeros', () => {
    const shown = suppressForObserver(choice([3, 0], 1, 0, 0)) as ChoiceResult;
    expect(shown).toMatchObject({ n: null, missing: 0, hidden: 0 });
    expect([...counts(shown.options), ...counts(shown.nonSubstantive)]).toEqual([null, 0, null]);
  });

  it('leaves out a sum that does not hold (a code of an older version outside the base) rather than throwing', () => {
    // Options 10 and 6 but a base of 12: four answers of the old code count as "don't know".
    const original: ChoiceResult = { ...choice([10, 6], 4, 0, 0), substantive: 12, options: options([10, 6], 12) };
    const shown = suppressForObserver(original) as ChoiceResult;
    expect(counts(shown.options)).toEqual([10, 6]);
    expect(counts(shown.nonSubstantive)).toEqual([null]);
  });
});

describe('suppressComparisonForObserver', () => {
  it('hides a second count in a group with a small one, and its mean; a group that all gave one answer stays', () => {
    const original = comparison([[8, 2, 0], [6, 0, 0]]);
    const shown = suppressComparisonForObserver(original);
    expect(givenAway(comparisonView(shown), comparisonView(original))).toEqual([]);
    expect(shown.groups.map((g) => [g.n, counts(g.distribution), g.mean])).toEqual([
      [10, [null, null, 0], null],
      [6, [6, 0, 0], 1],
    ]);
  });

  it('hides the whole of a group of fewer than 5', () => {
    const original = comparison([[3, 1, 0], [5, 5, 5]]);
    const shown = suppressComparisonForObserver(original);
    expect(givenAway(comparisonView(shown), comparisonView(original))).toEqual([]);
    expect(shown.groups.map((g) => [g.n, counts(g.distribution), g.mean])).toEqual([
      [null, [null, null, 0], null],
      [15, [5, 5, 5], 2],
    ]);
  });
});

describe('shownCount and suppressCount', () => {
  it.each([
    [0, 0],
    [1, null],
    [4, null],
    [5, 5],
    [null, null],
  ])('shows %s as %s', (value, expected) => {
    expect(shownCount(value)).toBe(expected);
    expect(suppressCount({ count: value, share: 0.5, ci95: [0.1, 0.9] }).count).toBe(expected);
  });
});
