/** @jsxImportSource hono/jsx */
/**
 * The response tracker (admins and analysts): progress counts, submissions per day, who has not
 * submitted (on the page and as a CSV for reminders), and excluding responses from the analysis.
 */
import { Hono, type Context } from 'hono';
import { analyticsDb, type AppEnv } from '../app-env.ts';
import { insertAuditEntry } from '../audit/audit.queries.ts';
import { AppError } from '../errors.ts';
import { renderPage } from '../http/render-page.ts';
import { requireRole } from '../http/require-user.ts';
import { assertCsrf } from '../http/security.ts';
import { pageWindow, SurveyChooser } from '../pages/admin/admin-parts.tsx';
import { AdminLayout } from '../pages/admin/admin-layout.tsx';
import { TrackerBody } from '../pages/admin/tracker-page.tsx';
import { getCurrentSurveyVersion, listCurrentSurveyVersions } from '../surveys/survey-versions.queries.ts';
import { remindersCsv } from '../tracker/reminders-csv.ts';
import { excludeResponse, includeResponse } from '../tracker/response-exclusions.ts';
import { latestMessageByRespondent } from '../mail/mail.queries.ts';
import { getDailySubmissions, getStateCounts, listNotSubmitted, listSubmittedResponses } from '../tracker/tracker.queries.ts';
import { userView } from '../http/user-view.ts';

/** Rows per page of the two lists. */
export const TRACKER_PAGE_SIZE = 100;

const NOTICES = new Map([
  ['excluded', 'The response is excluded from the analysis. It stays stored and can be included again.'],
  ['included', 'The response is included in the analysis again.'],
]);

async function publishedSurvey(c: Context<AppEnv>, surveyId: string) {
  const version = await getCurrentSurveyVersion(analyticsDb(c), surveyId);
  if (!version) throw new AppError('not_found', `No questionnaire with the id '${surveyId}' is published.`);
  return version;
}

async function renderTracker(c: Context<AppEnv>, surveyId: string, options: { notice?: string; error?: string; status?: 200 | 409 | 422 } = {}) {
  const db = analyticsDb(c);
  const version = await publishedSurvey(c, surveyId);
  const [[overall], byKind, byRegion, byRole, daily] = await Promise.all([
    getStateCounts(db, surveyId, 'overall'),
    getStateCounts(db, surveyId, 'kind'),
    getStateCounts(db, surveyId, 'region'),
    getStateCounts(db, surveyId, 'role'),
    getDailySubmissions(db, surveyId),
  ]);
  const counts = overall!;
  const notSubmittedWindow = pageWindow(c.req.query('page'), counts.respondents - counts.submitted, TRACKER_PAGE_SIZE);
  const submittedWindow = pageWindow(c.req.query('spage'), counts.submitted, TRACKER_PAGE_SIZE);
  const [notSubmitted, submitted] = await Promise.all([
    listNotSubmitted(db, surveyId, notSubmittedWindow),
    listSubmittedResponses(db, surveyId, submittedWindow),
  ]);
  const lastMail = await latestMessageByRespondent(db, notSubmitted.map((r) => r.respondentId));
  const me = userView(c)!;
  return renderPage(
    c,
    <AdminLayout title="Response tracker" user={me} current="/admin/tracker">
      <TrackerBody
        view={{
          survey: { id: surveyId, title: version.definition.title.en },
          overall: counts,
          byKind,
          byRegion,
          byRole,
          daily,
          notSubmitted: { rows: notSubmitted, window: notSubmittedWindow, lastMail },
          submitted: { rows: submitted, window: submittedWindow },
          pages: { notSubmitted: notSubmittedWindow.page, submitted: submittedWindow.page },
          csrf: me.csrfToken,
          ...(options.notice ? { notice: options.notice } : {}),
          ...(options.error ? { error: options.error } : {}),
        }}
      />
    </AdminLayout>,
    options.status ?? 200,
  );
}

export function trackerRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/tracker', requireRole('admin', 'analyst'), async (c) => {
    const surveyId = c.req.query('survey');
    if (!surveyId) {
      const surveys = await listCurrentSurveyVersions(analyticsDb(c));
      return renderPage(
        c,
        <AdminLayout title="Response tracker" user={userView(c)} current="/admin/tracker">
          <SurveyChooser surveys={surveys.map((s) => ({ id: s.surveyId, title: s.definition.title.en, version: s.version }))} path="/admin/tracker" />
        </AdminLayout>,
      );
    }
    const notice = NOTICES.get(c.req.query('done') ?? '');
    return renderTracker(c, surveyId, notice ? { notice } : {});
  });

  app.get('/tracker/reminders.csv', requireRole('admin', 'analyst'), async (c) => {
    const surveyId = c.req.query('survey') ?? '';
    await publishedSurvey(c, surveyId);
    const { db } = c.get('deps');
    const user = c.get('user')!;
    const rows = await listNotSubmitted(analyticsDb(c), surveyId);
    // The file holds names and e-mails: who took it, and when, is on record.
    await insertAuditEntry(db, { actor: user.email, action: 'export.reminders', subject: `survey:${surveyId}`, details: { surveyId, rows: rows.length } });
    return c.body(remindersCsv(rows), 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="reminders-${surveyId}.csv"`,
      'Cache-Control': 'no-store',
    });
  });

  app.post('/tracker/exclusions', requireRole('admin', 'analyst'), async (c) => {
    const user = c.get('user')!;
    const body = await c.req.parseBody();
    assertCsrf(user.csrfToken, body['_csrf']);
    const responseId = Number(body['response']);
    if (!Number.isInteger(responseId) || responseId <= 0) throw new AppError('bad_request', 'Which response? The form did not say.');
    const action = body['action'];
    if (action !== 'exclude' && action !== 'include') throw new AppError('bad_request', 'Unknown action.');
    const actor = { userId: user.userId, email: user.email };
    const { db, now } = c.get('deps');
    try {
      const { surveyId } =
        action === 'exclude'
          ? await excludeResponse(db, { responseId, reason: typeof body['reason'] === 'string' ? body['reason'] : '', actor, at: now() })
          : await includeResponse(db, { responseId, actor });
      return c.redirect(`/admin/tracker?survey=${encodeURIComponent(surveyId)}&done=${action === 'exclude' ? 'excluded' : 'included'}#responses`, 303);
    } catch (error) {
      const surveyId = typeof body['survey'] === 'string' ? body['survey'] : '';
      if (error instanceof AppError && (error.code === 'validation' || error.code === 'conflict') && surveyId) {
        return renderTracker(c, surveyId, { error: error.message, status: error.code === 'conflict' ? 409 : 422 });
      }
      throw error;
    }
  });

  return app;
}
