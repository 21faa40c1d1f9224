/**
 * What a new version of a questionnaire changes, by question id, for the preview before it is
 * published. Pure.
 */
import type { QuestionType } from '../../survey-definitions/schema.ts';
import { allQuestions, type SurveyDefinition } from '../../survey-definitions/types.ts';

export interface QuestionChanges {
  /** In the new version only, in its order. */
  added: { id: string; type: QuestionType }[];
  /** In the current version only, in its order. */
  removed: { id: string; type: QuestionType }[];
  /** In both, with another type. */
  retyped: { id: string; from: QuestionType; to: QuestionType }[];
  /** In both with the same type (texts and options may still differ). */
  kept: number;
}

/**
 * Compares the question ids of two versions. Without a current version (a new questionnaire)
 * every question is added.
 *
 * @example diffQuestions(v1, v2) // { added: [{ id: 'q_new', type: 'yes_no' }], removed: [], retyped: [], kept: 12 }
 */
export function diffQuestions(current: SurveyDefinition | undefined, next: SurveyDefinition): QuestionChanges {
  const before = new Map((current ? allQuestions(current) : []).map((q) => [q.id, q.type]));
  const after = new Map(allQuestions(next).map((q) => [q.id, q.type]));
  const changes: QuestionChanges = { added: [], removed: [], retyped: [], kept: 0 };
  for (const [id, type] of after) {
    const was = before.get(id);
    if (was === undefined) changes.added.push({ id, type });
    else if (was !== type) changes.retyped.push({ id, from: was, to: type });
    else changes.kept += 1;
  }
  for (const [id, type] of before) if (!after.has(id)) changes.removed.push({ id, type });
  return changes;
}
