/**
 * `assess export` refuses bad parameters with exit code 1 and a message naming the parameter,
 * before touching anything; `checkExportOptions` is the rule behind it.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliOutput } from '../../../server/cli/cli-database.ts';
import { exportCommand } from '../../../server/cli/export.ts';
import { AppError } from '../../../server/errors.ts';
import { checkExportOptions } from '../../../server/export/export-bundle.ts';
import { BUNDLE_FILES, bundleFileNames, TEST_RECIPIENT } from './support/bundle.ts';
import { publishAnalysisSurveys } from '../support/analysis-data.ts';
import { openDatabase } from '../../../server/db/connect.ts';
import { createTestDatabase, TEST_DATABASE_KIND, type TestDatabase } from '../../support/database.ts';

function captured(): CliOutput & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, log: (line) => out.push(line), error: (line) => err.push(line), write: (text) => out.push(text) };
}

describe(`assess export (${TEST_DATABASE_KIND})`, { timeout: 60_000 }, () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'fat-export-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each([['2'], ['0'], ['-5'], ['3.5'], ['five']])('--k %s exits 1 with a message about --k and writes nothing', async (k) => {
    const output = captured();
    const out = path.join(dir, 'bundle');
    // An environment pointing at no database: the check must come before any connection.
    const code = await exportCommand({ survey: 'analysis-gov', out, k, ...TEST_RECIPIENT }, output, { DATA_DIR: path.join(dir, 'no-data') });
    expect(code).toBe(1);
    expect(output.err.join('\n')).toMatch(/--k/);
    expect(output.err.join('\n')).toContain(k);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it.each([
    ['no recipient', { purpose: 'A study' }],
    ['no purpose', { recipient: 'A. Researcher, Example University' }],
    ['a blank recipient', { recipient: '  ', purpose: 'A study' }],
  ])('exits 2 with a message asking for recipient and purpose when given %s, before opening any database', async (_, given) => {
    const output = captured();
    const out = path.join(dir, 'bundle');
    const code = await exportCommand({ survey: 'analysis-gov', out, ...given }, output, { DATA_DIR: path.join(dir, 'no-data') });
    expect(code).toBe(2);
    expect(output.err.join('\n')).toContain('restricted-use row file, which is never published');
    expect(output.err.join('\n')).toContain('--recipient');
    expect(output.err.join('\n')).toContain('--purpose');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('checkExportOptions refuses a missing recipient or purpose by field', () => {
    expect(() => checkExportOptions({ surveyId: 's', actor: 't', recipient: '', purpose: 'p' })).toThrow(
      expect.objectContaining({ code: 'validation', details: { field: 'recipient' } }),
    );
    expect(() => checkExportOptions({ surveyId: 's', actor: 't', recipient: 'r', purpose: ' ' })).toThrow(
      expect.objectContaining({ code: 'validation', details: { field: 'purpose' } }),
    );
  });

  it('refuses a folder that already holds files, before opening any database', async () => {
    const output = captured();
    const out = path.join(dir, 'earlier');
    mkdirSync(out);
    writeFileSync(path.join(out, 'manifest.json'), '{}');
    const code = await exportCommand({ survey: 'analysis-gov', out, k: '5', ...TEST_RECIPIENT }, output, { DATA_DIR: path.join(dir, 'no-data') });
    expect(code).toBe(1);
    expect(output.err.join('\n')).toContain('already holds files; give a new folder');
    expect(readdirSync(out)).toEqual(['manifest.json']);
    expect(existsSync(path.join(dir, 'no-data'))).toBe(false);
  });

  it('checkExportOptions refuses k below 3, above 100 or fractional, and a malformed seed', () => {
    for (const k of [2, 1, 0, -3, 2.5, 101, Number.NaN]) {
      let caught: unknown;
      try {
        checkExportOptions({ surveyId: 's', k, actor: 't', ...TEST_RECIPIENT });
      } catch (error) {
        caught = error;
      }
      expect(caught, `k = ${k}`).toBeInstanceOf(AppError);
      expect(caught).toMatchObject({ code: 'validation', details: { field: 'k' } });
    }
    expect(() => checkExportOptions({ surveyId: 's', seed: 'abc', actor: 't', ...TEST_RECIPIENT })).toThrow(AppError);
    expect(() => checkExportOptions({ surveyId: 's', seed: 'A'.repeat(64), actor: 't', ...TEST_RECIPIENT })).toThrow(AppError);
  });

  it('checkExportOptions defaults to k = 5 with a fresh random seed, reproducible only when asked or seeded', () => {
    const first = checkExportOptions({ surveyId: 's', actor: 't', ...TEST_RECIPIENT });
    const second = checkExportOptions({ surveyId: 's', actor: 't', ...TEST_RECIPIENT });
    expect(first.k).toBe(5);
    expect(first.reproducible).toBe(false);
    expect(first.seed).toMatch(/^[0-9a-f]{64}$/);
    expect(second.seed).not.toBe(first.seed);
    expect(checkExportOptions({ surveyId: 's', k: 3, actor: 't', ...TEST_RECIPIENT }).k).toBe(3);
    expect(checkExportOptions({ surveyId: 's', seed: first.seed, actor: 't', ...TEST_RECIPIENT })).toEqual({
      k: 5,
      seed: first.seed,
      reproducible: true,
      ...TEST_RECIPIENT,
    });
  });

  // The CLI opens the configured database: PostgreSQL from DATABASE_URL, or PGlite in DATA_DIR
  // (a folder of its own, under a lock). On PGlite the test prepares such a folder first.
  it('--k 101 reaches the database check and exits 1; a good run exits 0 and writes the bundle', async () => {
    const dataDir = path.join(dir, 'data');
    const database = process.env.TEST_DATABASE_URL ? await createTestDatabase() : await openDatabase({ kind: 'pglite', dataDir });
    try {
      await publishAnalysisSurveys(database.db);
      if (!process.env.TEST_DATABASE_URL) await database.close();
      const env = process.env.TEST_DATABASE_URL
        ? { DATABASE_URL: (database as TestDatabase).url!, DATA_DIR: path.join(dir, 'no-data') }
        : { DATA_DIR: dataDir };
      const refused = captured();
      expect(await exportCommand({ survey: 'analysis-gov', out: path.join(dir, 'refused'), k: '101', ...TEST_RECIPIENT }, refused, env)).toBe(1);
      expect(refused.err.join('\n')).toMatch(/k must be/);
      expect(existsSync(path.join(dir, 'refused'))).toBe(false);

      const done = captured();
      expect(await exportCommand({ survey: 'analysis-gov', out: path.join(dir, 'bundle'), k: '3', ...TEST_RECIPIENT }, done, env)).toBe(0);
      expect(bundleFileNames(readdirSync(path.join(dir, 'bundle')))).toEqual([...BUNDLE_FILES]);
      expect(done.out.join('\n')).toContain(`RESTRICTED USE, for ${TEST_RECIPIENT.recipient}`);
      expect(done.out.join('\n')).not.toMatch(/seed/);

      const unknown = captured();
      expect(await exportCommand({ survey: 'no-such-survey', out: path.join(dir, 'x'), k: '3', ...TEST_RECIPIENT }, unknown, env)).toBe(1);
      expect(unknown.err.join('\n')).toContain('no-such-survey');
    } finally {
      if (process.env.TEST_DATABASE_URL) await database.close();
    }
  });
});
