/**
 * Outcomes and faults.
 *
 * - What a person can cause (a stale revision, invalid answers, a closed questionnaire, a name
 *   that does not exist) is an expected outcome: services return it as a value, a `Refusal` in an
 *   `Outcome`, and the route decides what to show (the page again with the problems, a 409 page).
 * - Everything else is a fault, thrown. `AppError` is the fault a route raises on purpose (a
 *   refusal it does not render itself, a missing session); a single `onError` hook
 *   (`http/error-handler.tsx`) is the one place any fault becomes an HTTP answer: a JSON envelope
 *   for the API, a page for people.
 */
export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  invalid_link: 404,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  closed: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation: 422,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): (typeof ERROR_STATUS)[ErrorCode] {
    return ERROR_STATUS[this.code];
  }
}

/** An expected outcome a person caused: what was refused, why, and (typed per code) what to show. */
export interface Refusal<Code extends ErrorCode = ErrorCode, Details = unknown> {
  code: Code;
  message: string;
  details?: Details;
}

/** A service's answer: the value, or the refusal. */
export type Outcome<T, R extends Refusal = Refusal> = { ok: true; value: T } | { ok: false; refusal: R };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });

export function refuse<Code extends ErrorCode, Details = undefined>(
  code: Code,
  message: string,
  details?: Details,
): { ok: false; refusal: Refusal<Code, Details> } {
  return { ok: false, refusal: { code, message, ...(details !== undefined ? { details } : {}) } };
}

/** The value, or the refusal raised for the error handler to answer (for callers that render no refusal of their own). */
export function valueOr<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value;
  throw new AppError(outcome.refusal.code, outcome.refusal.message, outcome.refusal.details);
}
