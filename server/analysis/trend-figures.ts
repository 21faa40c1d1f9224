/**
 * Trends between phases from counts: each phase's figures, the change, the paired test over the
 * respondents who answered both phases and the overall (unpaired) test. Pure: counts and the tied
 * questions in, results out; the Holm adjustment and the sentences in `trend-summary.ts`.
 */
import { compareChoiceGroups, compareOrdinalGroups, meanTInterval, MIN_GROUP_SIZE, type GroupComparison } from '../../analysis/index.ts';
import { mcnemar, stuartMaxwell, wilcoxonSignedRank } from '../../analysis/paired-tests.ts';
import {
  TREND_EFFECT_TITLES,
  TREND_TEST_TITLES,
  type PhaseFigures,
  type TrendEffectName,
  type TrendItem,
  type TrendTest,
  type TrendTestName,
} from '../../analysis/trend-results.ts';
import type { TrendPair } from '../../survey-definitions/check-trends.ts';
import type { Question } from '../../survey-definitions/types.ts';
import { choiceOptions, optionCount } from './question-results.ts';

/** One phase's counts of one question, in the earlier question's codes and rows. */
export interface PhaseCounts {
  codes: readonly { item: string; code: string; respondents: number }[];
  /** Respondents with an answer other than "don't know" (the base of a multiple choice's shares). */
  substantive: number;
}

/** The paired counts of one question: single-valued cross-table cells, or a multiple choice's options. */
export interface PairedCounts {
  cells: readonly { item: string; before: string; after: string; pairs: number }[];
  options: readonly { option: string; chosenBefore: boolean; chosenAfter: boolean; pairs: number }[];
}

/** Small, medium and large: Cohen (1988) for r, w and V (df* = 1); none for a difference in proportions. */
const THRESHOLDS: Record<TrendEffectName, readonly [number, number, number] | null> = {
  matched_pairs_rank_biserial: [0.1, 0.3, 0.5],
  rank_biserial: [0.1, 0.3, 0.5],
  cohens_w: [0.1, 0.3, 0.5],
  cramers_v: [0.1, 0.3, 0.5],
  proportion_difference: null,
};

function effect(name: TrendEffectName, value: number | null, label?: TrendTest['effect']['label']): TrendTest['effect'] {
  const thresholds = THRESHOLDS[name];
  const size = value === null ? null : Math.abs(value);
  const read =
    size === null || !thresholds ? null : size >= thresholds[2] ? 'large' : size >= thresholds[1] ? 'medium' : size >= thresholds[0] ? 'small' : 'negligible';
  return { name, title: TREND_EFFECT_TITLES[name], value, label: label ?? read };
}

/** McNemar over a 2 × 2 table of codes (first code = "yes"), or null when nobody changed. */
function mcnemarTest(table: readonly (readonly number[])[]): TrendTest | null {
  const m = mcnemar({ yesYes: table[0]?.[0] ?? 0, yesNo: table[0]?.[1] ?? 0, noYes: table[1]?.[0] ?? 0, noNo: table[1]?.[1] ?? 0 });
  return m.p === null ? null : test('mcnemar', m.statistic, m.dof, m.p, effect('proportion_difference', m.proportionDifference));
}

function test(name: TrendTestName, statistic: number | null, dof: number | null, p: number, size: TrendTest['effect']): TrendTest {
  return { name, title: TREND_TEST_TITLES[name], statistic, dof, p, pAdjusted: null, effect: size };
}

/** The overall test between all earlier and all later respondents, as the comparisons run it. */
function overallTest(result: GroupComparison): TrendItem['overall'] {
  if (!result.test || result.p === null) {
    const code = result.warning?.code;
    if (code === 'group-too-small' || code === 'fewer-than-two-groups')
      return { test: null, note: `Fewer than ${MIN_GROUP_SIZE} respondents answered in one of the phases: no overall test.` };
    if (code === 'no-variation') return { test: null, note: 'Every respondent of both phases gave the same answer: nothing to test.' };
    return { test: null, note: result.warning?.message ?? result.explanation };
  }
  const names = { 'chi-square': 'chi_square', 'fisher-exact': 'fisher_exact', 'mann-whitney': 'mann_whitney', 'kruskal-wallis': 'mann_whitney' } as const;
  const size = result.effectSize;
  const name: TrendEffectName = size?.measure === 'rank-biserial' ? 'rank_biserial' : 'cramers_v';
  return { test: test(names[result.test], result.statistic, result.dof, result.p, effect(name, size?.value ?? null, size?.label)) };
}

const sum = (values: readonly number[]) => values.reduce((s, v) => s + v, 0);
const difference = (a: number | null | undefined, b: number | null | undefined) =>
  a === null || a === undefined || b === null || b === undefined ? null : b - a;

