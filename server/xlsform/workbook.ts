/**
 * An XLSForm workbook as plain data: its sheets as rows of cells keyed by column header, each row
 * with the number Excel shows. Conversion code reads and writes this shape only; opening and
 * saving `.xlsx` files is done in `xlsx-file.ts`.
 */
import { LANGUAGES, LANGUAGE_NAMES, type Language } from '../../survey-definitions/schema.ts';

/** One row of a sheet: its 1-based row number as Excel shows it, and its non-empty cells by header. */
export interface SheetRow {
  row: number;
  cells: Record<string, string>;
}

/** A sheet: its headers in column order (as written, trimmed) and its non-empty rows below them. */
export interface Sheet {
  name: string;
  headers: string[];
  rows: SheetRow[];
}

/** The three sheets of an XLSForm; `choices` and `settings` may be absent from a workbook. */
export interface XlsFormBook {
  survey: Sheet;
  choices?: Sheet;
  settings?: Sheet;
}

/** The XLSForm language name of each of our languages, as in `label::English (en)`. */
export function xlsFormLanguage(language: Language): string {
  return `${LANGUAGE_NAMES[language]} (${language})`;
}

/** A column of texts in one language, e.g. `label::French (fr)`. */
export function languageColumn(base: string, language: Language): string {
  return `${base}::${xlsFormLanguage(language)}`;
}

/** Spreadsheet column letters of a 0-based column index: 0 → A, 25 → Z, 26 → AA. */
export function columnLetter(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/**
 * Something a conversion could not carry over. `essential` problems stop the conversion (nothing is
 * written); the others are reported and the conversion goes on without what they name.
 */
export interface ConversionProblem {
  sheet: string;
  /** 1-based row as Excel shows it; absent for a problem of the whole sheet. */
  row?: number;
  /** Header of the column, e.g. `relevant`. */
  column?: string;
  /** Spreadsheet letter of that column, e.g. `H`. */
  letter?: string;
  message: string;
  essential: boolean;
}

/**
 * Renders a problem as `survey!H14 (relevant): message` (`settings row 2 (form_id): …` for a
 * column the sheet does not have).
 *
 * @example
 *   formatConversionProblem({ sheet: 'survey', row: 14, column: 'relevant', letter: 'H', message: 'x', essential: true })
 *   // 'survey!H14 (relevant): x'
 */
export function formatConversionProblem(problem: ConversionProblem): string {
  const at =
    problem.row === undefined ? problem.sheet : problem.letter ? `${problem.sheet}!${problem.letter}${problem.row}` : `${problem.sheet} row ${problem.row}`;
  const column = problem.column ? ` (${problem.column})` : '';
  return `${at}${column}: ${problem.message}`;
}

/** Where a cell is, for a problem report: the sheet's row and the column's header and letter. */
export function cellAt(sheet: Sheet, row: number, header: string | undefined): Pick<ConversionProblem, 'sheet' | 'row' | 'column' | 'letter'> {
  if (header === undefined) return { sheet: sheet.name, row };
  const index = sheet.headers.findIndex((h) => h.toLowerCase() === header.toLowerCase());
  return { sheet: sheet.name, row, column: header, ...(index >= 0 ? { letter: columnLetter(index) } : {}) };
}

/** The value of a row's cell under a header (headers compare without regard to case), or ''. */
export function cellText(row: SheetRow, header: string): string {
  const wanted = header.toLowerCase();
  for (const [key, value] of Object.entries(row.cells)) if (key.toLowerCase() === wanted) return value;
  return '';
}

/** Language codes recognised in column headers: `English (en)`, `English`, `en`, `Français`… */
const LANGUAGE_WORDS: Record<string, Language> = {
  english: 'en',
  anglais: 'en',
  inglés: 'en',
  ingles: 'en',
  french: 'fr',
  français: 'fr',
  francais: 'fr',
  francés: 'fr',
  frances: 'fr',
  spanish: 'es',
  espagnol: 'es',
  español: 'es',
  espanol: 'es',
};

/**
 * The language of an XLSForm language name: `English (en)` → en, `Spanish` → es, `fr` → fr;
 * undefined for a language we do not serve (e.g. `Swahili (sw)`).
 */
export function languageOf(name: string): Language | undefined {
  const trimmed = name.trim();
  const code = /\(([A-Za-z-]+)\)\s*$/.exec(trimmed)?.[1]?.toLowerCase().split('-')[0];
  if (code) return (LANGUAGES as readonly string[]).includes(code) ? (code as Language) : undefined;
  const word = trimmed.toLowerCase();
  if ((LANGUAGES as readonly string[]).includes(word)) return word as Language;
  return LANGUAGE_WORDS[word];
}
