/**
 * Security middleware shared by every route: headers, client address, CSRF check, JSON-only
 * mutations and per-address rate limits.
 */
import { timingSafeEqual } from 'node:crypto';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { MemoryStore, rateLimiter } from 'hono-rate-limiter';
import type { AppEnv } from '../app-env.ts';
import { AppError } from '../errors.ts';

/**
 * Strict headers on every response: a CSP without inline script or style, no framing, no
 * referrer (invitation tokens must never leak through Referer), HSTS when served over TLS.
 */
export function securityHeaders(options: { https: boolean }): MiddlewareHandler<AppEnv> {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    referrerPolicy: 'no-referrer',
    xFrameOptions: 'DENY',
    strictTransportSecurity: options.https ? 'max-age=31536000; includeSubDomains' : false,
    crossOriginEmbedderPolicy: false,
  });
}

/** Pages that show a respondent's answers are never cached by the browser or a proxy. */
export const noStore: MiddlewareHandler<AppEnv> = async function noStore(c, next) {
  await next();
  c.header('Cache-Control', 'no-store');
};

/**
 * The client's address: the socket's, or behind a trusted proxy the last X-Forwarded-For hop, the
 * one that proxy appended (earlier hops come from the client and can be anything).
 */
export function clientAddress(c: Context<AppEnv>): string {
  if (c.get('deps').trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // app.request() in tests has no socket.
    return 'local';
  }
}

const WINDOW_MS = 60_000;

/**
 * Throttles guesses at invitation tokens: after `limit` failures (unknown or revoked token, 404)
 * within a minute, an address gets 429 until the minute is over. Only failures are counted, once
 * answered: any number of requests with a valid link may be in flight at once (a busy ministry
 * behind one address is never slowed down). With `countEveryRequest` (registrations: each one
 * creates a respondent) every request counts. Passwords have their own throttle, which counts
 * attempts as they arrive (`signInThrottle`).
 */
export function tokenRateLimit(limit: number, options: { countEveryRequest?: boolean } = {}): MiddlewareHandler<AppEnv> {
  const refuse = () => {
    throw new AppError('rate_limited', 'Too many requests; please wait a minute.');
  };
  if (options.countEveryRequest) {
    return rateLimiter<AppEnv>({ windowMs: WINDOW_MS, limit, standardHeaders: 'draft-7', keyGenerator: (c) => clientAddress(c), handler: refuse });
  }
  const failures = new MemoryStore<AppEnv>();
  failures.init({ windowMs: WINDOW_MS } as Parameters<MemoryStore<AppEnv>['init']>[0]);
  return async function limitFailures(c, next) {
    const key = clientAddress(c);
    const seen = failures.get(key);
    const resetAt = seen?.resetTime?.getTime() ?? 0;
    if (seen && resetAt > Date.now() && seen.totalHits >= limit) {
      c.header('Retry-After', String(Math.ceil((resetAt - Date.now()) / 1000)));
      refuse();
    }
    await next();
    if (c.res.status === 404) failures.increment(key);
  };
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Checks the synchroniser token of a posted form against the session's. */
export function assertCsrf(expected: string | undefined, posted: unknown): void {
  if (!expected || typeof posted !== 'string' || !sameToken(expected, posted)) {
    throw new AppError('forbidden', 'This form has expired or did not come from this site. Please reload the page and try again.');
  }
}

/**
 * The synchroniser-token check of every form post, applied by the route table rather than by the
 * handlers (`app.post(path, requireRole(…), csrfProtection, valid('form', …), handler)`): the posted
 * `_csrf` must equal the token of the signed-in member's session, or of the respondent's session,
 * and be sent once.
 */
export const csrfProtection: MiddlewareHandler<AppEnv> = async function csrfProtection(c, next) {
  const expected = c.get('user')?.csrfToken ?? c.get('session')?.csrfToken;
  let body: Awaited<ReturnType<typeof c.req.parseBody>>;
  try {
    // `all`: a token sent twice is a list, and refused, not the last of the two.
    body = await c.req.parseBody({ all: true });
  } catch {
    // A malformed multipart body (cut off, wrong boundary) is the client's fault, not ours.
    throw new AppError('bad_request', 'The form could not be read; please reload the page and try again.');
  }
  assertCsrf(expected, body['_csrf']);
  await next();
};

/**
 * Refuses a form posted from another site where no session exists yet to hold a token (signing
 * in, one-time account links): otherwise a page elsewhere could sign a visitor in to an account
 * of its choosing. Browsers send Origin and Sec-Fetch-Site with every cross-site POST; a request
 * with neither comes from no victim's browser (a script, a test) and passes.
 */
export const refuseCrossSite: MiddlewareHandler<AppEnv> = async function refuseCrossSite(c, next) {
  const site = c.req.header('sec-fetch-site');
  const origin = c.req.header('origin');
  const ownOrigins = [new URL(c.req.url).origin, new URL(c.get('deps').publicUrl).origin];
  const crossSite = site === 'cross-site' || site === 'same-site' || (origin !== undefined && site !== 'same-origin' && !ownOrigins.includes(origin));
  if (crossSite) throw new AppError('forbidden', 'This form did not come from this site. Please open the sign-in page and try again.');
  await next();
};

/** JSON API mutations accept only `application/json` (a cross-site form cannot send it). */
export const requireJson: MiddlewareHandler<AppEnv> = async function requireJson(c, next) {
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
    const type = c.req.header('content-type') ?? '';
    if (!/^application\/json\s*(;|$)/i.test(type)) throw new AppError('unsupported_media_type', 'Send the body as application/json.');
  }
  await next();
};
