/** @jsxImportSource hono/jsx */
/**
 * The dashboard: one chart per question with the same figures in a table beside it, filters that
 * apply to every chart at once, and the number of responses every figure rests on.
 */
import { chartSeries } from '../../../analysis/chart-series.ts';
import { resultBaseNote } from '../../../analysis/share-bases.ts';
import { numberedQuestion } from '../../../survey-definitions/question-numbers.ts';
import { FEWER_THAN_5, hiddenLabel, type AnalysisFilters, type ChoiceResult, type Count, type NumericResult, type QuestionResult, type RankingResult, type ScaleResult, type SurveyAnalysis, type TextResult } from '../../../analysis/results.ts';
import { roleLabel } from '../../respondents/respondent-labels.ts';
import { AdminLayout, type AdminUserView } from './admin-layout.tsx';
import { KIND_LABELS } from './admin-parts.tsx';

export { FEWER_THAN_5 };

/** A result's own count (n, missing, …) as shown: the number, or the words for why it is hidden. */
const field = (r: { withheld?: readonly string[] }, name: string, value: number | null) => (value === null ? hiddenLabel(r.withheld?.includes(name)) : value);

export interface FilterChoices {
  surveys: { id: string; title: string }[];
  kinds: string[];
  regions: string[];
  roles: string[];
}

export interface DashboardModel {
  user: AdminUserView;
  analysis: SurveyAnalysis;
  choices: FilterChoices;
  /** Query string of the current filters (for CSV links), without the leading `?`. */
  filterQuery: string;
  /** Each question's number in the form (survey-definitions/question-numbers.ts); a gap where a question is not shown here. */
  numbers: ReadonlyMap<string, number>;
}

const pct = (share: number | null | undefined) => (share === null || share === undefined ? '—' : `${(share * 100).toFixed(1)}%`);
const num = (value: number | null | undefined, digits = 2) => (value === null || value === undefined ? '—' : Number.isInteger(value) ? String(value) : value.toFixed(digits));
const ci = (interval: [number, number] | null | undefined, asShare: boolean) =>
  interval ? `${asShare ? pct(interval[0]) : num(interval[0])} – ${asShare ? pct(interval[1]) : num(interval[1])}` : '—';
const count = (c: Pick<Count, 'count' | 'suppressed' | 'withheld'> | { count: number | null; suppressed?: boolean; withheld?: boolean }) =>
  c.suppressed ? hiddenLabel(c.withheld) : c.count === null ? '—' : String(c.count);

export function Checkboxes({ name, values, selected, legend, label = (v) => v }: { name: string; values: string[]; selected: string[] | undefined; legend: string; label?: (value: string) => string }) {
  return (
    <fieldset class="filter-group">
      <legend>{legend}</legend>
      {values.map((v) => (
        <label class="check">
          <input type="checkbox" name={name} value={v} checked={selected?.includes(v)} /> {label(v)}
        </label>
      ))}
    </fieldset>
  );
}

export function FilterForm({
  action,
  surveyId,
  filters,
  choices,
  withSurvey = true,
}: {
  action: string;
  surveyId: string;
  filters: AnalysisFilters;
  choices: FilterChoices;
  withSurvey?: boolean;
}) {
  return (
    <form method="get" action={action} class="filters" aria-label="Filters">
      {withSurvey ? (
        <div class="form-row">
          <label for="survey">Questionnaire</label>
          <select id="survey" name="survey">
            {choices.surveys.map((s) => (
              <option value={s.id} selected={s.id === surveyId}>
                {s.title}
              </option>
            ))}
          </select>
        </div>
      ) : (
        <input type="hidden" name="survey" value={surveyId} />
      )}
      <Checkboxes name="kind" legend="Stakeholder kind" values={choices.kinds} selected={filters.kind} label={(k) => KIND_LABELS[k as keyof typeof KIND_LABELS] ?? k} />
      <Checkboxes name="region" legend="Region (UN M49)" values={choices.regions} selected={filters.region} />
      <Checkboxes name="role" legend="GFMD role" values={choices.roles} selected={filters.role} label={roleLabel} />
      <fieldset class="filter-group">
        <legend>Status</legend>
        <label class="check">
          <input type="radio" name="status" value="submitted" checked={filters.status !== 'all'} /> submitted only
        </label>
        <label class="check">
          <input type="radio" name="status" value="all" checked={filters.status === 'all'} /> also in progress
        </label>
      </fieldset>
      <p class="actions">
        <button type="submit" class="primary">
          Apply filters
        </button>{' '}
        <a href={`${action}?survey=${surveyId}`}>Clear</a>
      </p>
    </form>
  );
}

