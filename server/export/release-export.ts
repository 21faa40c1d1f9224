/**
 * Exporting a release: its public bundle (release-bundle.ts), with a row file when
 * release-row-file.ts allows one; the row file's issue recorded in `row_file_issue` (once per
 * questionnaire version, enforced by a unique index) and the export in the audit log.
 */
import type { Kysely } from 'kysely';
import type { PublishedRelease } from '../../analysis/disclosure/release-model.ts';
import { insertAuditEntry } from '../audit/audit.queries.ts';
import type { Database } from '../db/schema.ts';
import { isUniqueViolation } from '../db/unique-violation.ts';
import { ok, refuse, valueOr, type Outcome, type Refusal } from '../errors.ts';
import { findRelease } from '../releases/release-service.ts';
import { writeReleaseBundle } from './release-bundle.ts';
import { planReleaseRowFile, type ReleaseRowFilePlan } from './release-row-file.ts';
import { insertRowFileIssues } from './row-file-issue.queries.ts';

export interface ReleaseExport {
  releaseId: number;
  surveyId: string;
  plan: ReleaseRowFilePlan;
  files: { name: string; sha256: string }[];
}

/** Why a release was not exported: there is no such release, or another export issued its rows just now. */
export type ReleaseExportRefusal = Refusal<'not_found' | 'conflict'>;

/**
 * Writes the bundle of a release into `folder` (created); refuses (`not_found`) an unknown
 * release, and (`conflict`) when another export issued the same rows while this one was written.
 *
 * @example
 * const exported = await tryExportRelease(db, { releaseId: 3, actor: 'cli:alice' }, './hld-release-3');
 * if (exported.ok) exported.value.plan.reason; // null when responses.csv was written, else 'not_final' | 'already_issued' | 'release_hides_counts' | 'risk_check_failed'
 */
export async function tryExportRelease(
  db: Kysely<Database>,
  options: { releaseId: number; actor: string },
  folder: string,
): Promise<Outcome<ReleaseExport, ReleaseExportRefusal>> {
  const release = await findRelease(db, options.releaseId);
  if (!release) return refuse('not_found', `There is no release ${options.releaseId}.`);
  const plan = await planReleaseRowFile(db, release);
  const files = await writeReleaseBundle(release, plan, folder);
  const recorded = await recordExport(db, release, plan, files, options.actor);
  if (!recorded.ok) return recorded;
  return ok({ releaseId: release.id, surveyId: release.surveyId, plan, files });
}

/** tryExportRelease for callers that answer no refusal themselves (the command line, tests): a refusal is thrown as an AppError. */
export async function exportRelease(db: Kysely<Database>, options: { releaseId: number; actor: string }, folder: string): Promise<ReleaseExport> {
  return valueOr(await tryExportRelease(db, options, folder));
}

/** Records the row file's issue (at most once per questionnaire version) and the export in the audit log. */
async function recordExport(
  db: Kysely<Database>,
  release: PublishedRelease,
  plan: ReleaseRowFilePlan,
  files: ReleaseExport['files'],
  actor: string,
): Promise<Outcome<void, Refusal<'conflict'>>> {
  try {
    await db.transaction().execute(async (trx) => {
      if (plan.file) {
        await insertRowFileIssues(
          trx,
          plan.file.versionRows.map((v) => ({
            kind: 'public',
            survey_id: release.surveyId,
            survey_version_id: v.surveyVersionId,
            release_id: release.id,
            recipient: null,
            purpose: null,
            rows: v.rows,
            created_by: actor,
          })),
        );
      }
      await insertAuditEntry(trx, {
        actor,
        action: 'release.export',
        subject: `${release.surveyId}#${release.id}`,
        details: {
          contentHash: release.contentHash,
          rowFile: plan.file ? { rows: plan.file.lines.length } : { reason: plan.reason },
          ...(plan.riskCheck
            ? {
                riskCheck: {
                  passes: plan.riskCheck.passes,
                  uniqueRecordsBefore: plan.riskCheck.uniqueRecordsBefore,
                  records: plan.riskCheck.records,
                  suppressedCells: plan.riskCheck.suppressedCells,
                },
              }
            : {}),
          files,
        },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error))
      return refuse('conflict', `The rows of release ${release.id} were published by another export just now; export it again for a bundle that says so.`);
    throw error;
  }
  return ok(undefined);
}
