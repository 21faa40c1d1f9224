/**
 * Hand-built responses for the analysis tests, saved and submitted through the respondent's own
 * path (saveAnswers, submitResponse), so the answer rows and skip logic are the real ones. Every
 * figure the tests assert is read off the tables below, never off the code under test.
 *
 * @example
 *   const handle = await createTestDatabase();
 *   await publishAnalysisSurveys(handle.db);
 *   const ids = await seedBaseData(handle.db);
 */
import { withTally } from '../../../server/db/answer-tally.queries.ts';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import type { Answers } from '../../../survey-definitions/answers.ts';
import { definitionHash } from '../../../survey-definitions/load-definitions.ts';
import type { SurveyDefinition } from '../../../survey-definitions/types.ts';
import type { Database } from '../../../server/db/schema.ts';
import { saveAnswers, submitResponse } from '../../../server/responses/response-service.ts';
import { syncDefinitions } from '../../../server/surveys/sync-definitions.ts';
import { getCurrentSurveyVersion, publishSurveyVersion } from '../../../server/surveys/survey-versions.queries.ts';

/** `analysis-gov` (governments and international organisations) and `analysis-cs` (civil society). */
export const ANALYSIS_SURVEYS = path.resolve('test/fixtures/surveys-analysis');
/** Inside both questionnaires' window. */
export const ANALYSIS_NOW = new Date('2026-03-02T09:00:00Z');

export interface Respondent {
  /** A name for the test to refer to the response by. */
  name: string;
  kind: 'government' | 'civil_society' | 'international_org';
  region?: string | null;
  roles?: string[];
  answers: Answers;
  /** Submitted unless said otherwise. */
  status?: 'submitted' | 'in_progress';
  /** The reason it is excluded from the analysis, if it is. */
  excluded?: string;
}

export async function publishAnalysisSurveys(db: Kysely<Database>): Promise<void> {
  const report = await syncDefinitions(db, ANALYSIS_SURVEYS);
  expect(report.problems).toEqual([]);
}

