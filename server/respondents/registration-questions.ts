/**
 * What open registration and the questionnaire both ask: the organisation's type and country.
 * The questionnaire marks its questions on them with `registration`; the registration page shows
 * the types in that question's words, and an organisation that registered finds those questions
 * answered with what it registered, read-only.
 */
import type { Answers } from '../../survey-definitions/answers.ts';
import type { Language } from '../../survey-definitions/schema.ts';
import type { Question, SurveyDefinition } from '../../survey-definitions/types.ts';
import type { RespondentRow } from '../db/schema.ts';
import { ORG_TYPE_ANSWERS, ORG_TYPES, type OrgType } from './invitee-csv.ts';
import { orgTypeLabel } from './respondent-labels.ts';

/** The question a registration field answers, if the questionnaire asks it. */
export function registrationQuestion(definition: SurveyDefinition, field: 'org_type' | 'country'): Question | undefined {
  const question = definition.sections.flatMap((s) => s.questions).find((q) => q.registration === field);
  if (field === 'org_type') return question?.type === 'single_choice' ? question : undefined;
  return question?.type === 'country' ? question : undefined;
}

/**
 * The organisation types the registration page offers, each with the label the questionnaire's
 * own question gives it in `language` (the English label of the stored code where the
 * questionnaire has no such question or option).
 */
export function orgTypeChoices(definition: SurveyDefinition, language: Language): { code: OrgType; label: string }[] {
  const question = registrationQuestion(definition, 'org_type');
  const options = question && 'options' in question ? question.options : [];
  return ORG_TYPES.map((code) => ({ code, label: options.find((o) => o.code === ORG_TYPE_ANSWERS[code])?.label[language] ?? orgTypeLabel(code) }));
}

/**
 * The answers an organisation gave by registering, keyed by the questions that ask them again;
 * empty for a respondent that did not register itself.
 */
export function registrationAnswers(definition: SurveyDefinition, respondent: Pick<RespondentRow, 'source' | 'org_type' | 'country'>): Answers {
  if (respondent.source !== 'open_registration') return {};
  const answers: Answers = {};
  const orgType = registrationQuestion(definition, 'org_type');
  const code =
    respondent.org_type && (ORG_TYPES as readonly string[]).includes(respondent.org_type) ? ORG_TYPE_ANSWERS[respondent.org_type as OrgType] : undefined;
  if (orgType && 'options' in orgType && code && orgType.options.some((o) => o.code === code)) answers[orgType.id] = code;
  const country = registrationQuestion(definition, 'country');
  if (country && respondent.country) answers[country.id] = respondent.country;
  return answers;
}
