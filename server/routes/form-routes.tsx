/** @jsxImportSource hono/jsx */
/**
 * The respondent's form, reached through a session cookie (set when an invitation link is
 * opened): overview, one page per section, review, submit, receipt. Works without JavaScript;
 * `/autosave` serves the script that saves as people type.
 */
import { Hono, type Context } from 'hono';
import { questionOfKey, type Answers } from '../../survey-definitions/answers.ts';
import type { Language } from '../../survey-definitions/schema.ts';
import type { AnswerProblem } from '../../survey-definitions/validate-answers.ts';
import { hiddenQuestions } from '../../survey-definitions/visibility.ts';
import { pageLanguage, type AppEnv } from '../app-env.ts';
import { AppError } from '../errors.ts';
import { renderPage } from '../http/render-page.ts';
import { FORM_INCOMPLETE, NO_SUCH_SECTION, revisedFields, sectionNoticeQuery, sectionParam } from '../http/respondent-input.ts';
import { requireRespondentSession, sessionResponse, withSection } from '../http/respondent-session.ts';
import { csrfProtection, noStore } from '../http/security.ts';
import { valid } from '../http/validate.ts';
import { answersFromForm, type FormFields } from '../pages/form-data.ts';
import {
  answeredSections,
  changeViews,
  conditionAnswers,
  errorSummary,
  missingForSubmission,
  resumeSection,
  sectionQuestionViews,
  sectionSummaries,
  windowNote,
  withDefaults,
} from '../pages/form-models.ts';
import { OverviewPage, ReceiptPage, ReviewPage, SectionPage, MessagePage, type ChangeView, type FormContext } from '../pages/form-pages.tsx';
import { t } from '../pages/ui-text.ts';
import { findSubmission, findResponse } from '../responses/responses.queries.ts';
import { registrationAnswers } from '../respondents/registration-questions.ts';
import { trySaveAnswers, trySubmitResponse, type ResponseState, type SavedAnswers } from '../responses/response-service.ts';

const BASE = '/form';

/** The context of a form route, whatever its route adds to the app's variables. */
type FormCtx<E extends AppEnv = AppEnv> = Context<E>;

function formContext<E extends AppEnv>(c: FormCtx<E>, state: ResponseState, language: Language): FormContext {
  return {
    language,
    definition: state.version.definition,
    base: BASE,
    preview: false,
    respondentName: state.respondent.name,
    csrfToken: c.get('session')?.csrfToken,
    readOnly: state.window !== 'open',
    windowNote: windowNote(state.dates, state.window, language),
  };
}

interface SectionRender {
  answers: Answers;
  problems?: AnswerProblem[];
  notice?: 'saved' | 'new_questions';
  conflict?: ChangeView[];
  revision?: number;
}

function renderSection<E extends AppEnv>(
  c: FormCtx<E>,
  state: ResponseState,
  index: number,
  language: Language,
  view: SectionRender,
  status: 200 | 409 | 422 = 200,
) {
  const definition = state.version.definition;
  const problems = view.problems ?? [];
  // What the organisation registered is shown as its answer, whatever the page was given.
  const fixed = registrationAnswers(definition, state.respondent);
  const answers = { ...view.answers, ...fixed };
  return renderPage(
    c,
    <SectionPage
      {...formContext(c, state, language)}
      index={index}
      sections={sectionSummaries(definition, state.answers, language)}
      section={definition.sections[index]!}
      questions={sectionQuestionViews(definition, index, answers, problems, language).map((v) => (v.question.id in fixed ? { ...v, fixed: true } : v))}
      answers={answers}
      revision={view.revision ?? state.revision}
      errorSummary={errorSummary(definition, problems, language)}
      conditionAnswers={conditionAnswers(definition, index, state.answers)}
      notice={view.notice}
      conflict={view.conflict ? { changes: view.conflict } : undefined}
    />,
    status,
  );
}

type SectionSave = { saved: SavedAnswers; refused?: undefined } | { refused: SectionRender; status: 409 | 422 };