/** Saves (and submits, or excludes) each respondent's answers; returns response ids by name. */
export async function seedResponses(db: Kysely<Database>, surveyId: string, respondents: readonly Respondent[]): Promise<Record<string, number>> {
  const ids: Record<string, number> = {};
  for (const r of respondents) {
    const { id: respondentId } = await db
      .insertInto('respondent')
      .values({ survey_id: surveyId, kind: r.kind, name: r.name, region: r.region ?? null, roles: r.roles ?? [], source: 'invitation' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await saveAnswers(db, { respondentId, baseRevision: 0, answers: r.answers, scope: 'all', language: 'en', now: ANALYSIS_NOW });
    if ((r.status ?? 'submitted') === 'submitted') await submitResponse(db, { respondentId, now: ANALYSIS_NOW });
    const { id } = await db.selectFrom('response').select('id').where('respondent_id', '=', respondentId).executeTakeFirstOrThrow();
    if (r.excluded) {
      // As the tracker's exclusion does: the response's counts move to `excluded` in the same transaction.
      await db
        .transaction()
        .execute((trx) =>
          withTally(trx, [id], (r.status ?? 'submitted') === 'submitted', () =>
            trx.insertInto('response_exclusion').values({ response_id: id, reason: r.excluded! }).execute(),
          ),
        );
    }
    ids[r.name] = id;
  }
  return ids;
}

/** Publishes a changed copy of a survey's current definition as its new current version. */
export async function publishChangedVersion(db: Kysely<Database>, surveyId: string, change: (definition: SurveyDefinition) => void): Promise<number> {
  const current = await getCurrentSurveyVersion(db, surveyId);
  if (!current) throw new Error(`${surveyId} is not published`);
  const definition = structuredClone(current.definition);
  change(definition);
  const { versionId } = await db.transaction().execute((trx) => publishSurveyVersion(trx, definition, definitionHash(definition)));
  return versionId;
}

/** The label of `rotating` in version 2 of analysis-gov (version 1 says "A host government each year"). */
export const ROTATING_V2 = 'A host government, changing every year';

/**
 * The base data set (analysis-gov). R1–R5 answer version 1; then version 2 renames `rotating`;
 * R6–R8 answer version 2. Blank cells were not answered.
 *
 * | name | kind  | region   | roles          | status      | attended | meetings        | chair     | support | bodies (troika/steering/friends) | staff | priorities              | comment          |
 * |------|-------|----------|----------------|-------------|----------|-----------------|-----------|---------|----------------------------------|-------|-------------------------|------------------|
 * | R1   | gov   | Africa   | troika         | submitted   | yes      | m2009 m2010     | rotating  | 3       | 5 / 4 / dk                        | 10    | labour remittances      | "More follow-up…"|
 * | R2   | gov   | Africa   | steering_group | submitted   | yes      | m2010           | rotating  | 5       | 4 / 4 /                           | 20    | remittances labour diaspora |              |
 * | R3   | gov   | Africa   |                | submitted   | no       | (hidden)        | permanent | dk      |                                   | 10    |                         |                  |
 * | R4   | gov   | Europe   | troika, steering_group | submitted | yes | m2008 m2009 m2010 | dk      | 2       | 3 / /                             |       | diaspora                | "Too many side events." |
 * | R5   | gov   | Asia     |                | in progress | yes      | m2010           | rotating  | 1       |                                   |       |                         |                  |
 * | R6   | IO    | Europe   |                | submitted   | dk       | (hidden)        | permanent | 3       |                                   | 35    |                         |                  |
 * | R7   | gov   | Americas |                | excluded    | yes      | m2010           | rotating  | 5       |                                   |       |                         | "Spam follow-up" |
 * | R8   | gov   | Africa   |                | submitted   | yes      | (missing)       | rotating  | 4       |                                   |       |                         |                  |
 *
 * R1's comment is tagged `follow_up`.
 */
export const BASE_VERSION_1: readonly Respondent[] = [
  {
    name: 'R1',
    kind: 'government',
    region: 'Africa',
    roles: ['troika'],
    answers: {
      g_attended: 'yes',
      g_meetings: ['m2009', 'm2010'],
      g_chair: 'rotating',
      g_support: '3',
      g_bodies: { troika: '5', steering_group: '4', friends: 'dk' },
      g_staff: 10,
      g_priorities: ['labour', 'remittances'],
      g_comment: 'More follow-up between meetings.',
    },
  },
  {
    name: 'R2',
    kind: 'government',
    region: 'Africa',
    roles: ['steering_group'],
    answers: {
      g_attended: 'yes',
      g_meetings: ['m2010'],
      g_chair: 'rotating',
      g_support: '5',
      g_bodies: { troika: '4', steering_group: '4' },
      g_staff: 20,
      g_priorities: ['remittances', 'labour', 'diaspora'],
    },
  },
  { name: 'R3', kind: 'government', region: 'Africa', answers: { g_attended: 'no', g_chair: 'permanent', g_support: 'dk', g_staff: 10 } },
  {
    name: 'R4',
    kind: 'government',
    region: 'Europe',
    roles: ['troika', 'steering_group'],
    answers: {
      g_attended: 'yes',
      g_meetings: ['m2008', 'm2009', 'm2010'],
      g_chair: 'dk',
      g_support: '2',
      g_bodies: { troika: '3' },
      g_priorities: ['diaspora'],
      g_comment: 'Too many side events.',
    },
  },
  {
    name: 'R5',
    kind: 'government',
    region: 'Asia',
    status: 'in_progress',
    answers: { g_attended: 'yes', g_meetings: ['m2010'], g_chair: 'rotating', g_support: '1' },
  },
];

export const BASE_VERSION_2: readonly Respondent[] = [
  { name: 'R6', kind: 'international_org', region: 'Europe', answers: { g_attended: 'dk', g_chair: 'permanent', g_support: '3', g_staff: 35 } },
  {
    name: 'R7',
    kind: 'government',
    region: 'Americas',
    excluded: 'duplicate of another response',
    answers: { g_attended: 'yes', g_meetings: ['m2010'], g_chair: 'rotating', g_support: '5', g_comment: 'Spam follow-up' },
  },
  { name: 'R8', kind: 'government', region: 'Africa', answers: { g_attended: 'yes', g_chair: 'rotating', g_support: '4' } },
];

/** Seeds the base data set (both versions) and tags R1's comment; returns response ids by name. */
export async function seedBaseData(db: Kysely<Database>): Promise<Record<string, number>> {
  const first = await seedResponses(db, 'analysis-gov', BASE_VERSION_1);
  await publishChangedVersion(db, 'analysis-gov', (definition) => {
    definition.version = '2';
    for (const q of definition.sections.flatMap((s) => s.questions)) {
      if (q.type === 'single_choice') for (const o of q.options) if (o.code === 'rotating') o.label = { ...o.label, en: ROTATING_V2 };
    }
  });
  const second = await seedResponses(db, 'analysis-gov', BASE_VERSION_2);
  await db.insertInto('text_tag').values({ response_id: first.R1!, question_id: 'g_comment', tag: 'follow_up' }).execute();
  return { ...first, ...second };
}

const supportValues = (values: number[]) => values.map(String);

/**
 * The comparison data set: 10 governments and 7 international organisations answer analysis-gov,
 * 7 civil society organisations answer analysis-cs; everyone said "no" to g_attended.
 *
 * | group                   | region          | chair (rotating / permanent / none) | support (scale values)   |
 * |-------------------------|-----------------|-------------------------------------|--------------------------|
 * | governments G1–G10      | G1–G8 Africa, G9–G10 Europe | 8 / 2 / 0 (G9, G10 permanent) | G1–G6: 3 4 4 3 4 1; G7–G10 none |
 * | internat. orgs I1–I7    | none            | 1 / 5 / 1 (I1 rotating, I7 none)    | 2 5 1 4 2 2 1            |
 * | civil society C1–C7     | none            | 1 / 5 / 1 (C1 rotating, C7 none)    | 2 5 1 4 2 2 1            |
 *
 * The support values are the first Mann-Whitney case of test/analysis/reference-vectors.json
 * and the chair table [[8, 2], [1, 5]] its first Fisher case.
 */
export function comparisonData(): { governments: Respondent[]; organisations: Respondent[]; civilSociety: Respondent[] } {
  const govSupport = supportValues([3, 4, 4, 3, 4, 1]);
  const otherSupport = supportValues([2, 5, 1, 4, 2, 2, 1]);
  const governments = Array.from(
    { length: 10 },
    (_, i): Respondent => ({
      name: `G${i + 1}`,
      kind: 'government',
      region: i < 8 ? 'Africa' : 'Europe',
      answers: { g_attended: 'no', g_chair: i < 8 ? 'rotating' : 'permanent', ...(i < 6 ? { g_support: govSupport[i]! } : {}) },
    }),
  );
  const others = (prefix: string, questions: { chair: string; support: string }) =>
    otherSupport.map(
      (support, i): Respondent => ({
        name: `${prefix}${i + 1}`,
        kind: prefix === 'I' ? 'international_org' : 'civil_society',
        answers: {
          ...(prefix === 'I' ? { g_attended: 'no' } : {}),
          ...(i === 0 ? { [questions.chair]: 'rotating' } : i < 6 ? { [questions.chair]: 'permanent' } : {}),
          [questions.support]: support,
        },
      }),
    );
  return {
    governments,
    organisations: others('I', { chair: 'g_chair', support: 'g_support' }),
    civilSociety: others('C', { chair: 'c_chair', support: 'c_support' }),
  };
}

/** Seeds the comparison data set into both questionnaires. */
export async function seedComparisonData(db: Kysely<Database>): Promise<void> {
  const { governments, organisations, civilSociety } = comparisonData();
  await seedResponses(db, 'analysis-gov', [...governments, ...organisations]);
  await seedResponses(db, 'analysis-cs', civilSociety);
}
