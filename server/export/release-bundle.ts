/**
 * The public bundle of a release: tables.csv (every count of every table in every group of the
 * release, or the reason it is not shown), release.json (the same figures as published to
 * observers), risk-check.json (whether a row file is published, why, and the risk check's
 * figures), README.txt; and, only when release-row-file.ts allows it, responses.csv and
 * codebook.csv.
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PublishedRelease } from '../../analysis/disclosure/release-model.ts';
import { ANSWERED, SUBSTANTIVE, type ReleaseCell, type TrendCell } from '../../analysis/disclosure/release-model.ts';
import { trendChange } from '../../analysis/disclosure/release-trends.ts';
import { hiddenLabel } from '../../analysis/results.ts';
import { CODEBOOK_FIELDS, codebookRows } from './bundle-documents.ts';
import { csvDataLines, csvHeaderLine, csvWithBom } from '../csv/csv.ts';
import type { ReleaseRowFilePlan } from './release-row-file.ts';
import { dataDay, writeAnalystFiles } from './analyst/analyst-files.ts';

export const RELEASE_TABLE_FIELDS = ['question_id', 'item', 'breakdown', 'group', 'group_label', 'code', 'base', 'count', 'hidden'] as const;

/** The rows of tables.csv: `count` empty and `hidden` saying why when a count is not shown. */
export function releaseTableRows(release: PublishedRelease): string[][] {
  const rows: string[][] = [];
  const breakdownOf = new Map(release.breakdowns.flatMap((b) => b.groups.map((g) => [g, b.id] as const)));
  const groups = release.breakdowns.flatMap((b) => b.groups);
  const hiddenText = (cell: ReleaseCell) => (cell.count === null ? hiddenLabel(cell.why === 'withheld', release.threshold) : '');
  for (const g of groups) {
    const cell = release.respondents[g]!;
    rows.push([
      '_respondents',
      '',
      breakdownOf.get(g)!,
      g,
      release.groups[g]?.label ?? g,
      '_respondents',
      '',
      cell.count === null ? '' : String(cell.count),
      hiddenText(cell),
    ]);
  }
  for (const table of release.tables) {
    for (const g of groups) {
      for (const row of table.rows) {
        const cell = table.cells[g]?.[row];
        if (!cell) continue;
        const base =
          row === ANSWERED ? '_respondents' : row === SUBSTANTIVE || table.apart.includes(row) || !table.rows.includes(SUBSTANTIVE) ? ANSWERED : SUBSTANTIVE;
        rows.push([
          table.questionId,
          table.item,
          breakdownOf.get(g)!,
          g,
          release.groups[g]?.label ?? g,
          row,
          base,
          cell.count === null ? '' : String(cell.count),
          hiddenText(cell),
        ]);
      }
    }
  }
  return rows;
}

export const RELEASE_TREND_FIELDS = [
  'trend_key',
  'question_id_earlier',
  'question_id_later',
  'item',
  'breakdown',
  'group',
  'group_label',
  'code',
  'count_earlier',
  'hidden_earlier',
  'count_later',
  'hidden_later',
  'change_points',
] as const;

/**
 * The rows of trends.csv (a release that compares with an earlier phase's release): per tied
 * question, group and earlier code, both phases' counts as the two releases publish them and the
 * change of the share in percentage points, empty unless both shares are shown.
 */
export function releaseTrendRows(release: PublishedRelease): string[][] {
  if (!release.trends?.length) return [];
  const breakdownOf = new Map(release.breakdowns.flatMap((b) => b.groups.map((g) => [g, b.id] as const)));
  const why = (cell: TrendCell | undefined) =>
    cell === null || cell === undefined ? 'not asked' : cell.count === null ? hiddenLabel(cell.why === 'withheld', release.threshold) : '';
  const count = (cell: TrendCell | undefined) => (cell && cell.count !== null ? String(cell.count) : '');
  const rows: string[][] = [];
  for (const table of release.trends) {
    for (const [g, byRow] of Object.entries(table.cells)) {
      for (const row of table.rows) {
        const pair = byRow[row];
        const change = trendChange(table, g, row);
        rows.push([
          table.trendKey,
          table.earlier.questionId,
          table.later.questionId,
          table.earlier.item,
          breakdownOf.get(g) ?? '',
          g,
          release.groups[g]?.label ?? g,
          row,
          count(pair?.earlier),
          why(pair?.earlier),
          count(pair?.later),
          why(pair?.later),
          change === null ? '' : change.toFixed(1),
        ]);
      }
    }
  }
  return rows;
}

