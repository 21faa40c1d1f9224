import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../../server/db/data-folder-lock.ts';
import { createTestDatabase, TEST_DATABASE_KIND, type TestDatabase } from '../../support/database.ts';
import { assess } from '../support/assess-cli.ts';

const ROOT = path.resolve('.');
const FIXTURE = path.join(ROOT, 'test/fixtures/surveys-invite');
const HEADER = 'name,kind,country,roles,org_type,email';

describe(`assess invite (${TEST_DATABASE_KIND})`, { timeout: 120_000 }, () => {
  let dir: string;
  let dataDir: string;
  let database: TestDatabase | undefined;
  let env: Record<string, string>;
  const children: ChildProcess[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'fat-invite-'));
    dataDir = path.join(dir, 'data');
    env = { DATA_DIR: dataDir, SURVEYS_DIR: FIXTURE, PUBLIC_URL: 'https://assess.example.org' };
    if (process.env.TEST_DATABASE_URL) {
      database = await createTestDatabase();
      env.DATABASE_URL = database.url as string;
    }
  });
  afterEach(async () => {
    for (const child of children.splice(0)) child.kill();
    await database?.close();
    database = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports every bad row with its line and imports nothing; a corrected file then imports', async () => {
    const bad = path.join(dir, 'bad.csv');
    writeFileSync(
      bad,
      `${HEADER}\nKenya,government,KE,steering_group,,fp@kenya.go.ke\n,government,XX,,,\nVoices,civil_society,,,ngo,\nGhana,government,GH,chair,,not-an-email\n`,
    );
    const out = path.join(dir, 'links.csv');
    const failed = await assess(['invite', '--survey', 'invite-test', '--csv', bad, '--out', out], env);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(`${bad}:3: name: is empty\n`);
    expect(failed.stderr).toContain(`${bad}:3: country: unknown country 'XX'`);
    expect(failed.stderr).toContain(`${bad}:4: kind: this questionnaire is for government, international_org, not civil_society\n`);
    expect(failed.stderr).toContain(`${bad}:5: roles: unknown role 'chair'`);
    expect(failed.stderr).toContain(`${bad}:5: email: 'not-an-email' is not an email address\n`);
    expect(failed.stderr).toContain('nothing was imported');
    expect(failed.stdout).toBe('');
    expect(existsSync(out)).toBe(false);

    // Kenya was on the refused file: were anything of it stored, this import would be refused.
    const good = path.join(dir, 'good.csv');
    writeFileSync(
      good,
      `\uFEFF${HEADER}\r\nKenya,government,KE,steering_group;troika,,fp@kenya.go.ke\r\n"IOM, Geneva",international_org,,,,=cmd@example.org\r\n`,
    );
    const imported = await assess(['invite', '--survey', 'invite-test', '--csv', good, '--out', out], env);
    expect(imported.stderr).toContain(`Imported 2 invitees for invite-test; links written to ${out}. Keep this file safe`);
    expect(imported.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    const parsed = Papa.parse<Record<string, string>>(text.slice(1), { header: true, delimiter: ',', skipEmptyLines: 'greedy' });
    expect(parsed.meta.fields).toEqual(['name', 'kind', 'country', 'roles', 'org_type', 'email', 'link']);
    expect(parsed.data.map((r) => [r.name, r.country, r.roles, r.email])).toEqual([
      ['Kenya', 'KEN', 'steering_group;troika', 'fp@kenya.go.ke'],
      ['IOM, Geneva', '', '', "'=cmd@example.org"],
    ]);
    for (const row of parsed.data) expect(row.link).toMatch(/^https:\/\/assess\.example\.org\/r\/[A-Za-z0-9_-]{43}$/);

    // The same government again is refused with its line; the links file is never overwritten.
    const again = await assess(['invite', '--survey', 'invite-test', '--csv', good], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`${good}:2: country: KEN already has a government respondent`);
    const overwrite = await assess(['invite', '--survey', 'invite-test', '--csv', good, '--out', out], env);
    expect(overwrite.code).toBe(1);
    expect(overwrite.stderr).toContain('already exists');
    expect(readFileSync(out, 'utf8')).toBe(text);
  });

  it('writes the links to standard output without --out, and reissues a link', async () => {
    const csv = path.join(dir, 'one.csv');
    writeFileSync(csv, 'name,kind,country\nGhana,government,GHA\n');
    const imported = await assess(['invite', '--survey', 'invite-test', '--csv', csv], env);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/^\uFEFFname,kind,country,link\r\nGhana,government,GHA,https:\/\/assess\.example\.org\/r\/[A-Za-z0-9_-]{43}\r\n$/);
    expect(imported.stderr).toContain('links written to standard output');

    const reissued = await assess(['invite', 'reissue', '--survey', 'invite-test', '--country', 'GH'], env);
    expect(reissued.code).toBe(0);
    expect(reissued.stdout).toMatch(/^https:\/\/assess\.example\.org\/r\/[A-Za-z0-9_-]{43}\n$/);
    expect(imported.stdout).not.toContain(reissued.stdout.trim());
    const revoked = await assess(['invite', 'revoke', '--survey', 'invite-test', '--country', 'GHA'], env);
    expect([revoked.code, revoked.stderr]).toEqual([0, expect.stringContaining('revoked 1 link(s)')]);
    const nobody = await assess(['invite', 'revoke', '--survey', 'invite-test', '--email', 'nobody@example.org'], env);
    expect(nobody.code).toBe(1);
    const unknownSurvey = await assess(['invite', '--survey', 'no-such-survey', '--csv', csv], env);
    expect(unknownSurvey.code).toBe(1);
    expect(unknownSurvey.stderr).toContain("No questionnaire with the id 'no-such-survey' is published.");
  });

  it('exits 2 on usage errors and 1 on a file that is not UTF-8, without opening the database', async () => {
    const usage = await assess(['invite', '--survey', 'invite-test'], env);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--csv <file>');
    const both = await assess(['invite', 'revoke', '--survey', 'invite-test', '--email', 'a@b.org', '--country', 'KEN'], env);
    expect(both.code).toBe(2);
    const latin1 = path.join(dir, 'latin1.csv');
    writeFileSync(latin1, Buffer.from('name,kind,country\nC\xf4te d\x27Ivoire,government,CIV\n', 'latin1'));
    const notUtf8 = await assess(['invite', '--survey', 'invite-test', '--csv', latin1], env);
    expect([notUtf8.code, notUtf8.stderr]).toEqual([1, expect.stringContaining('is not UTF-8 text')]);
    expect(existsSync(dataDir)).toBe(false);
  });

  // The lock guards the embedded database only, so this runs on PGlite in both modes.
  it('stops with exit 2 and leaves the data folder untouched while another process holds it', async () => {
    const holder = spawn('sleep', ['30'], { stdio: 'ignore' });
    children.push(holder);
    mkdirSync(dataDir);
    const lock = JSON.stringify({ pid: holder.pid, role: 'server', port: 3000, startedAt: new Date().toISOString() });
    writeFileSync(path.join(dataDir, LOCK_FILE), lock);
    const csv = path.join(dir, 'one.csv');
    writeFileSync(csv, 'name,kind,country\nGhana,government,GHA\n');
    const pgliteEnv = { DATA_DIR: dataDir, SURVEYS_DIR: FIXTURE };
    const busy = await assess(['invite', '--survey', 'invite-test', '--csv', csv, '--out', path.join(dir, 'links.csv')], pgliteEnv);
    expect(busy.code).toBe(2);
    expect(busy.stderr).toContain(
      `The embedded database in ${dataDir} is in use by the server (pid ${holder.pid}, port 3000). Stop the server first (Ctrl+C), then run this command again — or set DATABASE_URL to use PostgreSQL`,
    );
    expect(readdirSync(dataDir)).toEqual([LOCK_FILE]);
    expect(readFileSync(path.join(dataDir, LOCK_FILE), 'utf8')).toBe(lock);
    expect(existsSync(path.join(dir, 'links.csv'))).toBe(false);
  });
});
