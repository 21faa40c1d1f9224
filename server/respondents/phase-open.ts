/**
 * `phase open`: invites the respondents of an earlier phase's questionnaire to a later phase's,
 * each as the same government or organisation (`previous_respondent_id`), with a new link.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Language } from '../../survey-definitions/schema.ts';
import { isUniqueViolation } from '../db/unique-violation.ts';
import { AppError } from '../errors.ts';
import { insertAuditEntry } from '../audit/audit.queries.ts';
import { getCurrentSurveyVersion } from '../surveys/survey-versions.queries.ts';
import { invitationLink } from './import-invitees.ts';
import type { LinkRow } from './links-csv.ts';
import { linkToPreviousRespondent, listEarlierRespondents, listPresentRespondents, lockSurvey } from './phase-open.queries.ts';
import { planPhaseOpen, type EarlierRespondent, type LeftOutReason } from './phase-plan.ts';
import { insertInvitation, insertRespondent } from './respondents.queries.ts';
import { newInvitationToken } from './tokens.ts';
import { sealToken, type TokenKeyring } from './sealed-tokens.ts';

/** A respondent carried over: its new respondent id, the earlier one, and its row of the links file. */
export type CarriedRow = LinkRow & { respondentId: number; previousRespondentId: number };

export interface LeftOut {
  respondentId: number;
  name: string;
  reason: LeftOutReason;
  detail?: string;
}

export interface PhaseOpenResult {
  surveyId: string;
  fromSurveyId: string;
  /** New respondents with their new link, in the order of the earlier questionnaire. */
  carried: CarriedRow[];
  /** Already in the new questionnaire: `linked` now, or carried by an earlier run. */
  linked: { respondentId: number; previousRespondentId: number; name: string }[];
  alreadyCarried: { respondentId: number; previousRespondentId: number; name: string }[];
  leftOut: LeftOut[];
}

/**
 * Carries the respondents of questionnaire `fromSurveyId` into `surveyId` (see `planPhaseOpen`
 * for who is carried, linked or left out), all in one transaction with one audit entry
 * (`phase.open`). Running it again carries nobody twice.
 *
 * @throws AppError `not_found` when a questionnaire is not published; `validation` when either
 *   declares no phase, or the new one's phase is not later; `conflict` when a concurrent change
 *   made a carried respondent collide (nothing is stored then).
 * @example
 *   const result = await openPhase(db, { surveyId: 'government-stocktake', fromSurveyId: 'government-assessment', publicUrl, actor: 'cli' });
 *   linksCsv(INVITEE_COLUMNS, result.carried);
 */
export async function openPhase(
  db: Kysely<Database>,
  input: { surveyId: string; fromSurveyId: string; publicUrl: string; actor: string; tokenKeyring?: TokenKeyring },
): Promise<PhaseOpenResult> {
  const { surveyId, fromSurveyId } = input;
  if (surveyId === fromSurveyId) throw new AppError('validation', `--survey and --from name the same questionnaire (${surveyId}).`);
  const [next, earlier] = await Promise.all([getCurrentSurveyVersion(db, surveyId), getCurrentSurveyVersion(db, fromSurveyId)]);
  for (const [id, version] of [
    [surveyId, next],
    [fromSurveyId, earlier],
  ] as const) {
    if (!version) throw new AppError('not_found', `No questionnaire with the id '${id}' is published.`);
    if (version.definition.phase === undefined)
      throw new AppError('validation', `${id} declares no phase; add its year (phase: 2012, say) at the top of its file.`);
  }
  const nextPhase = next!.definition.phase!;
  const earlierPhase = earlier!.definition.phase!;
  if (nextPhase <= earlierPhase) {
    throw new AppError(
      'validation',
      `${surveyId} (phase ${nextPhase}) is not of a later phase than ${fromSurveyId} (phase ${earlierPhase}); respondents are carried forward only.`,
    );
  }
  const audience = next!.definition.audience;
  try {
    return await db.transaction().execute(async (trx) => {
      await lockSurvey(trx, surveyId);
      const steps = planPhaseOpen(await listEarlierRespondents(trx, fromSurveyId), await listPresentRespondents(trx, surveyId), audience);
      const result: PhaseOpenResult = { surveyId, fromSurveyId, carried: [], linked: [], alreadyCarried: [], leftOut: [] };
      for (const step of steps) {
        const e = step.earlier;
        if (step.action === 'carry') {
          result.carried.push(await carry(trx, surveyId, e, input.publicUrl, input.tokenKeyring));
        } else if (step.action === 'link') {
          // The plan read the row in this transaction under the survey's lock; nothing linked it since.
          if (!(await linkToPreviousRespondent(trx, step.presentId, e.id)))
            throw new AppError('conflict', `Respondent ${step.presentId} was linked while this ran; run the command again.`);
          result.linked.push({ respondentId: step.presentId, previousRespondentId: e.id, name: e.name });
        } else if (step.action === 'already_carried') {
          result.alreadyCarried.push({ respondentId: step.presentId, previousRespondentId: e.id, name: e.name });
        } else {
          result.leftOut.push({ respondentId: e.id, name: e.name, reason: step.reason, ...(step.detail ? { detail: step.detail } : {}) });
        }
      }
      await insertAuditEntry(trx, {
        actor: input.actor,
        action: 'phase.open',
        subject: `survey:${surveyId}`,
        details: {
          surveyId,
          fromSurveyId,
          carried: result.carried.length,
          linked: result.linked.length,
          alreadyCarried: result.alreadyCarried.length,
          leftOut: countReasons(result.leftOut),
        },
      });
      return result;
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError(
        'conflict',
        `A respondent was added to ${surveyId} while this ran (an import or another phase open); nothing was carried. Run the command again.`,
      );
    }
    throw error;
  }
}

async function carry(
  trx: Transaction<Database>,
  surveyId: string,
  e: EarlierRespondent,
  publicUrl: string,
  tokenKeyring: TokenKeyring | undefined,
): Promise<CarriedRow> {
  const respondentId = await insertRespondent(trx, {
    surveyId,
    kind: e.kind,
    name: e.name,
    country: e.country,
    region: e.region,
    subregion: e.subregion,
    roles: e.roles,
    orgType: e.orgType,
    email: e.email,
    language: e.language as Language,
    // The Assessment Team sends the new link, as for an invitation (an organisation that registered
    // itself in the earlier phase is carried only with an e-mail address to send it to).
    source: 'invitation',
    previousRespondentId: e.id,
  });
  const { token, hash } = newInvitationToken();
  // Kept sealed with the mail token key too, so that the new link can be e-mailed (`--send`).
  await insertInvitation(trx, respondentId, hash, tokenKeyring ? sealToken(tokenKeyring, token, hash) : null);
  return {
    respondentId,
    previousRespondentId: e.id,
    name: e.name,
    kind: e.kind,
    country: e.country,
    roles: e.roles,
    orgType: e.orgType,
    email: e.email,
    language: e.language,
    link: invitationLink(publicUrl, token),
  };
}

/** How many were left out for each reason (every reason present, 0 when none). */
export function countReasons(leftOut: readonly LeftOut[]): Record<LeftOutReason, number> {
  const counts: Record<LeftOutReason, number> = { revoked: 0, not_in_audience: 0, no_email: 0, repeated_registration: 0, conflict: 0 };
  for (const l of leftOut) counts[l.reason] += 1;
  return counts;
}
