/**
 * "Submitted" means the latest submission: respondents of the shipped government questionnaire go
 * through random histories (saves, submissions, amendments submitted again or left unsubmitted,
 * exclusions and inclusions), then every channel that publishes figures of submitted responses
 * (the dashboard's table files, the analysis API, `assess analyze` and the export's tables) must
 * give the counts that a recount of the stored submissions in SQL gives, code by code.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QuestionResult, SurveyAnalysis } from '../../../analysis/results.ts';
import { countryChoices } from '../../../survey-definitions/countries.ts';
import { allQuestions, type SurveyDefinition } from '../../../survey-definitions/types.ts';
import { analyzeSurvey } from '../../../server/analysis/survey-analysis.ts';
import { createApp } from '../../../server/app.ts';
import { analyzeCommand } from '../../../server/cli/analyze.ts';
import type { CliOutput } from '../../../server/cli/cli-database.ts';
import { openDatabase, type DatabaseHandle } from '../../../server/db/connect.ts';
import type { Database } from '../../../server/db/schema.ts';
import { answersOfFirstSections, generateValidAnswers } from '../../../server/demo/generate-answers.ts';
import { createRandom, type Random } from '../../../server/demo/random.ts';
import { GFMD_ROLES } from '../../../server/respondents/invitee-csv.ts';
import { saveAnswers, submitResponse } from '../../../server/responses/response-service.ts';
import { getCurrentSurveyVersion } from '../../../server/surveys/survey-versions.queries.ts';
import { syncDefinitions } from '../../../server/surveys/sync-definitions.ts';
import { excludeResponse, includeResponse } from '../../../server/tracker/response-exclusions.ts';
import { getStateCounts } from '../../../server/tracker/tracker.queries.ts';
import { createTestDatabase, TEST_DATABASE_KIND, type TestDatabase } from '../../support/database.ts';
import { exportBundle, removeBundles } from '../export/support/bundle.ts';
import { TeamMember } from '../support/team-session.ts';

const SURVEY = 'government-assessment';
const SHIPPED = path.resolve('survey-definitions');
const NOW = new Date('2026-12-01T10:00:00Z');
/** Distinct countries (one government each), a few per region. */
const PLACES = countryChoices('un_members')
  .filter((_, i) => i % 4 === 0)
  .map((c) => ({ country: c.code, region: c.region, subregion: c.subregion }));

/** `question|item|code` -> respondents, zero counts left out. */
type Counts = Map<string, number>;
const key = (questionId: string, item: string, code: string) => `${questionId}|${item}|${code}`;

function add(counts: Counts, k: string, n: number | null | undefined): void {
  if (n) counts.set(k, (counts.get(k) ?? 0) + n);
}

/** The per-code counts of an analysis: choice options and every row of scales and matrices. */
function analysisCounts(questions: readonly QuestionResult[]): Counts {
  const counts: Counts = new Map();
  for (const q of questions) {
    if (q.kind === 'choice') for (const o of [...q.options, ...q.nonSubstantive]) add(counts, key(q.questionId, '', o.code), o.count);
    if (q.kind === 'scale')
      for (const row of q.rows) for (const d of [...row.distribution, ...row.nonSubstantive]) add(counts, key(q.questionId, row.code, d.code), d.count);
  }
  return counts;
}

/**
 * Recount from the submissions themselves: for each response (of the survey, not excluded) the
 * answers JSON of the submission of its `submitted_revision`, one count per code given: a
 * string answer, each element of an array, each row of an object (a matrix).
 */
