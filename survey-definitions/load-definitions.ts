/**
 * Reads the questionnaire files of a folder: `common.yaml` (shared scales and lists) and one
 * `*.yaml` file per questionnaire. Returns the valid questionnaires with their content hash, and
 * every problem as `file: path: message`.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import canonicalize from 'canonicalize';
import YAML, { LineCounter } from 'yaml';
import { checkCommon, checkDefinition, type DefinitionProblem } from './check-definition.ts';
import { checkTrends } from './check-trends.ts';
import { tooDeepAt } from './nesting-depth.ts';
import type { CommonSource } from './schema.ts';
import type { Question, SurveyDefinition } from './types.ts';

export const COMMON_FILE = 'common.yaml';

export interface LoadedDefinition {
  file: string;
  definition: SurveyDefinition;
  /** SHA-256 of the canonical JSON of the resolved definition. */
  contentHash: string;
}

export interface FileProblem extends DefinitionProblem {
  file: string;
}

export function formatProblem(p: FileProblem): string {
  return `${p.file}: ${p.path}: ${p.message}`;
}

/** SHA-256 (hex) of a definition's canonical JSON (RFC 8785), independent of key order. */
export function definitionHash(definition: SurveyDefinition): string {
  return createHash('sha256')
    .update(canonicalize(definition) ?? '')
    .digest('hex');
}

function linePath(pos: { line: number; col: number }): string {
  return pos.line > 0 ? `line ${pos.line}, column ${pos.col}` : '(file)';
}

/** The largest questionnaire file read, in bytes (UTF-8); the largest shipped one is under 100 KB. */
export const MAX_QUESTIONNAIRE_BYTES = 1024 * 1024;
/** The most aliases (`*name`) a file may use; each copies its anchor's whole content. */
export const MAX_YAML_ALIASES = 100;
/** The deepest nesting of lists and maps; a questionnaire needs about 8 (sections, questions, options, labels). */
export const MAX_YAML_DEPTH = 32;

function sizeProblem(bytes: number, file: string): FileProblem | undefined {
  if (bytes <= MAX_QUESTIONNAIRE_BYTES) return undefined;
  return { file, path: '(file)', message: `the file is ${bytes} bytes long; at most ${MAX_QUESTIONNAIRE_BYTES} (1 MB) are read` };
}

/**
 * Parses YAML text; syntax errors become problems with their line and column. A file larger than
 * {@link MAX_QUESTIONNAIRE_BYTES}, one whose aliases would expand it beyond {@link MAX_YAML_ALIASES}
 * copies (an "alias bomb"), and one nested deeper than {@link MAX_YAML_DEPTH} are problems of that
 * file too, found before anything walks the value recursively.
 */
export function parseYaml(text: string, file: string): { value?: unknown; problems: FileProblem[] } {
  const fileProblem = (message: string) => ({ problems: [{ file, path: '(file)', message }] });
  const tooLarge = sizeProblem(Buffer.byteLength(text, 'utf8'), file);
  if (tooLarge) return { problems: [tooLarge] };
  // `prettyErrors: false` leaves `linePos` unset: positions come from a line counter instead.
  const lineCounter = new LineCounter();
  const doc = YAML.parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter });
  if (doc.errors.length) {
    return {
      problems: doc.errors.map((e) => ({
        file,
        path: linePath(lineCounter.linePos(e.pos[0])),
        message: e.message.split('\n')[0] ?? e.message,
      })),
    };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (error) {
    // The yaml package refuses excessive aliases with a ReferenceError; a stack overflow is a RangeError.
    if (error instanceof ReferenceError && /alias count/i.test(error.message)) {
      return fileProblem(
        `the aliases (*name) of this file would expand it beyond ${MAX_YAML_ALIASES} copies of their anchors; write the content out or use fewer aliases`,
      );
    }
    if (error instanceof RangeError) return fileProblem(`the file nests lists and maps more than ${MAX_YAML_DEPTH} levels deep`);
    throw error;
  }
  const deep = tooDeepAt(value, MAX_YAML_DEPTH);
  if (deep)
    return {
      problems: [
        {
          file,
          path: deep.join('.') || '(file)',
          message: `nests lists and maps more than ${MAX_YAML_DEPTH} levels deep (or an alias refers to its own anchor)`,
        },
      ],
    };
  return { value, problems: [] };
}

