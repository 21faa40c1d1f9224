/** @jsxImportSource hono/jsx */
/**
 * Releases: `GET /admin/releases?survey=<id>` lists them (every member) with a form to make one
 * (analysts and admins), `POST /admin/releases` makes one, `GET /admin/releases/<id>?breakdown=region`
 * shows its tables, `GET /admin/releases/<id>/report?group=region:Africa` prints one group of it,
 * `POST /admin/releases/<id>/bundle` (analysts and admins) downloads its public bundle as a zip.
 * JSON: `GET /api/surveys/<id>/releases`, `GET /api/releases/<id>`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Hono, type Context } from 'hono';
import { exportRelease } from '../export/release-export.ts';
import { zipFolder } from '../export/zip-folder.ts';
import { allQuestions } from '../../survey-definitions/types.ts';
import { analyticsDb, type AppEnv } from '../app-env.ts';
import { AppError } from '../errors.ts';
import { renderPage } from '../http/render-page.ts';
import { requireRole } from '../http/require-user.ts';
import { assertCsrf } from '../http/security.ts';
import { loadCurrentDefinition } from '../analysis/current-definition.ts';
import { AdminLayout } from '../pages/admin/admin-layout.tsx';
import { SurveyChooser } from '../pages/admin/admin-parts.tsx';
import { ReleaseBody, ReleaseListBody } from '../pages/admin/releases-page.tsx';
import { ReportPage } from '../pages/admin/report-page.tsx';
import { buildReleaseReportModel } from '../releases/release-report.ts';
import { getCurrentSurveyVersion } from '../surveys/survey-versions.queries.ts';
import { createRelease, listReleases, readRelease } from '../releases/release-service.ts';
import { earlierPhaseReleases } from '../releases/release-trend-source.ts';
import { listCurrentSurveyVersions } from '../surveys/survey-versions.queries.ts';
import { userView } from '../http/user-view.ts';

function releaseId(value: string): number {
  const id = Number(value);
  if (!/^[0-9]{1,9}$/.test(value) || !Number.isSafeInteger(id)) throw new AppError('not_found', `There is no release ${value}.`);
  return id;
}

async function renderList(c: Context<AppEnv>, surveyId: string, options: { notice?: string; error?: string; status?: 200 | 422 | 409 } = {}) {
  const db = analyticsDb(c);
  const definition = await loadCurrentDefinition(db, surveyId);
  const releases = await listReleases(db, surveyId);
  const me = c.get('user')!;
  const earlierPhases = me.role === 'observer' ? [] : await earlierPhaseReleases(db, definition);
  return renderPage(
    c,
    <AdminLayout title="Releases" user={userView(c)} current="/admin/releases">
      <ReleaseListBody
        view={{
          survey: { id: surveyId, title: definition.title.en },
          releases: releases.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at, responses: r.responses, final: r.final, contentHash: r.content_hash })),
          ...(me.role === 'observer' ? {} : { create: { csrf: me.csrfToken, earlierPhases } }),
          ...(options.notice ? { notice: options.notice } : {}),
          ...(options.error ? { error: options.error } : {}),
        }}
      />
    </AdminLayout>,
    options.status ?? 200,
  );
}

export function releaseRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const team = requireRole('admin', 'analyst', 'observer');

  app.get('/releases', team, async (c) => {
    const surveyId = c.req.query('survey');
    if (!surveyId) {
      const surveys = await listCurrentSurveyVersions(analyticsDb(c));
      return renderPage(
        c,
        <AdminLayout title="Releases" user={userView(c)} current="/admin/releases">
          <SurveyChooser surveys={surveys.map((s) => ({ id: s.surveyId, title: s.definition.title.en, version: s.version }))} path="/admin/releases" />
        </AdminLayout>,
      );
    }
    return renderList(c, surveyId, c.req.query('made') ? { notice: `Release ${c.req.query('made')} was made.` } : {});
  });

  app.post('/releases', requireRole('admin', 'analyst'), async (c) => {
    const user = c.get('user')!;
    const body = await c.req.parseBody();
    assertCsrf(user.csrfToken, body['_csrf']);
    const surveyId = typeof body['survey'] === 'string' ? body['survey'] : '';
    const name = typeof body['name'] === 'string' ? body['name'] : '';
    try {
      const trendFrom = typeof body['trend_from'] === 'string' && /^\d{1,9}$/.test(body['trend_from']) ? Number(body['trend_from']) : undefined;
      const made = await createRelease(c.get('deps').db, { surveyId, name, final: body['final'] === '1', actor: user.email, ...(trendFrom === undefined ? {} : { trendFrom }) });
      return c.redirect(`/admin/releases?survey=${encodeURIComponent(surveyId)}&made=${made.id}`, 303);
    } catch (error) {
      if (error instanceof AppError && (error.code === 'bad_request' || error.code === 'conflict')) return renderList(c, surveyId, { error: error.message, status: error.code === 'conflict' ? 409 : 422 });
      throw error;
    }
  });

  app.get('/releases/:id', team, async (c) => {
    const db = analyticsDb(c);
    const release = await readRelease(db, releaseId(c.req.param('id')));
    const definition = await loadCurrentDefinition(db, release.surveyId);
    return renderPage(
      c,
      <AdminLayout title={`Release ${release.id}: ${release.name}`} user={userView(c)} current="/admin/releases">
        <ReleaseBody
          view={{
            release,
            breakdown: c.req.query('breakdown') ?? 'all',
            questions: new Map(allQuestions(definition).map((q) => [q.id, q])),
            ...(c.get('user')!.role === 'observer' ? {} : { bundle: { csrf: c.get('user')!.csrfToken } }),
          }}
        />
      </AdminLayout>,
    );
  });

  app.post('/releases/:id/bundle', requireRole('admin', 'analyst'), async (c) => {
    const user = c.get('user')!;
    assertCsrf(user.csrfToken, (await c.req.parseBody())['_csrf']);
    const id = releaseId(c.req.param('id'));
    const folder = path.join(await mkdtemp(path.join(os.tmpdir(), 'fat-release-')), 'bundle');
    let files: string[];
    try {
      // On the primary: the export records its row file, if any, and itself in the audit log.
      files = (await exportRelease(c.get('deps').db, { releaseId: id, actor: user.email }, folder)).files.map((f) => f.name);
    } catch (error) {
      await rm(path.dirname(folder), { recursive: true, force: true });
      throw error;
    }
    const stream = zipFolder(folder, files, { removeFolder: true });
    return c.body(stream, 200, {
      'Content-Type': 'application/zip',
      'Content-Disposition': `attachment; filename="release-${id}.zip"`,
      'Cache-Control': 'no-store',
    });
  });

  app.get('/releases/:id/report', team, async (c) => {
    const db = analyticsDb(c);
    const release = await readRelease(db, releaseId(c.req.param('id')));
    const group = c.req.query('group') ?? 'all';
    if (!release.groups[group]) throw new AppError('not_found', `Release ${release.id} has no group '${group}'.`);
    const version = await getCurrentSurveyVersion(db, release.surveyId);
    if (!version) throw new AppError('not_found', `No questionnaire with the id '${release.surveyId}' is published.`);
    const earlier = release.trendFrom ? await getCurrentSurveyVersion(db, release.trendFrom.surveyId) : undefined;
    return renderPage(c, <ReportPage m={buildReleaseReportModel({ definition: version.definition, version: version.version, release, group, ...(earlier ? { earlierDefinition: earlier.definition } : {}) })} />);
  });

  return app;
}

/** Mounted at `/api`. */
export function releaseApiRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const team = requireRole('admin', 'analyst', 'observer');
  app.get('/surveys/:id/releases', team, async (c) => {
    const releases = await listReleases(analyticsDb(c), c.req.param('id'));
    return c.json(releases.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at, responses: r.responses, final: r.final, contentHash: r.content_hash })));
  });
  app.get('/releases/:id', team, async (c) => c.json(await readRelease(analyticsDb(c), releaseId(c.req.param('id')))));
  return app;
}
