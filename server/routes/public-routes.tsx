/** @jsxImportSource hono/jsx */
/**
 * Pages anyone may open: the list of questionnaires, and a preview of each (nothing stored),
 * plus the health check.
 */
import { Hono, type Context } from 'hono';
import { sql } from 'kysely';
import type { z } from 'zod';
import type { Language } from '../../survey-definitions/schema.ts';
import { validateAnswers } from '../../survey-definitions/validate-answers.ts';
import { pageLanguage, type AppEnv } from '../app-env.ts';
import { AppError } from '../errors.ts';
import { renderPage } from '../http/render-page.ts';
import { NO_SUCH_SECTION, pageAction, postedFields, previewSectionParam, surveyParam } from '../http/respondent-input.ts';
import { valid } from '../http/validate.ts';
import { answersFromForm, type FormFields } from '../pages/form-data.ts';
import { errorSummary, sectionQuestionViews, sectionSummaries, windowNote } from '../pages/form-models.ts';
import { OverviewPage, SectionPage, type FormContext } from '../pages/form-pages.tsx';
import { HomePage } from '../pages/home-page.tsx';
import { surveyWindow } from '../responses/survey-window.ts';
import { getCurrentSurveyVersion, listCurrentSurveyVersions, type SurveyVersion } from '../surveys/survey-versions.queries.ts';

async function previewVersion(c: Context<AppEnv>, surveyId: string): Promise<SurveyVersion> {
  const version = await getCurrentSurveyVersion(c.get('deps').db, surveyId);
  if (!version) throw new AppError('not_found', 'There is no such questionnaire.');
  return version;
}

function previewContext(version: SurveyVersion, language: Language, now: Date): FormContext {
  return {
    language,
    definition: version.definition,
    base: `/preview/${version.surveyId}`,
    preview: true,
    readOnly: false,
    windowNote: windowNote(version.definition, surveyWindow(version.definition, now), language),
  };
}

export function publicRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/', async (c) => {
    const { db, now } = c.get('deps');
    return renderPage(c, <HomePage language={pageLanguage(c.get('language'))} surveys={await listCurrentSurveyVersions(db)} now={now()} />);
  });

  app.get('/healthz', async (c) => {
    const { db, databaseKind } = c.get('deps');
    await sql`select 1`.execute(db);
    return c.json({ status: 'ok', database: databaseKind });
  });

  app.get('/preview/:surveyId', valid('param', surveyParam), async (c) => {
    const version = await previewVersion(c, c.req.valid('param').surveyId);
    const language = pageLanguage(c.get('language'));
    const sections = sectionSummaries(version.definition, {}, language);
    return renderPage(
      c,
      <OverviewPage
        {...previewContext(version, language, c.get('deps').now())}
        sections={sections}
        statusLine=""
        unsubmittedChanges={false}
        submitted={false}
        resumeAt={0}
      />,
    );
  });

  const previewSection = async (c: Context<AppEnv>, address: z.output<typeof previewSectionParam>, fields: FormFields | undefined) => {
    const version = await previewVersion(c, address.surveyId);
    const language = pageLanguage(c.get('language'));
    const definition = version.definition;
    const n = address.n;
    if (n > definition.sections.length) throw new AppError(NO_SUCH_SECTION.code, NO_SUCH_SECTION.message);
    const index = n - 1;
    const form = fields ? answersFromForm(definition.sections[index]!.questions, fields, language) : undefined;
    const posted = form?.answers ?? {};
    // A number awaiting confirmation is reported once, by the form, with its readings.
    const problems = form
      ? [...form.problems, ...validateAnswers(definition, posted, 'draft').problems.filter((p) => !form.problems.some((f) => f.question === p.question))]
      : [];
    if (fields && !problems.length) {
      const next = pageAction(fields) === 'previous' ? index - 1 : index + 1;
      return c.redirect(
        next >= definition.sections.length ? `/preview/${version.surveyId}` : `/preview/${version.surveyId}/section/${Math.max(next, 0) + 1}`,
        303,
      );
    }
    return renderPage(
      c,
      <SectionPage
        {...previewContext(version, language, c.get('deps').now())}
        index={index}
        sections={sectionSummaries(definition, posted, language)}
        section={definition.sections[index]!}
        questions={sectionQuestionViews(definition, index, posted, problems, language)}
        answers={posted}
        revision={0}
        errorSummary={errorSummary(definition, problems, language)}
      />,
      problems.length ? 422 : 200,
    );
  };

  app.get('/preview/:surveyId/section/:n', valid('param', previewSectionParam, NO_SUCH_SECTION), (c) => previewSection(c, c.req.valid('param'), undefined));
  app.post('/preview/:surveyId/section/:n', valid('param', previewSectionParam, NO_SUCH_SECTION), valid('form', postedFields), (c) =>
    previewSection(c, c.req.valid('param'), c.req.valid('form')),
  );

  return app;
}
