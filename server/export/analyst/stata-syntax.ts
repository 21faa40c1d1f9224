/**
 * labels.do: Stata (14 or later, which reads UTF-8) do-file that reads a row file and labels it.
 * Pure: a data dictionary in, the do-file out.
 *
 * Every column is imported as text under a placeholder name (v1, v2, …), then each coded column
 * becomes a labelled number, each special code the extended missing value of the same letter
 * (".a" not answered becomes .a, ".h" hidden by skip logic .h, …), labelled too. Strings use
 * compound quotes, with $ and ` escaped so that Stata expands no macro in a label.
 */
import type { DataDictionary, DictionaryVariable } from './data-dictionary.ts';

/** Stata keeps at most 80 characters of a variable label. */
const VARIABLE_LABEL_CHARS = 80;

/**
 * A string literal of a do-file: compound quotes, one line, no macro expansion.
 *
 * @example stataString('Cost in $ "US"') // '`"Cost in \\$ "US""\''
 */
export function stataString(text: string): string {
  const flat = text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/\\(?=[$`])/g, '\\\\')
    .replace(/([$`])/g, '\\$1')
    // `"…"' ends at "' : keep a quote followed by an apostrophe apart.
    .replaceAll(`"'`, `" '`);
  return `\`"${flat}"'`;
}

const placeholder = (index: number) => `v${index + 1}`;

function convert(v: DictionaryVariable, index: number): string[] {
  const raw = placeholder(index);
  if (v.storage === 'text') return [`rename ${raw} ${v.name}`];
  const specials = v.missing.map((m) => `replace ${v.name} = ${m.code} if ${raw} == ${stataString(m.code)}`);
  if (v.storage === 'number') {
    // A number the CSV starts with ' (a negative number, neutralised for spreadsheets) loses the quote.
    return [`generate double ${v.name} = real(subinstr(${raw}, "'", "", 1))`, ...specials, `drop ${raw}`];
  }
  return [
    `generate long ${v.name} = .`,
    ...v.values.map((x) => `replace ${v.name} = ${x.number} if ${raw} == ${stataString(x.code)}`),
    ...specials,
    `drop ${raw}`,
    ...[...v.values.map((x) => [String(x.number), x.label]), ...v.missing.map((m) => [m.code, m.label])].map(
      ([value, label], i) => `label define ${v.name} ${value} ${stataString(label!)}, ${i === 0 ? 'replace' : 'add'}`,
    ),
    `label values ${v.name} ${v.name}`,
  ];
}

/**
 * The text of labels.do for a dictionary; `notice` lines open the file as comments.
 */
export function stataSyntax(dictionary: DataDictionary, notice: readonly string[]): string {
  const vars = dictionary.variables;
  const lines = [
    // One line each, never ending in /// (which would make the next line part of the comment).
    ...notice.map((n) => `* ${n.replace(/\s+/g, ' ').trim().replace(/\/+$/, '').trimEnd()}`),
    `* Reads ${dictionary.dataFile} (UTF-8, comma-separated) and labels it. Stata 14 or later; run it from the folder of the data: do labels.do`,
    '* Special codes become extended missing values of the same letter, labelled: .h hidden by skip logic, .a not answered, .x not asked, .o option no longer offered, .w free text withheld, .s suppressed, .n not ranked.',
    'version 14',
    'clear',
    `import delimited using ${stataString(dictionary.dataFile)}, varnames(nonames) rowrange(2) stringcols(_all) delimiters(",") bindquotes(strict) encoding("utf-8") clear`,
    `if c(k) != ${vars.length} {`,
    `  display as error "${dictionary.dataFile} should have ${vars.length} columns"`,
    '  exit 459',
    '}',
  ];
  for (const [i, v] of vars.entries()) lines.push(...convert(v, i));
  for (const v of vars) lines.push(`label variable ${v.name} ${stataString([...v.label].slice(0, VARIABLE_LABEL_CHARS).join(''))}`);
  lines.push(`order ${vars.map((v) => v.name).join(' ')}`, 'compress', '');
  return lines.join('\n');
}
