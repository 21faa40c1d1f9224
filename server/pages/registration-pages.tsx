/** @jsxImportSource hono/jsx */
/**
 * The open registration of civil society organisations (`/open/<survey>`): the form, shown again
 * with each field's problem, and the page that shows the personal link once it is made.
 */
import { countriesByName } from '../../survey-definitions/countries.ts';
import type { Language } from '../../survey-definitions/schema.ts';
import type { RegistrationForm, RegistrationProblem } from '../registration/open-registration.ts';
import { orgTypeChoices } from '../respondents/registration-questions.ts';
import type { SurveyVersion } from '../surveys/survey-versions.queries.ts';
import { Layout } from './layout.tsx';
import { t } from './ui-text.ts';

type RegisterForm = RegistrationForm;

/** The questionnaire's part of the registration page, in `language`: its id, title and organisation types. */
export function registrationSurvey(version: SurveyVersion, language: Language): Pick<RegisterPageProps, 'language' | 'surveyId' | 'surveyTitle' | 'orgTypes'> {
  return { language, surveyId: version.surveyId, surveyTitle: version.definition.title[language], orgTypes: orgTypeChoices(version.definition, language) };
}

const PROBLEM_TEXT: Record<RegistrationProblem, 'fieldRequired' | 'fieldInvalidEmail'> = { required: 'fieldRequired', invalid_email: 'fieldInvalidEmail' };

/** Each field's problem as the sentence shown under it. */
export function registrationErrors(problems: Partial<Record<keyof RegisterForm, RegistrationProblem>>, language: Language): RegisterPageProps['errors'] {
  const errors: RegisterPageProps['errors'] = {};
  for (const field of ['name', 'country', 'org_type', 'email'] as const) {
    const problem = problems[field];
    if (problem) errors[field] = t(language, PROBLEM_TEXT[problem]);
  }
  return errors;
}

export interface RegisterPageProps {
  language: Language;
  surveyTitle: string;
  surveyId: string;
  /** The organisation types offered, in the questionnaire's words. */
  orgTypes: { code: string; label: string }[];
  values: RegisterForm;
  /** Each field's problem, in the page's language. */
  errors: Partial<Record<keyof RegisterForm, string>>;
  /** Why nothing was stored, when no single field is at fault. */
  notice?: string;
}

/** The registration form. */
export function RegisterPage({ language, surveyTitle, surveyId, values, errors, notice, orgTypes }: RegisterPageProps) {
  const field = (name: keyof RegisterForm) => ({
    id: `reg-${name}`,
    name,
    'aria-describedby': errors[name] ? `reg-${name}-error` : undefined,
    'aria-invalid': errors[name] ? 'true' : undefined,
  });
  const error = (name: keyof RegisterForm) =>
    errors[name] ? (
      <p class="field-errors" id={`reg-${name}-error`}>
        {errors[name]}
      </p>
    ) : null;
  return (
    <Layout title={`${t(language, 'registerTitle')} — ${surveyTitle}`} language={language} path={`/open/${surveyId}`}>
      <h1>{t(language, 'registerTitle')}</h1>
      <p>{t(language, 'registerIntro')}</p>
      {notice ? (
        <p class="notice error-summary" role="alert" id="register-notice">
          {notice}
        </p>
      ) : null}
      <form method="post" action={`/open/${surveyId}`} class="register" novalidate>
        <div class="question">
          <label for="reg-name" class="qlabel">
            {t(language, 'orgName')}
          </label>
          {error('name')}
          <input type="text" {...field('name')} value={values.name} maxlength={300} required autocomplete="organization" class="wide" />
        </div>
        <div class="question">
          <label for="reg-country" class="qlabel">
            {t(language, 'orgCountry')}
          </label>
          {error('country')}
          <select {...field('country')} required>
            <option value="">{t(language, 'chooseCountry')}</option>
            {countriesByName('all', language).map((c) => (
              <option value={c.code} selected={values.country === c.code}>
                {c.names[language]}
              </option>
            ))}
          </select>
        </div>
        <div class="question">
          <label for="reg-org_type" class="qlabel">
            {t(language, 'orgType')}
          </label>
          {error('org_type')}
          <select {...field('org_type')} required>
            <option value="">—</option>
            {orgTypes.map((type) => (
              <option value={type.code} selected={values.org_type === type.code}>
                {type.label}
              </option>
            ))}
          </select>
        </div>
        <div class="question">
          <label for="reg-email" class="qlabel">
            {t(language, 'orgEmail')}
          </label>
          {error('email')}
          <input type="email" {...field('email')} value={values.email} maxlength={300} autocomplete="email" class="wide" />
        </div>
        <p class="actions">
          <button type="submit" class="primary">
            {t(language, 'register')}
          </button>
        </p>
      </form>
    </Layout>
  );
}

/** The personal link of a new registration, shown once (it is stored only as a hash). */
export function YourLinkPage({ language, link }: { language: Language; link: string }) {
  return (
    <Layout title={t(language, 'yourLinkTitle')} language={language}>
      <h1>{t(language, 'yourLinkTitle')}</h1>
      <p class="notice info">{t(language, 'yourLink')}</p>
      <p class="link-box">
        <code>{link}</code>
      </p>
      <p class="actions">
        <a class="button primary" href="/form">
          {t(language, 'start')}
        </a>
      </p>
    </Layout>
  );
}
