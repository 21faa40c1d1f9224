/**
 * A question's number, derived once from its definition, so that the form, the dashboard, the
 * report, the comparisons page and the export's codebook all call it the same.
 */
import { allQuestions, type SurveyDefinition } from './types.ts';

/**
 * Every question's number, by question id: 1, 2, 3… in the order respondents meet the questions.
 *
 * How things count:
 * - sections do not restart the count (the numbers run through the whole questionnaire), and a
 *   section's title and introduction are not numbered;
 * - a matrix is one question, its rows are not numbered; a multiple choice or ranking likewise;
 * - every question counts, whoever is shown it: skip logic does not renumber, and a page that
 *   leaves a question out (the dashboard a country question, the report free text) leaves a gap
 *   rather than renumbering, so the number a reader sees is always the one in the form;
 * - a question of an older version that the current one dropped has no number (the map has no
 *   entry): callers show it without one.
 *
 * @example
 * questionNumbers(definition).get('g_prep_quality'); // 6 (the sixth question of the government questionnaire)
 */
export function questionNumbers(definition: SurveyDefinition): Map<string, number> {
  return new Map(allQuestions(definition).map((question, index) => [question.id, index + 1]));
}

/**
 * A question's heading: its number, a full stop and its text; the text alone without a number.
 *
 * @example
 * numberedQuestion(6, 'How would you rate…?'); // '6. How would you rate…?'
 */
export function numberedQuestion(number: number | undefined, text: string): string {
  return number === undefined ? text : `${number}. ${text}`;
}

/**
 * The number of the question carrying a `shared_key` (asked of both governments and civil society
 * in the same form), in one questionnaire; undefined when it has none.
 *
 * @example
 * sharedQuestionNumber(civilSociety, 'prep_quality'); // 4: its number in the civil society form
 */
export function sharedQuestionNumber(definition: SurveyDefinition, sharedKey: string): number | undefined {
  const question = allQuestions(definition).find((q) => q.shared_key === sharedKey);
  return question ? questionNumbers(definition).get(question.id) : undefined;
}
