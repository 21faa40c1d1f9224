import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countryChoices } from '../../../survey-definitions/countries.ts';
import type { SurveyDefinition } from '../../../survey-definitions/types.ts';
import { validateAnswers } from '../../../survey-definitions/validate-answers.ts';
import { hiddenQuestions } from '../../../survey-definitions/visibility.ts';
import type { CliOutput } from '../../../server/cli/cli-database.ts';
import { demoCommand } from '../../../server/cli/demo.ts';
import { progressBar } from '../../../server/cli/progress-bar.ts';
import { demoCounts } from '../../../server/demo/demo-population.ts';
import { writeDemoData } from '../../../server/demo/write-demo.ts';
import { AppError } from '../../../server/errors.ts';
import { answerRows } from '../../../server/db/answer-rows.ts';
import { getSurveyVersion } from '../../../server/surveys/survey-versions.queries.ts';
import { syncDefinitions } from '../../../server/surveys/sync-definitions.ts';
import { createTestDatabase, TEST_DATABASE_KIND, type TestDatabase } from '../../support/database.ts';
import { assess } from '../support/assess-cli.ts';

const ROOT = path.resolve('.');
const SHIPPED_SURVEYS = path.join(ROOT, 'survey-definitions');

/** The questionnaires of the first phase (2011); the demo carries their respondents into the 2012 stocktake. */
const FIRST_PHASE = ['government-assessment', 'civil-society-survey'];

