/** @jsxImportSource hono/jsx */
/**
 * The releases of a questionnaire (made by analysts and admins, read by every member), and one
 * release's tables for one of its breakdowns: every count shown or labelled with why it is not.
 */
import type { PublishedRelease, ReleaseCell } from '../../../analysis/disclosure/release-model.ts';
import { ANSWERED, SUBSTANTIVE } from '../../../analysis/disclosure/release-model.ts';
import { tableKey } from '../../../analysis/disclosure/release-tables.ts';
import { hiddenLabel } from '../../../analysis/results.ts';
import type { Question } from '../../../survey-definitions/types.ts';
import { AdminLayout, FormError, type AdminUserView } from './admin-layout.tsx';
import { DataTable, utcTime } from './admin-parts.tsx';

export interface ReleaseListView {
  survey: { id: string; title: string };
  releases: { id: number; name: string; createdAt: Date; responses: number; final: boolean; contentHash: string }[];
  /** Present for members who may make a release; `earlierPhases`: releases of an earlier phase it may compare with. */
  create?: { csrf: string; earlierPhases: { id: number; label: string }[] };
  notice?: string;
  error?: string;
}

/** The releases of one questionnaire, with the form to make one for members who may. */
export function ReleasesPage({ user, view }: { user: AdminUserView | undefined; view: ReleaseListView }) {
  return (
    <AdminLayout title="Releases" user={user} current="/admin/releases">
      <ReleaseListBody view={view} />
    </AdminLayout>
  );
}

