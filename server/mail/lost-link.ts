/**
 * "Lost your link?": the questionnaires a respondent may ask about (those open now), and the
 * request itself. The same link (never a new one: a government's link is shared by colleagues) is
 * e-mailed to the address the invitation went to, at most once an hour per respondent; nothing
 * tells the asker whether the address was known.
 */
import type { Kysely } from 'kysely';
import type { Language } from '../../survey-definitions/schema.ts';
import type { Database } from '../db/schema.ts';
import { surveyWindow } from '../responses/survey-window.ts';
import { listCurrentSurveyVersions } from '../surveys/survey-versions.queries.ts';
import { queueLostLink } from './mail.queries.ts';

/** A questionnaire offered on the page. */
export interface LostLinkSurvey {
  id: string;
  title: string;
  contactEmail: string | undefined;
}

/** The questionnaires open at `now`, titled in `language`. */
export async function lostLinkSurveys(db: Kysely<Database>, language: Language, now: Date): Promise<LostLinkSurvey[]> {
  return (await listCurrentSurveyVersions(db))
    .filter((v) => surveyWindow(v.definition, now) === 'open')
    .map((v) => ({ id: v.surveyId, title: v.definition.title[language], contactEmail: v.definition.contact_email }));
}

/** The UTC hour, `YYYY-MM-DDTHH`: one lost-link message per respondent in each. */
function hourKey(now: Date): string {
  return now.toISOString().slice(0, 13);
}

/**
 * Queues the message for the respondents invited at `email` to one of the `open` questionnaires;
 * a questionnaire not among them, or an address longer than any stored, queues nothing.
 */
export async function requestLostLink(db: Kysely<Database>, input: { open: LostLinkSurvey[]; surveyId: string; email: string; now: Date }): Promise<void> {
  if (input.email.length <= 300 && input.open.some((s) => s.id === input.surveyId)) {
    await queueLostLink(db, { surveyId: input.surveyId, email: input.email, period: hourKey(input.now) });
  }
}
