/**
 * Comparisons of groups of respondents, from counts per group: which answers are compared (one
 * unit per question, matrix row or multiple-choice option), the test (analysis/compare-groups.ts),
 * the Holm adjustment across every unit compared together, and the result in words. Pure.
 */
import { compareChoiceGroups, compareOrdinalGroups, holmAdjust, meanTInterval, MIN_GROUP_SIZE, type GroupComparison } from '../../analysis/index.ts';
import { EFFECT_TITLES, TEST_TITLES, type QuestionComparison } from '../../analysis/results.ts';
import { findCountry } from '../../survey-definitions/countries.ts';
import type { Question } from '../../survey-definitions/types.ts';
import { choiceOptions, DONT_KNOW, optionCount } from './question-results.ts';

/** One group's answers to one question. */
export interface GroupAnswers {
  key: string;
  label: string;
  /** The label inside a sentence ("governments", but "Africa"). */
  phrase: string;
  /** Respondents per (matrix row or '', code). */
  codes: readonly { item: string; code: string; respondents: number }[];
  /** Respondents with an answer other than "don't know" (the base of a multiple choice). */
  substantive: number;
  /** Numeric answers: respondents per value. */
  values: readonly { value: number; count: number }[];
}

export interface ComparisonUnit {
  questionId: string;
  text: string;
  sharedKey?: string;
  row?: { code: string; label: string };
  /** What the sentence names, quoted: the question, a matrix row, or an option of a multiple choice. */
  subject: string;
  measure: 'nominal' | 'ordinal';
  /** How an ordinal difference is put into words. */
  verb: 'rated' | 'answered';
  /** Answers compared: codes of a nominal question, points (with their value) of an ordinal one. */
  columns: { code: string; label: string; value?: number }[];
  /** False for numeric answers, whose distribution would list every value. */
  showDistribution: boolean;
  groups: { key: string; label: string; phrase: string; counts: number[] }[];
  warnings: string[];
  /** Why no test can run whatever the answers (e.g. the questionnaires use different scales). */
  untestable?: string;
}

/** Which codes and matrix rows to compare (for questions shared by two questionnaires). */
export interface UnitLimits {
  codes?: readonly string[];
  rows?: readonly string[];
}

const countOf = (group: GroupAnswers, item: string, code: string) => group.codes.find((c) => c.item === item && c.code === code)?.respondents ?? 0;

/**
 * The comparisons one question gives: single-valued choices one nominal unit over the
 * substantive codes; a multiple choice one unit per option (chosen or not, among respondents with a
 * substantive answer); a scale one ordinal unit; a matrix one per row; a numeric question one
 * ordinal unit over its values. Rankings and texts give none.
 */
