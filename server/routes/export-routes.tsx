/** @jsxImportSource hono/jsx */
/**
 * The export page: analysts download the restricted-use bundle as one zip (the same files as
 * `assess export --survey`), for a named recipient and a stated purpose, both required and
 * recorded. The bundle is written to a temporary folder, streamed as a zip, and the folder removed.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { analyticsDb, type AppEnv } from '../app-env.ts';
import { ok, valueOr } from '../errors.ts';
import { RESTRICTED_FILES } from '../export/bundle-documents.ts';
import { DEFAULT_K, tryWriteExportBundle, validateExportOptions, type ExportOptions } from '../export/export-bundle.ts';
import { renderPage } from '../http/render-page.ts';
import { requireRole } from '../http/require-user.ts';
import { csrfProtection } from '../http/security.ts';
import { lenientText, queryText, valid } from '../http/validate.ts';
import { zipHeaders, zipOfNewFolder } from '../http/zip-download.ts';
import { ExportPage, type ExportPageModel } from '../pages/admin/export-page.tsx';
import { listCurrentSurveyVersions } from '../surveys/survey-versions.queries.ts';
import { userView } from '../http/user-view.ts';

const trimmed = lenientText.transform((text) => text.trim());
/** The export form as typed, shown again with a refused value: k defaults to 5, the seed is read in lower case. */
const exportForm = z.object({
  survey: trimmed,
  k: trimmed.transform((k) => k || String(DEFAULT_K)),
  reproducible: trimmed.transform((reproducible) => reproducible === 'yes'),
  seed: trimmed.transform((seed) => seed.toLowerCase()),
  recipient: trimmed,
  purpose: trimmed,
});

async function renderExportPage(c: Context<AppEnv>, values: ExportPageModel['values'], error?: ExportPageModel['error']) {
  const surveys = await listCurrentSurveyVersions(analyticsDb(c));
  const model: ExportPageModel = {
    user: userView(c)!,
    csrf: c.get('user')!.csrfToken,
    surveys: surveys.map((s) => ({ id: s.surveyId, title: s.definition.title.en, version: s.version })),
    values: { ...values, survey: values.survey || (surveys[0]?.surveyId ?? '') },
    ...(error ? { error } : {}),
  };
  return renderPage(c, <ExportPage {...model} />, error ? 422 : 200);
}

/** The export page (`/admin/export`) and its restricted-use bundle, for admins and analysts. */
export function exportRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const analysts = requireRole('admin', 'analyst');

  app.get('/export', analysts, valid('query', z.object({ survey: queryText })), (c) =>
    renderExportPage(c, { survey: c.req.valid('query').survey ?? '', k: String(DEFAULT_K), reproducible: false, seed: '', recipient: '', purpose: '' }),
  );

  app.post('/export', analysts, csrfProtection, valid('form', exportForm), async (c) => {
    const user = c.get('user')!;
    const values = c.req.valid('form');
    const options: ExportOptions = {
      surveyId: values.survey,
      k: /^\d+$/.test(values.k) ? Number(values.k) : Number.NaN,
      reproducible: values.reproducible,
      ...(values.seed ? { seed: values.seed } : {}),
      actor: user.email,
      recipient: values.recipient,
      purpose: values.purpose,
    };
    const checked = validateExportOptions(options);
    if (!checked.ok) return renderExportPage(c, values, { field: checked.refusal.details?.field ?? '', message: checked.refusal.message });
    const zip = await zipOfNewFolder('fat-export-', async (folder) => {
      // On the primary: the bundle records itself in the audit log through the handle it reads with.
      const written = await tryWriteExportBundle(c.get('deps').db, options, folder);
      if (!written.ok) return written;
      // README and manifest first, then every file the manifest lists (the analysts' files included).
      return ok([
        RESTRICTED_FILES.readme,
        RESTRICTED_FILES.manifest,
        ...written.value.files.map((f) => f.name).filter((name) => name !== RESTRICTED_FILES.readme),
      ]);
    });
    const day = c.get('deps').now().toISOString().slice(0, 10);
    return c.body(valueOr(zip), 200, zipHeaders(`${options.surveyId}-restricted-${day}.zip`));
  });

  return app;
}
