import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import {
  checkAcrossFiles,
  checkDefinitionText,
  definitionHash,
  formatProblem,
  loadDefinitions,
  parseYaml,
  type LoadedDefinition,
} from '../../survey-definitions/load-definitions.ts';
import { aliasBomb, checkedDefinition, common, option, question, rawCommon, rawDefinition, tr, type Raw } from '../fixtures/survey-definitions.ts';

const PROJECT = fileURLToPath(new URL('../..', import.meta.url));

const folders: string[] = [];
afterEach(async () => {
  await Promise.all(folders.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A temporary folder holding the given files (objects are written as YAML). */
async function folderWith(files: Record<string, Raw | string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'survey-definitions-'));
  folders.push(dir);
  for (const [name, content] of Object.entries(files)) {
    await writeFile(path.join(dir, name), typeof content === 'string' ? content : YAML.stringify(content), 'utf8');
  }
  return dir;
}

/** The same value with the keys of every object in reverse order. */
function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reversedKeys(v)]),
    );
  }
  return value;
}

function loaded(file: string, raw: Raw): LoadedDefinition {
  const definition = checkedDefinition(raw);
  return { file, definition, contentHash: definitionHash(definition) };
}

describe('parseYaml', () => {
  it.each<[string, string, string]>([
    ['id: demo\nversion: "1"\nid: other\n', 'line 3, column 1', 'Map keys must be unique'],
    ['id: demo\nsections:\n  - id: s1\n   title: x\n', 'line 4, column 1', 'Sequence item without - indicator'],
    ['id: demo\n\tversion: 1\n', 'line 2, column 1', 'Tabs are not allowed as indentation'],
  ])('reports a syntax error with its line and column: %j', (text, at, message) => {
    expect(parseYaml(text, 'broken.yaml')).toEqual({ problems: [{ file: 'broken.yaml', path: at, message }] });
  });

  describe('bounded: what would exhaust memory or the stack is a problem of the file', () => {
    it('refuses an alias bomb', () => {
      expect(parseYaml(aliasBomb(), 'bomb.yaml')).toEqual({
        problems: [
          {
            file: 'bomb.yaml',
            path: '(file)',
            message: 'the aliases (*name) of this file would expand it beyond 100 copies of their anchors; write the content out or use fewer aliases',
          },
        ],
      });
    });

    it('accepts a few aliases', () => {
      expect(parseYaml('a: &x [1, 2]\nb: *x\n', 'f.yaml')).toEqual({ value: { a: [1, 2], b: [1, 2] }, problems: [] });
    });

    it('refuses lists nested deeper than 32 levels, naming where', () => {
      const deep = `id: deep\nsections: ${'['.repeat(40)}x${']'.repeat(40)}\n`;
      expect(parseYaml(deep, 'deep.yaml')).toEqual({
        problems: [
          {
            file: 'deep.yaml',
            path: `sections${'.0'.repeat(31)}`,
            message: 'nests lists and maps more than 32 levels deep (or an alias refers to its own anchor)',
          },
        ],
      });
      expect(parseYaml(`a: ${'['.repeat(31)}x${']'.repeat(31)}\n`, 'ok.yaml').problems).toEqual([]);
    });

    it('refuses an alias to its own anchor (a value that contains itself)', () => {
      expect(parseYaml('a: &x [1, *x]\n', 'loop.yaml').problems).toEqual([
        expect.objectContaining({ file: 'loop.yaml', message: expect.stringMatching(/more than 32 levels deep/) }),
      ]);
    });

    it('refuses a file larger than 1 MB', () => {
      expect(parseYaml(`# ${'x'.repeat(1024 * 1024)}\nid: big\n`, 'big.yaml')).toEqual({
        problems: [{ file: 'big.yaml', path: '(file)', message: 'the file is 1048587 bytes long; at most 1048576 (1 MB) are read' }],
      });
    });
  });

  it('gives the parsed value when the text is valid', () => {
    expect(parseYaml('a: 1\nb: [x, y]\n', 'f.yaml')).toEqual({ value: { a: 1, b: ['x', 'y'] }, problems: [] });
  });
});

