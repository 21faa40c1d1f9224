/**
 * Questions tied across phases: a question of a later phase's questionnaire with a `trend_key` is
 * the same question as the earlier phase's question with that key, so the two phases' answers can
 * be set side by side ("what changed between 2011 and 2012"). That holds only if both ask for the
 * same kind of answer with the same codes, or with a declared `trend_codes` mapping from the later
 * question's codes to the earlier one's.
 *
 * `trendFieldProblems` checks one questionnaire on its own (called by `checkDefinition`);
 * `checkTrends` checks every pair of questionnaires of different phases for the same respondents
 * (called by `checkAcrossFiles`, hence `surveys check`); `trendPairs` pairs the tied questions of
 * two questionnaires for the analysis.
 */
import type { DefinitionProblem } from './check-definition.ts';
import { nonSubstantiveCodes } from './non-substantive.ts';
import { allQuestions, choiceCodes, type Question, type SurveyDefinition } from './types.ts';

/** Two tied questions, the later phase's codes mapped to the earlier phase's. */
export interface TrendPair {
  /** The `trend_key` both questions carry. */
  trendKey: string;
  earlierQuestion: Question;
  laterQuestion: Question;
  /**
   * Each code of the later question (options, scale points and "don't know" codes, yes/no answers,
   * and for a matrix its row codes as well as its scale's codes) mapped to the earlier question's
   * code it stands for: its `trend_codes` entry, or the same code. Several later codes may map to
   * one earlier code (an option split in two). Empty for numeric and country questions.
   */
  codeMap: Record<string, string>;
}

/**
 * Free text is never tied: a trend is a comparison of counts, and there is nothing to count in a
 * text; pairing one government's texts of two phases would also put two identifying answers side
 * by side. The free-text page reads each phase's answers.
 */
export const UNTIEABLE_TYPES: readonly Question['type'][] = ['short_text', 'long_text'];

/** Question types that have codes `trend_codes` can map. */
const CODED_TYPES: readonly Question['type'][] = ['single_choice', 'multi_choice', 'ranking', 'scale', 'matrix', 'yes_no'];

/** A questionnaire and the file (or label) it is reported under. */
export interface TrendFile {
  file: string;
  definition: SurveyDefinition;
}

export interface TrendProblem extends DefinitionProblem {
  /** The later questionnaire's file: the problem is its to fix. */
  file: string;
}

interface CodeEntry {
  code: string;
  /** The value of a scale point; undefined for every other code. */
  value?: number;
  substantive: boolean;
}

/** The codes of a question by what they code: a matrix has rows and scale codes, apart. */
function codeGroups(q: Question): { rows: CodeEntry[]; answers: CodeEntry[] } {
  const nonSubstantive = new Set(nonSubstantiveCodes(q));
  const rows = q.type === 'matrix' ? q.rows.map((r) => ({ code: r.code, substantive: true })) : [];
  if (q.type === 'scale' || q.type === 'matrix') {
    const points = q.scale.points.map((p) => ({ code: p.code, value: p.value, substantive: true }));
    return { rows, answers: [...points, ...q.scale.non_substantive.map((o) => ({ code: o.code, substantive: false }))] };
  }
  return { rows, answers: choiceCodes(q).map((code) => ({ code, substantive: !nonSubstantive.has(code) })) };
}

function sectionOf(definition: SurveyDefinition, questionId: string): string {
  return definition.sections.find((s) => s.questions.some((q) => q.id === questionId))?.id ?? '?';
}

/**
 * The problems of one questionnaire's trend fields, on their own: a `trend_key` needs the
 * questionnaire's `phase` and is used once; `trend_codes` needs a `trend_key`, a question with codes,
 * and keys that are codes of the question (for a matrix, not both a row and a scale code); free text
 * is never tied ({@link UNTIEABLE_TYPES}).
 *
 * @example
 *   trendFieldProblems(definition); // [{ path: 'phase', message: "question 'q1' carries a trend_key, … but the questionnaire declares no phase …" }]
 */