/** Checks a questionnaire's text against the shared scales and lists. */
export function checkDefinitionText(text: string, file: string, common: CommonSource): { loaded?: LoadedDefinition; problems: FileProblem[] } {
  const parsed = parseYaml(text, file);
  if (parsed.problems.length) return { problems: parsed.problems };
  const result = checkDefinition(parsed.value, common);
  if (!result.ok) return { problems: result.problems.map((p) => ({ file, ...p })) };
  return { loaded: { file, definition: result.value, contentHash: definitionHash(result.value) }, problems: [] };
}

/**
 * Reads and checks a folder's `common.yaml`. A missing file gives empty scales and lists (a
 * questionnaire that needs none still works); a broken one gives them empty too, with its problems.
 *
 * @example
 *   const { common, problems } = await loadCommon('survey-definitions');
 *   const result = checkDefinitionText(uploadedText, 'upload.yaml', common);
 */
export async function loadCommon(folder: string): Promise<{ common: CommonSource; problems: FileProblem[] }> {
  const empty: CommonSource = { scales: {}, lists: {} };
  const commonText = await readFile(path.join(folder, COMMON_FILE), 'utf8').catch(() => undefined);
  if (commonText === undefined) return { common: empty, problems: [] };
  const parsed = parseYaml(commonText, COMMON_FILE);
  if (parsed.problems.length) return { common: empty, problems: parsed.problems };
  const checked = checkCommon(parsed.value);
  if (checked.ok) return { common: checked.value, problems: [] };
  return { common: empty, problems: checked.problems.map((p) => ({ file: COMMON_FILE, ...p })) };
}

/** Reads and checks every questionnaire in a folder. */
export async function loadDefinitions(folder: string): Promise<{ definitions: LoadedDefinition[]; problems: FileProblem[] }> {
  const { common, problems } = await loadCommon(folder);
  const files = (await readdir(folder)).filter((f) => /\.ya?ml$/.test(f) && f !== COMMON_FILE).sort();
  const definitions: LoadedDefinition[] = [];
  for (const file of files) {
    const full = path.join(folder, file);
    // A file too large is not even read.
    const tooLarge = sizeProblem((await stat(full)).size, file);
    if (tooLarge) {
      problems.push(tooLarge);
      continue;
    }
    const result = checkDefinitionText(await readFile(full, 'utf8'), file, common);
    problems.push(...result.problems);
    if (result.loaded) definitions.push(result.loaded);
  }
  problems.push(...checkAcrossFiles(definitions));
  const invalid = new Set(problems.map((p) => p.file));
  return { definitions: definitions.filter((d) => !invalid.has(d.file)), problems };
}

/**
 * Problems between files: two files with one id, shared questions that are not asked alike, and
 * questions tied to an earlier phase that do not compare with it (`check-trends.ts`).
 */
export function checkAcrossFiles(definitions: LoadedDefinition[]): FileProblem[] {
  const problems: FileProblem[] = [];
  const byId = new Map<string, string>();
  for (const { file, definition } of definitions) {
    const other = byId.get(definition.id);
    if (other) problems.push({ file, path: 'id', message: `the id '${definition.id}' is already used by ${other}` });
    byId.set(definition.id, file);
  }
  const shared = new Map<string, { file: string; question: Question; at: string }>();
  for (const { file, definition } of definitions) {
    for (const section of definition.sections) {
      for (const question of section.questions) {
        if (!question.shared_key) continue;
        const at = `sections.${section.id}.questions.${question.id}.shared_key`;
        const first = shared.get(question.shared_key);
        if (!first) {
          shared.set(question.shared_key, { file, question, at });
          continue;
        }
        const difference = comparability(first.question, question);
        if (difference)
          problems.push({ file, path: at, message: `'${question.shared_key}' is shared with ${first.file} (${first.question.id}) but ${difference}` });
      }
    }
  }
  problems.push(...checkTrends(definitions));
  return problems;
}

/** Why two shared questions cannot be compared, or undefined when they can. */
function comparability(a: Question, b: Question): string | undefined {
  if (a.type !== b.type) return `the types differ (${a.type} and ${b.type})`;
  if ((a.type === 'scale' || a.type === 'matrix') && (b.type === 'scale' || b.type === 'matrix') && a.scale.name !== b.scale.name)
    return `the scales differ (${a.scale.name} and ${b.scale.name})`;
  if ('options' in a && 'options' in b) {
    const codes = (q: { options: { code: string }[] }) => q.options.map((o) => o.code).join(',');
    if (codes(a) !== codes(b)) return 'the options differ';
  }
  if (a.type === 'matrix' && b.type === 'matrix') {
    const rowsA = new Set(a.rows.map((r) => r.code));
    if (!b.rows.some((r) => rowsA.has(r.code))) return 'they have no row in common';
  }
  return undefined;
}
