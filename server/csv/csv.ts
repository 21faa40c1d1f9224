/**
 * CSV files for spreadsheets: UTF-8 with a byte order mark, CRLF line ends, and cells that a
 * spreadsheet would run as formulas neutralised.
 */
import Papa from 'papaparse';

/** A cell a spreadsheet would run as a formula gets a leading quote (CSV injection). */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * A CSV text with a header row. Every data cell is passed through {@link neutraliseFormula}; the
 * byte order mark makes Excel read the file as UTF-8 (names with accents).
 *
 * @example csvWithBom(['name'], [['=SUM(A1)']]) // '\uFEFFname\r\n\'=SUM(A1)\r\n'
 */
export function csvWithBom(fields: readonly string[], rows: readonly (readonly string[])[]): string {
  const data = rows.map((row) => row.map(neutraliseFormula));
  return `\uFEFF${Papa.unparse({ fields: [...fields], data }, { newline: '\r\n' })}\r\n`;
}

/** The first line of a streamed CSV file: byte order mark and header row. */
export function csvHeaderLine(fields: readonly string[]): string {
  return `\uFEFF${Papa.unparse([[...fields]], { newline: '\r\n' })}\r\n`;
}

/** Data lines of a streamed CSV file (after {@link csvHeaderLine}), every cell neutralised. */
export function csvDataLines(rows: readonly (readonly string[])[]): string {
  if (rows.length === 0) return '';
  return `${Papa.unparse(
    rows.map((row) => row.map(neutraliseFormula)),
    { newline: '\r\n' },
  )}\r\n`;
}
