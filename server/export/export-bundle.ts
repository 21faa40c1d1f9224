/**
 * The restricted-use bundle: responses-restricted.csv, codebook-restricted.csv,
 * tables-restricted.csv, README.txt and manifest.json, written to a folder for a named recipient
 * and a stated purpose. Its row file is k-anonymous on the declared quasi-identifiers only (the
 * answers themselves can single a respondent out), so it is never published: every file says so,
 * and each issue is recorded in the audit log and in `row_file_issue`.
 *
 * Everything is read in one REPEATABLE READ transaction; responses stream a page at a time from
 * the database to the file, so memory does not grow with the number of responses. The random row
 * order and identifiers come from a seed, recorded in the manifest only for a reproducible export.
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import type { Kysely, Transaction } from 'kysely';
import { planAnonymisation } from '../../analysis/disclosure/k-anonymity.ts';
import { insertAuditEntry } from '../audit/audit.queries.ts';
import type { Database } from '../db/schema.ts';
import { AppError, ok, refuse, valueOr, type Outcome, type Refusal } from '../errors.ts';
import { transactionOutcome } from '../db/outcome-transaction.ts';
import { ExportTurn } from './export-turn.ts';
import { getCurrentSurveyVersion, type SurveyVersion } from '../surveys/survey-versions.queries.ts';
import { readmeText, RESTRICTED_FILES, type ExportManifest, type VersionPlan } from './bundle-documents.ts';
import { csvDataLines, csvHeaderLine } from '../csv/csv.ts';
import { TableCounter } from './export-tables.ts';
import { answeredVersions, approvedTexts, codebookCsv, codedCells, rowFileLayout, rowIdentifier, versionPlan } from './row-file.ts';
import { insertRowFileIssues } from './row-file-issue.queries.ts';
import { FileSink, type WrittenFile } from './file-sink.ts';
import { dataDay, writeAnalystFiles } from './analyst/analyst-files.ts';
import { countQuasiIdentifierCombinations, latestSubmissionDay, listExportedVersions, numberExportedResponses, readExportPage } from './export.queries.ts';
import { QUASI_IDENTIFIERS, quasiIdentifierValues } from './quasi-identifiers.ts';

/** The smallest k ever accepted: below 3 a "group" can be a pair who know each other's answers. */
export const MIN_K = 3;
export const DEFAULT_K = 5;
/** The columns of tables-restricted.csv. */
const TABLE_FIELDS = ['question_id', 'item', 'question', 'kind', 'region', 'code', 'label', 'count', 'base'];
/** Responses read per query. */
const PAGE_SIZE = 1000;

export interface ExportOptions {
  surveyId: string;
  /** Every published combination of quasi-identifiers occurs at least k times (default 5, at least 3). */
  k?: number;
  /** Record the seed in the manifest, so the same data and parameters give identical files. */
  reproducible?: boolean;
  /** A given seed (64 hex digits) for a reproducible export; random when absent. */
  seed?: string;
  /** Who asked, for the audit log (an e-mail, or `cli`). */
  actor: string;
  /** Who receives the restricted-use file (a person and organisation), recorded with the issue. */
  recipient: string;
  /** What the recipient may use it for, recorded with the issue. */
  purpose: string;
}

/** Longest recipient and purpose accepted. */
export const MAX_RECIPIENT = 200;
export const MAX_PURPOSE = 1000;

/** The parameters of an export once checked: k, the seed (given or new) and whether to record it, recipient and purpose trimmed. */
export interface CheckedExportOptions {
  k: number;
  seed: string;
  reproducible: boolean;
  recipient: string;
  purpose: string;
}

/** The parameters a person gives (the fields of the export page). */
type ExportField = 'recipient' | 'purpose' | 'k' | 'seed';

/** A parameter a person gave wrong, named by its field. */
export type ExportOptionsRefusal = Refusal<'validation', { field: ExportField }>;

/** Why an export was not written: a wrong parameter, an unknown questionnaire, too many exports waiting already. */
export type ExportRefusal = ExportOptionsRefusal | Refusal<'not_found'> | Refusal<'conflict'>;

