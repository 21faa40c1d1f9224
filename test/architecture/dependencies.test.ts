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
      const violations = files.flatMap((file) =>
        importedFolders(file)
          .filter((f) => !allowed.includes(f))
          .map((f) => `${file} imports ${f}/`),
      );
      expect(violations).toEqual([]);
    });
  }

  it('survey-definitions/ does no I/O beyond reading definition files', () => {
    const io = /from ['"](pg|@electric-sql\/pglite|kysely|hono[^'"]*|node:(http|https|net|child_process|worker_threads))['"]/;
    const offenders = sourceFiles('survey-definitions').filter((file) => io.test(readFileSync(path.join(ROOT, file), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('analysis/ does no I/O at all: no database, no HTTP, no files, no processes', () => {
    const io = /from ['"](pg|@electric-sql\/pglite|kysely|hono[^'"]*|node:(fs|fs\/promises|http|https|net|child_process|worker_threads|stream))['"]/;
    const offenders = sourceFiles('analysis').filter((file) => io.test(readFileSync(path.join(ROOT, file), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('web/ imports no server-side package', () => {
    const serverPackages = /from ['"](pg|@electric-sql\/pglite|kysely|hono[^'"]*|node:[^'"]+|zod|yaml)['"]/;
    const offenders = sourceFiles('web').filter((file) => serverPackages.test(readFileSync(path.join(ROOT, file), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('no two folders of server/ import each other, directly or round a loop', () => {
    // server/*.ts (the app's composition, its errors and environment) sit above and below every folder.
    const folderOf = (file: string) => file.split(path.sep).slice(0, 2).join('/');
    const edges = new Map<string, Map<string, string>>();
    for (const file of sourceFiles('server')) {
      const from = folderOf(file);
      if (!from.includes('/') || from.endsWith('.ts') || from.endsWith('.tsx')) continue;
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      // Type-only imports carry no code and make no loop at run time.
      for (const match of text.matchAll(/^(?:import|export)\s+(?!type\b)[^'"]*?from\s+['"](\.[^'"]+)['"]/gm)) {
        const target = path.relative(ROOT, path.resolve(path.dirname(path.join(ROOT, file)), match[1]!));
        const to = folderOf(target);
        if (!target.startsWith(`server${path.sep}`) || to === from || to.endsWith('.ts') || to.endsWith('.tsx')) continue;
        if (!edges.has(from)) edges.set(from, new Map());
        if (!edges.get(from)!.has(to)) edges.get(from)!.set(to, `${file} imports ${target}`);
      }
    }
    // A loop between folders is a path from a folder back to itself.
    const loops: string[] = [];
    for (const start of edges.keys()) {
      const seen = new Map<string, string[]>([[start, []]]);
      const queue = [start];
      while (queue.length) {
        const at = queue.shift()!;
        for (const [next, why] of edges.get(at) ?? []) {
          const trail = [...seen.get(at)!, why];
          if (next === start) loops.push(trail.join(' → '));
          else if (!seen.has(next)) {
            seen.set(next, trail);
            queue.push(next);
          }
        }
      }
    }
    expect(loops).toEqual([]);
  });
});

/** Relative imports of a file, resolved to paths from the project root. */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  return [...text.matchAll(/(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]/g)].map((m) =>
    path.relative(ROOT, path.resolve(path.dirname(path.join(ROOT, file)), m[1]!)),
  );
}

const ROUTES = path.join('server', 'routes');
/** HTML elements written out in a file: markup, which belongs to pages. */
const MARKUP =
  /<(p|div|span|a|form|fieldset|legend|label|input|select|option|textarea|button|table|caption|thead|tbody|tr|th|td|ul|ol|li|dl|dt|dd|h[1-6]|section|article|nav|main|header|footer|details|summary|figure|img|svg|strong|em|code|pre|br)[\s>/]/;

describe('the HTTP layer: routes read requests and call services, pages hold markup', () => {
  const routeFiles = sourceFiles(ROUTES);

  it('routes/ never imports routes/', () => {
    const offenders = routeFiles.flatMap((file) =>
      importsOf(file)
        .filter((target) => target.startsWith(ROUTES + path.sep))
        .map((target) => `${file} imports ${target}`),
    );
    expect(offenders).toEqual([]);
  });

  it('pages/ never imports routes/', () => {
    const offenders = sourceFiles(path.join('server', 'pages')).flatMap((file) =>
      importsOf(file)
        .filter((target) => target.startsWith(ROUTES + path.sep))
        .map((target) => `${file} imports ${target}`),
    );
    expect(offenders).toEqual([]);
  });

  it('no route file defines a component or writes markup', () => {
    const offenders = routeFiles.flatMap((file) => {
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      const components = [...text.matchAll(/^(?:export\s+)?(?:function\s+([A-Z]\w*)\s*\(|const\s+([A-Z]\w*)\s*=\s*\()/gm)].map(
        (m) => `${file} defines ${m[1] ?? m[2]}`,
      );
      const markup = text.split('\n').flatMap((line, i) => (MARKUP.test(line) ? [`${file}:${i + 1} writes markup: ${line.trim()}`] : []));
      return [...components, ...markup];
    });
    expect(offenders).toEqual([]);
  });

  it('no handler reads a request body by hand or checks the CSRF token itself', () => {
    const byHand = /\bbody\[['"]|\bfields\[['"]|\.parseBody\(|\.req\.json\(|\bassertCsrf\(/;
    const offenders = routeFiles.flatMap((file) =>
      readFileSync(path.join(ROOT, file), 'utf8')
        .split('\n')
        .flatMap((line, i) => (byHand.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(offenders).toEqual([]);
  });
});