export function comparisonUnits(question: Question, groups: readonly GroupAnswers[], limits: UnitLimits = {}): ComparisonUnit[] {
  const common = { questionId: question.id, text: question.text.en, ...(question.shared_key ? { sharedKey: question.shared_key } : {}), warnings: [] };
  const keep = (code: string) => !limits.codes || limits.codes.includes(code);
  const groupsWith = (counts: (g: GroupAnswers) => number[]) => groups.map((g) => ({ key: g.key, label: g.label, phrase: g.phrase, counts: counts(g) }));
  switch (question.type) {
    case 'single_choice':
    case 'yes_no':
    case 'country': {
      const columns =
        question.type === 'country'
          ? [...new Set(groups.flatMap((g) => g.codes.filter((c) => c.item === '' && c.code !== DONT_KNOW).map((c) => c.code)))]
              .sort()
              .map((code) => ({ code, label: findCountry(code)?.names.en ?? code }))
          : choiceOptions(question).substantive.filter((o) => keep(o.code));
      return [
        {
          ...common,
          subject: question.text.en,
          measure: 'nominal',
          verb: 'answered',
          columns,
          showDistribution: true,
          groups: groupsWith((g) => columns.map((c) => countOf(g, '', c.code))),
        },
      ];
    }
    case 'multi_choice':
      return choiceOptions(question)
        .substantive.filter((o) => keep(o.code))
        .map((o) => ({
          ...common,
          // The option compared, in the field that names a matrix row.
          row: o,
          subject: `${question.text.en} – ${o.label}`,
          measure: 'nominal',
          verb: 'answered',
          columns: [
            { code: o.code, label: 'Chosen' },
            { code: 'not_chosen', label: 'Not chosen' },
          ],
          showDistribution: true,
          groups: groupsWith((g) => [countOf(g, '', o.code), Math.max(0, g.substantive - countOf(g, '', o.code))]),
        }));
    case 'scale':
    case 'matrix': {
      const columns = question.scale.points.map((p) => ({ code: p.code, label: p.label.en, value: p.value }));
      const rows =
        question.type === 'matrix'
          ? question.rows.filter((r) => !limits.rows || limits.rows.includes(r.code)).map((r) => ({ code: r.code, label: r.label.en }))
          : [undefined];
      return rows.map((row) => ({
        ...common,
        ...(row ? { row } : {}),
        subject: row?.label ?? question.text.en,
        measure: 'ordinal',
        verb: 'rated',
        columns,
        showDistribution: true,
        groups: groupsWith((g) => columns.map((c) => countOf(g, row?.code ?? '', c.code))),
      }));
    }
    case 'numeric': {
      const values = [...new Set(groups.flatMap((g) => g.values.map((v) => v.value)))].sort((a, b) => a - b);
      const columns = values.map((value) => ({ code: String(value), label: String(value), value }));
      return [
        {
          ...common,
          subject: question.text.en,
          measure: 'ordinal',
          verb: 'answered',
          columns,
          showDistribution: false,
          groups: groupsWith((g) => values.map((v) => g.values.filter((x) => x.value === v).reduce((s, x) => s + x.count, 0))),
        },
      ];
    }
    default:
      return [];
  }
}

const TEST_NAMES = { 'chi-square': 'chi_square', 'fisher-exact': 'fisher_exact', 'mann-whitney': 'mann_whitney', 'kruskal-wallis': 'kruskal_wallis' } as const;
const EFFECT_NAMES = { 'cramers-v': 'cramers_v', 'rank-biserial': 'rank_biserial', 'epsilon-squared': 'epsilon_squared' } as const;

