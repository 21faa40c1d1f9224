/** @jsxImportSource hono/jsx */
/**
 * "Lost your link?" (`/lost-link`): the form asking for the questionnaire and the address the
 * invitation went to, the same confirmation whether or not the address is known, and the
 * questionnaires' contact addresses.
 */
import type { Language } from '../../survey-definitions/schema.ts';
import type { LostLinkSurvey } from '../mail/lost-link.ts';
import { Notice } from './admin/admin-parts.tsx';
import { Layout } from './layout.tsx';
import { t } from './ui-text.ts';

/** The form, with the confirmation on top once it was sent. */
export function LostLinkPage({ language, surveys, sent }: { language: Language; surveys: LostLinkSurvey[]; sent: boolean }) {
  const contacts = surveys.filter((s) => s.contactEmail);
  return (
    <Layout title={t(language, 'lostLinkTitle')} language={language} path="/lost-link">
      <h1>{t(language, 'lostLinkTitle')}</h1>
      {sent ? <Notice>{t(language, 'lostLinkSent')}</Notice> : null}
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
