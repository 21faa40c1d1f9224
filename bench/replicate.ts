/**
 * Sizes beyond what the demo generator writes in reasonable time: the civil society responses
 * already generated are copied in SQL, each copy a new respondent with a new response, the same
 * answer rows and the same submissions (every copy gets its own random export key). Counting and
 * exporting cost the same whether the answers were drawn or copied, and copies keep the
 * distributions of the generated data. The running counts are then rebuilt from the rows.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../server/db/schema.ts';
import { rebuildTallies } from '../server/responses/answer-tally.queries.ts';

/**
 * Copies the survey's respondents and their responses until it holds `target` respondents (the
 * last copy partial). Returns the number of respondents added.
 */
export async function replicateSurveyResponses(db: Kysely<Database>, surveyId: string, target: number, onProgress: (added: number) => void): Promise<number> {
  const { rows } = await sql<{ n: number; max_respondent: number; max_response: number }>`
    select (select count(*)::int from respondent where survey_id = ${surveyId}) as n,
           (select coalesce(max(id), 0) from respondent) as max_respondent,
           (select coalesce(max(id), 0) from response) as max_response`.execute(db);
  const { n, max_respondent: maxRespondent, max_response: maxResponse } = rows[0]!;
  let added = 0;
  for (let copy = 1; n + added < target; copy++) {
    const take = Math.min(n, target - n - added);
    const respondentOffset = maxRespondent * copy;
    const responseOffset = maxResponse * copy;
    await db.transaction().execute(async (trx) => {
      // The first `take` respondents of the survey, in id order.
      await sql`create temporary table copied on commit drop as
        select id from respondent where survey_id = ${surveyId} and id <= ${maxRespondent} order by id limit ${take}`.execute(trx);
      await sql`insert into respondent (id, survey_id, kind, name, country, region, subregion, roles, org_type, email, source, created_at)
        select r.id + ${respondentOffset}, r.survey_id, r.kind, r.name || ' (' || ${copy}::text || ')', r.country, r.region, r.subregion, r.roles, r.org_type, null, r.source, r.created_at
        from respondent r join copied c on c.id = r.id`.execute(trx);
      await sql`insert into response (id, respondent_id, survey_version_id, language, revision, status, submitted_revision, hidden_questions, created_at, updated_at, first_submitted_at, submitted_at)
        select p.id + ${responseOffset}, p.respondent_id + ${respondentOffset}, p.survey_version_id, p.language, p.revision, p.status, p.submitted_revision, p.hidden_questions, p.created_at, p.updated_at, p.first_submitted_at, p.submitted_at
        from response p join copied c on c.id = p.respondent_id`.execute(trx);
      await sql`insert into answer (response_id, question_id, item, code, number, text)
        select a.response_id + ${responseOffset}, a.question_id, a.item, a.code, a.number, a.text
        from answer a join response p on p.id = a.response_id join copied c on c.id = p.respondent_id`.execute(trx);
      await sql`insert into submission (response_id, revision, survey_version_id, answers, submitted_at)
        select s.response_id + ${responseOffset}, s.revision, s.survey_version_id, s.answers, s.submitted_at
        from submission s join response p on p.id = s.response_id join copied c on c.id = p.respondent_id`.execute(trx);
      await sql`insert into response_exclusion (response_id, reason, excluded_by, excluded_at)
        select x.response_id + ${responseOffset}, x.reason, x.excluded_by, x.excluded_at
        from response_exclusion x join response p on p.id = x.response_id join copied c on c.id = p.respondent_id`.execute(trx);
    });
    added += take;
    onProgress(added);
  }
  for (const table of ['respondent', 'response'] as const) {
    await sql`select setval(pg_get_serial_sequence(${table}, 'id'), (select max(id) from ${sql.table(table)}))`.execute(db);
  }
  await db.transaction().execute((trx) => rebuildTallies(trx));
  return added;
}
