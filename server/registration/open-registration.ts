/**
 * The open registration form of civil society organisations (`/open/<survey>`): which of its
 * values are acceptable, and the registration itself (the respondent, its link, the e-mail with
 * it, the response opened and the questions the registration answers).
 */
import type { Kysely } from 'kysely';
import { findCountry } from '../../survey-definitions/countries.ts';
import type { Language } from '../../survey-definitions/schema.ts';
import type { Database } from '../db/schema.ts';
import { ok, refuse, type Outcome, type Refusal } from '../errors.ts';
import { queueInvitations } from '../mail/mail.queries.ts';
import { saveAnswers, startResponse } from '../responses/response-service.ts';
import type { SurveyVersion } from '../surveys/survey-versions.queries.ts';
import { registerOpenRespondent } from '../respondents/import-invitees.ts';
import { ORG_TYPES } from '../respondents/invitee-csv.ts';
import type { TokenKeyring } from '../respondents/sealed-tokens.ts';
import { registrationAnswers } from '../respondents/registration-questions.ts';

/** The registration form's values, as typed (name and e-mail trimmed). */
export interface RegistrationForm {
  name: string;
  country: string;
  org_type: string;
  email: string;
}

/** What is wrong with a field: left empty (or not one of the choices), or not an e-mail address. */
export type RegistrationProblem = 'required' | 'invalid_email';

/** The problem of each field that has one; none when the form can be registered. */
export function registrationProblems(values: RegistrationForm): Partial<Record<keyof RegistrationForm, RegistrationProblem>> {
  const problems: Partial<Record<keyof RegistrationForm, RegistrationProblem>> = {};
  if (!values.name) problems.name = 'required';
  if (!findCountry(values.country)) problems.country = 'required';
  if (!(ORG_TYPES as readonly string[]).includes(values.org_type)) problems.org_type = 'required';
  if (values.email && !/^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(values.email)) problems.email = 'invalid_email';
  return problems;
}

/** A new registration: the respondent and its link's token (to be shown once). */
export interface Registration {
  respondentId: number;
  token: string;
}

/**
 * Registers an organisation whose form has no problem: the respondent and its link, and (when an
 * address was given) the e-mail with the link, in the registration's language, all or nothing.
 * Then opens its response, with the questions on type and country answered by the registration.
 * Refuses with `conflict` an organisation already registered for the questionnaire.
 */
export async function registerOrganisation(
  db: Kysely<Database>,
  input: { version: SurveyVersion; values: RegistrationForm; language: Language; now: Date; tokenKeyring?: TokenKeyring },
): Promise<Outcome<Registration, Refusal<'conflict'>>> {
  const { version, values, language } = input;
  const registered = await db.transaction().execute(async (trx) => {
    const result = await registerOpenRespondent(trx, {
      surveyId: version.surveyId,
      name: values.name,
      country: values.country,
      orgType: values.org_type,
      email: values.email || null,
      language,
      ...(input.tokenKeyring ? { tokenKeyring: input.tokenKeyring } : {}),
    });
    if (result.ok && values.email)
      await queueInvitations(trx, { surveyId: version.surveyId, actor: 'open_registration', respondentIds: [result.respondentId] });
    return result;
  });
  if (!registered.ok) return refuse('conflict', 'This organisation is already registered for this questionnaire.');
  await startResponse(db, { id: registered.respondentId, survey_id: version.surveyId }, language);
  // The questionnaire's own questions on type and country are answered by the registration (the save adds them).
  const answered = registrationAnswers(version.definition, {
    source: 'open_registration',
    org_type: values.org_type,
    country: findCountry(values.country)?.code ?? null,
  });
  if (Object.keys(answered).length) {
    await saveAnswers(db, { respondentId: registered.respondentId, baseRevision: 0, answers: {}, scope: [], language, now: input.now });
  }
  return ok({ respondentId: registered.respondentId, token: registered.token });
}
