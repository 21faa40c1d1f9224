/** @jsxImportSource hono/jsx */
/**
 * Ways into the form: an invitation link (`/r/<token>`), swapped at once for a session cookie and
 * a redirect to a clean URL, so the token stays out of pages, history and Referer headers; and
 * the open registration of civil society organisations (`/open/<survey>`).
 */
import { Hono, type Context } from 'hono';
import { setCookie } from 'hono/cookie';
import { csrf } from 'hono/csrf';
import { countriesByName, findCountry } from '../../survey-definitions/countries.ts';
import type { Language } from '../../survey-definitions/schema.ts';
import { pageLanguage, type AppEnv } from '../app-env.ts';
import { AppError } from '../errors.ts';
import { renderPage } from '../http/render-page.ts';
import { noStore } from '../http/security.ts';
import { Layout } from '../pages/layout.tsx';
import { t } from '../pages/ui-text.ts';
import { queueInvitations } from '../mail/mail.queries.ts';
import { invitationLink, registerOpenRespondent } from '../respondents/import-invitees.ts';
import { ORG_TYPES } from '../respondents/invitee-csv.ts';
import { orgTypeChoices, registrationAnswers } from '../respondents/registration-questions.ts';
import { findInvitationByTokenHash, markInvitationOpened } from '../respondents/respondents.queries.ts';
import { hashToken } from '../respondents/tokens.ts';
import { saveAnswers, startResponse } from '../responses/response-service.ts';
import { surveyWindow } from '../responses/survey-window.ts';
import { createSession } from '../sessions/sessions.queries.ts';
import { getCurrentSurveyVersion } from '../surveys/survey-versions.queries.ts';
import { SESSION_COOKIE } from '../http/respondent-cookie.ts';


async function beginSession(c: Context<AppEnv>, respondentId: number) {
  const { db, now, sessionDays, publicUrl } = c.get('deps');
  const session = await createSession(db, respondentId, now(), sessionDays);
  setCookie(c, SESSION_COOKIE, session.cookieValue, {
    httpOnly: true,
    // Lax, not Strict: the cookie must come along when the link is opened from an e-mail.
    sameSite: 'Lax',
    secure: publicUrl.startsWith('https:'),
    path: '/',
    maxAge: sessionDays * 86_400,
  });
}

interface RegisterForm {
  name: string;
  country: string;
  org_type: string;
  email: string;
}

