/** @jsxImportSource hono/jsx */
/**
 * The questionnaires page: every survey with its stored versions and the responses pinned to
 * each; uploading a new version, its problems or a preview of what it changes, and publishing it.
 */
import { formatProblem, type FileProblem } from '../../../survey-definitions/load-definitions.ts';
import type { CheckedQuestionnaire } from '../../surveys/questionnaire-upload.ts';
import type { SurveyVersionUse } from '../../surveys/survey-versions.queries.ts';
import { KIND_LABELS, utcTime } from './admin-parts.tsx';

export interface QuestionnaireList {
  surveys: { id: string; title: string; versions: SurveyVersionUse[] }[];
}

function responseCount(versions: SurveyVersionUse[]): string {
  const n = versions.reduce((sum, v) => sum + v.responses, 0);
  return `${n} response${n === 1 ? '' : 's'}`;
}

export function UploadForm({ csrf }: { csrf: string }) {
  return (
    <form method="post" action="/admin/questionnaires/check" enctype="multipart/form-data">
      <input type="hidden" name="_csrf" value={csrf} />
      <div class="form-row">
        <label for="questionnaire-file">Questionnaire file (YAML, at most 1 MB)</label>
        <input type="file" id="questionnaire-file" name="file" accept=".yaml,.yml" required />
      </div>
      <p class="actions">
        <button type="submit" class="primary">
          Check the file
        </button>
      </p>
    </form>
  );
}

