/**
 * `assess xlsform import` and `assess xlsform export` as a user runs them, in their own process:
 * a field form with repeats is refused with nothing written; a questionnaire exported (from the
 * files, or from the database's stored current version) and imported again passes `surveys check`.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../server/db/connect.ts';
import { syncDefinitions } from '../../../server/surveys/sync-definitions.ts';
import { createTestDatabase, TEST_DATABASE_KIND, type TestDatabase } from '../../support/database.ts';
import { assess } from '../support/assess-cli.ts';

describe(`assess xlsform (${TEST_DATABASE_KIND})`, { timeout: 360_000 }, () => {
  let dir: string;
  let database: TestDatabase | undefined;
  let env: Record<string, string>;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'fat-xlsform-'));
    env = { DATA_DIR: path.join(dir, 'data') };
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

  async function withDatabase<T>(work: (db: TestDatabase['db']) => Promise<T>): Promise<T> {
    if (database) return work(database.db);
    const handle = await openDatabase({ kind: 'pglite', dataDir: env.DATA_DIR! });
    try {
      return await work(handle.db);
    } finally {
      await handle.close();
    }
  }

  it('refuses a field form with repeats and calculations, names the cells, and writes nothing (exit 1)', async () => {
    const out = path.join(dir, 'ucl.yaml');
    const run = await assess(['xlsform', 'import', 'test/fixtures/xlsform/UCL_Biomass_Plot_Form.xlsx', '--out', out], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('refused: survey!A32 (type): a repeat has no counterpart');
    expect(run.stderr).toContain('refused: survey!H9 (relevant): "${leader_name} = ‘other’" cannot be expressed as a show_if condition');
    expect(run.stderr).toContain('14 essential problems: nothing written.');
    expect(existsSync(out)).toBe(false);
  });

  it('exports the files, imports them back, and surveys check accepts the result', async () => {
    const xlsx = path.join(dir, 'cs.xlsx');
    const exported = await assess(['xlsform', 'export', '--survey', 'civil-society-survey', '--out', xlsx, '--from-files'], env);
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    expect(exported.stdout).toMatch(/^Wrote .*cs\.xlsx: civil-society-survey version \S+ \(civil-society-survey\.yaml\), \d+ survey rows, \d+ choices\.\n$/);

    const folder = path.join(dir, 'definitions');
    mkdirSync(folder);
    copyFileSync('survey-definitions/common.yaml', path.join(folder, 'common.yaml'));
    const imported = await assess(['xlsform', 'import', xlsx, '--out', path.join(folder, 'cs.yaml')], env);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/Wrote .*cs\.yaml: 9 sections, \d+ questions\.\n/);
    const checked = await assess(['surveys', 'check', '--dir', folder], env);
    expect(checked.stderr).toBe('');
    expect(checked.code).toBe(0);
    expect(checked.stdout).toContain('cs.yaml: ok (civil-society-survey version');

    // A second copy beside the first would make surveys check fail (one id, two files): refused.
    const copy = await assess(['xlsform', 'import', xlsx, '--out', path.join(folder, 'cs-copy.yaml')], env);
    expect(copy.code).toBe(1);
    expect(copy.stderr).toContain("cs-copy.yaml: id: the id 'civil-society-survey' is already used by cs.yaml");
    expect(existsSync(path.join(folder, 'cs-copy.yaml'))).toBe(false);
  });

  it('exports the stored current version from the database, recorded in the audit log; an unknown survey exits 1', async () => {
    await withDatabase((db) => syncDefinitions(db, 'survey-definitions'));
    const xlsx = path.join(dir, 'gov.xlsx');
    const run = await assess(['xlsform', 'export', '--survey', 'government-assessment', '--out', xlsx], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/government-assessment version \S+ \(the stored current version, sha256 [0-9a-f]{12}\)/);
    expect(existsSync(xlsx)).toBe(true);
    const audit = await withDatabase((db) => db.selectFrom('audit_log').select(['action', 'subject']).where('action', '=', 'xlsform.export').execute());
    expect(audit).toEqual([{ action: 'xlsform.export', subject: 'survey:government-assessment' }]);

    const unknown = await assess(['xlsform', 'export', '--survey', 'no-such-survey', '--out', path.join(dir, 'x.xlsx')], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("No questionnaire 'no-such-survey' is stored in the database");
    expect(existsSync(path.join(dir, 'x.xlsx'))).toBe(false);
  });
});
