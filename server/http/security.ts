/**
 * Security middleware shared by every route: headers, client address, CSRF check, JSON-only
 * mutations and per-address rate limits.
 */
import { timingSafeEqual } from 'node:crypto';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { rateLimiter } from 'hono-rate-limiter';
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

/**
 * Throttles guesses at invitation tokens: at most `limit` unknown or revoked tokens a minute per
 * address. Requests with a valid link do not count, so a busy respondent is never slowed down.
 */
export function tokenRateLimit(limit: number, options: { countEveryRequest?: boolean; failureStatus?: number } = {}): MiddlewareHandler<AppEnv> {
  return rateLimiter<AppEnv>({
    windowMs: 60_000,
    limit,
    standardHeaders: 'draft-7',
    // Registrations count every request: each one creates a respondent.
    skipSuccessfulRequests: !options.countEveryRequest,
    // An invalid link answers 404 (invalid_link), a wrong password 401; others came from a real token.
    requestWasSuccessful: (c) => c.res.status !== (options.failureStatus ?? 404),
    keyGenerator: (c) => clientAddress(c),
    handler: () => {
      throw new AppError('rate_limited', 'Too many requests; please wait a minute.');
    },
  });
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
