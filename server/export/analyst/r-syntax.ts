/**
 * labels.R: a base R script (no package needed) that reads a row file into the data frame `d`.
 * Pure: a data dictionary in, the script out.
 *
 * Coded columns become factors labelled in the chosen language, numbers numeric, texts character;
 * special codes become NA, the reason kept as a factor in the attribute "missing_reason" of the
 * column; the variable label is the attribute "label", as haven sets it. Strings are written in
 * ASCII, other characters as \u escapes, so the script reads the same in any locale.
 */
import type { DataDictionary, DictionaryVariable } from './data-dictionary.ts';

/**
 * A string literal of R in ASCII.
 *
 * @example rString('Côte "x"') // '"C\\u{00f4}te \\"x\\""'
 */
export function rString(text: string): string {
  let out = '"';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === '\\' || char === '"') out += `\\${char}`;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\u{${code.toString(16).padStart(4, '0')}}`;
    else if (code < 0x80) out += char;
    else if (code <= 0xffff) out += `\\u{${code.toString(16).padStart(4, '0')}}`;
    else out += `\\U{${code.toString(16).padStart(6, '0')}}`;
  }
  return `${out}"`;
}

const vector = (items: readonly string[]) => `c(${items.map(rString).join(', ')})`;

function conversion(v: DictionaryVariable): string {
  const column = `d[[${rString(v.column)}]]`;
  const missing = `missing = special[${vector(v.missing.map((m) => m.code))}]`;
  const label = `label = ${rString(v.label)}`;
  if (v.storage === 'categorical') {
    return `${column} <- as_coded(${column}, codes = ${vector(v.values.map((x) => x.code))},\n  labels = ${vector(v.values.map((x) => x.label))},\n  ${missing}, ${label})`;
  }
  return `${column} <- ${v.storage === 'number' ? 'as_number' : 'as_text'}(${column}, ${missing}, ${label})`;
}

/** The text of labels.R for a dictionary; `notice` lines open the file as comments. */
export function rSyntax(dictionary: DataDictionary, notice: readonly string[]): string {
  const specials = new Map(dictionary.variables.flatMap((v) => v.missing.map((m) => [m.code, m.label] as const)));
  const lines = [
    ...notice.map((n) => `# ${n.replace(/\s+/g, ' ').trim()}`),
    `# Reads ${dictionary.dataFile} (UTF-8, comma-separated) into the data frame d, labelled. Base R;`,
    '# run it from the folder of the data: source("labels.R")',
    '# Special codes (.h hidden by skip logic, .a not answered, .x not asked, .s suppressed, ...) are NA;',
    '# attr(d$<column>, "missing_reason") says which, attr(d$<column>, "label") is the question.',
    `d <- read.csv(${rString(dictionary.dataFile)}, colClasses = "character", fileEncoding = "UTF-8-BOM",`,
    '  na.strings = character(0), check.names = FALSE)',
    `stopifnot(identical(names(d), ${vector(dictionary.variables.map((v) => v.column))}))`,
    `special <- c(${[...specials].map(([code, label]) => `${rString(code)} = ${rString(label)}`).join(',\n  ')})`,
    'reason_of <- function(x, missing) factor(ifelse(x %in% names(missing), x, NA), levels = names(missing), labels = unname(missing))',
    'with_labels <- function(y, x, missing, label) {',
    '  attr(y, "label") <- label',
    '  attr(y, "missing_reason") <- reason_of(x, missing)',
    '  y',
    '}',
    'as_coded <- function(x, codes, labels, missing, label)',
    '  with_labels(factor(ifelse(x %in% codes, x, NA), levels = codes, labels = labels), x, missing, label)',
    'as_number <- function(x, missing, label)',
    '  with_labels(suppressWarnings(as.numeric(ifelse(x %in% names(missing), NA, sub("^\'", "", x)))), x, missing, label)',
    'as_text <- function(x, missing, label)',
    '  with_labels(ifelse(x %in% names(missing), NA_character_, x), x, missing, label)',
    ...dictionary.variables.map(conversion),
    `names(d) <- ${vector(dictionary.variables.map((v) => v.name))}`,
    '',
  ];
  return lines.join('\n');
}
