/**
 * Creating, revoking and reissuing invitation links: the CSV import (all rows or none), the civil
 * society open registration, and the link maintenance the command line offers.
 *
 * Links are `${publicUrl}/r/${token}`; only the token's hash is stored, so a link can be shown once,
 * when it is made, and never again. Audit entries name respondents and invitation ids, never tokens.
 */
import type { Kysely, Transaction } from 'kysely';
import { isUniqueViolation } from '../db/unique-violation.ts';
import { findCountry } from '../../survey-definitions/countries.ts';
import type { Language } from '../../survey-definitions/schema.ts';
import type { Database } from '../db/schema.ts';
import { AppError, ok, refuse, valueOr, type Outcome, type Refusal } from '../errors.ts';
import { insertAuditEntry } from '../audit/audit.queries.ts';
import { deleteSessionsOfRespondent } from '../sessions/sessions.queries.ts';
import { getCurrentSurveyVersion } from '../surveys/survey-versions.queries.ts';
import { checkInviteeCsv, MAX_FIELD_LENGTH, type Invitee, type InviteeColumn, type RowError } from './invitee-csv.ts';
import {
  activeInvitationIds,
  existingEmails,
  existingGovernmentCountries,
  getInvitationOwner,
  getRespondentSurvey,
  insertInvitation,
  insertRegistration,
  insertRespondent,
  revokeInvitation,
} from './respondents.queries.ts';
import { sealToken, type TokenKeyring } from './sealed-tokens.ts';
import { newInvitationToken } from './tokens.ts';

export type InvitedRow = Invitee & { link: string };
export type ImportInviteesResult = { ok: true; columns: InviteeColumn[]; rows: InvitedRow[] } | { ok: false; errors: RowError[] };
/** A new registration's link, or why there is none (the organisation registered before). */
export type RegistrationResult = { ok: true; respondentId: number; token: string } | { ok: false; reason: 'already_registered' };
/** An invitation, or a respondent (meaning all of its links). */
export type LinkTarget = { invitationId: number } | { respondentId: number };

/** The token sealed for e-mail, or null when no mail token key was given. */
function sealed(keyring: TokenKeyring | undefined, token: string, hash: string): string | null {
  return keyring ? sealToken(keyring, token, hash) : null;
}

