/**
 * The response tracker's questions, answered in SQL: how far respondents have got (overall and by
 * group), submissions per day, and who has not submitted yet. Counts are cast to int in SQL, so
 * PGlite and pg return numbers alike.
 */
import { sql, type RawBuilder } from 'kysely';
import type { RespondentKind } from '../../survey-definitions/schema.ts';
import type { Db } from '../db/db.ts';

/** How respondents are grouped: not at all, or by kind, UN M49 region or GFMD role. */
export type TrackerGrouping = 'overall' | 'kind' | 'region' | 'role';

/**
 * Respondents of one group by how far they have got. The states overlap: a submitted respondent
 * was invited and (usually) opened the link. `respondents` is the base every other count rests on.
 */
export interface StateCounts {
  /** Kind, region or role; null for the overall row and for respondents without region or role. */
  group: string | null;
  respondents: number;
  /** Have a link (open registrations get one too). */
  invited: number;
  /** Opened a link at least once. */
  opened: number;
  /** Saved answers at least once, not submitted. */
  inProgress: number;
  submitted: number;
  /** Of the submitted, those with changes saved since their latest submission (counted as last submitted). */
  amended: number;
  /** Responses left out of the analysis (any status). */
  excluded: number;
  /** Submitted and not excluded: what the analysis rests on. */
  analysed: number;
}

export interface DailySubmissions {
  /** UTC day of the first submission, YYYY-MM-DD. */
  day: string;
  submitted: number;
  /** Of those, excluded from the analysis since. */
  excluded: number;
  /** Submitted on this day or before. */
  cumulative: number;
}

/** A link's state as a reminder needs it: `working` = opened and not revoked. */
export type LinkState = 'working' | 'never_opened' | 'revoked' | 'no_link';

export interface NotSubmittedRow {
  respondentId: number;
  name: string;
  kind: RespondentKind;
  country: string | null;
  email: string | null;
  linkState: LinkState;
  /** Last time any of the respondent's links was opened. */
  lastOpenedAt: Date | null;
  /** Last save of answers; null before the first save (not started). */
  lastSavedAt: Date | null;
}

export interface SubmittedResponseRow {
  responseId: number;
  respondentId: number;
  name: string;
  kind: RespondentKind;
  country: string | null;
  firstSubmittedAt: Date;
  /** Latest submission, and whether answers were changed and saved since without being submitted again. */
  lastSubmittedAt: Date;
  amendedNotResubmitted: boolean;
  exclusion: { reason: string; excludedAt: Date; excludedBy: string | null } | null;
}

const GROUP_EXPRESSION: Record<TrackerGrouping, RawBuilder<string | null>> = {
  overall: sql`null::text`,
  kind: sql`state.kind`,
  region: sql`state.region`,
  role: sql`role.name`,
};

/** How many respondents of a survey are invited, opened, in progress, submitted, excluded — per group? */
export async function getStateCounts(db: Db, surveyId: string, grouping: TrackerGrouping): Promise<StateCounts[]> {
  const group = GROUP_EXPRESSION[grouping];
  // A respondent without roles still counts, in a group of its own (null), as with no region.
  const roles = grouping === 'role' ? sql`left join lateral unnest(state.roles) as role(name) on true` : sql``;
  const groupBy = grouping === 'overall' ? sql`` : sql`group by 1 order by 1 nulls last`;
  const { rows } = await sql<StateCounts>`
    with state as (
      select r.kind, r.region, r.roles,
        exists (select 1 from invitation i where i.respondent_id = r.id) as invited,
        exists (select 1 from invitation i where i.respondent_id = r.id and i.first_opened_at is not null) as opened,
        coalesce(p.status = 'in_progress' and p.revision > 0, false) as in_progress,
        coalesce(p.status = 'submitted', false) as submitted,
        coalesce(p.status = 'submitted' and p.revision > p.submitted_revision, false) as amended,
        x.response_id is not null as excluded
      from respondent r
      left join response p on p.respondent_id = r.id
      left join response_exclusion x on x.response_id = p.id
      where r.survey_id = ${surveyId}
    )
    select ${group} as "group",
      count(*)::int as "respondents",
      count(*) filter (where invited)::int as "invited",
      count(*) filter (where opened)::int as "opened",
      count(*) filter (where in_progress)::int as "inProgress",
      count(*) filter (where submitted)::int as "submitted",
      count(*) filter (where amended)::int as "amended",
      count(*) filter (where excluded)::int as "excluded",
      count(*) filter (where submitted and not excluded)::int as "analysed"
    from state ${roles}
    ${groupBy}`.execute(db);
  return rows;
}

