/** @jsxImportSource hono/jsx */
/**
 * The respondent's form, reached through a session cookie (set when an invitation link is
 * opened): overview, one page per section, review, submit, receipt. Works without JavaScript;
 * `/autosave` serves the script that saves as people type.
 */
import { Hono, type Context } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Answers } from '../../survey-definitions/answers.ts';
import type { Language } from '../../survey-definitions/schema.ts';
import type { AnswerProblem } from '../../survey-definitions/validate-answers.ts';
import { hiddenQuestions } from '../../survey-definitions/visibility.ts';
import { pageLanguage, type AppEnv } from '../app-env.ts';
import { AppError } from '../errors.ts';
import { renderPage } from '../http/render-page.ts';
import { assertCsrf, noStore } from '../http/security.ts';
import { answersFromForm, fieldsFromBody, type FormFields } from '../pages/form-data.ts';
import { answeredSections, changeViews, conditionAnswers, errorSummary, missingForSubmission, resumeSection, sectionQuestionViews, sectionSummaries, windowNote, withDefaults } from '../pages/form-models.ts';
import { OverviewPage, ReceiptPage, ReviewPage, SectionPage, MessagePage, type ChangeView, type FormContext } from '../pages/form-pages.tsx';
import { t } from '../pages/ui-text.ts';
import { findSubmission, findResponse } from '../responses/responses.queries.ts';
import { registrationAnswers } from '../respondents/registration-questions.ts';
import { getResponseState, saveAnswers, submitResponse, type ConflictDetails, type ResponseState } from '../responses/response-service.ts';
import { findSession } from '../sessions/sessions.queries.ts';

import { SESSION_COOKIE } from '../http/respondent-cookie.ts';
const BASE = '/form';

type FormCtx = Context<AppEnv>;

