/**
 * The data dictionary of a row file, as SPSS, Stata, R and Excel need it: for each CSV column a
 * variable name valid in all four, a variable label, a measurement level, its codes with a number
 * and a label, and the special codes it may hold, declared missing. Built from the row file's
 * layout and the questionnaire, in one of its languages. Pure.
 *
 * Numbers: a column whose codes are small whole numbers (scale points, ranks, 1/0 flags) keeps
 * them, its "don't know" and similar codes becoming 97, 98, 99; other columns number their codes
 * 1, 2, 3… in the questionnaire's order. Special codes are -1 (.h) to -7 (.n), below any answer
 * (a number question that allows negative answers gets its own, below its minimum).
 */
import { nonSubstantiveCodes } from '../../../survey-definitions/non-substantive.ts';
import type { Language } from '../../../survey-definitions/schema.ts';
import { allQuestions, type Question, type SurveyDefinition } from '../../../survey-definitions/types.ts';
import { ORG_TYPE_LABELS } from '../../respondents/respondent-labels.ts';
import { ORG_TYPES } from '../../respondents/invitee-csv.ts';
import type { ExportColumn, SpecialCode } from '../export-columns.ts';
import { ANY } from '../quasi-identifiers.ts';
import { NOT_APPLICABLE, QUASI_IDENTIFIER_VALUES, SPECIAL_CODE_WORDS, SPECIAL_ORDER, WORDS } from './dictionary-words.ts';

export type MeasurementLevel = 'nominal' | 'ordinal' | 'scale';

/** A code of a column with its number (for SPSS and Stata) and its label. */
export interface ValueLabel {
  code: string;
  number: number;
  label: string;
}

/** A special code a column may hold: missing in every syntax, with the reason kept. */
export interface MissingCode extends ValueLabel {
  code: SpecialCode;
}

export interface DictionaryVariable {
  /** The column's name in the CSV file. */
  column: string;
  /** A name valid in SPSS, Stata and R (letters, digits, underscores; at most 32 characters). */
  name: string;
  label: string;
  /** `categorical`: codes read into labelled numbers; `number`: a number; `text`: a string. */
  storage: 'categorical' | 'number' | 'text';
  level: MeasurementLevel;
  values: ValueLabel[];
  missing: MissingCode[];
  /** Longest value in bytes a string column may hold (texts and identifiers). */
  width: number;
  /** Whether a number column holds whole numbers only (the question says `integer`). */
  integer?: boolean;
}

export interface DataDictionary {
  language: Language;
  /** The CSV file the syntax files read. */
  dataFile: string;
  variables: DictionaryVariable[];
}

/** What a dictionary is built from: the row file's header and columns, and the questionnaire. */
export interface DictionarySource {
  dataFile: string;
  header: readonly string[];
  columns: readonly ExportColumn[];
  definition: SurveyDefinition;
  language: Language;
}

/** Words reserved in SPSS or Stata, never used as a variable name. */
const RESERVED = new Set([
  'all',
  'and',
  'by',
  'eq',
  'ge',
  'gt',
  'le',
  'lt',
  'ne',
  'not',
  'or',
  'to',
  'with',
  'byte',
  'double',
  'float',
  'if',
  'in',
  'int',
  'long',
  'using',
  'strl',
]);
const MAX_NAME = 32;

/**
 * Names valid in SPSS, Stata and R for CSV column names, unique ignoring case (SPSS ignores it).
 *
 * @example variableNames(['g_bodies.troika', 'if']) // ['g_bodies_troika', 'if_']
 */
export function variableNames(columns: readonly string[]): string[] {
  const taken = new Set<string>();
  return columns.map((column) => {
    let base = column
      .replace(/[^A-Za-z0-9_]/g, '_')
      .replace(/^([^A-Za-z])/, 'v$1')
      .slice(0, MAX_NAME);
    if (RESERVED.has(base.toLowerCase()) || /^str\d+$/i.test(base)) base = `${base}_`;
    let name = base;
    for (let i = 2; taken.has(name.toLowerCase()); i++) name = `${base.slice(0, MAX_NAME - String(i).length - 1)}_${i}`;
    taken.add(name.toLowerCase());
    return name;
  });
}

