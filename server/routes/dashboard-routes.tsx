/** @jsxImportSource hono/jsx */
/**
 * The Assessment Team's dashboard and the CSV of each of its tables.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { QuestionResult } from '../../analysis/results.ts';
import { REGIONS } from '../../survey-definitions/countries.ts';
import { RESPONDENT_KINDS } from '../../survey-definitions/schema.ts';
import { allQuestions } from '../../survey-definitions/types.ts';
import { analyzeSurvey } from '../analysis/survey-analysis.ts';
import { analyticsDb, type AppEnv } from '../app-env.ts';
import { insertAuditEntry } from '../audit/audit.queries.ts';
import { csvWithBom } from '../csv/csv.ts';
import { AppError } from '../errors.ts';
import { renderPage } from '../http/render-page.ts';
import { requireLiveAccess } from '../http/require-user.ts';
import { hiddenLabel } from '../../analysis/results.ts';
import { DashboardPage } from '../pages/admin/dashboard-page.tsx';
import type { FilterChoices } from '../pages/admin/filter-form.tsx';
import { GFMD_ROLES } from '../respondents/invitee-csv.ts';
import { questionNumbers } from '../../survey-definitions/question-numbers.ts';
import { getCurrentSurveyVersion, listCurrentSurveyVersions } from '../surveys/survey-versions.queries.ts';
import { userView } from '../http/user-view.ts';
import { filtersFromQuery, filtersToQuery } from '../http/analysis-filters.ts';
import { queryText, valid } from '../http/validate.ts';

/** `?survey=<id>` (the first published questionnaire when absent); the filters are read by filtersFromQuery. */
const dashboardQuery = z.object({ survey: queryText });
/** `/dashboard/<survey>/<question>.csv`. */
const csvParams = z.object({ survey: z.string(), file: z.string().transform((file) => file.replace(/\.csv$/, '')) });

async function filterChoices(c: Context<AppEnv>): Promise<FilterChoices> {
  const surveys = await listCurrentSurveyVersions(analyticsDb(c));
  return {
    surveys: surveys.map((s) => ({ id: s.surveyId, title: s.definition.title.en })),
    kinds: [...RESPONDENT_KINDS],
    regions: [...REGIONS],
    roles: [...GFMD_ROLES],
  };
}

/** The rows of a question's table, as they appear on the dashboard (suppressed cells in words). */
export function resultRows(r: QuestionResult): Record<string, string | number>[] {
  const cell = (count: number | null, suppressed?: boolean, withheld?: boolean) => (suppressed ? hiddenLabel(withheld) : (count ?? ''));
  const field = (owner: { withheld?: readonly string[] }, name: string, value: number | null) => value ?? hiddenLabel(owner.withheld?.includes(name));
  switch (r.kind) {
    case 'choice': {
      // Each share with its base: the options' is those who gave a view, "don't know"'s all who answered.
      const of = (apart: boolean) =>
        apart
          ? { base: field(r, 'n', r.n), base_is: 'answered' }
          : { base: field(r, 'substantive', r.substantive), base_is: r.nonSubstantive.length ? 'gave a view' : 'answered' };
      return [...r.options, ...r.nonSubstantive].map((o, i) => ({
        option: o.code,
        label: o.label,
        respondents: cell(o.count, o.suppressed, o.withheld),
        share: o.share ?? '',
        ci95_low: o.ci95?.[0] ?? '',
        ci95_high: o.ci95?.[1] ?? '',
        ...of(i >= r.options.length),
      }));
    }
    case 'scale':
      return r.rows.map((row) => ({
        row: row.code,
        label: row.label,
        n: field(row, 'n', row.n),
        mean: row.mean ?? '',
        ci95_low: row.ci95?.[0] ?? '',
        ci95_high: row.ci95?.[1] ?? '',
        median: row.median ?? '',
        top_box: row.topBox ?? '',
        ...Object.fromEntries(row.distribution.map((d) => [`point_${d.code}`, cell(d.count, d.suppressed, d.withheld)])),
        ...Object.fromEntries(row.nonSubstantive.map((d) => [d.code, cell(d.count, d.suppressed, d.withheld)])),
        // The base of the counts apart ("don't know"); the points' shares are of n.
        answered: field(row, 'answered', row.answered),
      }));
    case 'numeric':
      return r.histogram.map((b) => ({ from: b.from, to: b.to, respondents: cell(b.count, b.suppressed, b.withheld) }));
    case 'ranking':
      return r.options.map((o) => ({
        option: o.code,
        label: o.label,
        ranked_by: cell(o.rankedBy, o.suppressed),
        mean_rank: o.meanRank ?? '',
        ranked_first: o.firstShare ?? '',
      }));
    case 'text':
      return r.answers.map((a) => ({ answer: a.text, tags: a.tags.join('; ') }));
  }
}

/** The dashboard (`GET /admin/dashboard`) and each question's CSV, for admins and analysts. */
export function dashboardRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const viewers = requireLiveAccess;

  app.get('/dashboard', viewers, valid('query', dashboardQuery), async (c) => {
    const choices = await filterChoices(c);
    const surveyId = c.req.valid('query').survey ?? choices.surveys[0]?.id;
    if (!surveyId) throw new AppError('not_found', 'No questionnaire is published yet.');
    const filters = filtersFromQuery(c);
    const user = c.get('user')!;
    const db = analyticsDb(c);
    const analysis = await analyzeSurvey(db, surveyId, filters, { role: user.role });
    // A country question identifies its respondent; its answers are summarised by the region filter instead.
    const version = await getCurrentSurveyVersion(db, surveyId);
    const countryQuestions = new Set(
      version
        ? allQuestions(version.definition)
            .filter((q) => q.type === 'country')
            .map((q) => q.id)
        : [],
    );
    analysis.questions = analysis.questions.filter((q) => !countryQuestions.has(q.questionId));
    const numbers = version ? questionNumbers(version.definition) : new Map<string, number>();
    return renderPage(c, <DashboardPage user={userView(c)!} analysis={analysis} choices={choices} filterQuery={filtersToQuery(filters)} numbers={numbers} />);
  });

  app.get('/dashboard/:survey/:file{[a-z0-9_]+\\.csv}', viewers, valid('param', csvParams), async (c) => {
    const { survey, file: questionId } = c.req.valid('param');
    const filters = filtersFromQuery(c);
    const user = c.get('user')!;
    const { db } = c.get('deps');
    const analysis = await analyzeSurvey(analyticsDb(c), survey, filters, { role: user.role });
    const result = analysis.questions.find((q) => q.questionId === questionId);
    if (!result) throw new AppError('not_found', 'There is no such question.');
    const rows = resultRows(result);
    const fields = Object.keys(rows[0] ?? {});
    await insertAuditEntry(db, {
      actor: user.email,
      action: 'export.question_csv',
      subject: `survey:${analysis.surveyId}`,
      details: { question: questionId, filters, rows: rows.length },
    });
    const csv = csvWithBom(
      fields,
      rows.map((row) => fields.map((f) => String(row[f] ?? ''))),
    );
    return c.body(csv, 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${analysis.surveyId}-${questionId}.csv"`,
    });
  });

  return app;
}
