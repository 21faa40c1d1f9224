/**
 * The descriptive files of the restricted-use bundle: the codebook's rows, the manifest's shape and
 * the README.txt its recipient opens first. Pure.
 */
import { REGIONS } from '../../survey-definitions/countries.ts';
import { GFMD_ROLES, ORG_TYPES } from '../respondents/invitee-csv.ts';
import { orgTypeLabel, roleLabel } from '../respondents/respondent-labels.ts';
import { SPECIAL_CODES, type ExportColumn, type WithheldQuestion } from './export-columns.ts';
import { ANSWERED_ROW, SUBSTANTIVE_ROW, type TableSummary } from './export-tables.ts';
import { ANY } from './quasi-identifiers.ts';

export const CODEBOOK_FIELDS = ['column', 'question_id', 'question_number', 'item', 'type', 'question', 'code', 'label'] as const;

/**
 * The files of a restricted-use bundle. The CSV files carry "restricted" in their names (a
 * spreadsheet shows the name, and a comment line would break CSV readers); README.txt opens with
 * RESTRICTED USE and manifest.json says `"use": "restricted"`.
 */
export const RESTRICTED_FILES = {
  responses: 'responses-restricted.csv',
  codebook: 'codebook-restricted.csv',
  tables: 'tables-restricted.csv',
  readme: 'README.txt',
  manifest: 'manifest.json',
} as const;

/**
 * The codebook's rows: the identifier, the quasi-identifier columns and every answer column with
 * each code; `question_number` is the question's number in the form, as on every page.
 */
export function codebookRows(columns: readonly ExportColumn[], tablesFile: string | null = RESTRICTED_FILES.tables): string[][] {
  const numbers = new Map(columns.map((c) => [c.questionId, String(c.number)]));
  return codebookRowsWithoutNumbers(columns, tablesFile).map(([column, questionId, ...rest]) => [
    column!,
    questionId!,
    questionId ? (numbers.get(questionId) ?? '') : '',
    ...rest,
  ]);
}

function codebookRowsWithoutNumbers(columns: readonly ExportColumn[], tablesFile: string | null): string[][] {
  const rows: string[][] = [
    ['response', '', '', 'identifier', 'Random identifier of the response, new in every export (not linked to any other file or export)', '', ''],
  ];
  const qi = (column: string, question: string, codes: [string, string][]) => {
    for (const [code, label] of [
      ...codes,
      [ANY, 'generalised: not published for this file'] as [string, string],
      ['.s', SPECIAL_CODES['.s']] as [string, string],
    ]) {
      rows.push([column, '', '', 'quasi-identifier', question, code, label]);
    }
  };
  qi('kind', 'Stakeholder kind', [
    ['government', 'Government'],
    ['civil_society', 'Civil society organisation'],
    ['international_org', 'International organisation'],
  ]);
  qi('region', 'UN M49 region of the respondent (the country is never published)', [
    ...REGIONS.map((r) => [r, r] as [string, string]),
    ['unknown', 'no country recorded'],
  ]);
  qi('role_group', `GFMD role, coarsened from: ${GFMD_ROLES.map(roleLabel).join('; ')}`, [
    ['steering_group', 'Chair, Troika, Steering Group or Assessment Team'],
    ['other_role', 'another GFMD role'],
    ['no_role', 'no GFMD role recorded'],
    ['some_role', 'some GFMD role (steering_group and other_role together)'],
  ]);
  qi('org_type', 'Organisation type (civil society)', [
    ...ORG_TYPES.map((c) => [c, orgTypeLabel(c)] as [string, string]),
    ['not_applicable', 'not an organisation (government)'],
  ]);
  for (const column of columns) {
    if (column.tablesOnly) continue;
    const specials: (keyof typeof SPECIAL_CODES)[] = ['.h', '.a', '.x'];
    if (column.codes.length && column.type !== 'ranking' && column.type !== 'multi_choice') specials.push('.o');
    if (column.type === 'ranking') specials.push('.n');
    if (column.type === 'short_text' || column.type === 'long_text') specials.push('.w');
    const codes = column.codes.length
      ? column.codes
      : [{ code: '', label: column.type === 'numeric' ? 'a number' : 'text as approved for publication, names removed' }];
    for (const c of codes) rows.push([column.name, column.questionId, column.item, column.type, column.text, c.code, c.label]);
    for (const s of specials) rows.push([column.name, column.questionId, column.item, column.type, column.text, s, SPECIAL_CODES[s]]);
  }
  // The rows of the k-anonymous bundle's tables file, whose codes the codebook explains too.
  if (tablesFile === null) return rows;
  rows.push([
    `${tablesFile}: code`,
    '',
    '',
    'table row',
    `Row of ${tablesFile} holding the number of respondents who answered`,
    ANSWERED_ROW,
    'respondents who answered (the base of the shares of a question without answers counted apart, and of the answers counted apart)',
  ]);
  rows.push([
    `${tablesFile}: code`,
    '',
    '',
    'table row',
    `Row of ${tablesFile}, in the tables of questions with "don't know" or similar answers, holding the number of respondents who gave a view (${ANSWERED_ROW} minus those who gave only such answers)`,
    SUBSTANTIVE_ROW,
    "respondents who gave a view (the base of the options' shares, which then add to 100% for one answer per respondent)",
  ]);
  rows.push([
    `${tablesFile}: base`,
    '',
    '',
    'base',
    `Column of ${tablesFile}: the code of the row (same question, item, kind and region) whose count is this row's base when computing a share`,
    SUBSTANTIVE_ROW,
    `an option: its share is of those who gave a view; "don't know" and similar answers have ${ANSWERED_ROW} as base`,
  ]);
  rows.push([
    `${tablesFile}: base`,
    '',
    '',
    'base',
    `Column of ${tablesFile}: the code of the row (same question, item, kind and region) whose count is this row's base when computing a share`,
    ANSWERED_ROW,
    'a share of all who answered the question (an option where no answer is counted apart, or an answer counted apart)',
  ]);
  rows.push([
    `${tablesFile}: base`,
    '',
    '',
    'base',
    `Column of ${tablesFile}: the code of the row (same question, item, kind and region) whose count is this row's base when computing a share`,
    '',
    `the ${ANSWERED_ROW} row itself: no base`,
  ]);
  rows.push([
    `${tablesFile}: count`,
    '',
    '',
    'count',
    `Count of ${tablesFile}`,
    '.s',
    `${SPECIAL_CODES['.s']}: fewer than k respondents, or hidden so that such a count cannot be worked out from the totals`,
  ]);
  return rows;
}

