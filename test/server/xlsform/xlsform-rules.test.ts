/**
 * The rules pyxform (XLSForm's reference converter) enforces that matter for what the export
 * writes, checked independently of the conversion code: the workbook is read back with exceljs
 * directly, and the rules below are written from pyxform's documentation and validators (names
 * are XML names, unique, not `meta`; every list exists; every label in every language; groups
 * balanced; `${…}` references to earlier questions; XPath limited to what the export emits).
 */
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { checkDefinitionText, loadCommon } from '../../../survey-definitions/load-definitions.ts';
import { exportXlsForm } from '../../../server/xlsform/export-form.ts';
import { writeXlsForm } from '../../../server/xlsform/xlsx-file.ts';

type Row = Record<string, string>;
interface Book {
  survey: Row[];
  choices: Row[];
  settings: Row[];
  headers: Record<string, string[]>;
}

async function readBook(bytes: Buffer): Promise<Book> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const book: Book = { survey: [], choices: [], settings: [], headers: {} };
  for (const name of ['survey', 'choices', 'settings'] as const) {
    const sheet = workbook.getWorksheet(name);
    if (!sheet) throw new Error(`no ${name} sheet`);
    const headers = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
    book.headers[name] = headers;
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      const cells: Row = {};
      headers.forEach((h, i) => {
        const v = row.getCell(i + 1).value;
        if (v !== null && v !== undefined) cells[h] = String(v);
      });
      book[name].push(cells);
    });
  }
  return book;
}

const LANGUAGES = ['English (en)', 'French (fr)', 'Spanish (es)'];
const XML_NAME = /^[A-Za-z_][A-Za-z0-9._-]*$/;
const FUNCTIONS = new Set(['selected', 'not', 'count-selected', 'string-length']);

