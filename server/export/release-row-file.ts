/**
 * Whether a release's public bundle holds a row file, and its rows. A row file is written only
 * when the release is final, no public row file was issued before for the questionnaire versions
 * it holds, the release hides no count (a row file can be counted into every table of the release,
 * so it would show what the tables hide), and the rows the release froze pass the risk check over every column
 * (analysis/disclosure/special-uniques.ts) with at most 5% of cells blanked. The rows are those of
 * the revisions the release holds, never live data; coded as in the restricted-use file
 * (row-file.ts), the quasi-identifiers k-anonymous first at the release's threshold, free text
 * withheld (a release publishes none).
 *
 * The rows are held in memory for the check (it counts every combination of columns).
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { planAnonymisation, SUPPRESSED } from '../../analysis/disclosure/k-anonymity.ts';
import type { PublishedRelease } from '../../analysis/disclosure/release-model.ts';
import { checkSpecialUniques, describeSpecialUniques, type SpecialUniquesResult } from '../../analysis/disclosure/special-uniques.ts';
import type { SurveyDefinition } from '../../survey-definitions/types.ts';
import type { Database } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { readReleaseRows, releaseVersions } from '../releases/release.queries.ts';
import { getCurrentSurveyVersion } from '../surveys/survey-versions.queries.ts';
import type { VersionPlan } from './bundle-documents.ts';
import { QUASI_IDENTIFIERS, quasiIdentifierValues } from './quasi-identifiers.ts';
import { answeredVersions, codedCells, rowFileLayout, rowIdentifier, versionPlan, type RowFileLayout } from './row-file.ts';
import { findPublicIssues } from './row-file-issue.queries.ts';

/** Why a release's bundle has no row file. */
export type NoRowFileReason = 'not_final' | 'already_issued' | 'release_hides_counts' | 'risk_check_failed';

/** The counts a release hides: its tables' cells and its groups' numbers of respondents. */
export function hiddenCounts(release: PublishedRelease): number {
  let hidden = Object.values(release.respondents).filter((c) => c.count === null).length;
  for (const table of release.tables) for (const cells of Object.values(table.cells)) hidden += Object.values(cells).filter((c) => c.count === null).length;
  return hidden;
}

/** The risk check's figures as a manifest records them (without the cells blanked). */
export type RiskCheckFigures = Omit<SpecialUniquesResult, 'suppressions'>;

export interface ReleaseRowFilePlan {
  /** Null when a row file is written. */
  reason: NoRowFileReason | null;
  /** In words, for README.txt and risk-check.json. */
  explanation: string;
  /** Null when the check was not run (not final, or already issued). */
  riskCheck: RiskCheckFigures | null;
  /** The earlier public issue that rules this one out. */
  earlierIssue: { releaseId: number; issuedOn: string; versions: string[] } | null;
  /** The quasi-identifiers' generalisation per questionnaire version (when the rows were read). */
  versions: VersionPlan[];
  /** The row file when written: layout, data lines (identifier first), rows per version. */
  file: { layout: RowFileLayout; definition: SurveyDefinition; lines: string[][]; versionRows: { surveyVersionId: number; rows: number }[] } | null;
}

/**
 * Decides the row file of a release's bundle and codes its rows. Reads the database; writes
 * nothing (the caller records the issue when it writes the file).
 */