/** Saves the answers of one section page; returns either the saved answers or what to show instead. */
async function saveSection<E extends AppEnv>(
  c: FormCtx<E>,
  state: ResponseState,
  index: number,
  posted: { fields: FormFields; revision: number },
  language: Language,
): Promise<SectionSave> {
  const definition = state.version.definition;
  const questions = definition.sections[index]!.questions;
  const { answers, problems: formProblems } = answersFromForm(questions, posted.fields, language);
  // What the page shows if the save is refused: the saved answers with this page's entries on top.
  const shown: Answers = {
    ...Object.fromEntries(Object.entries(state.answers).filter(([k]) => !questions.some((q) => q.id === questionOfKey(k)))),
    ...answers,
  };
  if (formProblems.length) return { refused: { answers: shown, problems: formProblems }, status: 422 };
  const { db, now } = c.get('deps');
  const outcome = await trySaveAnswers(db, {
    respondentId: state.respondent.id,
    baseRevision: posted.revision,
    answers,
    scope: questions.map((q) => q.id),
    language,
    now: now(),
  });
  if (outcome.ok) return { saved: outcome.value };
  const { refusal } = outcome;
  switch (refusal.code) {
    case 'validation':
      return { refused: { answers: shown, problems: refusal.details }, status: 422 };
    case 'conflict':
      return {
        refused: { answers: shown, conflict: changeViews(definition, refusal.details.changes, language), revision: refusal.details.currentRevision },
        status: 409,
      };
    case 'closed':
      throw new AppError(refusal.code, refusal.message);
  }
}

