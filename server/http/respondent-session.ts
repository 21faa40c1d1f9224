/**
 * The respondent's session on the form's routes (`/form/…`): the cookie an invitation link set,
 * the response it gives access to, and the section a page's address names.
 *
 * @example
 *   app.use('*', requireRespondentSession);
 *   app.post('/section/:n', valid('param', sectionParam, NO_SUCH_SECTION), withSection, csrfProtection, …, (c) => { c.var.state; c.var.index; … })
 */
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import type { z } from 'zod';
import type { AppEnv } from '../app-env.ts';
import { AppError } from '../errors.ts';
import { getResponseState, type ResponseState } from '../responses/response-service.ts';
import { findSession } from '../sessions/sessions.queries.ts';
import { SESSION_COOKIE } from './respondent-cookie.ts';
import { NO_SUCH_SECTION, type sectionParam } from './respondent-input.ts';

/** The variables {@link withSection} adds: the response, and the section's index (from 0). */
export type SectionEnv = AppEnv & { Variables: { state: ResponseState; index: number } };

/** Requires a live respondent session (401 otherwise), as `c.var.session`. */
export const requireRespondentSession: MiddlewareHandler<AppEnv> = async function requireRespondentSession(c, next) {
  const cookie = getCookie(c, SESSION_COOKIE);
  const { db, now } = c.get('deps');
  const session = cookie ? await findSession(db, cookie, now()) : undefined;
  if (!session) throw new AppError('unauthorized', 'Please open your invitation link again.');
  c.set('session', session);
  await next();
};

/** The response of the session's respondent, as it stands now. */
export async function sessionResponse<E extends AppEnv>(c: Context<E>): Promise<ResponseState> {
  const session = c.get('session');
  if (!session) throw new AppError('unauthorized', 'Please open your invitation link again.');
  const { db, now } = c.get('deps');
  return getResponseState(db, session.respondentId, now());
}

/**
 * The response and the section of the address (after `valid('param', sectionParam)`), as
 * `c.var.state` and `c.var.index`; 404 beyond the questionnaire's sections. It comes before the
 * CSRF check, so that a section that does not exist is a 404 whatever was posted.
 */
export const withSection = createMiddleware<SectionEnv, string, { out: { param: z.output<typeof sectionParam> } }>(async (c, next) => {
  const state = await sessionResponse(c);
  const { n } = c.req.valid('param');
  if (n > state.version.definition.sections.length) throw new AppError(NO_SUCH_SECTION.code, NO_SUCH_SECTION.message);
  c.set('state', state);
  c.set('index', n - 1);
  await next();
});
