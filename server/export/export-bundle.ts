/**
 * The anonymised export bundle for the High Level Dialogue: responses.csv, codebook.csv,
 * tables.csv, README.txt and manifest.json, written to a folder.
 *
 * Everything is read in one REPEATABLE READ transaction; responses stream a page at a time from
 * the database to the file, so memory does not grow with the number of responses. The random row
 * order and identifiers come from a seed, recorded in the manifest only for a reproducible export.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { planAnonymisation } from '../../analysis/disclosure/k-anonymity.ts';
import { hiddenQuestions } from '../../survey-definitions/visibility.ts';
import { allQuestions } from '../../survey-definitions/types.ts';
import { insertAuditEntry } from '../audit/audit.queries.ts';
import type { Database } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { getCurrentSurveyVersion } from '../surveys/survey-versions.queries.ts';
import { CODEBOOK_FIELDS, codebookRows, readmeText, type ExportManifest, type ManifestFile } from './bundle-documents.ts';
import { csvDataLines, csvHeaderLine } from './csv.ts';
import { codeAnswers, exportColumns } from './export-columns.ts';
import { TableCounter } from './export-tables.ts';
import { countQuasiIdentifierCombinations, latestSubmissionDay, listExportedVersions, numberExportedResponses, readExportPage } from './export.queries.ts';
import { QUASI_IDENTIFIERS, quasiIdentifierValues } from './quasi-identifiers.ts';

/** The smallest k ever accepted: below 3 a "group" can be a pair who know each other's answers. */
export const MIN_K = 3;
export const DEFAULT_K = 5;
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
}

/** Checks the parameters a person gave; throws a `validation` AppError naming the wrong one. */
export function checkExportOptions(options: ExportOptions): { k: number; seed: string; reproducible: boolean } {
  const k = options.k ?? DEFAULT_K;
  if (!Number.isInteger(k) || k < MIN_K || k > 100) throw new AppError('validation', `k must be a whole number from ${MIN_K} to 100${Number.isFinite(k) ? `, not ${k}` : ''}.`, { field: 'k' });
  if (options.seed !== undefined && !/^[0-9a-f]{64}$/.test(options.seed)) throw new AppError('validation', 'The seed must be 64 hexadecimal digits (as written in an earlier manifest).', { field: 'seed' });
  return { k, seed: options.seed ?? randomBytes(32).toString('hex'), reproducible: options.reproducible === true || options.seed !== undefined };
}

/** A file written chunk by chunk, hashed on the way, respecting the disk's pace. */
class FileSink {
  private readonly hash = createHash('sha256');
  private readonly stream;
  private bytes = 0;
  rows = 0;

  constructor(
    readonly name: string,
    folder: string,
  ) {
    this.stream = createWriteStream(path.join(folder, name));
  }

