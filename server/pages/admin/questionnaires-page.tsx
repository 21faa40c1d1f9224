/** @jsxImportSource hono/jsx */
/**
 * The questionnaires page: every survey with its stored versions and the responses pinned to
 * each; uploading a new version, its problems or a preview of what it changes, and publishing it.
 */
import { formatProblem, type FileProblem } from '../../../survey-definitions/load-definitions.ts';
import type { SurveyVersionUse } from '../../surveys/survey-versions.queries.ts';
import { AdminLayout, FormError, type AdminUserView } from './admin-layout.tsx';
import { DataTable, Notice, utcTime } from './admin-parts.tsx';

export interface QuestionnaireList {
  surveys: { id: string; title: string; versions: SurveyVersionUse[] }[];
}

const VERSION_COLUMNS = [
  'Version',
  'Content hash',
  'Stored (UTC)',
  { label: 'Responses pinned', num: true },
  { label: 'Of which submitted', num: true },
  'Current',
] as const;

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
        The file is checked against the shared scales and lists (<code>common.yaml</code>) of the questionnaire folder. Nothing is published before you have
        seen the preview. Responses already started keep the version they began with.
      </p>
      <UploadForm csrf={csrf} />
      {list.surveys.map((s) => (
        <section aria-labelledby={`survey-${s.id}`}>
          <h2 id={`survey-${s.id}`}>{s.title}</h2>
          <DataTable
            id={`versions-${s.id}`}
            caption={
              <>
                Versions of {s.id}, newest first (n = {responseCount(s.versions)} over all versions)
              </>
            }
            columns={VERSION_COLUMNS}
          >
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
          </DataTable>
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

const TITLE = 'Questionnaires';

/** The questionnaires and their versions, with the outcome of a publication (and a warning about the folder) above. */
export function QuestionnairesPage({
  user,
  list,
  notice,
  warning,
}: {
  user: AdminUserView;
  list: QuestionnaireList;
  notice?: string | undefined;
  warning?: string | undefined;
}) {
  return (
    <AdminLayout title={TITLE} user={user} current="/admin/questionnaires">
      {notice ? <Notice>{notice}</Notice> : null}
      {warning ? (
        <p class="notice preview" role="alert" id="folder-warning">
          {warning}
        </p>
      ) : null}
      <QuestionnaireListBody list={list} csrf={user.csrfToken} />
    </AdminLayout>
  );
}

/** The problems of an uploaded file, and the form to upload a corrected one. */
export function QuestionnaireProblemsPage({ user, fileName, problems }: { user: AdminUserView; fileName: string; problems: FileProblem[] }) {
  return (
    <AdminLayout title={TITLE} user={user} current="/admin/questionnaires">
      <ProblemsBody fileName={fileName} problems={problems} csrf={user.csrfToken} />
    </AdminLayout>
  );
}

/** An upload that could not be read at all (no file, not UTF-8), and the form again. */
export function UploadRefusedPage({ user, message }: { user: AdminUserView; message: string }) {
  return (
    <AdminLayout title={TITLE} user={user} current="/admin/questionnaires">
      <FormError message={message} />
      <UploadForm csrf={user.csrfToken} />
    </AdminLayout>
  );
}