async function recountSubmissions(db: Kysely<Database>, questionIds: readonly string[]): Promise<{ responses: number; counts: Counts }> {
  const latest = sql`
    select s.answers from response p
    join respondent d on d.id = p.respondent_id
    join submission s on s.response_id = p.id and s.revision = p.submitted_revision
    where d.survey_id = ${SURVEY} and not exists (select 1 from response_exclusion x where x.response_id = p.id)`;
  const { rows } = await sql<{ question_id: string; item: string; code: string; n: number }>`
    with latest as (${latest})
    select e.key as question_id, c.item, c.code, count(*)::int as n
    from latest cross join lateral jsonb_each(latest.answers) e(key, value)
    cross join lateral (
      select '' as item, e.value #>> '{}' as code where jsonb_typeof(e.value) = 'string'
      union all
      select '', a.code from jsonb_array_elements_text(case when jsonb_typeof(e.value) = 'array' then e.value else '[]'::jsonb end) a(code)
      union all
      select o.key, o.value from jsonb_each_text(case when jsonb_typeof(e.value) = 'object' then e.value else '{}'::jsonb end) o
    ) c
    where e.key = any(${[...questionIds]}::text[])
    group by 1, 2, 3`.execute(db);
  const total = await sql<{ n: number }>`with latest as (${latest}) select count(*)::int as n from latest`.execute(db);
  const counts: Counts = new Map();
  for (const r of rows) add(counts, key(r.question_id, r.item, r.code), Number(r.n));
  return { responses: Number(total.rows[0]!.n), counts };
}

/** Only the keys of the counted questions, sorted, for readable differences. */
const sorted = (counts: Counts, questionIds: ReadonlySet<string>) =>
  Object.fromEntries([...counts].filter(([k]) => questionIds.has(k.split('|')[0]!)).sort(([a], [b]) => a.localeCompare(b)));