/** Checks the parameters a person gave; refuses (`validation`) the first wrong one, named by its field. */
export function validateExportOptions(options: ExportOptions): Outcome<CheckedExportOptions, ExportOptionsRefusal> {
  const wrong = (field: ExportField, message: string) => refuse('validation', message, { field });
  const recipient = (options.recipient ?? '').trim();
  const purpose = (options.purpose ?? '').trim();
  if (!recipient) return wrong('recipient', 'A restricted-use file needs its recipient: who receives it (a person and organisation).');
  if (recipient.length > MAX_RECIPIENT) return wrong('recipient', `The recipient has at most ${MAX_RECIPIENT} characters.`);
  if (!purpose) return wrong('purpose', 'A restricted-use file needs its purpose: what the recipient may use it for.');
  if (purpose.length > MAX_PURPOSE) return wrong('purpose', `The purpose has at most ${MAX_PURPOSE} characters.`);
  const k = options.k ?? DEFAULT_K;
  if (!Number.isInteger(k) || k < MIN_K || k > 100)
    return wrong('k', `k must be a whole number from ${MIN_K} to 100${Number.isFinite(k) ? `, not ${k}` : ''}.`);
  if (options.seed !== undefined && !/^[0-9a-f]{64}$/.test(options.seed))
    return wrong('seed', 'The seed must be 64 hexadecimal digits (as written in an earlier manifest).');
  return ok({
    k,
    seed: options.seed ?? randomBytes(32).toString('hex'),
    reproducible: options.reproducible === true || options.seed !== undefined,
    recipient,
    purpose,
  });
}

/** validateExportOptions for callers that answer no refusal themselves: a wrong parameter is thrown as a `validation` AppError naming it. */
export function checkExportOptions(options: ExportOptions): CheckedExportOptions {
  return valueOr(validateExportOptions(options));
}

/**
 * Writes the restricted-use bundle of one survey into `folder` (created if needed) and records the
 * issue in the audit log (`export.restricted`) and in `row_file_issue`. Returns the manifest, or
 * refuses: `validation` for a wrong parameter (a missing recipient or purpose), `not_found` for an
 * unknown survey, `conflict` when too many exports wait already.
 *
 * @example
 * const written = await tryWriteExportBundle(db, { surveyId: 'government-assessment', k: 5, actor: 'cli', recipient: 'A. Researcher, University of X', purpose: 'Evaluation study' }, './restricted');
 */
export async function tryWriteExportBundle(db: Kysely<Database>, options: ExportOptions, folder: string): Promise<Outcome<ExportManifest, ExportRefusal>> {
  const checked = validateExportOptions(options);
  if (!checked.ok) return checked;
  const { k, seed, reproducible, recipient, purpose } = checked.value;
  // One export at a time per process: each holds a connection (on PGlite, the only one) throughout.
  // Others wait their turn, first come first served, so a burst of requests all get their bundle.
  const turn = await exportTurn.take();
  if (!turn.ok) return turn;
  const sinks: FileSink[] = [];
  const open = (name: string) => {
    const sink = new FileSink(name, folder);
    sinks.push(sink);
    return sink;
  };
  try {
    const written = await transactionOutcome(db.transaction().setIsolationLevel('repeatable read'), async (trx) => {
      const current = await getCurrentSurveyVersion(trx, options.surveyId);
      if (!current) return refuse('not_found', `There is no questionnaire '${options.surveyId}'.`);
      await mkdir(folder, { recursive: true });
      return ok(await writeFiles(trx, { ...options, k, seed, reproducible, recipient, purpose }, current, open, folder));
    });
    if (!written.ok) return written;
    const { versionRows, ...manifest } = written.value;
    const manifestFile = open(RESTRICTED_FILES.manifest);
    await manifestFile.write(`${JSON.stringify(manifest, null, 2)}\n`);
    await manifestFile.close(false);
    await db.transaction().execute(async (trx) => {
      await insertRowFileIssues(
        trx,
        versionRows.map((v) => ({
          kind: 'restricted',
          survey_id: options.surveyId,
          survey_version_id: v.surveyVersionId,
          release_id: null,
          recipient,
          purpose,
          rows: v.rows,
          created_by: options.actor,
        })),
      );
      await insertAuditEntry(trx, {
        actor: options.actor,
        action: 'export.restricted',
        subject: `survey:${options.surveyId}`,
        details: { recipient, purpose, k, reproducible, rows: manifest.rows.published, files: manifest.files.map((f) => ({ name: f.name, sha256: f.sha256 })) },
      });
    });
    return ok(manifest);
  } catch (error) {
    for (const sink of sinks) sink.abandon();
    throw error;
  } finally {
    turn.value();
  }
}

