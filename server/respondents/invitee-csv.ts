/**
 * Reads a CSV file of invitees (one respondent per row) and checks every row. Pure: no database;
 * conflicts with respondents already stored are checked by `import-invitees.ts`.
 *
 * Columns: `name, kind, country, roles, org_type, email, language` (header row required, any order;
 * `language`, the language of the invitee's e-mail, `en`, `fr` or `es`, is optional: `en` when empty).
 */
import Papa from 'papaparse';
import { countryChoices, findCountry } from '../../survey-definitions/countries.ts';
import { LANGUAGES, RESPONDENT_KINDS, type Language, type RespondentKind } from '../../survey-definitions/schema.ts';

export const INVITEE_COLUMNS = ['name', 'kind', 'country', 'roles', 'org_type', 'email', 'language'] as const;
export type InviteeColumn = (typeof INVITEE_COLUMNS)[number];

/** GFMD roles a respondent may hold; several per row, separated by `;`. */
export const GFMD_ROLES = [
  'chair_in_office_past',
  'chair_in_office_future',
  'troika',
  'steering_group',
  'assessment_team',
  'roundtable_cochair',
  'roundtable_team',
  'working_group_cochair',
  'working_group_member',
  'pfp_partner',
  'contributor',
] as const;
export type GfmdRole = (typeof GFMD_ROLES)[number];

/**
 * Organisation types offered at open registration and stored with a respondent (`org_type`). The
 * civil society questionnaire asks the same thing in its own codes: see {@link ORG_TYPE_ANSWERS}.
 */
export const ORG_TYPES = [
  'migrant_association',
  'diaspora_organisation',
  'trade_union',
  'ngo_human_rights',
  'faith_based',
  'academia_think_tank',
  'private_sector',
  'foundation',
  'youth_community',
  'national_human_rights_institution',
  'media',
  'other',
] as const;

export type OrgType = (typeof ORG_TYPES)[number];

/**
 * Each organisation type as the option code of the civil society questionnaire's question on it
 * (the question marked `registration: org_type`), whose labels the registration page shows.
 */
export const ORG_TYPE_ANSWERS: Record<OrgType, string> = {
  migrant_association: 'migrant_hometown_association',
  diaspora_organisation: 'diaspora_organisation',
  trade_union: 'trade_union',
  ngo_human_rights: 'ngo_human_rights_organisation',
  faith_based: 'faith_based_organisation',
  academia_think_tank: 'academia_think_tank',
  private_sector: 'private_sector_business',
  foundation: 'foundation',
  youth_community: 'youth_community_based_organisation',
  national_human_rights_institution: 'national_human_rights_institution',
  media: 'media',
  other: 'other',
};

/** Most data rows one file may hold. */
export const MAX_INVITEE_ROWS = 5000;
/** Longest value (in characters, after trimming) any cell may hold. */
export const MAX_FIELD_LENGTH = 300;

export interface Invitee {
  /** Line of the row in the file as a spreadsheet shows it (header = 1, first data row = 2). */
  line: number;
  name: string;
  kind: RespondentKind;
  /** ISO 3166-1 alpha-3, whether the file gave alpha-2 or alpha-3; null when not given. */
  country: string | null;
  /** UN M49 region and sub-region of the country; null without a country. */
  region: string | null;
  subregion: string | null;
  /** Without duplicates, in the order given. */
  roles: GfmdRole[];
  orgType: string | null;
  email: string | null;
  /** The language of the invitee's e-mail (`en` when the file gives none). */
  language: Language;
}

export interface RowError {
  /** Line in the file (header = 1). */
  line: number;
  column?: string;
  message: string;
}

export type InviteeCsvResult = { ok: true; columns: InviteeColumn[]; rows: Invitee[] } | { ok: false; errors: RowError[] };

const ALIASES: Record<string, InviteeColumn> = { 'org type': 'org_type', 'org-type': 'org_type', organisation_type: 'org_type', organization_type: 'org_type' };
const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:".]+(\.[^\s@<>(),;:".]+)+$/;

/**
 * Parses and checks an invitee file; valid only if every row is.
 *
 * A leading UTF-8 byte order mark is ignored; blank lines are skipped (but still counted in line
 * numbers); a quoted field may hold commas and line breaks (its row is numbered by its first line).
 * Errors come sorted by line; a header error has line 1. A file with more than
 * {@link MAX_INVITEE_ROWS} rows is refused without checking the rows beyond the limit.
 *
 * @param audience the questionnaire's respondent kinds; rows of any other kind are errors.
 * @example
 *   const result = parseInviteeCsv('name,kind,country\nKenya,government,KE\n', ['government']);
 *   // { ok: true, columns: ['name', 'kind', 'country'], rows: [{ line: 2, name: 'Kenya', country: 'KEN', ... }] }
 */
