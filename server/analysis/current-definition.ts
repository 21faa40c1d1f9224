/**
 * The definition that labels a survey's analysis: its current version. Responses given under
 * earlier versions are counted with it, since question ids are stable across versions.
 */
import type { Kysely } from 'kysely';
import type { SurveyDefinition } from '../../survey-definitions/types.ts';
import type { Database } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { getCurrentSurveyVersion } from '../surveys/survey-versions.queries.ts';

/** The current definition of a survey; throws `not_found` if there is no such survey. */
export async function loadCurrentDefinition(db: Kysely<Database>, surveyId: string): Promise<SurveyDefinition> {
  const version = await getCurrentSurveyVersion(db, surveyId);
  if (!version) throw new AppError('not_found', `There is no questionnaire '${surveyId}'.`);
  return version.definition;
}
