/**
 * Sizes beyond what the demo generator writes in reasonable time: the civil society responses
 * already generated are copied in SQL, each copy a new respondent with a new response, the same
 * answer rows and the same submissions (every copy gets its own random export key). Counting and
 * exporting cost the same whether the answers were drawn or copied, and copies keep the
 * distributions of the generated data. The running counts are then rebuilt from the rows.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../server/db/schema.ts';
import { rebuildTallies } from '../server/db/answer-tally.queries.ts';

/**
 * Copies the survey's responses (with their respondents) until it holds `target` responses.
 * One statement per table, each reading the original rows once. Returns the responses added.
 */
export async function replicateSurveyResponses(db: Kysely<Database>, surveyId: string, target: number, onProgress: (step: string) => void): Promise<number> {
  return db.transaction().execute(async (trx) => {
    // The originals, numbered; copy g of original number i exists while (g * n + i) < target.
    await sql`create temporary table original on commit drop as
      select p.id as response_id, p.respondent_id, row_number() over (order by p.id) - 1 as i
      from response p join respondent d on d.id = p.respondent_id where d.survey_id = ${surveyId}`.execute(trx);
    const { rows } = await sql<{ n: number; max_respondent: number; max_response: number }>`
      select (select count(*)::int from original) as n,
             (select coalesce(max(id), 0)::int from respondent) as max_respondent,
             (select coalesce(max(id), 0)::int from response) as max_response`.execute(trx);
    const { n, max_respondent: maxRespondent, max_response: maxResponse } = rows[0]!;
    if (n === 0 || n >= target) return 0;
    const copies = Math.ceil(target / n) - 1;
    await sql`create temporary table copy_of on commit drop as
      select o.response_id, o.respondent_id, g from original o cross join generate_series(1, ${copies}) g where g * ${n} + o.i < ${target}`.execute(trx);
    const added = Number((await sql<{ n: number }>`select count(*)::int as n from copy_of`.execute(trx)).rows[0]!.n);
    await sql`insert into respondent (id, survey_id, kind, name, country, region, subregion, roles, org_type, email, source, created_at)
      select r.id + ${maxRespondent} * c.g, r.survey_id, r.kind, r.name || ' (' || c.g::text || ')', r.country, r.region, r.subregion, r.roles, r.org_type, null, r.source, r.created_at
      from copy_of c join respondent r on r.id = c.respondent_id`.execute(trx);
    onProgress('respondents');
    await sql`insert into response (id, respondent_id, survey_version_id, language, revision, status, submitted_revision, hidden_questions, submitted_hidden_questions, created_at, updated_at, first_submitted_at, submitted_at)
      select p.id + ${maxResponse} * c.g, p.respondent_id + ${maxRespondent} * c.g, p.survey_version_id, p.language, p.revision, p.status, p.submitted_revision, p.hidden_questions, p.submitted_hidden_questions, p.created_at, p.updated_at, p.first_submitted_at, p.submitted_at
      from copy_of c join response p on p.id = c.response_id`.execute(trx);
    onProgress('responses');
    await sql`insert into answer (response_id, question_id, item, code, number, text)
      select a.response_id + ${maxResponse} * c.g, a.question_id, a.item, a.code, a.number, a.text
      from copy_of c join answer a on a.response_id = c.response_id`.execute(trx);
    await sql`insert into submitted_answer (response_id, question_id, item, code, number, text)
      select a.response_id + ${maxResponse} * c.g, a.question_id, a.item, a.code, a.number, a.text
      from copy_of c join submitted_answer a on a.response_id = c.response_id`.execute(trx);
    onProgress('answer rows');
    await sql`insert into submission (response_id, revision, survey_version_id, answers, submitted_at)
      select s.response_id + ${maxResponse} * c.g, s.revision, s.survey_version_id, s.answers, s.submitted_at
      from copy_of c join submission s on s.response_id = c.response_id`.execute(trx);
    await sql`insert into response_exclusion (response_id, reason, excluded_by, excluded_at)
      select x.response_id + ${maxResponse} * c.g, x.reason, x.excluded_by, x.excluded_at
      from copy_of c join response_exclusion x on x.response_id = c.response_id`.execute(trx);
    onProgress('submissions and exclusions');
    for (const table of ['respondent', 'response'] as const) {
      await sql`select setval(pg_get_serial_sequence(${table}, 'id'), (select max(id) from ${sql.table(table)}))`.execute(trx);
    }
    await rebuildTallies(trx);
    onProgress('running counts rebuilt');
    return added;
  });
}
