/**
 * The one way a route reads a request: a zod schema per target (form, JSON body, query string,
 * route parameters) through Hono's official validator, `@hono/zod-validator`. A mismatch is an
 * `AppError` with the same shape everywhere: a code, a sentence, and `details` listing each field
 * and its problem; `http/error-handler.tsx` turns it into a JSON envelope or a page.
 *
 * @example
 *   app.post('/free-text/tags', analysts, csrfProtection, valid('form', tagForm), (c) => { const form = c.req.valid('form'); … })
 */
import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import { z } from 'zod';
import { AppError, type ErrorCode } from '../errors.ts';

export interface ValidationFailure {
  /** The error code (default: `validation` for forms and JSON bodies, `bad_request` for query strings and route parameters). */
  code?: ErrorCode;
  /** The sentence shown to the person (default: the first problem's own message when the schema gave one, else a general sentence). */
  message?: string;
}

const WHAT: Record<keyof ValidationTargets, string> = {
  form: 'The form',
  json: 'The JSON body',
  query: 'The query string',
  param: 'The address',
  header: 'The request headers',
  cookie: 'The cookies',
};

/** Each problem as `{ path, message }`, the `details` of every validation error. */
export function issueDetails(error: { issues: readonly z.core.$ZodIssue[] }): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

/** The validator middleware for `target`; the handler reads the parsed value with `c.req.valid(target)`. */
export function valid<Target extends keyof ValidationTargets, Schema extends z.ZodType>(target: Target, schema: Schema, failure: ValidationFailure = {}) {
  return zValidator(target, schema, (result) => {
    if (result.success) return;
    const code = failure.code ?? (target === 'form' || target === 'json' ? 'validation' : 'bad_request');
    const custom = result.error.issues.find((issue) => issue.code === 'custom')?.message;
    const message = failure.message ?? custom ?? `${WHAT[target]} does not have the expected shape.`;
    throw new AppError(code, message, issueDetails(result.error));
  });
}

/** A form field sent once or repeated, read as a list (`<select multiple>`, checkboxes). */
export const formList = <T extends z.ZodType>(item: T) =>
  z.preprocess((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]), z.array(item).max(200));

/** A query parameter given once or repeated, read as a list. */
export const repeatable = <T extends z.ZodType>(item: T) =>
  z.preprocess((value) => (value === undefined || Array.isArray(value) ? value : [value]), z.array(item).max(50).optional());

/** A form's text field: absent reads as an empty string, as `String(body[name] ?? '')` did. */
export const formText = (max = 10_000) => z.preprocess((value) => (value === undefined ? '' : value), z.string().max(max));

/** A positive whole number sent as text (an id in a form or an address). */
export const positiveId = z.coerce
  .number()
  .int()
  .positive()
  .max(2 ** 31 - 1);

/** A query parameter read as `c.req.query(name)` reads it: the first value when repeated, undefined when absent. */
export const queryText = z.preprocess((value) => (Array.isArray(value) ? value[0] : value), z.string().optional());

/** A form's text field read leniently, as `typeof body[name] === 'string' ? body[name] : ''` did: anything but text (absent, a file) reads as empty. */
export const lenientText = z
  .string()
  .optional()
  .catch(undefined)
  .transform((value) => value ?? '');
