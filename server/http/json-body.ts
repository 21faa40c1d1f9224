/**
 * The JSON body of an API request, read strictly before `valid('json', …)` checks its shape.
 * JSON between systems is UTF-8 (RFC 8259, section 8.1): other bytes are refused with 415, whose
 * definition covers a format problem found "as a result of inspecting the data directly" (RFC
 * 9110, section 15.5.16), rather than replaced by U+FFFD and stored as if that were what was
 * written. Text that is not JSON is refused with 400.
 *
 * @example
 *   app.put('/:token/answers', strictJsonBody, valid('json', saveBody, …), (c) => { const body = c.req.valid('json'); … })
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { AppError } from '../errors.ts';

// `fatal`: a byte sequence that is not UTF-8 throws instead of becoming U+FFFD, which would be stored.
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Refuses a body that is not UTF-8 (415) or not JSON (400); the validator after it reads the body parsed here. */
export const strictJsonBody: MiddlewareHandler<AppEnv> = async function strictJsonBody(c, next) {
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
  // `c.req.json()`, which the validator calls, answers from this cache: the body is parsed once.
  c.req.bodyCache.json = Promise.resolve(body);
  await next();
};
