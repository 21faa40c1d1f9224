/**
 * Writes a claimed message just before it is sent: the respondent's name, the questionnaire's title,
 * closing date and contact address, and the personal link, opened from the invitation's sealed
 * token. Nothing of the written message is stored; a retry writes it again the same way.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { invitationLink } from '../respondents/import-invitees.ts';
import { openToken, type TokenKeyring } from '../respondents/sealed-tokens.ts';
import { getCurrentSurveyVersion } from '../surveys/survey-versions.queries.ts';
import { composeMessage } from './compose-message.tsx';
import type { ClaimedMessage } from './mail.queries.ts';
import type { OutgoingMessage } from './mail-transport.ts';

export interface MessageSettings {
  keyring: TokenKeyring;
  publicUrl: string;
  from: string;
  replyTo?: string;
}

/** A message to deliver, or why it cannot be written (the message then fails for good). */
export type PreparedMessage = { ok: true; message: OutgoingMessage } | { ok: false; reason: string };

/**
 * The Message-ID of a message, the same for every attempt of one idempotency key, so that a
 * receiving system that sees a message twice (see README: at least once) can tell it is one.
 *
 * @example messageIdFor('invitation:12:40', 'GFMD <assessment@example.org>') // '<3f0c…@example.org>'
 */
export function messageIdFor(idempotencyKey: string, from: string): string {
  const domain = /@([^\s@>]+)>?\s*$/.exec(from)?.[1] ?? 'localhost';
  return `<${createHash('sha256').update(`forum-assessment-toolkit/${idempotencyKey}`).digest('hex').slice(0, 40)}@${domain}>`;
}

export async function prepareMessage(db: Kysely<Database>, claimed: ClaimedMessage, settings: MessageSettings): Promise<PreparedMessage> {
  const respondent = await db.selectFrom('respondent').select(['name']).where('id', '=', claimed.respondentId).executeTakeFirst();
  const version = await getCurrentSurveyVersion(db, claimed.surveyId);
  if (!respondent || !version) return { ok: false, reason: 'the respondent or the questionnaire no longer exists' };
  let invitations = db.selectFrom('invitation').select(['id', 'token_hash', 'token_sealed', 'revoked_at']).where('respondent_id', '=', claimed.respondentId);
  // An invitation sends its own link; a reminder or a lost link the respondent's newest working one.
  invitations =
    claimed.kind === 'invitation' && claimed.invitationId !== null
      ? invitations.where('id', '=', claimed.invitationId)
      : invitations.where('revoked_at', 'is', null).where('token_sealed', 'is not', null).orderBy('id', 'desc').limit(1);
  const invitation = await invitations.executeTakeFirst();
  if (!invitation) return { ok: false, reason: 'the respondent has no working link (revoked); reissue one with --send' };
  if (invitation.revoked_at) return { ok: false, reason: 'the link was revoked before the invitation was sent' };
  const token = invitation.token_sealed ? openToken(settings.keyring, invitation.token_sealed, invitation.token_hash) : undefined;
  if (!token) return { ok: false, reason: `the link cannot be opened with the mail token key in ${settings.keyring.file} (made with another key?)` };
  const definition = version.definition;
  const composed = composeMessage({
    kind: claimed.kind,
    language: claimed.language,
    name: respondent.name,
    surveyTitle: definition.title[claimed.language] ?? definition.title.en,
    closes: definition.closes,
    ...(definition.contact_email ? { contactEmail: definition.contact_email } : {}),
    link: invitationLink(settings.publicUrl, token),
  });
  return {
    ok: true,
    message: {
      messageId: messageIdFor(claimed.idempotencyKey, settings.from),
      from: settings.from,
      ...(settings.replyTo ? { replyTo: settings.replyTo } : {}),
      to: claimed.recipient,
      ...composed,
      outboxName: `${String(claimed.id).padStart(8, '0')}-${claimed.kind}`,
    },
  };
}
