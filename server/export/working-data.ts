/**
 * The Assessment Team's working data (`assess data`, and the download on the export page): every
 * submitted, non-excluded response (its latest submission), coded as in the restricted-use file,
 * with the analysts' files beside it (labels.sps, labels.do, labels.R, results.xlsx).
 *
 * It carries no field the restricted-use file leaves out: no name, e-mail, organisation name,
 * country, token, internal id or exact time; identifying and country questions withheld;
 * answers that describe the respondent counted in the tables only; free text only as approved.
 * Unlike that file, its rows are not k-anonymous (kind, region, role group and organisation type
 * are exact, as on the team's dashboards) and no response is left out: it is CONFIDENTIAL, for the
 * team, and says so in every file. Every issue is written to the audit log.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Language } from '../../survey-definitions/schema.ts';
import { insertAuditEntry } from '../audit/audit.queries.ts';
import type { Database } from '../db/schema.ts';
import { ok, refuse, valueOr, type Outcome, type Refusal } from '../errors.ts';
import { transactionOutcome } from '../db/outcome-transaction.ts';
import { getCurrentSurveyVersion } from '../surveys/survey-versions.queries.ts';
import { csvDataLines, csvHeaderLine, csvWithBom } from '../csv/csv.ts';
import { ANALYST_FILES, dataDay, writeAnalystFiles, type AnalystFile } from './analyst/analyst-files.ts';
import { CODEBOOK_FIELDS, codebookRows } from './bundle-documents.ts';
import { latestSubmissionDay, listExportedVersions, numberExportedResponses, readExportPage } from './export.queries.ts';
import { TableCounter } from './export-tables.ts';
import { FileSink } from './file-sink.ts';
import { quasiIdentifierValues } from './quasi-identifiers.ts';
import { answeredVersions, approvedTexts, codedCells, rowFileLayout, rowIdentifier } from './row-file.ts';

export const WORKING_FILES = {
  responses: 'responses-confidential.csv',
  codebook: 'codebook-confidential.csv',
  tables: 'tables-confidential.csv',
  readme: 'README.txt',
} as const;

const PAGE_SIZE = 1000;
const TABLE_FIELDS = ['question_id', 'item', 'question', 'kind', 'region', 'code', 'label', 'count', 'base'];

export interface WorkingDataOptions {
  surveyId: string;
  /** The labels' language in the syntax files and workbook. */
  language: Language;
  /** What the workbook's data sheet shows for coded cells. */
  values: 'labels' | 'codes';
  /** Who asked, for the audit log (an e-mail, or `cli:<user>`). */
  actor: string;
}

export interface WorkingDataResult {
  surveyId: string;
  rows: number;
  dataAsOf: string | null;
  files: AnalystFile[];
}

/** The opening lines of every file: what the data are and that they stay with the team. */
export function workingDataNotice(title: string, surveyId: string): string[] {
  return [
    'CONFIDENTIAL - ASSESSMENT TEAM WORKING DATA - NOT FOR PUBLICATION OR SHARING',
    `${title} (${surveyId}).`,
    'Every submitted, non-excluded response, exact (not k-anonymous). Publish only from releases; researchers outside the team receive the restricted-use export.',
  ];
}

function readme(notice: readonly string[], rows: number, dataAsOf: string | null, files: { name: string; sha256: string }[]): string {
  const F = WORKING_FILES;
  return `${notice.join('\n')}
Data as of: ${dataAsOf ?? 'no submitted response'}. Rows: ${rows}.

FILES
  ${F.responses}  one row per submitted response not excluded (its latest submission), in a
      random order, with a random identifier new in every file. Answers are codes. Kind, UN
      region, role group and organisation type are exact. No names, e-mails, organisation
      names, countries, links or times; identifying and country questions are left out; free
      text only where the team approved it (names removed), otherwise ".w".
  ${F.codebook}  every column and every code, with the special codes:
      .h hidden by skip logic  .a not answered  .x not in this version  .o option no longer
      offered  .w free text withheld  .s suppressed  .n not ranked
  ${F.tables}  exact counts of every coded question, in all, by kind and by kind and region.
  ${ANALYST_FILES.spss}  SPSS or PSPP: open it in the folder of the data and run it all.
  ${ANALYST_FILES.stata}  Stata 14 or later: cd to this folder, then: do labels.do
  ${ANALYST_FILES.r}  R: setwd() to this folder, then: source("labels.R") (the data frame d).
  ${ANALYST_FILES.workbook}  Excel: README, Data, Codebook and Tables sheets.
  Special codes are missing values in every one of them, labelled with their reason.

CHECKSUMS (SHA-256)
${files.map((f) => `  ${f.sha256}  ${f.name}`).join('\n')}
`;
}

