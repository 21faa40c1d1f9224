/** @jsxImportSource hono/jsx */
/**
 * Releases: `GET /admin/releases?survey=<id>` lists them (every member) with a form to make one
 * (analysts and admins), `POST /admin/releases` makes one, `GET /admin/releases/<id>?breakdown=region`
 * shows its tables, `GET /admin/releases/<id>/report?group=region:Africa` prints one group of it,
 * `POST /admin/releases/<id>/bundle` (analysts and admins) downloads its public bundle as a zip.
 * JSON: `GET /api/surveys/<id>/releases`, `GET /api/releases/<id>`.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { tryExportRelease } from '../export/release-export.ts';
import { allQuestions } from '../../survey-definitions/types.ts';
import { analyticsDb, type AppEnv } from '../app-env.ts';
import { AppError, ok, valueOr } from '../errors.ts';
import { renderPage } from '../http/render-page.ts';
import { requireRole } from '../http/require-user.ts';
import { csrfProtection } from '../http/security.ts';
import { lenientText, queryText, valid } from '../http/validate.ts';
import { zipHeaders, zipOfNewFolder } from '../http/zip-download.ts';
import { loadCurrentDefinition } from '../analysis/current-definition.ts';
import { ReleasePage, ReleasesPage } from '../pages/admin/releases-page.tsx';
import { ReportPage } from '../pages/admin/report-page.tsx';
import { SurveyChooserPage } from '../pages/admin/survey-chooser-page.tsx';
import { buildReleaseReportModel } from '../releases/release-report.ts';
import { getCurrentSurveyVersion, listCurrentSurveyVersions } from '../surveys/survey-versions.queries.ts';
import { listReleases, readRelease, tryCreateRelease } from '../releases/release-service.ts';
import { earlierPhaseReleases } from '../releases/release-trend-source.ts';
import { userView } from '../http/user-view.ts';

/** A release's number in the address: up to 9 digits, else there is no such release (404). */
const releaseParam = z.object({
  id: z
    .string()
    .superRefine((id, ctx) => {
      if (!/^[0-9]{1,9}$/.test(id)) ctx.addIssue({ code: 'custom', message: `There is no release ${id}.` });
    })
    .transform(Number),
});
const validRelease = valid('param', releaseParam, { code: 'not_found' });

/** `?survey=<id>` (none: the list of questionnaires), `made=<id>` after a release was made. */
const listQuery = z.object({ survey: queryText, made: queryText });
/** A new release: its questionnaire and name, whether it is the final one, and the earlier phase's release it compares with. */
const releaseForm = z.object({
  survey: lenientText,
  name: lenientText,
  final: z
    .unknown()
    .optional()
    .transform((final) => final === '1'),
  trend_from: lenientText.transform((id) => (/^\d{1,9}$/.test(id) ? Number(id) : undefined)),
});

/** The releases of `surveyId`, with the outcome of what was just done. */
async function renderList(c: Context<AppEnv>, surveyId: string, options: { notice?: string; error?: string; status?: 200 | 422 | 409 } = {}) {
  const db = analyticsDb(c);
  const definition = await loadCurrentDefinition(db, surveyId);
  const releases = await listReleases(db, surveyId);
  const me = c.get('user')!;
  const earlierPhases = me.role === 'observer' ? [] : await earlierPhaseReleases(db, definition);
  const view = {
    survey: { id: surveyId, title: definition.title.en },
    releases: releases.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at, responses: r.responses, final: r.final, contentHash: r.content_hash })),
    ...(me.role === 'observer' ? {} : { create: { csrf: me.csrfToken, earlierPhases } }),
    ...(options.notice ? { notice: options.notice } : {}),
    ...(options.error ? { error: options.error } : {}),
  };
  return renderPage(c, <ReleasesPage user={userView(c)} view={view} />, options.status ?? 200);
}