export function parseInviteeCsv(text: string, audience: readonly RespondentKind[]): InviteeCsvResult {
  const { columns, rows, errors } = checkInviteeCsv(text, audience);
  return errors.length ? { ok: false, errors } : { ok: true, columns, rows };
}

/**
 * Like {@link parseInviteeCsv}, but returns the valid rows beside the errors, so that a caller can
 * add its own checks on them (e.g. against the database) and report everything at once.
 */
export function checkInviteeCsv(text: string, audience: readonly RespondentKind[]): { columns: InviteeColumn[]; rows: Invitee[]; errors: RowError[] } {
  const source = text.replace(/^\uFEFF/, '');
  const lineOf = lineLocator(source);
  const errors: RowError[] = [];
  const rows: Invitee[] = [];
  let header: (InviteeColumn | undefined)[] | undefined;
  let headerUsable = true;
  let dataRows = 0;
  let rowStart = 0;
  const seenCountries = new Map<string, number>();
  const seenEmails = new Map<string, number>();

  Papa.parse<string[]>(source, {
    delimiter: ',',
    skipEmptyLines: 'greedy',
    step: (result, parser) => {
      // The row starts after the previous row's end, past the blank lines papaparse skipped.
      const start = rowStart + (/^\s*/.exec(source.slice(rowStart, result.meta.cursor))?.[0].length ?? 0);
      rowStart = result.meta.cursor;
      const line = lineOf(start);
      const cells = result.data;
      if (result.errors.length) {
        errors.push({ line, message: 'a quoted value is not closed or has text after its closing quote; check the double quotes on this line' });
        // A broken header leaves no columns to check the rows against.
        if (!header) {
          header = [];
          headerUsable = false;
        }
        return;
      }
      if (!header) {
        ({ header, usable: headerUsable } = readHeader(line, cells, audience, errors));
        return;
      }
      dataRows += 1;
      if (dataRows > MAX_INVITEE_ROWS) {
        errors.push({ line, message: `too many rows: a file may hold at most ${MAX_INVITEE_ROWS.toLocaleString('en')} invitees; split it into several files` });
        parser.abort();
        return;
      }
      if (!headerUsable) return;
      if (cells.length !== header.length) {
        errors.push({
          line,
          message: `has ${cells.length} values but the header has ${header.length} columns; put values that contain commas in double quotes`,
        });
        return;
      }
      const row = checkRow(line, header, cells, audience, errors, seenCountries, seenEmails);
      if (row) rows.push(row);
    },
  });

  if (!header && !errors.length) errors.push({ line: 1, message: `the file is empty: its first line must name the columns (${INVITEE_COLUMNS.join(', ')})` });
  else if (header && dataRows === 0 && !errors.length) errors.push({ line: 2, message: 'the file has a header but no invitees' });
  errors.sort((a, b) => a.line - b.line);
  return { columns: (header ?? []).filter((c): c is InviteeColumn => c !== undefined), rows, errors };
}

/**
 * Reads the header; unknown, duplicate and missing required columns are errors. `usable` is false
 * when a required column is missing (the rows cannot then be checked).
 */
function readHeader(
  line: number,
  cells: string[],
  audience: readonly RespondentKind[],
  errors: RowError[],
): { header: (InviteeColumn | undefined)[]; usable: boolean } {
  const known = new Set<string>(INVITEE_COLUMNS);
  // Spreadsheets in many European locales save "CSV" with semicolons between values.
  if (cells.length === 1 && (cells[0] ?? '').includes(';')) {
    errors.push({ line, message: 'the values are separated by semicolons (;); save the file with commas, e.g. as "CSV UTF-8 (comma delimited)"' });
    return { header: [], usable: false };
  }
  const header = cells.map((cell, index) => {
    const raw = cell.trim().toLowerCase();
    const name = ALIASES[raw] ?? raw.replace(/[\s-]+/g, '_');
    if (known.has(name)) return name as InviteeColumn;
    errors.push({
      line,
      column: cell.trim(),
      message: name === '' ? `column ${index + 1} has no name` : `unknown column '${cell.trim()}'; the columns are ${INVITEE_COLUMNS.join(', ')}`,
    });
    return undefined;
  });
  const seen = new Set<InviteeColumn>();
  for (const column of header) {
    if (column && seen.has(column)) errors.push({ line, column, message: `column '${column}' appears twice` });
    if (column) seen.add(column);
  }
  const required: InviteeColumn[] = audience.includes('government') ? ['name', 'kind', 'country'] : ['name', 'kind'];
  const missing = required.filter((column) => !seen.has(column));
  for (const column of missing) {
    errors.push({ line, column, message: `missing column '${column}'${column === 'country' ? ' (governments need a country)' : ''}` });
  }
  return { header, usable: missing.length === 0 };
}

