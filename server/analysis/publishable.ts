/**
 * Which questions may ever enter a published figure: none that identifies its respondent (a
 * government's country, its roles, its contribution; `identifying: true` in the questionnaire) and
 * no country question. Releases tabulate only these; the live figures, for the Assessment Team,
 * show every question.
 */
import type { Question } from '../../survey-definitions/types.ts';

export function publishable(question: Question): boolean {
  return !question.identifying && question.type !== 'country';
}
