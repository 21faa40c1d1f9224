/**
 * SQL of releases: the responses a release covers and their counts per finest group ("leaf": kind,
 * region, role group), summed in the database, never by loading the answers; storing and reading
 * releases.
 */
import { sql } from 'kysely';
import type { Answers } from '../../survey-definitions/answers.ts';
import type { SurveyDefinition } from '../../survey-definitions/types.ts';
import type { Db } from '../db/db.ts';
import type { RespondentRow } from '../db/schema.ts';
import { STEERING_ROLES } from '../respondents/respondent-labels.ts';

/** A respondent without a region is counted in this one. */
export const UNKNOWN_REGION = 'unknown';

const LEAF = sql<string>`d.kind || '/' || coalesce(nullif(d.region, ''), ${UNKNOWN_REGION}) || '/' ||
  case when d.roles && array[${sql.join([...STEERING_ROLES])}]::text[] then 'steering_group'
       when cardinality(d.roles) > 0 then 'other_role' else 'no_role' end`;

/** The responses a release of the survey would cover now: submitted, not excluded, with their submitted revision and leaf. */
const MEMBERS = (surveyId: string) => sql`
  select p.id as response_id, p.submitted_revision as revision, ${LEAF} as leaf
  from response p join respondent d on d.id = p.respondent_id
  where d.survey_id = ${surveyId} and p.status = 'submitted' and p.revision > 0 and p.submitted_revision is not null
    and not exists (select 1 from response_exclusion x where x.response_id = p.id)`;

export interface Member {
  response_id: number;
  revision: number;
  leaf: string;
}

export async function currentMembers(db: Db, surveyId: string): Promise<Member[]> {
  const { rows } = await sql<Member>`${MEMBERS(surveyId)} order by 1`.execute(db);
  return rows.map((r) => ({ ...r, response_id: Number(r.response_id), revision: Number(r.revision) }));
}

/** The values each dimension takes among the survey's invitees (not only those who answered). */
export async function surveyDimensions(db: Db, surveyId: string): Promise<{ kind: string[]; region: string[] }> {
  const { rows } = await sql<{ kind: string; region: string }>`
    select distinct d.kind, coalesce(nullif(d.region, ''), ${UNKNOWN_REGION}) as region from respondent d where d.survey_id = ${surveyId}`.execute(db);
  return { kind: [...new Set(rows.map((r) => r.kind))].sort(), region: [...new Set(rows.map((r) => r.region))].sort() };
}

export interface LeafCodeCount {
  leaf: string;
  question_id: string;
  item: string;
  code: string;
  n: number;
}

/**
 * Per leaf, question, item and code: respondents (submitted rows of the covered responses). Numeric
 * answers come as code '' with their value in {@link leafNumbers}; ranked options as item = code = the
 * option, their rank in {@link leafNumbers}.
 */
export async function leafCodeCounts(db: Db, surveyId: string): Promise<LeafCodeCount[]> {
  const { rows } = await sql<LeafCodeCount>`
    with m as (${MEMBERS(surveyId)})
    select m.leaf, a.question_id, a.item, a.code, count(*)::int as n
    from m join submitted_answer a on a.response_id = m.response_id
    where a.code is not null and not (a.item <> '' and a.item = a.code and a.number is not null)
    group by 1, 2, 3, 4`.execute(db);
  return rows.map((r) => ({ ...r, n: Number(r.n) }));
}

/** Per leaf and question: respondents who answered it, and who answered other than `dk` (multiple-choice bases). */
export async function leafAnswered(db: Db, surveyId: string): Promise<{ leaf: string; question_id: string; answered: number; substantive: number }[]> {
  const { rows } = await sql<{ leaf: string; question_id: string; answered: number; substantive: number }>`
    with m as (${MEMBERS(surveyId)}),
    q as (
      select m.leaf, a.question_id, bool_or(a.code is distinct from 'dk') as substantive
      from m join submitted_answer a on a.response_id = m.response_id
      group by m.response_id, m.leaf, a.question_id
    )
    select leaf, question_id, count(*)::int as answered, count(*) filter (where substantive)::int as substantive from q group by 1, 2`.execute(db);
  return rows.map((r) => ({ ...r, answered: Number(r.answered), substantive: Number(r.substantive) }));
}