function ChoiceTable({ r }: { r: ChoiceResult }) {
  return (
    <table class="data">
      <caption>
        {r.multiple ? 'Share of respondents who chose each option (several could be chosen)' : 'Share of respondents per option'}
      </caption>
      <thead>
        <tr>
          <th scope="col">Option</th>
          <th scope="col" class="num">
            Respondents
          </th>
          <th scope="col" class="num">
            Share
          </th>
          <th scope="col" class="num">
            95% interval
          </th>
        </tr>
      </thead>
      <tbody>
        {r.options.map((o) => (
          <tr>
            <th scope="row">{o.label}</th>
            <td class="num">{count(o)}</td>
            <td class="num">{pct(o.share)}</td>
            <td class="num">{ci(o.ci95, true)}</td>
          </tr>
        ))}
      </tbody>
      {/* One base per column: the shares above are of those who gave a view; the answers apart have their own. */}
      <tfoot>
        {r.multiple ? null : (
          <tr class="base">
            <th scope="row">{r.nonSubstantive.length ? 'Gave a view' : 'Answered'}</th>
            <td class="num">{field(r, 'substantive', r.substantive)}</td>
            <td class="num">{r.substantive ? '100%' : '—'}</td>
            <td></td>
          </tr>
        )}
        {r.nonSubstantive.length ? (
          <tr class="apart-heading">
            <th scope="rowgroup" colspan={4}>
              Apart from the shares above, as a share of all {r.n === null ? '' : `${r.n} `}who answered
            </th>
          </tr>
        ) : null}
        {r.nonSubstantive.map((o) => (
          <tr class="non-substantive">
            <th scope="row">{o.label}</th>
            <td class="num">{count(o)}</td>
            <td class="num">{pct(o.share)}</td>
            <td class="num">{ci(o.ci95, true)}</td>
          </tr>
        ))}
      </tfoot>
    </table>
  );
}

