/**
 * SQL for respondents and their invitation links. Tokens never reach this module: only their
 * SHA-256 (see `tokens.ts`).
 */
import { sql, type Transaction } from 'kysely';
import type { Language, RespondentKind } from '../../survey-definitions/schema.ts';
import type { Db } from '../db/db.ts';
import type { Database, RespondentRow, RespondentSource } from '../db/schema.ts';

export interface RespondentInput {
  surveyId: string;
  kind: RespondentKind;
  name: string;
  /** ISO 3166-1 alpha-3, with its UN M49 region and sub-region. */
  country: string | null;
  region: string | null;
  subregion: string | null;
  roles: string[];
  orgType: string | null;
  email: string | null;
  source: RespondentSource;
  /** The same respondent in an earlier phase's questionnaire (`phase open`). */
  previousRespondentId?: number | null;
  /** The language of the respondent's e-mail; `en` when not given. */
  language?: Language;
}

export interface InvitationWithRespondent {
  invitationId: number;
  respondentId: number;
  surveyId: string;
  revokedAt: Date | null;
  respondent: RespondentRow;
}

export interface InvitationSummary {
  invitationId: number;
  respondentId: number;
  name: string;
  kind: RespondentKind;
  country: string | null;
  email: string | null;
  source: RespondentSource;
  createdAt: Date;
  revokedAt: Date | null;
  firstOpenedAt: Date | null;
  lastOpenedAt: Date | null;
}

/** A respondent as a row of the `respondent` table. */
function respondentRow(r: RespondentInput) {
  return {
    survey_id: r.surveyId,
    kind: r.kind,
    name: r.name,
    country: r.country,
    region: r.region,
    subregion: r.subregion,
    roles: r.roles,
    org_type: r.orgType,
    email: r.email,
    source: r.source,
    previous_respondent_id: r.previousRespondentId ?? null,
    ...(r.language ? { language: r.language } : {}),
  };
}

