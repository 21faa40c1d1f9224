/**
 * SQL of issued row files (`row_file_issue`): recording an issue, and finding the public issue of a
 * questionnaire version.
 */
import type { Insertable } from 'kysely';
import type { Db } from '../db/db.ts';
import type { RowFileIssueTable } from '../db/schema.ts';

/** Records a row file, one row per questionnaire version it holds. A second public issue of a version violates `row_file_issue_public_once`. */
export async function insertRowFileIssues(db: Db, issues: readonly Insertable<RowFileIssueTable>[]): Promise<void> {
  if (issues.length)
    await db
      .insertInto('row_file_issue')
      .values([...issues])
      .execute();
}

export interface PublicIssue {
  surveyVersionId: number;
  releaseId: number;
  createdAt: Date;
}

/** Which of these questionnaire versions already had their rows published, with which release and when? */
export async function findPublicIssues(db: Db, surveyVersionIds: readonly number[]): Promise<PublicIssue[]> {
  if (surveyVersionIds.length === 0) return [];
  const rows = await db
    .selectFrom('row_file_issue')
    .select(['survey_version_id', 'release_id', 'created_at'])
    .where('kind', '=', 'public')
    .where('survey_version_id', 'in', [...surveyVersionIds])
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ surveyVersionId: r.survey_version_id, releaseId: r.release_id!, createdAt: new Date(r.created_at) }));
}
