/** @jsxImportSource hono/jsx */
/**
 * The one place where errors become HTTP answers: `{ error: { code, message, details } }` for
 * the API, a page in the visitor's language for people. Unexpected errors are logged without
 * request bodies or tokens and shown as a plain 500.
 */
import type { Context, ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { pageLanguage, type AppEnv } from '../app-env.ts';
import { AppError, ERROR_STATUS } from '../errors.ts';
import { MessagePage } from '../pages/form-pages.tsx';
import { t } from '../pages/ui-text.ts';
import { renderPage } from './render-page.ts';

/** Connection failures and server shutdowns: the database is away, not the request wrong. */
/**
 * A request path fit for the log: every path segment that carries a secret (a respondent's link
 * token, a one-time account link) is replaced by `[token]`, whatever route it belongs to.
 *
 * @example maskTokens('/admin/setup/abc123') // '/admin/setup/[token]'
 */
export function maskTokens(path: string): string {
  return path.replace(/^\/(r|api\/r|admin\/setup)\/[^/]+/, '/$1/[token]');
}

function isDatabaseUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string' && (/^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND)$/.test(code) || /^(57P01|57P02|57P03|08\d{3})$/.test(code)))
    return true;
  // pg reports a client whose connection broke (a rollback after a cut) as "not queryable", and the
  // pool's connection timeout as "timeout exceeded when trying to connect"; neither has a code.
  return (
    error instanceof Error &&
    /Connection terminated|connect ECONNREFUSED|is not queryable|timeout exceeded when trying to connect|PGlite (instance )?is (already )?closed/i.test(
      error.message,
    )
  );
}

/** The first line of an error's message (a driver's message can span several). */
function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n', 1)[0]!.trim() || (error instanceof Error ? error.name : 'error');
}

export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof HTTPException) {
    if (error.status === 413) return new AppError('payload_too_large', 'The request is too large.');
    if (error.status === 403) return new AppError('forbidden', error.message || 'Forbidden.');
    return new AppError(error.status >= 500 ? 'internal' : 'bad_request', error.message || 'Bad request.');
  }
  if (isDatabaseUnavailable(error)) return new AppError('unavailable', 'The database is unavailable; please try again in a moment.');
  return new AppError('internal', 'An unexpected error occurred.');
}

function wantsJson(c: Context): boolean {
  return c.req.path.startsWith('/api/') || c.req.path === '/healthz' || (c.req.header('accept') ?? '').startsWith('application/json');
}

export const handleError: ErrorHandler<AppEnv> = (error, c) => {
  const appError = toAppError(error);
  if (appError.code === 'unavailable') {
    // An outage fails every request the same way: one line each, not a thousand stack traces.
    console.error(`${c.req.method} ${maskTokens(c.req.path)}: 503 ${firstLine(error)}`);
  } else if (appError.code === 'internal') {
    console.error(`${c.req.method} ${maskTokens(c.req.path)}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
  const status = ERROR_STATUS[appError.code] as ContentfulStatusCode;
  if (appError.code === 'unavailable') c.header('Retry-After', '5');
  if (wantsJson(c)) {
    return c.json(
      { error: { code: appError.code, message: appError.message, ...(appError.details !== undefined ? { details: appError.details } : {}) } },
      status,
    );
  }
  if (appError.code === 'unauthorized' && c.req.path.startsWith('/admin') && c.req.method === 'GET') {
    return c.redirect(`/admin/login?next=${encodeURIComponent(c.req.path)}`, 302);
  }
  const language = pageLanguage(c.get('language'));
  const [title, message] =
    appError.code === 'invalid_link'
      ? [t(language, 'invalidLinkTitle'), t(language, 'invalidLink')]
      : appError.code === 'unauthorized'
        ? [t(language, 'sessionEndedTitle'), t(language, 'sessionEnded')]
        : appError.code === 'rate_limited'
          ? [t(language, 'errorTitle'), t(language, 'tooManyRequests')]
          : [t(language, 'errorTitle'), appError.message];
  return renderPage(
    c,
    <MessagePage language={language} title={title} message={message}>
      {appError.code === 'invalid_link' ? (
        <p>
          <a href="/lost-link">{t(language, 'lostLinkAsk')}</a>
        </p>
      ) : null}
    </MessagePage>,
    status,
  );
};
