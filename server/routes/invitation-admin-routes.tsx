/** @jsxImportSource hono/jsx */
/**
 * Invitations in the browser (admins): what `assess invite` does on the command line. Upload an
 * invitee CSV (same checks, same row-by-row errors; on success the links file downloads once),
 * list the links, revoke and reissue them, and e-mail the links (`/invitations/send`).
 */
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { AppError } from '../errors.ts';
import { renderPage } from '../http/render-page.ts';
import { requireRole } from '../http/require-user.ts';
import { assertCsrf } from '../http/security.ts';
import { uploadBodyLimit, uploadedText } from '../http/upload-limits.ts';
import { pageWindow, SurveyChooser } from '../pages/admin/admin-parts.tsx';
import { AdminLayout } from '../pages/admin/admin-layout.tsx';
import { InvitationsBody, type InvitationsView } from '../pages/admin/invitations-page.tsx';
import { importInvitees, reissueLink, revokeLink } from '../respondents/import-invitees.ts';
import { countInvitations, getRespondentName, listInvitationOverview } from '../respondents/invitation-overview.queries.ts';
import { linksCsv } from '../respondents/links-csv.ts';
import { getCurrentSurveyVersion, listCurrentSurveyVersions } from '../surveys/survey-versions.queries.ts';
import { insertAuditEntry } from '../audit/audit.queries.ts';
import { queueInvitations } from '../mail/mail.queries.ts';
import { userView } from '../http/user-view.ts';

/** Links per page of the list. */
export const INVITATIONS_PAGE_SIZE = 100;

const NOTICES = new Map([
  ['revoked', 'The link is revoked; the respondent’s open sessions have ended.'],
  ['unchanged', 'That link was already revoked; nothing changed.'],
]);

type PageExtras = Pick<InvitationsView, 'notice' | 'newLink' | 'upload'>;

async function renderInvitations(c: Context<AppEnv>, surveyId: string, extras: PageExtras = {}, status: 200 | 409 | 422 = 200) {
  const { db } = c.get('deps');
  const version = await getCurrentSurveyVersion(db, surveyId);
  if (!version) throw new AppError('not_found', `No questionnaire with the id '${surveyId}' is published.`);
  const window = pageWindow(c.req.query('page'), await countInvitations(db, surveyId), INVITATIONS_PAGE_SIZE);
  const rows = await listInvitationOverview(db, surveyId, window);
  const me = userView(c)!;
  return renderPage(
    c,
    <AdminLayout title="Invitations" user={me} current="/admin/invitations">
      <InvitationsBody view={{ survey: { id: surveyId, title: version.definition.title.en }, rows, window, csrf: me.csrfToken, ...extras }} />
    </AdminLayout>,
    status,
  );
}

function invitationId(c: Context<AppEnv>): number {
  const id = Number(c.req.param('id'));
  if (!Number.isInteger(id) || id <= 0) throw new AppError('not_found', 'There is no such invitation.');
  return id;
}

export function invitationAdminRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/invitations', requireRole('admin'), async (c) => {
    const surveyId = c.req.query('survey');
    if (surveyId) {
      const notice = NOTICES.get(c.req.query('done') ?? '');
      return renderInvitations(c, surveyId, notice ? { notice } : {});
    }
    const surveys = await listCurrentSurveyVersions(c.get('deps').db);
    return renderPage(
      c,
      <AdminLayout title="Invitations" user={userView(c)} current="/admin/invitations">
        <SurveyChooser surveys={surveys.map((s) => ({ id: s.surveyId, title: s.definition.title.en, version: s.version }))} path="/admin/invitations" />
      </AdminLayout>,
    );
  });

  app.post('/invitations/upload', requireRole('admin'), uploadBodyLimit('/admin/invitations/upload'), async (c) => {
    const user = c.get('user')!;
    const body = await c.req.parseBody();
    assertCsrf(user.csrfToken, body['_csrf']);
    const surveyId = typeof body['survey'] === 'string' ? body['survey'] : '';
    const file = body['file'];
    if (!(file instanceof File) || file.size === 0) return renderInvitations(c, surveyId, { upload: { error: 'Choose a CSV file to upload.' } }, 422);
    const csvText = await uploadedText(file);
    if (csvText === undefined) {
      return renderInvitations(c, surveyId, { upload: { error: `${file.name} is not UTF-8 text; save it as "CSV UTF-8 (comma delimited)" so that names keep their accents.` } }, 422);
    }
    const { db, publicUrl, tokenKeyring } = c.get('deps');
    try {
      // importInvitees writes the audit entry ('invitees.import') in its transaction.
      const result = await importInvitees(db, { surveyId, csvText, publicUrl, actor: user.email, ...(tokenKeyring ? { tokenKeyring } : {}) });
      if (!result.ok) return renderInvitations(c, surveyId, { upload: { fileName: file.name, errors: result.errors } }, 422);
      // The only moment these links exist outside the respondents' hands: sent once, never stored.
      return c.body(linksCsv(result.columns, result.rows), 200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename=links-${surveyId}.csv`,
        'Cache-Control': 'no-store',
      });
    } catch (error) {
      if (error instanceof AppError && error.code === 'conflict') return renderInvitations(c, surveyId, { upload: { error: error.message } }, 409);
      throw error;
    }
  });

  app.post('/invitations/:id/revoke', requireRole('admin'), async (c) => {
    const user = c.get('user')!;
    assertCsrf(user.csrfToken, (await c.req.parseBody())['_csrf']);
    const { surveyId, revokedInvitationIds } = await revokeLink(c.get('deps').db, { invitationId: invitationId(c) }, { actor: user.email });
    const done = revokedInvitationIds.length ? 'revoked' : 'unchanged';
    return c.redirect(`/admin/invitations?survey=${encodeURIComponent(surveyId)}&done=${done}#links`, 303);
  });

  app.post('/invitations/:id/reissue', requireRole('admin'), async (c) => {
    const user = c.get('user')!;
    assertCsrf(user.csrfToken, (await c.req.parseBody())['_csrf']);
    const { db, publicUrl, tokenKeyring } = c.get('deps');
    const reissued = await reissueLink(db, { invitationId: invitationId(c) }, { actor: user.email, publicUrl, ...(tokenKeyring ? { tokenKeyring } : {}) });
    const name = (await getRespondentName(db, reissued.respondentId)) ?? `respondent ${reissued.respondentId}`;
    return renderInvitations(c, reissued.surveyId, { newLink: { name, link: reissued.link } });
  });

  // E-mails every working link not e-mailed yet; the server's sender delivers them.
  app.post('/invitations/send', requireRole('admin'), async (c) => {
    const user = c.get('user')!;
    const body = await c.req.parseBody();
    assertCsrf(user.csrfToken, body['_csrf']);
    const surveyId = typeof body['survey'] === 'string' ? body['survey'] : '';
    const { db } = c.get('deps');
    if (!(await getCurrentSurveyVersion(db, surveyId))) throw new AppError('not_found', `No questionnaire with the id '${surveyId}' is published.`);
    const result = await db.transaction().execute(async (trx) => {
      const queued = await queueInvitations(trx, { surveyId, actor: user.email });
      await insertAuditEntry(trx, { actor: user.email, action: 'mail.queue_invitations', subject: `survey:${surveyId}`, details: { surveyId, ...queued } });
      return queued;
    });
    return c.redirect(`/admin/outbox?survey=${encodeURIComponent(surveyId)}&queued=${result.queued}&unsealed=${result.withoutSealedLink}`, 303);
  });

  return app;
}
