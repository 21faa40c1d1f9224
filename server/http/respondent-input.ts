/**
 * What the respondent's routes read from a request, as zod schemas for `valid(…)`: the form
 * pages' fields, the section and questionnaire in the address, the registration and "lost your
 * link?" forms. Each keeps the reading the routes had before they were declared as schemas
 * (`Number(…)` for numbers, the last value of a repeated text field).
 */
import { z } from 'zod';
import { fieldsFromBody, type FormFields } from '../pages/form-data.ts';
import type { ValidationFailure } from './validate.ts';

/** A form page posted without a usable `_revision` (a page from before a reload, a forged post). */
export const FORM_INCOMPLETE = { code: 'bad_request', message: 'The form is incomplete; please reload the page.' } as const satisfies ValidationFailure;

/** A section number that is none (`/form/section/0`, `/form/section/abc`). */
export const NO_SUCH_SECTION = { code: 'not_found', message: 'There is no such section.' } as const satisfies ValidationFailure;

/** An invitation token in the address (`/r/:token`, `/api/r/:token`). */
export const tokenParam = z.object({ token: z.string() });

/** A questionnaire id in the address (`/open/:surveyId`, `/preview/:surveyId`). */
export const surveyParam = z.object({ surveyId: z.string() });

/**
 * A section's number in the address, from 1 (`/form/section/:n`); whether the questionnaire has
 * that many sections is for the route to check. Refuse with {@link NO_SUCH_SECTION}.
 */
export const sectionNumber = z.string().transform((text, ctx) => {
  const n = Number(text);
  if (Number.isInteger(n) && n >= 1) return n;
  ctx.addIssue({ code: 'custom', message: NO_SUCH_SECTION.message });
  return z.NEVER;
});
export const sectionParam = z.object({ n: sectionNumber });
export const previewSectionParam = z.object({ surveyId: z.string(), n: sectionNumber });

/** The `?notice=` a section page shows after a redirect; anything else shows none. */
export const sectionNoticeQuery = z.object({
  notice: z.preprocess((value) => {
    const first = Array.isArray(value) ? value[0] : value;
    return first === 'saved' || first === 'new_questions' ? first : undefined;
  }, z.enum(['saved', 'new_questions']).optional()),
});

/** The fields of a form page as posted: one text each, or a list when repeated (files left out). */
export const postedFields = z.record(z.string(), z.unknown()).transform(fieldsFromBody);

/** Which button of a form page was pressed (`_action`): back, save for later, or on (the default). */
export type PageAction = 'previous' | 'later' | 'next';

export function pageAction(fields: FormFields): PageAction {
  const action = fields['_action'];
  return action === 'previous' || action === 'later' ? action : 'next';
}

/** A form page's fields, the revision it showed (`_revision`, a whole number from 0) and the button pressed. Refuse with {@link FORM_INCOMPLETE}. */
export const revisedFields = postedFields.transform((fields, ctx) => {
  const revision = Number(fields['_revision']);
  if (Number.isInteger(revision) && revision >= 0) return { fields, revision, action: pageAction(fields) };
  ctx.addIssue({ code: 'custom', path: ['_revision'], message: FORM_INCOMPLETE.message });
  return z.NEVER;
});

/** A text field: the last value when repeated (as a form without `all` reads it), empty when absent or a file. */
const lastText = z.preprocess((value) => {
  const last = Array.isArray(value) ? value.at(-1) : value;
  return typeof last === 'string' ? last : '';
}, z.string());
const trimmedText = lastText.transform((text) => text.trim());

/** The open registration's form; whether each value is acceptable is shown on the page, field by field. */
export const registrationForm = z.object({ name: trimmedText, country: lastText, org_type: lastText, email: trimmedText });

/** The "lost your link?" form: the questionnaire and the address the invitation went to. */
export const lostLinkForm = z.object({ survey: lastText, email: trimmedText });
