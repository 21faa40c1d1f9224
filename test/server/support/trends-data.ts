/**
 * Two phases of the trends tests (test/fixtures/surveys-trends): governments answer the 2011
 * questionnaire, then the 2012 one as respondents linked to their 2011 selves
 * (`previous_respondent_id`), made here directly as `phase open` would. Every figure the tests
 * assert is read off the table below, never off the code under test.
 *
 * | pair | region | support 2011→2012 | Steering Group row | attended   | chair (2012 code)          | topics 2011 → 2012           |
 * |------|--------|-------------------|--------------------|------------|----------------------------|------------------------------|
 * | 1    | Africa | 2 → 4             | 3 → 4              | yes → yes  | rotating → secretariat     | labour → labour, diaspora    |
 * | 2    | Africa | 3 → 4             | 3 → 4              | no → yes   | rotating → secretariat     | labour → labour, diaspora    |
 * | 3    | Africa | 1 → 4             | 3 → 4              | no → yes   | rotating → mixed           | labour → labour, diaspora    |
 * | 4    | Africa | 4 → 3             | 3 → 4              | no → yes   | permanent → secretariat    | remittances → labour, diaspora |
 * | 5    | Europe | 2 → 5             | 3 → 4              | yes → no   | mixed → secretariat        | labour → labour, diaspora    |
 * | 6    | Europe | 3 → 5             | 3 → 2              | no → yes   | permanent → host           | labour → labour, diaspora    |
 *
 * Besides the pairs: E7 (Africa) answered 2011 only (support 1); L7 (Africa) answered 2012 only
 * (support 5); E8 (Africa, support 1) was carried into 2012 as L8 (support 5), whose 2012 response
 * is excluded, so E8 counts in 2011's figures and the pair in none.
 */
import path from 'node:path';
import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import type { Answers } from '../../../survey-definitions/answers.ts';
import type { Database } from '../../../server/db/schema.ts';
import { syncDefinitions } from '../../../server/surveys/sync-definitions.ts';
import { seedResponses, type Respondent } from './analysis-data.ts';

export const TRENDS_SURVEYS = path.resolve('test/fixtures/surveys-trends');

export async function publishTrendSurveys(db: Kysely<Database>): Promise<void> {
  const report = await syncDefinitions(db, TRENDS_SURVEYS);
  expect(report.problems).toEqual([]);
}

const SUPPORT = [
  [2, 4],
  [3, 4],
  [1, 4],
  [4, 3],
  [2, 5],
  [3, 5],
] as const;
const SG = [
  [3, 4],
  [3, 4],
  [3, 4],
  [3, 4],
  [3, 4],
  [3, 2],
] as const;
const ATTENDED = [
  ['yes', 'yes'],
  ['no', 'yes'],
  ['no', 'yes'],
  ['no', 'yes'],
  ['yes', 'no'],
  ['no', 'yes'],
] as const;
const CHAIR = [
  ['rotating', 'secretariat'],
  ['rotating', 'secretariat'],
  ['rotating', 'mixed'],
  ['permanent', 'secretariat'],
  ['mixed', 'secretariat'],
  ['permanent', 'host'],
] as const;

function earlier(i: number): Answers {
  return {
    a_support: String(SUPPORT[i]![0]),
    a_bodies: { steering_group: String(SG[i]![0]) },
    a_attended: ATTENDED[i]![0],
    a_chair: CHAIR[i]![0],
    a_topics: i === 3 ? ['remittances'] : ['labour'],
  };
}

function later(i: number): Answers {
  return {
    b_support: String(SUPPORT[i]![1]),
    b_bodies: { sg: String(SG[i]![1]) },
    b_attended: ATTENDED[i]![1],
    b_chair: CHAIR[i]![1],
    b_topics: ['labour', 'diaspora'],
  };
}

const region = (i: number) => (i < 4 ? 'Africa' : 'Europe');

/** Seeds both phases and links the 2012 respondents to their 2011 selves; returns response ids by name. */
export async function seedTrendData(db: Kysely<Database>): Promise<Record<string, number>> {
  const first: Respondent[] = [
    ...SUPPORT.map((_, i): Respondent => ({ name: `E${i + 1}`, kind: 'government', region: region(i), answers: earlier(i) })),
    { name: 'E7', kind: 'government', region: 'Africa', answers: { a_support: '1' } },
    { name: 'E8', kind: 'government', region: 'Africa', answers: { a_support: '1' } },
  ];
  const second: Respondent[] = [
    ...SUPPORT.map((_, i): Respondent => ({ name: `L${i + 1}`, kind: 'government', region: region(i), answers: later(i) })),
    { name: 'L7', kind: 'government', region: 'Africa', answers: { b_support: '5' } },
    { name: 'L8', kind: 'government', region: 'Africa', answers: { b_support: '5' }, excluded: 'duplicate' },
  ];
  const ids = { ...(await seedResponses(db, 'trends-2011', first)), ...(await seedResponses(db, 'trends-2012', second)) };
  for (const n of [1, 2, 3, 4, 5, 6, 8]) await linkPhases(db, ids[`E${n}`]!, ids[`L${n}`]!);
  return ids;
}

/** Marks the respondent of `laterResponse` as the same government as that of `earlierResponse`. */
export async function linkPhases(db: Kysely<Database>, earlierResponse: number, laterResponse: number): Promise<void> {
  const respondentOf = async (id: number) =>
    (await db.selectFrom('response').select('respondent_id').where('id', '=', id).executeTakeFirstOrThrow()).respondent_id;
  await db
    .updateTable('respondent')
    .set({ previous_respondent_id: await respondentOf(earlierResponse) })
    .where('id', '=', await respondentOf(laterResponse))
    .execute();
}
