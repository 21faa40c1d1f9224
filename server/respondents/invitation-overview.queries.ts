/**
 * SQL for the invitations page: every link of a survey with its respondent and how far the
 * respondent has got. Tokens never reach this module.
 */
import { sql } from 'kysely';
import type { RespondentKind } from '../../survey-definitions/schema.ts';
import type { Db } from '../db/db.ts';
import type { RespondentSource } from '../db/schema.ts';

export type ResponseProgress = 'not_started' | 'in_progress' | 'submitted';

export interface InvitationOverview {
  invitationId: number;
  respondentId: number;
  name: string;
  kind: RespondentKind;
  country: string | null;
  source: RespondentSource;
  createdAt: Date;
  revokedAt: Date | null;
  firstOpenedAt: Date | null;
  /** The respondent's newest link (a reissue makes a newer one). */
  latest: boolean;
  progress: ResponseProgress;
  firstSubmittedAt: Date | null;
}

/** How many links does a survey have (revoked ones included)? */
export async function countInvitations(db: Db, surveyId: string): Promise<number> {
  const row = await db
    .selectFrom('invitation')
    .innerJoin('respondent', 'respondent.id', 'invitation.respondent_id')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('respondent.survey_id', '=', surveyId)
    .executeTakeFirstOrThrow();
  return row.n;
}

/** Which links does a survey have, whose are they and how far has each respondent got? By respondent, oldest link first. */
export async function listInvitationOverview(db: Db, surveyId: string, page: { limit: number; offset: number }): Promise<InvitationOverview[]> {
  const rows = await db
    .selectFrom('invitation as i')
    .innerJoin('respondent as r', 'r.id', 'i.respondent_id')
    .leftJoin('response as p', 'p.respondent_id', 'r.id')
    .select([
      'i.id as invitation_id',
      'r.id as respondent_id',
      'r.name',
      'r.kind',
      'r.country',
      'r.source',
      'i.created_at',
      'i.revoked_at',
      'i.first_opened_at',
      'p.status',
      'p.revision',
      'p.first_submitted_at',
      sql<boolean>`i.id = (select max(j.id) from invitation j where j.respondent_id = r.id)`.as('latest'),
    ])
    .where('r.survey_id', '=', surveyId)
    .orderBy('r.id')
    .orderBy('i.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return rows.map((r) => ({
    invitationId: r.invitation_id,
    respondentId: r.respondent_id,
    name: r.name,
    kind: r.kind,
    country: r.country,
    source: r.source,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
    firstOpenedAt: r.first_opened_at,
    latest: r.latest,
    progress: r.status === 'submitted' ? 'submitted' : r.revision !== null && r.revision > 0 ? 'in_progress' : 'not_started',
    firstSubmittedAt: r.first_submitted_at,
  }));
}

/** What is a respondent called? Undefined for an unknown respondent. */
export async function getRespondentName(db: Db, respondentId: number): Promise<string | undefined> {
  const row = await db.selectFrom('respondent').select('name').where('id', '=', respondentId).executeTakeFirst();
  return row?.name;
}