/** Problems with the XPath of a relevant or constraint cell: references, functions, quotes, parentheses. */
function xpathProblems(text: string, known: Set<string>): string[] {
  const problems: string[] = [];
  const refs = [...text.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]!);
  for (const ref of refs) if (!known.has(ref)) problems.push(`\${${ref}} is not an earlier question`);
  const withoutStrings = text.replace(/'[^']*'/g, "''").replace(/\$\{[^}]*\}/g, 'REF');
  if (/[‘’“”"]/.test(withoutStrings) || (withoutStrings.match(/'/g) ?? []).length % 2) problems.push('unbalanced or typographic quotes');
  let depth = 0;
  for (const c of withoutStrings) {
    depth += c === '(' ? 1 : c === ')' ? -1 : 0;
    if (depth < 0) break;
  }
  if (depth !== 0) problems.push('unbalanced parentheses');
  for (const m of withoutStrings.matchAll(/([A-Za-z_][A-Za-z0-9_-]*)\s*\(/g)) if (!FUNCTIONS.has(m[1]!)) problems.push(`function ${m[1]}()`);
  const words = withoutStrings.replace(/([A-Za-z_][A-Za-z0-9_-]*)\s*\(/g, '(').match(/[A-Za-z_][A-Za-z0-9_-]*/g) ?? [];
  for (const w of words) if (!['and', 'or', 'REF'].includes(w)) problems.push(`unexpected word '${w}'`);
  if (/[*+/|]|\bdiv\b|\bmod\b/.test(withoutStrings)) problems.push('arithmetic');
  return problems;
}

/** Every rule broken by a workbook, as readable lines. */
function ruleProblems(book: Book): string[] {
  const problems: string[] = [];
  for (const base of ['label', 'hint']) {
    const columns = book.headers.survey!.filter((h) => h.startsWith(`${base}::`));
    if (base === 'label' || columns.length) for (const l of LANGUAGES) if (!columns.includes(`${base}::${l}`)) problems.push(`survey: no column ${base}::${l}`);
  }
  for (const l of LANGUAGES) if (!book.headers.choices!.includes(`label::${l}`)) problems.push(`choices: no column label::${l}`);

  const lists = new Map<string, Set<string>>();
  book.choices.forEach((c, i) => {
    const list = c.list_name ?? '';
    const names = lists.get(list) ?? new Set();
    lists.set(list, names);
    if (!XML_NAME.test(list)) problems.push(`choices row ${i + 2}: list name '${list}'`);
    if (!c.name) problems.push(`choices row ${i + 2}: no name`);
    else if (names.has(c.name)) problems.push(`choices row ${i + 2}: '${c.name}' twice in '${list}'`);
    names.add(c.name ?? '');
    for (const l of LANGUAGES) if (!c[`label::${l}`]?.trim()) problems.push(`choices row ${i + 2}: no label::${l}`);
  });

  const seen = new Set<string>(['meta']);
  const stack: string[] = [];
  book.survey.forEach((r, i) => {
    const at = `survey row ${i + 2}`;
    const type = r.type ?? '';
    const [word = '', second] = type.split(' ');
    const list = ['select_one', 'select_multiple', 'rank'].includes(word) ? second : undefined;
    if (type === 'end group') {
      const open = stack.pop();
      if (open === undefined || (r.name && r.name !== open)) problems.push(`${at}: end group '${r.name}' closes '${open}'`);
      return;
    }
    if (!(['text', 'integer', 'decimal', 'note', 'begin group'].includes(type) || list)) problems.push(`${at}: type '${type}'`);
    if (list && !lists.has(list)) problems.push(`${at}: list '${list}' not on the choices sheet`);
    const name = r.name ?? '';
    if (!XML_NAME.test(name)) problems.push(`${at}: name '${name}'`);
    if (seen.has(name.toLowerCase())) problems.push(`${at}: name '${name}' used twice (or reserved)`);
    for (const l of LANGUAGES) if (!r[`label::${l}`]?.trim()) problems.push(`${at}: no label::${l}`);
    if (r.required !== undefined && r.required !== 'yes') problems.push(`${at}: required '${r.required}'`);
    for (const column of ['relevant', 'constraint']) {
      if (r[column]) for (const p of xpathProblems(r[column]!, seen)) problems.push(`${at} ${column}: ${p}`);
    }
    seen.add(name.toLowerCase());
    if (type === 'begin group') stack.push(name);
  });
  if (stack.length) problems.push(`groups never closed: ${stack.join(', ')}`);

  const settings = book.settings[0] ?? {};
  if (!settings.form_title?.trim()) problems.push('settings: no form_title');
  if (!XML_NAME.test(settings.form_id ?? '')) problems.push(`settings: form_id '${settings.form_id}'`);
  if (!settings.version?.trim()) problems.push('settings: no version');
  if (!LANGUAGES.includes(settings.default_language ?? '')) problems.push(`settings: default_language '${settings.default_language}'`);
  return problems;
}

describe('the XLSForm rules pyxform enforces', () => {
  const files = readdirSync(path.resolve('survey-definitions')).filter((f) => f.endsWith('.yaml') && f !== 'common.yaml');
  it.each(files)('hold for the export of %s', async (file) => {
    const folder = path.resolve('survey-definitions');
    const { common } = await loadCommon(folder);
    const definition = checkDefinitionText(await readFile(path.join(folder, file), 'utf8'), file, common).loaded!.definition;
    const book = await readBook(await writeXlsForm(exportXlsForm(definition)));
    expect(ruleProblems(book)).toEqual([]);
    // Not vacuous: the export has skip logic, constraints, groups and lists to check.
    expect(book.survey.filter((r) => r.relevant).length).toBeGreaterThan(3);
    expect(book.survey.filter((r) => r.constraint).length).toBeGreaterThan(3);
    expect(book.survey.filter((r) => r.type === 'begin group' && r.appearance === 'table-list').length).toBeGreaterThan(3);
  });

  it('catch each kind of mistake', () => {
    const label = Object.fromEntries(LANGUAGES.map((l) => [`label::${l}`, 'x']));
    const book: Book = {
      headers: { survey: ['type', 'name', ...Object.keys(label), 'relevant'], choices: ['list_name', 'name', ...Object.keys(label)], settings: [] },
      survey: [
        { type: 'begin group', name: 's', ...label },
        { type: 'select_one yn', name: 'a', ...label },
        { type: 'select_one missing', name: 'b', ...label },
        { type: 'text', name: 'A', ...label, relevant: "${c} = 'x'" },
        { type: 'text', name: 'c', ...label, relevant: '${a} = ‘x’ and today() > ${a} * 2' },
        { type: 'geopoint', name: 'meta', 'label::English (en)': 'x' },
      ],
      choices: [
        { list_name: 'yn', name: 'yes', ...label },
        { list_name: 'yn', name: 'yes', ...label },
      ],
      settings: [{ form_title: 'T', form_id: '1x', version: '1', default_language: 'Swahili (sw)' }],
    };
    expect(ruleProblems(book)).toEqual([
      "choices row 3: 'yes' twice in 'yn'",
      "survey row 4: list 'missing' not on the choices sheet",
      "survey row 5: name 'A' used twice (or reserved)",
      'survey row 5 relevant: ${c} is not an earlier question',
      'survey row 6 relevant: unbalanced or typographic quotes',
      'survey row 6 relevant: function today()',
      "survey row 6 relevant: unexpected word 'x'",
      'survey row 6 relevant: arithmetic',
      "survey row 7: type 'geopoint'",
      "survey row 7: name 'meta' used twice (or reserved)",
      'survey row 7: no label::French (fr)',
      'survey row 7: no label::Spanish (es)',
      'groups never closed: s',
      "settings: form_id '1x'",
      "settings: default_language 'Swahili (sw)'",
    ]);
  });
});