function ReleaseListBody({ view }: { view: ReleaseListView }) {
  return (
    <>
      <p>
        A release is what leaves the Assessment Team: the submitted responses of <strong>{view.survey.title}</strong> frozen at one moment, every figure
        protected together with every earlier release. Observers read releases only; the dashboard, comparisons and live report are the team’s own, exact and
        confidential.
      </p>
      {view.notice ? (
        <p role="status" class="notice">
          {view.notice}
        </p>
      ) : null}
      <FormError message={view.error} />
      {view.releases.length === 0 ? (
        <p>No release yet.</p>
      ) : (
        <DataTable caption="Releases" columns={['Release', 'Name', 'Made (UTC)', 'Responses', 'Content hash']}>
          <tbody>
            {view.releases.map((r) => (
              <tr>
                <td>
                  <a href={`/admin/releases/${r.id}`}>{r.id}</a>
                  {r.final ? ' (final)' : ''}
                </td>
                <td>{r.name}</td>
                <td>{utcTime(r.createdAt)}</td>
                <td>{r.responses}</td>
                <td>
                  <code>{r.contentHash.slice(0, 16)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      )}
      {view.create ? (
        <form method="post" action="/admin/releases">
          <fieldset>
            <legend>Make a release</legend>
            <input type="hidden" name="_csrf" value={view.create.csrf} />
            <input type="hidden" name="survey" value={view.survey.id} />
            <p>
              <label for="release-name">Name</label>
              <input id="release-name" name="name" required maxlength={200} />
            </p>
            <p>
              <input id="release-final" type="checkbox" name="final" value="1" />
              <label for="release-final">Final release (one per questionnaire)</label>
            </p>
            {view.create.earlierPhases.length ? (
              <p>
                <label for="release-trend-from">Compare with a release of the earlier phase</label>
                <select id="release-trend-from" name="trend_from" aria-describedby="release-trend-hint">
                  <option value="">No comparison</option>
                  {view.create.earlierPhases.map((o) => (
                    <option value={String(o.id)}>{o.label}</option>
                  ))}
                </select>
                <span class="hint" id="release-trend-hint">
                  The release then holds “Change since” tables for the questions asked in both phases, from the two releases’ published counts.
                </span>
              </p>
            ) : null}
            <button type="submit">Make the release</button>
          </fieldset>
        </form>
      ) : null}
    </>
  );
}

export interface ReleaseView {
  release: PublishedRelease;
  breakdown: string;
  questions: ReadonlyMap<string, Question>;
  /** Present for members who may export the public bundle. */
  bundle?: { csrf: string };
}

/** A release's count as shown: the number, or why it is hidden ("fewer than 5", "withheld"). */
export function cellText(cell: ReleaseCell | undefined, threshold: number): string {
  if (!cell) return '';
  return cell.count === null ? hiddenLabel(cell.why === 'withheld', threshold) : String(cell.count);
}

function rowLabel(question: Question | undefined, row: string): string {
  if (row === ANSWERED) return 'Answered';
  if (row === SUBSTANTIVE) return 'Gave a view';
  if (!question) return row;
  if ('options' in question) return question.options.find((o) => o.code === row)?.label.en ?? row;
  if ('scale' in question) return [...question.scale.points, ...question.scale.non_substantive].find((p) => p.code === row)?.label.en ?? row;
  if (question.type === 'yes_no') return row === 'yes' ? 'Yes' : row === 'no' ? 'No' : 'Don’t know';
  return row;
}

/** One release: its tables for one breakdown, its printable report and (for members who may) its public bundle. */
export function ReleasePage({ user, view }: { user: AdminUserView | undefined; view: ReleaseView }) {
  return (
    <AdminLayout title={`Release ${view.release.id}: ${view.release.name}`} user={user} current="/admin/releases">
      <ReleaseBody view={view} />
    </AdminLayout>
  );
}

function ReleaseBody({ view }: { view: ReleaseView }) {
  const { release } = view;
  const breakdown = release.breakdowns.find((b) => b.id === view.breakdown) ?? release.breakdowns[0]!;
  const k = release.threshold;
  const groupColumns = breakdown.groups.map((g) => ({ label: release.groups[g]?.label ?? g, num: true }));
  return (
    <>
      <p>
        Release {release.id}, “{release.name}”, made {release.createdAt.replace('T', ' ').slice(0, 16)} UTC{release.final ? ', final' : ''}. Content hash{' '}
        <code>{release.contentHash}</code>. Counts from 1 to {k - 1} read “fewer than {k}”; counts hidden so that no hidden count can be worked out from the
        others, in this release or with an earlier one, read “withheld”.
      </p>
      <p>
        <a href={`/admin/releases/${release.id}/report`}>Printable report of this release</a> (all respondents; each group of the release can be chosen there),
        with charts.
      </p>
      {view.bundle ? (
        <form method="post" action={`/admin/releases/${release.id}/bundle`}>
          <input type="hidden" name="_csrf" value={view.bundle.csrf} />
          <button type="submit">Download the public bundle (zip)</button>{' '}
          <span class="hint">
            tables.csv, release.json, risk-check.json and README.txt; the row file only with a final release that passes its checks, once.
          </span>
        </form>
      ) : null}
      <form method="get" action={`/admin/releases/${release.id}`}>
        <label for="breakdown">Breakdown</label>{' '}
        <select id="breakdown" name="breakdown">
          {release.breakdowns.map((b) => (
            <option value={b.id} selected={b.id === breakdown.id}>
              {b.id === 'all' ? 'All respondents' : `By ${b.id.replace('_', ' ')}`}
            </option>
          ))}
        </select>{' '}
        <button type="submit">Show</button>
      </form>
      <DataTable caption="Respondents" columns={groupColumns}>
        <tbody>
          <tr>
            {breakdown.groups.map((g) => (
              <td class="num">{cellText(release.respondents[g], k)}</td>
            ))}
          </tr>
        </tbody>
      </DataTable>
      {release.tables.map((table) => {
        const question = view.questions.get(table.questionId);
        const item = table.item && question && 'rows' in question ? question.rows.find((r) => r.code === table.item)?.label.en : table.item;
        return (
          <div class="result-table">
            <DataTable
              id={`t-${tableKey(table)}`}
              caption={`${question?.text.en ?? table.questionId}${item ? ` — ${item}` : ''}`}
              columns={['Answer', ...groupColumns]}
            >
              <tbody>
                {table.rows.map((row) => (
                  <tr>
                    <th scope="row">{rowLabel(question, row)}</th>
                    {breakdown.groups.map((g) => (
                      <td class="num">{cellText(table.cells[g]?.[row], k)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </DataTable>
          </div>
        );
      })}
    </>
  );
}
