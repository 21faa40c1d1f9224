/**
 * Keeps the direction of dependencies visible in the folder layout:
 * survey-definitions <- analysis <- server, and web/ uses only shared pure code and chart.js.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

function sourceFiles(folder: string): string[] {
  const dir = path.join(ROOT, folder);
  const files: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) files.push(...sourceFiles(path.join(folder, name)));
    else if (/\.tsx?$/.test(name)) files.push(path.join(folder, name));
  }
  return files;
}

/** Top-level folders of this project that a file imports (relative imports only). */
function importedFolders(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const folders = new Set<string>();
  for (const match of text.matchAll(/(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]/g)) {
    const target = path.relative(ROOT, path.resolve(path.dirname(path.join(ROOT, file)), match[1]!));
    folders.add(target.split(path.sep)[0]!);
  }
  return [...folders];
}

const ALLOWED: Record<string, string[]> = {
  'survey-definitions': ['survey-definitions'],
  analysis: ['analysis', 'survey-definitions'],
  server: ['server', 'survey-definitions', 'analysis'],
  web: ['web', 'survey-definitions', 'analysis'],
};

describe('dependency direction', () => {
  for (const [folder, allowed] of Object.entries(ALLOWED)) {
    it(`${folder}/ imports only from ${allowed.join(', ')}`, () => {
      let files: string[] = [];
      try {
        files = sourceFiles(folder);
      } catch {
        files = [];
      }
      const violations = files.flatMap((file) => importedFolders(file).filter((f) => !allowed.includes(f)).map((f) => `${file} imports ${f}/`));
      expect(violations).toEqual([]);
    });
  }

  it('survey-definitions/ and analysis/ do no I/O beyond reading definition files', () => {
    const io = /from ['"](pg|@electric-sql\/pglite|kysely|hono|node:http)['"]/;
    const offenders = [...sourceFiles('survey-definitions')].filter((file) => io.test(readFileSync(path.join(ROOT, file), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('web/ imports no server-side package', () => {
    const serverPackages = /from ['"](pg|@electric-sql\/pglite|kysely|hono[^'"]*|node:[^'"]+|zod|yaml)['"]/;
    const offenders = sourceFiles('web').filter((file) => serverPackages.test(readFileSync(path.join(ROOT, file), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
