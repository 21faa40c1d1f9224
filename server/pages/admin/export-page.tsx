/** @jsxImportSource hono/jsx */
/**
 * The export page: the restricted-use bundle (one zip, for a named recipient and a stated purpose,
 * both required and recorded) and the Assessment Team's confidential working data.
 */
import { LANGUAGE_NAMES, LANGUAGES } from '../../../survey-definitions/schema.ts';
import { RESTRICTED_FILES } from '../../export/bundle-documents.ts';
import { DEFAULT_K, MAX_PURPOSE, MAX_RECIPIENT, MIN_K } from '../../export/export-bundle.ts';
import { AdminLayout, type AdminUserView } from './admin-layout.tsx';
import { SurveySelect } from './admin-parts.tsx';

/** What the export page shows: the questionnaires, the values of the form, and a refused value with the reason. */
export interface ExportPageModel {
  user: AdminUserView;
  csrf: string;
  surveys: { id: string; title: string; version: string }[];
  values: { survey: string; k: string; reproducible: boolean; seed: string; recipient: string; purpose: string };
  error?: { field: string; message: string };
}

/** The export page: the restricted-use bundle for a named recipient and purpose, and the team's working data. */
export function ExportPage(m: ExportPageModel) {
  const fieldError = (field: string) =>
    m.error?.field === field ? (
      <p class="field-error" id={`${field}-error`}>
        {m.error.message}
      </p>
    ) : null;
  return (
    <AdminLayout title="Restricted-use export" user={m.user} current="/admin/export">
      <p>
        <strong>Restricted use, never to be published.</strong> The bundle holds <code>{RESTRICTED_FILES.responses}</code> (one row per submitted response,
        coded, k-anonymous on kind, region, role and organisation type only: the answers themselves can single a respondent out),{' '}
        <code>{RESTRICTED_FILES.codebook}</code>, <code>{RESTRICTED_FILES.tables}</code> (counts by stakeholder kind and region, small counts hidden),{' '}
        <code>manifest.json</code> (recipient, purpose, checksums and every suppression) and <code>README.txt</code>, which opens with the recipient, the
        purpose and the terms of use. No names, e-mails, countries of governments, links or exact times are included; free text only where approved on the
        free-text page. Every export is recorded with its recipient and purpose in the audit log.
      </p>
      <p>
        For publication, export the final release of a questionnaire (<code>npm run assess -- export --release &lt;id&gt;</code>): it holds a row file only when
        the rows pass a check over every column.
      </p>
      {m.error && !['k', 'seed', 'recipient', 'purpose'].includes(m.error.field) ? (
        <p class="notice error" role="alert">
          {m.error.message}
        </p>
      ) : null}
      <form method="post" action="/admin/export">
        <input type="hidden" name="_csrf" value={m.csrf} />
        <SurveySelect surveys={m.surveys} selected={m.values.survey} withVersion />
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
          <textarea
            id="purpose"
            name="purpose"
            required
            maxlength={MAX_PURPOSE}
            rows={3}
            aria-describedby="purpose-hint"
            aria-invalid={m.error?.field === 'purpose' ? true : undefined}
          >
            {m.values.purpose}
          </textarea>
          <p class="hint" id="purpose-hint">
            What the recipient may use it for (an agreement, a study). Recorded with the export and printed in its README.
          </p>
          {fieldError('purpose')}
        </div>
        <div class="form-row">
          <label for="k">Smallest group (k)</label>
          <input
            id="k"
            name="k"
            type="number"
            inputmode="numeric"
            min={MIN_K}
            max={100}
            value={m.values.k}
            aria-describedby="k-hint"
            aria-invalid={m.error?.field === 'k' ? true : undefined}
          />
          <p class="hint" id="k-hint">
            Every combination of kind, region, role and organisation type appears at least k times; counts below k are hidden. At least {MIN_K}; {DEFAULT_K}{' '}
            unless the Assessment Team decided otherwise.
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
          <input
            id="seed"
            name="seed"
            type="text"
            spellcheck={false}
            autocomplete="off"
            value={m.values.seed}
            aria-invalid={m.error?.field === 'seed' ? true : undefined}
          />
          {fieldError('seed')}
        </fieldset>
        <button type="submit">Download the restricted-use bundle (zip)</button>
      </form>
      <h2 id="working-data">Working data for the Assessment Team (confidential)</h2>
      <p>
        Every submitted response not excluded, coded, with exact kind, region, role group and organisation type (not k-anonymous), no names, e-mails or
        countries, free text only where approved; with <code>labels.sps</code> (SPSS, PSPP), <code>labels.do</code> (Stata), <code>labels.R</code> (R) and{' '}
        <code>results.xlsx</code> (Excel). For the team's own analysis: never to be published or passed on. Every download is recorded in the audit log.
      </p>
      <form method="post" action="/admin/export/working-data">
        <input type="hidden" name="_csrf" value={m.csrf} />
        <SurveySelect id="working-survey" surveys={m.surveys} selected={m.values.survey} withVersion />
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
