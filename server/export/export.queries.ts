/**
 * The SQL of the anonymised export. Everything runs in one REPEATABLE READ transaction so that the
 * counts, the row file and the tables describe the same responses even while respondents submit.
 *
 * The export covers each response's latest submission (not unsubmitted amendments), leaving out
 * excluded responses. Rows are read a page at a time in a random order fixed by a seed: a
 * temporary table numbers the responses once, and pages are ranges of that number, so memory does
 * not grow with the number of responses.
 */
import { sql, type Transaction } from 'kysely';
import type { Answers } from '../../survey-definitions/answers.ts';
import type { SurveyDefinition } from '../../survey-definitions/types.ts';
import type { Database, RespondentRow } from '../db/schema.ts';

type Trx = Transaction<Database>;

/** Responses of the survey with a submission, not excluded. */
function exportedResponses(trx: Trx, surveyId: string) {
  return trx
    .selectFrom('response')
    .innerJoin('respondent', 'respondent.id', 'response.respondent_id')
    .where('respondent.survey_id', '=', surveyId)
    .where('response.submitted_revision', 'is not', null)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('response_exclusion').select('response_exclusion.response_id').whereRef('response_exclusion.response_id', '=', 'response.id'))),
    );
}

/**
 * How many exported responses share each combination of questionnaire version, kind, region,
 * roles and organisation type? (The version is part of it: a row shows which questions it was
 * asked, so each version is anonymised on its own.)
 */
export async function countQuasiIdentifierCombinations(
  trx: Trx,
  surveyId: string,
): Promise<{ surveyVersionId: number; respondent: Pick<RespondentRow, 'kind' | 'region' | 'roles' | 'org_type'>; count: number }[]> {
  const rows = await exportedResponses(trx, surveyId)
    .select([
      'response.survey_version_id',
      'respondent.kind',
      'respondent.region',
      'respondent.roles',
      'respondent.org_type',
      sql<number>`count(*)::int`.as('n'),
    ])
    .groupBy(['response.survey_version_id', 'respondent.kind', 'respondent.region', 'respondent.roles', 'respondent.org_type'])
    .execute();
  return rows.map((r) => ({
    surveyVersionId: r.survey_version_id,
    respondent: { kind: r.kind, region: r.region, roles: r.roles ?? [], org_type: r.org_type },
    count: Number(r.n),
  }));
}

export interface ExportedVersion {
  id: number;
  version: string;
  contentHash: string;
  definition: SurveyDefinition;
  responses: number;
}

/** Which questionnaire versions were the exported responses given under, and how many each? */
export async function listExportedVersions(trx: Trx, surveyId: string): Promise<ExportedVersion[]> {
  const counts = await exportedResponses(trx, surveyId)
    .select(['response.survey_version_id', sql<number>`count(*)::int`.as('n')])
    .groupBy('response.survey_version_id')
    .execute();
  if (counts.length === 0) return [];
  const versions = await trx
    .selectFrom('survey_version')
    .select(['id', 'version', 'content_hash', 'definition'])
    .where(
      'id',
      'in',
      counts.map((c) => c.survey_version_id),
    )
    .orderBy('id')
    .execute();
  const byId = new Map(counts.map((c) => [c.survey_version_id, Number(c.n)]));
  return versions.map((v) => ({ id: v.id, version: v.version, contentHash: v.content_hash, definition: v.definition, responses: byId.get(v.id) ?? 0 }));
}

/**
 * Numbers the exported responses 1..n in the order of md5(seed, export_key): a random order that
 * the seed reproduces on the same data, and that cannot be inverted into response ids without the
 * database's per-response keys. Returns n. The table lives until the transaction ends.
 */
export async function numberExportedResponses(trx: Trx, surveyId: string, seed: string): Promise<number> {
  await sql`create temporary table export_order (pos integer primary key, response_id integer not null) on commit drop`.execute(trx);
  const ordered = exportedResponses(trx, surveyId).select([
    sql<number>`row_number() over (order by md5(${seed} || response.export_key), response.id)`.as('pos'),
    'response.id',
  ]);
  const result = await sql`insert into export_order (pos, response_id) ${ordered}`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

export interface ExportRow {
  pos: number;
  surveyVersionId: number;
  respondent: Pick<RespondentRow, 'kind' | 'region' | 'roles' | 'org_type'>;
  answers: Answers;
  /** Approved texts of this response: question id -> [SHA-256 of the approved answer, published text]. */
  approvals: Map<string, { answerSha256: string; publishedText: string }>;
}

/** The numbered responses from..to (inclusive) with their submitted answers and text approvals. */
export async function readExportPage(trx: Trx, from: number, to: number): Promise<ExportRow[]> {
  const rows = await trx
    .selectFrom(sql<{ pos: number; response_id: number }>`export_order`.as('o'))
    .innerJoin('response', 'response.id', 'o.response_id')
    .innerJoin('respondent', 'respondent.id', 'response.respondent_id')
    .innerJoin('submission', (join) =>
      join.onRef('submission.response_id', '=', 'response.id').onRef('submission.revision', '=', 'response.submitted_revision'),
    )
    .where('o.pos', '>=', from)
    .where('o.pos', '<=', to)
    .select([
      'o.pos',
      'response.survey_version_id',
      'submission.answers',
      'respondent.kind',
      'respondent.region',
      'respondent.roles',
      'respondent.org_type',
      sql<
        { q: string; h: string; t: string }[] | null
      >`(select json_agg(json_build_object('q', a.question_id, 'h', a.answer_sha256, 't', a.published_text)) from text_approval a where a.response_id = response.id)`.as(
        'approvals',
      ),
    ])
    .orderBy('o.pos')
    .execute();
  return rows.map((r) => ({
    pos: Number(r.pos),
    surveyVersionId: r.survey_version_id,
    respondent: { kind: r.kind, region: r.region, roles: r.roles ?? [], org_type: r.org_type },
    answers: typeof r.answers === 'string' ? (JSON.parse(r.answers) as Answers) : r.answers,
    approvals: new Map((r.approvals ?? []).map((a) => [a.q, { answerSha256: a.h, publishedText: a.t }])),
  }));
}

/** The day of the latest exported submission (no time of day: exact times are not published). */
export async function latestSubmissionDay(trx: Trx, surveyId: string): Promise<string | null> {
  const row = await exportedResponses(trx, surveyId)
    .select(sql<string | null>`to_char(max(response.submitted_at) at time zone 'UTC', 'YYYY-MM-DD')`.as('day'))
    .executeTakeFirst();
  return row?.day ?? null;
}