function RegisterPage({
  language,
  surveyTitle,
  surveyId,
  values,
  errors,
  notice,
  orgTypes,
}: {
  language: Language;
  surveyTitle: string;
  surveyId: string;
  /** The organisation types offered, in the questionnaire's words. */
  orgTypes: { code: string; label: string }[];
  values: RegisterForm;
  errors: Partial<Record<keyof RegisterForm, string>>;
  /** Why nothing was stored, when no single field is at fault. */
  notice?: string;
}) {
  const field = (name: keyof RegisterForm) => ({ id: `reg-${name}`, name, 'aria-describedby': errors[name] ? `reg-${name}-error` : undefined, 'aria-invalid': errors[name] ? 'true' : undefined });
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
          <label for="reg-name" class="qlabel">{t(language, 'orgName')}</label>
          {error('name')}
          <input type="text" {...field('name')} value={values.name} maxlength={300} required autocomplete="organization" class="wide" />
        </div>
        <div class="question">
          <label for="reg-country" class="qlabel">{t(language, 'orgCountry')}</label>
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
          <label for="reg-org_type" class="qlabel">{t(language, 'orgType')}</label>
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
          <label for="reg-email" class="qlabel">{t(language, 'orgEmail')}</label>
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

function YourLinkPage({ language, link, surveyTitle }: { language: Language; link: string; surveyTitle: string }) {
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

export function linkRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/r/:token', noStore, async (c) => {
    const { db, now } = c.get('deps');
    const invitation = await findInvitationByTokenHash(db, hashToken(c.req.param('token')));
    if (!invitation || invitation.revokedAt) throw new AppError('invalid_link', 'This link is not valid.');
    await startResponse(db, invitation.respondent, pageLanguage(c.get('language')));
    await markInvitationOpened(db, invitation.invitationId, now());
    await beginSession(c, invitation.respondentId);
    return c.redirect('/form', 303);
  });

  app.get('/open/:surveyId', noStore, async (c) => {
    const language = pageLanguage(c.get('language'));
    const version = await openSurvey(c);
    return renderPage(c, <RegisterPage language={language} surveyId={version.surveyId} surveyTitle={version.definition.title[language]} orgTypes={orgTypeChoices(version.definition, language)} values={{ name: '', country: '', org_type: '', email: '' }} errors={{}} />);
  });

  // No session exists yet, so the form is protected by the Origin check instead of a token. Behind
  // an https proxy the request's own URL is the proxy's upstream (http://…), so the public address's
  // origin is accepted too, for browsers that send Origin but no Sec-Fetch-Site.
  const sameSite = csrf({ origin: (origin, c) => origin === new URL(c.req.url).origin || origin === new URL(c.get('deps').publicUrl).origin });
  app.post('/open/:surveyId', noStore, sameSite, async (c) => {
    const language = pageLanguage(c.get('language'));
    const version = await openSurvey(c);
    const body = await c.req.parseBody();
    const values: RegisterForm = {
      name: String(body['name'] ?? '').trim(),
      country: String(body['country'] ?? ''),
      org_type: String(body['org_type'] ?? ''),
      email: String(body['email'] ?? '').trim(),
    };
    const errors: Partial<Record<keyof RegisterForm, string>> = {};
    if (!values.name) errors.name = t(language, 'fieldRequired');
    if (!findCountry(values.country)) errors.country = t(language, 'fieldRequired');
    if (!(ORG_TYPES as readonly string[]).includes(values.org_type)) errors.org_type = t(language, 'fieldRequired');
    if (values.email && !/^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(values.email)) errors.email = t(language, 'fieldInvalidEmail');
    const title = version.definition.title[language];
    if (Object.keys(errors).length) return renderPage(c, <RegisterPage language={language} surveyId={version.surveyId} surveyTitle={title} orgTypes={orgTypeChoices(version.definition, language)} values={values} errors={errors} />, 422);
    const { db, publicUrl, tokenKeyring } = c.get('deps');
    const registered = await db.transaction().execute(async (trx) => {
      const result = await registerOpenRespondent(trx, {
        surveyId: version.surveyId,
        name: values.name,
        country: values.country,
        orgType: values.org_type,
        email: values.email || null,
        language,
        ...(tokenKeyring ? { tokenKeyring } : {}),
      });
      // The personal link is e-mailed too (when an address was given), in the registration's language.
      if (result.ok && values.email) await queueInvitations(trx, { surveyId: version.surveyId, actor: 'open_registration', respondentIds: [result.respondentId] });
      return result;
    });
    if (!registered.ok) {
      return renderPage(c, <RegisterPage language={language} surveyId={version.surveyId} surveyTitle={title} orgTypes={orgTypeChoices(version.definition, language)} values={values} errors={{}} notice={t(language, 'alreadyRegistered')} />, 409);
    }
    await startResponse(db, { id: registered.respondentId, survey_id: version.surveyId }, language);
    // The questionnaire's own questions on type and country are answered by the registration.
    const answered = registrationAnswers(version.definition, { source: 'open_registration', org_type: values.org_type, country: findCountry(values.country)?.code ?? null });
    if (Object.keys(answered).length) {
      await saveAnswers(db, { respondentId: registered.respondentId, baseRevision: 0, answers: {}, scope: [], language, now: c.get('deps').now() });
    }
    await beginSession(c, registered.respondentId);
    return renderPage(c, <YourLinkPage language={language} link={invitationLink(publicUrl, registered.token)} surveyTitle={title} />);
  });

  return app;
}

async function openSurvey(c: Context<AppEnv>) {
  const version = await getCurrentSurveyVersion(c.get('deps').db, c.req.param('surveyId') ?? '');
  if (!version || !version.definition.open_registration) throw new AppError('not_found', 'This questionnaire is not open for registration.');
  const d = version.definition;
  const window = surveyWindow(d, c.get('deps').now());
  if (window !== 'open') throw new AppError('closed', window === 'closed' ? `This questionnaire closed on ${d.closes}.` : `This questionnaire opens on ${d.opens}.`);
  return version;
}
