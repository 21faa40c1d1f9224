/** @jsxImportSource hono/jsx */
/**
 * The Outbox of one questionnaire: where e-mail goes, how many messages are in each state, every
 * message with its delivery (the server's reply, or why it failed and when it is tried again),
 * sending invitations and reminders, and a preview of each message in each language.
 */
import { LANGUAGES } from '../../../survey-definitions/schema.ts';
import type { MailKind, MailState } from '../../db/schema.ts';
import type { MessageListRow } from '../../mail/mail.queries.ts';
import { GFMD_ROLES } from '../../respondents/invitee-csv.ts';
import { AdminLayout, type AdminUserView } from './admin-layout.tsx';
import { DataTable, KIND_LABELS, Notice, Pager, utcTime, type PageWindow } from './admin-parts.tsx';

export interface OutboxView {
  survey: { id: string; title: string };
  destination: { kind: 'smtp' | 'outbox'; describe: string } | undefined;
  counts: Record<MailState, number>;
  rows: MessageListRow[];
  window: PageWindow;
  rounds: string[];
  regions: string[];
  kinds: (keyof typeof KIND_LABELS)[];
  csrf: string;
  notice?: string;
}

export const MAIL_KIND_LABELS: Record<MailKind, string> = {
  invitation: 'Invitation',
  reminder: 'Reminder',
  reminder_amended: 'Reminder (changes not resubmitted)',
  lost_link: 'Lost link',
};

export const MAIL_STATE_LABELS: Record<MailState, string> = {
  queued: 'queued',
  sending: 'sending',
  sent: 'sent',
  retrying: 'to retry',
  failed: 'failed',
};

const MESSAGE_COLUMNS = ['To', 'Message', 'State', 'Attempts', 'Queued (UTC)', 'Sent or next attempt (UTC)', "Server's reply or reason"];

/** The Outbox of one questionnaire. */
export function OutboxPage({ user, view }: { user: AdminUserView | undefined; view: OutboxView }) {
  return (
    <AdminLayout title="Outbox" user={user} current="/admin/outbox">
      <OutboxBody view={view} />
    </AdminLayout>
  );
}

