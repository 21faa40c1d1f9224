/** @jsxImportSource hono/jsx */
/**
 * The comparisons page: governments and civil society side by side on every shared question, or
 * the groups of one questionnaire (kind, region, GFMD role) on any of its questions, with the test
 * result in words.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { QuestionComparison } from '../../analysis/results.ts';
import { compareGroups, compareSharedQuestions } from '../analysis/survey-analysis.ts';
import { analyticsDb, type AppEnv } from '../app-env.ts';
import { AppError } from '../errors.ts';
import { renderPage } from '../http/render-page.ts';
import { requireLiveAccess } from '../http/require-user.ts';
import { KIND_LABELS } from '../pages/admin/admin-parts.tsx';
import { ComparisonsPage, type ComparisonNumber } from '../pages/admin/comparisons-page.tsx';
import { listCurrentSurveyVersions } from '../surveys/survey-versions.queries.ts';
import { questionNumbers, sharedQuestionNumber } from '../../survey-definitions/question-numbers.ts';
import { insertAuditEntry } from '../audit/audit.queries.ts';
import { comparisonRows, COMPARISON_COLUMNS } from '../analysis/comparison-table.ts';
import { csvWithBom } from '../csv/csv.ts';
import { userView } from '../http/user-view.ts';
import { filtersFromQuery } from '../http/analysis-filters.ts';
import { queryText, valid } from '../http/validate.ts';

/**
 * `by` = kind, region or role compares the groups of `survey` (the first questionnaire when absent);
 * any other `by` compares questionnaires `a` and `b` on their shared questions. The filters are read
 * by filtersFromQuery.
 */
const comparisonQuery = z.object({
  by: queryText.pipe(z.enum(['kind', 'region', 'role']).optional()).catch(undefined),
  survey: queryText,
  a: queryText,
  b: queryText,
});
type ComparisonQuery = z.infer<typeof comparisonQuery>;

/**
 * The comparisons the query asks for (`by` = kind, region or role within `survey`; otherwise the
 * questions two questionnaires share), with the page title, question numbers and a file name.
 */
async function askedComparisons(
  c: Context<AppEnv>,
  query: ComparisonQuery,
  surveys: Awaited<ReturnType<typeof listCurrentSurveyVersions>>,
): Promise<{ title: string; comparisons: QuestionComparison[]; numberOf: (comparison: QuestionComparison) => ComparisonNumber; fileName: string }> {
  const db = analyticsDb(c);
  const user = c.get('user')!;
  const { by } = query;
  const filters = filtersFromQuery(c);
  let title: string;
  let comparisons: QuestionComparison[];
  let numberOf: (comparison: QuestionComparison) => ComparisonNumber;
  let fileName: string;
  if (by) {
    const surveyId = query.survey ?? surveys[0]?.surveyId;
    if (!surveyId) throw new AppError('not_found', 'No questionnaire is published yet.');
    comparisons = await compareGroups(db, surveyId, undefined, by, filters, { role: user.role });
    fileName = `${surveyId}-comparisons-by-${by}`;
    const definition = surveys.find((s) => s.surveyId === surveyId)?.definition;
    const numbers = definition ? questionNumbers(definition) : new Map<string, number>();
    numberOf = (comparison) => ({ number: numbers.get(comparison.questionId) });
    title = `Comparisons by ${by === 'kind' ? 'stakeholder kind' : by === 'role' ? 'GFMD role' : 'region'}`;
  } else {
    const a = query.a ?? surveys.find((s) => s.definition.audience.includes('government'))?.surveyId;
    // By default civil society's questionnaire of the same phase as `a`: shared questions asked again
    // in the 2012 stocktake must not set 2011 answers against 2012 ones unasked.
    const phaseOfA = surveys.find((s) => s.surveyId === a)?.definition.phase;
    const civilSociety = surveys.filter((s) => s.definition.audience.includes('civil_society'));
    const b = query.b ?? (civilSociety.find((s) => s.definition.phase === phaseOfA) ?? civilSociety[0])?.surveyId;
    if (!a || !b) throw new AppError('not_found', 'Two questionnaires with shared questions are needed.');
    comparisons = await compareSharedQuestions(db, a, b, filters, { role: user.role });
    fileName = `${a}-${b}-comparisons`;
    const both = [a, b].flatMap((surveyId) => surveys.filter((s) => s.surveyId === surveyId).map((s) => s.definition));
    numberOf = (comparison) => {
      const shared = both.map((d) => ({
        asks: KIND_LABELS[d.audience[0]!].toLowerCase(),
        number: comparison.sharedKey ? sharedQuestionNumber(d, comparison.sharedKey) : undefined,
      }));
      return { number: shared[0]?.number, shared };
    };
    title = 'Governments and civil society on the shared questions';
  }
  return { title, comparisons, numberOf, fileName };
}

/** The comparisons page (`GET /admin/comparisons`) and its CSV, for admins and analysts. */
export function comparisonRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/comparisons', requireLiveAccess, valid('query', comparisonQuery), async (c) => {
    const surveys = await listCurrentSurveyVersions(analyticsDb(c));
    const { title, comparisons, numberOf } = await askedComparisons(c, c.req.valid('query'), surveys);
    return renderPage(
      c,
      <ComparisonsPage
        user={userView(c)}
        title={title}
        surveyIds={surveys.map((s) => s.surveyId)}
        comparisons={comparisons}
        numberOf={numberOf}
        search={new URL(c.req.url).search}
      />,
    );
  });

  // The same comparisons as a spreadsheet: tests and effect sizes in words, groups left out named.
  app.get('/comparisons.csv', requireLiveAccess, valid('query', comparisonQuery), async (c) => {
    const user = c.get('user')!;
    const { comparisons, fileName } = await askedComparisons(c, c.req.valid('query'), await listCurrentSurveyVersions(analyticsDb(c)));
    const rows = comparisonRows(comparisons);
    await insertAuditEntry(c.get('deps').db, {
      actor: user.email,
      action: 'export.comparisons_csv',
      subject: fileName,
      details: { query: new URL(c.req.url).search, rows: rows.length },
    });
    const csv = csvWithBom(
      COMPARISON_COLUMNS,
      rows.map((row) => COMPARISON_COLUMNS.map((column) => row[column])),
    );
    return c.body(csv, 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${fileName}.csv"` });
  });

  return app;
}