export function trendFieldProblems(definition: SurveyDefinition): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const keys = new Map<string, string>();
  for (const section of definition.sections) {
    for (const q of section.questions) {
      const at = `sections.${section.id}.questions.${q.id}`;
      if (q.trend_codes && !q.trend_key)
        problems.push({
          path: `${at}.trend_codes`,
          message: 'trend_codes needs a trend_key: it maps this question’s codes to those of the tied earlier question',
        });
      if (!q.trend_key) continue;
      const first = keys.get(q.trend_key);
      if (first) problems.push({ path: `${at}.trend_key`, message: `trend_key '${q.trend_key}' is already used by question '${first}' of this questionnaire` });
      else keys.set(q.trend_key, q.id);
      if (UNTIEABLE_TYPES.includes(q.type)) {
        problems.push({
          path: `${at}.trend_key`,
          message: `a ${q.type} question cannot be tied: a trend compares counts, and free text has none (read each phase's texts on the free-text page)`,
        });
        continue;
      }
      if (!q.trend_codes) continue;
      if (!CODED_TYPES.includes(q.type)) {
        problems.push({ path: `${at}.trend_codes`, message: `trend_codes maps codes, and a ${q.type} question has none` });
        continue;
      }
      const { rows, answers } = codeGroups(q);
      const rowCodes = new Set(rows.map((r) => r.code));
      const answerCodes = new Set(answers.map((a) => a.code));
      for (const code of Object.keys(q.trend_codes)) {
        if (rowCodes.has(code) && answerCodes.has(code)) {
          problems.push({ path: `${at}.trend_codes.${code}`, message: `'${code}' is both a row and a scale code of this matrix, so its mapping is ambiguous` });
        } else if (!rowCodes.has(code) && !answerCodes.has(code)) {
          problems.push({
            path: `${at}.trend_codes.${code}`,
            message: `'${code}' is not a code of this question (codes: ${[...rowCodes, ...answerCodes].join(', ')})`,
          });
        }
      }
    }
  }
  if (keys.size && definition.phase === undefined) {
    const [first] = keys.values();
    const who = keys.size > 1 ? `questions '${first}' and ${keys.size - 1} more carry` : `question '${first}' carries`;
    problems.unshift({
      path: 'phase',
      message: `${who} a trend_key, which ties a question across phases, but the questionnaire declares no phase (add, for example, phase: 2012 at the top of the file)`,
    });
  }
  return problems;
}

/**
 * Why two tied questions cannot be compared, as messages naming the codes (empty when they can).
 * `earlierName` names the earlier question in the messages ("a.yaml's question g_view").
 */
export function tieProblems(earlier: Question, later: Question, earlierName: string): string[] {
  if (earlier.type !== later.type) return [`the types differ: ${later.type} here, ${earlier.type} in ${earlierName}`];
  if (earlier.type === 'numeric' && later.type === 'numeric' && (earlier.unit?.en ?? '') !== (later.unit?.en ?? '')) {
    const unit = (u: string | undefined) => (u ? `'${u}'` : 'none');
    return [`the units differ: ${unit(later.unit?.en)} here, ${unit(earlier.unit?.en)} in ${earlierName}`];
  }
  const mapping = later.trend_codes;
  const earlierGroups = codeGroups(earlier);
  const laterGroups = codeGroups(later);
  const problems: string[] = [];
  for (const group of ['rows', 'answers'] as const) {
    const what = group === 'rows' ? 'row' : 'code';
    const targets = new Map(earlierGroups[group].map((e) => [e.code, e]));
    const reached = new Set<string>();
    for (const entry of laterGroups[group]) {
      const mapped = mapping?.[entry.code];
      const target = targets.get(mapped ?? entry.code);
      const named = mapped === undefined ? `${what} '${entry.code}'` : `${what} '${entry.code}' (mapped to '${mapped}')`;
      if (!target) {
        problems.push(`${named} has no counterpart in ${earlierName} (${what === 'row' ? 'rows' : 'codes'}: ${[...targets.keys()].join(', ')})`);
        continue;
      }
      reached.add(target.code);
      if (entry.substantive !== target.substantive) {
        const kind = (e: CodeEntry) => (e.substantive ? 'an answer' : 'a "don\'t know"-like answer');
        problems.push(`${named} is ${kind(entry)}, but '${target.code}' of ${earlierName} is ${kind(target)}`);
      } else if (entry.value !== target.value) {
        problems.push(
          `${named} has the value ${entry.value}, but '${target.code}' of ${earlierName} has the value ${target.value}; tied scale points must have the same value, or averages would not compare`,
        );
      }
    }
    // Without a mapping the codes must be the same both ways; a mapping declares merged or dropped codes.
    if (!mapping) {
      for (const code of targets.keys()) {
        if (!reached.has(code))
          problems.push(`${earlierName} has the ${what} '${code}', which has no counterpart here (map the codes with trend_codes if it was merged or dropped)`);
      }
    }
  }
  return problems;
}