  async write(text: string): Promise<void> {
    const chunk = Buffer.from(text, 'utf8');
    this.hash.update(chunk);
    this.bytes += chunk.length;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  async close(countRows: boolean): Promise<ManifestFile> {
    this.stream.end();
    await once(this.stream, 'finish');
    return { name: this.name, rows: countRows ? this.rows : null, bytes: this.bytes, sha256: this.hash.digest('hex') };
  }
}

const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * Writes the bundle of one survey into `folder` (created if needed) and records the export in the
 * audit log. Returns the manifest. Throws `not_found` for an unknown survey.
 *
 * @example
 * const manifest = await writeExportBundle(db, { surveyId: 'government-assessment', k: 5, actor: 'cli' }, './hld-export');
 */
export async function writeExportBundle(db: Kysely<Database>, options: ExportOptions, folder: string): Promise<ExportManifest> {
  const { k, seed, reproducible } = checkExportOptions(options);
  const current = await getCurrentSurveyVersion(db, options.surveyId);
  if (!current) throw new AppError('not_found', `There is no questionnaire '${options.surveyId}'.`);
  await mkdir(folder, { recursive: true });
  const { columns, withheld } = exportColumns(current.definition);
  const textColumns = new Set(columns.filter((c) => c.type === 'short_text' || c.type === 'long_text').map((c) => c.questionId));

  const manifest = await db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const versions = await listExportedVersions(trx, options.surveyId);
      const asked = new Map(versions.map((v) => [v.id, new Set(allQuestions(v.definition).map((q) => q.id))]));
      const definitions = new Map(versions.map((v) => [v.id, v.definition]));
      const combos = await countQuasiIdentifierCombinations(trx, options.surveyId);
      const plan = planAnonymisation(QUASI_IDENTIFIERS, combos.map((c) => ({ values: quasiIdentifierValues(c.respondent), count: c.count })), k);
      const total = await numberExportedResponses(trx, options.surveyId, seed);
      const tables = new TableCounter(columns);
      const texts = { published: 0, withheld: 0 };

      const responsesFile = new FileSink('responses.csv', folder);
      await responsesFile.write(csvHeaderLine(['response', ...QUASI_IDENTIFIERS.map((q) => q.name), ...columns.map((c) => c.name)]));
      for (let from = 1; from <= total; from += PAGE_SIZE) {
        const lines: string[][] = [];
        for (const row of await readExportPage(trx, from, from + PAGE_SIZE - 1)) {
          const raw = quasiIdentifierValues(row.respondent);
          const published = plan.publish(raw);
          const approvedText = new Map<string, string>();
          for (const [questionId, approval] of row.approvals) {
            const answer = row.answers[questionId];
            if (textColumns.has(questionId) && typeof answer === 'string' && sha256Hex(answer) === approval.answerSha256) approvedText.set(questionId, approval.publishedText);
          }
          const definition = definitions.get(row.surveyVersionId)!;
          const cells = codeAnswers(columns, row.answers, { asked: asked.get(row.surveyVersionId)!, hidden: hiddenQuestions(definition, row.answers), approvedText });
          if (published === null) continue;
          for (const questionId of textColumns) {
            const answer = row.answers[questionId];
            if (typeof answer === 'string' && answer !== '') approvedText.has(questionId) ? texts.published++ : texts.withheld++;
          }
          // Tables count the groups as the row file publishes them: counted by true region, a table
          // would tell which group a suppressed or generalised row came from.
          tables.count(published[0]!, published[1]!, cells);
          lines.push([rowIdentifier(seed, row.pos), ...published, ...cells]);
        }
        responsesFile.rows += lines.length;
        await responsesFile.write(csvDataLines(lines));
      }
      const files: ManifestFile[] = [await responsesFile.close(true)];

      const codebook = new FileSink('codebook.csv', folder);
      const codebookLines = codebookRows(columns);
      await codebook.write(csvHeaderLine(CODEBOOK_FIELDS) + csvDataLines(codebookLines));
      codebook.rows = codebookLines.length;
      files.push(await codebook.close(true));

      const { cells, summary } = tables.publish(k);
      const tablesFile = new FileSink('tables.csv', folder);
      await tablesFile.write(csvHeaderLine(['question_id', 'item', 'question', 'kind', 'region', 'code', 'label', 'count']));
      await tablesFile.write(csvDataLines(cells.map((c) => [c.questionId, c.item, c.question, c.kind, c.region, c.code, c.label, c.count === null ? '.s' : String(c.count)])));
      tablesFile.rows = cells.length;
      files.push(await tablesFile.close(true));

      const described: Omit<ExportManifest, 'files'> = {
        format: 'gfmd-assessment-export/1',
        survey: {
          id: options.surveyId,
          title: current.definition.title.en,
          current_version: current.version,
          current_content_hash: current.contentHash,
          versions: versions.map((v) => ({ version: v.version, content_hash: v.contentHash, responses: v.responses })),
        },
        data_as_of: await latestSubmissionDay(trx, options.surveyId),
        parameters: { k, reproducible, ...(reproducible ? { seed } : {}), free_text: 'approved answers only, names removed' },
        rows: { submitted_responses: total, published: responsesFile.rows, quasi_identifiers_suppressed: plan.suppressedRecords },
        disclosure_control: {
          quasi_identifiers: QUASI_IDENTIFIERS.map((q, i) => ({ column: q.name, level: plan.levels[i]!, publishes: q.levelNames[plan.levels[i]!]! })),
          row_file: {
            k,
            smallest_class: plan.smallestClass,
            withheld_all_rows: plan.withheldAll,
            note: plan.withheldAll ? `Fewer than ${k} responses: no row can be published.` : 'Generalised first; the combinations still below k suppressed.',
          },
          tables: { ...summary, threshold: k, rule: `counts 1 to ${k - 1} hidden, plus complementary cells so that no hidden count follows from the totals` },
          withheld_questions: withheld,
          free_text: texts,
        },
      };
      const readme = new FileSink('README.txt', folder);
      await readme.write(readmeText(described).replaceAll('\n', '\r\n'));
      files.push(await readme.close(false));
      return { ...described, files };
    });

  const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
  const manifestFile = new FileSink('manifest.json', folder);
  await manifestFile.write(manifestText);
  await manifestFile.close(false);

  await insertAuditEntry(db, {
    actor: options.actor,
    action: 'export.bundle',
    subject: `survey:${options.surveyId}`,
    details: { k, reproducible, rows: manifest.rows.published, files: manifest.files.map((f) => ({ name: f.name, sha256: f.sha256 })) },
  });
  return manifest;
}

/** A response's identifier in this export: keyed by the seed, so it links to nothing else. */
function rowIdentifier(seed: string, position: number): string {
  return `R${createHmac('sha256', seed).update(`row:${position}`).digest('hex').slice(0, 16)}`;
}
