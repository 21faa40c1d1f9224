/** @jsxImportSource hono/jsx */
/**
 * The comparisons page: governments and civil society side by side on every shared question, or
 * the groups of one questionnaire (kind, region, GFMD role) on any of its questions, with the test
 * result in words.
 */
import { Hono, type Context } from 'hono';
import { comparisonSeries } from '../../analysis/chart-series.ts';
import type { QuestionComparison } from '../../analysis/results.ts';
import { compareGroups, compareSharedQuestions } from '../analysis/survey-analysis.ts';
import { analyticsDb, type AppEnv } from '../app-env.ts';
import { AppError } from '../errors.ts';
import { renderPage } from '../http/render-page.ts';
import { requireLiveAccess } from '../http/require-user.ts';
import { AdminLayout } from '../pages/admin/admin-layout.tsx';
import { KIND_LABELS } from '../pages/admin/admin-parts.tsx';
import { FEWER_THAN_5 } from '../pages/admin/dashboard-page.tsx';
import { listCurrentSurveyVersions } from '../surveys/survey-versions.queries.ts';
import { numberedQuestion, questionNumbers, sharedQuestionNumber } from '../../survey-definitions/question-numbers.ts';
import { insertAuditEntry } from '../audit/audit.queries.ts';
import { comparisonRows, COMPARISON_COLUMNS } from '../analysis/comparison-table.ts';
import { csvWithBom } from '../csv/csv.ts';
import { userView } from '../http/user-view.ts';
import { filtersFromQuery } from '../http/analysis-filters.ts';

const pct = (share: number | null) => (share === null ? '—' : `${(share * 100).toFixed(1)}%`);
/** "; small from 0.071, medium 0.212, large 0.354": the thresholds the size word was read from. */
const sizeWords = (thresholds: readonly [number, number, number] | undefined) =>
  thresholds ? `; small from ${thresholds[0].toFixed(3)}, medium ${thresholds[1].toFixed(3)}, large ${thresholds[2].toFixed(3)}` : '';
/** `p = 0.027`, `p < 0.001` (the relation is part of the figure). */
const p = (value: number | null | undefined) => (value === null || value === undefined ? '= —' : value < 0.001 ? '< 0.001' : `= ${value.toFixed(3)}`);

/** A compared question's number in the form: one questionnaire's, or each of the two sharing it. */
interface ComparisonNumber {
  number: number | undefined;
  /** For a shared question: its number in each questionnaire, named by whom it asks ("government"). */
  shared?: { asks: string; number: number | undefined }[];
}