/** Later code -> earlier code for every code of a question (identity unless `trend_codes` says otherwise). */
function codeMapOf(later: Question): Record<string, string> {
  const { rows, answers } = codeGroups(later);
  return Object.fromEntries([...rows, ...answers].map((e) => [e.code, later.trend_codes?.[e.code] ?? e.code]));
}

/** The first question of each trend_key, leaving free text out. */
function tiedQuestions(definition: SurveyDefinition): Map<string, Question> {
  const byKey = new Map<string, Question>();
  for (const q of allQuestions(definition)) {
    if (q.trend_key && !UNTIEABLE_TYPES.includes(q.type) && !byKey.has(q.trend_key)) byKey.set(q.trend_key, q);
  }
  return byKey;
}

/**
 * The tied questions of two questionnaires: each question of `later` with a `trend_key` that a
 * question of `earlier` carries too, when the two compare (same type, and codes that are the same or
 * mapped by `trend_codes`; see `surveys check`). Pairs that do not compare are left out, so that a
 * trend never sets side by side answers that mean different things. Phases are not looked at: the
 * caller says which questionnaire is the earlier one.
 *
 * @returns pairs in the order of the later questionnaire's questions.
 * @example
 *   for (const { trendKey, earlierQuestion, laterQuestion, codeMap } of trendPairs(assessment2011, stocktake2012)) {
 *     // a 2012 answer coded c counts as the 2011 code codeMap[c]
 *   }
 */
export function trendPairs(earlier: SurveyDefinition, later: SurveyDefinition): TrendPair[] {
  const earlierByKey = tiedQuestions(earlier);
  const pairs: TrendPair[] = [];
  for (const [trendKey, laterQuestion] of tiedQuestions(later)) {
    const earlierQuestion = earlierByKey.get(trendKey);
    if (!earlierQuestion || tieProblems(earlierQuestion, laterQuestion, 'the earlier question').length) continue;
    pairs.push({ trendKey, earlierQuestion, laterQuestion, codeMap: codeMapOf(laterQuestion) });
  }
  return pairs;
}

/**
 * The problems of tied questions across questionnaires: for every two questionnaires of different
 * phases whose audiences share a kind of respondent, every `trend_key` of the later one must be a
 * question of the earlier one that compares with it ({@link tieProblems}). Problems are reported
 * on the later questionnaire's file. Questionnaires without a phase are not paired (their trend
 * keys are reported by {@link trendFieldProblems}).
 *
 * @example
 *   checkTrends([{ file: 'a.yaml', definition: a2011 }, { file: 'b.yaml', definition: b2012 }]);
 *   // [{ file: 'b.yaml', path: 'sections.s1.questions.q_b.trend_key', message: "trend_key 'view': code '6' has no counterpart in a.yaml's question q_a (codes: 1, 2, 3, 4, 5)" }]
 */
export function checkTrends(files: readonly TrendFile[]): TrendProblem[] {
  const problems: TrendProblem[] = [];
  for (const later of files) {
    const laterPhase = later.definition.phase;
    if (laterPhase === undefined) continue;
    for (const earlier of files) {
      const earlierPhase = earlier.definition.phase;
      if (earlierPhase === undefined || earlierPhase >= laterPhase) continue;
      const shared = later.definition.audience.filter((kind) => earlier.definition.audience.includes(kind));
      if (!shared.length) continue;
      const earlierByKey = tiedQuestions(earlier.definition);
      for (const [trendKey, laterQuestion] of tiedQuestions(later.definition)) {
        const at = `sections.${sectionOf(later.definition, laterQuestion.id)}.questions.${laterQuestion.id}.trend_key`;
        const earlierQuestion = earlierByKey.get(trendKey);
        if (!earlierQuestion) {
          problems.push({
            file: later.file,
            path: at,
            message: `trend_key '${trendKey}' is not a trend_key of ${earlier.file} (${earlier.definition.id}, phase ${earlierPhase}), the earlier questionnaire for ${shared.join(', ')}`,
          });
          continue;
        }
        const earlierName = `${earlier.file}'s question ${earlierQuestion.id}`;
        for (const message of tieProblems(earlierQuestion, laterQuestion, earlierName))
          problems.push({ file: later.file, path: at, message: `trend_key '${trendKey}': ${message}` });
      }
    }
  }
  return problems;
}
