/**
 * The JSON API that mirrors the form, for integration and scripted use. Authenticated by the
 * invitation token in the path; every route is throttled per address.
 *
 *   GET  /api/r/:token            questionnaire, language, answers, revision, status
 *   PUT  /api/r/:token/answers    { answers, revision, language? } -> 200 | 409 | 422
 *   POST /api/r/:token/submit     { revision? } -> 200 | 409 | 422
 */
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { z } from 'zod';
import { answerProblemMessage } from '../../survey-definitions/answer-messages.ts';
import type { UncheckedAnswers } from '../../survey-definitions/answers.ts';
import { isExactNumber } from '../../survey-definitions/read-number.ts';
import { LANGUAGES, type Language } from '../../survey-definitions/schema.ts';
import type { AnswerProblem } from '../../survey-definitions/validate-answers.ts';
import { pageLanguage, type AppEnv } from '../app-env.ts';
import { AppError, valueOr, type Outcome } from '../errors.ts';
import { strictJsonBody } from '../http/json-body.ts';
import { tokenParam } from '../http/respondent-input.ts';
import { noStore, requireJson } from '../http/security.ts';
import { valid } from '../http/validate.ts';
import { findInvitationByTokenHash } from '../respondents/respondents.queries.ts';
import { hashToken } from '../respondents/tokens.ts';
import { getResponseState, trySaveAnswers, trySubmitResponse, type AnswerRefusal } from '../responses/response-service.ts';

const saveBody = z.object({
  // Any value under any key: each answer is checked by the save, which names the question at fault.
  answers: z.record(z.string(), z.unknown()),
  revision: z.number().int().min(0),
  language: z.enum(LANGUAGES).optional(),
});
const submitBody = z.object({ revision: z.number().int().min(0).optional() });
const SHAPE = { code: 'bad_request', message: 'The body does not have the expected shape.' } as const;

/** The respondent whose invitation token is in the path (404 for an unknown or revoked one), as `c.var.respondentId`. */
const invitedRespondent = createMiddleware<AppEnv & { Variables: { respondentId: number } }, string, { out: { param: z.output<typeof tokenParam> } }>(
  async (c, next) => {
    const invitation = await findInvitationByTokenHash(c.get('deps').db, hashToken(c.req.valid('param').token));
    if (!invitation || invitation.revokedAt) throw new AppError('invalid_link', 'This link is not valid or was revoked.');
    c.set('respondentId', invitation.respondentId);
    await next();
  },
);

/**
 * Numbers in the body that JSON could not carry exactly: JSON.parse has already turned
 * 9007199254740993 into 9007199254740992, and 1.797e308 counts nothing. What was meant cannot be
 * known, so the body is refused (400) before any answer is checked, naming each question.
 */
function refuseInexactNumbers(answers: UncheckedAnswers, language: Language): void {
  const problems = Object.entries(answers)
    .filter(([, value]) => typeof value === 'number' && !isExactNumber(value))
    .map(([question]): AnswerProblem => ({ question, code: 'unsafe_number', params: { limit: Number.MAX_SAFE_INTEGER } }));
  if (!problems.length) return;
  throw new AppError(
    'bad_request',
    `The number given for ${problems.map((p) => p.question).join(', ')} is beyond ${Number.MAX_SAFE_INTEGER} (2^53 - 1) and cannot be read exactly; nothing was saved.`,
    problems.map((p) => ({ question: p.question, code: p.code, message: answerProblemMessage(p, language), params: p.params })),
  );
}

/** The value; a refusal as the API's error, its problems as `{ question, code, message }` in the requested language. */
function answerOr<T>(outcome: Outcome<T, AnswerRefusal>, language: Language): T {
  if (outcome.ok || outcome.refusal.code !== 'validation') return valueOr(outcome);
  const problems = outcome.refusal.details.map((p) => ({
    question: p.question,
    code: p.code,
    message: answerProblemMessage(p, language),
    ...(p.params ? { params: p.params } : {}),
  }));
  return valueOr({ ok: false, refusal: { ...outcome.refusal, details: problems } });
}

export function apiRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', noStore, requireJson);

  app.get('/:token', valid('param', tokenParam), invitedRespondent, async (c) => {
    const { db, now } = c.get('deps');
    const state = await getResponseState(db, c.get('respondentId'), now());
    return c.json({
      survey: { id: state.version.surveyId, version: state.version.version, contentHash: state.version.contentHash },
      definition: state.version.definition,
      respondent: { name: state.respondent.name, kind: state.respondent.kind, country: state.respondent.country },
      language: state.language ?? pageLanguage(c.get('language')),
      answers: state.answers,
      revision: state.revision,
      status: state.status,
      window: state.window,
      // The current version's dates, which apply to every respondent (`definition` is the pinned version).
      opens: state.dates.opens,
      closes: state.dates.closes,
      submittedRevision: state.submittedRevision,
      submittedAt: state.submittedAt?.toISOString() ?? null,
    });
  });

  app.put('/:token/answers', valid('param', tokenParam), invitedRespondent, strictJsonBody, valid('json', saveBody, SHAPE), async (c) => {
    const body = c.req.valid('json');
    const language = body.language ?? pageLanguage(c.get('language'));
    refuseInexactNumbers(body.answers, language);
    const { db, now } = c.get('deps');
    const outcome = await trySaveAnswers(db, {
      respondentId: c.get('respondentId'),
      baseRevision: body.revision,
      answers: body.answers,
      scope: 'all',
      language,
      now: now(),
    });
    const saved = answerOr(outcome, language);
    return c.json({ revision: saved.revision, answers: saved.answers });
  });

  app.post('/:token/submit', valid('param', tokenParam), invitedRespondent, strictJsonBody, valid('json', submitBody, SHAPE), async (c) => {
    const { revision } = c.req.valid('json');
    const { db, now } = c.get('deps');
    const outcome = await trySubmitResponse(db, {
      respondentId: c.get('respondentId'),
      ...(revision !== undefined ? { baseRevision: revision } : {}),
      now: now(),
    });
    const receipt = answerOr(outcome, pageLanguage(c.get('language')));
    return c.json({
      status: 'submitted',
      revision: receipt.revision,
      submittedAt: receipt.submittedAt.toISOString(),
      alreadySubmitted: receipt.alreadySubmitted,
    });
  });

  return app;
}
