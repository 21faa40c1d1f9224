/**
 * The file of new invitation links, written once after an import (command line or admin page):
 * the links are not stored and cannot be shown again.
 */
import Papa from 'papaparse';
import { neutraliseFormula } from '../csv/csv.ts';
import type { Invitee, InviteeColumn } from './invitee-csv.ts';

/** A row of the links file: an invitee as stored (an import's row, or a respondent carried into a later phase) and its link. */
export type LinkRow = Pick<Invitee, 'name' | 'kind' | 'country' | 'orgType' | 'email'> & { language?: string; roles: readonly string[]; link: string };

/** The output file: the input's columns (values as stored, e.g. alpha-3 countries) plus `link`. */
export function linksCsv(columns: readonly InviteeColumn[], rows: readonly LinkRow[]): string {
  const cell = (row: LinkRow, column: InviteeColumn): string => {
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
  // Papa ends the header line itself when there is no row (a run that made no link).
  const text = Papa.unparse({ fields: [...columns, 'link'], data }, { newline: '\r\n' });
  return `\uFEFF${text.endsWith('\r\n') ? text : `${text}\r\n`}`;
}
