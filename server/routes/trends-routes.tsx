/** @jsxImportSource hono/jsx */
/**
 * The Trends page (`/admin/trends?from=<earlier>&to=<later>`) and its CSV, for admins and analysts.
 * Without `from` and `to` it picks the first two questionnaires with phases that ask the same
 * kinds of respondent, earlier first.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { Segment } from '../../analysis/results.ts';
import { REGIONS } from '../../survey-definitions/countries.ts';
import { RESPONDENT_KINDS } from '../../survey-definitions/schema.ts';
import { trendRows, TREND_COLUMNS } from '../analysis/trend-table.ts';
import { trendsBetween } from '../analysis/trends.ts';
import { analyticsDb, type AppEnv } from '../app-env.ts';
import { insertAuditEntry } from '../audit/audit.queries.ts';
import { csvWithBom } from '../csv/csv.ts';
import { AppError } from '../errors.ts';
import { renderPage } from '../http/render-page.ts';
import { requireLiveAccess } from '../http/require-user.ts';
import { TrendsPage } from '../pages/admin/trends-page.tsx';
import { GFMD_ROLES } from '../respondents/invitee-csv.ts';
import { listCurrentSurveyVersions, type SurveyVersion } from '../surveys/survey-versions.queries.ts';
import { userView } from '../http/user-view.ts';
import { filtersFromQuery, filtersToQuery } from '../http/analysis-filters.ts';
import { queryText, valid } from '../http/validate.ts';

const SEGMENTS = ['kind', 'region', 'role'] as const satisfies readonly Segment[];
const SURVEY_ID = /^[a-z][a-z0-9-]{0,99}$/;

/** `from` and `to` (both, or the default phases), `by` a segment (anything else: none); the filters are read by filtersFromQuery. */
const trendsQuery = z.object({
  from: queryText,
  to: queryText,
  by: queryText.pipe(z.enum(SEGMENTS).optional()).catch(undefined),
});

/** The earliest two phases of the same audience, earlier first; undefined when there are none. */
export function defaultPhases(versions: readonly SurveyVersion[]): { from: string; to: string } | undefined {
  const phased = versions
    .filter((v) => v.definition.phase !== undefined)
    .sort((a, b) => a.definition.phase! - b.definition.phase! || a.surveyId.localeCompare(b.surveyId));
  const audience = (v: SurveyVersion) => [...v.definition.audience].sort().join(',');
  for (const earlier of phased) {
    const later = phased.find((v) => v.definition.phase! > earlier.definition.phase! && audience(v) === audience(earlier));
    if (later) return { from: earlier.surveyId, to: later.surveyId };
  }
  return undefined;
}

/** The phases, segment and filters asked for, and the query string that asks for them again. */
async function readRequest(c: Context<AppEnv>, { from, to, by }: z.infer<typeof trendsQuery>) {
  const versions = await listCurrentSurveyVersions(analyticsDb(c));
  const phases = from && to ? { from, to } : defaultPhases(versions);
  for (const id of [phases?.from, phases?.to])
    if (id !== undefined && !SURVEY_ID.test(id)) throw new AppError('not_found', `There is no questionnaire '${id}'.`);
  const filters = filtersFromQuery(c);
  const query = new URLSearchParams(filtersToQuery(filters));
  if (phases) {
    query.set('from', phases.from);
    query.set('to', phases.to);
  }
  if (by) query.set('by', by);
  return { versions, phases, by, filters, query: query.toString() };
}

/** The trends page (`GET /admin/trends`) and its CSV, for admins and analysts. */
export function trendsRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/trends', requireLiveAccess, valid('query', trendsQuery), async (c) => {
    const { versions, phases, by, filters, query } = await readRequest(c, c.req.valid('query'));
    const user = c.get('user')!;
    const result = phases ? await trendsBetween(analyticsDb(c), phases.from, phases.to, filters, { role: user.role, now: c.get('deps').now() }, by) : null;
    return renderPage(
      c,
      <TrendsPage
        user={userView(c)!}
        result={result}
        questionnaires={versions.map((v) => ({ id: v.surveyId, title: v.definition.title.en, phase: v.definition.phase ?? null }))}
        from={phases?.from}
        to={phases?.to}
        by={by}
        filters={filters}
        choices={{ surveys: [], kinds: [...RESPONDENT_KINDS], regions: [...REGIONS], roles: [...GFMD_ROLES] }}
        query={query}
      />,
    );
  });

  app.get('/trends.csv', requireLiveAccess, valid('query', trendsQuery), async (c) => {
    const { phases, by, filters } = await readRequest(c, c.req.valid('query'));
    if (!phases) throw new AppError('not_found', 'Choose two questionnaires: no two declare phases.');
    const user = c.get('user')!;
    const result = await trendsBetween(analyticsDb(c), phases.from, phases.to, filters, { role: user.role, now: c.get('deps').now() }, by);
    const rows = trendRows(result);
    await insertAuditEntry(c.get('deps').db, {
      actor: user.email,
      action: 'export.trends_csv',
      subject: `survey:${phases.to}`,
      details: { from: phases.from, to: phases.to, by: by ?? null, filters, rows: rows.length },
    });
    return c.body(
      csvWithBom(
        [...TREND_COLUMNS],
        rows.map((row) => TREND_COLUMNS.map((f) => row[f])),
      ),
      200,
      {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="trends-${phases.from}-${phases.to}.csv"`,
      },
    );
  });

  return app;
}