function checkRow(
  line: number,
  header: (InviteeColumn | undefined)[],
  cells: string[],
  audience: readonly RespondentKind[],
  errors: RowError[],
  seenCountries: Map<string, number>,
  seenEmails: Map<string, number>,
): Invitee | undefined {
  const before = errors.length;
  const fail = (column: InviteeColumn, message: string) => errors.push({ line, column, message });
  const value: Partial<Record<InviteeColumn, string>> = {};
  header.forEach((column, i) => {
    if (!column) return;
    const cell = (cells[i] ?? '').trim();
    if (cell.length > MAX_FIELD_LENGTH) fail(column, `is ${cell.length} characters long; at most ${MAX_FIELD_LENGTH} are allowed`);
    value[column] = cell;
  });

  const name = value.name ?? '';
  if (name === '') fail('name', 'is empty');

  const kindText = (value.kind ?? '').toLowerCase();
  const kind = (RESPONDENT_KINDS as readonly string[]).includes(kindText) ? (kindText as RespondentKind) : undefined;
  if (kindText === '') fail('kind', `is empty; use one of ${audience.join(', ')}`);
  else if (!kind) fail('kind', `unknown kind '${value.kind}'; use one of ${RESPONDENT_KINDS.join(', ')}`);
  else if (!audience.includes(kind)) fail('kind', `this questionnaire is for ${audience.join(', ')}, not ${kind}`);

  const countryText = value.country ?? '';
  const country = countryText === '' ? undefined : findCountry(countryText);
  if (countryText !== '' && !country) fail('country', `unknown country '${countryText}'; use an ISO 3166-1 code such as KE or KEN`);
  if (kind === 'government' && countryText === '') fail('country', 'a government needs a country (ISO 3166-1 code such as KE or KEN)');
  if (kind === 'government' && country && !countryChoices('un_states').includes(country)) {
    fail('country', `${country.code} (${country.names.en}) is not a UN member or observer state; a government answers for one of those`);
  } else if (kind === 'government' && country) {
    const first = seenCountries.get(country.code);
    if (first !== undefined) fail('country', `${country.code} (${country.names.en}) is already invited as a government on line ${first}`);
    else seenCountries.set(country.code, line);
  }

  const roles: GfmdRole[] = [];
  for (const part of (value.roles ?? '').split(';')) {
    const role = part.trim().toLowerCase();
    if (role === '') continue;
    if (!(GFMD_ROLES as readonly string[]).includes(role)) fail('roles', `unknown role '${part.trim()}'; the roles are ${GFMD_ROLES.join(', ')}`);
    else if (!roles.includes(role as GfmdRole)) roles.push(role as GfmdRole);
  }

  const email = value.email ?? '';
  if (email !== '') {
    if (!EMAIL.test(email)) fail('email', `'${email}' is not an email address`);
    const first = seenEmails.get(email.toLowerCase());
    if (first !== undefined) fail('email', `${email} is already on line ${first}`);
    else seenEmails.set(email.toLowerCase(), line);
  }

  const languageText = (value.language ?? '').toLowerCase();
  const language = languageText === '' ? 'en' : (LANGUAGES as readonly string[]).includes(languageText) ? (languageText as Language) : undefined;
  if (!language) fail('language', `unknown language '${value.language}'; use one of ${LANGUAGES.join(', ')} (or leave it empty for en)`);

  if (errors.length > before || !kind || !language) return undefined;
  return {
    line,
    name,
    kind,
    country: country?.code ?? null,
    region: country?.region ?? null,
    subregion: country?.subregion ?? null,
    roles,
    orgType: value.org_type || null,
    email: email || null,
    language,
  };
}

/** Maps a character offset to its line number (1-based); `\r\n`, `\n` and `\r` each end a line. */
function lineLocator(text: string): (offset: number) => number {
  const starts = [0];
  for (const match of text.matchAll(/\r\n|\n|\r/g)) starts.push(match.index + match[0].length);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return low + 1;
  };
}
