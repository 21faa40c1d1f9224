/**
 * Free-text answers and the tags analysts code them with.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

export interface TextAnswer {
  responseId: number;
  text: string;
  kind: string;
  region: string | null;
  tags: string[];
}

/** `%`, `_` and `\` typed by an analyst are searched for literally. */
function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The answers to one text question as last submitted (responses not excluded; changes saved since
 * are not shown until they are submitted), newest first, optionally searched.
 */
export async function listTextAnswers(
  db: Kysely<Database>,
  surveyId: string,
  questionId: string,
  options: { search?: string; tag?: string; limit: number; offset: number },
): Promise<{ total: number; answers: TextAnswer[] }> {
  let query = db
    .selectFrom('submitted_answer as answer')
    .innerJoin('response', 'response.id', 'answer.response_id')
    .innerJoin('respondent', 'respondent.id', 'response.respondent_id')
    .leftJoin('response_exclusion', 'response_exclusion.response_id', 'response.id')
    .where('respondent.survey_id', '=', surveyId)
    .where('answer.question_id', '=', questionId)
    .where('answer.text', 'is not', null)
    .where('response_exclusion.response_id', 'is', null);
  if (options.search) query = query.where(sql<boolean>`answer.text ilike ${likePattern(options.search)}`);
  if (options.tag) {
    const tag = options.tag;
    query = query.where((eb) =>
      eb.exists(eb.selectFrom('text_tag').select('text_tag.tag').whereRef('text_tag.response_id', '=', 'answer.response_id').where('text_tag.question_id', '=', questionId).where('text_tag.tag', '=', tag)),
    );
  }
  const total = await query.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  const rows = await query
    .select(['answer.response_id', 'answer.text', 'respondent.kind', 'respondent.region'])
    .select(
      sql<string[]>`coalesce((select array_agg(t.tag order by t.tag) from text_tag t where t.response_id = answer.response_id and t.question_id = ${questionId}), '{}')`.as('tags'),
    )
    .orderBy('response.updated_at', 'desc')
    .orderBy('answer.response_id')
    .limit(options.limit)
    .offset(options.offset)
    .execute();
  return {
    total: Number(total.n),
    answers: rows.map((r) => ({ responseId: r.response_id, text: r.text ?? '', kind: r.kind, region: r.region, tags: r.tags })),
  };
}

/** How many answers carry each tag (responses not excluded), most used first. */
export async function countTags(db: Kysely<Database>, surveyId: string, questionId: string): Promise<{ tag: string; count: number }[]> {
  const rows = await db
    .selectFrom('text_tag')
    .innerJoin('response', 'response.id', 'text_tag.response_id')
    .innerJoin('respondent', 'respondent.id', 'response.respondent_id')
    .leftJoin('response_exclusion', 'response_exclusion.response_id', 'response.id')
    .where('respondent.survey_id', '=', surveyId)
    .where('text_tag.question_id', '=', questionId)
    .where('response_exclusion.response_id', 'is', null)
    .select(['text_tag.tag', sql<number>`count(*)::int`.as('n')])
    .groupBy('text_tag.tag')
    .orderBy(sql`count(*)`, 'desc')
    .orderBy('text_tag.tag')
    .execute();
  return rows.map((r) => ({ tag: r.tag, count: Number(r.n) }));
}

/** Adds a tag to an answer (adding it twice changes nothing). */
export async function addTag(db: Kysely<Database>, tag: { responseId: number; questionId: string; tag: string; userId: number }): Promise<void> {
  await db
    .insertInto('text_tag')
    .values({ response_id: tag.responseId, question_id: tag.questionId, tag: tag.tag, tagged_by: tag.userId })
    .onConflict((oc) => oc.columns(['response_id', 'question_id', 'tag']).doNothing())
    .execute();
}

export async function removeTag(db: Kysely<Database>, tag: { responseId: number; questionId: string; tag: string }): Promise<void> {
  await db.deleteFrom('text_tag').where('response_id', '=', tag.responseId).where('question_id', '=', tag.questionId).where('tag', '=', tag.tag).execute();
}
