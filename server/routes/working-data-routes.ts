/**
 * The Assessment Team's working data as a zip (`POST /admin/export/working-data`, analysts and
 * admins, CSRF-checked, audit-logged): the same files as `assess data`, CONFIDENTIAL. The form is
 * on the export page. The files are written to a temporary folder, streamed, and the folder removed.
 */
import { readdir } from 'node:fs/promises';
import { Hono } from 'hono';
import { z } from 'zod';
import { LANGUAGES, type Language } from '../../survey-definitions/schema.ts';
import type { AppEnv } from '../app-env.ts';
import { ok, valueOr } from '../errors.ts';
import { tryWriteWorkingData, WORKING_FILES } from '../export/working-data.ts';
import { requireRole } from '../http/require-user.ts';
import { csrfProtection } from '../http/security.ts';
import { lenientText, valid } from '../http/validate.ts';
import { zipHeaders, zipOfNewFolder } from '../http/zip-download.ts';

const trimmed = lenientText.transform((text) => text.trim());
/** The questionnaire, the language of the labels (English by default) and what the workbook shows (labels by default); the first problem is the message. */
const workingDataForm = z.object({
  survey: trimmed.refine((survey) => survey !== '', 'Choose a questionnaire.'),
  language: trimmed
    .transform((language) => language || 'en')
    .pipe(z.custom<Language>((language) => (LANGUAGES as readonly unknown[]).includes(language), `The language is one of ${LANGUAGES.join(', ')}.`)),
  values: trimmed
    .transform((values) => values || 'labels')
    .pipe(z.custom<'labels' | 'codes'>((values) => values === 'labels' || values === 'codes', 'The workbook shows labels or codes.')),
});

/** README first, then the other files in alphabetical order. */
const readmeFirst = (a: string, b: string) => Number(b === WORKING_FILES.readme) - Number(a === WORKING_FILES.readme) || a.localeCompare(b);

/** `POST /export/working-data`, mounted at `/admin`. */
export function workingDataRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.post('/export/working-data', requireRole('admin', 'analyst'), csrfProtection, valid('form', workingDataForm), async (c) => {
    const user = c.get('user')!;
    const { survey: surveyId, language, values } = c.req.valid('form');
    const zip = await zipOfNewFolder('fat-working-', async (folder) => {
      // On the primary: the export records itself in the audit log through the handle it reads with.
      const written = await tryWriteWorkingData(c.get('deps').db, { surveyId, language, values, actor: user.email }, folder);
      return written.ok ? ok((await readdir(folder)).sort(readmeFirst)) : written;
    });
    const day = c.get('deps').now().toISOString().slice(0, 10);
    return c.body(valueOr(zip), 200, zipHeaders(`${surveyId}-working-data-confidential-${day}.zip`));
  });

  return app;
}