/** How many responses of a survey were first submitted on each (UTC) day? Days without any are left out. */
export async function getDailySubmissions(db: Db, surveyId: string): Promise<DailySubmissions[]> {
  const { rows } = await sql<DailySubmissions>`
    select day, submitted, excluded, (sum(submitted) over (order by day))::int as cumulative
    from (
      select to_char(date_trunc('day', p.first_submitted_at at time zone 'UTC'), 'YYYY-MM-DD') as day,
        count(*)::int as submitted,
        count(x.response_id)::int as excluded
      from response p
      join respondent r on r.id = p.respondent_id
      left join response_exclusion x on x.response_id = p.id
      where r.survey_id = ${surveyId} and p.first_submitted_at is not null
      group by 1
    ) per_day
    order by day`.execute(db);
  return rows;
}

/**
 * Who has not submitted yet, with the state of their link (for reminders)? By name. Without
 * `page`, everyone (the reminders file).
 */
export async function listNotSubmitted(db: Db, surveyId: string, page?: { limit: number; offset: number }): Promise<NotSubmittedRow[]> {
  const window = page ? sql`limit ${page.limit} offset ${page.offset}` : sql``;
  const { rows } = await sql<NotSubmittedRow>`
    select r.id as "respondentId", r.name, r.kind, r.country, r.email,
      case
        when not exists (select 1 from invitation i where i.respondent_id = r.id) then 'no_link'
        when not exists (select 1 from invitation i where i.respondent_id = r.id and i.revoked_at is null) then 'revoked'
        when exists (select 1 from invitation i where i.respondent_id = r.id and i.revoked_at is null and i.first_opened_at is not null) then 'working'
        else 'never_opened'
      end as "linkState",
      (select max(i.last_opened_at) from invitation i where i.respondent_id = r.id) as "lastOpenedAt",
      case when p.revision > 0 then p.updated_at end as "lastSavedAt"
    from respondent r
    left join response p on p.respondent_id = r.id
    where r.survey_id = ${surveyId} and (p.id is null or p.status <> 'submitted')
    order by lower(r.name), r.id
    ${window}`.execute(db);
  return rows;
}

/** Which responses of a survey are submitted, and which of them are excluded (by whom, why)? First submitted first. */
export async function listSubmittedResponses(db: Db, surveyId: string, page: { limit: number; offset: number }): Promise<SubmittedResponseRow[]> {
  const rows = await db
    .selectFrom('response as p')
    .innerJoin('respondent as r', 'r.id', 'p.respondent_id')
    .leftJoin('response_exclusion as x', 'x.response_id', 'p.id')
    .leftJoin('app_user as u', 'u.id', 'x.excluded_by')
    .select([
      'p.id as response_id',
      'r.id as respondent_id',
      'r.name',
      'r.kind',
      'r.country',
      'p.first_submitted_at',
      'p.submitted_at',
      'x.reason',
      'x.excluded_at',
      'u.email as excluded_by',
    ])
    .select(sql<boolean>`p.revision > p.submitted_revision`.as('amended'))
    .where('r.survey_id', '=', surveyId)
    .where('p.status', '=', 'submitted')
    .orderBy('p.first_submitted_at')
    .orderBy('p.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return rows.map((r) => ({
    responseId: r.response_id,
    respondentId: r.respondent_id,
    name: r.name,
    kind: r.kind,
    country: r.country,
    // A submitted response always has its first submission time.
    firstSubmittedAt: r.first_submitted_at!,
    lastSubmittedAt: r.submitted_at ?? r.first_submitted_at!,
    amendedNotResubmitted: Boolean(r.amended),
    exclusion: r.reason !== null && r.excluded_at !== null ? { reason: r.reason, excludedAt: r.excluded_at, excludedBy: r.excluded_by } : null,
  }));
}
