/** @jsxImportSource hono/jsx */
/**
 * The response tracker: how far respondents have got, overall and by group; submissions per day;
 * who has not submitted; and the submitted responses, each of which can be excluded from the
 * analysis (and taken back in). Every table says how many respondents or responses it rests on.
 */
import type { DailySubmissions, NotSubmittedRow, StateCounts, SubmittedResponseRow } from '../../tracker/tracker.queries.ts';
import { LINK_STATE_LABELS } from '../../tracker/reminders-csv.ts';
import type { MailKind, MailState } from '../../db/schema.ts';
import { MAIL_KIND_LABELS, MAIL_STATE_LABELS } from './outbox-page.tsx';
import { MAX_REASON_LENGTH } from '../../tracker/response-exclusions.ts';
import { roleLabel } from '../../respondents/respondent-labels.ts';
import { DataTable, KIND_LABELS, Notice, Pager, utcTime, type PageWindow } from './admin-parts.tsx';
import { AdminLayout, FormError, type AdminUserView } from './admin-layout.tsx';

export interface TrackerView {
  survey: { id: string; title: string };
  overall: StateCounts;
  byKind: StateCounts[];
  byRegion: StateCounts[];
  byRole: StateCounts[];
  daily: DailySubmissions[];
  /** `lastMail`: each listed respondent's latest e-mail (Outbox), by respondent id. */
  notSubmitted: { rows: NotSubmittedRow[]; window: PageWindow; lastMail?: ReadonlyMap<number, LastMessage> };
  submitted: { rows: SubmittedResponseRow[]; window: PageWindow };
  /** Page numbers of both lists, kept when the other one is paged. */
  pages: { notSubmitted: number; submitted: number };
  csrf: string;
  notice?: string;
  error?: string;
}

export interface LastMessage {
  kind: MailKind;
  round: string | null;
  state: MailState;
  at: Date;
}