/** tryWriteExportBundle for callers that answer no refusal themselves (the command line, tests): a refusal is thrown as an AppError. */
export async function writeExportBundle(db: Kysely<Database>, options: ExportOptions, folder: string): Promise<ExportManifest> {
  return valueOr(await tryWriteExportBundle(db, options, folder));
}

/** Exports that may wait while one runs; the next one is refused rather than queued without end. */
export const MAX_WAITING_EXPORTS = 10;

const exportTurn = new ExportTurn(MAX_WAITING_EXPORTS);

type Settings = ExportOptions & { k: number; seed: string; reproducible: boolean };

/**
 * The files other than the manifest, inside the export's transaction; returns the manifest and
 * the rows written per questionnaire version (for the issue record).
 */
async function writeFiles(
  trx: Transaction<Database>,
  options: Settings,
  current: SurveyVersion,
  open: (name: string) => FileSink,
  folder: string,
): Promise<ExportManifest & { versionRows: { surveyVersionId: number; rows: number }[] }> {
  const { k, seed } = options;
  const layout = rowFileLayout(current.definition);
  const { columns, withheld, rowIndex, textColumns } = layout;

  const versions = await listExportedVersions(trx, options.surveyId);
  const answered = answeredVersions(versions);
  // Each version is anonymised on its own: a row's pattern of `.x` cells tells its version.
  const combos = await countQuasiIdentifierCombinations(trx, options.surveyId);
  const plans = new Map(
    versions.map((v) => [
      v.id,
      planAnonymisation(
        QUASI_IDENTIFIERS,
        combos.filter((c) => c.surveyVersionId === v.id).map((c) => ({ values: quasiIdentifierValues(c.respondent), count: c.count })),
        k,
      ),
    ]),
  );
  const total = await numberExportedResponses(trx, options.surveyId, seed);
  const tables = new TableCounter(columns);
  const texts = { published: 0, withheld: 0 };
  const classes = new Map<string, number>();
  const rowsByVersion = new Map<number, number>();

  const responsesFile = open(RESTRICTED_FILES.responses);
  await responsesFile.write(csvHeaderLine(layout.header));
  for (let from = 1; from <= total; from += PAGE_SIZE) {
    const lines: string[][] = [];
    for (const row of await readExportPage(trx, from, from + PAGE_SIZE - 1)) {
      const published = plans.get(row.surveyVersionId)?.publish(quasiIdentifierValues(row.respondent)) ?? null;
      if (published === null) continue;
      const approvedText = approvedTexts(layout, row.answers, row.approvals);
      const cells = codedCells(layout, answered.get(row.surveyVersionId)!, row.answers, approvedText);
      for (const questionId of textColumns) {
        const answer = row.answers[questionId];
        if (typeof answer === 'string' && answer !== '') approvedText.has(questionId) ? texts.published++ : texts.withheld++;
      }
      const classKey = `${row.surveyVersionId}|${published.join('|')}`;
      classes.set(classKey, (classes.get(classKey) ?? 0) + 1);
      rowsByVersion.set(row.surveyVersionId, (rowsByVersion.get(row.surveyVersionId) ?? 0) + 1);
      tables.count(published[0]!, published[1]!, cells);
      lines.push([rowIdentifier(seed, row.pos), ...published, ...rowIndex.map((i) => cells[i]!)]);
    }
    responsesFile.rows += lines.length;
    await responsesFile.write(csvDataLines(lines));
  }
  // The plan was made from counts; the rows written must bear it out, or nothing is published.
  const small = [...classes].filter(([, n]) => n < k);
  if (small.length) throw new AppError('internal', `The row file would hold ${small.length} combination(s) of fewer than ${k} rows; the export was stopped.`);
  const files: WrittenFile[] = [await responsesFile.close(true)];

  const codebook = open(RESTRICTED_FILES.codebook);
  const codebookText = codebookCsv(layout);
  await codebook.write(codebookText.text);
  codebook.rows = codebookText.rows;
  files.push(await codebook.close(true));

  const { cells, summary } = tables.publish(k);
  const tablesFile = open(RESTRICTED_FILES.tables);
  await tablesFile.write(csvHeaderLine(TABLE_FIELDS));
  await tablesFile.write(
    csvDataLines(cells.map((c) => [c.questionId, c.item, c.question, c.kind, c.region, c.code, c.label, c.count === null ? '.s' : String(c.count), c.base])),
  );
  tablesFile.rows = cells.length;
  files.push(await tablesFile.close(true));

  const dataAsOf = responsesFile.rows > 0 ? await latestSubmissionDay(trx, options.surveyId) : null;
  // SPSS, Stata, R and Excel files for the recipient, each saying it is restricted.
  const analystFiles = await writeAnalystFiles({
    folder,
    rowFile: { name: RESTRICTED_FILES.responses, header: layout.header, columns, definition: current.definition },
    language: 'en',
    values: 'labels',
    notice: restrictedNotice(options.recipient.trim(), options.purpose.trim(), current.definition.title.en),
    tables: { file: RESTRICTED_FILES.tables, countColumn: 'count', suppressed: (row) => row[TABLE_FIELDS.indexOf('count')] === '.s' },
    date: dataDay(dataAsOf),
  });
  files.push(...analystFiles.map((f) => ({ ...f, rows: f.name.endsWith('.csv') ? responsesFile.rows : null })));

  const versionPlans: VersionPlan[] = versions.map((v) => versionPlan(v, plans.get(v.id)!));
  const described: Omit<ExportManifest, 'files'> = {
    format: 'gfmd-assessment-export/2',
    use: 'restricted',
    restricted_use: { recipient: options.recipient.trim(), purpose: options.purpose.trim(), rule: RESTRICTED_RULE },
    survey: { id: options.surveyId, title: current.definition.title.en, current_version: current.version, current_content_hash: current.contentHash },
    data_as_of: dataAsOf,
    parameters: { k, reproducible: options.reproducible, ...(options.reproducible ? { seed } : {}), free_text: 'approved answers only, names removed' },
    rows: { published: responsesFile.rows, quasi_identifiers_suppressed: versionPlans.reduce((sum, p) => sum + p.suppressed, 0) },
    disclosure_control: {
      row_file: {
        k,
        rule: 'per questionnaire version: generalised first, the combinations still below k suppressed; versions with fewer than k responses not published',
        versions: versionPlans,
      },
      tables: { ...summary, threshold: k, rule: `counts 1 to ${k - 1} hidden, plus complementary cells so that no hidden count follows from the totals` },
      withheld_questions: withheld,
      tables_only_questions: [...new Set(columns.filter((c) => c.tablesOnly).map((c) => c.questionId))],
      free_text: texts,
    },
  };
  const readme = open(RESTRICTED_FILES.readme);
  await readme.write(
    readmeText(
      described,
      analystFiles.map((f) => f.name),
    ).replaceAll('\n', '\r\n'),
  );
  files.push(await readme.close(false));
  return { ...described, files, versionRows: [...rowsByVersion].map(([surveyVersionId, rows]) => ({ surveyVersionId, rows })) };
}

/** The opening lines of the bundle's syntax files and workbook. */
function restrictedNotice(recipient: string, purpose: string, title: string): string[] {
  return [`RESTRICTED USE - NOT FOR PUBLICATION. Issued to: ${recipient}. Purpose: ${purpose}.`, `Use it ${RESTRICTED_RULE}.`, `${title}.`];
}

/** What the recipient of a restricted-use file agrees to, as the manifest and README say it. */
export const RESTRICTED_RULE =
  'for the named recipient and the stated purpose only; not to be published, passed on, or linked with other data to identify a respondent; to be deleted when the purpose is served';
