/** @jsxImportSource hono/jsx */
/**
 * "Lost your link?" (`/lost-link`): a respondent gives the address the invitation went to, and the
 * same link (never a new one: a government's link is shared by colleagues) is e-mailed to that
 * address only. The answer is the same whether the address is known or not, requests are limited
 * per client address, and each respondent gets at most one such message an hour.
 */
import { Hono } from 'hono';
import { csrf } from 'hono/csrf';
import { pageLanguage, type AppEnv } from '../app-env.ts';
import type { Language } from '../../survey-definitions/schema.ts';
import { renderPage } from '../http/render-page.ts';
import { noStore, tokenRateLimit } from '../http/security.ts';
import { queueLostLink } from '../mail/mail.queries.ts';
import { Layout } from '../pages/layout.tsx';
import { t } from '../pages/ui-text.ts';
import { surveyWindow } from '../responses/survey-window.ts';
import { listCurrentSurveyVersions } from '../surveys/survey-versions.queries.ts';

interface SurveyOption {
  id: string;
  title: string;
  contactEmail: string | undefined;
}

function LostLinkPage({ language, surveys, sent }: { language: Language; surveys: SurveyOption[]; sent: boolean }) {
  const contacts = surveys.filter((s) => s.contactEmail);
  return (
    <Layout title={t(language, 'lostLinkTitle')} language={language} path="/lost-link">
      <h1>{t(language, 'lostLinkTitle')}</h1>
      {sent ? (
        <p class="notice success" role="status">
          {t(language, 'lostLinkSent')}
        </p>
      ) : null}
      <p>{t(language, 'lostLinkIntro')}</p>
      <form method="post" action="/lost-link">
        <div class="form-row">
          <label for="lost-survey">{t(language, 'lostLinkSurvey')}</label>
          <select id="lost-survey" name="survey" required>
            {surveys.map((s) => (
              <option value={s.id}>{s.title}</option>
            ))}
          </select>
        </div>
        <div class="form-row">
          <label for="lost-email">{t(language, 'lostLinkEmail')}</label>
          <input type="email" id="lost-email" name="email" required maxlength={300} autocomplete="email" />
        </div>
        <p class="actions">
          <button type="submit" class="primary">
            {t(language, 'lostLinkSubmit')}
          </button>
        </p>
      </form>
      {contacts.length ? (
        <>
          <h2>{t(language, 'contacts')}</h2>
          <ul>
            {contacts.map((s) => (
              <li>
                {s.title}: <a href={`mailto:${s.contactEmail}`}>{s.contactEmail}</a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </Layout>
  );
}

/** The UTC hour, `YYYY-MM-DDTHH`: one lost-link message per respondent in each. */
function hourKey(now: Date): string {
  return now.toISOString().slice(0, 13);
}

export function lostLinkRoutes(limitPerMinute: number): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  const openSurveys = async (db: AppEnv['Variables']['deps']['db'], language: Language, now: Date): Promise<SurveyOption[]> =>
    (await listCurrentSurveyVersions(db))
      .filter((v) => surveyWindow(v.definition, now) === 'open')
      .map((v) => ({ id: v.surveyId, title: v.definition.title[language], contactEmail: v.definition.contact_email }));

  app.get('/lost-link', noStore, async (c) => {
    const language = pageLanguage(c.get('language'));
    const { db, now } = c.get('deps');
    return renderPage(c, <LostLinkPage language={language} surveys={await openSurveys(db, language, now())} sent={false} />);
  });

  // No session: protected like the open registration, by the Origin check, and limited per address.
  const sameSite = csrf({ origin: (origin, c) => origin === new URL(c.req.url).origin || origin === new URL(c.get('deps').publicUrl).origin });
  app.post('/lost-link', noStore, tokenRateLimit(limitPerMinute, { countEveryRequest: true }), sameSite, async (c) => {
    const language = pageLanguage(c.get('language'));
    const { db, now } = c.get('deps');
    const body = await c.req.parseBody();
    const surveyId = typeof body['survey'] === 'string' ? body['survey'] : '';
    const email = typeof body['email'] === 'string' ? body['email'].trim() : '';
    const surveys = await openSurveys(db, language, now());
    // Known address or not, the same page: the answer tells nobody who was invited.
    if (email.length <= 300 && surveys.some((s) => s.id === surveyId)) await queueLostLink(db, { surveyId, email, period: hourKey(now()) });
    return renderPage(c, <LostLinkPage language={language} surveys={surveys} sent={true} />);
  });

  return app;
}
