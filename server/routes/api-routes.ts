/**
 * The JSON API that mirrors the form, for integration and scripted use. Authenticated by the
 * invitation token in the path; every route is throttled per address.
 *
 *   GET  /api/r/:token            questionnaire, language, answers, revision, status
 *   PUT  /api/r/:token/answers    { answers, revision, language? } -> 200 | 409 | 422
 *   POST /api/r/:token/submit     { revision? } -> 200 | 409 | 422
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { answerProblemMessage } from '../../survey-definitions/answer-messages.ts';
import { isExactNumber } from '../../survey-definitions/read-number.ts';
import { LANGUAGES, type Language } from '../../survey-definitions/schema.ts';
import type { AnswerProblem } from '../../survey-definitions/validate-answers.ts';
import { pageLanguage, type AppEnv } from '../app-env.ts';
import { AppError } from '../errors.ts';
import { noStore, requireJson } from '../http/security.ts';
import { findInvitationByTokenHash } from '../respondents/respondents.queries.ts';
import { hashToken } from '../respondents/tokens.ts';
import { getResponseState, saveAnswers, submitResponse } from '../responses/response-service.ts';

const saveBody = z.object({
  answers: z.record(z.string(), z.unknown()),
  revision: z.number().int().min(0),
  language: z.enum(LANGUAGES).optional(),
});
const submitBody = z.object({ revision: z.number().int().min(0).optional() });

async function respondentOf(c: Context<AppEnv>): Promise<number> {
  const invitation = await findInvitationByTokenHash(c.get('deps').db, hashToken(c.req.param('token') ?? ''));
  if (!invitation || invitation.revokedAt) throw new AppError('invalid_link', 'This link is not valid or was revoked.');
  return invitation.respondentId;
}

// `fatal`: a byte sequence that is not UTF-8 throws instead of becoming U+FFFD, which would be stored.
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The body read as JSON and checked against the route's schema. JSON between systems is UTF-8
 * (RFC 8259, section 8.1): other bytes are refused with 415, whose definition covers a format
 * problem found "as a result of inspecting the data directly" (RFC 9110, section 15.5.16), rather
 * than replaced by U+FFFD and stored as if that were what was written.
 */
async function readJson<T>(c: Context<AppEnv>, schema: z.ZodType<T>): Promise<T> {
  let text: string;
  try {
    text = utf8.decode(await c.req.arrayBuffer());
  } catch {
    throw new AppError('unsupported_media_type', 'The body is not valid UTF-8; send JSON encoded as UTF-8.');
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AppError('bad_request', 'The body is not valid JSON.');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new AppError('bad_request', 'The body does not have the expected shape.', parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  }
  return parsed.data;
}

/**
 * Numbers in the body that JSON could not carry exactly: JSON.parse has already turned
 * 9007199254740993 into 9007199254740992, and 1.797e308 counts nothing. What was meant cannot be
 * known, so the body is refused (400) before any answer is checked, naming each question.
 */
function refuseInexactNumbers(answers: Record<string, unknown>, language: Language): void {
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

/** Validation problems as `{ question, code, message }`, in the requested language. */
function withMessages(error: AppError, language: Language): AppError {
  if (error.code !== 'validation') return error;
  const problems = (error.details as AnswerProblem[]).map((p) => ({ question: p.question, code: p.code, message: answerProblemMessage(p, language), ...(p.params ? { params: p.params } : {}) }));
  return new AppError('validation', error.message, problems);
}

export function apiRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', noStore, requireJson);

  app.get('/:token', async (c) => {
    const { db, now } = c.get('deps');
    const state = await getResponseState(db, await respondentOf(c), now());
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

  app.put('/:token/answers', async (c) => {
    const respondentId = await respondentOf(c);
    const body = await readJson(c, saveBody);
    const language = body.language ?? pageLanguage(c.get('language'));
    refuseInexactNumbers(body.answers, language);
    const { db, now } = c.get('deps');
    try {
      const saved = await saveAnswers(db, { respondentId, baseRevision: body.revision, answers: body.answers as never, scope: 'all', language, now: now() });
      return c.json({ revision: saved.revision, answers: saved.answers });
    } catch (error) {
      throw error instanceof AppError ? withMessages(error, language) : error;
    }
  });

  app.post('/:token/submit', async (c) => {
    const respondentId = await respondentOf(c);
    const body = await readJson(c, submitBody);
    const { db, now } = c.get('deps');
    try {
      const result = await submitResponse(db, { respondentId, ...(body.revision !== undefined ? { baseRevision: body.revision } : {}), now: now() });
      return c.json({ status: 'submitted', revision: result.revision, submittedAt: result.submittedAt.toISOString(), alreadySubmitted: result.alreadySubmitted });
    } catch (error) {
      throw error instanceof AppError ? withMessages(error, pageLanguage(c.get('language'))) : error;
    }
  });

  return app;
}
