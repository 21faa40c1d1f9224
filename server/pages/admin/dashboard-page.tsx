/** @jsxImportSource hono/jsx */
/**
 * The dashboard: one chart per question with the same figures in a table beside it, filters that
 * apply to every chart at once, and the number of responses every figure rests on.
 */
import { chartSeries } from '../../../analysis/chart-series.ts';
import { resultBaseNote } from '../../../analysis/share-bases.ts';
import { numberedQuestion } from '../../../survey-definitions/question-numbers.ts';
import type { QuestionResult, SurveyAnalysis } from '../../../analysis/results.ts';
import { AdminLayout, type AdminUserView } from './admin-layout.tsx';
import { Notice } from './admin-parts.tsx';
import { FilterForm, type FilterChoices } from './filter-form.tsx';
import { countOrWhyHidden as field, ResultTable } from './result-tables.tsx';

/** What the dashboard shows. */
export interface DashboardModel {
  user: AdminUserView;
  analysis: SurveyAnalysis;
  choices: FilterChoices;
  /** Query string of the current filters (for CSV links), without the leading `?`. */
  filterQuery: string;
  /** Each question's number in the form (survey-definitions/question-numbers.ts); a gap where a question is not shown here. */
  numbers: ReadonlyMap<string, number>;
}

/** One question: its chart (with PNG and CSV downloads) and its table. */
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
        <section class="result-table" aria-label={`Figures: ${r.text}`} tabindex={0}>
          <ResultTable r={r} surveyId={surveyId} />
          {note ? <p class="hint base-note">{note}</p> : null}
        </section>
      </div>
    </section>
  );
}

/** The dashboard of one questionnaire under the chosen filters. */
export function DashboardPage(m: DashboardModel) {
  const a = m.analysis;
  return (
    <AdminLayout title={`Dashboard — ${a.title}`} user={m.user} current="/admin/dashboard" scripts={['/assets/dashboard.js']}>
      <FilterForm action="/admin/dashboard" surveyId={a.surveyId} filters={a.filters} choices={m.choices} />
      <p>
        <a href={`/admin/report?survey=${encodeURIComponent(a.surveyId)}`}>Printable report of this questionnaire (live figures, unfiltered, confidential)</a>
        {'; '}what is published is printed from a <a href={`/admin/releases?survey=${encodeURIComponent(a.surveyId)}`}>release</a>.
      </p>
      <Notice kind="info" class="totals">
        Every figure below rests on <strong>{a.responses}</strong> response{a.responses === 1 ? '' : 's'}
        {a.filters.status === 'all' ? ' (submitted or in progress)' : ' (submitted)'}
        {a.excluded ? `; ${a.excluded} excluded from the analysis` : ''}. Live, exact figures for the Assessment Team: publish from a release.
      </Notice>
      {a.questions.map((r) => (
        <QuestionSection r={r} number={m.numbers.get(r.questionId)} surveyId={a.surveyId} filterQuery={m.filterQuery} />
      ))}
    </AdminLayout>
  );
}