/** Per leaf, question and item: how many gave each number (numeric answers; ranks of ranked options). */
export async function leafNumbers(db: Db, surveyId: string): Promise<{ leaf: string; question_id: string; item: string; value: number; n: number }[]> {
  const { rows } = await sql<{ leaf: string; question_id: string; item: string; value: number; n: number }>`
    with m as (${MEMBERS(surveyId)})
    select m.leaf, a.question_id, a.item, a.number as value, count(*)::int as n
    from m join submitted_answer a on a.response_id = m.response_id
    where a.number is not null and (a.code is null or (a.item = a.code and a.item <> ''))
    group by 1, 2, 3, 4`.execute(db);
  return rows.map((r) => ({ ...r, value: Number(r.value), n: Number(r.n) }));
}

export interface StoredRelease {
  id: number;
  survey_id: string;
  name: string;
  created_at: Date;
  created_by: string;
  final: boolean;
  threshold: number;
  responses: number;
  content_hash: string;
}

export async function listReleases(db: Db, surveyId: string): Promise<StoredRelease[]> {
  return db
    .selectFrom('release')
    .select(['id', 'survey_id', 'name', 'created_at', 'created_by', 'final', 'threshold', 'responses', 'content_hash'])
    .where('survey_id', '=', surveyId)
    .orderBy('id')
    .execute();
}

export async function listAllReleases(db: Db): Promise<StoredRelease[]> {
  return db
    .selectFrom('release')
    .select(['id', 'survey_id', 'name', 'created_at', 'created_by', 'final', 'threshold', 'responses', 'content_hash'])
    .orderBy('id')
    .execute();
}

export async function getReleaseRow(db: Db, id: number): Promise<(StoredRelease & { figures: unknown }) | undefined> {
  return db.selectFrom('release').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function releaseMembers(db: Db, releaseId: number): Promise<Member[]> {
  return db.selectFrom('release_response').select(['response_id', 'revision', 'leaf']).where('release_id', '=', releaseId).execute();
}

export async function insertRelease(
  db: Db,
  release: { survey_id: string; name: string; created_by: string; final: boolean; threshold: number; responses: number; content_hash: string; figures: string },
  members: readonly Member[],
): Promise<{ id: number; created_at: Date }> {
  const row = await db.insertInto('release').values(release).returning(['id', 'created_at']).executeTakeFirstOrThrow();
  for (let i = 0; i < members.length; i += 2000) {
    await db
      .insertInto('release_response')
      .values(members.slice(i, i + 2000).map((m) => ({ release_id: row.id, response_id: m.response_id, revision: m.revision, leaf: m.leaf })))
      .execute();
  }
  return row;
}

export interface ReleaseRow {
  surveyVersionId: number;
  respondent: Pick<RespondentRow, 'kind' | 'region' | 'roles' | 'org_type'>;
  /** The answers of the revision the release froze (not the response's latest submission). */
  answers: Answers;
}

/**
 * The responses a release covers, as it froze them: the submitted answers of each one's revision,
 * with the groups and questionnaire version of its respondent, in the order of md5(seed, the
 * response's export key) (random, and not to be turned back into response ids).
 */
export async function readReleaseRows(db: Db, releaseId: number, seed: string): Promise<ReleaseRow[]> {
  const rows = await db
    .selectFrom('release_response as rr')
    .innerJoin('response', 'response.id', 'rr.response_id')
    .innerJoin('respondent', 'respondent.id', 'response.respondent_id')
    .innerJoin('submission', (join) => join.onRef('submission.response_id', '=', 'rr.response_id').onRef('submission.revision', '=', 'rr.revision'))
    .where('rr.release_id', '=', releaseId)
    .select(['response.survey_version_id', 'submission.answers', 'respondent.kind', 'respondent.region', 'respondent.roles', 'respondent.org_type'])
    .orderBy(sql`md5(${seed} || response.export_key)`)
    .orderBy('response.id')
    .execute();
  return rows.map((r) => ({
    surveyVersionId: r.survey_version_id,
    respondent: { kind: r.kind, region: r.region, roles: r.roles ?? [], org_type: r.org_type },
    answers: typeof r.answers === 'string' ? (JSON.parse(r.answers) as Answers) : r.answers,
  }));
}

/** The questionnaire versions of the responses a release covers, with their definitions. */
export async function releaseVersions(
  db: Db,
  releaseId: number,
): Promise<{ id: number; version: string; contentHash: string; definition: SurveyDefinition }[]> {
  const rows = await db
    .selectFrom('survey_version')
    .select(['id', 'version', 'content_hash', 'definition'])
    .where('id', 'in', (qb) =>
      qb
        .selectFrom('release_response as rr')
        .innerJoin('response', 'response.id', 'rr.response_id')
        .select('response.survey_version_id')
        .where('rr.release_id', '=', releaseId),
    )
    .orderBy('id')
    .execute();
  return rows.map((v) => ({ id: v.id, version: v.version, contentHash: v.content_hash, definition: v.definition }));
}
