/** @jsxImportSource hono/jsx */
/**
 * Invitations in the browser (admins): what `assess invite` does on the command line. Upload an
 * invitee CSV (same checks, same row-by-row errors; on success the links file downloads once),
 * list the links, revoke and reissue them, and e-mail the links (`/invitations/send`).
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.ts';
import { insertAuditEntry } from '../audit/audit.queries.ts';
import { AppError } from '../errors.ts';
import { renderPage } from '../http/render-page.ts';
import { requireRole } from '../http/require-user.ts';
import { csrfProtection } from '../http/security.ts';
import { uploadBodyLimit, uploadedText } from '../http/upload-limits.ts';
import { userView } from '../http/user-view.ts';
import { positiveId, valid } from '../http/validate.ts';
import { queueInvitations } from '../mail/mail.queries.ts';
import { pageWindow } from '../pages/admin/admin-parts.tsx';
import { InvitationsPage, type InvitationsView } from '../pages/admin/invitations-page.tsx';
import { SurveyChooserPage } from '../pages/admin/survey-chooser-page.tsx';
import { importInviteeCsv, reissueLink, revokeLink } from '../respondents/import-invitees.ts';
import { countInvitations, getRespondentName, listInvitationOverview } from '../respondents/invitation-overview.queries.ts';
import { linksCsv } from '../respondents/links-csv.ts';
import { getCurrentSurveyVersion, listCurrentSurveyVersions } from '../surveys/survey-versions.queries.ts';

/** Links per page of the list. */
export const INVITATIONS_PAGE_SIZE = 100;

const NOTICES = new Map([
  ['revoked', 'The link is revoked; the respondent’s open sessions have ended.'],
  ['unchanged', 'That link was already revoked; nothing changed.'],
]);

const listQuery = z.object({ survey: z.string().optional(), done: z.string().optional(), page: z.string().optional() });
/** The questionnaire of a form; anything but text reads as none. */
const surveyField = z.string().catch('');
const uploadForm = z.object({ survey: surveyField, file: z.instanceof(File).optional().catch(undefined) });
const sendForm = z.object({ survey: surveyField });
const invitationParam = valid('param', z.object({ id: positiveId }), { code: 'not_found', message: 'There is no such invitation.' });

type PageExtras = Pick<InvitationsView, 'notice' | 'newLink' | 'upload'>;

async function renderInvitations(c: Context<AppEnv>, surveyId: string, extras: PageExtras = {}, status: 200 | 409 | 422 = 200, page?: string) {
  const { db } = c.get('deps');
  const version = await getCurrentSurveyVersion(db, surveyId);
  if (!version) throw new AppError('not_found', `No questionnaire with the id '${surveyId}' is published.`);
  const window = pageWindow(page, await countInvitations(db, surveyId), INVITATIONS_PAGE_SIZE);
  const rows = await listInvitationOverview(db, surveyId, window);
  const me = userView(c)!;
  return renderPage(
    c,
    <InvitationsPage user={me} view={{ survey: { id: surveyId, title: version.definition.title.en }, rows, window, csrf: me.csrfToken, ...extras }} />,
    status,
  );
}

export function invitationAdminRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const admins = requireRole('admin');

  app.get('/invitations', admins, valid('query', listQuery), async (c) => {
    const { survey, done, page } = c.req.valid('query');
    if (survey) {
      const notice = NOTICES.get(done ?? '');
      return renderInvitations(c, survey, notice ? { notice } : {}, 200, page);
    }
    const surveys = await listCurrentSurveyVersions(c.get('deps').db);
    const choices = surveys.map((s) => ({ id: s.surveyId, title: s.definition.title.en, version: s.version }));
    return renderPage(c, <SurveyChooserPage title="Invitations" user={userView(c)} path="/admin/invitations" surveys={choices} />);
  });

  app.post('/invitations/upload', admins, uploadBodyLimit('/admin/invitations/upload'), csrfProtection, valid('form', uploadForm), async (c) => {
    const user = c.get('user')!;
    const { survey: surveyId, file } = c.req.valid('form');
    if (!file || file.size === 0) return renderInvitations(c, surveyId, { upload: { error: 'Choose a CSV file to upload.' } }, 422);
    const csvText = await uploadedText(file);
    if (csvText === undefined) {
      return renderInvitations(
        c,
        surveyId,
        { upload: { error: `${file.name} is not UTF-8 text; save it as "CSV UTF-8 (comma delimited)" so that names keep their accents.` } },
        422,
      );
    }
    const { db, publicUrl, tokenKeyring } = c.get('deps');
    // The import writes the audit entry ('invitees.import') in its transaction.
    const outcome = await importInviteeCsv(db, { surveyId, csvText, publicUrl, actor: user.email, ...(tokenKeyring ? { tokenKeyring } : {}) });
    if (!outcome.ok) {
      const { refusal } = outcome;
      if (refusal.code === 'validation') return renderInvitations(c, surveyId, { upload: { fileName: file.name, errors: refusal.details ?? [] } }, 422);
      return renderInvitations(c, surveyId, { upload: { error: refusal.message } }, 409);
    }
    // The only moment these links exist outside the respondents' hands: sent once, never stored.
    return c.body(linksCsv(outcome.value.columns, outcome.value.rows), 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename=links-${surveyId}.csv`,
      'Cache-Control': 'no-store',
    });
  });

  app.post('/invitations/:id/revoke', admins, csrfProtection, invitationParam, async (c) => {
    const { surveyId, revokedInvitationIds } = await revokeLink(c.get('deps').db, { invitationId: c.req.valid('param').id }, { actor: c.get('user')!.email });
    const done = revokedInvitationIds.length ? 'revoked' : 'unchanged';
    return c.redirect(`/admin/invitations?survey=${encodeURIComponent(surveyId)}&done=${done}#links`, 303);
  });

  app.post('/invitations/:id/reissue', admins, csrfProtection, invitationParam, async (c) => {
    const { db, publicUrl, tokenKeyring } = c.get('deps');
    const target = { invitationId: c.req.valid('param').id };
    const reissued = await reissueLink(db, target, { actor: c.get('user')!.email, publicUrl, ...(tokenKeyring ? { tokenKeyring } : {}) });
    const name = (await getRespondentName(db, reissued.respondentId)) ?? `respondent ${reissued.respondentId}`;
    return renderInvitations(c, reissued.surveyId, { newLink: { name, link: reissued.link } });
  });

  // E-mails every working link not e-mailed yet; the server's sender delivers them.
  app.post('/invitations/send', admins, csrfProtection, valid('form', sendForm), async (c) => {
    const user = c.get('user')!;
    const { survey: surveyId } = c.req.valid('form');
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
