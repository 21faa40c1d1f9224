/**
 * Comparisons for the dashboard: groups of one survey's respondents (by kind, region or role) on
 * its questions, and governments against civil society on the questions their two questionnaires
 * share (`shared_key`). Counting runs in SQL per group; the tests in `comparison-results.ts`.
 */
import type { Kysely } from 'kysely';
import type { AnalysisFilters, QuestionComparison, Segment } from '../../analysis/results.ts';
import { allQuestions, type Question, type SurveyDefinition } from '../../survey-definitions/types.ts';
import type { Database, UserRole } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { roleLabel } from '../respondents/respondent-labels.ts';
import { countAnsweredByQuestion, countAnswersByCode, countNumericValues, type AnsweredCount, type CodeCount, type ValueCount } from './analysis.queries.ts';
import { comparisonUnits, finishComparisons, type ComparisonUnit, type GroupAnswers } from './comparison-results.ts';
import { loadCurrentDefinition } from './current-definition.ts';
import { assertLiveViewer } from './live-access.ts';

export const KIND_PHRASES: Record<string, string> = {
  government: 'governments',
  civil_society: 'civil society',
  international_org: 'international organisations',
};
const NOT_COMPARED: readonly Question['type'][] = ['ranking', 'short_text', 'long_text'];
const OVERLAP_WARNING = 'Respondents with several roles count in each of their groups, so the groups overlap and the test is only a rough guide.';

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const join = (phrases: string[]) => (phrases.length <= 1 ? (phrases[0] ?? '') : `${phrases.slice(0, -1).join(', ')} and ${phrases.at(-1)}`);

/**
 * How a group is named: "Civil society" in a table, "civil society" in a sentence; regions as they
 * are; a GFMD role in the words of the questionnaire, quoted in a sentence.
 */
export function segmentLabel(segment: Segment, key: string): { label: string; phrase: string } {
  if (segment === 'region') return { label: key, phrase: key };
  if (segment === 'role') return { label: roleLabel(key), phrase: `“${roleLabel(key)}”` };
  const phrase = KIND_PHRASES[key] ?? key;
  return { label: capitalize(phrase), phrase };
}

/**
 * The filters for one side of a shared comparison: a kind filter keeps the listed kinds the
 * questionnaire is meant for, and is dropped when it lists none of them, so that `kind=government`
 * compares governments with (all of) civil society rather than with nobody.
 */
function sideFilters(definition: SurveyDefinition, filters: AnalysisFilters): AnalysisFilters {
  if (!filters.kind?.length) return filters;
  const { kind, ...rest } = filters;
  const kinds = kind.filter((k) => (definition.audience as string[]).includes(k));
  return kinds.length ? { ...rest, kind: kinds } : rest;
}

/** The kinds of respondent a questionnaire's figures rest on, e.g. "governments and international organisations". */
function audienceLabel(definition: SurveyDefinition, filters: AnalysisFilters): { label: string; phrase: string } {
  const phrase = join((filters.kind?.length ? filters.kind : definition.audience).map((k) => KIND_PHRASES[k] ?? k));
  return { label: capitalize(phrase), phrase };
}

/** One question's counts, out of rows that hold many questions (and maybe one segment). */
function answersOf(
  questionId: string,
  segment: string | null,
  rows: { codes: CodeCount[]; answered: AnsweredCount[]; values: ValueCount[] },
): Pick<GroupAnswers, 'codes' | 'substantive' | 'values'> {
  return {
    codes: rows.codes.filter((c) => c.questionId === questionId && c.segment === segment),
    substantive: rows.answered.find((a) => a.questionId === questionId && a.segment === segment)?.substantive ?? 0,
    values: rows.values.filter((v) => v.questionId === questionId && v.segment === segment),
  };
}

async function countsFor(db: Kysely<Database>, surveyId: string, filters: AnalysisFilters, questions: Question[], segment?: Segment) {
  const ids = questions.map((q) => q.id);
  const numeric = questions.filter((q) => q.type === 'numeric').map((q) => q.id);
  const [codes, answered, values] = await Promise.all([
    countAnswersByCode(db, surveyId, filters, segment, ids),
    countAnsweredByQuestion(db, surveyId, filters, segment, ids),
    countNumericValues(db, surveyId, filters, numeric, segment),
  ]);
  return { codes, answered, values };
}

function questionsToCompare(definition: SurveyDefinition, questionIds: readonly string[] | undefined): Question[] {
  const questions = allQuestions(definition);
  // A country question identifies its respondent and is what the region segment is made of: it is
  // compared only when asked for by id (as the dashboard leaves it out too).
  if (!questionIds?.length) return questions.filter((q) => !NOT_COMPARED.includes(q.type) && q.type !== 'country');
  return questionIds.map((id) => {
    const question = questions.find((q) => q.id === id);
    if (!question) throw new AppError('not_found', `The questionnaire '${definition.id}' has no question '${id}'.`);
    if (NOT_COMPARED.includes(question.type))
      throw new AppError('bad_request', `'${id}' is a ${question.type} question; those are not compared between groups.`);
    return question;
  });
}

/**
 * Compares the groups of a segment (every kind, region or role present, in alphabetical order) on
 * the given questions (all comparable ones when none are given): one comparison per question,
 * matrix row or multiple-choice option, Holm-adjusted across all of them. A group that did not
 * answer a question is left out of that question's comparison.
 *
 * @example
 * await compareGroups(db, 'government-assessment', ['g_support_unit'], 'region', {}, { role: 'analyst' });
 */
