/**
 * labels.sps: SPSS (and PSPP) syntax that reads a row file and labels it. Pure: a data dictionary
 * in, the syntax text out.
 *
 * The CSV is read with GET DATA /TYPE=TXT, every coded column as text (a code such as "agree" or
 * ".a" is not a number), then RECODE turns codes into numbers; VARIABLE LABELS, VALUE LABELS,
 * MISSING VALUES (the special codes, as a range of negative numbers) and VARIABLE LEVEL follow.
 * Strings are quoted with ' (inner ' doubled), cut into pieces joined with + so that no line is
 * long, and the file is UTF-8 as its first line and GET DATA's /ENCODING say.
 */
import type { DataDictionary, DictionaryVariable, MeasurementLevel } from './data-dictionary.ts';

/** SPSS keeps at most this many bytes of a variable label, and of a value label. */
const VARIABLE_LABEL_BYTES = 255;
const VALUE_LABEL_BYTES = 120;
/** SPSS accepts at most three missing values on a string variable, each of at most 8 bytes. */
const STRING_MISSING = 3;

/** The first `bytes` bytes of a text in UTF-8, never cutting a character. */
export function cutToBytes(text: string, bytes: number): string {
  let used = 0;
  let out = '';
  for (const char of text) {
    used += Buffer.byteLength(char, 'utf8');
    if (used > bytes) break;
    out += char;
  }
  return out;
}

/**
 * A string literal of SPSS syntax: one line, ' doubled, long texts as pieces joined by +.
 *
 * @example spssString("l'été") // "'l''été'"
 */
export function spssString(text: string): string {
  const flat = text.replace(/[\r\n\t]+/g, ' ');
  const pieces: string[] = [];
  const chars = [...flat];
  for (let at = 0; at < chars.length || pieces.length === 0; at += 60)
    pieces.push(
      `'${chars
        .slice(at, at + 60)
        .join('')
        .replaceAll("'", "''")}'`,
    );
  return pieces.join(' +\n    ');
}

/** Name of the text variable a column is first read into (`@` names never clash with ours). */
const rawName = (index: number) => `@c${index + 1}`;

function readFormat(v: DictionaryVariable): string {
  if (v.storage === 'text') return `A${Math.max(8, v.width)}`;
  const longest = Math.max(8, ...v.values.map((x) => Buffer.byteLength(x.code, 'utf8')));
  return `A${v.storage === 'number' ? 40 : longest}`;
}

function recode(v: DictionaryVariable, index: number): string[] {
  const raw = rawName(index);
  const pairs = [...v.values, ...v.missing].map((x) => `  (${spssString(x.code)}=${x.number})`);
  if (v.storage === 'categorical') return [`RECODE ${raw}`, ...pairs, `  (ELSE=SYSMIS) INTO ${v.name}.`];
  // A number the CSV starts with ' (a negative number, neutralised for spreadsheets) loses the quote.
  return [`IF (SUBSTR(${raw}, 1, 1) = "'") ${raw} = SUBSTR(${raw}, 2).`, `RECODE ${raw}`, ...pairs, `  (CONVERT) INTO ${v.name}.`];
}

const LEVEL_WORDS: Record<MeasurementLevel, string> = { nominal: 'NOMINAL', ordinal: 'ORDINAL', scale: 'SCALE' };

/**
 * The syntax of labels.sps for a dictionary; `notice` lines open the file as comments (e.g.
 * "CONFIDENTIAL").
 */
export function spssSyntax(dictionary: DataDictionary, notice: readonly string[]): string {
  const vars = dictionary.variables;
  const lines: string[] = ['* Encoding: UTF-8.', ...notice.map((n) => `* ${n.replace(/\s+/g, ' ').trim().replace(/\.?$/, '.')}`)];
  lines.push(
    `* Reads ${dictionary.dataFile} (UTF-8, comma-separated) and labels it: open this file in SPSS or PSPP, in the folder of the data, and run it all.`,
    '* Special codes (.h hidden by skip logic, .a not answered, .x not asked, .s suppressed, ...) become negative numbers declared missing.',
    'GET DATA /TYPE=TXT',
    `  /FILE=${spssString(dictionary.dataFile)}`,
    "  /ENCODING='UTF8'",
    '  /ARRANGEMENT=DELIMITED',
    '  /FIRSTCASE=2',
    '  /DELIMITERS=","',
    `  /QUALIFIER='"'`,
    '  /VARIABLES=',
    ...vars.map((v, i) => `    ${v.storage === 'text' ? v.name : rawName(i)} ${readFormat(v)}`),
    '.',
  );
  vars.forEach((v, i) => {
    if (v.storage !== 'text') lines.push(...recode(v, i));
  });
  lines.push(`ADD FILES FILE=* /KEEP=${vars.map((v) => v.name).join(' ')}.`);
  const coded = vars.filter((v) => v.storage === 'categorical');
  if (coded.length) lines.push(`FORMATS ${coded.map((v) => v.name).join(' ')} (F8.0).`);
  for (const [integer, format] of [
    [true, 'F16.0'],
    [false, 'F16.4'],
  ] as const) {
    const numbers = vars.filter((v) => v.storage === 'number' && (v.integer === true) === integer);
    if (numbers.length) lines.push(`FORMATS ${numbers.map((v) => v.name).join(' ')} (${format}).`);
  }

  lines.push('VARIABLE LABELS', `${vars.map((v) => `  ${v.name} ${spssString(cutToBytes(v.label, VARIABLE_LABEL_BYTES))}`).join('\n  /')}.`);

  const labelled = vars.filter((v) => v.values.length || (v.storage !== 'text' && v.missing.length));
  if (labelled.length) {
    const blocks = labelled.map((v) =>
      [`  ${v.name}`, ...[...v.values, ...v.missing].map((x) => `    ${x.number} ${spssString(cutToBytes(x.label, VALUE_LABEL_BYTES))}`)].join('\n'),
    );
    lines.push('VALUE LABELS', `${blocks.join('\n  /')}.`);
  }
  for (const v of vars) {
    if (!v.missing.length) continue;
    if (v.storage === 'text') {
      // Three missing values at most on a string: the likeliest reasons.
      const codes = ['.w', '.a', '.h', '.x', '.s'].filter((c) => v.missing.some((m) => m.code === c)).slice(0, STRING_MISSING);
      lines.push(`MISSING VALUES ${v.name} (${codes.map((c) => `'${c}'`).join(', ')}).`);
    } else {
      const numbers = v.missing.map((m) => m.number);
      const [low, high] = [Math.min(...numbers), Math.max(...numbers)];
      lines.push(`MISSING VALUES ${v.name} (${low === high ? low : `${low} THRU ${high}`}).`);
    }
  }
  const byLevel = (['nominal', 'ordinal', 'scale'] as const)
    .map((level) => [level, vars.filter((v) => v.level === level && v.storage !== 'text')] as const)
    .filter(([, list]) => list.length);
  if (byLevel.length)
    lines.push(`VARIABLE LEVEL ${byLevel.map(([level, list]) => `${list.map((v) => v.name).join(' ')} (${LEVEL_WORDS[level]})`).join('\n  /')}.`);
  lines.push('EXECUTE.', '');
  return lines.join('\n');
}
