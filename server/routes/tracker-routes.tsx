/** @jsxImportSource hono/jsx */
/**
 * The response tracker (admins and analysts): progress counts, submissions per day, who has not
 * submitted (on the page and as a CSV for reminders), and excluding responses from the analysis.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { analyticsDb, type AppEnv } from '../app-env.ts';
import { insertAuditEntry } from '../audit/audit.queries.ts';
import { AppError, valueOr } from '../errors.ts';
import { renderPage } from '../http/render-page.ts';
import { requireRole } from '../http/require-user.ts';
import { csrfProtection } from '../http/security.ts';
import { lenientText, queryText, valid } from '../http/validate.ts';
import { pageWindow } from '../pages/admin/admin-parts.tsx';
import { SurveyChooserPage } from '../pages/admin/survey-chooser-page.tsx';
import { TrackerPage } from '../pages/admin/tracker-page.tsx';
import { getCurrentSurveyVersion, listCurrentSurveyVersions } from '../surveys/survey-versions.queries.ts';
import { remindersCsv } from '../tracker/reminders-csv.ts';
import { tryExcludeResponse, tryIncludeResponse } from '../tracker/response-exclusions.ts';
import { latestMessageByRespondent } from '../mail/mail.queries.ts';
import { getDailySubmissions, getStateCounts, listNotSubmitted, listSubmittedResponses } from '../tracker/tracker.queries.ts';
import { userView } from '../http/user-view.ts';

/** Rows per page of the two lists. */
export const TRACKER_PAGE_SIZE = 100;

const NOTICES = new Map([
  ['excluded', 'The response is excluded from the analysis. It stays stored and can be included again.'],
  ['included', 'The response is included in the analysis again.'],
]);

/** `?survey=<id>` (none: the list of questionnaires), `done` after an exclusion, `page` and `spage` for the two lists. */
const trackerQuery = z.object({ survey: queryText, done: queryText, page: queryText, spage: queryText });
/** The reminders CSV of `?survey=<id>`. */
const remindersQuery = z.object({ survey: queryText.transform((survey) => survey ?? '') });

/** An exclusion or its withdrawal; the response is asked about first, then the action (400 either way). */
const exclusionForm = z.object({
  response: z.custom<string>((id) => Number.isInteger(Number(id)) && Number(id) > 0, 'Which response? The form did not say.').transform(Number),
  action: z.custom<'exclude' | 'include'>((action) => action === 'exclude' || action === 'include', 'Unknown action.'),
  reason: lenientText,
  /** The tracker the form was on, shown again with the refusal. */
  survey: lenientText,
});

/** Which page of each list is shown (a bad value gives page 1). */
type ListPages = { page?: string | undefined; spage?: string | undefined };

async function publishedSurvey(c: Context<AppEnv>, surveyId: string) {
  const version = await getCurrentSurveyVersion(analyticsDb(c), surveyId);
  if (!version) throw new AppError('not_found', `No questionnaire with the id '${surveyId}' is published.`);
  return version;
}

async function renderTracker(
  c: Context<AppEnv>,
  surveyId: string,
  pages: ListPages,
  options: { notice?: string; error?: string; status?: 200 | 409 | 422 } = {},
) {
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
  const notSubmittedWindow = pageWindow(pages.page, counts.respondents - counts.submitted, TRACKER_PAGE_SIZE);
  const submittedWindow = pageWindow(pages.spage, counts.submitted, TRACKER_PAGE_SIZE);
  const [notSubmitted, submitted] = await Promise.all([
    listNotSubmitted(db, surveyId, notSubmittedWindow),
    listSubmittedResponses(db, surveyId, submittedWindow),
  ]);
  const lastMail = await latestMessageByRespondent(
    db,
    notSubmitted.map((r) => r.respondentId),
  );
  const me = userView(c)!;
  const view = {
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
  };
  return renderPage(c, <TrackerPage user={me} view={view} />, options.status ?? 200);
}

/** The tracker (`GET /admin/tracker`), its reminders CSV and the exclusion form, for admins and analysts. */
export function trackerRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const team = requireRole('admin', 'analyst');

  app.get('/tracker', team, valid('query', trackerQuery), async (c) => {
    const { survey, done, ...pages } = c.req.valid('query');
    if (!survey) {
      const surveys = await listCurrentSurveyVersions(analyticsDb(c));
      const choices = surveys.map((s) => ({ id: s.surveyId, title: s.definition.title.en, version: s.version }));
      return renderPage(c, <SurveyChooserPage title="Response tracker" user={userView(c)} path="/admin/tracker" surveys={choices} />);
    }
    const notice = NOTICES.get(done ?? '');
    return renderTracker(c, survey, pages, notice ? { notice } : {});
  });

  app.get('/tracker/reminders.csv', team, valid('query', remindersQuery), async (c) => {
    const { survey: surveyId } = c.req.valid('query');
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

  app.post('/tracker/exclusions', team, csrfProtection, valid('form', exclusionForm, { code: 'bad_request' }), async (c) => {
    const user = c.get('user')!;
    const { response: responseId, action, reason, survey } = c.req.valid('form');
    const actor = { userId: user.userId, email: user.email };
    const { db, now } = c.get('deps');
    const outcome =
      action === 'exclude' ? await tryExcludeResponse(db, { responseId, reason, actor, at: now() }) : await tryIncludeResponse(db, { responseId, actor });
    // A refusal about the response is shown on the tracker it came from; an unknown response is a 404.
    if (!outcome.ok && outcome.refusal.code !== 'not_found' && survey) {
      return renderTracker(c, survey, {}, { error: outcome.refusal.message, status: outcome.refusal.code === 'conflict' ? 409 : 422 });
    }
    const { surveyId } = valueOr(outcome);
    return c.redirect(`/admin/tracker?survey=${encodeURIComponent(surveyId)}&done=${action === 'exclude' ? 'excluded' : 'included'}#responses`, 303);
  });

  return app;
}
