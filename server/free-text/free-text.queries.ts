/**
 * Free-text answers and the tags analysts code them with. Which answers a text question has, and
 * how they are searched, is defined once in server/analysis/text-answers.queries.ts.
 */
import { sql, type Kysely } from 'kysely';
import { answerTags, textAnswerRows, type AnalysisText, type TextAnswerQuery } from '../analysis/text-answers.queries.ts';
import type { Db } from '../db/db.ts';
import type { Database } from '../db/schema.ts';

/** An answer to a text question as the free-text page lists it: with its respondent's kind and region. */
export interface TextAnswer extends AnalysisText {
  kind: string;
  region: string | null;
}

/**
 * The free-text page: the answers to one text question as last submitted (responses not excluded;
 * changes saved since are not shown until they are submitted), optionally searched or narrowed to
 * a tag, newest first: one page of them, and how many there are in all.
 */
export async function listTextAnswers(
  db: Db,
  surveyId: string,
  questionId: string,
  options: { search?: string; tag?: string; limit: number; offset: number },
): Promise<{ total: number; answers: TextAnswer[] }> {
  const query: TextAnswerQuery = { status: 'submitted', ...(options.search ? { search: options.search } : {}), ...(options.tag ? { tag: options.tag } : {}) };
  const total = await textAnswerRows(db, surveyId, questionId, query).select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  const rows = await textAnswerRows(db, surveyId, questionId, query)
    .innerJoin('response', 'response.id', 'answer.response_id')
    .innerJoin('respondent', 'respondent.id', 'response.respondent_id')
    .select(['answer.response_id', 'answer.text', 'respondent.kind', 'respondent.region', answerTags.as('tags')])
    .orderBy('response.updated_at', 'desc')
    .orderBy('answer.response_id')
    .limit(options.limit)
    .offset(options.offset)
    .execute();
  return {
    total: Number(total.n),
    answers: rows.map((r) => ({ responseId: r.response_id, text: r.text ?? '', kind: r.kind, region: r.region, tags: r.tags ?? [] })),
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
