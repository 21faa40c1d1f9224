/** @jsxImportSource hono/jsx */
/**
 * The free-text page: the answers to one text question, searched and tagged, with tag counts as a
 * chart and a table; and for each answer its publication in the anonymised export (approve the
 * redacted preview, or withdraw an approval).
 */
import type { ChartSeries } from '../../../analysis/chart-series.ts';
import type { TextAnswer } from '../../free-text/free-text.queries.ts';
import type { ApprovalStatus } from '../../free-text/text-approvals.queries.ts';
import { AdminLayout, type AdminUserView } from './admin-layout.tsx';
import { DataTable, KIND_LABELS, SurveySelect, utcTime } from './admin-parts.tsx';

export const PAGE_SIZE = 50;

export interface FreeTextQuestion {
  id: string;
  text: string;
  /** Identifying questions are never published, so their answers cannot be approved. */
  identifying: boolean;
}

export interface FreeTextAnswerView extends TextAnswer {
  /** 1-based position in the whole list, so that buttons can be told apart ("answer 3"). */
  position: number;
  /** SHA-256 of the text shown: an approval posted for an answer that changed since is refused. */
  answerSha256: string;
  status: ApprovalStatus;
  /** The text as approved (approved or changed since). */
  publishedText: string | null;
  approvedAt: Date | null;
  /** The suggested wording to publish (names removed), which the analyst may edit before approving. */
  preview: string;
  /** Words in another script than the Latin one, where names are not found automatically. */
  otherScript: boolean;
}

const STATUS_LABELS: Record<ApprovalStatus, string> = {
  approved: 'Approved for publication',
  changed: 'Changed since approval: not published until approved again',
  not_approved: 'Not approved: not published',
};

/** An answer's publication status, the text that is or would be published, and the forms to approve or withdraw. */
function Publication({ answer: a, questionId, csrfToken, back }: { answer: FreeTextAnswerView; questionId: string; csrfToken: string; back: string }) {
  const hidden = (
    <>
      <input type="hidden" name="_csrf" value={csrfToken} />
      <input type="hidden" name="response" value={String(a.responseId)} />
      <input type="hidden" name="question" value={questionId} />
      <input type="hidden" name="sha256" value={a.answerSha256} />
      <input type="hidden" name="back" value={back} />
    </>
  );
  return (
    <div class="publication">
      <p class={`status status-${a.status}`}>
        <strong>{STATUS_LABELS[a.status]}</strong>
        {a.approvedAt ? ` (${utcTime(a.approvedAt)} UTC)` : ''}
      </p>
      {a.publishedText !== null ? <p class="published">Published as: {a.publishedText}</p> : null}
      {a.status !== 'approved' ? (
        <form method="post" action="/admin/free-text/approvals" class="approval-form">
          {hidden}
          {a.otherScript ? (
            <p class="notice warning">Written partly in another script: names in it are not found automatically. Read it closely before approving.</p>
          ) : null}
          <label for={`published-${a.position}`}>Wording to publish (names removed; edit before approving)</label>
          <textarea id={`published-${a.position}`} name="published" rows={3} class="preview">
            {a.preview}
          </textarea>
          <button type="submit" name="action" value="approve" class="secondary" aria-label={`Approve for publication: answer ${a.position}`}>
            Approve for publication
          </button>
        </form>
      ) : null}
      {a.status !== 'not_approved' ? (
        <form method="post" action="/admin/free-text/approvals" class="inline-form">
          {hidden}
          <button type="submit" name="action" value="withdraw" class="secondary" aria-label={`Withdraw approval: answer ${a.position}`}>
            Withdraw approval
          </button>
        </form>
      ) : null}
    </div>
  );
}

export interface FreeTextModel {
  user: AdminUserView;
  surveys: { id: string; title: string }[];
  surveyId: string;
  questions: FreeTextQuestion[];
  questionId: string | undefined;
  search: string;
  tag: string;
  total: number;
  page: number;
  answers: FreeTextAnswerView[];
  tagCounts: { tag: string; count: number }[];
}