/** "Reminder, round 2: sent 2026-12-05 10:14", or '' with no message. */
function lastMessageText(m: LastMessage | undefined): string {
  if (!m) return '';
  return `${MAIL_KIND_LABELS[m.kind]}${m.round ? `, round ${m.round}` : ''}: ${MAIL_STATE_LABELS[m.state]}${m.state === 'sent' ? ` ${utcTime(m.at)}` : ''}`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function percent(part: number, whole: number): string {
  return whole === 0 ? '–' : `${Math.round((100 * part) / whole)}%`;
}

function CountsTable({
  id,
  caption,
  groupHeader,
  rows,
  label,
}: {
  id: string;
  caption: string;
  groupHeader: string;
  rows: StateCounts[];
  label: (group: string | null) => string;
}) {
  return (
    <DataTable
      id={id}
      caption={caption}
      columns={[
        groupHeader,
        ...['Respondents (n)', 'Invited', 'Opened', 'In progress', 'Submitted', 'Submitted, % of n', 'Amended, not resubmitted', 'Excluded', 'Analysed'].map(
          (label) => ({ label, num: true }),
        ),
      ]}
    >
      <tbody>
        {rows.map((r) => (
          <tr>
            <th scope="row">{label(r.group)}</th>
            <td class="num">{r.respondents}</td>
            <td class="num">{r.invited}</td>
            <td class="num">{r.opened}</td>
            <td class="num">{r.inProgress}</td>
            <td class="num">{r.submitted}</td>
            <td class="num">{percent(r.submitted, r.respondents)}</td>
            <td class="num">{r.amended}</td>
            <td class="num">{r.excluded}</td>
            <td class="num">{r.analysed}</td>
          </tr>
        ))}
      </tbody>
    </DataTable>
  );
}

function trackerHref(surveyId: string, pages: { notSubmitted: number; submitted: number }, anchor: string): string {
  return `/admin/tracker?survey=${encodeURIComponent(surveyId)}&page=${pages.notSubmitted}&spage=${pages.submitted}#${anchor}`;
}

/** The tracker page of one questionnaire. */
export function TrackerPage({ user, view }: { user: AdminUserView; view: TrackerView }) {
  return (
    <AdminLayout title="Response tracker" user={user} current="/admin/tracker">
      <TrackerBody view={view} />
    </AdminLayout>
  );
}

/** Progress, submissions per day, the two lists (paged) and the exclusion forms. */
function TrackerBody({ view }: { view: TrackerView }) {
  const { overall, survey } = view;
  const n = overall.respondents;
  return (
    <>
      {view.notice ? <Notice>{view.notice}</Notice> : null}
      <FormError message={view.error} />
      <p class="hint">
        {survey.title} ({survey.id}). “Analysed” counts submitted responses that are not excluded: the figures of the dashboard rest on them. Times are UTC.
      </p>

      <h2>Progress</h2>
      <CountsTable id="counts-overall" caption={`All respondents (n = ${n})`} groupHeader="Group" rows={[overall]} label={() => 'All'} />
      <CountsTable
        id="counts-kind"
        caption={`By kind of respondent (n = ${n})`}
        groupHeader="Kind"
        rows={view.byKind}
        label={(g) => (g ? (KIND_LABELS[g as keyof typeof KIND_LABELS] ?? g) : '(none)')}
      />
      <CountsTable id="counts-region" caption={`By UN region (n = ${n})`} groupHeader="Region" rows={view.byRegion} label={(g) => g ?? '(no country)'} />
      <CountsTable
        id="counts-role"
        caption={`By GFMD role (n = ${n}; a respondent with several roles counts in each, so rows add up to more)`}
        groupHeader="Role"
        rows={view.byRole}
        label={(g) => (g ? roleLabel(g) : '(no role)')}
      />

      <h2>Submissions over time</h2>
      {view.daily.length ? (
        <DataTable
          id="daily"
          caption={`First submissions per day (n = ${plural(overall.submitted, 'submitted response')}; a response submitted again counts on its first day)`}
          columns={['Day (UTC)', { label: 'Submitted', num: true }, { label: 'Of which excluded', num: true }, { label: 'Total so far', num: true }]}
        >
          <tbody>
            {view.daily.map((d) => (
              <tr>
                <th scope="row">{d.day}</th>
                <td class="num">{d.submitted}</td>
                <td class="num">{d.excluded}</td>
                <td class="num">{d.cumulative}</td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      ) : (
        <p>Nothing has been submitted yet.</p>
      )}

      <h2 id="not-submitted">Not yet submitted</h2>
      <p>
        {plural(view.notSubmitted.window.total, 'respondent has', 'respondents have')} not submitted.{' '}
        <a href={`/admin/tracker/reminders.csv?survey=${encodeURIComponent(survey.id)}`}>Download the list for reminders (CSV)</a>{' '}
        <span class="hint">— names, e-mails and link states, no links; the download is recorded in the audit log.</span>
      </p>
      {view.notSubmitted.rows.length ? (
        <DataTable
          id="not-submitted-list"
          caption={`Respondents who have not submitted (${view.notSubmitted.window.total})`}
          columns={['Name', 'Kind', 'Country', 'E-mail', 'Link', 'Last opened', 'Last saved', 'Last message']}
        >
          <tbody>
            {view.notSubmitted.rows.map((r) => (
              <tr>
                <th scope="row">{r.name}</th>
                <td>{KIND_LABELS[r.kind]}</td>
                <td>{r.country ?? ''}</td>
                <td>{r.email ?? ''}</td>
                <td>{LINK_STATE_LABELS[r.linkState]}</td>
                <td>{utcTime(r.lastOpenedAt)}</td>
                <td>{r.lastSavedAt ? utcTime(r.lastSavedAt) : 'not started'}</td>
                <td>{lastMessageText(view.notSubmitted.lastMail?.get(r.respondentId))}</td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      ) : null}
      <Pager
        window={view.notSubmitted.window}
        label="Pages of respondents who have not submitted"
        href={(page) => trackerHref(survey.id, { ...view.pages, notSubmitted: page }, 'not-submitted')}
      />

      <h2 id="responses">Submitted responses</h2>
      <p>
        {plural(overall.submitted, 'submitted response')}, {overall.excluded} excluded. An excluded response stays stored and can be included again; both are
        recorded in the audit log. A response “amended, not resubmitted” has changes saved since its latest submission: every figure counts it as last submitted
        until the changes are submitted.
      </p>
      {view.submitted.rows.length ? (
        <DataTable
          id="submitted-list"
          caption={`Submitted responses (${view.submitted.window.total}), first submitted first`}
          columns={['Name', 'Kind', 'Country', 'First submitted', 'Latest submission', 'In the analysis']}
        >
          <tbody>
            {view.submitted.rows.map((r) => (
              <tr>
                <th scope="row">{r.name}</th>
                <td>{KIND_LABELS[r.kind]}</td>
                <td>{r.country ?? ''}</td>
                <td>{utcTime(r.firstSubmittedAt)}</td>
                <td>
                  {utcTime(r.lastSubmittedAt)}
                  {r.amendedNotResubmitted ? <strong>; amended, not resubmitted</strong> : null}
                </td>
                <td>
                  <ExclusionCell row={r} surveyId={survey.id} csrf={view.csrf} />
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      ) : null}
      <Pager
        window={view.submitted.window}
        label="Pages of submitted responses"
        href={(page) => trackerHref(survey.id, { ...view.pages, submitted: page }, 'responses')}
      />
    </>
  );
}

function ExclusionCell({ row, surveyId, csrf }: { row: SubmittedResponseRow; surveyId: string; csrf: string }) {
  const fieldId = `reason-${row.responseId}`;
  if (row.exclusion) {
    return (
      <form method="post" action="/admin/tracker/exclusions" class="inline-form">
        <input type="hidden" name="_csrf" value={csrf} />
        <input type="hidden" name="survey" value={surveyId} />
        <input type="hidden" name="response" value={String(row.responseId)} />
        <input type="hidden" name="action" value="include" />
        <span>
          Excluded: {row.exclusion.reason}{' '}
          <span class="hint">
            ({row.exclusion.excludedBy ?? 'unknown'}, {utcTime(row.exclusion.excludedAt)})
          </span>
        </span>
        <button type="submit" class="secondary">
          Include again
        </button>
      </form>
    );
  }
  return (
    <form method="post" action="/admin/tracker/exclusions" class="inline-form">
      <input type="hidden" name="_csrf" value={csrf} />
      <input type="hidden" name="survey" value={surveyId} />
      <input type="hidden" name="response" value={String(row.responseId)} />
      <input type="hidden" name="action" value="exclude" />
      <span>Yes</span>
      <label for={fieldId} class="visually-hidden">
        Reason for excluding the response of {row.name}
      </label>
      <input type="text" id={fieldId} name="reason" required maxlength={MAX_REASON_LENGTH} placeholder="Reason (e.g. duplicate of …)" />
      <button type="submit" class="secondary">
        Exclude
      </button>
    </form>
  );
}