function distribution(
  columns: readonly { code: string; label: string }[],
  counts: PhaseCounts,
  item: string,
  base?: number,
): { n: number; shares: PhaseFigures['distribution'] } {
  const of = (code: string) => sum(counts.codes.filter((c) => c.item === item && c.code === code).map((c) => c.respondents));
  const n = base ?? sum(columns.map((c) => of(c.code)));
  return { n, shares: columns.map((c) => optionCount(c.code, c.label, of(c.code), n)) };
}

function shareChanges(earlier: PhaseFigures, later: PhaseFigures): TrendItem['change']['shares'] {
  return earlier.distribution.map((d, i) => ({ code: d.code, label: d.label, change: difference(d.share, later.distribution[i]?.share) }));
}

const tooFew = () => `Fewer than ${MIN_GROUP_SIZE} respondents answered both phases: no paired test.`;
const NO_CHANGE = 'No respondent changed answer between the phases: nothing to test.';

type Draft = Omit<TrendItem, 'summary'>;

function scaleItems(
  pair: TrendPair,
  question: Extract<Question, { type: 'scale' | 'matrix' }>,
  earlier: PhaseCounts,
  later: PhaseCounts,
  paired: PairedCounts,
): Draft[] {
  const points = question.scale.points.map((p) => ({ code: p.code, label: p.label.en, value: p.value }));
  const valueByCode = new Map(points.map((p) => [p.code, p.value]));
  const laterRows = pair.laterQuestion.type === 'matrix' ? pair.laterQuestion.rows : [];
  const rows =
    question.type === 'matrix'
      ? question.rows.map((r) => ({ code: r.code, label: laterRows.find((l) => pair.codeMap[l.code] === r.code)?.label.en ?? r.label.en }))
      : [{ code: '', label: '' }];
  return rows.flatMap((row) => {
    if (question.type === 'matrix' && !laterRows.some((l) => pair.codeMap[l.code] === row.code)) return [];
    const phase = (counts: PhaseCounts): PhaseFigures => {
      const { n, shares } = distribution(points, counts, row.code);
      const { mean, lower, upper } = meanTInterval(points.map((p, i) => ({ value: p.value, count: shares[i]?.count ?? 0 })));
      const top = question.scale.top_box ?? [];
      return {
        n,
        distribution: shares,
        mean,
        ci95: lower === null || upper === null ? null : [lower, upper],
        ...(top.length ? { topBox: n === 0 ? null : sum(shares.filter((s) => top.includes(s.code)).map((s) => s.count ?? 0)) / n } : {}),
      };
    };
    const a = phase(earlier);
    const b = phase(later);
    const cells = paired.cells.filter((c) => c.item === row.code && valueByCode.has(c.before) && valueByCode.has(c.after));
    const pairs = cells.map((c) => ({ before: valueByCode.get(c.before)!, after: valueByCode.get(c.after)!, count: c.pairs }));
    const n = sum(pairs.map((p) => p.count));
    const changed = sum(pairs.filter((p) => p.before !== p.after).map((p) => p.count));
    const w = wilcoxonSignedRank(pairs);
    const pairedTest =
      n >= MIN_GROUP_SIZE && w.p !== null ? test('wilcoxon_signed_rank', w.statistic, null, w.p, effect('matched_pairs_rank_biserial', w.rankBiserial)) : null;
    const table = (f: PhaseFigures) => points.map((p, i) => ({ value: p.value, count: f.distribution[i]?.count ?? 0 }));
    return [
      {
        trendKey: pair.trendKey,
        earlierQuestionId: pair.earlierQuestion.id,
        laterQuestionId: pair.laterQuestion.id,
        text: pair.laterQuestion.text.en,
        measure: 'scale' as const,
        ...(question.type === 'matrix' ? { row } : {}),
        earlier: a,
        later: b,
        change: { shares: shareChanges(a, b), mean: difference(a.mean, b.mean), ...(a.topBox !== undefined ? { topBox: difference(a.topBox, b.topBox) } : {}) },
        paired: {
          n,
          changed,
          meanChange: n === 0 ? null : sum(pairs.map((p) => (p.after - p.before) * p.count)) / n,
          test: pairedTest,
          ...(pairedTest ? {} : { note: n < MIN_GROUP_SIZE ? tooFew() : NO_CHANGE }),
        },
        // Later first, so that a positive rank-biserial r means answers rose.
        overall: overallTest(compareOrdinalGroups([table(b), table(a)])),
      },
    ];
  });
}

