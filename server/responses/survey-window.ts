/**
 * When a questionnaire accepts answers. Dates are whole days in UTC: a questionnaire that
 * closes on 2011-09-30 accepts answers until 23:59:59 UTC that day.
 */
import type { SurveyDefinition } from '../../survey-definitions/types.ts';

export type SurveyWindow = 'not_yet_open' | 'open' | 'closed';

const DAY_MS = 24 * 60 * 60 * 1000;

export function surveyWindow(definition: Pick<SurveyDefinition, 'opens' | 'closes'>, now: Date): SurveyWindow {
  if (now.getTime() < Date.parse(`${definition.opens}T00:00:00Z`)) return 'not_yet_open';
  if (now.getTime() >= Date.parse(`${definition.closes}T00:00:00Z`) + DAY_MS) return 'closed';
  return 'open';
}
