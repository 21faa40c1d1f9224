/** @jsxImportSource hono/jsx */
/**
 * The comparisons page: governments and civil society side by side on every shared question, or
 * the groups of one questionnaire (kind, region, GFMD role) on any of its questions, each with its
 * chart, its figures and the test result in words.
 */
import { comparisonSeries } from '../../../analysis/chart-series.ts';
import { FEWER_THAN_5, type QuestionComparison } from '../../../analysis/results.ts';
import { numberedQuestion } from '../../../survey-definitions/question-numbers.ts';
import { AdminLayout, type AdminUserView } from './admin-layout.tsx';
import { DataTable, Notice } from './admin-parts.tsx';

const pct = (share: number | null) => (share === null ? '—' : `${(share * 100).toFixed(1)}%`);
/** "; small from 0.071, medium 0.212, large 0.354": the thresholds the size word was read from. */
const sizeWords = (thresholds: readonly [number, number, number] | undefined) =>
  thresholds ? `; small from ${thresholds[0].toFixed(3)}, medium ${thresholds[1].toFixed(3)}, large ${thresholds[2].toFixed(3)}` : '';
/** `p = 0.027`, `p < 0.001` (the relation is part of the figure). */
const p = (value: number | null | undefined) => (value === null || value === undefined ? '= —' : value < 0.001 ? '< 0.001' : `= ${value.toFixed(3)}`);

/** A compared question's number in the form: one questionnaire's, or each of the two sharing it. */
export interface ComparisonNumber {
  number: number | undefined;
  /** For a shared question: its number in each questionnaire, named by whom it asks ("government"). */
  shared?: { asks: string; number: number | undefined }[];
}

/** The test of a comparison in one line, its table's caption. */
function testCaption(comparison: QuestionComparison): string {
  const test = comparison.test;
  if (!test) return 'No test: see the note above';
  return `${test.title}${test.dof === null ? '' : ` (df ${test.dof})`}: statistic ${test.statistic?.toFixed(3) ?? '—'}, p ${p(test.p)}, adjusted p ${p(test.pAdjusted)}; ${test.effect.title} ${test.effect.value?.toFixed(2) ?? '—'} (${test.effect.label ?? '—'}${sizeWords(test.effect.thresholds)})`;
}

/** The figures of a comparison: each group's n, mean (when there is one) and share per answer. */
function ComparisonTable({ comparison }: { comparison: QuestionComparison }) {
  const columns = comparison.groups[0]?.distribution ?? [];
  const withMean = comparison.groups.some((g) => g.mean !== undefined);
  return (
    <DataTable
      caption={testCaption(comparison)}
      columns={[
        'Group',
        { label: 'n', num: true },
        ...(withMean ? [{ label: 'Mean', num: true }] : []),
        ...columns.map((c) => ({ label: c.label, num: true })),
      ]}
    >
      <tbody>
        {comparison.groups.map((g) => (
          <tr>
            <th scope="row">
              {g.label}
              {comparison.test && g.tested === false ? ' (not tested)' : ''}
            </th>
            <td class="num">{g.n ?? FEWER_THAN_5}</td>
            {withMean ? <td class="num">{g.mean === null || g.mean === undefined ? '—' : g.mean.toFixed(2)}</td> : null}
            {g.distribution.map((d) => (
              <td class="num">{d.suppressed ? FEWER_THAN_5 : pct(d.share)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </DataTable>
  );
}

/** One compared question: its heading, the summary in words, any warnings, the chart and the table. */
function ComparisonSection({ comparison, index, number }: { comparison: QuestionComparison; index: number; number: ComparisonNumber }) {
  const series = comparisonSeries(comparison);
  const id = `cmp-${index}`;
  return (
    <section class="question-result" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>
        {numberedQuestion(number.number, comparison.text)}
        {comparison.row ? ` — ${comparison.row.label}` : ''}
      </h2>
      {number.shared ? <p class="hint">{number.shared.map((s) => `Question ${s.number ?? '—'} of the ${s.asks} questionnaire`).join(' · ')}</p> : null}
      <p class={`notice ${comparison.test ? 'info' : 'preview'}`}>{comparison.summary}</p>
      {comparison.warnings.length ? (
        <ul class="warnings">
          {comparison.warnings.map((w) => (
            <li>{w}</li>
          ))}
        </ul>
      ) : null}
      <div class="result-body">
        {series ? (
          <figure class="chart">
            <canvas
              id={id}
              data-series={JSON.stringify(series)}
              role="img"
              aria-label={`Chart comparing the groups on: ${comparison.text}. The table gives the same figures.`}
            ></canvas>
            <figcaption class="downloads">
              <button type="button" class="secondary" data-png-for={id} hidden>
                Download PNG
              </button>
            </figcaption>
          </figure>
        ) : null}
        {/* Focusable, so that a table wider than the screen can be scrolled with the keyboard. */}
        <section class="result-table" aria-label={`Figures: ${comparison.text}${comparison.row ? ` — ${comparison.row.label}` : ''}`} tabindex={0}>
          <ComparisonTable comparison={comparison} />
        </section>
      </div>
    </section>
  );
}

/** What the comparisons page shows. */
export interface ComparisonsModel {
  user: AdminUserView | undefined;
  title: string;
  /** The questionnaires, each offered by region and by GFMD role. */
  surveyIds: string[];
  comparisons: QuestionComparison[];
  numberOf: (comparison: QuestionComparison) => ComparisonNumber;
  /** The page's own query string (with its `?`), for the CSV of the same comparisons. */
  search: string;
}

/** The comparisons asked for, with how many could be tested and how many show a difference. */
export function ComparisonsPage(m: ComparisonsModel) {
  const tested = m.comparisons.filter((x) => x.test?.pAdjusted !== null && x.test?.pAdjusted !== undefined);
  const significant = tested.filter((x) => (x.test?.pAdjusted ?? 1) < 0.05);
  return (
    <AdminLayout title={m.title} user={m.user} current="/admin/comparisons" scripts={['/assets/dashboard.js']}>
      <nav aria-label="Kinds of comparison" class="actions">
        <a href="/admin/comparisons">Governments and civil society</a>
        {m.surveyIds.map((surveyId) => (
          <>
            <a href={`/admin/comparisons?survey=${surveyId}&by=region`}>{surveyId}: by region</a>
            <a href={`/admin/comparisons?survey=${surveyId}&by=role`}>{surveyId}: by GFMD role</a>
          </>
        ))}
      </nav>
      <Notice kind="info">
        {m.comparisons.length} comparisons; {tested.length} could be tested, {significant.length} show a difference at p &lt; 0.05 after Holm adjustment across
        all comparisons on this page. A group with fewer than 5 respondents is left out of a test and named; the test runs on the other groups when two or more
        are left.
      </Notice>
      <p>
        <a href={`/admin/comparisons.csv${m.search}`} download>
          Download these comparisons as CSV
        </a>
      </p>
      {m.comparisons.map((comparison, i) => (
        <ComparisonSection comparison={comparison} index={i} number={m.numberOf(comparison)} />
      ))}
    </AdminLayout>
  );
}