/**
 * Writes the working data of a questionnaire into `folder` (created) and records it in the audit
 * log (`export.working_data`); refuses (`not_found`) an unknown questionnaire.
 *
 * @example const written = await tryWriteWorkingData(db, { surveyId: 'civil-society-survey', language: 'fr', values: 'labels', actor: 'cli:ana' }, './working')
 */
export async function tryWriteWorkingData(
  db: Kysely<Database>,
  options: WorkingDataOptions,
  folder: string,
): Promise<Outcome<WorkingDataResult, Refusal<'not_found'>>> {
  const seed = randomBytes(32).toString('hex');
  await mkdir(folder, { recursive: true });
  const outcome = await transactionOutcome(db.transaction().setIsolationLevel('repeatable read'), async (trx) => {
    const current = await getCurrentSurveyVersion(trx, options.surveyId);
    if (!current) return refuse('not_found', `There is no questionnaire '${options.surveyId}'.`);
    const layout = rowFileLayout(current.definition);
    const answered = answeredVersions(await listExportedVersions(trx, options.surveyId));
    const total = await numberExportedResponses(trx, options.surveyId, seed);
    const tables = new TableCounter(layout.columns);
    const dataFiles: AnalystFile[] = [];
    const responses = new FileSink(WORKING_FILES.responses, folder);
    try {
      await responses.write(csvHeaderLine(layout.header));
      for (let from = 1; from <= total; from += PAGE_SIZE) {
        const lines: string[][] = [];
        for (const row of await readExportPage(trx, from, from + PAGE_SIZE - 1)) {
          const cells = codedCells(layout, answered.get(row.surveyVersionId)!, row.answers, approvedTexts(layout, row.answers, row.approvals));
          const qi = quasiIdentifierValues(row.respondent);
          tables.count(qi[0]!, qi[1]!, cells);
          lines.push([rowIdentifier(seed, row.pos), ...qi, ...layout.rowIndex.map((i) => cells[i]!)]);
        }
        responses.rows += lines.length;
        await responses.write(csvDataLines(lines));
      }
      const closed = await responses.close(true);
      dataFiles.push({ name: closed.name, bytes: closed.bytes, sha256: closed.sha256 });
    } catch (error) {
      responses.abandon();
      throw error;
    }
    // Exact counts: the team sees them on its dashboards.
    const { cells } = tables.publish(null);
    const tablesText = csvWithBom(
      TABLE_FIELDS,
      cells.map((c) => [c.questionId, c.item, c.question, c.kind, c.region, c.code, c.label, String(c.count ?? '.s'), c.base]),
    );
    const codebookText = csvWithBom(CODEBOOK_FIELDS, codebookRows(layout.columns, WORKING_FILES.tables));
    for (const [name, text] of [
      [WORKING_FILES.codebook, codebookText],
      [WORKING_FILES.tables, tablesText],
    ] as const) {
      const bytes = Buffer.from(text, 'utf8');
      await writeFile(path.join(folder, name), bytes);
      dataFiles.push({ name, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    }
    const dataAsOf = responses.rows > 0 ? await latestSubmissionDay(trx, options.surveyId) : null;
    return ok({ current, layout, rows: responses.rows, dataAsOf, dataFiles });
  });
  if (!outcome.ok) return outcome;
  const written = outcome.value;
  const notice = workingDataNotice(written.current.definition.title.en, options.surveyId);
  const analystFiles = await writeAnalystFiles({
    folder,
    rowFile: { name: WORKING_FILES.responses, header: written.layout.header, columns: written.layout.columns, definition: written.current.definition },
    language: options.language,
    values: options.values,
    notice,
    tables: { file: WORKING_FILES.tables, countColumn: 'count', suppressed: (row) => row[TABLE_FIELDS.indexOf('count')] === '.s' },
    date: dataDay(written.dataAsOf),
  });
  const files = [...written.dataFiles, ...analystFiles];
  await writeFile(path.join(folder, WORKING_FILES.readme), readme(notice, written.rows, written.dataAsOf, files).replaceAll('\n', '\r\n'));
  await insertAuditEntry(db, {
    actor: options.actor,
    action: 'export.working_data',
    subject: `survey:${options.surveyId}`,
    details: { rows: written.rows, language: options.language, values: options.values, files: files.map((f) => ({ name: f.name, sha256: f.sha256 })) },
  });
  return ok({ surveyId: options.surveyId, rows: written.rows, dataAsOf: written.dataAsOf, files });
}

/** tryWriteWorkingData for callers that answer no refusal themselves (the command line, tests): a refusal is thrown as an AppError. */
export async function writeWorkingData(db: Kysely<Database>, options: WorkingDataOptions, folder: string): Promise<WorkingDataResult> {
  return valueOr(await tryWriteWorkingData(db, options, folder));
}
