/** @jsxImportSource hono/jsx */
/**
 * The Assessment Team's landing page: the questionnaires and where to go next.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { renderPage } from '../http/render-page.ts';
import { requireRole } from '../http/require-user.ts';
import { AdminLayout } from '../pages/admin/admin-layout.tsx';
import { surveyWindow } from '../responses/survey-window.ts';
import { listCurrentSurveyVersions } from '../surveys/survey-versions.queries.ts';
import { userView } from '../http/user-view.ts';

export function adminHomeRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/', requireRole('admin', 'analyst', 'observer'), async (c) => {
    const { db, now } = c.get('deps');
    const surveys = await listCurrentSurveyVersions(db);
    // Observers read releases; the live dashboard is the Assessment Team's own.
    const figures = c.get('user')!.role === 'observer' ? '/admin/releases' : '/admin/dashboard';
    return renderPage(
      c,
      <AdminLayout title="Overview" user={userView(c)} current="/admin">
        <table class="data">
          <thead>
            <tr>
              <th scope="col">Questionnaire</th>
              <th scope="col">Version</th>
              <th scope="col">Open</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {surveys.map((s) => (
              <tr>
                <td>
                  <a href={`${figures}?survey=${s.surveyId}`}>{s.definition.title.en}</a>
                </td>
                <td>
                  {s.version} <code>{s.contentHash.slice(0, 12)}</code>
                </td>
                <td>
                  {s.definition.opens} to {s.definition.closes}
                </td>
                <td>{surveyWindow(s.definition, now()).replace(/_/g, ' ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </AdminLayout>,
    );
  });
  return app;
}
