/** @jsxImportSource hono/jsx */
/**
 * The Outbox (admins): messages and their delivery, reminders, and previews of each message.
 * Messages are only queued here; the server's sender delivers them (mail/mail-sender.ts).
 */
import { Hono } from 'hono';
import { LANGUAGES, type Language } from '../../survey-definitions/schema.ts';
import type { AppEnv } from '../app-env.ts';
import { insertAuditEntry } from '../audit/audit.queries.ts';
import type { MailKind } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { renderPage } from '../http/render-page.ts';
import { requireRole } from '../http/require-user.ts';
import { assertCsrf } from '../http/security.ts';
import { composeMessage } from '../mail/compose-message.tsx';
import { countMessages, countMessagesByState, listMessages, listReminderRounds, queueReminders } from '../mail/mail.queries.ts';
import { pageWindow, SurveyChooser } from '../pages/admin/admin-parts.tsx';
import { AdminLayout } from '../pages/admin/admin-layout.tsx';
import { MAIL_KIND_LABELS, MessagePreview, OutboxBody } from '../pages/admin/outbox-page.tsx';
import { GFMD_ROLES } from '../respondents/invitee-csv.ts';
import { getCurrentSurveyVersion, listCurrentSurveyVersions } from '../surveys/survey-versions.queries.ts';
import { listRespondentRegions } from '../respondents/respondents.queries.ts';
import { userView } from '../http/user-view.ts';

/** Messages per page of the list. */
export const OUTBOX_PAGE_SIZE = 100;

async function publishedVersion(db: AppEnv['Variables']['deps']['db'], surveyId: string) {
  const version = await getCurrentSurveyVersion(db, surveyId);
  if (!version) throw new AppError('not_found', `No questionnaire with the id '${surveyId}' is published.`);
  return version;
}

function notice(query: (name: string) => string | undefined): string | undefined {
  const queued = query('queued');
  if (queued === undefined) return undefined;
  const what = query('what') === 'reminders' ? 'reminder' : 'invitation';
  const unsealed = Number(query('unsealed') ?? 0);
  const round = query('round');
  return (
    `${Number(queued)} ${what}(s) queued${round ? ` in round ${round}` : ''}; the server sends them within seconds.` +
    (what === 'reminder' && Number(queued) === 0 ? ' Everyone concerned was reminded in this round already: give a new round name to remind them again.' : '') +
    (unsealed > 0 ? ` ${unsealed} invitee(s) have a link made before e-mail was set up, which cannot be e-mailed: reissue their links.` : '')
  );
}

export function mailAdminRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/outbox', requireRole('admin'), async (c) => {
    const { db, mailDestination } = c.get('deps');
    const surveyId = c.req.query('survey');
    if (!surveyId) {
      const surveys = await listCurrentSurveyVersions(db);
      return renderPage(
        c,
        <AdminLayout title="Outbox" user={userView(c)} current="/admin/outbox">
          <SurveyChooser surveys={surveys.map((s) => ({ id: s.surveyId, title: s.definition.title.en, version: s.version }))} path="/admin/outbox" />
        </AdminLayout>,
      );
    }
    const version = await publishedVersion(db, surveyId);
    const window = pageWindow(c.req.query('page'), await countMessages(db, surveyId), OUTBOX_PAGE_SIZE);
    const [rows, counts, rounds, regions] = await Promise.all([listMessages(db, surveyId, window), countMessagesByState(db, surveyId), listReminderRounds(db, surveyId), listRespondentRegions(db, surveyId)]);
    const me = userView(c)!;
    const shown = notice((name) => c.req.query(name));
    return renderPage(
      c,
      <AdminLayout title="Outbox" user={me} current="/admin/outbox">
        <OutboxBody
          view={{
            survey: { id: surveyId, title: version.definition.title.en },
            destination: mailDestination,
            counts,
            rows,
            window,
            rounds,
            regions,
            kinds: [...version.definition.audience],
            csrf: me.csrfToken,
            ...(shown ? { notice: shown } : {}),
          }}
        />
      </AdminLayout>,
    );
  });

  app.post('/outbox/remind', requireRole('admin'), async (c) => {
    const user = c.get('user')!;
    const body = await c.req.parseBody();
    assertCsrf(user.csrfToken, body['_csrf']);
    const field = (name: string) => (typeof body[name] === 'string' ? (body[name] as string).trim() : '');
    const surveyId = field('survey');
    const { db } = c.get('deps');
    const version = await publishedVersion(db, surveyId);
    const round = field('round');
    if (!round || round.length > 60) throw new AppError('validation', 'Give the round a name of at most 60 characters.');
    const target = field('target') === 'amended' ? 'amended' : 'not_submitted';
    const kind = field('kind');
    const role = field('role');
    if (kind && !(version.definition.audience as readonly string[]).includes(kind)) throw new AppError('validation', `Unknown kind '${kind}'.`);
    if (role && !(GFMD_ROLES as readonly string[]).includes(role)) throw new AppError('validation', `Unknown role '${role}'.`);
    const filter = { ...(kind ? { kind } : {}), ...(field('region') ? { region: field('region') } : {}), ...(role ? { role } : {}) };
    const queued = await db.transaction().execute(async (trx) => {
      const n = await queueReminders(trx, { surveyId, round, target, filter, actor: user.email });
      await insertAuditEntry(trx, { actor: user.email, action: 'mail.remind', subject: `survey:${surveyId}`, details: { round, target, filter, queued: n } });
      return n;
    });
    return c.redirect(`/admin/outbox?survey=${encodeURIComponent(surveyId)}&what=reminders&queued=${queued}&round=${encodeURIComponent(round)}`, 303);
  });

  app.get('/outbox/preview', requireRole('admin'), async (c) => {
    const { db, publicUrl } = c.get('deps');
    const surveyId = c.req.query('survey') ?? '';
    const version = await publishedVersion(db, surveyId);
    // The invitation in English unless another is asked for.
    const kind = (c.req.query('kind') ?? 'invitation') as MailKind;
    const language = (c.req.query('language') ?? 'en') as Language;
    if (!(kind in MAIL_KIND_LABELS) || !(LANGUAGES as readonly string[]).includes(language)) throw new AppError('not_found', 'There is no such message.');
    const d = version.definition;
    const composed = composeMessage({
      kind,
      language,
      name: d.audience.includes('government') ? 'Government of Senegal' : 'Migrant Voices Network',
      surveyTitle: d.title[language],
      closes: d.closes,
      ...(d.contact_email ? { contactEmail: d.contact_email } : {}),
      link: `${publicUrl}/r/${'x'.repeat(43)}`,
    });
    return renderPage(
      c,
      <AdminLayout title={`Preview: ${MAIL_KIND_LABELS[kind]}`} user={userView(c)} current="/admin/outbox">
        <MessagePreview preview={{ kind, language, surveyId, ...composed }} />
      </AdminLayout>,
    );
  });

  return app;
}