/** The link a respondent opens: `${publicUrl}/r/${token}` (a trailing slash of `publicUrl` is dropped). */
export function invitationLink(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/r/${token}`;
}

/** An invitee file for a questionnaire, and who imports it (`cli` unless given). */
export interface InviteeImportInput {
  surveyId: string;
  csvText: string;
  publicUrl: string;
  actor?: string;
  tokenKeyring?: TokenKeyring;
}

/** Why an invitee file imported nothing: bad rows (`validation`, each with its line), or a clash with an import running at the same time (`conflict`). */
export type InviteeImportRefusal = Refusal<'validation', RowError[]> | Refusal<'conflict'>;

/**
 * Imports a CSV file of invitees for a survey: every row gets a respondent and a link, in one
 * transaction, or, if any row is bad, nothing is stored and every bad row is reported with its line.
 * Besides the checks of `parseInviteeCsv`, a government whose country already has a respondent for
 * this survey is a bad row.
 *
 * @returns the rows with their links; refused `validation` (the bad rows as details) or `conflict`
 *   (another import added the same government while this one ran; nothing is then stored).
 * @throws AppError `not_found` if the survey is not published.
 * @example
 *   const outcome = await importInviteeCsv(db, { surveyId: 'government-assessment', csvText, publicUrl: 'https://a.example.org' });
 *   if (outcome.ok) for (const row of outcome.value.rows) console.log(row.name, row.link);
 */
export async function importInviteeCsv(
  db: Kysely<Database>,
  input: InviteeImportInput,
): Promise<Outcome<{ columns: InviteeColumn[]; rows: InvitedRow[] }, InviteeImportRefusal>> {
  const version = await getCurrentSurveyVersion(db, input.surveyId);
  if (!version) throw new AppError('not_found', `No questionnaire with the id '${input.surveyId}' is published.`);
  const checked = checkInviteeCsv(input.csvText, version.definition.audience);
  const errors = [...checked.errors, ...(await alreadyInvited(db, input.surveyId, checked.rows))];
  if (errors.length) {
    errors.sort((a, b) => a.line - b.line);
    return refuse('validation', `${errors.length} row(s) of the file are not right; nothing was imported.`, errors);
  }
  try {
    const rows = await db.transaction().execute((trx) => insertInvitees(trx, checked.rows, input));
    return ok({ columns: checked.columns, rows });
  } catch (error) {
    if (isUniqueViolation(error)) {
      return refuse(
        'conflict',
        'Another import added some of these governments while this one ran; nothing was imported. Run it again to see which rows conflict.',
      );
    }
    throw error;
  }
}

/**
 * As `importInviteeCsv`, with the bad rows as `{ ok: false, errors }`.
 *
 * @throws AppError `not_found` if the survey is not published; `conflict` if another import added
 *   the same government while this one ran (nothing is then stored).
 * @example
 *   const result = await importInvitees(db, { surveyId: 'government-assessment', csvText, publicUrl: 'https://a.example.org' });
 *   if (result.ok) for (const row of result.rows) console.log(row.name, row.link);
 */
export async function importInvitees(db: Kysely<Database>, input: InviteeImportInput): Promise<ImportInviteesResult> {
  const outcome = await importInviteeCsv(db, input);
  if (!outcome.ok && outcome.refusal.code === 'validation') return { ok: false, errors: outcome.refusal.details ?? [] };
  return { ok: true, ...valueOr(outcome) };
}

/** The rows naming a government or an address this survey already has (a revoked link leaves its respondent in place). */
async function alreadyInvited(db: Kysely<Database>, surveyId: string, rows: Invitee[]): Promise<RowError[]> {
  const [existing, emails] = await Promise.all([existingGovernmentCountries(db, surveyId), existingEmails(db, surveyId)]);
  const errors: RowError[] = [];
  for (const row of rows) {
    // A revoked link leaves its respondent in place: a new link is a reissue, never a second respondent.
    if (row.kind === 'government' && row.country && existing.has(row.country)) {
      errors.push({
        line: row.line,
        column: 'country',
        message: `${row.country} already has a government respondent for ${surveyId} (even if its link was revoked); give it a new link with: npm run assess -- invite reissue --survey ${surveyId} --country ${row.country}`,
      });
    }
    if (row.email && emails.has(row.email.toLowerCase())) {
      errors.push({
        line: row.line,
        column: 'email',
        message: `${row.email} is already invited to ${surveyId}; give it a new link with: npm run assess -- invite reissue --survey ${surveyId} --email ${row.email}`,
      });
    }
  }
  return errors;
}

/** A respondent and a link for every row, and the audit entry, in the caller's transaction. */
async function insertInvitees(trx: Transaction<Database>, rows: Invitee[], input: InviteeImportInput): Promise<InvitedRow[]> {
  const invited: InvitedRow[] = [];
  for (const row of rows) {
    const respondentId = await insertRespondent(trx, {
      surveyId: input.surveyId,
      kind: row.kind,
      name: row.name,
      country: row.country,
      region: row.region,
      subregion: row.subregion,
      roles: row.roles,
      orgType: row.orgType,
      email: row.email,
      source: 'invitation',
      language: row.language,
    });
    const { token, hash } = newInvitationToken();
    await insertInvitation(trx, respondentId, hash, sealed(input.tokenKeyring, token, hash));
    invited.push({ ...row, link: invitationLink(input.publicUrl, token) });
  }
  await insertAuditEntry(trx, {
    actor: input.actor ?? 'cli',
    action: 'invitees.import',
    subject: `survey:${input.surveyId}`,
    details: { surveyId: input.surveyId, count: invited.length },
  });
  return invited;
}

/**
 * Registers a civil society organisation that identifies itself on an open questionnaire, and gives
 * it a link of its own (to resume later). Runs in the caller's transaction.
 *
 * An organisation registers once per questionnaire: the same name (case, accents, spacing and
 * punctuation aside) in the same country gets `{ ok: false, reason: 'already_registered' }` and no
 * second record, however many registrations arrive at once.
 *
 * @param input `country`: ISO 3166-1 alpha-2 or alpha-3 (stored as alpha-3); `orgType`: free text
 *   such as `ngo` or `trade_union`; texts are trimmed and at most 300 characters.
 * @throws AppError `not_found` for an unknown survey, `forbidden` if it is not open to civil
 *   society registration, `validation` (details `{ field }`) for a bad value.
 */
export async function registerOpenRespondent(
  trx: Transaction<Database>,
  input: { surveyId: string; name: string; country: string; orgType: string; email?: string | null; language?: Language; tokenKeyring?: TokenKeyring },
): Promise<RegistrationResult> {
  const version = await getCurrentSurveyVersion(trx, input.surveyId);
  if (!version) throw new AppError('not_found', `No questionnaire with the id '${input.surveyId}' is published.`);
  if (!version.definition.open_registration || !version.definition.audience.includes('civil_society')) {
    throw new AppError('forbidden', 'This questionnaire can only be answered with an invitation link.');
  }
  const name = requiredText(input.name, 'name');
  const orgType = requiredText(input.orgType, 'orgType');
  const country = findCountry(input.country);
  if (!country) throw new AppError('validation', `Unknown country '${input.country}'.`, { field: 'country' });
  const email = input.email?.trim() || null;
  if (email !== null && (email.length > MAX_FIELD_LENGTH || !/^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(email))) {
    throw new AppError('validation', `'${email}' is not an email address.`, { field: 'email' });
  }
  const respondentId = await insertRegistration(trx, {
    surveyId: input.surveyId,
    kind: 'civil_society',
    name,
    country: country.code,
    region: country.region,
    subregion: country.subregion,
    roles: [],
    orgType,
    email,
    ...(input.language ? { language: input.language } : {}),
  });
  if (respondentId === undefined) return { ok: false, reason: 'already_registered' };
  const { token, hash } = newInvitationToken();
  await insertInvitation(trx, respondentId, hash, sealed(input.tokenKeyring, token, hash));
  await insertAuditEntry(trx, {
    actor: 'open_registration',
    action: 'respondent.register',
    subject: `respondent:${respondentId}`,
    details: { surveyId: input.surveyId },
  });
  return { ok: true, respondentId, token };
}

/**
 * Revokes a link (given an invitation) or every working link of a respondent, and ends the
 * respondent's sessions, so that a browser that opened the link loses access too. Revoking a
 * revoked link changes nothing but is still recorded.
 *
 * @returns the invitations revoked now (empty if none was working).
 * @throws AppError `not_found` for an unknown invitation or respondent.
 */
export async function revokeLink(
  db: Kysely<Database>,
  target: LinkTarget,
  options: { actor: string },
): Promise<{ respondentId: number; surveyId: string; revokedInvitationIds: number[] }> {
  return db.transaction().execute(async (trx) => {
    const owner = await resolveTarget(trx, target);
    const candidates = 'invitationId' in target ? [target.invitationId] : await activeInvitationIds(trx, owner.respondentId);
    const revoked: number[] = [];
    for (const id of candidates) if (await revokeInvitation(trx, id)) revoked.push(id);
    // A session outlives its link otherwise; sessions are per respondent, so all of them end.
    if (revoked.length) await deleteSessionsOfRespondent(trx, owner.respondentId);
    await insertAuditEntry(trx, {
      actor: options.actor,
      action: 'invitation.revoke',
      subject: `respondent:${owner.respondentId}`,
      details: { surveyId: owner.surveyId, revokedInvitationIds: revoked },
    });
    return { ...owner, revokedInvitationIds: revoked };
  });
}

/**
 * Gives a respondent a new link: every working link of the respondent (the one given or all of the
 * respondent's) is revoked and the respondent's sessions end, so that afterwards only the new link
 * works. Answers are kept: they belong to the respondent, not to the link.
 *
 * @throws AppError `not_found` for an unknown invitation or respondent.
 */
export async function reissueLink(
  db: Kysely<Database>,
  target: LinkTarget,
  options: { actor: string; publicUrl: string; tokenKeyring?: TokenKeyring },
): Promise<{ respondentId: number; surveyId: string; invitationId: number; link: string }> {
  return db.transaction().execute(async (trx) => {
    const owner = await resolveTarget(trx, target);
    const revoked: number[] = [];
    for (const id of await activeInvitationIds(trx, owner.respondentId)) if (await revokeInvitation(trx, id)) revoked.push(id);
    if (revoked.length) await deleteSessionsOfRespondent(trx, owner.respondentId);
    const { token, hash } = newInvitationToken();
    const invitationId = await insertInvitation(trx, owner.respondentId, hash, sealed(options.tokenKeyring, token, hash));
    await insertAuditEntry(trx, {
      actor: options.actor,
      action: 'invitation.reissue',
      subject: `respondent:${owner.respondentId}`,
      details: { surveyId: owner.surveyId, revokedInvitationIds: revoked, invitationId },
    });
    return { ...owner, invitationId, link: invitationLink(options.publicUrl, token) };
  });
}

async function resolveTarget(trx: Transaction<Database>, target: LinkTarget): Promise<{ respondentId: number; surveyId: string }> {
  if ('invitationId' in target) {
    const owner = await getInvitationOwner(trx, target.invitationId);
    if (!owner) throw new AppError('not_found', `No invitation ${target.invitationId}.`);
    return owner;
  }
  const surveyId = await getRespondentSurvey(trx, target.respondentId);
  if (surveyId === undefined) throw new AppError('not_found', `No respondent ${target.respondentId}.`);
  return { respondentId: target.respondentId, surveyId };
}

function requiredText(value: string, field: string): string {
  const text = value.trim();
  if (text === '') throw new AppError('validation', `${field} is empty.`, { field });
  if (text.length > MAX_FIELD_LENGTH) throw new AppError('validation', `${field} is longer than ${MAX_FIELD_LENGTH} characters.`, { field });
  return text;
}