/** "p = 0.003", or "p < 0.001". */
export function formatP(p: number): string {
  return p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`;
}

/** Two decimals with a true minus sign: "−0.34". */
function formatEffect(value: number): string {
  return value < 0 ? `−${Math.abs(value).toFixed(2)}` : value.toFixed(2);
}

/** "a", "a and b", "a, b and c". */
function listPhrases(phrases: readonly string[]): string {
  return phrases.length <= 1 ? (phrases[0] ?? '') : `${phrases.slice(0, -1).join(', ')} and ${phrases.at(-1)}`;
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** "Oceania (4) not tested.", "Oceania (4) and Asia (0) not tested.", or nothing. */
function leftOutSentence(unit: ComparisonUnit, result: GroupComparison): string {
  const named = result.groupsLeftOut.map((i) => `${unit.groups[i]?.label ?? ''} (${result.groupSizes[i] ?? 0})`);
  return named.length ? ` ${listPhrases(named)} not tested.` : '';
}

/**
 * The comparison in one sentence (p-values after Holm's adjustment, significance at 0.05), naming
 * the groups left out of the test with their size: "… Oceania (4) not tested."
 */
export function comparisonSentence(unit: ComparisonUnit, result: GroupComparison | null, pAdjusted: number | null): string {
  const subject = `‘${unit.subject}’`;
  if (unit.untestable) return `${subject} cannot be compared: ${unit.untestable}`;
  if (!result || result.p === null || pAdjusted === null) {
    const warning = result?.warning;
    if (result && warning?.code === 'group-too-small')
      return `Too few respondents to test ${subject}: fewer than two groups have ${MIN_GROUP_SIZE} or more.${leftOutSentence(unit, result)}`;
    if (warning?.code === 'no-variation') return `Every respondent gave the same answer to ${subject}: nothing to compare.`;
    return `Fewer than two groups answered ${subject}: nothing to compare.`;
  }
  const effect = result.effectSize;
  const effectText = effect ? `${effect.label} effect (${EFFECT_TITLES[EFFECT_NAMES[effect.measure]]} ${formatEffect(effect.value)})` : '';
  const tested = result.groupsTested.map((i) => unit.groups[i]!);
  const phrases = listPhrases(tested.map((g) => g.phrase));
  const leftOut = leftOutSentence(unit, result);
  if (pAdjusted >= 0.05)
    return `No clear difference between ${phrases} on ${subject}: ${formatP(pAdjusted)} after adjustment${effect ? `, ${effectText}` : ''}.${leftOut}`;
  if (result.test === 'mann-whitney' && effect) {
    const [first, second] = tested;
    const direction = effect.value >= 0 ? 'higher' : 'lower';
    const claim = unit.verb === 'rated' ? `rated ${subject} ${direction} than` : `gave ${direction} answers to ${subject} than`;
    return `${capitalize(first?.phrase ?? '')} ${claim} ${second?.phrase ?? ''}: ${formatP(pAdjusted)} after adjustment, ${effectText}.${leftOut}`;
  }
  const what = unit.measure === 'ordinal' ? (unit.verb === 'rated' ? 'Ratings of' : 'Answers to') : 'Answers to';
  return `${what} ${subject} differ between ${phrases}: ${formatP(pAdjusted)} after adjustment${effect ? `, ${effectText}` : ''}.${leftOut}`;
}

/** The test as the API gives it: codes with their words (one map, analysis/results.ts). */
function testResult(
  unit: ComparisonUnit,
  result: GroupComparison,
  test: NonNullable<GroupComparison['test']>,
  pAdjusted: number | null,
): NonNullable<QuestionComparison['test']> {
  const name = TEST_NAMES[test];
  const effectName = result.effectSize
    ? EFFECT_NAMES[result.effectSize.measure]
    : unit.measure === 'nominal'
      ? 'cramers_v'
      : result.groupsTested.length === 2
        ? 'rank_biserial'
        : 'epsilon_squared';
  return {
    name,
    title: TEST_TITLES[name],
    statistic: result.statistic,
    dof: result.dof,
    p: result.p,
    pAdjusted,
    effect: result.effectSize
      ? {
          name: effectName,
          title: EFFECT_TITLES[effectName],
          value: result.effectSize.value,
          label: result.effectSize.label,
          thresholds: result.effectSize.thresholds,
        }
      : { name: effectName, title: EFFECT_TITLES[effectName], value: null, label: null },
  };
}

function runTest(unit: ComparisonUnit): GroupComparison | null {
  if (unit.untestable) return null;
  if (unit.measure === 'nominal') return compareChoiceGroups(unit.groups.map((g) => g.counts));
  return compareOrdinalGroups(unit.groups.map((g) => g.counts.map((count, j) => ({ value: unit.columns[j]?.value ?? Number.NaN, count }))));
}

/**
 * Tests every unit, adjusts the p-values with Holm's method across all of them (untestable units
 * do not count), and writes each result with its sentence.
 */
export function finishComparisons(units: readonly ComparisonUnit[]): QuestionComparison[] {
  const results = units.map(runTest);
  const adjusted = holmAdjust(results.map((r) => r?.p ?? null));
  return units.map((unit, i) => {
    const result = results[i] ?? null;
    const pAdjusted = adjusted[i] ?? null;
    return {
      questionId: unit.questionId,
      text: unit.text,
      ...(unit.sharedKey ? { sharedKey: unit.sharedKey } : {}),
      ...(unit.row ? { row: unit.row } : {}),
      groups: unit.groups.map((g, k) => {
        const n = g.counts.reduce((sum, c) => sum + c, 0);
        const mean =
          unit.measure === 'ordinal' ? meanTInterval(g.counts.map((count, j) => ({ value: unit.columns[j]?.value ?? Number.NaN, count }))).mean : undefined;
        return {
          key: g.key,
          label: g.label,
          n,
          ...(mean !== undefined ? { mean } : {}),
          distribution: unit.showDistribution ? unit.columns.map((c, j) => optionCount(c.code, c.label, g.counts[j] ?? 0, n)) : [],
          tested: result?.test ? result.groupsTested.includes(k) : false,
        };
      }),
      test: result?.test && result.p !== null ? testResult(unit, result, result.test, pAdjusted) : null,
      warnings: [...unit.warnings, ...(result?.warning ? [result.warning.message] : []), ...(unit.untestable ? [unit.untestable] : [])],
      summary: comparisonSentence(unit, result, pAdjusted),
    };
  });
}
