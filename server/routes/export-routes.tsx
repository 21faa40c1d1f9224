/** @jsxImportSource hono/jsx */
/**
 * The export page: analysts download the restricted-use bundle as one zip (the same files as
 * `assess export --survey`), for a named recipient and a stated purpose, both required and
 * recorded. The bundle is written to a temporary folder, streamed as a zip, and the folder removed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Hono, type Context } from 'hono';
import { LANGUAGE_NAMES, LANGUAGES } from '../../survey-definitions/schema.ts';
import { analyticsDb, type AppEnv } from '../app-env.ts';
import { AppError } from '../errors.ts';
import { RESTRICTED_FILES } from '../export/bundle-documents.ts';
import { checkExportOptions, DEFAULT_K, MAX_PURPOSE, MAX_RECIPIENT, MIN_K, writeExportBundle, type ExportOptions } from '../export/export-bundle.ts';
import { zipFolder } from '../export/zip-folder.ts';
import { renderPage } from '../http/render-page.ts';
import { requireRole } from '../http/require-user.ts';
import { assertCsrf } from '../http/security.ts';
import { AdminLayout, type AdminUserView } from '../pages/admin/admin-layout.tsx';
import { listCurrentSurveyVersions } from '../surveys/survey-versions.queries.ts';
import { userView } from '../http/user-view.ts';

interface ExportPageModel {
  user: AdminUserView;
  csrf: string;
  surveys: { id: string; title: string; version: string }[];
  values: { survey: string; k: string; reproducible: boolean; seed: string; recipient: string; purpose: string };
  error?: { field: string; message: string };
}

function ExportPage(m: ExportPageModel) {
  const fieldError = (field: string) =>
    m.error?.field === field ? (
      <p class="field-error" id={`${field}-error`}>
        {m.error.message}
      </p>
    ) : null;
  return (
    <AdminLayout title="Restricted-use export" user={m.user} current="/admin/export">
      <p>
        <strong>Restricted use, never to be published.</strong> The bundle holds <code>{RESTRICTED_FILES.responses}</code> (one row per submitted response, coded,
        k-anonymous on kind, region, role and organisation type only: the answers themselves can single a respondent out), <code>{RESTRICTED_FILES.codebook}</code>,{' '}
        <code>{RESTRICTED_FILES.tables}</code> (counts by stakeholder kind and region, small counts hidden), <code>manifest.json</code> (recipient, purpose, checksums and
        every suppression) and <code>README.txt</code>, which opens with the recipient, the purpose and the terms of use. No names, e-mails, countries of governments, links
        or exact times are included; free text only where approved on the free-text page. Every export is recorded with its recipient and purpose in the audit log.
      </p>
      <p>
        For publication, export the final release of a questionnaire (<code>npm run assess -- export --release &lt;id&gt;</code>): it holds a row file only when the rows
        pass a check over every column.
      </p>
      {m.error && !['k', 'seed', 'recipient', 'purpose'].includes(m.error.field) ? (
        <p class="notice error" role="alert">
          {m.error.message}
        </p>
      ) : null}
      <form method="post" action="/admin/export">
        <input type="hidden" name="_csrf" value={m.csrf} />
        <div class="form-row">
          <label for="survey">Questionnaire</label>
          <select id="survey" name="survey">
            {m.surveys.map((s) => (
              <option value={s.id} selected={s.id === m.values.survey}>
                {s.title} (version {s.version})
              </option>
            ))}
          </select>
        </div>
        <div class="form-row">
          <label for="recipient">Recipient</label>
          <input
            id="recipient"
            name="recipient"
            type="text"
            required
            maxlength={MAX_RECIPIENT}
            autocomplete="off"
            value={m.values.recipient}
            aria-describedby="recipient-hint"
            aria-invalid={m.error?.field === 'recipient' ? true : undefined}
          />
          <p class="hint" id="recipient-hint">
            Who receives the file: a person and their organisation.
          </p>
          {fieldError('recipient')}
        </div>
        <div class="form-row">
          <label for="purpose">Purpose</label>
          <textarea id="purpose" name="purpose" required maxlength={MAX_PURPOSE} rows={3} aria-describedby="purpose-hint" aria-invalid={m.error?.field === 'purpose' ? true : undefined}>
            {m.values.purpose}
          </textarea>
          <p class="hint" id="purpose-hint">
            What the recipient may use it for (an agreement, a study). Recorded with the export and printed in its README.
          </p>
          {fieldError('purpose')}
        </div>
        <div class="form-row">
          <label for="k">Smallest group (k)</label>
          <input id="k" name="k" type="number" inputmode="numeric" min={MIN_K} max={100} value={m.values.k} aria-describedby="k-hint" aria-invalid={m.error?.field === 'k' ? true : undefined} />
          <p class="hint" id="k-hint">
            Every combination of kind, region, role and organisation type appears at least k times; counts below k are hidden. At least {MIN_K}; {DEFAULT_K} unless the
            Assessment Team decided otherwise.
          </p>
          {fieldError('k')}
        </div>
        <fieldset>
          <legend>Reproducibility</legend>
          <div class="choice">
            <input id="reproducible" name="reproducible" type="checkbox" value="yes" checked={m.values.reproducible} aria-describedby="reproducible-hint" />
            <label for="reproducible">Record the seed in the manifest, so that the same data give identical files</label>
          </div>
          <p class="hint" id="reproducible-hint">
            Without it, row order and identifiers are new and unrecorded in every export. To repeat an earlier reproducible export, give its seed.
          </p>
          <label for="seed">Seed of an earlier export (optional)</label>
          <input id="seed" name="seed" type="text" spellcheck={false} autocomplete="off" value={m.values.seed} aria-invalid={m.error?.field === 'seed' ? true : undefined} />
          {fieldError('seed')}
        </fieldset>
        <button type="submit">Download the restricted-use bundle (zip)</button>
      </form>
      <h2 id="working-data">Working data for the Assessment Team (confidential)</h2>
      <p>
        Every submitted response not excluded, coded, with exact kind, region, role group and organisation type (not k-anonymous), no names, e-mails or countries, free
        text only where approved; with <code>labels.sps</code> (SPSS, PSPP), <code>labels.do</code> (Stata), <code>labels.R</code> (R) and <code>results.xlsx</code>{' '}
        (Excel). For the team's own analysis: never to be published or passed on. Every download is recorded in the audit log.
      </p>
      <form method="post" action="/admin/export/working-data">
        <input type="hidden" name="_csrf" value={m.csrf} />
        <div class="form-row">
          <label for="working-survey">Questionnaire</label>
          <select id="working-survey" name="survey">
            {m.surveys.map((s) => (
              <option value={s.id} selected={s.id === m.values.survey}>
                {s.title} (version {s.version})
              </option>
            ))}
          </select>
        </div>
        <div class="form-row">
          <label for="working-language">Language of the labels</label>
          <select id="working-language" name="language">
            {LANGUAGES.map((language) => (
              <option value={language}>{LANGUAGE_NAMES[language]}</option>
            ))}
          </select>
        </div>
        <fieldset>
          <legend>The workbook's data sheet shows</legend>
          <div class="choice">
            <input id="working-labels" name="values" type="radio" value="labels" checked />
            <label for="working-labels">Labels (“Agree”)</label>
          </div>
          <div class="choice">
            <input id="working-codes" name="values" type="radio" value="codes" />
            <label for="working-codes">Codes (“4”), as in the CSV file</label>
          </div>
        </fieldset>
        <button type="submit">Download the working data (zip)</button>
      </form>
    </AdminLayout>
  );
}

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

export function exportRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const analysts = requireRole('admin', 'analyst');

  app.get('/export', analysts, (c) => renderExportPage(c, { survey: c.req.query('survey') ?? '', k: String(DEFAULT_K), reproducible: false, seed: '', recipient: '', purpose: '' }));

  app.post('/export', analysts, async (c) => {
    const user = c.get('user')!;
    const body = await c.req.parseBody();
    assertCsrf(user.csrfToken, body['_csrf']);
    const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string).trim() : '');
    const values = {
      survey: text('survey'),
      k: text('k') || String(DEFAULT_K),
      reproducible: text('reproducible') === 'yes',
      seed: text('seed').toLowerCase(),
      recipient: text('recipient'),
      purpose: text('purpose'),
    };
    const options: ExportOptions = {
      surveyId: values.survey,
      k: /^\d+$/.test(values.k) ? Number(values.k) : Number.NaN,
      reproducible: values.reproducible,
      ...(values.seed ? { seed: values.seed } : {}),
      actor: user.email,
      recipient: values.recipient,
      purpose: values.purpose,
    };
    try {
      checkExportOptions(options);
    } catch (error) {
      if (error instanceof AppError && error.code === 'validation') {
        const field = (error.details as { field?: string } | undefined)?.field ?? '';
        return renderExportPage(c, values, { field, message: error.message });
      }
      throw error;
    }
    const folder = await mkdtemp(path.join(os.tmpdir(), 'fat-export-'));
    let manifest;
    try {
      // On the primary: the bundle records itself in the audit log through the handle it reads with.
      manifest = await writeExportBundle(c.get('deps').db, options, folder);
    } catch (error) {
      await rm(folder, { recursive: true, force: true });
      throw error;
    }
    const day = c.get('deps').now().toISOString().slice(0, 10);
    // README and manifest first, then every file the manifest lists (the analysts' files included).
    const names = [RESTRICTED_FILES.readme, RESTRICTED_FILES.manifest, ...manifest.files.map((f) => f.name).filter((name) => name !== RESTRICTED_FILES.readme)];
    return c.body(zipFolder(folder, names, { removeFolder: true }), 200, {
      'Content-Type': 'application/zip',
      'Content-Disposition': `attachment; filename="${options.surveyId}-restricted-${day}.zip"`,
      'Cache-Control': 'no-store',
    });
  });

  return app;
}