export function formRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', noStore, requireRespondentSession);

  app.get('/', async (c) => {
    const state = await sessionResponse(c);
    const language = pageLanguage(c.get('language'));
    const definition = state.version.definition;
    const summaries = sectionSummaries(definition, state.answers, language);
    const statusLine =
      state.status === 'submitted' && state.submittedAt
        ? t(language, 'statusSubmitted', { time: state.submittedAt.toISOString().slice(0, 16).replace('T', ' ') })
        : state.status === 'in_progress'
          ? t(language, 'statusInProgress')
          : t(language, 'statusNotStarted');
    return renderPage(
      c,
      <OverviewPage
        {...formContext(c, state, language)}
        sections={summaries}
        statusLine={statusLine}
        unsubmittedChanges={state.unsubmittedChanges}
        submitted={state.submittedRevision !== null}
        resumeAt={resumeSection(summaries)}
      />,
    );
  });

  app.get('/section/:n', valid('param', sectionParam, NO_SUCH_SECTION), withSection, valid('query', sectionNoticeQuery), async (c) => {
    const state = c.get('state');
    const index = c.get('index');
    return renderSection(c, state, index, pageLanguage(c.get('language')), {
      answers: withDefaults(state.version.definition, index, state.answers, state.respondent.country),
      notice: c.req.valid('query').notice,
    });
  });

  app.post(
    '/section/:n',
    valid('param', sectionParam, NO_SUCH_SECTION),
    withSection,
    csrfProtection,
    valid('form', revisedFields, FORM_INCOMPLETE),
    async (c) => {
      const state = c.get('state');
      const index = c.get('index');
      const posted = c.req.valid('form');
      const language = pageLanguage(c.get('language'));
      const action = posted.action;
      const sections = state.version.definition.sections.length;
      const target = (i: number) => (i >= sections ? `${BASE}/review` : `${BASE}/section/${Math.max(i, 0) + 1}`);
      if (state.window !== 'open') return c.redirect(action === 'previous' ? target(index - 1) : target(index + 1), 303);

      const result = await saveSection(c, state, index, posted, language);
      if (result.refused) return renderSection(c, state, index, language, result.refused, result.status);
      if (action === 'later') return c.redirect(`${BASE}/saved`, 303);
      if (action === 'previous') return c.redirect(target(index - 1), 303);
      // Without JavaScript, questions revealed by this page's answers appear only now: stay to ask them.
      const definition = state.version.definition;
      const before = hiddenQuestions(definition, state.answers);
      const after = hiddenQuestions(definition, result.saved.answers);
      const revealed = definition.sections[index]!.questions.some((q) => before.has(q.id) && !after.has(q.id) && result.saved.answers[q.id] === undefined);
      if (revealed) return c.redirect(`${BASE}/section/${index + 1}?notice=new_questions`, 303);
      return c.redirect(target(index + 1), 303);
    },
  );

  app.post(
    '/section/:n/autosave',
    valid('param', sectionParam, NO_SUCH_SECTION),
    withSection,
    csrfProtection,
    valid('form', revisedFields, FORM_INCOMPLETE),
    async (c) => {
      const state = c.get('state');
      if (state.window !== 'open') throw new AppError('closed', 'This questionnaire is closed.');
      const language = pageLanguage(c.get('language'));
      const result = await saveSection(c, state, c.get('index'), c.req.valid('form'), language);
      if (result.refused) {
        const problems = (result.refused.problems ?? []).map((p) => ({
          question: p.question,
          message: errorSummary(state.version.definition, [p], language)[0]?.message ?? '',
        }));
        return c.json({ saved: false, conflict: result.status === 409, problems }, result.status);
      }
      return c.json({ saved: true, revision: result.saved.revision, savedAt: c.get('deps').now().toISOString() });
    },
  );

  app.get('/review', async (c) => {
    const state = await sessionResponse(c);
    return renderReview(c, state, 200);
  });

  app.post('/submit', csrfProtection, valid('form', revisedFields, FORM_INCOMPLETE), async (c) => {
    const { revision } = c.req.valid('form');
    const state = await sessionResponse(c);
    const { db, now } = c.get('deps');
    const outcome = await trySubmitResponse(db, { respondentId: state.respondent.id, baseRevision: revision, now: now() });
    if (outcome.ok) return c.redirect(`${BASE}/receipt`, 303);
    const { refusal } = outcome;
    if (refusal.code === 'closed') throw new AppError(refusal.code, refusal.message);
    return renderReview(c, await sessionResponse(c), refusal.code === 'conflict' ? 409 : 422);
  });

  app.get('/receipt', async (c) => {
    const state = await sessionResponse(c);
    const language = pageLanguage(c.get('language'));
    const { db } = c.get('deps');
    const response = await findResponse(db, state.respondent.id);
    const latest = state.submissions.at(-1);
    const submission = response && latest ? await findSubmission(db, response.id, latest.revision) : undefined;
    if (!submission || !latest) return c.redirect(`${BASE}/review`, 303);
    return renderPage(
      c,
      <ReceiptPage
        {...formContext(c, state, language)}
        submittedAt={submission.submittedAt.toISOString().slice(0, 19).replace('T', ' ')}
        reference={`${state.version.definition.id}/${String(submission.id).padStart(5, '0')}-${latest.revision}`}
        version={`${state.version.version} (${state.version.contentHash.slice(0, 12)})`}
        sections={answeredSections(state.version.definition, submission.answers, language)}
        canAmend={state.window === 'open'}
        unsubmittedChanges={state.unsubmittedChanges}
      />,
    );
  });

  app.get('/saved', async (c) => {
    const language = pageLanguage(c.get('language'));
    return renderPage(c, <MessagePage language={language} title={t(language, 'saved')} message={t(language, 'savedComeBack')} path={`${BASE}/saved`} />);
  });

  return app;
}

function renderReview<E extends AppEnv>(c: FormCtx<E>, state: ResponseState, status: 200 | 409 | 422) {
  const language = pageLanguage(c.get('language'));
  const definition = state.version.definition;
  return renderPage(
    c,
    <ReviewPage
      {...formContext(c, state, language)}
      sections={answeredSections(definition, state.answers, language)}
      missing={missingForSubmission(definition, state.answers, language, BASE)}
      revision={state.revision}
      submittedBefore={state.submittedRevision !== null}
      unsubmittedChanges={state.unsubmittedChanges}
    />,
    status,
  );
}