/** The numbers of special codes of a column whose answers are never below `floor` (0 for codes). */
function missingCodes(codes: readonly SpecialCode[], language: Language, floor: number): MissingCode[] {
  const top = Math.min(0, Math.floor(floor)) - 1;
  return SPECIAL_ORDER.filter((code) => codes.includes(code)).map((code) => ({
    code,
    number: top - SPECIAL_ORDER.indexOf(code),
    label: SPECIAL_CODE_WORDS[code][language],
  }));
}

/** Numbers for a column's codes: small whole numbers kept (non-substantive ones 97…), otherwise 1…n. */
function numbered(codes: readonly { code: string; label: string }[], apart: readonly string[]): ValueLabel[] {
  const substantive = codes.filter((c) => !apart.includes(c.code));
  const whole =
    substantive.every((c) => /^\d{1,2}$/.test(c.code) && Number(c.code) < 90) && new Set(substantive.map((c) => Number(c.code))).size === substantive.length;
  const extra = codes.length - substantive.length;
  let next = extra <= 3 ? 97 : 90;
  return codes.map((c, i) => ({ ...c, number: !whole ? i + 1 : apart.includes(c.code) ? next++ : Number(c.code) }));
}

function codeLabels(question: Question, column: ExportColumn, language: Language): { code: string; label: string }[] {
  switch (question.type) {
    case 'multi_choice':
      return [
        { code: '1', label: WORDS.selected[language] },
        { code: '0', label: WORDS.notSelected[language] },
      ];
    case 'ranking':
      return column.codes.map((c) => ({ code: c.code, label: `${WORDS.ranked[language]} ${c.code}` }));
    case 'single_choice':
      return question.options.map((o) => ({ code: o.code, label: o.label[language] }));
    case 'scale':
    case 'matrix':
      return [...question.scale.points, ...question.scale.non_substantive].map((p) => ({ code: p.code, label: p.label?.[language] ?? p.code }));
    case 'yes_no':
      return [
        { code: 'yes', label: WORDS.yes[language] },
        { code: 'no', label: WORDS.no[language] },
        ...(question.dont_know ? [{ code: 'dk', label: WORDS.dontKnow[language] }] : []),
      ];
    default:
      return [];
  }
}

function itemLabel(question: Question, item: string, language: Language): string {
  if (question.type === 'multi_choice' || question.type === 'ranking') return question.options.find((o) => o.code === item)?.label[language] ?? item;
  if (question.type === 'matrix') return question.rows.find((r) => r.code === item)?.label[language] ?? item;
  return '';
}

const LEVELS: Partial<Record<Question['type'], MeasurementLevel>> = { scale: 'ordinal', matrix: 'ordinal', ranking: 'ordinal', numeric: 'scale' };

function answerVariable(column: ExportColumn, question: Question, language: Language): Omit<DictionaryVariable, 'name'> {
  const item = column.item ? itemLabel(question, column.item, language) : '';
  const label = `${column.number}. ${question.text[language]}${item ? ` — ${item}` : ''}${question.type === 'ranking' ? ` (${WORDS.rankNote[language]})` : ''}`;
  const specials: SpecialCode[] = ['.h', '.a', '.x', '.s'];
  if (question.type === 'ranking') specials.push('.n');
  else if (question.type === 'short_text' || question.type === 'long_text') specials.push('.w');
  else if (question.type !== 'multi_choice' && question.type !== 'numeric') specials.push('.o');
  const level = LEVELS[question.type] ?? 'nominal';
  if (question.type === 'numeric') {
    return {
      column: column.name,
      label,
      storage: 'number',
      level,
      values: [],
      missing: missingCodes(specials, language, question.min ?? -999990),
      width: 0,
      integer: question.integer === true,
    };
  }
  if (question.type === 'short_text' || question.type === 'long_text') {
    // Up to four bytes a character in UTF-8; SPSS strings hold at most 32,767 bytes.
    return {
      column: column.name,
      label,
      storage: 'text',
      level,
      values: [],
      missing: missingCodes(specials, language, 0),
      width: Math.min(32767, question.max_length * 4),
    };
  }
  const apart = question.type === 'multi_choice' ? [] : nonSubstantiveCodes(question);
  return {
    column: column.name,
    label,
    storage: 'categorical',
    level,
    values: numbered(codeLabels(question, column, language), apart),
    missing: missingCodes(specials, language, 0),
    width: 0,
  };
}

