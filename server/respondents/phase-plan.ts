/**
 * Who `phase open` carries into a later phase's questionnaire, decided from plain data: the
 * earlier questionnaire's respondents and those already in the new one. Storing the decision is
 * `phase-open.ts`'s.
 */
import type { RespondentKind } from '../../survey-definitions/schema.ts';
import type { RespondentSource } from '../db/schema.ts';

/** A respondent of the earlier phase, as the plan needs it. */
export interface EarlierRespondent {
  id: number;
  kind: RespondentKind;
  name: string;
  /** The name folded (case, accents, spacing, punctuation), as the database computes it. */
  nameKey: string;
  country: string | null;
  region: string | null;
  subregion: string | null;
  roles: string[];
  orgType: string | null;
  email: string | null;
  /** The language of the respondent's e-mail, kept for the new phase's. */
  language: string;
  source: RespondentSource;
  /** A repeated open registration: the registration it repeats. */
  duplicateOf: number | null;
  /** Whether at least one of its links is not revoked. */
  hasWorkingLink: boolean;
}

/** A respondent already in the new questionnaire. */
export interface PresentRespondent {
  id: number;
  kind: RespondentKind;
  nameKey: string;
  country: string | null;
  email: string | null;
  previousRespondentId: number | null;
}

/** Why an earlier respondent is not carried. */
export type LeftOutReason = 'revoked' | 'not_in_audience' | 'no_email' | 'repeated_registration' | 'conflict';

export type PlanStep =
  /** A new respondent in the new questionnaire, with a new link. */
  | { action: 'carry'; earlier: EarlierRespondent }
  /** Already in the new questionnaire (invited or registered there directly): linked to the earlier one. */
  | { action: 'link'; earlier: EarlierRespondent; presentId: number }
  /** Carried (or linked) by an earlier run. */
  | { action: 'already_carried'; earlier: EarlierRespondent; presentId: number }
  | { action: 'leave_out'; earlier: EarlierRespondent; reason: LeftOutReason; detail?: string };

const lower = (email: string | null) => email?.trim().toLowerCase() ?? null;

/**
 * Decides, for each earlier respondent (in the order given), whether it is carried, linked to the
 * respondent it already is in the new questionnaire, already carried, or left out, and why.
 *
 * - Left out: a repeated open registration (its first registration is carried); a kind outside
 *   the new questionnaire's `audience`; a respondent whose every link is revoked (revoking is how
 *   the Assessment Team withdraws an invitation; a reissued link is a working link); an
 *   organisation that registered itself without an e-mail address and is not in the new
 *   questionnaire (nobody could send it its new link, and a carried record would stop it from
 *   registering again, as an organisation already invited).
 * - The same respondent already in the new questionnaire is linked, never duplicated: a
 *   government by its country; an organisation by its e-mail address (any case) or by its folded
 *   name and country, of the same kind. A match already linked to another respondent, an e-mail
 *   address that belongs to someone else there, or two different matches are left out as a
 *   `conflict` with the reason in `detail`.
 *
 * @example
 *   planPhaseOpen(earlier, present, ['government']).filter((s) => s.action === 'carry');
 */
export function planPhaseOpen(earlier: readonly EarlierRespondent[], present: readonly PresentRespondent[], audience: readonly RespondentKind[]): PlanStep[] {
  // Copies: the plan adds what it carries and links, so that two earlier respondents never end on one.
  const known = present.map((p) => ({ ...p, email: lower(p.email) }));
  const steps: PlanStep[] = [];
  for (const e of earlier) {
    const leaveOut = (reason: LeftOutReason, detail?: string) => steps.push({ action: 'leave_out', earlier: e, reason, ...(detail ? { detail } : {}) });
    if (e.duplicateOf !== null) {
      leaveOut('repeated_registration', `repeats the registration of respondent ${e.duplicateOf}`);
      continue;
    }
    // Carried before stays carried, even if its earlier link was revoked since.
    const carried = known.find((p) => p.previousRespondentId === e.id);
    if (carried) {
      steps.push({ action: 'already_carried', earlier: e, presentId: carried.id });
      continue;
    }
    if (!audience.includes(e.kind)) {
      leaveOut('not_in_audience');
      continue;
    }
    if (!e.hasWorkingLink) {
      leaveOut('revoked');
      continue;
    }
    const email = lower(e.email);
    const sameOne =
      e.kind === 'government'
        ? known.filter((p) => p.kind === 'government' && p.country === e.country)
        : known.filter((p) => p.kind === e.kind && ((email !== null && p.email === email) || (p.nameKey === e.nameKey && p.country === e.country)));
    const emailOwner = email === null ? undefined : known.find((p) => p.email === email && !sameOne.includes(p));
    if (sameOne.length > 1) {
      leaveOut('conflict', `matches ${sameOne.length} respondents of the new questionnaire (${sameOne.map((p) => p.id).join(', ')})`);
      continue;
    }
    const match = sameOne[0];
    if (match) {
      if (match.previousRespondentId !== null) {
        const what = e.kind === 'government' ? 'government' : 'organisation';
        // A negative id stands for a respondent this plan carries (it has no id yet).
        leaveOut(
          'conflict',
          match.id < 0
            ? `is the same ${what} as respondent ${match.previousRespondentId} of the earlier questionnaire, carried by this run`
            : `respondent ${match.id} of the new questionnaire is the same ${what} but is already linked to respondent ${match.previousRespondentId}`,
        );
        continue;
      }
      match.previousRespondentId = e.id;
      steps.push({ action: 'link', earlier: e, presentId: match.id });
      continue;
    }
    if (emailOwner) {
      leaveOut('conflict', `its e-mail address belongs to respondent ${emailOwner.id} of the new questionnaire`);
      continue;
    }
    if (e.source === 'open_registration' && email === null) {
      leaveOut('no_email');
      continue;
    }
    known.push({ id: -e.id, kind: e.kind, nameKey: e.nameKey, country: e.country, email, previousRespondentId: e.id });
    steps.push({ action: 'carry', earlier: e });
  }
  return steps;
}
