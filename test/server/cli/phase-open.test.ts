import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DATABASE_KIND, type TestDatabase } from '../../support/database.ts';
import { assess } from '../support/assess-cli.ts';

const FIXTURE = path.resolve('test/fixtures/surveys-phases');

describe(`assess phase open (${TEST_DATABASE_KIND})`, { timeout: 300_000 }, () => {
  let dir: string;
  let database: TestDatabase | undefined;
  let env: Record<string, string>;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'fat-phase-open-'));
    env = { DATA_DIR: path.join(dir, 'data'), SURVEYS_DIR: FIXTURE, PUBLIC_URL: 'https://assess.example.org' };
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

  it('writes the links of those carried as invite does, prints a summary, and carries nobody on a second run', async () => {
    const invitees = path.join(dir, 'invitees.csv');
    writeFileSync(
      invitees,
      'name,kind,country,roles,org_type,email\nKenya,government,KE,troika,,fp@kenya.go.ke\nIOM,international_org,,,,iom@example.org\nVoices,civil_society,KE,,ngo,voices@example.org\n',
    );
    const invited = await assess(['invite', '--survey', 'assessment-2011', '--csv', invitees, '--out', path.join(dir, 'links-2011.csv')], env);
    expect(invited.code).toBe(0);

    const out = path.join(dir, 'links-2012.csv');
    const opened = await assess(['phase', 'open', '--survey', 'stocktake-2012', '--from', 'assessment-2011', '--out', out], env);
    expect(opened.stderr).toContain(
      `Carried 2 respondents of assessment-2011 into stocktake-2012; their new links are written to ${out}. Keep it safe: the links are not stored and cannot be shown again.\n` +
        'Already there: 0 (0 invited to stocktake-2012 directly, linked now to their earlier respondent; 0 carried before).\n' +
        'Left out: 1.\n' +
        '  1: their kind is not in the new questionnaire’s audience\n',
    );
    expect(opened.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const parsed = Papa.parse<Record<string, string>>(text.slice(1), { header: true, delimiter: ',', skipEmptyLines: 'greedy' });
    expect(parsed.meta.fields).toEqual(['name', 'kind', 'country', 'roles', 'org_type', 'email', 'language', 'link']);
    // Each keeps the language of its e-mail (English unless the invitation said otherwise).
    expect(new Set(parsed.data.map((r) => r['language']))).toEqual(new Set(['en']));
    expect(parsed.data.map((r) => [r.name, r.kind, r.country, r.roles, r.org_type, r.email])).toEqual([
      ['Kenya', 'government', 'KEN', 'troika', '', 'fp@kenya.go.ke'],
      ['Voices', 'civil_society', 'KEN', '', 'ngo', 'voices@example.org'],
    ]);
    const links2011 = readFileSync(path.join(dir, 'links-2011.csv'), 'utf8');
    for (const row of parsed.data) {
      expect(row.link).toMatch(/^https:\/\/assess\.example\.org\/r\/[A-Za-z0-9_-]{43}$/);
      expect(links2011).not.toContain(row.link);
    }

    const again = await assess(['phase', 'open', '--survey', 'stocktake-2012', '--from', 'assessment-2011'], env);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('Carried 0 respondents of assessment-2011 into stocktake-2012');
    expect(again.stderr).toContain('Already there: 2 (0 invited to stocktake-2012 directly, linked now to their earlier respondent; 2 carried before).');
    expect(again.stdout).toBe('\uFEFFname,kind,country,roles,org_type,email,language,link\r\n');

    const backwards = await assess(['phase', 'open', '--survey', 'assessment-2011', '--from', 'stocktake-2012', '--out', path.join(dir, 'never.csv')], env);
    expect(backwards.code).toBe(1);
    expect(backwards.stderr).toContain('assessment-2011 (phase 2011) is not of a later phase than stocktake-2012 (phase 2012)');
    expect(() => readFileSync(path.join(dir, 'never.csv'))).toThrow();
  });

  it('asks for both questionnaires', async () => {
    const run = await assess(['phase', 'open', '--survey', 'stocktake-2012'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Usage: npm run assess -- phase open --survey <new-id> --from <earlier-id> [--out <file>]');
  });
});
