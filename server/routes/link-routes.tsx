/** @jsxImportSource hono/jsx */
/**
 * Ways into the form: an invitation link (`/r/<token>`), swapped at once for a session cookie and
 * a redirect to a clean URL, so the token stays out of pages, history and Referer headers; and
 * the open registration of civil society organisations (`/open/<survey>`).
 */
import { Hono, type Context } from 'hono';
import { setCookie } from 'hono/cookie';
import { csrf } from 'hono/csrf';
import { pageLanguage, type AppEnv } from '../app-env.ts';
import { AppError } from '../errors.ts';
import { renderPage } from '../http/render-page.ts';
import { SESSION_COOKIE } from '../http/respondent-cookie.ts';
import { registrationForm, surveyParam, tokenParam } from '../http/respondent-input.ts';
import { noStore } from '../http/security.ts';
import { valid } from '../http/validate.ts';
import { RegisterPage, registrationErrors, registrationSurvey, YourLinkPage } from '../pages/registration-pages.tsx';
import { t } from '../pages/ui-text.ts';
import { invitationLink } from '../respondents/import-invitees.ts';
import { registerOrganisation, registrationProblems, type RegistrationForm } from '../registration/open-registration.ts';
import { findInvitationByTokenHash, markInvitationOpened } from '../respondents/respondents.queries.ts';
import { hashToken } from '../respondents/tokens.ts';
import { startResponse } from '../responses/response-service.ts';
import { surveyWindow } from '../responses/survey-window.ts';
import { createSession } from '../sessions/sessions.queries.ts';
import { getCurrentSurveyVersion, type SurveyVersion } from '../surveys/survey-versions.queries.ts';

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

/** The questionnaire open for registration now: 404 if it is none, 409 outside its dates. */
async function openSurvey(c: Context<AppEnv>, surveyId: string): Promise<SurveyVersion> {
  const version = await getCurrentSurveyVersion(c.get('deps').db, surveyId);
  if (!version?.definition.open_registration) throw new AppError('not_found', 'This questionnaire is not open for registration.');
  const d = version.definition;
  const window = surveyWindow(d, c.get('deps').now());
  if (window !== 'open')
    throw new AppError('closed', window === 'closed' ? `This questionnaire closed on ${d.closes}.` : `This questionnaire opens on ${d.opens}.`);
  return version;
}

export function linkRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/r/:token', noStore, valid('param', tokenParam), async (c) => {
    const { db, now } = c.get('deps');
    const invitation = await findInvitationByTokenHash(db, hashToken(c.req.valid('param').token));
    if (!invitation || invitation.revokedAt) throw new AppError('invalid_link', 'This link is not valid.');
    await startResponse(db, invitation.respondent, pageLanguage(c.get('language')));
    await markInvitationOpened(db, invitation.invitationId, now());
    await beginSession(c, invitation.respondentId);
    return c.redirect('/form', 303);
  });

  app.get('/open/:surveyId', noStore, valid('param', surveyParam), async (c) => {
    const language = pageLanguage(c.get('language'));
    const version = await openSurvey(c, c.req.valid('param').surveyId);
    return renderPage(c, <RegisterPage {...registrationSurvey(version, language)} values={{ name: '', country: '', org_type: '', email: '' }} errors={{}} />);
  });

  // No session exists yet, so the form is protected by the Origin check instead of a token. Behind
  // an https proxy the request's own URL is the proxy's upstream (http://…), so the public address's
  // origin is accepted too, for browsers that send Origin but no Sec-Fetch-Site.
  const sameSite = csrf({ origin: (origin, c) => origin === new URL(c.req.url).origin || origin === new URL(c.get('deps').publicUrl).origin });
  app.post('/open/:surveyId', noStore, sameSite, valid('param', surveyParam), valid('form', registrationForm), async (c) => {
    const language = pageLanguage(c.get('language'));
    const version = await openSurvey(c, c.req.valid('param').surveyId);
    const values: RegistrationForm = c.req.valid('form');
    const problems = registrationProblems(values);
    if (Object.keys(problems).length)
      return renderPage(c, <RegisterPage {...registrationSurvey(version, language)} values={values} errors={registrationErrors(problems, language)} />, 422);
    const { db, now, publicUrl, tokenKeyring } = c.get('deps');
    const registered = await registerOrganisation(db, { version, values, language, now: now(), ...(tokenKeyring ? { tokenKeyring } : {}) });
    if (!registered.ok)
      return renderPage(
        c,
        <RegisterPage {...registrationSurvey(version, language)} values={values} errors={{}} notice={t(language, 'alreadyRegistered')} />,
        409,
      );
    await beginSession(c, registered.value.respondentId);
    return renderPage(c, <YourLinkPage language={language} link={invitationLink(publicUrl, registered.value.token)} />);
  });

  return app;
}