describe(`writeDemoData (${TEST_DATABASE_KIND})`, { timeout: 120_000 }, () => {
  let handle: TestDatabase;
  beforeEach(async () => {
    handle = await createTestDatabase();
    expect((await syncDefinitions(handle.db, SHIPPED_SURVEYS)).problems).toEqual([]);
  });
  afterEach(() => handle.close());

  const count = async (table: 'respondent' | 'invitation' | 'response' | 'response_revision' | 'submission' | 'answer') =>
    (await handle.db.selectFrom(table).select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n;

  it('writes 60 responses with their invitations, revisions, answer rows and submissions', async () => {
    const progress: number[] = [];
    const result = await writeDemoData(handle.db, { responses: 60, seed: 'test', batchSize: 20, onProgress: (done) => progress.push(done) });
    const expected = demoCounts(60, 193);
    expect(expected).toMatchObject({ governmentResponses: 15, civilSocietyResponses: 45 });

    const everyone = await handle.db
      .selectFrom('respondent')
      .select(['id', 'kind', 'country', 'roles', 'org_type', 'survey_id', 'previous_respondent_id', 'source', 'email'])
      .execute();
    const respondents = everyone.filter((r) => FIRST_PHASE.includes(r.survey_id));
    const governments = respondents.filter((r) => r.kind === 'government');
    expect(governments).toHaveLength(193);
    expect(new Set(governments.map((g) => g.country)).size).toBe(193);
    expect(new Set(governments.map((g) => g.country))).toEqual(new Set(countryChoices('un_members').map((c) => c.code)));
    expect(governments.filter((g) => g.roles.includes('steering_group'))).toHaveLength(35);
    expect(
      governments
        .filter((g) => g.roles.includes('troika'))
        .map((g) => g.country)
        .sort(),
    ).toEqual(['BEL', 'CHE', 'GRC', 'MEX', 'PHL', 'SWE']);
    expect(governments.filter((g) => g.roles.includes('assessment_team'))).toHaveLength(13);
    const organisations = respondents.filter((r) => r.kind === 'civil_society');
    expect(organisations).toHaveLength(expected.civilSocietyInvited);
    expect(organisations.every((o) => o.survey_id === 'civil-society-survey' && o.org_type !== null)).toBe(true);
    expect(await count('invitation')).toBe(everyone.length);

    // The second phase: every first-phase invitee carried into the stocktake as the same government
    // or organisation (phase open), none twice, but for organisations that registered themselves
    // without an e-mail address (nobody could send them their new link); most of those who
    // submitted answer again.
    const carried = everyone.filter((r) => !FIRST_PHASE.includes(r.survey_id));
    const byId = new Map(everyone.map((r) => [r.id, r]));
    const reachable = respondents.filter((r) => r.source === 'invitation' || r.email !== null);
    expect(reachable.length).toBeLessThan(respondents.length);
    expect(carried).toHaveLength(reachable.length);
    for (const r of carried) {
      const before = byId.get(r.previous_respondent_id!)!;
      expect({ survey: r.survey_id, kind: r.kind, country: r.country, roles: r.roles }).toEqual({
        survey: before.kind === 'government' ? 'government-stocktake' : 'civil-society-stocktake',
        kind: before.kind,
        country: before.country,
        roles: before.roles,
      });
    }
    expect(new Set(carried.map((r) => r.previous_respondent_id)).size).toBe(carried.length);
    expect(result.laterPhases.map((p) => [p.surveyId, p.fromSurveyId, p.carried])).toEqual([
      ['government-stocktake', 'government-assessment', 193],
      ['civil-society-stocktake', 'civil-society-survey', reachable.filter((r) => r.kind === 'civil_society').length],
    ]);

    const allResponses = await handle.db
      .selectFrom('response')
      .innerJoin('respondent', 'respondent.id', 'response.respondent_id')
      .select([
        'response.id',
        'response.status',
        'response.revision',
        'response.submitted_revision',
        'response.submitted_at',
        'response.survey_version_id',
        'response.hidden_questions',
        'respondent.kind',
        'respondent.survey_id',
      ])
      .execute();
    const responses = allResponses.filter((r) => FIRST_PHASE.includes(r.survey_id));
    expect(responses).toHaveLength(60);
    const later = allResponses.filter((r) => !FIRST_PHASE.includes(r.survey_id));
    expect(later).toHaveLength(result.laterPhases.reduce((n, p) => n + p.submitted + p.inProgress, 0));
    // Most of those who submitted in 2011 answer again (80% of governments, 65% of organisations);
    // of the others, about one in twenty.
    const submittedBefore = new Set(
      (
        await handle.db
          .selectFrom('response')
          .innerJoin('respondent', 'respondent.id', 'response.respondent_id')
          .select('respondent.id')
          .where('response.status', '=', 'submitted')
          .where('respondent.survey_id', 'in', FIRST_PHASE)
          .execute()
      ).map((r) => r.id),
    );
    const answeredLater = new Set(
      (
        await handle.db
          .selectFrom('response')
          .innerJoin('respondent', 'respondent.id', 'response.respondent_id')
          .select('respondent.previous_respondent_id')
          .where('respondent.survey_id', 'not in', FIRST_PHASE)
          .execute()
      ).map((r) => r.previous_respondent_id!),
    );
    const again = [...submittedBefore].filter((id) => answeredLater.has(id)).length / submittedBefore.size;
    const late = [...answeredLater].filter((id) => !submittedBefore.has(id)).length / (respondents.length - submittedBefore.size);
    expect(again).toBeGreaterThan(0.5);
    expect(again).toBeLessThan(0.95);
    expect(late).toBeLessThan(0.12);
    expect(responses.filter((r) => r.kind === 'government')).toHaveLength(15);
    const submitted = responses.filter((r) => r.status === 'submitted');
    expect(submitted).toHaveLength(Math.round(15 * 0.8) + Math.round(45 * 0.8));
    expect(await count('submission')).toBe(submitted.length + later.filter((r) => r.status === 'submitted').length);
    expect(await count('response_revision')).toBe(allResponses.length);
    expect(result.government).toMatchObject({ surveyId: 'government-assessment', invited: 193, submitted: 12, inProgress: 3 });
    expect(result.civilSociety).toMatchObject({ surveyId: 'civil-society-survey', invited: expected.civilSocietyInvited, submitted: 36, inProgress: 9 });
    expect(progress.at(-1)).toBe(60);

    // Every stored response matches its answers: rows, hidden questions, a valid submission.
    const revisions = await handle.db.selectFrom('response_revision').select(['response_id', 'answers']).execute();
    const stored = await handle.db.selectFrom('answer').select(['response_id', 'question_id', 'item', 'code', 'number', 'text']).execute();
    const firstIds = new Set(responses.map((r) => r.id));
    expect(stored.filter((r) => firstIds.has(r.response_id))).toHaveLength(result.answerRows);
    const definitions = new Map<number, SurveyDefinition>();
    for (const id of new Set(allResponses.map((r) => r.survey_version_id))) definitions.set(id, (await getSurveyVersion(handle.db, id))!.definition);
    for (const response of allResponses) {
      const definition = definitions.get(response.survey_version_id)!;
      const answers = revisions.find((r) => r.response_id === response.id)!.answers;
      const rows = stored.filter((r) => r.response_id === response.id).map(({ response_id: _, ...row }) => row);
      const key = (r: (typeof rows)[number]) => `${r.question_id}|${r.item}|${r.code}|${r.number}|${r.text}`;
      expect(rows.map(key).sort()).toEqual(answerRows(definition, answers).map(key).sort());
      expect([...response.hidden_questions].sort()).toEqual([...hiddenQuestions(definition, answers)].sort());
      expect(validateAnswers(definition, answers, response.status === 'submitted' ? 'submit' : 'draft').problems).toEqual([]);
      if (response.status === 'submitted') {
        expect(response.submitted_revision).toBe(response.revision);
        const at = response.submitted_at!.getTime();
        expect(at).toBeGreaterThanOrEqual(Date.parse(`${definition.opens}T00:00:00Z`));
        expect(at).toBeLessThan(Date.parse(`${definition.closes}T00:00:00Z`) + 24 * 3600 * 1000);
      }
    }
    const audit = await handle.db.selectFrom('audit_log').select(['action', 'details']).where('action', '=', 'demo.generate').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toMatchObject({ synthetic: true, seed: 'test', responses: 60 });
  });

  it('refuses a database that already holds data, unless forced', async () => {
    await writeDemoData(handle.db, { responses: 60, seed: 'test' });
    const before = { respondents: await count('respondent'), responses: await count('response') };
    const refused = await writeDemoData(handle.db, { responses: 60, seed: 'test' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('conflict');
    expect((refused as AppError).message).toContain(`already holds ${before.respondents} respondent(s) and ${before.responses} response(s)`);
    expect({ respondents: await count('respondent'), responses: await count('response') }).toEqual(before);

    // Forced: every government is already invited, so the new responses all come from civil society.
    const forced = await writeDemoData(handle.db, { responses: 60, seed: 'again', force: true });
    expect(forced.government.invited).toBe(0);
    expect(forced.civilSociety.submitted + forced.civilSociety.inProgress).toBe(60);
    const firstPhaseResponses = await handle.db
      .selectFrom('response')
      .innerJoin('respondent', 'respondent.id', 'response.respondent_id')
      .select('respondent.survey_id')
      .where('respondent.survey_id', 'in', FIRST_PHASE)
      .execute();
    expect(firstPhaseResponses).toHaveLength(120);
    // Phase open carries only the organisations new to the second run: nobody twice.
    const registeredWithoutEmail = await handle.db
      .selectFrom('respondent')
      .select('id')
      .where('survey_id', '=', 'civil-society-survey')
      .where('source', '=', 'open_registration')
      .where('email', 'is', null)
      .execute();
    expect(forced.laterPhases[0]!.carried).toBe(0);
    expect(forced.laterPhases[1]!.carried).toBeLessThanOrEqual(forced.civilSociety.invited);
    const stocktake = await handle.db.selectFrom('respondent').select('previous_respondent_id').where('survey_id', '=', 'civil-society-stocktake').execute();
    expect(new Set(stocktake.map((r) => r.previous_respondent_id)).size).toBe(stocktake.length);
    expect(stocktake.length).toBeLessThanOrEqual(
      (await handle.db.selectFrom('respondent').select('id').where('survey_id', '=', 'civil-society-survey').execute()).length - registeredWithoutEmail.length,
    );
  });
});

/** A CliOutput and a (non-terminal) progress stream that keep what they are given. */
function captured() {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    out: { log: (l: string) => stdout.push(`${l}\n`), error: (l: string) => stderr.push(`${l}\n`), write: (t: string) => stdout.push(t) } satisfies CliOutput,
    progress: { isTTY: false, write: (t: string) => stderr.push(t) },
    stdout: () => stdout.join(''),
    stderr: () => stderr.join(''),
  };
}

describe(`assess demo (${TEST_DATABASE_KIND})`, { timeout: 180_000 }, () => {
  let dir: string;
  let database: TestDatabase | undefined;
  let env: Record<string, string>;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'fat-demo-'));
    env = { DATA_DIR: path.join(dir, 'data'), PUBLIC_URL: 'https://assess.example.org' };
    if (process.env.TEST_DATABASE_URL) {
      database = await createTestDatabase();
      env.DATABASE_URL = database.url as string;
    }
  });
  afterEach(async () => {
    await database?.close();
    database = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('warns, shows progress, summarises; a second run is refused; a bad count is a usage error', async () => {
    const first = await assess(['demo', '--responses', '20', '--seed', '3'], env);
    expect(first.stderr).toContain('WARNING: the demo writes SYNTHETIC data');
    expect(first.code).toBe(0);
    // Not a terminal: plain progress lines, the last one complete.
    expect(first.stderr).toContain('Generating responses [------------------------------] 0/20\n');
    expect(first.stderr).toContain('Generating responses [##############################] 20/20\n');
    expect(first.stdout).toContain('government-assessment: 193 governments invited, 5 responses (4 submitted, 1 in progress)');
    expect(first.stdout).toContain('civil-society-survey: 400 organisations invited, 15 responses (12 submitted, 3 in progress)');
    expect(first.stdout).toContain('Dashboard: https://assess.example.org/admin/dashboard?survey=government-assessment');
    expect(first.stdout).toContain('government-stocktake: 193 carried from government-assessment (phase open)');
    expect(first.stdout).toMatch(/civil-society-stocktake: \d{3} carried from civil-society-survey \(phase open\)/);
    expect(first.stdout).toContain('Trends: https://assess.example.org/admin/trends?from=government-assessment&to=government-stocktake');
    const laterResponses = [...first.stdout.matchAll(/carried from [a-z-]+ \(phase open\), (\d+) responses/g)].reduce((n, m) => n + Number(m[1]), 0);

    // The same command in this process (a second child would only cost start-up time).
    const second = captured();
    expect(await demoCommand({ responses: '20' }, second.out, env, second.progress)).toBe(1);
    const carried = [...first.stdout.matchAll(/(\d+) carried from/g)].reduce((n, m) => n + Number(m[1]), 0);
    expect(second.stderr()).toContain(`already holds ${593 + carried} respondent(s) and ${20 + laterResponses} response(s)`);
    expect(second.stderr()).toContain('--force');
    expect(second.stdout()).toBe('');

    const usage = captured();
    expect(await demoCommand({ responses: 'many' }, usage.out, env, usage.progress)).toBe(2);
    expect(usage.stderr()).toContain('--responses must be a whole number');
  });

  it('redraws one progress line on a terminal', () => {
    const written: string[] = [];
    let clock = 0;
    const bar = progressBar('Generating responses', { isTTY: true, write: (t) => written.push(t) }, () => (clock += 100));
    for (const done of [0, 450, 1000]) bar.update(done, 1000);
    bar.finish();
    expect(written.join('')).toBe(
      '\rGenerating responses [------------------------------] 0/1000' +
        '\rGenerating responses [#############-----------------] 450/1000' +
        '\rGenerating responses [##############################] 1000/1000\n',
    );
  });
});
