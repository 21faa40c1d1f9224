/** @jsxImportSource hono/jsx */
/**
 * The Outbox (admins): messages and their delivery, reminders, and previews of each message.
 * Messages are only queued here; the server's sender delivers them (mail/mail-sender.ts).
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { LANGUAGES } from '../../survey-definitions/schema.ts';
import type { AppEnv } from '../app-env.ts';
import { insertAuditEntry } from '../audit/audit.queries.ts';
import type { MailKind } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { renderPage } from '../http/render-page.ts';
import { requireRole } from '../http/require-user.ts';
import { csrfProtection } from '../http/security.ts';
import { userView } from '../http/user-view.ts';
import { valid } from '../http/validate.ts';
import { composeMessage } from '../mail/compose-message.tsx';
import { countMessages, countMessagesByState, listMessages, listReminderRounds, queueReminders } from '../mail/mail.queries.ts';
import { pageWindow } from '../pages/admin/admin-parts.tsx';
import { MAIL_KIND_LABELS, MessagePreviewPage, OutboxPage } from '../pages/admin/outbox-page.tsx';
import { SurveyChooserPage } from '../pages/admin/survey-chooser-page.tsx';
import { GFMD_ROLES } from '../respondents/invitee-csv.ts';
import { listRespondentRegions } from '../respondents/respondents.queries.ts';
import { getCurrentSurveyVersion, listCurrentSurveyVersions } from '../surveys/survey-versions.queries.ts';

/** Messages per page of the list. */
export const OUTBOX_PAGE_SIZE = 100;

/** The Outbox's address: the questionnaire, the page, and what was just queued (after a redirect). */
const outboxQuery = z.object({
  survey: z.string().optional(),
  page: z.string().optional(),
  queued: z.string().optional(),
  what: z.string().optional(),
  unsealed: z.string().optional(),
  round: z.string().optional(),
});
type OutboxQuery = z.infer<typeof outboxQuery>;

/** A form's text field, trimmed; anything but text reads as empty. */
const trimmed = z
  .string()
  .catch('')
  .transform((value) => value.trim());

const remindForm = z.object({
  survey: trimmed,
  round: trimmed.refine((round) => round !== '' && round.length <= 60, 'Give the round a name of at most 60 characters.'),
  target: trimmed.transform((target) => (target === 'amended' ? 'amended' : 'not_submitted')),
  kind: trimmed,
  role: trimmed.superRefine((role, ctx) => {
    if (role && !(GFMD_ROLES as readonly string[]).includes(role)) ctx.addIssue({ code: 'custom', message: `Unknown role '${role}'.` });
  }),
  region: trimmed,
});

/** The invitation in English unless another message or language is asked for. */
const previewQuery = z.object({
  survey: z.string().default(''),
  kind: z.custom<MailKind>((value) => typeof value === 'string' && Object.hasOwn(MAIL_KIND_LABELS, value)).default('invitation'),
  language: z.enum(LANGUAGES).default('en'),
});

async function publishedVersion(db: AppEnv['Variables']['deps']['db'], surveyId: string) {
  const version = await getCurrentSurveyVersion(db, surveyId);
  if (!version) throw new AppError('not_found', `No questionnaire with the id '${surveyId}' is published.`);
  return version;
}

function notice(query: OutboxQuery): string | undefined {
  const { queued, round } = query;
  if (queued === undefined) return undefined;
  const what = query.what === 'reminders' ? 'reminder' : 'invitation';
  const unsealed = Number(query.unsealed ?? 0);
  return (
    `${Number(queued)} ${what}(s) queued${round ? ` in round ${round}` : ''}; the server sends them within seconds.` +
    (what === 'reminder' && Number(queued) === 0 ? ' Everyone concerned was reminded in this round already: give a new round name to remind them again.' : '') +
    (unsealed > 0 ? ` ${unsealed} invitee(s) have a link made before e-mail was set up, which cannot be e-mailed: reissue their links.` : '')
  );
}

export function mailAdminRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const admins = requireRole('admin');

  app.get('/outbox', admins, valid('query', outboxQuery), async (c) => {
    const { db, mailDestination } = c.get('deps');
    const query = c.req.valid('query');
    const surveyId = query.survey;
    if (!surveyId) {
      const surveys = await listCurrentSurveyVersions(db);
      const choices = surveys.map((s) => ({ id: s.surveyId, title: s.definition.title.en, version: s.version }));
      return renderPage(c, <SurveyChooserPage title="Outbox" user={userView(c)} path="/admin/outbox" surveys={choices} />);
    }
    const version = await publishedVersion(db, surveyId);
    const window = pageWindow(query.page, await countMessages(db, surveyId), OUTBOX_PAGE_SIZE);
    const [rows, counts, rounds, regions] = await Promise.all([
      listMessages(db, surveyId, window),
      countMessagesByState(db, surveyId),
      listReminderRounds(db, surveyId),
      listRespondentRegions(db, surveyId),
    ]);
    const me = userView(c)!;
    const shown = notice(query);
    const survey = { id: surveyId, title: version.definition.title.en };
    const kinds = [...version.definition.audience];
    return renderPage(
      c,
      <OutboxPage
        user={me}
        view={{ survey, destination: mailDestination, counts, rows, window, rounds, regions, kinds, csrf: me.csrfToken, ...(shown ? { notice: shown } : {}) }}
      />,
    );
  });

  app.post('/outbox/remind', admins, csrfProtection, valid('form', remindForm), async (c) => {
    const user = c.get('user')!;
    const { survey: surveyId, round, target, kind, role, region } = c.req.valid('form');
    const { db } = c.get('deps');
    const version = await publishedVersion(db, surveyId);
    if (kind && !(version.definition.audience as readonly string[]).includes(kind)) throw new AppError('validation', `Unknown kind '${kind}'.`);
    const filter = { ...(kind ? { kind } : {}), ...(region ? { region } : {}), ...(role ? { role } : {}) };
    const queued = await db.transaction().execute(async (trx) => {
      const n = await queueReminders(trx, { surveyId, round, target, filter, actor: user.email });
      await insertAuditEntry(trx, { actor: user.email, action: 'mail.remind', subject: `survey:${surveyId}`, details: { round, target, filter, queued: n } });
      return n;
    });
    return c.redirect(`/admin/outbox?survey=${encodeURIComponent(surveyId)}&what=reminders&queued=${queued}&round=${encodeURIComponent(round)}`, 303);
  });

  app.get('/outbox/preview', admins, valid('query', previewQuery, { code: 'not_found', message: 'There is no such message.' }), async (c) => {
    const { db, publicUrl } = c.get('deps');
    const { survey: surveyId, kind, language } = c.req.valid('query');
    const d = (await publishedVersion(db, surveyId)).definition;
    const composed = composeMessage({
      kind,
      language,
      name: d.audience.includes('government') ? 'Government of Senegal' : 'Migrant Voices Network',
      surveyTitle: d.title[language],
      closes: d.closes,
      ...(d.contact_email ? { contactEmail: d.contact_email } : {}),
      link: `${publicUrl}/r/${'x'.repeat(43)}`,
    });
    return renderPage(c, <MessagePreviewPage user={userView(c)} preview={{ kind, language, surveyId, ...composed }} />);
  });

  return app;
}
