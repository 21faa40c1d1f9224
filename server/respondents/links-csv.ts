/**
 * The file of new invitation links, written once after an import (command line or admin page):
 * the links are not stored and cannot be shown again.
 */
import Papa from 'papaparse';
import { neutraliseFormula } from '../csv/csv.ts';
import type { InvitedRow } from './import-invitees.ts';
import type { InviteeColumn } from './invitee-csv.ts';

/** The output file: the input's columns (values as stored, e.g. alpha-3 countries) plus `link`. */
export function linksCsv(columns: readonly InviteeColumn[], rows: readonly InvitedRow[]): string {
  const cell = (row: InvitedRow, column: InviteeColumn): string => {
    switch (column) {
      case 'roles':
        return row.roles.join(';');
      case 'org_type':
        return row.orgType ?? '';
      default:
        return row[column] ?? '';
    }
  };
  // The link itself is ours (https://…/r/<token>) and is left as it is.
  const data = rows.map((row) => [...columns.map((c) => neutraliseFormula(cell(row, c))), row.link]);
  // The byte order mark makes Excel read the file as UTF-8 (names with accents).
  return `\uFEFF${Papa.unparse({ fields: [...columns, 'link'], data }, { newline: '\r\n' })}\r\n`;
}