/** The release pages (`/admin/releases…`): every member reads, analysts and admins make and export. */
export function releaseRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const team = requireRole('admin', 'analyst', 'observer');
  const makers = requireRole('admin', 'analyst');

  app.get('/releases', team, valid('query', listQuery), async (c) => {
    const { survey, made } = c.req.valid('query');
    if (!survey) {
      const surveys = await listCurrentSurveyVersions(analyticsDb(c));
      const choices = surveys.map((s) => ({ id: s.surveyId, title: s.definition.title.en, version: s.version }));
      return renderPage(c, <SurveyChooserPage title="Releases" user={userView(c)} path="/admin/releases" surveys={choices} />);
    }
    return renderList(c, survey, made ? { notice: `Release ${made} was made.` } : {});
  });

  app.post('/releases', makers, csrfProtection, valid('form', releaseForm), async (c) => {
    const user = c.get('user')!;
    const { survey: surveyId, name, final, trend_from: trendFrom } = c.req.valid('form');
    const made = await tryCreateRelease(c.get('deps').db, { surveyId, name, final, actor: user.email, ...(trendFrom === undefined ? {} : { trendFrom }) });
    // A release refused is shown on the list with the reason; an unknown questionnaire or release is a 404.
    if (!made.ok && made.refusal.code !== 'not_found')
      return renderList(c, surveyId, { error: made.refusal.message, status: made.refusal.code === 'conflict' ? 409 : 422 });
    return c.redirect(`/admin/releases?survey=${encodeURIComponent(surveyId)}&made=${valueOr(made).id}`, 303);
  });

  app.get('/releases/:id', team, validRelease, valid('query', z.object({ breakdown: queryText })), async (c) => {
    const db = analyticsDb(c);
    const release = await readRelease(db, c.req.valid('param').id);
    const definition = await loadCurrentDefinition(db, release.surveyId);
    const user = c.get('user')!;
    const view = {
      release,
      breakdown: c.req.valid('query').breakdown ?? 'all',
      questions: new Map(allQuestions(definition).map((q) => [q.id, q])),
      ...(user.role === 'observer' ? {} : { bundle: { csrf: user.csrfToken } }),
    };
    return renderPage(c, <ReleasePage user={userView(c)} view={view} />);
  });

  app.post('/releases/:id/bundle', makers, csrfProtection, validRelease, async (c) => {
    const user = c.get('user')!;
    const { id } = c.req.valid('param');
    const zip = await zipOfNewFolder(
      'fat-release-',
      async (folder) => {
        // On the primary: the export records its row file, if any, and itself in the audit log.
        const exported = await tryExportRelease(c.get('deps').db, { releaseId: id, actor: user.email }, folder);
        return exported.ok ? ok(exported.value.files.map((f) => f.name)) : exported;
      },
      { subfolder: 'bundle' },
    );
    return c.body(valueOr(zip), 200, zipHeaders(`release-${id}.zip`));
  });

  app.get('/releases/:id/report', team, validRelease, valid('query', z.object({ group: queryText })), async (c) => {
    const db = analyticsDb(c);
    const release = await readRelease(db, c.req.valid('param').id);
    const group = c.req.valid('query').group ?? 'all';
    if (!release.groups[group]) throw new AppError('not_found', `Release ${release.id} has no group '${group}'.`);
    const version = await getCurrentSurveyVersion(db, release.surveyId);
    if (!version) throw new AppError('not_found', `No questionnaire with the id '${release.surveyId}' is published.`);
    const earlier = release.trendFrom ? await getCurrentSurveyVersion(db, release.trendFrom.surveyId) : undefined;
    return renderPage(
      c,
      <ReportPage
        m={buildReleaseReportModel({
          definition: version.definition,
          version: version.version,
          release,
          group,
          ...(earlier ? { earlierDefinition: earlier.definition } : {}),
        })}
      />,
    );
  });

  return app;
}

/** Mounted at `/api`. */
export function releaseApiRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const team = requireRole('admin', 'analyst', 'observer');
  app.get('/surveys/:id/releases', team, valid('param', z.object({ id: z.string() })), async (c) => {
    const releases = await listReleases(analyticsDb(c), c.req.valid('param').id);
    return c.json(
      releases.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at, responses: r.responses, final: r.final, contentHash: r.content_hash })),
    );
  });
  app.get('/releases/:id', team, validRelease, async (c) => c.json(await readRelease(analyticsDb(c), c.req.valid('param').id)));
  return app;
}