/** risk-check.json: the row file's decision, its reason and the figures of the check when it ran. */
export function riskCheckManifest(release: PublishedRelease, plan: ReleaseRowFilePlan) {
  return {
    format: 'gfmd-release-row-file/1',
    release: { id: release.id, survey: release.surveyId, final: release.final, content_hash: release.contentHash },
    row_file: plan.file ? { written: true, file: 'responses.csv', rows: plan.file.lines.length } : { written: false, reason: plan.reason },
    explanation: plan.explanation,
    rule: 'A row file is published only with the final release of a questionnaire, once per questionnaire version, only when that release hides no count (rows counted into its tables would show what they hide), and only when no record of the rows that release froze is unique on any combination of up to 3 columns after blanking at most 5% of cells (a blank a value of its own).',
    earlier_issue: plan.earlierIssue,
    risk_check: plan.riskCheck,
    quasi_identifiers: plan.versions,
  };
}

export function releaseReadme(release: PublishedRelease, plan: ReleaseRowFilePlan): string {
  const rowFile = plan.file
    ? `responses.csv one row per response the release covers (the revision it froze), in a random
            order, with a random identifier: codes as in codebook.csv. Free text is withheld
            (".w"); ".s" marks a cell blanked by disclosure control. No record is unique on any
            combination of up to ${plan.riskCheck!.maxColumns} columns: ${plan.explanation}
codebook.csv every column of responses.csv and every code.
labels.sps, labels.do, labels.R  read responses.csv into SPSS or PSPP, Stata (14 or later) and R
            with variable and value labels, the special codes as missing values.
results.xlsx the rows, the codebook and tables.csv for Excel (a count not shown shaded grey).`
    : `No row file (responses.csv). ${plan.explanation}
results.xlsx tables.csv for Excel (a count not shown shaded grey).`;
  const check = plan.riskCheck
    ? `
Risk check of the rows (risk-check.json has every figure): ${plan.riskCheck.records} records, ${plan.riskCheck.columns} columns;
${plan.riskCheck.stoppedEarly ? 'at least ' : ''}${plan.riskCheck.uniqueRecordsBefore} records unique on some combination of up to ${plan.riskCheck.maxColumns} columns, on ${plan.riskCheck.stoppedEarly ? 'at least ' : ''}${plan.riskCheck.uniqueCombinationsBefore} combinations;
${plan.riskCheck.suppressedCells} cells blanked (the limit is ${plan.riskCheck.cellBudget}, ${plan.riskCheck.maxSuppressedShare * 100}% of cells)${plan.riskCheck.stoppedEarly ? `; the check stopped once at least ${plan.riskCheck.stoppedEarly.cellsNeeded} blanks were known to be needed` : ''}.
Combinations with most unique records: ${plan.riskCheck.worstCombinations.map((w) => `${w.columns.join(' + ')} (${w.uniqueRecords})`).join('; ') || 'none'}.
`
    : '';
  return `Release ${release.id} of questionnaire ${release.surveyId}: "${release.name}"
Made ${release.createdAt}${release.final ? ' (final release)' : ''}. Content hash (SHA-256): ${release.contentHash}

tables.csv  every count of every question, for all respondents and for each group of the
            release's breakdowns (${release.breakdowns.map((b) => b.id).join(', ')}). A count that
            is not shown has an empty "count" and says why in "hidden":
              "fewer than ${release.threshold}"  the count itself is from 1 to ${release.threshold - 1};
              "withheld"       hidden so that no hidden count can be worked out from the
                               shown ones, or to protect responses that changed since an
                               earlier release.
release.json the same figures as read by the Assessment Team's observers.${
    release.trendFrom
      ? `
trends.csv  the questions asked in both phases: the counts of release ${release.trendFrom.releaseId} (${release.trendFrom.phases[0]})
            beside this release's (${release.trendFrom.phases[1]}), as each publishes them, and the change of
            each share in percentage points where both shares are shown. Nothing in it is a new
            figure: every count is one of the two releases' (a ${release.trendFrom.phases[1]} answer mapped onto a
            ${release.trendFrom.phases[0]} answer is summed only when every part is shown).`
      : ''
  }
risk-check.json whether this bundle holds a row file, why, and the risk check's figures.
${rowFile}
${check}
What this release protects against. Every figure was decided once, for all tables together and
together with every earlier release of the questionnaire (${release.earlier.length ? release.earlier.join(', ') : 'none'}): sums between groups
(all = the regions = the role groups), between the answers of a question, between a question and
the follow-up it shows, and differences between releases. Before it was stored, a solver took
everything shown and bounded every hidden count: none can be worked out exactly, and none from 1 to
${release.threshold - 1} can be narrowed to fewer than ${release.threshold} possible values. A group that changed by 1 to
${release.threshold - 1} responses since an earlier release is withheld whole. A hidden count that a larger group's
shown 0 sets at 0 is left as it is: nobody stands behind it, and every reader of that 0 knows it.

What it does not protect against. A group that answered unanimously shows it (all of a region
answering "yes" is a fact about each of them). Knowledge from outside the release (a government
telling how it answered) narrows the others' answers. ${
    plan.file
      ? `The row file goes only with a release that hides no