/** The answers to one text question of a questionnaire: search, tags and publication. */
export function FreeTextPage(m: FreeTextModel) {
  const identifying = m.questions.find((q) => q.id === m.questionId)?.identifying ?? false;
  const series: ChartSeries = {
    type: 'bars',
    unit: 'count',
    labels: m.tagCounts.map((t) => t.tag),
    datasets: [{ label: 'Answers', data: m.tagCounts.map((t) => t.count) }],
  };
  const here = `/admin/free-text?survey=${m.surveyId}&question=${m.questionId ?? ''}&q=${encodeURIComponent(m.search)}&tag=${encodeURIComponent(m.tag)}`;
  return (
    <AdminLayout title="Free-text answers" user={m.user} current="/admin/free-text" scripts={['/assets/dashboard.js']}>
      <form method="get" action="/admin/free-text" class="filters">
        <SurveySelect surveys={m.surveys} selected={m.surveyId} />
        <div class="form-row">
          <label for="question">Question</label>
          <select id="question" name="question">
            {m.questions.map((q) => (
              <option value={q.id} selected={q.id === m.questionId}>
                {q.text}
              </option>
            ))}
          </select>
        </div>
        <div class="form-row">
          <label for="q">Search the answers</label>
          <input type="search" id="q" name="q" value={m.search} />
        </div>
        <div class="form-row">
          <label for="tag-filter">Only answers tagged</label>
          <input type="text" id="tag-filter" name="tag" value={m.tag} />
        </div>
        <p class="actions">
          <button type="submit" class="primary">
            Show
          </button>
        </p>
      </form>
      {m.questionId ? (
        <>
          <h2>Tags</h2>
          {m.tagCounts.length ? (
            <div class="result-body">
              <figure class="chart">
                <canvas
                  id="chart-tags"
                  data-series={JSON.stringify(series)}
                  role="img"
                  aria-label="Chart of tag counts; the table gives the same figures."
                ></canvas>
                <figcaption class="downloads">
                  <button type="button" class="secondary" data-png-for="chart-tags" hidden>
                    Download PNG
                  </button>
                </figcaption>
              </figure>
              <DataTable caption="Answers per tag" columns={['Tag', { label: 'Answers', num: true }]}>
                <tbody>
                  {m.tagCounts.map((t) => (
                    <tr>
                      <th scope="row">
                        <a href={`/admin/free-text?survey=${m.surveyId}&question=${m.questionId}&tag=${encodeURIComponent(t.tag)}`}>{t.tag}</a>
                      </th>
                      <td class="num">{t.count}</td>
                    </tr>
                  ))}
                </tbody>
              </DataTable>
            </div>
          ) : (
            <p class="hint">No answer is tagged yet.</p>
          )}
          <h2>
            {m.total} answer{m.total === 1 ? '' : 's'}
          </h2>
          {identifying ? <p class="notice">This question can identify the respondent: its answers are never published, so they cannot be approved.</p> : null}
          <ol class="text-answers" start={m.page * PAGE_SIZE + 1}>
            {m.answers.map((a) => (
              <li>
                <p>{a.text}</p>
                {identifying ? null : <Publication answer={a} questionId={m.questionId!} csrfToken={m.user.csrfToken} back={here} />}
                <p class="hint">
                  {KIND_LABELS[a.kind as keyof typeof KIND_LABELS] ?? a.kind}
                  {a.region ? `, ${a.region}` : ''}
                </p>
                <ul class="tags">
                  {a.tags.map((t) => (
                    <li>
                      <form method="post" action="/admin/free-text/tags" class="inline-form">
                        <input type="hidden" name="_csrf" value={m.user.csrfToken} />
                        <input type="hidden" name="response" value={String(a.responseId)} />
                        <input type="hidden" name="question" value={m.questionId} />
                        <input type="hidden" name="tag" value={t} />
                        <input type="hidden" name="back" value={here} />
                        <span class="tag">{t}</span>
                        <button type="submit" name="action" value="remove" class="link" aria-label={`Remove tag ${t}`}>
                          ×
                        </button>
                      </form>
                    </li>
                  ))}
                </ul>
                <form method="post" action="/admin/free-text/tags" class="inline-form">
                  <input type="hidden" name="_csrf" value={m.user.csrfToken} />
                  <input type="hidden" name="response" value={String(a.responseId)} />
                  <input type="hidden" name="question" value={m.questionId} />
                  <input type="hidden" name="back" value={here} />
                  <label for={`tag-${a.responseId}`} class="visually-hidden">
                    New tag for answer {a.responseId}
                  </label>
                  <input type="text" id={`tag-${a.responseId}`} name="tag" maxlength={40} size={16} required />
                  <button type="submit" name="action" value="add" class="secondary">
                    Add tag
                  </button>
                </form>
              </li>
            ))}
          </ol>
          <p class="actions">
            {m.page > 0 ? <a href={`${here}&page=${m.page - 1}`}>Previous {PAGE_SIZE}</a> : null}{' '}
            {(m.page + 1) * PAGE_SIZE < m.total ? <a href={`${here}&page=${m.page + 1}`}>Next {PAGE_SIZE}</a> : null}
          </p>
        </>
      ) : (
        <p class="hint">This questionnaire has no free-text question.</p>
      )}
    </AdminLayout>
  );
}
