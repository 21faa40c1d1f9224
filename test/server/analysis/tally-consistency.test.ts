/**
 * The running counts the dashboard reads must always equal what counting the answer rows gives.
 * Respondents of the shipped government questionnaire go through every path that changes what a
 * response contributes (saving in progress, submitting, amending after submission with and
 * without resubmitting, exclusion and inclusion) in random orders; then every figure of the
 * analysis is computed both ways, for several filters and every segment, and must be identical,
 * before and after the server folds the deltas writers append, and a rebuild from scratch must
 * give the very counts kept along the way.
 */
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisFilters, Segment } from '../../../analysis/results.ts';
import { allQuestions, type SurveyDefinition } from '../../../survey-definitions/types.ts';
import {
  scanCountAnsweredByQuestion,
  scanCountAnswersByCode,
  scanCountHiddenByQuestion,
  scanCountNumericValues,
  scanCountRanks,
  scanCountResponses,
} from '../../../server/analysis/analysis.queries.ts';
import {
  tallyAnsweredByQuestion,
  tallyAnswersByCode,
  tallyHiddenByQuestion,
  tallyNumericValues,
  tallyRanks,
  tallyResponses,
} from '../../../server/analysis/tally.queries.ts';
import { answersOfFirstSections, generateValidAnswers } from '../../../server/demo/generate-answers.ts';
import { createRandom, type Random } from '../../../server/demo/random.ts';
import { GFMD_ROLES } from '../../../server/respondents/invitee-csv.ts';
import { countTallyDrift, foldTallyDeltas, rebuildTallies } from '../../../server/db/answer-tally.queries.ts';
import { saveAnswers, submitResponse } from '../../../server/responses/response-service.ts';
import { syncDefinitions } from '../../../server/surveys/sync-definitions.ts';
import { getCurrentSurveyVersion } from '../../../server/surveys/survey-versions.queries.ts';
import { excludeResponse, includeResponse } from '../../../server/tracker/response-exclusions.ts';
import { createTestDatabase, TEST_DATABASE_KIND, type TestDatabase } from '../../support/database.ts';

const SURVEY = 'government-assessment';
const NOW = new Date('2026-12-01T10:00:00Z');
const REGIONS = ['Africa', 'Europe', 'Asia', null] as const;
const KINDS = ['government', 'international_org'] as const;

