/**
 * Which answers a text question has, and how they are searched: defined once here for both
 * readers, the analysis results ({@link listAnalysisTexts}) and the free-text page
 * (server/free-text/free-text.queries.ts).
 */
import { sql } from 'kysely';
import type { AnalysisFilters } from '../../analysis/results.ts';
import type { Db } from '../db/db.ts';
import { coveredAnswers } from './analysis.queries.ts';

/** An answer to a text question with the team's tags (sorted). */
export interface AnalysisText {
  responseId: number;
  text: string;
  tags: string[];
}

/** Which answers to a text question are read. */
export interface TextAnswerQuery {
  /** `submitted`: each response's latest submission; `all`: the latest saved answers of every response. */
  status: 'submitted' | 'all';
  /** The respondents' kind, region and roles (any of each list); none: every respondent. */
  filters?: Omit<AnalysisFilters, 'status'>;
  /** Keeps the answers containing it, in any case; `%`, `_` and `\` are searched for literally. */
  search?: string;
  /** Keeps the answers the team tagged with it. */
  tag?: string;
}

/** `%`, `_` and `\` typed by an analyst are searched for literally. */
function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The answers to one text question, as `answer` (the response's id and segment as `r`): of the
 * survey's responses (all versions) that are not excluded, with the status and filters asked for,
 * searched with an escaped, case-insensitive ILIKE. The "please specify" text of a choice option
 * (a row with a code) is not an answer to a text question.
 */
export function textAnswerRows(db: Db, surveyId: string, questionId: string, query: TextAnswerQuery) {
  let rows = coveredAnswers(db, surveyId, { ...query.filters, status: query.status }, undefined, [questionId])
    .where('answer.code', 'is', null)
    .where('answer.text', 'is not', null);
  if (query.search) rows = rows.where(sql<boolean>`answer.text ilike ${likePattern(query.search)}`);
  const tag = query.tag;
  if (tag) {
    rows = rows.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('text_tag')
          .select('text_tag.tag')
          .whereRef('text_tag.response_id', '=', 'answer.response_id')
          .whereRef('text_tag.question_id', '=', 'answer.question_id')
          .where('text_tag.tag', '=', tag),
      ),
    );
  }
  return rows;
}

/** The tags of an answer of {@link textAnswerRows}, sorted; an empty array when it has none. */
export const answerTags = sql<
  string[]
>`array(select t.tag from text_tag t where t.response_id = answer.response_id and t.question_id = answer.question_id order by t.tag)`;

/**
 * What respondents wrote in a text question (with the team's tags), for the responses the figures
 * cover: `filters`, submitted responses unless `status: 'all'`. For analysts only: the routes never
 * call it for observers. Optionally searched (see {@link TextAnswerQuery}); ordered by response
 * id, at most `limit` (default 500).
 */
export async function listAnalysisTexts(
  db: Db,
  surveyId: string,
  filters: AnalysisFilters,
  questionId: string,
  options: { limit?: number; search?: string } = {},
): Promise<AnalysisText[]> {
  const { status = 'submitted', ...respondents } = filters;
  const rows = await textAnswerRows(db, surveyId, questionId, { status, filters: respondents, ...(options.search ? { search: options.search } : {}) })
    .select(['answer.response_id', 'answer.text', answerTags.as('tags')])
    .orderBy('answer.response_id')
    .limit(options.limit ?? 500)
    .execute();
  return rows.map((r) => ({ responseId: r.response_id, text: r.text ?? '', tags: r.tags ?? [] }));
}