function ScaleTable({ r }: { r: ScaleResult }) {
  const points = r.rows[0]?.distribution ?? [];
  const apart = r.rows[0]?.nonSubstantive ?? [];
  return (
    <table class="data">
      <caption>
        Distribution of substantive answers; mean and median of scale values 1–{points.length}
        {apart.length ? `; ${apart.map((a) => `“${a.label}”`).join(', ')} kept apart` : ''}
      </caption>
      <thead>
        <tr>
          <th scope="col">{r.rows.length > 1 ? 'Row' : 'Question'}</th>
          {points.map((p) => (
            <th scope="col" class="num">
              {p.label}
            </th>
          ))}
          <th scope="col" class="num">
            {apart.length ? 'Gave a view' : 'Answered'}
          </th>
          <th scope="col" class="num">
            Mean (95% interval)
          </th>
          <th scope="col" class="num">
            Median
          </th>
          {r.topBoxLabels.length ? (
            <th scope="col" class="num" title={`Share answering ${r.topBoxLabels.join(' or ')}`}>
              Top box ({r.topBoxLabels.join(', ')})
            </th>
          ) : null}
          {apart.map((a) => (
            <th scope="col" class="num">
              {a.label}
            </th>
          ))}
          {apart.length ? (
            <th scope="col" class="num">
              Answered
            </th>
          ) : null}
        </tr>
      </thead>
      <tbody>
        {r.rows.map((row) => (
          <tr>
            <th scope="row">{row.label}</th>
            {row.distribution.map((d) => (
              <td class="num">{d.suppressed ? hiddenLabel(d.withheld) : pct(d.share)}</td>
            ))}
            <td class="num">{field(row, 'n', row.n)}</td>
            <td class="num">
              {num(row.mean)} ({ci(row.ci95, false)})
            </td>
            <td class="num">{num(row.median)}</td>
            {r.topBoxLabels.length ? <td class="num">{pct(row.topBox)}</td> : null}
            {row.nonSubstantive.map((d) => (
              <td class="num non-substantive">
                {count(d)}
                {d.share === null ? '' : ` (${pct(d.share)})`}
              </td>
            ))}
            {apart.length ? <td class="num">{field(row, 'answered', row.answered)}</td> : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function NumericTable({ r }: { r: NumericResult }) {
  return (
    <>
      <dl class="stats">
        <dt>Mean (95% t interval)</dt>
        <dd>
          {num(r.mean)}
          {r.meanCi95 ? ` (${num(r.meanCi95[0])} – ${num(r.meanCi95[1])})` : ''}
        </dd>
        <dt>Standard deviation</dt>
        <dd>{num(r.sd)}</dd>
        <dt>Median (distribution-free interval)</dt>
        <dd>
          {num(r.median)}
          {r.medianCi ? ` (${num(r.medianCi.lower)} – ${num(r.medianCi.upper)}; covers the median with probability ${pct(r.medianCi.coverage)})` : ''}
        </dd>
        <dt>Quartiles</dt>
        <dd>{r.quartiles ? r.quartiles.map((q) => num(q)).join(' · ') : '—'}</dd>
        <dt>Range</dt>
        <dd>
          {num(r.min)} – {num(r.max)}
        </dd>
      </dl>
      <table class="data">
        <caption>Respondents per range of values</caption>
        <thead>
          <tr>
            <th scope="col">From</th>
            <th scope="col">To</th>
            <th scope="col" class="num">
              Respondents
            </th>
          </tr>
        </thead>
        <tbody>
          {r.histogram.map((b) => (
            <tr>
              <td>{num(b.from)}</td>
              <td>{num(b.to)}</td>
              <td class="num">{count(b)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function RankingTable({ r }: { r: RankingResult }) {
  return (
    <table class="data">
      <caption>How often each option was ranked, its mean rank (1 = first) among those who ranked it, and the share ranking it first</caption>
      <thead>
        <tr>
          <th scope="col">Option</th>
          <th scope="col" class="num">
            Ranked by
          </th>
          <th scope="col" class="num">
            Mean rank
          </th>
          <th scope="col" class="num">
            Ranked first
          </th>
        </tr>
      </thead>
      <tbody>
        {r.options.map((o) => (
          <tr>
            <th scope="row">{o.label}</th>
            <td class="num">{o.suppressed ? FEWER_THAN_5 : num(o.rankedBy)}</td>
            <td class="num">{num(o.meanRank)}</td>
            <td class="num">{pct(o.firstShare)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function TextAnswers({ r, surveyId }: { r: TextResult; surveyId: string }) {
  return (
    <>
      <ul class="text-answers">
        {r.answers.slice(0, 10).map((a) => (
          <li>{a.text}</li>
        ))}
      </ul>
      {r.answers.length > 10 || r.answers.length > 0 ? (
        <p>
          <a href={`/admin/free-text?survey=${surveyId}&question=${r.questionId}`}>Read, search and tag all {r.answers.length} answers</a>
        </p>
      ) : null}
    </>
  );
}

function ResultTable({ r, surveyId }: { r: QuestionResult; surveyId: string }) {
  switch (r.kind) {
    case 'choice':
      return <ChoiceTable r={r} />;
    case 'scale':
      return <ScaleTable r={r} />;
    case 'numeric':
      return <NumericTable r={r} />;
    case 'ranking':
      return <RankingTable r={r} />;
    case 'text':
      return <TextAnswers r={r} surveyId={surveyId} />;
  }
}

function QuestionSection({ r, number, surveyId, filterQuery }: { r: QuestionResult; number: number | undefined; surveyId: string; filterQuery: string }) {
  const series = chartSeries(r);
  const chartId = `chart-${r.questionId}`;
  // Every value suppressed ("fewer than 5") or undefined: an empty grid would read as 0%.
  const drawable = series?.datasets.some((d) => d.data.some((v) => v !== null)) ?? false;
  const note = resultBaseNote(r);
  return (
    <section class="question-result" id={`r-${r.questionId}`} aria-labelledby={`h-${r.questionId}`}>
      <h2 id={`h-${r.questionId}`}>{numberedQuestion(number, r.text)}</h2>
      <p class="hint">
        Answered: {field(r, 'n', r.n)} · shown but not answered: {field(r, 'missing', r.missing)} · not shown (skip logic): {field(r, 'hidden', r.hidden)}
        {r.sharedKey ? ` · also asked of the other group (${r.sharedKey})` : ''}
      </p>
      <div class="result-body">
        {series ? (
          <figure class="chart">
            {drawable ? (
              <canvas id={chartId} data-series={JSON.stringify(series)} role="img" aria-label={`Chart: ${r.text}. The table gives the same figures.`}></canvas>
            ) : (
              <p class="hint no-chart">No chart: no figure of this question can be shown for the responses selected (see the table).</p>
            )}
            <figcaption class="downloads">
              {drawable ? (
                <>
                  <button type="button" class="secondary" data-png-for={chartId} hidden>
                    Download PNG
                  </button>{' '}
                </>
              ) : null}
              <a href={`/admin/dashboard/${surveyId}/${r.questionId}.csv${filterQuery ? `?${filterQuery}` : ''}`}>Download CSV</a>
            </figcaption>
          </figure>
        ) : null}
        {/* Focusable, so that a table wider than the screen can be scrolled with the keyboard. */}
        <div class="result-table" role="region" aria-label={`Figures: ${r.text}`} tabindex={0}>
          <ResultTable r={r} surveyId={surveyId} />
          {note ? <p class="hint base-note">{note}</p> : null}
        </div>
      </div>
    </section>
  );
}

export function DashboardPage(m: DashboardModel) {
  const a = m.analysis;
  return (
    <AdminLayout title={`Dashboard — ${a.title}`} user={m.user} current="/admin/dashboard" scripts={['/assets/dashboard.js']}>
      <FilterForm action="/admin/dashboard" surveyId={a.surveyId} filters={a.filters} choices={m.choices} />
      <p><a href={`/admin/report?survey=${encodeURIComponent(a.surveyId)}`}>Printable report of this questionnaire (live figures, unfiltered, confidential)</a>; what is published is printed from a <a href={`/admin/releases?survey=${encodeURIComponent(a.surveyId)}`}>release</a>.</p>
      <p class="notice info totals" role="status">
        Every figure below rests on <strong>{a.responses}</strong> response{a.responses === 1 ? '' : 's'}
        {a.filters.status === 'all' ? ' (submitted or in progress)' : ' (submitted)'}
        {a.excluded ? `; ${a.excluded} excluded from the analysis` : ''}. Live, exact figures for the Assessment Team: publish from a release.
      </p>
      {a.questions.map((r) => (
        <QuestionSection r={r} number={m.numbers.get(r.questionId)} surveyId={a.surveyId} filterQuery={m.filterQuery} />
      ))}
    </AdminLayout>
  );
}