function quasiIdentifierVariable(column: string, definition: SurveyDefinition, language: Language): Omit<DictionaryVariable, 'name'> {
  let codes: { code: string; label: string }[];
  if (column === 'org_type') {
    // Organisation types in the words of the questionnaire's own question, where it has one.
    // Registration stores the question's codes, an invitation list the toolkit's: both are labelled.
    const asked = allQuestions(definition).find((q) => q.registration === 'org_type');
    const options = asked && asked.type === 'single_choice' ? asked.options : [];
    codes = options.map((o) => ({ code: o.code, label: o.label[language] }));
    for (const code of ORG_TYPES) {
      const english = ORG_TYPE_LABELS[code];
      if (!codes.some((c) => c.code === code)) codes.push({ code, label: options.find((o) => o.label.en === english)?.label[language] ?? english });
    }
    codes.push({ code: 'not_applicable', label: NOT_APPLICABLE[language] });
  } else {
    codes = QUASI_IDENTIFIER_VALUES[column as 'kind' | 'region' | 'role_group'].map(([code, words]) => ({ code, label: words[language] }));
  }
  codes.push({ code: ANY, label: WORDS.any[language] });
  const label = WORDS[column as 'kind' | 'region' | 'role_group' | 'org_type'][language];
  return { column, label, storage: 'categorical', level: 'nominal', values: numbered(codes, []), missing: missingCodes(['.s'], language, 0), width: 0 };
}

/**
 * The dictionary of a row file. Throws when a header column is neither the identifier, a
 * quasi-identifier nor one of `columns` (a layout and a header that do not belong together).
 *
 * @example dataDictionary({ dataFile: 'responses.csv', header, columns, definition, language: 'fr' }).variables[5].label // '3. Votre gouvernement a-t-il… — Troïka'
 */
export function dataDictionary(source: DictionarySource): DataDictionary {
  const byName = new Map(source.columns.map((c) => [c.name, c]));
  const questions = new Map(allQuestions(source.definition).map((q) => [q.id, q]));
  const names = variableNames(source.header);
  const variables = source.header.map((column, i): DictionaryVariable => {
    const name = names[i]!;
    if (column === 'response')
      return { column, name, label: WORDS.response[source.language], storage: 'text', level: 'nominal', values: [], missing: [], width: 40 };
    if (column === 'kind' || column === 'region' || column === 'role_group' || column === 'org_type')
      return { name, ...quasiIdentifierVariable(column, source.definition, source.language) };
    const exported = byName.get(column);
    const question = exported && questions.get(exported.questionId);
    if (!exported || !question) throw new Error(`The column '${column}' is not in the questionnaire's layout.`);
    return { name, ...answerVariable(exported, question, source.language) };
  });
  return { language: source.language, dataFile: source.dataFile, variables };
}

/**
 * The dictionary with every code found in the data: a coded cell the questionnaire does not name
 * (a code stored before a list changed) gets a number after the others and the code as its label,
 * so no answer turns silently into a missing value.
 *
 * @example withObservedCodes(dictionary, [['R1', 'government', 'Mars']]) // region gains { code: 'Mars', label: 'Mars' }
 */
export function withObservedCodes(dictionary: DataDictionary, rows: readonly (readonly string[])[]): DataDictionary {
  const variables = dictionary.variables.map((v, i) => {
    if (v.storage !== 'categorical') return v;
    const known = new Set([...v.values, ...v.missing].map((x) => x.code));
    const extra = [...new Set(rows.map((row) => row[i] ?? '').filter((code) => code !== '' && !known.has(code)))].sort();
    if (!extra.length) return v;
    let next = Math.max(0, ...v.values.map((x) => x.number)) + 1;
    return { ...v, values: [...v.values, ...extra.map((code) => ({ code, number: next++, label: code }))] };
  });
  return { ...dictionary, variables };
}