export async function planReleaseRowFile(db: Kysely<Database>, release: PublishedRelease): Promise<ReleaseRowFilePlan> {
  const none = { riskCheck: null, earlierIssue: null, versions: [], file: null };
  if (!release.final) {
    return {
      ...none,
      reason: 'not_final',
      explanation: `Release ${release.id} is not final. A row file is published only with the final release of a questionnaire.`,
    };
  }
  const versions = await releaseVersions(db, release.id);
  const earlier = await findPublicIssues(
    db,
    versions.map((v) => v.id),
  );
  if (earlier.length) {
    const first = earlier[0]!;
    const issuedOn = first.createdAt.toISOString().slice(0, 10);
    const names = versions.filter((v) => earlier.some((e) => e.surveyVersionId === v.id)).map((v) => v.version);
    return {
      ...none,
      reason: 'already_issued',
      earlierIssue: { releaseId: first.releaseId, issuedOn, versions: names },
      explanation: `The rows of questionnaire version ${names.join(', ')} were already published on ${issuedOn} in the bundle of release ${first.releaseId}. A version's rows are published once: two row files could be compared.`,
    };
  }

  const current = await getCurrentSurveyVersion(db, release.surveyId);
  if (!current) throw new AppError('not_found', `There is no questionnaire '${release.surveyId}'.`);
  const layout = rowFileLayout(current.definition);
  const answered = answeredVersions(versions);
  // The seed orders rows and keys their identifiers; it is never stored.
  const seed = randomBytes(32).toString('hex');
  const rows = await readReleaseRows(db, release.id, seed);

  // Quasi-identifiers first, as in the restricted-use file: each version k-anonymous on its own.
  const plans = new Map(
    versions.map((v) => {
      const counts = new Map<string, { values: string[]; count: number }>();
      for (const row of rows.filter((r) => r.surveyVersionId === v.id)) {
        const values = quasiIdentifierValues(row.respondent);
        const key = values.join('\u0000');
        counts.set(key, { values, count: (counts.get(key)?.count ?? 0) + 1 });
      }
      return [v.id, planAnonymisation(QUASI_IDENTIFIERS, [...counts.values()], release.threshold)] as const;
    }),
  );
  const cellRows: string[][] = [];
  const versionOfRow: number[] = [];
  for (const row of rows) {
    const published = plans.get(row.surveyVersionId)!.publish(quasiIdentifierValues(row.respondent));
    if (published === null) continue;
    const cells = codedCells(layout, answered.get(row.surveyVersionId)!, row.answers, new Map());
    cellRows.push([...published, ...layout.rowIndex.map((i) => cells[i]!)]);
    versionOfRow.push(row.surveyVersionId);
  }
  const versionPlans: VersionPlan[] = versions.map((v) => versionPlan(v, plans.get(v.id)!));

  const check = checkSpecialUniques({ columns: layout.header.slice(1), rows: cellRows });
  const { suppressions, ...riskCheck } = check;
  if (!check.passes) {
    return {
      reason: 'risk_check_failed',
      explanation: `${describeSpecialUniques(check)} No row file is published.`,
      riskCheck,
      earlierIssue: null,
      versions: versionPlans,
      file: null,
    };
  }
  // Counted into the tables, rows would give back every count the release hides ("fewer than 5",
  // and the "withheld" counts that protect them): a row file goes only with a release that hides none.
  const hidden = hiddenCounts(release);
  if (hidden > 0) {
    return {
      reason: 'release_hides_counts',
      explanation: `${describeSpecialUniques(check)} But release ${release.id} hides ${hidden} count${hidden === 1 ? '' : 's'} of its tables, and a row file counted into those tables would show them: a row file is published only with a release that hides none. No row file is published.`,
      riskCheck,
      earlierIssue: null,
      versions: versionPlans,
      file: null,
    };
  }
  for (const s of suppressions) cellRows[s.record]![s.column] = SUPPRESSED;
  const versionRows = new Map<number, number>();
  for (const id of versionOfRow) versionRows.set(id, (versionRows.get(id) ?? 0) + 1);
  return {
    reason: null,
    explanation: `${describeSpecialUniques(check)} responses.csv holds ${cellRows.length} row(s).`,
    riskCheck,
    earlierIssue: null,
    versions: versionPlans,
    file: {
      layout,
      definition: current.definition,
      lines: cellRows.map((cells, i) => [rowIdentifier(seed, i + 1), ...cells]),
      versionRows: [...versionRows].map(([surveyVersionId, n]) => ({ surveyVersionId, rows: n })),
    },
  };
}
