/**
 * Reading and writing XLSForm workbooks as `.xlsx` files (with exceljs). Only the sheets a form
 * uses are read (survey, choices, settings; names compared without regard to case); every cell is
 * read as the text Excel shows, formulas as their last computed value.
 */
import ExcelJS from 'exceljs';
import type { Sheet, SheetRow, XlsFormBook } from './workbook.ts';

/** The largest workbook read, in bytes: XLSForms are a few hundred KB at most. */
export const MAX_XLSFORM_BYTES = 20 * 1024 * 1024;

/** The text of a cell's value: rich text joined, formulas by their result, dates as YYYY-MM-DD. */
function cellValueText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('formula' in value || 'sharedFormula' in value)
    return 'result' in value && value.result !== undefined ? cellValueText(value.result as ExcelJS.CellValue) : '';
  if ('text' in value) return String(value.text);
  return '';
}

function readSheet(worksheet: ExcelJS.Worksheet): Sheet {
  const rows: { row: number; values: string[] }[] = [];
  worksheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values: string[] = [];
    row.eachCell({ includeEmpty: false }, (cell, column) => {
      values[column - 1] = cellValueText(cell.value);
    });
    if (values.some((v) => v !== undefined && v.trim() !== '')) rows.push({ row: rowNumber, values });
  });
  const [header, ...body] = rows;
  const headers = Array.from(header?.values ?? [], (v) => (v ?? '').trim());
  const sheetRows: SheetRow[] = body.map(({ row, values }) => {
    const cells: Record<string, string> = {};
    headers.forEach((name, i) => {
      const value = values[i];
      if (name && value !== undefined && value.trim() !== '') cells[name] = value;
    });
    return { row, cells };
  });
  return { name: worksheet.name, headers, rows: sheetRows };
}

/** Reads an XLSForm from `.xlsx` bytes; throws when the workbook has no survey sheet. */
export async function readXlsForm(bytes: Buffer): Promise<XlsFormBook> {
  if (bytes.length > MAX_XLSFORM_BYTES) throw new Error(`the workbook is ${bytes.length} bytes long; at most ${MAX_XLSFORM_BYTES} are read`);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const find = (name: string) => workbook.worksheets.find((w) => w.name.trim().toLowerCase() === name);
  const survey = find('survey');
  if (!survey) throw new Error(`the workbook has no 'survey' sheet (sheets: ${workbook.worksheets.map((w) => w.name).join(', ') || 'none'})`);
  const choices = find('choices');
  const settings = find('settings');
  return { survey: readSheet(survey), ...(choices ? { choices: readSheet(choices) } : {}), ...(settings ? { settings: readSheet(settings) } : {}) };
}

/** Writes an XLSForm as `.xlsx` bytes: one worksheet per sheet, headers in bold, the header row frozen. */
export async function writeXlsForm(book: XlsFormBook): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  for (const sheet of [book.survey, book.choices, book.settings]) {
    if (!sheet) continue;
    const worksheet = workbook.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    worksheet.addRow(sheet.headers).font = { bold: true };
    for (const row of sheet.rows) worksheet.addRow(sheet.headers.map((h) => row.cells[h] ?? null));
    sheet.headers.forEach((header, i) => {
      worksheet.getColumn(i + 1).width = /label|hint|toolkit_(description|privacy)/.test(header) ? 50 : Math.max(12, header.length + 2);
    });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