export interface ManifestFile {
  name: string;
  rows: number | null;
  bytes: number;
  sha256: string;
}

/** How one questionnaire version's rows were anonymised (each version on its own: see export.queries.ts). */
export interface VersionPlan {
  version: string;
  content_hash: string;
  /** Rows published; null when fewer than k (then none is). */
  published: number | null;
  /** Rows whose quasi-identifiers were all replaced by `.s`. */
  suppressed: number;
  withheld_all: boolean;
  smallest_class: number | null;
  quasi_identifiers: { column: string; level: number; publishes: string }[];
}

export interface ExportManifest {
  format: 'gfmd-assessment-export/2';
  use: 'restricted';
  restricted_use: { recipient: string; purpose: string; rule: string };
  survey: { id: string; title: string; current_version: string; current_content_hash: string };
  data_as_of: string | null;
  parameters: { k: number; reproducible: boolean; seed?: string; free_text: 'approved answers only, names removed' };
  rows: { published: number; quasi_identifiers_suppressed: number };
  disclosure_control: {
    row_file: { k: number; rule: string; versions: VersionPlan[] };
    tables: TableSummary & { threshold: number; rule: string };
    withheld_questions: WithheldQuestion[];
    /** Questions counted in tables.csv only: their answer describes the respondent. */
    tables_only_questions: string[];
    free_text: { published: number; withheld: number };
  };
  files: ManifestFile[];
}

