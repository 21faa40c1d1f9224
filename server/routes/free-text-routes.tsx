/** @jsxImportSource hono/jsx */
/**
 * The free-text page: analysts read and search the answers to a text question and code them with
 * tags, and approve answers for publication in the anonymised export (names removed), or withdraw
 * an approval. Observers never see free text.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { hasOtherScript, publicationProblems, redactNames } from '../../analysis/disclosure/redact-names.ts';
import { allQuestions, type Question, type SurveyDefinition } from '../../survey-definitions/types.ts';
import { analyticsDb, type AppEnv } from '../app-env.ts';
import { AppError } from '../errors.ts';
import { addTag, countTags, listTextAnswers, removeTag } from '../free-text/free-text.queries.ts';
import { answerSha256, approveText, getApprovals, getTextAnswer, respondentNames, withdrawApproval } from '../free-text/text-approvals.queries.ts';
import { renderPage } from '../http/render-page.ts';
import { requireRole } from '../http/require-user.ts';
import { csrfProtection } from '../http/security.ts';
import { formText, queryText, valid } from '../http/validate.ts';
import { FreeTextPage, PAGE_SIZE, type FreeTextAnswerView, type FreeTextQuestion } from '../pages/admin/free-text-page.tsx';
import { getCurrentSurveyVersion, getSurveyVersion, listCurrentSurveyVersions } from '../surveys/survey-versions.queries.ts';
import { userView } from '../http/user-view.ts';

const TAG = /^[\p{L}\p{N}][\p{L}\p{N} _-]{0,39}$/u;
const QUESTION_ID = /^[a-z][a-z0-9_]*$/;

function isTextQuestion(q: Question): boolean {
  return q.type === 'short_text' || q.type === 'long_text';
}

async function textQuestions(c: Context<AppEnv>, surveyId: string): Promise<FreeTextQuestion[]> {
  const version = await getCurrentSurveyVersion(analyticsDb(c), surveyId);
  if (!version) throw new AppError('not_found', 'There is no such questionnaire.');
  return allQuestions(version.definition)
    .filter(isTextQuestion)
    .map((q) => ({ id: q.id, text: q.text.en, identifying: q.identifying ?? false }));
}

/** Where a form sends the analyst back to: the same page and filters, never another site. */
const backTo = z
  .unknown()
  .optional()
  .transform((back) => (typeof back === 'string' && back.startsWith('/admin/free-text?') ? back : '/admin/free-text'));

/** `?survey=&question=&q=&tag=&page=`: the search and tag cut to length, the page a whole number from 0. */
const listQuery = z.object({
  survey: queryText,
  question: queryText,
  q: queryText.transform((search) => (search ?? '').slice(0, 200)),
  tag: queryText.transform((tag) => (tag ?? '').slice(0, 40)),
  page: queryText.transform((page) => Math.max(0, Number.parseInt(page ?? '0', 10) || 0)),
});

const TAG_RULE = 'A tag has 1 to 40 letters, digits, spaces, hyphens or underscores.';
/** A tag added to (or, with `action=remove`, taken from) an answer; any mismatch is one 422 naming the rule for tags. */
const tagForm = z.object({
  response: z.unknown().optional().transform(Number).refine(Number.isInteger, 'must be a response number'),
  question: formText().refine((id) => QUESTION_ID.test(id), 'must be a question id'),
  tag: formText()
    .transform((tag) => tag.trim().toLowerCase())
    .refine((tag) => TAG.test(tag), TAG_RULE),
  action: z
    .unknown()
    .optional()
    .transform((action) => (action === 'remove' ? 'remove' : 'add')),
  back: backTo,
});

const NO_ANSWER = 'The form names no answer.';
/** An approval (with the SHA-256 of the text the page showed and, when edited, the wording to publish) or its withdrawal. */
const approvalForm = z.object({
  response: z.custom<string>((id) => Number.isInteger(Number(id)) && Number(id) > 0, NO_ANSWER).transform(Number),
  question: z.custom<string>((id) => typeof id === 'string' && QUESTION_ID.test(id), NO_ANSWER),
  action: z.custom<'approve' | 'withdraw'>((action) => action === 'approve' || action === 'withdraw', 'Choose to approve or to withdraw.'),
  sha256: z.unknown().optional(),
  published: z.string().optional().catch(undefined),
  back: backTo,
});

/** A question may be approved only if it is a text question and not identifying, in the current definition and the one the answer was given under. */
function assertPublishable(questionId: string, definitions: (SurveyDefinition | undefined)[]): void {
  const found = definitions.map((d) => d && allQuestions(d).find((q) => q.id === questionId));
  if (!found[0] || !isTextQuestion(found[0])) throw new AppError('validation', `${questionId} is not a free-text question of the current questionnaire.`);
  if (found.some((q) => q?.identifying)) {
    throw new AppError('validation', `Answers to ${questionId} can identify the respondent: they are never published and cannot be approved.`);
  }
}

