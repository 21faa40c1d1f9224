/**
 * `assess data` refuses bad options before opening any database, and writes the working data
 * into a new folder (never over an earlier one).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliOutput } from '../../../server/cli/cli-database.ts';
import { dataCommand } from '../../../server/cli/data.ts';

function captured(): CliOutput & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, log: (line) => out.push(line), error: (line) => err.push(line), write: (text) => out.push(text) };
}

describe('assess data', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'fat-data-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each<[string, { survey?: string; out?: string; language?: string; values?: string }, number, string]>([
    ['no --survey', { out: 'x' }, 2, 'Usage: npm run assess -- data --survey <id> --out <folder>'],
    ['no --out', { survey: 'analysis-gov' }, 2, 'Usage'],
    ['--language de', { survey: 'analysis-gov', out: 'x', language: 'de' }, 1, "--language is one of en, fr, es, not 'de'."],
    ['--values both', { survey: 'analysis-gov', out: 'x', values: 'both' }, 1, "--values is labels or codes, not 'both'."],
  ])('%s: exits %i with a message, before opening any database', async (_, options, code, message) => {
    const output = captured();
    const out = options.out ? path.join(dir, options.out) : undefined;
    expect(await dataCommand({ ...options, ...(out ? { out } : {}) }, output, { DATA_DIR: path.join(dir, 'no-data') })).toBe(code);
    expect(output.err.join('\n')).toContain(message);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a folder that already holds files', async () => {
    const output = captured();
    const out = path.join(dir, 'earlier');
    mkdirSync(out);
    writeFileSync(path.join(out, 'responses-confidential.csv'), 'x');
    expect(await dataCommand({ survey: 'analysis-gov', out }, output, { DATA_DIR: path.join(dir, 'no-data') })).toBe(1);
    expect(output.err.join('\n')).toContain('already holds files');
    expect(existsSync(path.join(dir, 'no-data'))).toBe(false);
  });
});