count, so counting it into the tables gives nothing they hide; no record in it is alone on up to
${plan.riskCheck!.maxColumns} columns, but someone who knows more of a respondent's answers may still find its row.`
      : `The answers of a small, public population identify
its members, which is why a row file is published only when the rows pass the risk check.`
  }
`;
}

/** Writes the bundle into `folder` (created); the files' names and SHA-256. */
export async function writeReleaseBundle(release: PublishedRelease, plan: ReleaseRowFilePlan, folder: string): Promise<{ name: string; sha256: string }[]> {
  await mkdir(folder, { recursive: true });
  const files: Record<string, string> = {
    'tables.csv': csvWithBom([...RELEASE_TABLE_FIELDS], releaseTableRows(release)),
    'release.json': `${JSON.stringify(release, null, 1)}\n`,
  };
  if (release.trends?.length) files['trends.csv'] = csvWithBom([...RELEASE_TREND_FIELDS], releaseTrendRows(release));
  if (plan.file) {
    files['responses.csv'] = csvHeaderLine(plan.file.layout.header) + csvDataLines(plan.file.lines);
    files['codebook.csv'] = csvHeaderLine(CODEBOOK_FIELDS) + csvDataLines(codebookRows(plan.file.layout.columns, null));
  }
  files['risk-check.json'] = `${JSON.stringify(riskCheckManifest(release, plan), null, 1)}\n`;
  files['README.txt'] = releaseReadme(release, plan);
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(folder, name), text);
  // The workbook always (its tables), the syntax files with a row file.
  const analystFiles = await writeAnalystFiles({
    folder,
    rowFile: plan.file ? { name: 'responses.csv', header: plan.file.layout.header, columns: plan.file.layout.columns, definition: plan.file.definition } : null,
    language: 'en',
    values: 'labels',
    notice: [
      `Public release ${release.id} of questionnaire ${release.surveyId}: "${release.name}", made ${release.createdAt.slice(0, 10)}${release.final ? ' (final release)' : ''}.`,
      'Read README.txt first.',
    ],
    tables: { file: 'tables.csv', countColumn: 'count', suppressed: (row) => row[RELEASE_TABLE_FIELDS.indexOf('hidden')] !== '' },
    date: dataDay(release.createdAt.slice(0, 10)),
  });
  return [
    ...Object.entries(files).map(([name, text]) => ({ name, sha256: createHash('sha256').update(text, 'utf8').digest('hex') })),
    ...analystFiles.map((f) => ({ name: f.name, sha256: f.sha256 })),
  ];
}