function formContext(c: FormCtx, state: ResponseState, language: Language): FormContext {
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

async function loadState(c: FormCtx): Promise<ResponseState> {
  const session = c.get('session');
  if (!session) throw new AppError('unauthorized', 'Please open your invitation link again.');
  const { db, now } = c.get('deps');
  return getResponseState(db, session.respondentId, now());
}

function sectionIndex(c: FormCtx, state: ResponseState): number {
  const n = Number(c.req.param('n'));
  if (!Number.isInteger(n) || n < 1 || n > state.version.definition.sections.length) throw new AppError('not_found', 'There is no such section.');
  return n - 1;
}

interface SectionRender {
  answers: Answers;
  problems?: AnswerProblem[];
  notice?: 'saved' | 'new_questions';
  conflict?: ChangeView[];
  revision?: number;
}

function renderSection(c: FormCtx, state: ResponseState, index: number, language: Language, view: SectionRender, status: 200 | 409 | 422 = 200) {
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

/** Requires a live respondent session for every form route. */
async function requireSession(c: FormCtx, next: () => Promise<void>) {
  const cookie = getCookie(c, SESSION_COOKIE);
  const { db, now } = c.get('deps');
  const session = cookie ? await findSession(db, cookie, now()) : undefined;
  if (!session) throw new AppError('unauthorized', 'Please open your invitation link again.');
  c.set('session', session);
  await next();
}

async function postedFields(c: FormCtx): Promise<FormFields> {
  let body: Awaited<ReturnType<typeof c.req.parseBody>>;
  try {
    body = await c.req.parseBody({ all: true });
  } catch {
    // A malformed multipart body (cut off, wrong boundary) is the client's fault, not ours.
    throw new AppError('bad_request', 'The form could not be read; please reload the page and try again.');
  }
  return fieldsFromBody(body);
}

/** Saves the answers of one section page; returns either the new revision or what to show instead. */
async function saveSection(c: FormCtx, state: ResponseState, index: number, fields: FormFields, language: Language) {
  const definition = state.version.definition;
  const questions = definition.sections[index]!.questions;
  const { answers: posted, problems: formProblems } = answersFromForm(questions, fields, language);
  const baseRevision = Number(fields['_revision']);
  if (!Number.isInteger(baseRevision) || baseRevision < 0) throw new AppError('bad_request', 'The form is incomplete; please reload the page.');
  // What the page shows if the save is refused: the saved answers with this page's entries on top.
  const shown: Answers = { ...Object.fromEntries(Object.entries(state.answers).filter(([k]) => !questions.some((q) => q.id === (k.split('.')[0] ?? k)))), ...posted };
  if (formProblems.length) {
    return { refused: { answers: shown, problems: formProblems }, status: 422 as const };
  }
  try {
    const { db, now } = c.get('deps');
    const saved = await saveAnswers(db, { respondentId: state.respondent.id, baseRevision, answers: posted, scope: questions.map((q) => q.id), language, now: now() });
    return { saved };
  } catch (error) {
    if (error instanceof AppError && error.code === 'validation') return { refused: { answers: shown, problems: error.details as AnswerProblem[] }, status: 422 as const };
    if (error instanceof AppError && error.code === 'conflict') {
      const details = error.details as ConflictDetails;
      return { refused: { answers: shown, conflict: changeViews(definition, details.changes, language), revision: details.currentRevision }, status: 409 as const };
    }
    throw error;
  }
}

export function formRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', noStore, requireSession);

  app.get('/', async (c) => {
    const state = await loadState(c);
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

  app.get('/section/:n', async (c) => {
    const state = await loadState(c);
    const language = pageLanguage(c.get('language'));
    const notice = c.req.query('notice');
    const index = sectionIndex(c, state);
    return renderSection(c, state, index, language, {
      answers: withDefaults(state.version.definition, index, state.answers, state.respondent.country),
      notice: notice === 'new_questions' || notice === 'saved' ? notice : undefined,
    });
  });

  app.post('/section/:n', async (c) => {
    const state = await loadState(c);
    const index = sectionIndex(c, state);
    const fields = await postedFields(c);
    assertCsrf(c.get('session')?.csrfToken, fields['_csrf']);
    const language = pageLanguage(c.get('language'));
    const action = fields['_action'];
    const sections = state.version.definition.sections.length;
    const target = (i: number) => (i >= sections ? `${BASE}/review` : `${BASE}/section/${Math.max(i, 0) + 1}`);
    if (state.window !== 'open') return c.redirect(action === 'previous' ? target(index - 1) : target(index + 1), 303);

    const result = await saveSection(c, state, index, fields, language);
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
  });

  app.post('/section/:n/autosave', async (c) => {
    const state = await loadState(c);
    const index = sectionIndex(c, state);
    const fields = await postedFields(c);
    assertCsrf(c.get('session')?.csrfToken, fields['_csrf']);
    if (state.window !== 'open') throw new AppError('closed', 'This questionnaire is closed.');
    const result = await saveSection(c, state, index, fields, pageLanguage(c.get('language')));
    if (result.refused) {
      const language = pageLanguage(c.get('language'));
      const problems = (result.refused.problems ?? []).map((p) => ({ question: p.question, message: errorSummary(state.version.definition, [p], language)[0]?.message ?? '' }));
      return c.json({ saved: false, conflict: result.status === 409, problems }, result.status);
    }
    return c.json({ saved: true, revision: result.saved.revision, savedAt: c.get('deps').now().toISOString() });
  });

  app.get('/review', async (c) => {
    const state = await loadState(c);
    return renderReview(c, state, 200);
  });

  app.post('/submit', async (c) => {
    const fields = await postedFields(c);
    assertCsrf(c.get('session')?.csrfToken, fields['_csrf']);
    const baseRevision = Number(fields['_revision']);
    if (!Number.isInteger(baseRevision) || baseRevision < 0) throw new AppError('bad_request', 'The form is incomplete; please reload the page.');
    const state = await loadState(c);
    const { db, now } = c.get('deps');
    try {
      await submitResponse(db, { respondentId: state.respondent.id, baseRevision, now: now() });
    } catch (error) {
      if (error instanceof AppError && (error.code === 'validation' || error.code === 'conflict')) return renderReview(c, await loadState(c), error.code === 'conflict' ? 409 : 422);
      throw error;
    }
    return c.redirect(`${BASE}/receipt`, 303);
  });

  app.get('/receipt', async (c) => {
    const state = await loadState(c);
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

function renderReview(c: FormCtx, state: ResponseState, status: 200 | 409 | 422) {
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
