/**
 * The row file of a release's bundle: none for a release that is not final; for the final release
 * of a small population of governments, none, with the risk check's figures said plainly; for a
 * population of many similar respondents, responses.csv once, and the second export of the same
 * release says when and with which release the rows were published.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkSpecialUniques, describeSpecialUniques, type SpecialUniquesResult } from '../../../analysis/disclosure/special-uniques.ts';
import type { Answers } from '../../../survey-definitions/answers.ts';
import { countryChoices } from '../../../survey-definitions/countries.ts';
import type { Database } from '../../../server/db/schema.ts';
import { exportRelease } from '../../../server/export/release-export.ts';
import { createRelease } from '../../../server/releases/release-service.ts';
import { saveAnswers, submitResponse } from '../../../server/responses/response-service.ts';
import { syncDefinitions } from '../../../server/surveys/sync-definitions.ts';
import { createTestDatabase, TEST_DATABASE_KIND, type TestDatabase } from '../../support/database.ts';
import { RELEASE_POPULATION, releaseAnswers, releaseRoles } from './support/release-population.ts';
import { parseCsv } from '../export/support/bundle.ts';

const SURVEY = 'release-gov';
const FIXTURES = path.resolve('test/fixtures/surveys-release');
const NOW = new Date('2026-12-01T10:00:00Z');

interface Bundle {
  files: string[];
  readme: string;
  manifest: {
    row_file: { written: boolean; reason?: string; rows?: number };
    explanation: string;
    risk_check: Omit<SpecialUniquesResult, 'suppressions'> | null;
    earlier_issue: unknown;
  };
  read(name: string): Buffer;
  folder: string;
}

const folders: string[] = [];
async function exportToFolder(db: Kysely<Database>, releaseId: number): Promise<Bundle> {
  const folder = path.join(mkdtempSync(path.join(tmpdir(), 'fat-release-')), 'bundle');
  folders.push(path.dirname(folder));
  await exportRelease(db, { releaseId, actor: 'test' }, folder);
  const read = (name: string) => readFileSync(path.join(folder, name));
  return {
    folder,
    files: readdirSync(folder).sort(),
    readme: read('README.txt').toString('utf8'),
    manifest: JSON.parse(read('risk-check.json').toString('utf8')),
    read,
  };
}

/** Invites `size` governments of each region and submits `answers(region, i)` for each. */
async function populate(
  db: Kysely<Database>,
  population: readonly { region: string; size: number }[],
  answers: (region: string, i: number) => Answers,
  roles: (region: string, i: number) => string[],
) {
  expect((await syncDefinitions(db, FIXTURES)).problems).toEqual([]);
  for (const { region, size } of population) {
    const places = countryChoices('un_members').filter((c) => c.region === region);
    for (const [i, place] of places.slice(0, size).entries()) {
      const { id } = await db
        .insertInto('respondent')
        .values({
          survey_id: SURVEY,
          kind: 'government',
          name: place.names.en,
          country: place.code,
          region: place.region,
          subregion: place.subregion,
          roles: roles(region, i),
          source: 'invitation',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await saveAnswers(db, { respondentId: id, baseRevision: 0, answers: answers(region, i), scope: 'all', language: 'en', now: NOW });
      await submitResponse(db, { respondentId: id, now: NOW });
    }
  }
}

afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe(`release row files: the governments of the release fixture (${TEST_DATABASE_KIND})`, { timeout: 300_000 }, () => {
  let handle: TestDatabase;
  beforeAll(async () => {
    handle = await createTestDatabase();
    // The population of test/server/releases/release.test.ts: Africa has one donor among six.
    await populate(handle.db, RELEASE_POPULATION, releaseAnswers, releaseRoles);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('writes no row file for a release that is not final, and says why', async () => {
    const made = await createRelease(handle.db, { surveyId: SURVEY, name: 'First look', actor: 'test' });
    const bundle = await exportToFolder(handle.db, made.id);
    expect(bundle.files).toEqual(['README.txt', 'release.json', 'results.xlsx', 'risk-check.json', 'tables.csv']);
    expect(bundle.manifest.row_file).toEqual({ written: false, reason: 'not_final' });
    expect(bundle.manifest.risk_check).toBeNull();
    expect(bundle.readme).toContain(
      `No row file (responses.csv). Release ${made.id} is not final. A row file is published only with the final release of a questionnaire.`,
    );
    expect(await handle.db.selectFrom('row_file_issue').selectAll().execute()).toEqual([]);
  });

  it('writes no row file for the final release: its rows fail the risk check, and the bundle gives the figures', async () => {
    const made = await createRelease(handle.db, { surveyId: SURVEY, name: 'Final', final: true, actor: 'test' });
    const bundle = await exportToFolder(handle.db, made.id);
    expect(bundle.files).toEqual(['README.txt', 'release.json', 'results.xlsx', 'risk-check.json', 'tables.csv']);
    const check = bundle.manifest.risk_check!;
    // 40 governments; identifier aside, 4 quasi-identifier columns and 5 answer columns
    // (g_contributed, g_channel, g_support, g_meetings.m2009, g_meetings.m2010).
    expect(check).toMatchObject({ passes: false, records: 40, columns: 9, maxColumns: 3, cellBudget: 18 });
    expect(check.uniqueRecordsBefore).toBeGreaterThan(check.cellBudget / 2);
    expect(bundle.manifest.row_file).toEqual({ written: false, reason: 'risk_check_failed' });
    const sentence = describeSpecialUniques({ ...check, suppressions: [] });
    expect(sentence).toMatch(
      /^(At least )?\d+ of 40 records are unique on some combination of up to 3 columns; making them non-unique would take more than 5% of cells/,
    );
    expect(bundle.manifest.explanation).toBe(`${sentence} No row file is published.`);
    expect(bundle.readme).toContain(`No row file (responses.csv). ${sentence}`);
    expect(bundle.readme).toContain(`Risk check of the rows (risk-check.json has every figure): 40 records, 9 columns;`);
    const audit = await handle.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'release.export')
      .where('subject', '=', `${SURVEY}#${made.id}`)
      .executeTakeFirstOrThrow();
    expect(typeof audit.details === 'string' ? JSON.parse(audit.details) : audit.details).toMatchObject({
      rowFile: { reason: 'risk_check_failed' },
      riskCheck: { passes: false, records: 40 },
    });
    expect(await handle.db.selectFrom('row_file_issue').selectAll().execute()).toEqual([]);
  });
});

describe(`release row files: many similar respondents (${TEST_DATABASE_KIND})`, { timeout: 300_000 }, () => {
  let handle: TestDatabase;
  beforeAll(async () => {
    handle = await createTestDatabase();
    // Ten per region; two answer patterns, each given by five per region: every count is 0 or at
    // least 5, so the release hides none (a row file goes only with such a release).
    await populate(
      handle.db,
      ['Africa', 'Americas', 'Asia', 'Europe'].map((region) => ({ region, size: 10 })),
      (_, i): Answers =>
        i % 2 === 0
          ? { g_contributed: 'no', g_support: '4', g_meetings: ['m2010'] }
          : { g_contributed: 'yes', g_channel: 'chair', g_support: '4', g_meetings: ['m2010'] },
      () => [],
    );
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('publishes the rows of the final release once; the second export says when and with which release', async () => {
    const made = await createRelease(handle.db, { surveyId: SURVEY, name: 'Final', final: true, actor: 'test' });
    const first = await exportToFolder(handle.db, made.id);
    expect(first.files).toEqual([
      'README.txt',
      'codebook.csv',
      'labels.R',
      'labels.do',
      'labels.sps',
      'release.json',
      'responses.csv',
      'results.xlsx',
      'risk-check.json',
      'tables.csv',
    ]);
    expect(first.manifest.row_file).toEqual({ written: true, file: 'responses.csv', rows: 40 });
    expect(first.manifest.risk_check).toMatchObject({ passes: true, records: 40, uniqueRecordsBefore: 0, suppressedCells: 0, uniqueRecordsAfter: 0 });
    expect(first.readme).toContain('responses.csv one row per response the release covers');
    expect(first.readme).toContain('No record of 40 is unique on some combination of up to 3 columns.');
    // The analysts' files read the public row file: 40 cases in PSPP and in R.
    writeFileSync(path.join(first.folder, 'count.sps'), "INSERT FILE='labels.sps'.\nSHOW N.\n");
    expect(execFileSync('pspp', ['-O', 'format=csv', '-o', '-', 'count.sps'], { cwd: first.folder, encoding: 'utf8' })).toContain('N is 40.');
    expect(execFileSync('Rscript', ['-e', 'source("labels.R"); cat(nrow(d))'], { cwd: first.folder, encoding: 'utf8' })).toBe('40');

    // The file as a reader gets it: coded like the restricted-use file, and nobody alone on up to 3 columns.
    const rows = parseCsv(first.read('responses.csv'));
    expect(rows.header.slice(0, 5)).toEqual(['response', 'kind', 'region', 'role_group', 'org_type']);
    expect(rows.rows).toHaveLength(40);
    expect(new Set(rows.rows.map((r) => r.g_contributed))).toEqual(new Set(['yes', 'no']));
    expect(rows.rows.filter((r) => r.g_contributed === 'no').every((r) => r.g_channel === '.h')).toBe(true);
    const columns = rows.header.slice(1);
    expect(checkSpecialUniques({ columns, rows: rows.rows.map((r) => columns.map((c) => r[c]!)) }).uniqueRecordsBefore).toBe(0);
    expect(parseCsv(first.read('codebook.csv')).rows.some((r) => r.column === 'g_support' && r.code === '4')).toBe(true);

    const issues = await handle.db.selectFrom('row_file_issue').select(['kind', 'release_id', 'rows', 'recipient']).execute();
    expect(issues).toEqual([{ kind: 'public', release_id: made.id, rows: 40, recipient: null }]);

    const second = await exportToFolder(handle.db, made.id);
    expect(second.files).toEqual(['README.txt', 'release.json', 'results.xlsx', 'risk-check.json', 'tables.csv']);
    expect(second.manifest.row_file).toEqual({ written: false, reason: 'already_issued' });
    const day = new Date().toISOString().slice(0, 10);
    expect(second.manifest.earlier_issue).toEqual({ releaseId: made.id, issuedOn: day, versions: ['1'] });
    expect(second.readme).toContain(
      `No row file (responses.csv). The rows of questionnaire version 1 were already published on ${day} in the bundle of release ${made.id}.`,
    );
    expect(await handle.db.selectFrom('row_file_issue').selectAll().execute()).toHaveLength(1);
  });

  it('refuses a second public issue of a version in the database itself', async () => {
    const version = await handle.db.selectFrom('row_file_issue').select(['survey_version_id', 'release_id']).executeTakeFirstOrThrow();
    const again = handle.db
      .insertInto('row_file_issue')
      .values({ kind: 'public', survey_id: SURVEY, survey_version_id: version.survey_version_id, release_id: version.release_id, rows: 1, created_by: 'test' })
      .execute();
    await expect(again).rejects.toMatchObject({ code: '23505' });
  });
});

describe(`release row files: rows that pass the check, with a release that hides counts (${TEST_DATABASE_KIND})`, { timeout: 300_000 }, () => {
  let handle: TestDatabase;
  beforeAll(async () => {
    handle = await createTestDatabase();
    // Eight per region, two answer patterns given by four each: nobody is unique on up to 3
    // columns, but every count of a region is 4 and hidden ("fewer than 5").
    await populate(
      handle.db,
      ['Africa', 'Americas', 'Asia', 'Europe'].map((region) => ({ region, size: 8 })),
      (_, i): Answers =>
        i % 2 === 0
          ? { g_contributed: 'no', g_support: '4', g_meetings: ['m2010'] }
          : { g_contributed: 'yes', g_channel: 'chair', g_support: '4', g_meetings: ['m2010'] },
      () => [],
    );
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('writes no row file: counted into the tables, the rows would give back the 4s the release hides', async () => {
    const made = await createRelease(handle.db, { surveyId: SURVEY, name: 'Final', final: true, actor: 'test' });
    const bundle = await exportToFolder(handle.db, made.id);
    expect(bundle.files).toEqual(['README.txt', 'release.json', 'results.xlsx', 'risk-check.json', 'tables.csv']);
    expect(bundle.manifest.row_file).toEqual({ written: false, reason: 'release_hides_counts' });
    expect(bundle.manifest.risk_check).toMatchObject({ passes: true, records: 32 });
    const tables = parseCsv(bundle.read('tables.csv'));
    const hidden = tables.rows.filter((r) => r.hidden !== '').length;
    expect(hidden).toBeGreaterThan(0);
    expect(bundle.readme).toMatch(
      new RegExp(`release ${made.id} hides ${hidden} counts of its tables, and a row file counted into those tables would show them`),
    );
    expect(await handle.db.selectFrom('row_file_issue').selectAll().execute()).toEqual([]);
  });
});
