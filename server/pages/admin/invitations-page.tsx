/** @jsxImportSource hono/jsx */
/**
 * The invitations page of one questionnaire: its links with their state, revoking and reissuing
 * them, and inviting more respondents from a CSV file (every bad row reported with its line).
 */
import type { InvitationOverview } from '../../respondents/invitation-overview.queries.ts';
import { INVITEE_COLUMNS, type RowError } from '../../respondents/invitee-csv.ts';
import { DataTable, KIND_LABELS, Notice, Pager, utcTime, type PageWindow } from './admin-parts.tsx';
import { AdminLayout, FormError, type AdminUserView } from './admin-layout.tsx';

export interface InvitationsView {
  survey: { id: string; title: string };
  rows: InvitationOverview[];
  window: PageWindow;
  csrf: string;
  notice?: string;
  /** A link made just now (reissue): shown once, never stored. */
  newLink?: { name: string; link: string };
  /** Why the last upload was refused. */
  upload?: { fileName: string; errors: RowError[] } | { error: string };
}

const LINK_COLUMNS = ['Name', 'Kind', 'Country', 'Link', 'First opened', 'Response', 'Actions'];

const PROGRESS_LABELS = { not_started: 'not started', in_progress: 'in progress', submitted: 'submitted' } as const;

/** The invitations page of one questionnaire. */
export function InvitationsPage({ user, view }: { user: AdminUserView | undefined; view: InvitationsView }) {
  return (
    <AdminLayout title="Invitations" user={user} current="/admin/invitations">
      <InvitationsBody view={view} />
    </AdminLayout>
  );
}

export function InvitationsBody({ view }: { view: InvitationsView }) {
  const { survey } = view;
  return (
    <>
      {view.notice ? <Notice>{view.notice}</Notice> : null}
      {view.newLink ? (
        <div class="notice success link-box" role="status">
          <p>
            New link for <strong>{view.newLink.name}</strong>; the old one no longer works. Copy it now: it is not stored and cannot be shown again.
          </p>
          <code id="new-link">{view.newLink.link}</code>
        </div>
      ) : null}
      <UploadProblems upload={view.upload} />
      <p class="hint">
        {survey.title} ({survey.id})
      </p>

      <h2>Invite from a CSV file</h2>
      <p>
        Columns (header row required, any order): <code>{INVITEE_COLUMNS.join(', ')}</code>. Several roles are separated by <code>;</code>. If any row is wrong
        nothing is imported and every problem is listed with its line.
      </p>
      <p>
        When the file is accepted, the file of links downloads at once. <strong>Keep it safe: the links are not stored and cannot be shown again.</strong>
      </p>
      <form method="post" action="/admin/invitations/upload" enctype="multipart/form-data">
        <input type="hidden" name="_csrf" value={view.csrf} />
        <input type="hidden" name="survey" value={survey.id} />
        <div class="form-row">
          <label for="invitee-file">Invitee file (CSV, UTF-8)</label>
          <input type="file" id="invitee-file" name="file" accept=".csv,text/csv" required />
        </div>
        <p class="actions">
          <button type="submit" class="primary">
            Import and download the links
          </button>
        </p>
      </form>

      <h2>Send the links by e-mail</h2>
      <p>
        E-mails every working link not e-mailed yet to its invitee's address; delivery is followed on the{' '}
        <a href={`/admin/outbox?survey=${encodeURIComponent(survey.id)}`}>Outbox</a> page.
      </p>
      <form method="post" action="/admin/invitations/send">
        <input type="hidden" name="_csrf" value={view.csrf} />
        <input type="hidden" name="survey" value={survey.id} />
        <p class="actions">
          <button type="submit">Send invitations</button>
        </p>
      </form>

      <h2 id="links">Links</h2>
      {view.rows.length ? (
        <DataTable id="invitation-list" caption={`Invitation links (${view.window.total}, revoked ones included)`} columns={LINK_COLUMNS}>
          <tbody>
            {view.rows.map((r) => (
              <tr>
                <th scope="row">{r.name}</th>
                <td>
                  {KIND_LABELS[r.kind]}
                  {r.source === 'open_registration' ? <span class="hint"> (registered)</span> : null}
                </td>
                <td>{r.country ?? ''}</td>
                <td>{r.revokedAt ? `revoked ${utcTime(r.revokedAt)}` : 'working'}</td>
                <td>{r.firstOpenedAt ? utcTime(r.firstOpenedAt) : 'never'}</td>
                <td>{r.progress === 'submitted' ? `submitted ${utcTime(r.firstSubmittedAt)}` : PROGRESS_LABELS[r.progress]}</td>
                <td class="row-actions">
                  {r.revokedAt ? null : <LinkAction row={r} action="revoke" csrf={view.csrf} />}
                  {r.latest ? <LinkAction row={r} action="reissue" csrf={view.csrf} /> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      ) : (
        <p>No one is invited yet.</p>
      )}
      <Pager
        window={view.window}
        label="Pages of invitation links"
        href={(page) => `/admin/invitations?survey=${encodeURIComponent(survey.id)}&page=${page}#links`}
      />
    </>
  );
}

function LinkAction({ row, action, csrf }: { row: InvitationOverview; action: 'revoke' | 'reissue'; csrf: string }) {
  return (
    <form method="post" action={`/admin/invitations/${row.invitationId}/${action}`} class="inline-form">
      <input type="hidden" name="_csrf" value={csrf} />
      <button type="submit" class="secondary" aria-label={`${action === 'revoke' ? 'Revoke' : 'Reissue'} the link of ${row.name}`}>
        {action === 'revoke' ? 'Revoke' : 'Reissue'}
      </button>
    </form>
  );
}

function UploadProblems({ upload }: { upload: InvitationsView['upload'] }) {
  if (!upload) return null;
  if ('error' in upload) return <FormError message={upload.error} />;
  const n = upload.errors.length;
  return (
    <div class="notice error-summary" role="alert">
      <p>
        {n} problem{n === 1 ? '' : 's'} in {upload.fileName}; nothing was imported. Correct the file and upload it again.
      </p>
      <DataTable id="upload-errors" caption="Problems by line of the file (the header is line 1)" columns={['Line', 'Column', 'Problem']}>
        <tbody>
          {upload.errors.map((e) => (
            <tr>
              <th scope="row">{e.line}</th>
              <td>{e.column ?? ''}</td>
              <td>{e.message}</td>
            </tr>
          ))}
        </tbody>
      </DataTable>
    </div>
  );
}