describe(`figures of submitted responses count the latest submission (${TEST_DATABASE_KIND})`, { timeout: 300_000 }, () => {
  let dataDir: string;
  let handle: DatabaseHandle | TestDatabase;
  let definition: SurveyDefinition;
  let analystId: number;
  /** Respondents whose saved answers differ from their latest submission. */
  let amendedNotResubmitted = 0;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'fat-submitted-'));
    // The command line opens the database itself: PostgreSQL by URL, or PGlite in a data folder.
    handle = process.env.TEST_DATABASE_URL ? await createTestDatabase() : await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'data') });
    expect((await syncDefinitions(handle.db, SHIPPED)).problems).toEqual([]);
    definition = (await getCurrentSurveyVersion(handle.db, SURVEY))!.definition;
    ({ id: analystId } = await handle.db
      .insertInto('app_user')
      .values({ email: 'analyst@example.org', role: 'analyst' })
      .returning('id')
      .executeTakeFirstOrThrow());
  });
  afterAll(async () => {
    await handle.close();
    removeBundles();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const actor = () => ({ userId: analystId, email: 'analyst@example.org' });

  async function history(random: Random, index: number): Promise<void> {
    const db = handle.db;
    const place = PLACES[index]!;
    const roles = GFMD_ROLES.filter(() => random.chance(0.2));
    const { id: respondentId } = await db
      .insertInto('respondent')
      .values({
        survey_id: SURVEY,
        kind: 'government',
        name: `Government ${index}`,
        country: place.country,
        region: place.region,
        subregion: place.subregion,
        roles: [...roles],
        source: 'invitation',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const profile = { kind: 'government' as const, ...place, roles, orgType: null, migrantLed: false, language: 'en' as const };
    const answers = () => generateValidAnswers(definition, profile, random);
    let revision = 0;
    const save = async (value: ReturnType<typeof answers>) => {
      revision = (await saveAnswers(db, { respondentId, baseRevision: revision, answers: value, scope: 'all', language: 'en', now: NOW })).revision;
    };
    const responseId = async () => (await db.selectFrom('response').select('id').where('respondent_id', '=', respondentId).executeTakeFirstOrThrow()).id;

    await save(answersOfFirstSections(definition, answers(), random.int(1, 3)));
    if (random.chance(0.2)) return; // in progress, never submitted
    await save(answers());
    await submitResponse(db, { respondentId, now: NOW });
    if (random.chance(0.5)) {
      // An amendment: new answers throughout, or a half-edited draft that drops required answers.
      await save(random.chance(0.5) ? answers() : answersOfFirstSections(definition, answers(), 1));
      if (random.chance(0.4)) await submitResponse(db, { respondentId, now: NOW }).catch(() => undefined);
    }
    if (random.chance(0.25)) {
      await excludeResponse(db, { responseId: await responseId(), reason: 'duplicate', actor: actor(), at: NOW });
      if (random.chance(0.5)) await includeResponse(db, { responseId: await responseId(), actor: actor() });
    }
    const state = await db
      .selectFrom('response')
      .select(['revision', 'submitted_revision'])
      .where('respondent_id', '=', respondentId)
      .executeTakeFirstOrThrow();
    if (state.submitted_revision !== null && state.revision > state.submitted_revision) amendedNotResubmitted += 1;
  }

  it('the dashboard, the API, the command line and the export tables all equal a recount of the submissions', async () => {
    const random = createRandom('submitted-figures');
    for (let i = 0; i < 45; i++) await history(random, i);
    // The histories must include what the rule is about.
    expect(amendedNotResubmitted).toBeGreaterThanOrEqual(5);

    const db = handle.db;
    const counted = allQuestions(definition).filter((q) => ['single_choice', 'yes_no', 'scale', 'multi_choice', 'matrix'].includes(q.type));
    const questionIds = new Set(counted.map((q) => q.id));
    const recount = await recountSubmissions(db, [...questionIds]);
    expect(recount.responses).toBeGreaterThan(20);
    const expected = sorted(recount.counts, questionIds);
    expect(Object.keys(expected).length).toBeGreaterThan(50);

    // The analysis API (what the dashboard page renders) and the dashboard's table files.
    const app = createApp({
      db,
      databaseKind: handle.kind,
      publicUrl: 'https://assess.example.org',
      sessionDays: 1,
      trustProxy: false,
      surveysDir: SHIPPED,
      now: () => NOW,
    });
    const analyst = await TeamMember.signIn({ app, db }, 'analyst', { now: NOW });
    const res = await analyst.get(`/api/surveys/${SURVEY}/analysis`);
    expect(res.status).toBe(200);
    const api = (await res.json()) as SurveyAnalysis;
    expect(api.responses).toBe(recount.responses);
    expect(sorted(analysisCounts(api.questions), questionIds)).toEqual(expected);

    for (const q of counted.filter((x) => x.type === 'single_choice' || x.type === 'yes_no').slice(0, 4)) {
      const file = await analyst.get(`/admin/dashboard/${SURVEY}/${q.id}.csv`);
      expect(file.status, q.id).toBe(200);
      const rows = Papa.parse<Record<string, string>>((await file.text()).replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true, delimiter: ',' }).data;
      const fromCsv: Counts = new Map();
      for (const row of rows) add(fromCsv, key(q.id, '', row['option']!), Number(row['respondents']));
      expect(sorted(fromCsv, new Set([q.id])), q.id).toEqual(sorted(recount.counts, new Set([q.id])));
    }

    // The tracker counts what was amended and not submitted again.
    const [overall] = await getStateCounts(db, SURVEY, 'overall');
    expect(overall!.amended).toBe(amendedNotResubmitted);

    // The export's tables: every published count of all governments in all regions.
    const bundle = await exportBundle(db, { surveyId: SURVEY, k: 3 });
    const fromTables: Counts = new Map();
    let published = 0;
    for (const cell of bundle.csv('tables-restricted.csv').rows) {
      if (cell['kind'] !== 'all' || cell['region'] !== 'all' || cell['code']!.startsWith('_') || !questionIds.has(cell['question_id']!)) continue;
      if (cell['count'] === '.s') continue;
      published += 1;
      add(fromTables, key(cell['question_id']!, cell['item']!, cell['code']!), Number(cell['count']));
    }
    expect(published).toBeGreaterThan(50);
    for (const [k, n] of fromTables) expect(expected[k] ?? 0, k).toBe(n);

    // The command line, as the person holding the database runs it.
    if (!process.env.TEST_DATABASE_URL) await handle.close();
    const env = process.env.TEST_DATABASE_URL ? { DATABASE_URL: (handle as TestDatabase).url! } : { DATA_DIR: path.join(dataDir, 'data') };
    const out: string[] = [];
    const output: CliOutput = { log: (line) => out.push(line), error: (line) => out.push(line), write: (text) => out.push(text) };
    expect(await analyzeCommand({ survey: SURVEY, json: true }, output, env)).toBe(0);
    const cli = JSON.parse(out.join('')) as SurveyAnalysis;
    expect(cli.responses).toBe(recount.responses);
    expect(sorted(analysisCounts(cli.questions), questionIds)).toEqual(expected);
    if (!process.env.TEST_DATABASE_URL) handle = await openDatabase({ kind: 'pglite', dataDir: path.join(dataDir, 'data') });
  });

  it('saving changes to a submitted response changes no figure until it is submitted again', async () => {
    const db = handle.db;
    const counted = allQuestions(definition).filter((q) => q.type === 'single_choice' || q.type === 'yes_no');
    const questionIds = new Set(counted.map((q) => q.id));
    const place = PLACES[PLACES.length - 1]!;
    const { id: respondentId } = await db
      .insertInto('respondent')
      .values({ survey_id: SURVEY, kind: 'government', name: 'Amending government', ...place, roles: [], source: 'invitation' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const random = createRandom('amending');
    const profile = { kind: 'government' as const, ...place, roles: [], orgType: null, migrantLed: false, language: 'en' as const };
    const first = generateValidAnswers(definition, profile, random);
    await saveAnswers(db, { respondentId, baseRevision: 0, answers: first, scope: 'all', language: 'en', now: NOW });
    await submitResponse(db, { respondentId, now: NOW });
    const figures = async (status: 'submitted' | 'all') =>
      sorted(analysisCounts((await analyzeSurvey(db, SURVEY, { status }, { role: 'analyst' })).questions), questionIds);
    const submitted = await figures('submitted');
    const all = await figures('all');

    // A half-edited draft: only the first section kept, so required answers are missing.
    const draft = answersOfFirstSections(definition, generateValidAnswers(definition, profile, random), 1);
    await saveAnswers(db, { respondentId, baseRevision: 1, answers: draft, scope: 'all', language: 'en', now: NOW });
    expect(await figures('submitted')).toEqual(submitted);
    // `status=all` counts the latest saved answers of every response: the draft's.
    expect(await figures('all')).not.toEqual(all);
    await expect(submitResponse(db, { respondentId, now: NOW })).rejects.toMatchObject({ code: 'validation' });
    expect(await figures('submitted')).toEqual(submitted);

    // Completed and submitted again, the amendment replaces the earlier submission in every figure.
    const complete = generateValidAnswers(definition, profile, random);
    await saveAnswers(db, { respondentId, baseRevision: 2, answers: complete, scope: 'all', language: 'en', now: NOW });
    await submitResponse(db, { respondentId, now: NOW });
    const after = await figures('submitted');
    const expected = { ...submitted };
    const bump = (answers: typeof first, sign: 1 | -1) => {
      for (const id of questionIds) {
        const code = answers[id];
        if (typeof code !== 'string') continue;
        const k = key(id, '', code);
        expected[k] = (expected[k] ?? 0) + sign;
        if (expected[k] === 0) delete expected[k];
      }
    };
    bump(first, -1);
    bump(complete, 1);
    expect(after).toEqual(Object.fromEntries(Object.entries(expected).sort(([a], [b]) => a.localeCompare(b))));
  });
});