export async function compareGroups(
  db: Kysely<Database>,
  surveyId: string,
  questionIds: readonly string[] | undefined,
  segment: Segment,
  filters: AnalysisFilters,
  viewer: { role: UserRole },
): Promise<QuestionComparison[]> {
  assertLiveViewer(viewer.role);
  const definition = await loadCurrentDefinition(db, surveyId);
  const questions = questionsToCompare(definition, questionIds);
  const rows = await countsFor(db, surveyId, filters, questions, segment);
  const units = questions.flatMap((question) => {
    const keys = [...new Set(rows.answered.flatMap((a) => (a.questionId === question.id && a.segment !== null ? [a.segment] : [])))].sort();
    const groups = keys.map((key) => ({ key, ...segmentLabel(segment, key), ...answersOf(question.id, key, rows) }));
    const made = comparisonUnits(question, groups);
    if (segment === 'role') for (const unit of made) unit.warnings.push(OVERLAP_WARNING);
    return made;
  });
  const comparisons = finishComparisons(units);
  return comparisons;
}

/** Why two questions with the same shared key cannot be compared, if they cannot. */
function mismatch(a: Question, b: Question): string | undefined {
  if (a.type !== b.type) return `it is a ${a.type} question in one questionnaire and a ${b.type} question in the other.`;
  if ((a.type === 'scale' || a.type === 'matrix') && (b.type === 'scale' || b.type === 'matrix')) {
    const points = (q: typeof a) => JSON.stringify(q.scale.points.map((p) => [p.code, p.value]));
    if (points(a) !== points(b)) return 'the two questionnaires use different scales.';
  }
  return undefined;
}

/** The codes and rows both questions offer, and the codes only one does. */
function sharedLimits(a: Question, b: Question): { codes?: string[]; rows?: string[]; dropped: string[] } {
  if (a.type === 'matrix' && b.type === 'matrix') return { rows: a.rows.filter((r) => b.rows.some((s) => s.code === r.code)).map((r) => r.code), dropped: [] };
  if ((a.type === 'single_choice' || a.type === 'multi_choice') && (b.type === 'single_choice' || b.type === 'multi_choice')) {
    const inB = new Set(b.options.map((o) => o.code));
    const inA = new Set(a.options.map((o) => o.code));
    return { codes: [...inA].filter((c) => inB.has(c)), dropped: [...[...inA].filter((c) => !inB.has(c)), ...[...inB].filter((c) => !inA.has(c))] };
  }
  return { dropped: [] };
}

/**
 * Compares the respondents of two questionnaires (e.g. governments and civil society) on every
 * pair of questions with the same `shared_key`: only the matrix rows and options both offer, in
 * the order of questionnaire A, Holm-adjusted across all pairs. Region, role and status filters
 * apply to both sides; a kind filter to the side whose audience includes the kind.
 *
 * @example
 * await compareSharedQuestions(db, 'government-assessment', 'civil-society-survey', {}, { role: 'analyst' });
 */
export async function compareSharedQuestions(
  db: Kysely<Database>,
  surveyIdA: string,
  surveyIdB: string,
  filters: AnalysisFilters,
  viewer: { role: UserRole },
): Promise<QuestionComparison[]> {
  assertLiveViewer(viewer.role);
  const [definitionA, definitionB] = await Promise.all([loadCurrentDefinition(db, surveyIdA), loadCurrentDefinition(db, surveyIdB)]);
  const questionsB = allQuestions(definitionB);
  const pairs = allQuestions(definitionA).flatMap((a) => {
    const b = a.shared_key ? questionsB.find((q) => q.shared_key === a.shared_key) : undefined;
    return b ? [{ a, b }] : [];
  });
  const filtersA = sideFilters(definitionA, filters);
  const filtersB = sideFilters(definitionB, filters);
  const [rowsA, rowsB] = await Promise.all([
    countsFor(
      db,
      surveyIdA,
      filtersA,
      pairs.map((p) => p.a),
    ),
    countsFor(
      db,
      surveyIdB,
      filtersB,
      pairs.map((p) => p.b),
    ),
  ]);
  const sideA = { key: surveyIdA, ...audienceLabel(definitionA, filtersA) };
  const sideB = { key: surveyIdB, ...audienceLabel(definitionB, filtersB) };

  const units = pairs.flatMap(({ a, b }): ComparisonUnit[] => {
    const problem = mismatch(a, b);
    if (problem) {
      return [
        {
          questionId: a.id,
          text: a.text.en,
          ...(a.shared_key ? { sharedKey: a.shared_key } : {}),
          subject: a.text.en,
          measure: 'nominal',
          verb: 'answered',
          columns: [],
          showDistribution: true,
          groups: [sideA, sideB].map((side) => ({ ...side, counts: [] })),
          warnings: [],
          untestable: problem,
        },
      ];
    }
    const limits = sharedLimits(a, b);
    const made = comparisonUnits(
      a,
      [
        { ...sideA, ...answersOf(a.id, null, rowsA) },
        { ...sideB, ...answersOf(b.id, null, rowsB) },
      ],
      limits,
    );
    if (limits.dropped.length)
      for (const unit of made) unit.warnings.push(`Options asked in only one questionnaire are left out: ${limits.dropped.join(', ')}.`);
    return made;
  });
  const comparisons = finishComparisons(units);
  return comparisons;
}
