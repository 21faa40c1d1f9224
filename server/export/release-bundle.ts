/**
 * The public bundle of a release: tables.csv (every count of every table in every group of the
 * release, or the reason it is not shown), release.json (the same figures as published to
 * observers), README.txt. No row file: a row file of a small, public population identifies its
 * respondents by their answers.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PublishedRelease } from '../../analysis/disclosure/release-model.ts';
import { ANSWERED, SUBSTANTIVE } from '../../analysis/disclosure/release-model.ts';
import { csvWithBom } from './csv.ts';

export const RELEASE_TABLE_FIELDS = ['question_id', 'item', 'breakdown', 'group', 'group_label', 'code', 'base', 'count', 'hidden'] as const;

/** The rows of tables.csv: `count` empty and `hidden` saying why when a count is not shown. */
export function releaseTableRows(release: PublishedRelease): string[][] {
  const rows: string[][] = [];
  const breakdownOf = new Map(release.breakdowns.flatMap((b) => b.groups.map((g) => [g, b.id] as const)));
  const groups = release.breakdowns.flatMap((b) => b.groups);
  const why = { fewer_than_k: `fewer than ${release.threshold}`, withheld: 'withheld' } as const;
  for (const g of groups) {
    const cell = release.respondents[g]!;
    rows.push(['_respondents', '', breakdownOf.get(g)!, g, release.groups[g]?.label ?? g, '_respondents', '', cell.count === null ? '' : String(cell.count), cell.count === null ? why[cell.why] : '']);
  }
  for (const table of release.tables) {
    for (const g of groups) {
      for (const row of table.rows) {
        const cell = table.cells[g]?.[row];
        if (!cell) continue;
        const base = row === ANSWERED ? '_respondents' : row === SUBSTANTIVE || table.apart.includes(row) || !table.rows.includes(SUBSTANTIVE) ? ANSWERED : SUBSTANTIVE;
        rows.push([table.questionId, table.item, breakdownOf.get(g)!, g, release.groups[g]?.label ?? g, row, base, cell.count === null ? '' : String(cell.count), cell.count === null ? why[cell.why] : '']);
      }
    }
  }
  return rows;
}

export function releaseReadme(release: PublishedRelease): string {
  return `Release ${release.id} of questionnaire ${release.surveyId}: "${release.name}"
Made ${release.createdAt}${release.final ? ' (final release)' : ''}. Content hash (SHA-256): ${release.contentHash}

tables.csv  every count of every question, for all respondents and for each group of the
            release's breakdowns (${release.breakdowns.map((b) => b.id).join(', ')}). A count that
            is not shown has an empty "count" and says why in "hidden":
              "fewer than ${release.threshold}"  the count itself is from 1 to ${release.threshold - 1};
              "withheld"       hidden so that no hidden count can be worked out from the
                               shown ones, or to protect responses that changed since an
                               earlier release.
release.json the same figures as read by the Assessment Team's observers.

What this release protects against. Every figure was decided once, for all tables together and
together with every earlier release of the questionnaire (${release.earlier.length ? release.earlier.join(', ') : 'none'}): sums between groups
(all = the regions = the role groups), between the answers of a question, between a question and
the follow-up it shows, and differences between releases. Before it was stored, a solver took
everything shown and bounded every hidden count: none can be worked out exactly, and none from 1 to
${release.threshold - 1} can be narrowed to fewer than ${release.threshold} possible values. A group that changed by 1 to
${release.threshold - 1} responses since an earlier release is withheld whole.

What it does not protect against. A group that answered unanimously shows it (all of a region
answering "yes" is a fact about each of them). Knowledge from outside the release (a government
telling how it answered) narrows the others' answers. No row file is published: the answers of a
small, public population identify its members.
`;
}

/** Writes the bundle into `folder` (created). */
export async function writeReleaseBundle(release: PublishedRelease, folder: string): Promise<string[]> {
  await mkdir(folder, { recursive: true });
  const files = {
    'tables.csv': csvWithBom([...RELEASE_TABLE_FIELDS], releaseTableRows(release)),
    'release.json': `${JSON.stringify(release, null, 1)}\n`,
    'README.txt': releaseReadme(release),
  };
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(folder, name), text);
  return Object.keys(files);
}