/** README.txt: what the files are, for a reader who opens the folder without any other help. */
export function readmeText(manifest: Omit<ExportManifest, 'files'>, analystFiles: readonly string[] = []): string {
  const m = manifest;
  const plans = m.disclosure_control.row_file.versions;
  const generalised = plans
    .map((p) =>
      p.withheld_all
        ? `  - version ${p.version}: fewer than ${m.parameters.k} responses, none published`
        : `  - version ${p.version}: ${p.quasi_identifiers.map((q) => `${q.column} = ${q.publishes}`).join('; ')}`,
    )
    .join('\n');
  const withheld = m.disclosure_control.withheld_questions.map((w) => `  - ${w.questionId}: ${w.reason}`).join('\n') || '  (none)';
  const tablesOnly = m.disclosure_control.tables_only_questions.length ? m.disclosure_control.tables_only_questions.join(', ') : '(none)';
  const F = RESTRICTED_FILES;
  return `RESTRICTED USE - NOT FOR PUBLICATION
Issued to: ${m.restricted_use.recipient}
Purpose:   ${m.restricted_use.purpose}
Use it ${m.restricted_use.rule}.

GFMD "Future of the Forum" assessment: restricted-use results
Questionnaire: ${m.survey.title} (${m.survey.id}), version ${m.survey.current_version}
Data as of: ${m.data_as_of ?? 'no published response'}

This folder holds the answers of the ${m.rows.published} submitted responses of this questionnaire
(each response as last submitted), with names removed and small groups hidden as described below.
The rows are NOT safe to publish: the answers themselves can single a respondent out (read "WHAT
THIS DOES NOT PROTECT AGAINST"). The public row file, if any, comes only with the final release of
the questionnaire, after a check over every column. Open the CSV files in any spreadsheet (UTF-8,
comma-separated).

FILES
  ${F.responses}
                 One row per submitted response, in a random order, with a random identifier that
                 changes in every export. Answers are codes; ${F.codebook} gives their meaning.
  ${F.codebook}
                 Every column of ${F.responses}: the question in English, its number in the
                 questionnaire (as in the form and the report), its type, and every code
                 with its label, including the codes that say why a cell holds no answer:
                   .h hidden by skip logic   .a not answered   .x not in this version
                   .w free text withheld     .s suppressed     .n not ranked
                   .o an option the current questionnaire no longer offers
  ${F.tables}
                 Each coded question's counts, in all, by stakeholder kind, and by kind and UN
                 region as ${F.responses} publishes them ("any" where generalised, ".s" where
                 suppressed); a breakdown into a single group is left out. "${ANSWERED_ROW}"
                 rows give the number who answered. Where a question has "don't know" or
                 similar answers, "${SUBSTANTIVE_ROW}" rows give the number who gave a view:
                 the options' shares are of those, so they add to 100%, and "don't know" is a
                 share of "${ANSWERED_ROW}". The "base" column names the row to divide by.
${
  analystFiles.length
    ? `${analystFiles.map((name) => `  ${name}`).join('\n')}
                 The same rows for analysts: labels.sps (SPSS or PSPP: open it in this folder and
                 run it all), labels.do (Stata 14 or later: do labels.do), labels.R (R:
                 source("labels.R") gives the data frame d) read ${F.responses} with variable
                 and value labels, the special codes as missing values with their reason;
                 results.xlsx holds the rows, the codebook and the tables for Excel.${
                   analystFiles.some((n) => n.endsWith('-spss.csv'))
                     ? `
                 SPSS cannot read line breaks inside an answer: labels.sps reads the copy
                 whose name ends in -spss.csv, where they are spaces.`
                     : ''
                 }
`
    : ''
}  manifest.json  The recipient and purpose, the questionnaire version and its content hash, the
                 export's parameters, row counts, a SHA-256 checksum of each file, and every
                 generalisation and suppression.

HOW IDENTITIES ARE PROTECTED
  - No names, e-mail addresses, organisation names, countries, links, internal numbers or exact
    times are included. Free text is included only where the Assessment Team reviewed and approved
    the answer; names of people and organisations are removed from it.
  - ${F.responses} is ${m.parameters.k}-anonymous: every combination of the columns kind, region,
    role_group and org_type occurs at least ${m.parameters.k} times (".s" counts as a value of its own).
    Each questionnaire version is anonymised on its own (a row shows which questions it was
    asked); the columns were published as follows:
${generalised}
    and the quasi-identifiers of ${m.rows.quasi_identifiers_suppressed} response(s) were replaced by ".s".
  - Answers that describe the respondent (${tablesOnly}) are counted in ${F.tables} only.
  - In ${F.tables} every count from 1 to ${m.parameters.k - 1} is shown as ".s", and further counts are
    hidden where a hidden count could otherwise be worked out from the totals
    (${m.disclosure_control.tables.primary} small and ${m.disclosure_control.tables.complementary} further cells hidden).
  - Questions never published:
${withheld}

WHAT THIS DOES NOT PROTECT AGAINST
  - The answers themselves: rows are made k-anonymous on the columns above only. Someone who
    knows several of a government's answers (meetings attended, whether it contributed) may find
    the one row that has them all, and so read the rest of its answers.
  - Comparing exports: two exports made at different times differ by the responses submitted,
    amended or excluded in between, and those rows can be told apart.
  - Unanimity: if every respondent of a published group gave the same answer, the table says so.
  - Free text: names are removed by rules and by a person's review, which can miss an indirect
    description ("the only woman minister in the region").

CHECKING THE FILES
  The SHA-256 checksum of each file is in manifest.json ("files"). On most systems:
  sha256sum ${F.responses}   (Linux)     shasum -a 256 ${F.responses}   (macOS)
  certutil -hashfile ${F.responses} SHA256   (Windows)
`;
}
