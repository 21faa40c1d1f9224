/** @jsxImportSource hono/jsx */
/**
 * The live printable report of a questionnaire (`GET /admin/report?survey=<id>`), for admins and
 * analysts: exact figures, marked confidential on every page. What is published is printed from a
 * release instead (`/admin/releases/<id>/report`, release-routes.tsx).
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { analyzeSurvey } from '../analysis/survey-analysis.ts';
import { buildReportModel } from '../analysis/report-model.ts';
import { analyticsDb, type AppEnv } from '../app-env.ts';
import { AppError } from '../errors.ts';
import { renderPage } from '../http/render-page.ts';
import { requireLiveAccess } from '../http/require-user.ts';
import { KIND_LABELS } from '../pages/admin/admin-parts.tsx';
import { ReportPage } from '../pages/admin/report-page.tsx';
import { getCurrentSurveyVersion, listCurrentSurveyVersions } from '../surveys/survey-versions.queries.ts';
import { getStateCounts } from '../tracker/tracker.queries.ts';
import { queryText, valid } from '../http/validate.ts';

/** `?survey=<id>`: the first published questionnaire when absent. */
const reportQuery = z.object({ survey: queryText });

/** The live printable report (`GET /admin/report`), for admins and analysts. */
export function reportRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/report', requireLiveAccess, valid('query', reportQuery), async function showReport(c) {
    const { now } = c.get('deps');
    const db = analyticsDb(c);
    const surveyId = c.req.valid('query').survey ?? (await listCurrentSurveyVersions(db))[0]?.surveyId;
    if (!surveyId) throw new AppError('not_found', 'No questionnaire is published yet.');
    const version = await getCurrentSurveyVersion(db, surveyId);
    if (!version) throw new AppError('not_found', `No questionnaire with the id '${surveyId}' is published.`);
    const today = now();
    const [analysis, [overall], byKind, byRegion] = await Promise.all([
      analyzeSurvey(db, surveyId, {}, { role: c.get('user')!.role, now: today }),
      getStateCounts(db, surveyId, 'overall'),
      getStateCounts(db, surveyId, 'kind'),
      getStateCounts(db, surveyId, 'region'),
    ]);
    const model = buildReportModel({
      definition: version.definition,
      version: version.version,
      analysis,
      overall: overall!,
      byKind,
      byRegion,
      kindLabel: (g) => (g ? (KIND_LABELS[g as keyof typeof KIND_LABELS] ?? g) : 'Unknown'),
      now: today,
    });
    return renderPage(c, <ReportPage m={model} />);
  });

  return app;
}