/** Stores a respondent; returns its id. Fails on a second government for one country and survey. */
export async function insertRespondent(trx: Transaction<Database>, r: RespondentInput): Promise<number> {
  const row = await trx.insertInto('respondent').values(respondentRow(r)).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Stores an organisation that registered itself, unless the same organisation (same folded name and
 * country) already registered for this survey, or was invited to it: returns its id, or undefined
 * for a repeat. Race-free between registrations: of two at once, the unique index lets one in and
 * the other waits, then stores nothing.
 */
export async function insertRegistration(trx: Transaction<Database>, r: Omit<RespondentInput, 'source'>): Promise<number | undefined> {
  const row = await trx
    .insertInto('respondent')
    .values(respondentRow({ ...r, source: 'open_registration' }))
    .onConflict((oc) => oc.columns(['survey_id', 'country', 'name_key']).where(sql<boolean>`source = 'open_registration' and duplicate_of is null`).doNothing())
    .returning(['id', 'name_key'])
    .executeTakeFirst();
  if (!row) return undefined;
  // The folded name is computed by the database, so an invitation of the same organisation is
  // looked for once the row exists (and the row withdrawn if one is found).
  const invited = await trx
    .selectFrom('respondent')
    .select('id')
    .where('survey_id', '=', r.surveyId)
    .where('country', '=', r.country)
    .where('kind', '=', 'civil_society')
    .where('source', '=', 'invitation')
    .where('name_key', '=', row.name_key)
    .executeTakeFirst();
  if (!invited) return row.id;
  await trx.deleteFrom('respondent').where('id', '=', row.id).execute();
  return undefined;
}

/**
 * Stores a link for a respondent by its token hash, with the token encrypted (`sealed-tokens.ts`)
 * when a mail token key is at hand; returns the invitation id.
 */
export async function insertInvitation(
  trx: Transaction<Database>,
  respondentId: number,
  tokenHash: string,
  tokenSealed: string | null = null,
): Promise<number> {
  const row = await trx
    .insertInto('invitation')
    .values({ respondent_id: respondentId, token_hash: tokenHash, token_sealed: tokenSealed })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Whose link is this? Revoked links are returned too (with `revokedAt`), so the caller can say so. */
export async function findInvitationByTokenHash(db: Db, tokenHash: string): Promise<InvitationWithRespondent | undefined> {
  const row = await db
    .selectFrom('invitation')
    .innerJoin('respondent', 'respondent.id', 'invitation.respondent_id')
    .selectAll('respondent')
    .select(['invitation.id as invitation_id', 'invitation.revoked_at'])
    .where('invitation.token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!row) return undefined;
  const { invitation_id, revoked_at, ...respondent } = row;
  return { invitationId: invitation_id, respondentId: respondent.id, surveyId: respondent.survey_id, revokedAt: revoked_at, respondent };
}

/** Records that a link was opened at `at` (the first opening is kept). */
export async function markInvitationOpened(db: Db, invitationId: number, at: Date): Promise<void> {
  await db
    .updateTable('invitation')
    .set({ first_opened_at: sql<Date>`coalesce(first_opened_at, ${at})`, last_opened_at: at })
    .where('id', '=', invitationId)
    .execute();
}

/** Revokes a link now; returns false if it was already revoked (or does not exist). */
export async function revokeInvitation(trx: Transaction<Database>, invitationId: number): Promise<boolean> {
  const result = await trx
    .updateTable('invitation')
    .set({ revoked_at: sql<Date>`now()` })
    .where('id', '=', invitationId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Every link of a survey with its respondent, oldest respondent first. */
export async function listInvitations(db: Db, surveyId: string): Promise<InvitationSummary[]> {
  const rows = await db
    .selectFrom('invitation')
    .innerJoin('respondent', 'respondent.id', 'invitation.respondent_id')
    .select([
      'invitation.id as invitation_id',
      'respondent.id as respondent_id',
      'respondent.name',
      'respondent.kind',
      'respondent.country',
      'respondent.email',
      'respondent.source',
      'invitation.created_at',
      'invitation.revoked_at',
      'invitation.first_opened_at',
      'invitation.last_opened_at',
    ])
    .where('respondent.survey_id', '=', surveyId)
    .orderBy('respondent.id')
    .orderBy('invitation.id')
    .execute();
  return rows.map((r) => ({
    invitationId: r.invitation_id,
    respondentId: r.respondent_id,
    name: r.name,
    kind: r.kind,
    country: r.country,
    email: r.email,
    source: r.source,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
    firstOpenedAt: r.first_opened_at,
    lastOpenedAt: r.last_opened_at,
  }));
}

/** Which countries (alpha-3) already have a government respondent for this survey? */
export async function existingGovernmentCountries(db: Db, surveyId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('respondent')
    .select('country')
    .where('survey_id', '=', surveyId)
    .where('kind', '=', 'government')
    .where('country', 'is not', null)
    .execute();
  return new Set(rows.map((r) => r.country).filter((c): c is string => c !== null));
}

/** Which respondent and survey does an invitation belong to? */
export async function getInvitationOwner(db: Db, invitationId: number): Promise<{ respondentId: number; surveyId: string } | undefined> {
  const row = await db
    .selectFrom('invitation')
    .innerJoin('respondent', 'respondent.id', 'invitation.respondent_id')
    .select(['respondent.id', 'respondent.survey_id'])
    .where('invitation.id', '=', invitationId)
    .executeTakeFirst();
  return row && { respondentId: row.id, surveyId: row.survey_id };
}

/** Which survey is a respondent's? Undefined for an unknown respondent. */
export async function getRespondentSurvey(db: Db, respondentId: number): Promise<string | undefined> {
  const row = await db.selectFrom('respondent').select('survey_id').where('id', '=', respondentId).executeTakeFirst();
  return row?.survey_id;
}

/** Which links of a respondent still work? Ids, oldest first. */
export async function activeInvitationIds(db: Db, respondentId: number): Promise<number[]> {
  const rows = await db.selectFrom('invitation').select('id').where('respondent_id', '=', respondentId).where('revoked_at', 'is', null).orderBy('id').execute();
  return rows.map((r) => r.id);
}

/** Which e-mail addresses (lower case) already belong to a respondent of this survey? */
export async function existingEmails(db: Db, surveyId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('respondent')
    .select(sql<string>`lower(email)`.as('email'))
    .where('survey_id', '=', surveyId)
    .where('email', 'is not', null)
    .execute();
  return new Set(rows.map((r) => r.email));
}

/** Which respondents of a survey have this email (any case), or are the government of this country (alpha-3)? */
export async function findRespondentIds(db: Db, surveyId: string, by: { email: string } | { country: string }): Promise<number[]> {
  let query = db.selectFrom('respondent').select('id').where('survey_id', '=', surveyId);
  query =
    'email' in by
      ? query.where(sql<string>`lower(email)`, '=', by.email.trim().toLowerCase())
      : query.where('kind', '=', 'government').where('country', '=', by.country);
  const rows = await query.orderBy('id').execute();
  return rows.map((r) => r.id);
}

/** The UN regions of a survey's respondents, in alphabetical order (the reminders' filter). */
export async function listRespondentRegions(db: Db, surveyId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('respondent')
    .select('region')
    .distinct()
    .where('survey_id', '=', surveyId)
    .where('region', 'is not', null)
    .orderBy('region')
    .execute();
  return rows.map((r) => r.region!);
}
