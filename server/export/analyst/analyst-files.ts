/**
 * Writes the analysts' files beside a row file already on disk: labels.sps (SPSS, PSPP),
 * labels.do (Stata), labels.R (R) and results.xlsx (Excel). The syntax files read the CSV from
 * their own folder.
 *
 * SPSS and PSPP cannot read a line break inside a quoted CSV field; when a cell holds one, a copy
 * of the CSV with those line breaks replaced by spaces (`<name>-spss.csv`) is written for
 * labels.sps, and the other tools read the original.
 *
 * The workbook holds the whole row file in memory (a sheet holds at most 1,048,576 rows anyway).
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Papa from 'papaparse';
import type { Language } from '../../../survey-definitions/schema.ts';
import type { SurveyDefinition } from '../../../survey-definitions/types.ts';
import { csvDataLines, csvHeaderLine } from '../../csv/csv.ts';
import type { ExportColumn } from '../export-columns.ts';
import { dataDictionary, withObservedCodes } from './data-dictionary.ts';
import { resultsWorkbook, type WorkbookTables } from './results-workbook.ts';
import { rSyntax } from './r-syntax.ts';
import { spssSyntax } from './spss-syntax.ts';
import { stataSyntax } from './stata-syntax.ts';

export const ANALYST_FILES = { spss: 'labels.sps', stata: 'labels.do', r: 'labels.R', workbook: 'results.xlsx' } as const;

export interface AnalystFilesOptions {
  folder: string;
  /** The row file in `folder` and its layout; null for a bundle without one (the workbook then holds the tables). */
  rowFile: { name: string; header: readonly string[]; columns: readonly ExportColumn[]; definition: SurveyDefinition } | null;
  language: Language;
  /** What the workbook's data sheet shows for coded cells. */
  values: 'labels' | 'codes';
  /** Lines opening every syntax file and the workbook's README (what the data are, who may use them). */
  notice: readonly string[];
  /** The bundle's table file in `folder`, and how it marks a count not shown. */
  tables: Omit<WorkbookTables, 'header' | 'rows'> | null;
  /** The day of the data (e.g. its latest submission), the workbook's date; the same data give the same files. */
  date: Date;
}

export interface AnalystFile {
  name: string;
  bytes: number;
  sha256: string;
}

/** A CSV file of the bundle as header and rows (byte order mark stripped). */
async function readCsv(file: string): Promise<{ header: string[]; rows: string[][] }> {
  const text = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  const parsed = Papa.parse<string[]>(text, { delimiter: ',', skipEmptyLines: true });
  if (parsed.errors.length) throw new Error(`${path.basename(file)} is not valid CSV: ${parsed.errors[0]!.message}`);
  const [header = [], ...rows] = parsed.data;
  return { header, rows };
}

const spssCopyName = (name: string) => name.replace(/\.csv$/, '-spss.csv');

/**
 * Writes the files into `options.folder`; their names, sizes and SHA-256 (for a manifest).
 *
 * @example await writeAnalystFiles({ folder, rowFile: { name: 'responses-restricted.csv', header, columns, definition }, language: 'en', values: 'labels', notice: ['RESTRICTED USE'], tables: null })
 */
export async function writeAnalystFiles(options: AnalystFilesOptions): Promise<AnalystFile[]> {
  const files = new Map<string, Buffer>();
  const tables = options.tables ? { ...options.tables, ...(await readCsv(path.join(options.folder, options.tables.file))) } : null;
  let data = null;
  if (options.rowFile) {
    const csv = await readCsv(path.join(options.folder, options.rowFile.name));
    if (csv.header.join(',') !== options.rowFile.header.join(',')) throw new Error(`${options.rowFile.name} does not have the columns of its layout.`);
    const dictionary = withObservedCodes(
      dataDictionary({
        dataFile: options.rowFile.name,
        header: options.rowFile.header,
        columns: options.rowFile.columns,
        definition: options.rowFile.definition,
        language: options.language,
      }),
      csv.rows,
    );
    let spssDataFile = options.rowFile.name;
    if (csv.rows.some((row) => row.some((cell) => /[\r\n]/.test(cell)))) {
      spssDataFile = spssCopyName(options.rowFile.name);
      const flat = csv.rows.map((row) => row.map((cell) => cell.replace(/\r\n|[\r\n]/g, ' ')));
      files.set(spssDataFile, Buffer.from(csvHeaderLine(csv.header) + csvDataLines(flat), 'utf8'));
    }
    const spssNotice =
      spssDataFile === options.rowFile.name
        ? options.notice
        : [
            ...options.notice,
            `SPSS reads ${spssDataFile}: ${options.rowFile.name} with line breaks inside answers replaced by spaces (SPSS cannot read them).`,
          ];
    files.set(ANALYST_FILES.spss, Buffer.from(spssSyntax({ ...dictionary, dataFile: spssDataFile }, spssNotice), 'utf8'));
    files.set(ANALYST_FILES.stata, Buffer.from(stataSyntax(dictionary, options.notice), 'utf8'));
    files.set(ANALYST_FILES.r, Buffer.from(rSyntax(dictionary, options.notice), 'utf8'));
    data = { dictionary, rows: csv.rows };
  }
  const readme = [
    ...options.notice,
    '',
    ...(data
      ? [
          `Sheet Data: ${data.rows.length} rows of ${options.rowFile!.name}, one per response; row 1 the variable names, row 2 their labels; ${options.values === 'labels' ? 'answers as labels' : 'answers as codes (see the Codebook sheet)'}.`,
          'Sheet Codebook: every variable, its label, measurement level, codes with their numbers (as in labels.sps and labels.do) and labels; "missing: yes" for the special codes that say why a cell holds no answer.',
        ]
      : ['No row file in this bundle: the workbook holds its tables only.']),
    ...(tables ? [`Sheet Tables: ${tables.file}; a count not shown keeps its marker in "${tables.countColumn}" and its row is shaded grey.`] : []),
    'No cell of this workbook is a formula: a text beginning with = + - @ is shown as it was written.',
    ...(data ? ['The same data in SPSS or PSPP: labels.sps; in Stata: labels.do; in R: source("labels.R").'] : []),
  ];
  files.set(ANALYST_FILES.workbook, await resultsWorkbook({ readme, data, values: options.values, tables, date: options.date }));
  for (const [name, bytes] of files) await writeFile(path.join(options.folder, name), bytes);
  return [...files].map(([name, bytes]) => ({ name, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') }));
}

/** The date of a day written YYYY-MM-DD (noon UTC, the same day everywhere), or 1 January 1980 without one. */
export function dataDay(day: string | null): Date {
  return new Date(day ? `${day}T12:00:00Z` : '1980-01-01T12:00:00Z');
}