function ComparisonSection({ comparison, index, number }: { comparison: QuestionComparison; index: number; number: ComparisonNumber }) {
  const series = comparisonSeries(comparison);
  const id = `cmp-${index}`;
  const columns = comparison.groups[0]?.distribution ?? [];
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
            <canvas id={id} data-series={JSON.stringify(series)} role="img" aria-label={`Chart comparing the groups on: ${comparison.text}. The table gives the same figures.`}></canvas>
            <figcaption class="downloads">
              <button type="button" class="secondary" data-png-for={id} hidden>
                Download PNG
              </button>
            </figcaption>
          </figure>
        ) : null}
        {/* Focusable, so that a table wider than the screen can be scrolled with the keyboard. */}
        <div class="result-table" role="region" aria-label={`Figures: ${comparison.text}${comparison.row ? ` — ${comparison.row.label}` : ''}`} tabindex={0}>
          <table class="data">
            <caption>
              {comparison.test
                ? `${comparison.test.title}${comparison.test.dof === null ? '' : ` (df ${comparison.test.dof})`}: statistic ${comparison.test.statistic?.toFixed(3) ?? '—'}, p ${p(comparison.test.p)}, adjusted p ${p(comparison.test.pAdjusted)}; ${comparison.test.effect.title} ${comparison.test.effect.value?.toFixed(2) ?? '—'} (${comparison.test.effect.label ?? '—'}${sizeWords(comparison.test.effect.thresholds)})`
                : 'No test: see the note above'}
            </caption>
            <thead>
              <tr>
                <th scope="col">Group</th>
                <th scope="col" class="num">
                  n
                </th>
                {comparison.groups.some((g) => g.mean !== undefined) ? (
                  <th scope="col" class="num">
                    Mean
                  </th>
                ) : null}
                {columns.map((c) => (
                  <th scope="col" class="num">
                    {c.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {comparison.groups.map((g) => (
                <tr>
                  <th scope="row">
                    {g.label}
                    {comparison.test && g.tested === false ? ' (not tested)' : ''}
                  </th>
                  <td class="num">{g.n ?? FEWER_THAN_5}</td>
                  {comparison.groups.some((x) => x.mean !== undefined) ? <td class="num">{g.mean === null || g.mean === undefined ? '—' : g.mean.toFixed(2)}</td> : null}
                  {g.distribution.map((d) => (
                    <td class="num">{d.suppressed ? FEWER_THAN_5 : pct(d.share)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </section>
  );
}

/**
 * The comparisons the query asks for (`by` = kind, region or role within `survey`; otherwise the
 * questions two questionnaires share), with the page title, question numbers and a file name.
 */
async function askedComparisons(
  c: Context<AppEnv>,
  surveys: Awaited<ReturnType<typeof listCurrentSurveyVersions>>,
): Promise<{ title: string; comparisons: QuestionComparison[]; numberOf: (comparison: QuestionComparison) => ComparisonNumber; fileName: string }> {
  const db = analyticsDb(c);
  const user = c.get('user')!;
  const by = c.req.query('by');
  const filters = filtersFromQuery(c);
  let title: string;
  let comparisons: QuestionComparison[];
  let numberOf: (comparison: QuestionComparison) => ComparisonNumber;
  let fileName: string;
  if (by === 'kind' || by === 'region' || by === 'role') {
    const surveyId = c.req.query('survey') ?? surveys[0]?.surveyId;
    if (!surveyId) throw new AppError('not_found', 'No questionnaire is published yet.');
    comparisons = await compareGroups(db, surveyId, undefined, by, filters, { role: user.role });
    fileName = `${surveyId}-comparisons-by-${by}`;
    const definition = surveys.find((s) => s.surveyId === surveyId)?.definition;
    const numbers = definition ? questionNumbers(definition) : new Map<string, number>();
    numberOf = (comparison) => ({ number: numbers.get(comparison.questionId) });
    title = `Comparisons by ${by === 'kind' ? 'stakeholder kind' : by === 'role' ? 'GFMD role' : 'region'}`;
  } else {
    const a = c.req.query('a') ?? surveys.find((s) => s.definition.audience.includes('government'))?.surveyId;
    // By default civil society's questionnaire of the same phase as `a`: shared questions asked again
    // in the 2012 stocktake must not set 2011 answers against 2012 ones unasked.
    const phaseOfA = surveys.find((s) => s.surveyId === a)?.definition.phase;
    const civilSociety = surveys.filter((s) => s.definition.audience.includes('civil_society'));
    const b = c.req.query('b') ?? (civilSociety.find((s) => s.definition.phase === phaseOfA) ?? civilSociety[0])?.surveyId;
    if (!a || !b) throw new AppError('not_found', 'Two questionnaires with shared questions are needed.');
    comparisons = await compareSharedQuestions(db, a, b, filters, { role: user.role });
    fileName = `${a}-${b}-comparisons`;
    const both = [a, b].flatMap((surveyId) => surveys.filter((s) => s.surveyId === surveyId).map((s) => s.definition));
    numberOf = (comparison) => {
      const shared = both.map((d) => ({ asks: KIND_LABELS[d.audience[0]!].toLowerCase(), number: comparison.sharedKey ? sharedQuestionNumber(d, comparison.sharedKey) : undefined }));
      return { number: shared[0]?.number, shared };
    };
    title = 'Governments and civil society on the shared questions';
  }
  return { title, comparisons, numberOf, fileName };
}

export function comparisonRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/comparisons', requireLiveAccess, async (c) => {
    const surveys = await listCurrentSurveyVersions(analyticsDb(c));
    const { title, comparisons, numberOf } = await askedComparisons(c, surveys);
    const tested = comparisons.filter((x) => x.test?.pAdjusted !== null && x.test?.pAdjusted !== undefined);
    const significant = tested.filter((x) => (x.test?.pAdjusted ?? 1) < 0.05);
    return renderPage(
      c,
      <AdminLayout title={title} user={userView(c)} current="/admin/comparisons" scripts={['/assets/dashboard.js']}>
        <nav aria-label="Kinds of comparison" class="actions">
          <a href="/admin/comparisons">Governments and civil society</a>
          {surveys.map((s) => (
            <>
              <a href={`/admin/comparisons?survey=${s.surveyId}&by=region`}>{s.surveyId}: by region</a>
              <a href={`/admin/comparisons?survey=${s.surveyId}&by=role`}>{s.surveyId}: by GFMD role</a>
            </>
          ))}
        </nav>
        <p class="notice info" role="status">
          {comparisons.length} comparisons; {tested.length} could be tested, {significant.length} show a difference at p &lt; 0.05 after Holm adjustment across all comparisons on this page.
          A group with fewer than 5 respondents is left out of a test and named; the test runs on the other groups when two or more are left.
        </p>
        <p>
          <a href={`/admin/comparisons.csv${new URL(c.req.url).search}`} download>
            Download these comparisons as CSV
          </a>
        </p>
        {comparisons.map((comparison, i) => (
          <ComparisonSection comparison={comparison} index={i} number={numberOf(comparison)} />
        ))}
      </AdminLayout>,
    );
  });

  // The same comparisons as a spreadsheet: tests and effect sizes in words, groups left out named.
  app.get('/comparisons.csv', requireLiveAccess, async (c) => {
    const user = c.get('user')!;
    const { comparisons, fileName } = await askedComparisons(c, await listCurrentSurveyVersions(analyticsDb(c)));
    const rows = comparisonRows(comparisons);
    await insertAuditEntry(c.get('deps').db, { actor: user.email, action: 'export.comparisons_csv', subject: fileName, details: { query: new URL(c.req.url).search, rows: rows.length } });
    const csv = csvWithBom(COMPARISON_COLUMNS, rows.map((row) => COMPARISON_COLUMNS.map((column) => row[column])));
    return c.body(csv, 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${fileName}.csv"` });
  });

  return app;
}