describe('checkDefinitionText', () => {
  it('returns the definition with the hash of its content', () => {
    const result = checkDefinitionText(YAML.stringify(rawDefinition()), 'demo.yaml', common());
    expect(result.problems).toEqual([]);
    expect(result.loaded?.file).toBe('demo.yaml');
    expect(result.loaded?.definition.id).toBe('demo');
    expect(result.loaded?.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(result.loaded?.contentHash).toBe(definitionHash(result.loaded!.definition));
  });

  it('reports definition problems with the file name', () => {
    const raw = rawDefinition([question('q1', 'yes_no', { text: { en: 'Q', es: 'P' } })]);
    expect(checkDefinitionText(YAML.stringify(raw), 'demo.yaml', common())).toEqual({
      problems: [{ file: 'demo.yaml', path: 'sections.s1.questions.q1.text.fr', message: 'missing French translation' }],
    });
  });

  it('reports an empty file', () => {
    expect(checkDefinitionText('', 'empty.yaml', common())).toEqual({
      problems: [{ file: 'empty.yaml', path: '(file)', message: 'Invalid input: expected object, received null' }],
    });
  });
});

describe('definitionHash', () => {
  it('does not depend on the order of keys in the YAML', () => {
    const raw = rawDefinition([question('q1', 'single_choice', { options: [{ from: 'colours' }], help: tr('Help') }), question('q2', 'scale')]);
    const a = checkDefinitionText(YAML.stringify(raw), 'a.yaml', common());
    const b = checkDefinitionText(YAML.stringify(reversedKeys(raw)), 'b.yaml', common());
    expect(YAML.stringify(reversedKeys(raw))).not.toBe(YAML.stringify(raw));
    expect(a.loaded?.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(b.loaded?.contentHash).toBe(a.loaded?.contentHash);
  });

  it('changes when a label changes', () => {
    const before = rawDefinition([question('q1', 'single_choice')]);
    const after = rawDefinition([question('q1', 'single_choice', { options: [option('a'), option('b', { label: tr('Changed') }), option('c')] })]);
    expect(definitionHash(checkedDefinition(after))).not.toBe(definitionHash(checkedDefinition(before)));
  });

  it('changes when the order of options changes', () => {
    const before = rawDefinition([question('q1', 'single_choice', { options: [option('a'), option('b')] })]);
    const after = rawDefinition([question('q1', 'single_choice', { options: [option('b'), option('a')] })]);
    expect(definitionHash(checkedDefinition(after))).not.toBe(definitionHash(checkedDefinition(before)));
  });

  it('changes when a shared list or scale used by the definition changes', () => {
    const raw = rawDefinition([question('q1', 'multi_choice', { options: [{ from: 'colours' }] })]);
    const text = YAML.stringify(raw);
    const original = checkDefinitionText(text, 'a.yaml', common()).loaded?.contentHash;
    const changed = common();
    changed.lists['colours'] = [{ code: 'red', label: tr('Crimson') }, ...changed.lists['colours']!.slice(1)];
    expect(checkDefinitionText(text, 'a.yaml', changed).loaded?.contentHash).not.toBe(original);
  });
});

describe('formatProblem', () => {
  it('writes `file: path: message`', () => {
    expect(formatProblem({ file: 'gov.yaml', path: 'sections.s1.questions.q1.text.fr', message: 'missing French translation' })).toBe(
      'gov.yaml: sections.s1.questions.q1.text.fr: missing French translation',
    );
  });
});

describe('checkAcrossFiles', () => {
  it('accepts shared questions asked alike', () => {
    const a = loaded('a.yaml', rawDefinition([question('q_a', 'multi_choice', { options: [{ from: 'colours' }], shared_key: 'k' })]));
    const b = loaded('b.yaml', rawDefinition([question('q_b', 'multi_choice', { options: [{ from: 'colours' }], shared_key: 'k' })], { id: 'other' }));
    expect(checkAcrossFiles([a, b])).toEqual([]);
  });

  it.each<[string, Raw, Raw, string]>([
    [
      'types differ',
      question('q_a', 'yes_no', { shared_key: 'k' }),
      question('q_b', 'single_choice', { shared_key: 'k' }),
      "'k' is shared with a.yaml (q_a) but the types differ (yes_no and single_choice)",
    ],
    [
      'scales differ',
      question('q_a', 'scale', { shared_key: 'k' }),
      question('q_b', 'scale', { scale: 'support', shared_key: 'k' }),
      "'k' is shared with a.yaml (q_a) but the scales differ (agree and support)",
    ],
    [
      'options differ',
      question('q_a', 'single_choice', { shared_key: 'k' }),
      question('q_b', 'single_choice', { options: [option('a'), option('b'), option('d')], shared_key: 'k' }),
      "'k' is shared with a.yaml (q_a) but the options differ",
    ],
    [
      'options in another order',
      question('q_a', 'ranking', { shared_key: 'k' }),
      question('q_b', 'ranking', { options: [option('c'), option('b'), option('a')], shared_key: 'k' }),
      "'k' is shared with a.yaml (q_a) but the options differ",
    ],
    [
      'matrices without a row in common',
      question('q_a', 'matrix', { shared_key: 'k' }),
      question('q_b', 'matrix', { rows: [option('r3'), option('r4')], shared_key: 'k' }),
      "'k' is shared with a.yaml (q_a) but they have no row in common",
    ],
  ])('reports shared questions whose %s', (_name, first, second, message) => {
    const a = loaded('a.yaml', rawDefinition([first]));
    const b = loaded('b.yaml', rawDefinition([second], { id: 'other' }));
    expect(checkAcrossFiles([a, b])).toEqual([{ file: 'b.yaml', path: 'sections.s1.questions.q_b.shared_key', message }]);
  });

  it('accepts matrices that share some rows', () => {
    const a = loaded('a.yaml', rawDefinition([question('q_a', 'matrix', { shared_key: 'k' })]));
    const b = loaded('b.yaml', rawDefinition([question('q_b', 'matrix', { rows: [option('r2'), option('r3')], shared_key: 'k' })], { id: 'other' }));
    expect(checkAcrossFiles([a, b])).toEqual([]);
  });

  it('reports two files with the same id', () => {
    const a = loaded('a.yaml', rawDefinition());
    const b = loaded('b.yaml', rawDefinition());
    expect(checkAcrossFiles([a, b])).toEqual([{ file: 'b.yaml', path: 'id', message: "the id 'demo' is already used by a.yaml" }]);
  });
});

describe('loadDefinitions', () => {
  function government(): Raw {
    return rawDefinition(
      [
        question('g_attended', 'yes_no', { required: true }),
        question('g_meetings', 'multi_choice', { options: [{ from: 'meetings' }], show_if: 'g_attended == yes', shared_key: 'meetings' }),
        question('g_view', 'scale', { shared_key: 'view' }),
      ],
      { id: 'government' },
    );
  }
  function civilSociety(): Raw {
    return rawDefinition(
      [
        question('cs_meetings', 'multi_choice', { options: [{ from: 'meetings' }], shared_key: 'meetings' }),
        question('cs_view', 'scale', { shared_key: 'view' }),
      ],
      { id: 'civil-society', audience: ['civil_society'] },
    );
  }

  it('loads a valid folder: every questionnaire with a 64-hex content hash, in file order', async () => {
    const dir = await folderWith({ 'common.yaml': rawCommon(), 'government.yaml': government(), 'civil-society.yml': civilSociety(), 'README.md': '# notes' });
    const { definitions, problems } = await loadDefinitions(dir);
    expect(problems).toEqual([]);
    expect(definitions.map((d) => [d.file, d.definition.id])).toEqual([
      ['civil-society.yml', 'civil-society'],
      ['government.yaml', 'government'],
    ]);
    for (const d of definitions) {
      expect(d.contentHash).toMatch(/^[0-9a-f]{64}$/);
      expect(d.contentHash).toBe(definitionHash(d.definition));
    }
    const view = definitions[1]!.definition.sections[0]!.questions[2];
    expect(view?.type === 'scale' && view.scale.name).toBe('agree');
    expect(view?.type === 'scale' && view.scale.points.map((p) => p.code)).toEqual(['1', '2', '3']);
  });

  it('gives the same hash for the same content with keys reordered, and another when a label changes', async () => {
    const first = await loadDefinitions(await folderWith({ 'common.yaml': rawCommon(), 'government.yaml': government() }));
    const reordered = await loadDefinitions(
      await folderWith({ 'common.yaml': reversedKeys(rawCommon()) as Raw, 'government.yaml': reversedKeys(government()) as Raw }),
    );
    const relabelled = government();
    relabelled['title'] = tr('Another title');
    const changed = await loadDefinitions(await folderWith({ 'common.yaml': rawCommon(), 'government.yaml': relabelled }));
    expect(first.definitions[0]?.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(reordered.definitions[0]?.contentHash).toBe(first.definitions[0]?.contentHash);
    expect(changed.definitions[0]?.contentHash).not.toBe(first.definitions[0]?.contentHash);
  });

  it('resolves a scale from common.yaml, and reports it unknown without common.yaml', async () => {
    const raw = rawDefinition([question('q1', 'scale')]);
    const withCommon = await loadDefinitions(await folderWith({ 'common.yaml': rawCommon(), 'demo.yaml': raw }));
    expect(withCommon.problems).toEqual([]);
    expect(withCommon.definitions).toHaveLength(1);
    const without = await loadDefinitions(await folderWith({ 'demo.yaml': raw }));
    expect(without).toEqual({
      definitions: [],
      problems: [{ file: 'demo.yaml', path: 'sections.s1.questions.q1.scale', message: "unknown scale 'agree' (shared scales: none)" }],
    });
  });

  it('reports YAML syntax errors with their line and column, and keeps the other files', async () => {
    const dir = await folderWith({
      'common.yaml': rawCommon(),
      'broken.yaml': 'id: demo\nversion: "1"\nid: again\n',
      'good.yaml': rawDefinition(),
    });
    const { definitions, problems } = await loadDefinitions(dir);
    expect(problems).toEqual([{ file: 'broken.yaml', path: 'line 3, column 1', message: 'Map keys must be unique' }]);
    expect(definitions.map((d) => d.file)).toEqual(['good.yaml']);
  });

  it('reports an alias bomb and a file over 1 MB as problems of those files, and keeps the other files', async () => {
    const dir = await folderWith({
      'common.yaml': rawCommon(),
      'big.yaml': `# ${'x'.repeat(2 * 1024 * 1024)}\n`,
      'bomb.yaml': aliasBomb(),
      'good.yaml': rawDefinition(),
    });
    const { definitions, problems } = await loadDefinitions(dir);
    expect(problems).toEqual([
      { file: 'big.yaml', path: '(file)', message: 'the file is 2097155 bytes long; at most 1048576 (1 MB) are read' },
      { file: 'bomb.yaml', path: '(file)', message: expect.stringMatching(/^the aliases \(\*name\) of this file would expand it/) },
    ]);
    expect(definitions.map((d) => d.file)).toEqual(['good.yaml']);
  });

  it('reports problems of common.yaml under its own name', async () => {
    const shared = rawCommon();
    (shared['lists'] as Record<string, Raw[]>)['colours']!.push({ code: 'white', label: { en: 'White', fr: 'Blanc' } });
    const { problems } = await loadDefinitions(await folderWith({ 'common.yaml': shared, 'demo.yaml': rawDefinition() }));
    expect(problems).toEqual([{ file: 'common.yaml', path: 'lists.colours.white.label.es', message: 'missing Spanish translation' }]);
  });

  it('reports two files with the same id and keeps only the first', async () => {
    const dir = await folderWith({ 'common.yaml': rawCommon(), 'a.yaml': rawDefinition(), 'b.yaml': rawDefinition() });
    const { definitions, problems } = await loadDefinitions(dir);
    expect(problems).toEqual([{ file: 'b.yaml', path: 'id', message: "the id 'demo' is already used by a.yaml" }]);
    expect(definitions.map((d) => d.file)).toEqual(['a.yaml']);
  });

  it('reports shared questions that differ in type, scale or options', async () => {
    const cs = rawDefinition(
      [
        question('cs_meetings', 'yes_no', { shared_key: 'meetings' }),
        question('cs_view', 'scale', { scale: 'support', shared_key: 'view' }),
        question('cs_colour', 'multi_choice', { options: [option('red'), option('green')], shared_key: 'colour' }),
      ],
      { id: 'civil-society' },
    );
    const gov = rawDefinition(
      [
        question('g_meetings', 'multi_choice', { options: [{ from: 'meetings' }], shared_key: 'meetings' }),
        question('g_view', 'scale', { shared_key: 'view' }),
        question('g_colour', 'multi_choice', { options: [{ from: 'colours' }], shared_key: 'colour' }),
      ],
      { id: 'government' },
    );
    const { definitions, problems } = await loadDefinitions(await folderWith({ 'common.yaml': rawCommon(), 'cs.yaml': cs, 'gov.yaml': gov }));
    expect(problems).toEqual([
      {
        file: 'gov.yaml',
        path: 'sections.s1.questions.g_meetings.shared_key',
        message: "'meetings' is shared with cs.yaml (cs_meetings) but the types differ (yes_no and multi_choice)",
      },
      {
        file: 'gov.yaml',
        path: 'sections.s1.questions.g_view.shared_key',
        message: "'view' is shared with cs.yaml (cs_view) but the scales differ (support and agree)",
      },
      { file: 'gov.yaml', path: 'sections.s1.questions.g_colour.shared_key', message: "'colour' is shared with cs.yaml (cs_colour) but the options differ" },
    ]);
    expect(definitions.map((d) => d.file)).toEqual(['cs.yaml']);
  });

  it('reports every problem of every file', async () => {
    const dir = await folderWith({
      'common.yaml': rawCommon(),
      'a.yaml': rawDefinition([question('q1', 'yes_no', { text: { en: 'Q', es: 'P' } })]),
      'b.yaml': rawDefinition([question('q1', 'yes_no'), question('q2', 'yes_no', { show_if: 'nope == yes' })], { id: 'b' }),
    });
    const { definitions, problems } = await loadDefinitions(dir);
    expect(definitions).toEqual([]);
    expect(problems.map(formatProblem)).toEqual([
      'a.yaml: sections.s1.questions.q1.text.fr: missing French translation',
      "b.yaml: sections.s1.questions.q2.show_if: refers to unknown question 'nope'",
    ]);
  });
});

describe('assess surveys check (command line)', () => {
  function runCheck(dir: string) {
    return spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/main.ts', 'surveys', 'check', '--dir', dir], {
      cwd: PROJECT,
      encoding: 'utf8',
      timeout: 60_000,
    });
  }

  it('prints one `file: path: message` line per problem on stderr and exits 1', async () => {
    const dir = await folderWith({
      'common.yaml': rawCommon(),
      'a.yaml': rawDefinition([question('q1', 'yes_no', { text: { en: 'Q', es: 'P' } })]),
      'b.yaml': rawDefinition([question('q1', 'yes_no'), question('q2', 'yes_no', { show_if: 'nope == yes' })], { id: 'b' }),
      'bomb.yaml': aliasBomb(),
      'c.yaml': 'id: c\nversion: "1"\nid: again\n',
      'd.yaml': rawDefinition(undefined, { id: 'd' }),
    });
    const result = runCheck(dir);
    expect(result.status).toBe(1);
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      'a.yaml: sections.s1.questions.q1.text.fr: missing French translation',
      "b.yaml: sections.s1.questions.q2.show_if: refers to unknown question 'nope'",
      'bomb.yaml: (file): the aliases (*name) of this file would expand it beyond 100 copies of their anchors; write the content out or use fewer aliases',
      'c.yaml: line 3, column 1: Map keys must be unique',
    ]);
    expect(result.stdout).toMatch(/^d\.yaml: ok \(d version 1, 1 questions, sha256 [0-9a-f]{12}\)$/m);
  });

  it('exits 0 on a valid folder and prints nothing on stderr', async () => {
    const dir = await folderWith({ 'common.yaml': rawCommon(), 'demo.yaml': rawDefinition([question('q1', 'yes_no'), question('q2', 'scale')]) });
    const result = runCheck(dir);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const { definitions } = await loadDefinitions(dir);
    expect(result.stdout.trim()).toBe(`demo.yaml: ok (demo version 1, 2 questions, sha256 ${definitions[0]!.contentHash.slice(0, 12)})`);
  });
});