/** The free-text page and its tag and approval forms, for admins and analysts. */
export function freeTextRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const analysts = requireRole('admin', 'analyst');

  app.get('/free-text', analysts, valid('query', listQuery), async (c) => {
    const db = analyticsDb(c);
    const { survey, question: asked, q: search, tag, page } = c.req.valid('query');
    const surveys = (await listCurrentSurveyVersions(db)).map((s) => ({ id: s.surveyId, title: s.definition.title.en }));
    const surveyId = survey ?? surveys[0]?.id;
    if (!surveyId) throw new AppError('not_found', 'No questionnaire is published yet.');
    const questions = await textQuestions(c, surveyId);
    const question = questions.find((q) => q.id === asked) ?? questions[0];
    const questionId = question?.id;
    const listed = questionId
      ? await listTextAnswers(db, surveyId, questionId, { ...(search ? { search } : {}), ...(tag ? { tag } : {}), limit: PAGE_SIZE, offset: page * PAGE_SIZE })
      : { total: 0, answers: [] };
    const tagCounts = questionId ? await countTags(db, surveyId, questionId) : [];
    // Identifying questions are never published: no approvals to show, nothing to preview.
    const publishable = question !== undefined && !question.identifying;
    const approvals = publishable
      ? await getApprovals(
          db,
          question.id,
          listed.answers.map((a) => a.responseId),
        )
      : new Map();
    const names = publishable ? { names: await respondentNames(db, surveyId) } : { names: [] };
    const answers: FreeTextAnswerView[] = listed.answers.map((a, i) => {
      const approval = approvals.get(a.responseId);
      return {
        ...a,
        position: page * PAGE_SIZE + i + 1,
        answerSha256: answerSha256(a.text),
        status: approval?.status ?? 'not_approved',
        publishedText: approval?.publishedText ?? null,
        approvedAt: approval?.approvedAt ?? null,
        preview: publishable ? redactNames(a.text, names).text : '',
        otherScript: publishable && hasOtherScript(a.text),
      };
    });
    return renderPage(
      c,
      <FreeTextPage
        user={userView(c)!}
        surveys={surveys}
        surveyId={surveyId}
        questions={questions}
        questionId={questionId}
        search={search}
        tag={tag}
        total={listed.total}
        page={page}
        answers={answers}
        tagCounts={tagCounts}
      />,
    );
  });

  app.post('/free-text/tags', analysts, csrfProtection, valid('form', tagForm, { message: TAG_RULE }), async (c) => {
    const user = c.get('user')!;
    const { response: responseId, question: questionId, tag, action, back } = c.req.valid('form');
    const { db } = c.get('deps');
    if (action === 'remove') await removeTag(db, { responseId, questionId, tag });
    else await addTag(db, { responseId, questionId, tag, userId: user.userId });
    return c.redirect(back, 303);
  });

  app.post('/free-text/approvals', analysts, csrfProtection, valid('form', approvalForm), async (c) => {
    const user = c.get('user')!;
    const { response: responseId, question: questionId, action, sha256, published, back } = c.req.valid('form');
    const { db } = c.get('deps');
    if (action === 'withdraw') {
      await withdrawApproval(db, { responseId, questionId, userId: user.userId });
      return c.redirect(back, 303);
    }
    const answer = await getTextAnswer(db, responseId, questionId);
    if (!answer) throw new AppError('not_found', `Response ${responseId} has no answer to ${questionId}.`);
    const [current, pinned] = await Promise.all([getCurrentSurveyVersion(db, answer.surveyId), getSurveyVersion(db, answer.surveyVersionId)]);
    assertPublishable(questionId, [current?.definition, pinned?.definition]);
    // The analyst approves the text the page showed: an answer amended since must be read again.
    if (sha256 !== answerSha256(answer.text)) {
      throw new AppError('conflict', 'The answer has changed since the page was shown. Reload the page and review it again.');
    }
    const names = { names: await respondentNames(db, answer.surveyId) };
    const publishedText = publishedWording(published, answer.text, names);
    await approveText(db, { responseId, questionId, answerText: answer.text, publishedText, userId: user.userId });
    return c.redirect(back, 303);
  });

  return app;
}

/** Longest wording an analyst may publish for one answer, in characters. */
const MAX_PUBLISHED_LENGTH = 4000;

/**
 * The wording to publish: the analyst's edit of the suggestion when the form sent one, refused
 * while it still holds an address, a phone number, a respondent's name or a place name; otherwise
 * the suggestion itself, redacted here again (never taken from the form).
 */
function publishedWording(posted: string | undefined, answer: string, known: { names: readonly string[] }): string {
  if (posted === undefined) return redactNames(answer, known).text;
  const edited = posted.replace(/\r\n?/g, '\n').trim();
  if (edited === '')
    throw new AppError('validation', 'The text to publish is empty: write the wording to publish, or withdraw the answer instead.', { field: 'published' });
  if ([...edited].length > MAX_PUBLISHED_LENGTH)
    throw new AppError('validation', `The text to publish is longer than ${MAX_PUBLISHED_LENGTH} characters.`, { field: 'published' });
  const problems = publicationProblems(edited, known);
  if (problems.length)
    throw new AppError('validation', `The text to publish still contains ${problems.join(', ')}. Remove it and approve again.`, {
      field: 'published',
      problems,
    });
  return edited;
}
