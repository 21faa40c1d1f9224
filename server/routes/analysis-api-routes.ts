/**
 * The Assessment Team's analysis API (JSON only): live, exact figures for admins and analysts;
 * observers are refused and read releases (`/api/surveys/<id>/releases`).
 *
 *   GET /api/surveys/:id/analysis?kind=government&region=Africa&role=troika&status=all
 *   GET /api/surveys/:id/comparisons?by=kind|region|role[&question=<id>…]
 *   GET /api/comparisons/shared?a=government-assessment&b=civil-society-survey
 *   GET /api/trends?from=<earlier phase>&to=<later phase>[&by=kind|region|role]
 *
 * `kind`, `region`, `role` and `question` may repeat (any of); `status` is submitted (default) or all.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AnalysisFilters } from '../../analysis/results.ts';
import { RESPONDENT_KINDS } from '../../survey-definitions/schema.ts';
import { compareGroups, compareSharedQuestions } from '../analysis/group-comparisons.ts';
import { analyzeSurvey } from '../analysis/survey-analysis.ts';
import { trendsBetween } from '../analysis/trends.ts';
import { analyticsDb, type AppEnv } from '../app-env.ts';
import type { UserSession } from '../accounts/user-sessions.queries.ts';
import { AppError } from '../errors.ts';
import { requireLiveAccess } from '../http/require-user.ts';
import { repeatable, valid } from '../http/validate.ts';
import { GFMD_ROLES } from '../respondents/invitee-csv.ts';

const surveyId = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, 'must be a questionnaire id')
  .max(100);

const filterQuery = z.object({
  kind: repeatable(z.enum(RESPONDENT_KINDS)),
  region: repeatable(z.string().trim().min(1).max(100)),
  role: repeatable(z.enum(GFMD_ROLES)),
  status: z.enum(['submitted', 'all']).default('submitted'),
});
const comparisonQuery = filterQuery.extend({
  by: z.enum(['kind', 'region', 'role']),
  question: repeatable(
    z
      .string()
      .regex(/^[a-z][a-z0-9_]*$/, 'must be a question id')
      .max(100),
  ),
});
const sharedQuery = filterQuery.extend({ a: surveyId, b: surveyId });
const trendsQuery = filterQuery.extend({ from: surveyId, to: surveyId, by: z.enum(['kind', 'region', 'role']).optional() });

/** The questionnaire in the address: an id of the right shape, else there is no such questionnaire (404). */
const surveyParam = z.object({
  id: z.string().superRefine((id, ctx) => {
    if (!surveyId.safeParse(id).success) ctx.addIssue({ code: 'custom', message: `There is no questionnaire '${id}'.` });
  }),
});

/** A query string that does not match its schema is a 400 with this sentence, listing each problem in `details`. */
const QUERY_MISMATCH = { message: 'The query string does not have the expected shape.' };
const validSurvey = valid('param', surveyParam, { code: 'not_found' });

function toFilters(query: z.infer<typeof filterQuery>): AnalysisFilters {
  return {
    ...(query.kind?.length ? { kind: query.kind } : {}),
    ...(query.region?.length ? { region: query.region } : {}),
    ...(query.role?.length ? { role: query.role } : {}),
    status: query.status,
  };
}

/** The member requireRole let through. */
function viewer(c: Context<AppEnv>): UserSession {
  const user = c.get('user');
  if (!user) throw new AppError('unauthorized', 'Please sign in.', { login: '/admin/login' });
  return user;
}

/** Mounted at `/api`; each route checks the member's role itself (the sub-app must not guard /api/r). */
export function analysisApiRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const team = requireLiveAccess;

  app.get('/surveys/:id/analysis', team, valid('query', filterQuery, QUERY_MISMATCH), validSurvey, async (c) => {
    const { now } = c.get('deps');
    const analysis = await analyzeSurvey(analyticsDb(c), c.req.valid('param').id, toFilters(c.req.valid('query')), { role: viewer(c).role, now: now() });
    return c.json(analysis);
  });

  app.get('/surveys/:id/comparisons', team, valid('query', comparisonQuery, QUERY_MISMATCH), validSurvey, async (c) => {
    const query = c.req.valid('query');
    const { id } = c.req.valid('param');
    const filters = toFilters(query);
    const comparisons = await compareGroups(analyticsDb(c), id, query.question, query.by, filters, { role: viewer(c).role });
    return c.json({ surveyId: id, by: query.by, filters, comparisons });
  });

  app.get('/comparisons/shared', team, valid('query', sharedQuery, QUERY_MISMATCH), async (c) => {
    const query = c.req.valid('query');
    const filters = toFilters(query);
    const comparisons = await compareSharedQuestions(analyticsDb(c), query.a, query.b, filters, { role: viewer(c).role });
    return c.json({ a: query.a, b: query.b, filters, comparisons });
  });

  app.get('/trends', team, valid('query', trendsQuery, QUERY_MISMATCH), async (c) => {
    const query = c.req.valid('query');
    const { now } = c.get('deps');
    const result = await trendsBetween(analyticsDb(c), query.from, query.to, toFilters(query), { role: viewer(c).role, now: now() }, query.by);
    return c.json(result);
  });

  return app;
}