export function QuestionnaireListBody({ list, csrf }: { list: QuestionnaireList; csrf: string }) {
  return (
    <>
      <h2>Upload a new version</h2>
      <p>
        The file is checked against the shared scales and lists (<code>common.yaml</code>) of the questionnaire folder. Nothing is published before you
        have seen the preview. Responses already started keep the version they began with.
      </p>
      <UploadForm csrf={csrf} />
      {list.surveys.map((s) => (
        <section aria-labelledby={`survey-${s.id}`}>
          <h2 id={`survey-${s.id}`}>{s.title}</h2>
          <table class="data" id={`versions-${s.id}`}>
            <caption>
              Versions of {s.id}, newest first (n = {responseCount(s.versions)} over all versions)
            </caption>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Content hash</th>
                <th scope="col">Stored (UTC)</th>
                <th scope="col" class="num">
                  Responses pinned
                </th>
                <th scope="col" class="num">
                  Of which submitted
                </th>
                <th scope="col">Current</th>
              </tr>
            </thead>
            <tbody>
              {s.versions.map((v) => (
                <tr>
                  <th scope="row">{v.version}</th>
                  <td>
                    <code title={v.contentHash}>{v.contentHash.slice(0, 12)}</code>
                  </td>
                  <td>{utcTime(v.createdAt)}</td>
                  <td class="num">{v.responses}</td>
                  <td class="num">{v.submitted}</td>
                  <td>{v.current ? <a href={`/preview/${s.id}`}>current (preview)</a> : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </>
  );
}

export function ProblemsBody({ fileName, problems, csrf }: { fileName: string; problems: FileProblem[]; csrf: string }) {
  const n = problems.length;
  return (
    <>
      <div class="notice error-summary" role="alert">
        <p>
          {n} problem{n === 1 ? '' : 's'} in {fileName}; nothing was published.
        </p>
        <ul id="problems">
          {problems.map((p) => (
            <li>
              <code>{formatProblem(p)}</code>
            </li>
          ))}
        </ul>
      </div>
      <h2>Upload a corrected file</h2>
      <UploadForm csrf={csrf} />
    </>
  );
}

export function PreviewBody({ checked, csrf, notice }: { checked: CheckedQuestionnaire; csrf: string; notice?: string }) {
  const { definition, contentHash, file } = checked.loaded;
  const { current, stored, changes } = checked;
  const unchanged = current?.contentHash === contentHash;
  return (
    <>
      {notice ? (
        <p class="notice conflict" role="alert">
          {notice}
        </p>
      ) : null}
      <p class="notice preview" role="status">
        {file} is valid. Check what it changes, then publish it.
      </p>
      <dl class="receipt-meta">
        <dt>Questionnaire</dt>
        <dd>
          {definition.title.en} (<code>{definition.id}</code>)
        </dd>
        <dt>Version</dt>
        <dd>
          {definition.version}
          {current ? ` (current: ${current.version})` : ' (a new questionnaire)'}
        </dd>
        <dt>Content hash</dt>
        <dd>
          <code>{contentHash}</code>
        </dd>
        <dt>Audience</dt>
        <dd>{definition.audience.map((k) => KIND_LABELS[k]).join(', ')}</dd>
        <dt>Open</dt>
        <dd>
          {definition.opens} to {definition.closes}
          {definition.open_registration ? '; civil society may register without an invitation' : ''}
        </dd>
      </dl>
      {unchanged ? (
        <p class="notice" id="unchanged">
          This is the current version already: there is nothing to publish.
        </p>
      ) : null}
      {!unchanged && stored ? (
        <p class="notice">
          This content was stored before, as version {stored.version} ({utcTime(stored.createdAt)} UTC). Publishing makes it current again.
        </p>
      ) : null}
      {!unchanged && current && current.version === definition.version ? (
        <p class="notice">
          The version label is still “{definition.version}”, as in the current version, although the content differs. Consider raising it so that exports
          tell the versions apart.
        </p>
      ) : null}

      <h2>Changes of question ids{current ? ` against version ${current.version}` : ''}</h2>
      <ChangesTable changes={changes} />

      <h2>Contents</h2>
      {definition.sections.map((section) => (
        <table class="data">
          <caption>
            Section “{section.title.en}” (<code>{section.id}</code>), {section.questions.length} question{section.questions.length === 1 ? '' : 's'}
          </caption>
          <thead>
            <tr>
              <th scope="col">Question id</th>
              <th scope="col">Type</th>
              <th scope="col">Required</th>
              <th scope="col">Text (English)</th>
              <th scope="col">Shown if</th>
            </tr>
          </thead>
          <tbody>
            {section.questions.map((q) => (
              <tr>
                <th scope="row">
                  <code>{q.id}</code>
                </th>
                <td>{q.type.replace(/_/g, ' ')}</td>
                <td>{q.required ? 'yes' : 'no'}</td>
                <td>{q.text.en}</td>
                <td>{q.show_if ? <code>{q.show_if}</code> : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}

      {unchanged ? null : (
        <form method="post" action="/admin/questionnaires/publish" enctype="multipart/form-data">
          <input type="hidden" name="_csrf" value={csrf} />
          <input type="hidden" name="file_name" value={file} />
          <input type="hidden" name="content_hash" value={contentHash} />
          <input type="hidden" name="based_on" value={current ? String(current.id) : 'none'} />
          {/* The text is checked again when it comes back: the form is only a carrier. */}
          <input type="hidden" name="text" value={checked.text} />
          <p class="actions">
            <button type="submit" class="primary">
              Publish version {definition.version}
            </button>
            <a href="/admin/questionnaires">Cancel</a>
          </p>
          <p class="hint">New respondents get this version; responses already started stay with the version they began with.</p>
        </form>
      )}
    </>
  );
}

function ChangesTable({ changes }: { changes: CheckedQuestionnaire['changes'] }) {
  const rows = [
    ...changes.added.map((q) => ({ id: q.id, change: `added (${q.type.replace(/_/g, ' ')})` })),
    ...changes.removed.map((q) => ({ id: q.id, change: `removed (${q.type.replace(/_/g, ' ')}); answers already given stay stored with their version` })),
    ...changes.retyped.map((q) => ({ id: q.id, change: `type changed from ${q.from.replace(/_/g, ' ')} to ${q.to.replace(/_/g, ' ')}` })),
  ];
  return (
    <>
      <p>
        {changes.kept} question{changes.kept === 1 ? '' : 's'} keep their id and type (their texts or options may still differ).
      </p>
      {rows.length ? (
        <table class="data" id="question-changes">
          <caption>Questions added, removed or changed in type</caption>
          <thead>
            <tr>
              <th scope="col">Question id</th>
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <th scope="row">
                  <code>{r.id}</code>
                </th>
                <td>{r.change}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