/** A yes/no or a single choice: shares of the substantive options; McNemar for two, Stuart-Maxwell for more. */
function choiceItem(pair: TrendPair, question: Question, earlier: PhaseCounts, later: PhaseCounts, paired: PairedCounts): Draft {
  const columns = choiceOptions(question).substantive;
  const phase = (counts: PhaseCounts): PhaseFigures => {
    const { n, shares } = distribution(columns, counts, '');
    return { n, distribution: shares, ...(question.type === 'yes_no' ? { share: shares[0]! } : {}) };
  };
  const a = phase(earlier);
  const b = phase(later);
  const codes = columns.map((c) => c.code);
  const table = codes.map((before) =>
    codes.map((after) => sum(paired.cells.filter((c) => c.item === '' && c.before === before && c.after === after).map((c) => c.pairs))),
  );
  const n = sum(table.flat());
  const changed = n - sum(codes.map((_, i) => table[i]![i]!));
  let pairedTest: TrendTest | null = null;
  if (n >= MIN_GROUP_SIZE && codes.length === 2) {
    pairedTest = mcnemarTest(table);
  } else if (n >= MIN_GROUP_SIZE) {
    const s = stuartMaxwell(table);
    if (s.p !== null && s.statistic !== null) pairedTest = test('stuart_maxwell', s.statistic, s.dof, s.p, effect('cohens_w', Math.sqrt(s.statistic / n)));
  }
  return {
    trendKey: pair.trendKey,
    earlierQuestionId: pair.earlierQuestion.id,
    laterQuestionId: pair.laterQuestion.id,
    text: pair.laterQuestion.text.en,
    measure: question.type === 'yes_no' ? 'yes_no' : 'choice',
    earlier: a,
    later: b,
    change: { shares: shareChanges(a, b), ...(question.type === 'yes_no' ? { share: difference(a.share?.share, b.share?.share) } : {}) },
    paired: { n, changed, test: pairedTest, ...(pairedTest ? {} : { note: n < MIN_GROUP_SIZE ? tooFew() : NO_CHANGE }) },
    overall: overallTest(compareChoiceGroups([a.distribution.map((d) => d.count ?? 0), b.distribution.map((d) => d.count ?? 0)])),
  };
}

/** A multiple choice: one item per option, the share choosing it (of those who gave a view); McNemar per option. */
function optionItems(pair: TrendPair, question: Question, earlier: PhaseCounts, later: PhaseCounts, paired: PairedCounts): Draft[] {
  return choiceOptions(question).substantive.map((option) => {
    const phase = (counts: PhaseCounts): PhaseFigures => {
      const chosen = sum(counts.codes.filter((c) => c.item === '' && c.code === option.code).map((c) => c.respondents));
      const share = optionCount(option.code, option.label, chosen, counts.substantive);
      return { n: counts.substantive, distribution: [share], share };
    };
    const a = phase(earlier);
    const b = phase(later);
    const cell = (before: boolean, after: boolean) =>
      sum(paired.options.filter((o) => o.option === option.code && o.chosenBefore === before && o.chosenAfter === after).map((o) => o.pairs));
    const [bb, bn, nb, nn] = [cell(true, true), cell(true, false), cell(false, true), cell(false, false)];
    const n = bb + bn + nb + nn;
    const pairedTest =
      n >= MIN_GROUP_SIZE
        ? mcnemarTest([
            [bb, bn],
            [nb, nn],
          ])
        : null;
    const count = (f: PhaseFigures) => f.share?.count ?? 0;
    return {
      trendKey: pair.trendKey,
      earlierQuestionId: pair.earlierQuestion.id,
      laterQuestionId: pair.laterQuestion.id,
      text: pair.laterQuestion.text.en,
      measure: 'option' as const,
      row: option,
      earlier: a,
      later: b,
      change: { shares: shareChanges(a, b), share: difference(a.share?.share, b.share?.share) },
      paired: { n, changed: bn + nb, test: pairedTest, ...(pairedTest ? {} : { note: n < MIN_GROUP_SIZE ? tooFew() : NO_CHANGE }) },
      overall: overallTest(
        compareChoiceGroups([
          [count(a), a.n - count(a)],
          [count(b), b.n - count(b)],
        ]),
      ),
    };
  });
}

/**
 * The items of one tied pair (unadjusted p-values, no sentence yet): a scale one, a matrix one per
 * row both phases ask, a yes/no or single choice one, a multiple choice one per option.
 */
export function trendItems(pair: TrendPair, earlier: PhaseCounts, later: PhaseCounts, paired: PairedCounts): Draft[] {
  const question = pair.earlierQuestion;
  switch (question.type) {
    case 'scale':
    case 'matrix':
      return scaleItems(pair, question, earlier, later, paired);
    case 'yes_no':
    case 'single_choice':
      return [choiceItem(pair, question, earlier, later, paired)];
    case 'multi_choice':
      return optionItems(pair, question, earlier, later, paired);
    default:
      return [];
  }
}

/** A later phase's counts in the earlier question's codes and rows (codes the mapping does not know kept as they are). */
export function inEarlierTerms(pair: TrendPair, counts: PhaseCounts): PhaseCounts {
  const merged = new Map<string, { item: string; code: string; respondents: number }>();
  for (const c of counts.codes) {
    const item = pair.codeMap[c.item] ?? c.item;
    const code = pair.codeMap[c.code] ?? c.code;
    const key = `${item}\u0000${code}`;
    const entry = merged.get(key) ?? { item, code, respondents: 0 };
    entry.respondents += c.respondents;
    merged.set(key, entry);
  }
  return { codes: [...merged.values()], substantive: counts.substantive };
}
