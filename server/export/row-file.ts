/**
 * The row file's layout and its rows, shared by the restricted-use bundle (export-bundle.ts) and a
 * final release's public bundle (release-row-file.ts): the same columns, codes, identifiers and
 * codebook in both. Pure.
 */
import { createHmac } from 'node:crypto';
import type { Answers } from '../../survey-definitions/answers.ts';
import { hiddenQuestions } from '../../survey-definitions/visibility.ts';
import { allQuestions, type Question, type SurveyDefinition } from '../../survey-definitions/types.ts';
import type { AnonymisationPlan } from '../../analysis/disclosure/k-anonymity.ts';
import { answerSha256 } from '../free-text/answer-hash.ts';
import { CODEBOOK_FIELDS, codebookRows, type VersionPlan } from './bundle-documents.ts';
import { csvDataLines, csvHeaderLine } from '../csv/csv.ts';
import { codeAnswers, exportColumns, type ExportColumn, type WithheldQuestion } from './export-columns.ts';
import { QUASI_IDENTIFIERS } from './quasi-identifiers.ts';

export interface RowFileLayout {
  /** Every coded column, tables-only ones included (tables.csv counts those). */
  columns: ExportColumn[];
  withheld: WithheldQuestion[];
  /** Indices into `columns` of the row file's answer columns. */
  rowIndex: number[];
  /** The row file's header: identifier, quasi-identifiers, answer columns. */
  header: string[];
  /** Question ids of free-text columns. */
  textColumns: Set<string>;
}

/** The row file's columns for the current definition of a questionnaire. */
export function rowFileLayout(definition: SurveyDefinition): RowFileLayout {
  const { columns, withheld } = exportColumns(definition);
  const rowIndex = columns.map((c, i) => (c.tablesOnly ? -1 : i)).filter((i) => i >= 0);
  return {
    columns,
    withheld,
    rowIndex,
    header: ['response', ...QUASI_IDENTIFIERS.map((q) => q.name), ...rowIndex.map((i) => columns[i]!.name)],
    textColumns: new Set(columns.filter((c) => c.type === 'short_text' || c.type === 'long_text').map((c) => c.questionId)),
  };
}

/** A questionnaire version as the rows need it: its questions by id and its definition (skip logic). */
export interface AnsweredVersion {
  asked: Map<string, Question>;
  definition: SurveyDefinition;
}

export function answeredVersions(versions: readonly { id: number; definition: SurveyDefinition }[]): Map<number, AnsweredVersion> {
  return new Map(versions.map((v) => [v.id, { asked: new Map(allQuestions(v.definition).map((q) => [q.id, q])), definition: v.definition }]));
}

/**
 * The approved, redacted free texts of a response that still match the answer approved (an
 * answer changed since its approval is withheld again).
 */
export function approvedTexts(
  layout: RowFileLayout,
  answers: Answers,
  approvals: ReadonlyMap<string, { answerSha256: string; publishedText: string }>,
): Map<string, string> {
  const approved = new Map<string, string>();
  for (const [questionId, approval] of approvals) {
    const answer = answers[questionId];
    if (layout.textColumns.has(questionId) && typeof answer === 'string' && answerSha256(answer) === approval.answerSha256)
      approved.set(questionId, approval.publishedText);
  }
  return approved;
}

/** The coded cells of every column of `layout` for one response's answers under its version. */
export function codedCells(layout: RowFileLayout, version: AnsweredVersion, answers: Answers, approvedText: ReadonlyMap<string, string>): string[] {
  return codeAnswers(layout.columns, answers, { asked: version.asked, hidden: hiddenQuestions(version.definition, answers), approvedText });
}

/** A response's identifier in one file: keyed by the file's seed, so it links to nothing else. */
export function rowIdentifier(seed: string, position: number): string {
  return `R${createHmac('sha256', seed).update(`row:${position}`).digest('hex').slice(0, 16)}`;
}

/** codebook.csv of a layout, whole. */
export function codebookCsv(layout: RowFileLayout): { text: string; rows: number } {
  const rows = codebookRows(layout.columns);
  return { text: csvHeaderLine(CODEBOOK_FIELDS) + csvDataLines(rows), rows: rows.length };
}

/** How a questionnaire version's quasi-identifiers were generalised, as the manifest records it. */
export function versionPlan(version: { version: string; contentHash: string }, plan: AnonymisationPlan): VersionPlan {
  return {
    version: version.version,
    content_hash: version.contentHash,
    published: plan.withheldAll ? null : plan.records,
    suppressed: plan.suppressedRecords,
    withheld_all: plan.withheldAll,
    smallest_class: plan.smallestClass,
    quasi_identifiers: QUASI_IDENTIFIERS.map((q, i) => ({ column: q.name, level: plan.levels[i]!, publishes: q.levelNames[plan.levels[i]!]! })),
  };
}
