/**
 * Which questions of two phases of the assessment are the same question: a later phase's question
 * with a `trend_key` is tied to the earlier phase's question with the same key. Pure.
 */
import { allQuestions, type Question, type SurveyDefinition } from './types.ts';

/** A later question tied to an earlier one, with its codes and matrix rows in the earlier's terms. */
export interface TrendPair {
  key: string;
  earlier: Question;
  later: Question;
  /** Later option or scale-point code → the earlier code it stands for (identity where not mapped). */
  codes: Record<string, string>;
  /** Later matrix row → the earlier row it stands for (identity where not mapped). */
  rows: Record<string, string>;
  /** Why the two cannot be compared (different types, or scales), if they cannot. */
  problem?: string;
}

const TESTABLE: readonly Question['type'][] = ['scale', 'matrix', 'yes_no', 'single_choice', 'multi_choice'];

/** The codes a question answers with: options, scale points (with "don't know"), yes/no. */
function answerCodes(question: Question): string[] {
  switch (question.type) {
    case 'scale':
    case 'matrix':
      return [...question.scale.points.map((p) => p.code), ...question.scale.non_substantive.map((o) => o.code)];
    case 'yes_no':
      return ['yes', 'no', ...(question.dont_know ? ['dk'] : [])];
    case 'single_choice':
    case 'multi_choice':
    case 'ranking':
      return question.options.map((o) => o.code);
    default:
      return [];
  }
}

const rowCodes = (question: Question) => (question.type === 'matrix' ? question.rows.map((r) => r.code) : []);

/** Each later code mapped through `trend_codes` (matrix rows apart from answer codes). */
function mappings(later: Question): { codes: Record<string, string>; rows: Record<string, string> } {
  const declared = later.trend_codes ?? {};
  const rows = Object.fromEntries(rowCodes(later).map((code) => [code, declared[code] ?? code]));
  const codes = Object.fromEntries(answerCodes(later).map((code) => [code, declared[code] ?? code]));
  return { codes, rows };
}

/** Why a tied pair cannot be compared, or undefined when it can. */
function comparability(earlier: Question, later: Question, codes: Record<string, string>): string | undefined {
  if (earlier.type !== later.type) return `it is a ${earlier.type} question in the earlier phase and a ${later.type} question in the later one.`;
  if (!TESTABLE.includes(later.type)) return `${later.type} questions are not compared between phases.`;
  if ((earlier.type === 'scale' || earlier.type === 'matrix') && (later.type === 'scale' || later.type === 'matrix')) {
    const values = new Map(earlier.scale.points.map((p) => [p.code, p.value]));
    const differs = later.scale.points.some((p) => values.get(codes[p.code] ?? p.code) !== p.value) || later.scale.points.length !== earlier.scale.points.length;
    if (differs) return 'the two phases use different scales.';
  }
  return undefined;
}

/**
 * The tied questions of two phases, in the later questionnaire's order: every later question with a
 * `trend_key` that the earlier questionnaire also uses. Codes and rows of the later question are
 * mapped to the earlier's through `trend_codes`; a pair whose types or scales differ carries a
 * `problem` instead of being dropped, so that a page can say why it is not compared.
 *
 * @example
 * trendPairs(lookBack2011, stocktake2012).map((p) => [p.earlier.id, p.later.id]); // [['a_support', 'b_support'], …]
 */
export function trendPairs(earlier: SurveyDefinition, later: SurveyDefinition): TrendPair[] {
  const byKey = new Map(allQuestions(earlier).flatMap((q) => (q.trend_key ? [[q.trend_key, q] as const] : [])));
  return allQuestions(later).flatMap((question) => {
    const match = question.trend_key ? byKey.get(question.trend_key) : undefined;
    if (!question.trend_key || !match) return [];
    const { codes, rows } = mappings(question);
    const problem = comparability(match, question, codes);
    return [{ key: question.trend_key, earlier: match, later: question, codes, rows, ...(problem ? { problem } : {}) }];
  });
}
