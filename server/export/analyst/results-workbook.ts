/**
 * results.xlsx: one workbook with the README, the data (labels or codes), the codebook and the
 * tables, for analysts who work in Excel. Header rows are frozen and columns sized; suppressed
 * table cells are marked as in the bundle's tables file (and shaded). No cell is ever a formula:
 * every value is written as a number or as a plain string, so a text beginning with = + - @ is
 * shown as typed and never run.
 */
import type ExcelJS from 'exceljs';
import { unzipSync, zipSync } from 'fflate';
import type { DataDictionary, DictionaryVariable } from './data-dictionary.ts';

/** A table file of the bundle, and how to tell a suppressed count. */
export interface WorkbookTables {
  /** The file's name, as the README sheet mentions it. */
  file: string;
  header: readonly string[];
  rows: readonly (readonly string[])[];
  /** The column holding the counts. */
  countColumn: string;
  /** Whether a row's count is not shown (it keeps its marker, e.g. ".s" or "fewer than 5"). */
  suppressed: (row: readonly string[]) => boolean;
}

export interface WorkbookContent {
  /** The README sheet's lines (what the data are, who may use them). */
  readme: readonly string[];
  /** The data sheet: the dictionary and the CSV's data rows (codes), or null when there is no row file. */
  data: { dictionary: DataDictionary; rows: readonly (readonly string[])[] } | null;
  /** `labels`: coded cells show their label; `codes`: the codes of the CSV. */
  values: 'labels' | 'codes';
  tables: WorkbookTables | null;
  /** The workbook's date (its properties and its parts): the data's, so the same data give the same bytes. */
  date: Date;
}

export const SHEETS = { readme: 'README', data: 'Data', codebook: 'Codebook', tables: 'Tables' } as const;

const SHADE: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9D9D9' } };
const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?$/;

/** A cell's value: numbers as numbers, everything else as a plain string (never a formula). */
function cellValue(text: string, asNumber: boolean): string | number | null {
  if (text === '') return null;
  return asNumber && NUMBER.test(text) ? Number(text) : String(text);
}

function sizeColumns(sheet: ExcelJS.Worksheet, widths: number[]): void {
  widths.forEach((width, i) => {
    sheet.getColumn(i + 1).width = Math.min(60, Math.max(8, width + 2));
  });
}

/** Adds rows, tracking the longest text of each column for its width. */
function addRows(sheet: ExcelJS.Worksheet, rows: readonly (readonly (string | number | null)[])[], widths: number[]): void {
  for (const row of rows) {
    sheet.addRow([...row]);
    row.forEach((value, i) => {
      widths[i] = Math.max(widths[i] ?? 0, Math.min(60, String(value ?? '').length));
    });
  }
}

function dataCell(variable: DictionaryVariable, text: string, values: 'labels' | 'codes'): string | number | null {
  if (variable.storage === 'number') return cellValue(text.replace(/^'/, ''), true);
  // The CSV puts ' before a text a spreadsheet would run; here it is a plain string, shown as written.
  if (variable.storage === 'text') return cellValue(text.replace(/^'(?=[=+\-@\t\r])/, ''), false);
  if (values === 'codes') return cellValue(text, NUMBER.test(text));
  const found = variable.values.find((v) => v.code === text) ?? variable.missing.find((m) => m.code === text);
  return found ? found.label : cellValue(text, false);
}

function addData(workbook: ExcelJS.Workbook, content: WorkbookContent & { data: NonNullable<WorkbookContent['data']> }): void {
  const { dictionary, rows } = content.data;
  const sheet = workbook.addWorksheet(SHEETS.data, { views: [{ state: 'frozen', xSplit: 1, ySplit: 2 }] });
  const widths: number[] = [];
  addRows(sheet, [dictionary.variables.map((v) => v.name)], widths);
  sheet.addRow(dictionary.variables.map((v) => v.label));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(2).font = { italic: true };
  addRows(
    sheet,
    rows.map((row) => dictionary.variables.map((v, i) => dataCell(v, row[i] ?? '', content.values))),
    widths,
  );
  sizeColumns(sheet, widths);
}

function addCodebook(workbook: ExcelJS.Workbook, dictionary: DataDictionary): void {
  const sheet = workbook.addWorksheet(SHEETS.codebook, { views: [{ state: 'frozen', ySplit: 1 }] });
  const widths: number[] = [];
  addRows(sheet, [['variable', 'column in CSV', 'label', 'level', 'code', 'number (SPSS, Stata)', 'value label', 'missing']], widths);
  sheet.getRow(1).font = { bold: true };
  const rows: (string | number | null)[][] = [];
  for (const v of dictionary.variables) {
    rows.push([v.name, v.column, v.label, v.storage === 'text' ? 'text' : v.level, null, null, null, null]);
    for (const x of v.values) rows.push([v.name, null, null, null, x.code, x.number, x.label, 'no']);
    for (const m of v.missing) rows.push([v.name, null, null, null, m.code, v.storage === 'text' ? null : m.number, m.label, 'yes']);
  }
  addRows(sheet, rows, widths);
  sizeColumns(sheet, widths);
}

function addTables(workbook: ExcelJS.Workbook, tables: WorkbookTables): void {
  const sheet = workbook.addWorksheet(SHEETS.tables, { views: [{ state: 'frozen', ySplit: 1 }] });
  const widths: number[] = [];
  addRows(sheet, [tables.header], widths);
  sheet.getRow(1).font = { bold: true };
  const countAt = tables.header.indexOf(tables.countColumn);
  for (const row of tables.rows) {
    const added = sheet.addRow(row.map((text, i) => cellValue(text, i === countAt)));
    row.forEach((text, i) => {
      widths[i] = Math.max(widths[i] ?? 0, Math.min(60, text.length));
    });
    if (tables.suppressed(row)) {
      // The count keeps its marker; the row is shaded so a reader sees it at a glance.
      added.eachCell((cell) => {
        cell.fill = SHADE;
      });
    }
  }
  sizeColumns(sheet, widths);
}

/**
 * The workbook of a bundle, as bytes.
 *
 * @example await resultsWorkbook({ readme: ['CONFIDENTIAL'], data: { dictionary, rows }, values: 'labels', tables: null })
 */
export async function resultsWorkbook(content: WorkbookContent): Promise<Buffer> {
  // Loaded when a workbook is made, not with every command and server that imports the export.
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
  workbook.creator = 'Forum Assessment Toolkit';
  workbook.created = content.date;
  workbook.modified = content.date;
  const readme = workbook.addWorksheet(SHEETS.readme);
  for (const line of content.readme) readme.addRow([cellValue(line, false)]);
  readme.getColumn(1).width = 110;
  readme.getRow(1).font = { bold: true };
  if (content.data) {
    addData(workbook, { ...content, data: content.data });
    addCodebook(workbook, content.data.dictionary);
  }
  if (content.tables) addTables(workbook, content.tables);
  // The archive's entries carry the time they were written: zipped again with the workbook's date,
  // a reproducible export stays byte for byte the same.
  const parts = unzipSync(new Uint8Array(await workbook.xlsx.writeBuffer()));
  return Buffer.from(
    zipSync(
      Object.fromEntries(
        Object.entries(parts)
          .filter(([name]) => !name.endsWith('/'))
          .map(([name, bytes]) => [name, [bytes, { mtime: content.date }]]),
      ),
      { level: 6 },
    ),
  );
}
