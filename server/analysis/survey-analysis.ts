/**
 * The Assessment Team's figures for one survey: runs the counting queries (all versions of the
 * survey together, labelled from its current version) and assembles one result per question with
 * the pure functions of `question-results.ts`. Exact figures, for admins and analysts only:
 * observers read releases (live-access.ts).
 */
import type { Kysely } from 'kysely';
import type { AnalysisFilters, SurveyAnalysis } from '../../analysis/results.ts';
import { allQuestions, type Question } from '../../survey-definitions/types.ts';
import type { Database, UserRole } from '../db/schema.ts';
import { countAnsweredByQuestion, countAnswersByCode, countHiddenByQuestion, countNumericValues, countRanks, countResponses } from './analysis.queries.ts';
import { loadCurrentDefinition } from './current-definition.ts';
import { questionResult, type QuestionFigures } from './question-results.ts';
import { listAnalysisTexts, type AnalysisText } from './text-answers.queries.ts';
import { assertLiveViewer } from './live-access.ts';

export { compareGroups, compareSharedQuestions } from './group-comparisons.ts';

/** Who is looking: an admin or an analyst (an observer is refused). */
export interface AnalysisViewer {
  role: UserRole;
  /** The time written in `generatedAt` (default: now). */
  now?: Date;
  /** Most free-text answers listed per question (default 500). */
  textLimit?: number;
}

/** The filters as applied: status made explicit, empty lists dropped. */
export function normalizeFilters(filters: AnalysisFilters): AnalysisFilters {
  return {
    ...(filters.kind?.length ? { kind: [...filters.kind] } : {}),
    ...(filters.region?.length ? { region: [...filters.region] } : {}),
    ...(filters.role?.length ? { role: [...filters.role] } : {}),
    status: filters.status ?? 'submitted',
  };
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const list = map.get(key(row));
    if (list) list.push(row);
    else map.set(key(row), [row]);
  }
  return map;
}

const idsOf = (questions: Question[], types: readonly Question['type'][]) => questions.filter((q) => types.includes(q.type)).map((q) => q.id);

/**
 * Every question's result for the responses that match `filters` (submitted only unless
 * `status: 'all'`; excluded responses never count). Throws `not_found` for an unknown survey.
 *
 * @example
 * const analysis = await analyzeSurvey(db, 'government-assessment', { kind: ['government'], region: ['Africa'] }, { role: 'analyst' });
 */
export async function analyzeSurvey(db: Kysely<Database>, surveyId: string, filters: AnalysisFilters, viewer: AnalysisViewer): Promise<SurveyAnalysis> {
  assertLiveViewer(viewer.role);
  const definition = await loadCurrentDefinition(db, surveyId);
  const questions = allQuestions(definition);
  const [totals, answered, hidden, codes, values, ranks] = await Promise.all([
    countResponses(db, surveyId, filters),
    countAnsweredByQuestion(db, surveyId, filters),
    countHiddenByQuestion(db, surveyId, filters),
    countAnswersByCode(db, surveyId, filters),
    countNumericValues(db, surveyId, filters, idsOf(questions, ['numeric'])),
    countRanks(db, surveyId, filters, idsOf(questions, ['ranking'])),
  ]);
  const texts = new Map<string, AnalysisText[]>();
  for (const id of idsOf(questions, ['short_text', 'long_text'])) {
    texts.set(id, await listAnalysisTexts(db, surveyId, filters, id, { limit: viewer.textLimit ?? 500 }));
  }

  const answeredBy = new Map(answered.map((a) => [a.questionId, a]));
  const hiddenBy = new Map(hidden.map((h) => [h.questionId, h.responses]));
  const codesBy = groupBy(codes, (c) => c.questionId);
  const valuesBy = groupBy(values, (v) => v.questionId);
  const ranksBy = groupBy(ranks, (r) => r.questionId);
  const results = questions.map((q) => {
    const figures: QuestionFigures = {
      covered: totals.responses,
      answered: answeredBy.get(q.id)?.respondents ?? 0,
      substantive: answeredBy.get(q.id)?.substantive ?? 0,
      hidden: hiddenBy.get(q.id) ?? 0,
      codes: codesBy.get(q.id) ?? [],
      values: valuesBy.get(q.id) ?? [],
      ranks: ranksBy.get(q.id) ?? [],
      texts: texts.get(q.id) ?? [],
    };
    return questionResult(q, figures);
  });

  return {
    surveyId,
    title: definition.title.en,
    filters: normalizeFilters(filters),
    responses: totals.responses,
    excluded: totals.excluded,
    generatedAt: (viewer.now ?? new Date()).toISOString(),
    questions: results,
  };
}
