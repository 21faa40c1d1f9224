/** @jsxImportSource hono/jsx */
/**
 * The preview of a valid uploaded questionnaire: what it is, what it changes against the current
 * version, its contents, and the form that publishes it (carrying the checked text back).
 */
import type { CheckedQuestionnaire } from '../../surveys/questionnaire-upload.ts';
import { AdminLayout, type AdminUserView } from './admin-layout.tsx';
import { DataTable, KIND_LABELS, utcTime } from './admin-parts.tsx';

const CONTENT_COLUMNS = ['Question id', 'Type', 'Required', 'Text (English)', 'Shown if'];

/** The preview page; `notice` says why it is shown again instead of publishing (409). */
export function QuestionnairePreviewPage({ user, checked, notice }: { user: AdminUserView; checked: CheckedQuestionnaire; notice?: string | undefined }) {
  const { id, version } = checked.loaded.definition;
  return (
    <AdminLayout title={`Preview of ${id} version ${version}`} user={user} current="/admin/questionnaires">
      <PreviewBody checked={checked} csrf={user.csrfToken} {...(notice ? { notice } : {})} />
    </AdminLayout>
  );
}

function PreviewBody({ checked, csrf, notice }: { checked: CheckedQuestionnaire; csrf: string; notice?: string }) {
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
          The version label is still “{definition.version}”, as in the current version, although the content differs. Consider raising it so that exports tell
          the versions apart.
        </p>
      ) : null}

      <h2>Changes of question ids{current ? ` against version ${current.version}` : ''}</h2>
      <ChangesTable changes={changes} />

      <h2>Contents</h2>
      {definition.sections.map((section) => (
        <DataTable
          caption={
            <>
              Section “{section.title.en}” (<code>{section.id}</code>), {section.questions.length} question{section.questions.length === 1 ? '' : 's'}
            </>
          }
          columns={CONTENT_COLUMNS}
        >
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
        </DataTable>
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
        <DataTable id="question-changes" caption="Questions added, removed or changed in type" columns={['Question id', 'Change']}>
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
        </DataTable>
      ) : null}
    </>
  );
}
