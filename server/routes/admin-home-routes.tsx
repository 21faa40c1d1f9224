/** @jsxImportSource hono/jsx */
/**
 * The Assessment Team's landing page: the questionnaires and where to go next.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { renderPage } from '../http/render-page.ts';
import { requireRole } from '../http/require-user.ts';
import { userView } from '../http/user-view.ts';
import { OverviewPage } from '../pages/admin/overview-page.tsx';
import { surveyWindow } from '../responses/survey-window.ts';
import { listCurrentSurveyVersions } from '../surveys/survey-versions.queries.ts';

export function adminHomeRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/', requireRole('admin', 'analyst', 'observer'), async (c) => {
    const { db, now } = c.get('deps');
    const surveys = (await listCurrentSurveyVersions(db)).map((s) => ({
      surveyId: s.surveyId,
      title: s.definition.title.en,
      version: s.version,
      contentHash: s.contentHash,
      opens: s.definition.opens,
      closes: s.definition.closes,
      state: surveyWindow(s.definition, now()).replace(/_/g, ' '),
    }));
    // Observers read releases; the live dashboard is the Assessment Team's own.
    const figures = c.get('user')!.role === 'observer' ? '/admin/releases' : '/admin/dashboard';
    return renderPage(c, <OverviewPage user={userView(c)} surveys={surveys} figures={figures} />);
  });
  return app;
}
