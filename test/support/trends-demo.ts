/**
 * Fills a data folder with a synthetic population of the trends test questionnaires
 * (test/fixtures/surveys-trends), to look at the Trends page: 60 governments answer 2011, 48 of
 * them are carried into 2012 (linked as `phase open` links them) and answer again, mostly a little
 * more favourably, and 10 governments answer 2012 only. SYNTHETIC data, for trying the page.
 *
 *   node --import tsx test/support/trends-demo.ts /tmp/trends-demo-data
 *   DATA_DIR=/tmp/trends-demo-data SURVEYS_DIR=test/fixtures/surveys-trends PORT=3107 npm start
 */
import path from 'node:path';
import { openDatabase } from '../../server/db/connect.ts';
import { createRandom } from '../../server/demo/random.ts';
import { saveAnswers, submitResponse } from '../../server/responses/response-service.ts';
import { syncDefinitions } from '../../server/surveys/sync-definitions.ts';
import type { Answers } from '../../survey-definitions/answers.ts';

const REGIONS = ['Africa', 'Americas', 'Asia', 'Europe', 'Oceania'];
const NOW = new Date('2026-03-02T09:00:00Z');
const dataDir = process.argv[2];
if (!dataDir) throw new Error('Usage: node --import tsx test/support/trends-demo.ts <data folder>');

const random = createRandom('trends-demo');
const pick = <T>(items: readonly T[]): T => items[Math.floor(random.next() * items.length)]!;
const clamp = (value: number) => String(Math.min(5, Math.max(1, value)));
/** A 2011 view: 1 to 5, centred on 3. */
const view = () => 1 + Math.floor(random.next() * 5);
/** The same view a year later: up one point half the time, down one a sixth of the time. */
const drift = (code: string) => {
  const r = random.next();
  return clamp(Number(code) + (r < 0.5 ? 1 : r < 0.67 ? -1 : 0));
};

function earlierAnswers(): Answers {
  return {
    a_support: String(view()),
    a_bodies: { troika: String(view()), steering_group: String(view()) },
    a_attended: pick(['yes', 'no', 'no', 'dk']),
    a_chair: pick(['rotating', 'rotating', 'permanent', 'mixed', 'dk']),
    a_topics: ['labour', 'remittances', 'diaspora']
      .filter(() => random.next() < 0.5)
      .concat('labour')
      .filter((v, i, all) => all.indexOf(v) === i),
    a_staff: Math.floor(random.next() * 40),
  };
}

function laterAnswers(before: Answers): Answers {
  const bodies = before['a_bodies'] as Record<string, string>;
  const chair = { rotating: 'host', permanent: 'secretariat', mixed: 'mixed', dk: 'dk' }[before['a_chair'] as string] ?? 'mixed';
  return {
    b_support: drift(before['a_support'] as string),
    b_bodies: { troika: drift(bodies['troika']!), sg: drift(bodies['steering_group']!) },
    b_attended: random.next() < 0.3 ? 'yes' : (before['a_attended'] as string),
    b_chair: random.next() < 0.25 ? pick(['secretariat', 'mixed']) : chair,
    b_topics: [...(before['a_topics'] as string[]), ...(random.next() < 0.6 ? ['diaspora'] : [])].filter((v, i, all) => all.indexOf(v) === i),
    b_staff: Math.floor(random.next() * 40),
    b_new: pick(['yes', 'no']),
  };
}

const handle = await openDatabase({ kind: 'pglite', dataDir: path.resolve(dataDir) });
const db = handle.db;
await syncDefinitions(db, path.resolve('test/fixtures/surveys-trends'));
async function respond(surveyId: string, name: string, region: string, answers: Answers, previous?: number): Promise<number> {
  const { id } = await db
    .insertInto('respondent')
    .values({
      survey_id: surveyId,
      kind: 'government',
      name,
      region,
      roles: random.next() < 0.3 ? ['steering_group'] : [],
      source: 'invitation',
      previous_respondent_id: previous ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await saveAnswers(db, { respondentId: id, baseRevision: 0, answers, scope: 'all', language: 'en', now: NOW });
  await submitResponse(db, { respondentId: id, now: NOW });
  return id;
}
for (let i = 0; i < 60; i += 1) {
  const region = pick(REGIONS);
  const before = earlierAnswers();
  const earlier = await respond('trends-2011', `Government ${i + 1}`, region, before);
  if (i < 48) await respond('trends-2012', `Government ${i + 1}`, region, laterAnswers(before), earlier);
}
for (let i = 60; i < 70; i += 1) await respond('trends-2012', `Government ${i + 1}`, pick(REGIONS), laterAnswers(earlierAnswers()));
await handle.close();
console.log(`SYNTHETIC trends data written to ${dataDir}: 60 governments in 2011, 58 in 2012, 48 of them in both.`);