describe(`the dashboard's running counts (${TEST_DATABASE_KIND})`, () => {
  let handle: TestDatabase;
  let definition: SurveyDefinition;
  let analystId: number;

  beforeAll(async () => {
    handle = await createTestDatabase();
    const report = await syncDefinitions(handle.db, path.resolve('survey-definitions'));
    expect(report.problems).toEqual([]);
    definition = (await getCurrentSurveyVersion(handle.db, SURVEY))!.definition;
    ({ id: analystId } = await handle.db
      .insertInto('app_user')
      .values({ email: 'analyst@example.org', role: 'analyst' })
      .returning('id')
      .executeTakeFirstOrThrow());
  });
  afterAll(() => handle.close());

  const actor = () => ({ userId: analystId, email: 'analyst@example.org' });

  async function respondentWithHistory(random: Random, index: number): Promise<void> {
    const db = handle.db;
    const region = random.pick(REGIONS);
    const roles = GFMD_ROLES.filter(() => random.chance(0.2));
    const { id: respondentId } = await db
      .insertInto('respondent')
      .values({ survey_id: SURVEY, kind: random.pick(KINDS), name: `Respondent ${index}`, region, roles: [...roles], source: 'invitation' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const profile = {
      kind: 'government' as const,
      country: 'KEN',
      region: region ?? 'Africa',
      subregion: 'Eastern Africa',
      roles,
      orgType: null,
      migrantLed: false,
      language: 'en' as const,
    };
    const answers = () => generateValidAnswers(definition, profile, random);
    let revision = 0;
    const save = async (value: ReturnType<typeof answers>) => {
      revision = (await saveAnswers(db, { respondentId, baseRevision: revision, answers: value, scope: 'all', language: 'en', now: NOW })).revision;
    };
    const responseId = async () => (await db.selectFrom('response').select('id').where('respondent_id', '=', respondentId).executeTakeFirstOrThrow()).id;

    await save(answersOfFirstSections(definition, answers(), random.int(1, 3)));
    if (random.chance(0.25)) return; // still in progress
    await save(answers());
    await submitResponse(db, { respondentId, now: NOW });
    if (random.chance(0.4)) {
      await save(answers()); // amended after submission
      if (random.chance(0.5)) await submitResponse(db, { respondentId, now: NOW });
    }
    if (random.chance(0.3)) {
      await excludeResponse(db, { responseId: await responseId(), reason: 'duplicate', actor: actor(), at: NOW });
      if (random.chance(0.3)) await save(answers()); // amended while excluded
      if (random.chance(0.4)) await includeResponse(db, { responseId: await responseId(), actor: actor() });
    }
  }

  async function tallySnapshot(): Promise<string[]> {
    const { rows } = await sql<{
      row: string;
    }>`select concat_ws('|', survey_id, kind, region, roles::text, metric, question_id, item, code, value::text, sum(n)::text) as row
      from (select * from answer_tally union all select * from answer_tally_delta) t
      group by survey_id, kind, region, roles, metric, question_id, item, code, value having sum(n) <> 0 order by 1`.execute(handle.db);
    return rows.map((r) => r.row);
  }

  it('equal the counts of the answer rows for every figure, filter and segment, and a rebuild', async () => {
    const random = createRandom('tally-consistency');
    for (let i = 0; i < 30; i++) await respondentWithHistory(random, i);

    const questions = allQuestions(definition);
    const numeric = questions.filter((q) => q.type === 'numeric').map((q) => q.id);
    const ranking = questions.filter((q) => q.type === 'ranking').map((q) => q.id);
    expect(numeric.length + ranking.length).toBeGreaterThan(0);
    const filterSets: AnalysisFilters[] = [
      {},
      { kind: ['government'] },
      { region: ['Europe', 'Asia'] },
      { role: ['troika', 'steering_group'] },
      { kind: ['international_org'], region: ['Africa'] },
    ];
    const segments: (Segment | undefined)[] = [undefined, 'kind', 'region', 'role'];
    const db = handle.db;
    const submitted = await scanCountResponses(db, SURVEY, {});
    // The history above must have produced every state worth checking.
    expect(submitted.responses).toBeGreaterThan(10);
    expect(submitted.excluded).toBeGreaterThan(0);

    for (const filters of filterSets) {
      expect(await tallyResponses(db, SURVEY, filters), JSON.stringify(filters)).toEqual(await scanCountResponses(db, SURVEY, filters));
      expect(await tallyHiddenByQuestion(db, SURVEY, filters)).toEqual(await scanCountHiddenByQuestion(db, SURVEY, filters));
      expect(await tallyRanks(db, SURVEY, filters, ranking)).toEqual(await scanCountRanks(db, SURVEY, filters, ranking));
      for (const segment of segments) {
        const where = `${JSON.stringify(filters)} by ${segment ?? 'nothing'}`;
        expect(await tallyAnswersByCode(db, SURVEY, filters, segment), where).toEqual(await scanCountAnswersByCode(db, SURVEY, filters, segment));
        expect(await tallyAnsweredByQuestion(db, SURVEY, filters, segment), where).toEqual(await scanCountAnsweredByQuestion(db, SURVEY, filters, segment));
        expect(await tallyNumericValues(db, SURVEY, filters, numeric, segment), where).toEqual(
          await scanCountNumericValues(db, SURVEY, filters, numeric, segment),
        );
      }
    }

    // The server folds the appended deltas into the counts every few seconds: nothing changes.
    expect(await countTallyDrift(db)).toBe(0);
    const folded = await db.transaction().execute((trx) => foldTallyDeltas(trx));
    expect(folded).toBeGreaterThan(100);
    expect(Number((await db.selectFrom('answer_tally_delta').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBe(0);
    for (const filters of filterSets) {
      expect(await tallyAnswersByCode(db, SURVEY, filters, 'region')).toEqual(await scanCountAnswersByCode(db, SURVEY, filters, 'region'));
      expect(await tallyResponses(db, SURVEY, filters)).toEqual(await scanCountResponses(db, SURVEY, filters));
    }
    const kept = await tallySnapshot();
    expect(kept.length).toBeGreaterThan(100);
    await db.transaction().execute((trx) => rebuildTallies(trx));
    expect(await tallySnapshot()).toEqual(kept);
    expect(await countTallyDrift(db)).toBe(0);

    // A count changed behind the writers' back is found, and a rebuild repairs it.
    await sql`update answer_tally set n = n + 1 where metric = 'responses' and kind = 'government'`.execute(db);
    expect(await countTallyDrift(db)).toBeGreaterThan(0);
    await db.transaction().execute((trx) => rebuildTallies(trx));
    expect(await countTallyDrift(db)).toBe(0);
  }, 240_000);

  it('count a response once however often the same revision is submitted, and again after its withdrawal from exclusion', async () => {
    const db = handle.db;
    const before = await tallyResponses(db, SURVEY, {});
    const { id: respondentId } = await db
      .insertInto('respondent')
      .values({ survey_id: SURVEY, kind: 'government', name: 'Twice', region: 'Europe', roles: [], source: 'invitation' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const profile = {
      kind: 'government' as const,
      country: 'FRA',
      region: 'Europe',
      subregion: 'Western Europe',
      roles: [],
      orgType: null,
      migrantLed: false,
      language: 'en' as const,
    };
    await saveAnswers(db, {
      respondentId,
      baseRevision: 0,
      answers: generateValidAnswers(definition, profile, createRandom('twice')),
      scope: 'all',
      language: 'en',
      now: NOW,
    });
    await Promise.all(Array.from({ length: 5 }, () => submitResponse(db, { respondentId, now: NOW })));
    expect(await tallyResponses(db, SURVEY, {})).toEqual({ responses: before.responses + 1, excluded: before.excluded });
    const { id } = await db.selectFrom('response').select('id').where('respondent_id', '=', respondentId).executeTakeFirstOrThrow();
    await excludeResponse(db, { responseId: id, reason: 'test', actor: actor(), at: NOW });
    expect(await tallyResponses(db, SURVEY, {})).toEqual({ responses: before.responses, excluded: before.excluded + 1 });
    await includeResponse(db, { responseId: id, actor: actor() });
    expect(await tallyResponses(db, SURVEY, {})).toEqual({ responses: before.responses + 1, excluded: before.excluded });
  });
});
