/**
 * Hand-built respondents in every state the response tracker counts, written straight into the
 * tables (no form flow), so that a test can state each expected count by hand.
 */
import { applyTally } from '../../../server/db/answer-tally.queries.ts';
import type { Kysely } from 'kysely';
import type { Database } from '../../../server/db/schema.ts';
import { newInvitationToken } from '../../../server/respondents/tokens.ts';

export interface RespondentSpec {
  surveyId: string;
  name: string;
  kind?: 'government' | 'civil_society' | 'international_org';
  country?: string | null;
  region?: string | null;
  email?: string | null;
  roles?: string[];
  /** One entry per link, oldest first. */
  links?: { openedAt?: string; lastOpenedAt?: string; revoked?: boolean }[];
  response?: { revision: number; status: 'in_progress' | 'submitted'; updatedAt?: string; firstSubmittedAt?: string };
  exclusion?: { reason: string; by: number | null };
}

/** Inserts a respondent with its links, response and exclusion; returns the ids. */
export async function addRespondent(
  db: Kysely<Database>,
  spec: RespondentSpec,
): Promise<{ respondentId: number; responseId?: number; invitationIds: number[] }> {
  const { id: respondentId } = await db
    .insertInto('respondent')
    .values({
      survey_id: spec.surveyId,
      kind: spec.kind ?? 'government',
      name: spec.name,
      country: spec.country ?? null,
      region: spec.region ?? null,
      subregion: null,
      roles: spec.roles ?? [],
      org_type: null,
      email: spec.email ?? null,
      source: 'invitation',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const invitationIds: number[] = [];
  for (const link of spec.links ?? []) {
    const { id } = await db
      .insertInto('invitation')
      .values({
        respondent_id: respondentId,
        token_hash: newInvitationToken().hash,
        first_opened_at: link.openedAt ?? null,
        last_opened_at: link.lastOpenedAt ?? link.openedAt ?? null,
        revoked_at: link.revoked ? '2026-02-20T12:00:00Z' : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    invitationIds.push(id);
  }
  if (!spec.response) return { respondentId, invitationIds };
  const { current_version_id } = await db.selectFrom('survey').select('current_version_id').where('id', '=', spec.surveyId).executeTakeFirstOrThrow();
  const r = spec.response;
  const { id: responseId } = await db
    .insertInto('response')
    .values({
      respondent_id: respondentId,
      survey_version_id: current_version_id,
      language: 'en',
      revision: r.revision,
      status: r.status,
      submitted_revision: r.status === 'submitted' ? r.revision : null,
      updated_at: r.updatedAt ?? r.firstSubmittedAt ?? '2026-02-25T00:00:00Z',
      first_submitted_at: r.firstSubmittedAt ?? null,
      submitted_at: r.firstSubmittedAt ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (spec.exclusion) {
    await db.insertInto('response_exclusion').values({ response_id: responseId, reason: spec.exclusion.reason, excluded_by: spec.exclusion.by }).execute();
  }
  // Written directly, so the dashboard's running counts are brought up to date as the services would.
  await applyTally(db, [responseId], 1);
  return { respondentId, responseId, invitationIds };
}