export function OutboxBody({ view }: { view: OutboxView }) {
  const { survey } = view;
  const href = (page: number) => `/admin/outbox?survey=${encodeURIComponent(survey.id)}&page=${page}#messages`;
  return (
    <>
      {view.notice ? <Notice>{view.notice}</Notice> : null}
      <p class="hint">
        {survey.title} ({survey.id})
      </p>
      <p id="destination">
        {view.destination?.kind === 'smtp' ? (
          <>E-mail is sent through the mail server {view.destination.describe}.</>
        ) : (
          <>
            No mail server is set (SMTP_URL): every message is written as an <code>.eml</code> file to{' '}
            <code>{view.destination?.describe ?? 'the outbox folder'}</code>, where it can be opened with a mail program. Nothing is lost: set SMTP_URL to send
            the messages still to come.
          </>
        )}
      </p>

      <DataTable id="mail-states" caption="Messages by state" columns={Object.values(MAIL_STATE_LABELS)}>
        <tbody>
          <tr>
            {(Object.keys(MAIL_STATE_LABELS) as MailState[]).map((state) => (
              <td class="num">{view.counts[state]}</td>
            ))}
          </tr>
        </tbody>
      </DataTable>

      <h2>Send invitations</h2>
      <p>E-mails every working link that has not been e-mailed yet to its invitee's address. Invitees without an address are left out.</p>
      <form method="post" action="/admin/invitations/send">
        <input type="hidden" name="_csrf" value={view.csrf} />
        <input type="hidden" name="survey" value={survey.id} />
        <p class="actions">
          <button type="submit" class="primary">
            Send invitations
          </button>
        </p>
      </form>

      <h2>Send reminders</h2>
      <form method="post" action="/admin/outbox/remind">
        <input type="hidden" name="_csrf" value={view.csrf} />
        <input type="hidden" name="survey" value={survey.id} />
        <fieldset>
          <legend>Who</legend>
          <label class="check">
            <input type="radio" name="target" value="not_submitted" checked /> invitees who have not submitted
          </label>
          <label class="check">
            <input type="radio" name="target" value="amended" /> invitees who changed their submitted answers and have not submitted them again
          </label>
        </fieldset>
        <div class="form-row">
          <label for="remind-kind">Kind</label>
          <select id="remind-kind" name="kind">
            <option value="">All</option>
            {view.kinds.map((k) => (
              <option value={k}>{KIND_LABELS[k]}</option>
            ))}
          </select>
        </div>
        <div class="form-row">
          <label for="remind-region">Region</label>
          <select id="remind-region" name="region">
            <option value="">All</option>
            {view.regions.map((r) => (
              <option value={r}>{r}</option>
            ))}
          </select>
        </div>
        <div class="form-row">
          <label for="remind-role">GFMD role</label>
          <select id="remind-role" name="role">
            <option value="">All</option>
            {GFMD_ROLES.map((r) => (
              <option value={r}>{r}</option>
            ))}
          </select>
        </div>
        <div class="form-row">
          <label for="remind-round">Round</label>
          <input type="text" id="remind-round" name="round" maxlength={60} required value={view.rounds.at(-1) ?? '1'} aria-describedby="remind-round-hint" />
          <span class="hint" id="remind-round-hint">
            Each invitee is reminded once per round. {view.rounds.length ? `Rounds so far: ${view.rounds.join(', ')}. ` : ''}To remind everyone again, give a
            new round name.
          </span>
        </div>
        <p class="actions">
          <button type="submit" class="primary">
            Send reminders
          </button>
        </p>
      </form>

      <h2>Preview the messages</h2>
      <ul>
        {(Object.keys(MAIL_KIND_LABELS) as MailKind[]).map((kind) => (
          <li>
            {MAIL_KIND_LABELS[kind]}:{' '}
            {LANGUAGES.map((language) => (
              <>
                <a href={`/admin/outbox/preview?survey=${encodeURIComponent(survey.id)}&kind=${kind}&language=${language}`}>{language.toUpperCase()}</a>{' '}
              </>
            ))}
          </li>
        ))}
      </ul>

      <h2 id="messages">Messages</h2>
      {view.rows.length ? (
        <DataTable id="message-list" caption={`Messages of this questionnaire (${view.window.total}), newest first`} columns={MESSAGE_COLUMNS}>
          <tbody>
            {view.rows.map((m) => (
              <tr>
                <td>
                  {m.name}
                  <br />
                  <span class="hint">{m.recipient}</span>
                </td>
                <td>
                  {MAIL_KIND_LABELS[m.kind]}
                  {m.round ? `, round ${m.round}` : ''} ({m.language.toUpperCase()})
                </td>
                <td>{MAIL_STATE_LABELS[m.state]}</td>
                <td class="num">{m.attempts}</td>
                <td>{utcTime(m.createdAt)}</td>
                <td>{m.state === 'sent' ? utcTime(m.sentAt) : m.state === 'retrying' || m.state === 'queued' ? utcTime(m.nextAttemptAt) : ''}</td>
                <td>{m.state === 'sent' ? m.reply : m.error}</td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      ) : (
        <p>No message yet.</p>
      )}
      <Pager window={view.window} href={href} label="Pages of messages" />
    </>
  );
}

export interface MessagePreviewView {
  kind: MailKind;
  language: string;
  subject: string;
  text: string;
  html: string;
  surveyId: string;
}

/** The preview page of one message. */
export function MessagePreviewPage({ user, preview }: { user: AdminUserView | undefined; preview: MessagePreviewView }) {
  return (
    <AdminLayout title={`Preview: ${MAIL_KIND_LABELS[preview.kind]}`} user={user} current="/admin/outbox">
      <MessagePreview preview={preview} />
    </AdminLayout>
  );
}

/** One message as a sample respondent would receive it. */
export function MessagePreview({ preview }: { preview: MessagePreviewView }) {
  return (
    <>
      <p>
        {MAIL_KIND_LABELS[preview.kind]} in {preview.language.toUpperCase()}, for a sample respondent with a sample link.{' '}
        <a href={`/admin/outbox?survey=${encodeURIComponent(preview.surveyId)}`}>Back to the Outbox</a>
      </p>
      <h2>Subject</h2>
      <p id="preview-subject">{preview.subject}</p>
      <h2>Plain text</h2>
      <pre id="preview-text" class="message-preview">
        {preview.text}
      </pre>
      <details>
        <summary>HTML version (source)</summary>
        <pre id="preview-html" class="message-preview">
          {preview.html}
        </pre>
      </details>
    </>
  );
}
