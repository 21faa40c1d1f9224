/**
 * The Assessment Team's working data as a zip (`POST /admin/export/working-data`, analysts and
 * admins, CSRF-checked, audit-logged): the same files as `assess data`, CONFIDENTIAL. The form is
 * on the export page. The files are written to a temporary folder, streamed, and the folder removed.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Hono } from 'hono';
import { LANGUAGES, type Language } from '../../survey-definitions/schema.ts';
import type { AppEnv } from '../app-env.ts';
import { AppError } from '../errors.ts';
import { WORKING_FILES, writeWorkingData } from '../export/working-data.ts';
import { zipFolder } from '../export/zip-folder.ts';
import { requireRole } from '../http/require-user.ts';
import { assertCsrf } from '../http/security.ts';

export function workingDataRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.post('/export/working-data', requireRole('admin', 'analyst'), async (c) => {
    const user = c.get('user')!;
    const body = await c.req.parseBody();
    assertCsrf(user.csrfToken, body['_csrf']);
    const field = (name: string) => (typeof body[name] === 'string' ? (body[name] as string).trim() : '');
    const surveyId = field('survey');
    const language = field('language') || 'en';
    const values = field('values') || 'labels';
    if (!surveyId) throw new AppError('validation', 'Choose a questionnaire.', { field: 'survey' });
    if (!(LANGUAGES as readonly string[]).includes(language)) throw new AppError('validation', `The language is one of ${LANGUAGES.join(', ')}.`, { field: 'language' });
    if (values !== 'labels' && values !== 'codes') throw new AppError('validation', 'The workbook shows labels or codes.', { field: 'values' });

    const folder = await mkdtemp(path.join(os.tmpdir(), 'fat-working-'));
    let names: string[];
    try {
      // On the primary: the export records itself in the audit log through the handle it reads with.
      await writeWorkingData(c.get('deps').db, { surveyId, language: language as Language, values, actor: user.email }, folder);
      names = (await readdir(folder)).sort((a, b) => Number(b === WORKING_FILES.readme) - Number(a === WORKING_FILES.readme) || a.localeCompare(b));
    } catch (error) {
      await rm(folder, { recursive: true, force: true });
      throw error;
    }
    const day = c.get('deps').now().toISOString().slice(0, 10);
    return c.body(zipFolder(folder, names, { removeFolder: true }), 200, {
      'Content-Type': 'application/zip',
      'Content-Disposition': `attachment; filename="${surveyId}-working-data-confidential-${day}.zip"`,
      'Cache-Control': 'no-store',
    });
  });

  return app;
}
