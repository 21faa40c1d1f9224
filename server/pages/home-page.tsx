/** @jsxImportSource hono/jsx */
/**
 * The home page anyone may open: the published questionnaires, each with its dates, the way in
 * (the open registration, or "by invitation") and a preview.
 */
import type { Language } from '../../survey-definitions/schema.ts';
import { surveyWindow } from '../responses/survey-window.ts';
import type { SurveyVersion } from '../surveys/survey-versions.queries.ts';
import { windowNote } from './form-models.ts';
import { Layout } from './layout.tsx';
import { t } from './ui-text.ts';

/** The list of questionnaires, as of `now`. */
export function HomePage({ language, surveys, now }: { language: Language; surveys: SurveyVersion[]; now: Date }) {
  return (
    <Layout title={`GFMD — ${t(language, 'home')}`} language={language} path="/">
      <h1>{t(language, 'home')}</h1>
      <ul class="survey-list">
        {surveys.map(({ surveyId, definition: d }) => (
          <li>
            <h2>{d.title[language]}</h2>
            {d.description ? <p>{d.description[language]}</p> : null}
            <p class="window">
              {t(language, 'opensCloses', { opens: d.opens, closes: d.closes })} · {windowNote(d, surveyWindow(d, now), language)}
            </p>
            <p class="actions">
              {d.open_registration && surveyWindow(d, now) === 'open' ? (
                <a class="button primary" href={`/open/${surveyId}`}>
                  {t(language, 'registerTitle')}
                </a>
              ) : (
                <span class="hint">{t(language, 'byInvitation')}</span>
              )}{' '}
              <a href={`/preview/${surveyId}`}>{t(language, 'preview').split(' — ')[0]}</a>
            </p>
          </li>
        ))}
      </ul>
    </Layout>
  );
}
