/**
 * The printable report of one group of a release: the release's figures exactly, read as analysis
 * results (release-results.ts) and laid out as the live report is (analysis/report-model.ts), with
 * the release's respondents by kind and by region in the method section.
 */
import { FEWER_THAN_5, fewerThan, hiddenLabel } from '../../analysis/results.ts';
import type { PublishedRelease, ReleaseCell } from '../../analysis/disclosure/release-model.ts';
import type { SurveyDefinition } from '../../survey-definitions/types.ts';
import { hiddenFigures, leftOutCounts, reportSections, type ReportModel, type ReportTable } from '../analysis/report-model.ts';
import { releaseAnalysis } from './release-results.ts';
import { trendReportSection } from './release-trend-report.ts';

export interface ReleaseReportInput {
  definition: SurveyDefinition;
  version: string;
  release: PublishedRelease;
  /** The release's group the report is about (`all`, `region:Africa`, …). */
  group: string;
  /** The earlier phase's questionnaire, for a release that compares with it (its labels). */
  earlierDefinition?: SurveyDefinition;
}

const cellText = (cell: ReleaseCell | undefined) => (!cell ? '—' : cell.count === null ? hiddenLabel(cell.why === 'withheld') : String(cell.count));

/** A release's respondents per group of one breakdown, and in all. */
function releaseRespondentsTable(release: PublishedRelease, breakdown: 'kind' | 'region', caption: string, header: string): ReportTable {
  const groups = release.breakdowns.find((b) => b.id === breakdown)?.groups ?? [];
  return {
    caption,
    headers: [header, 'Responses in the release'],
    rows: [
      ...groups.map((g) => ({ label: release.groups[g]?.label ?? g, cells: [cellText(release.respondents[g])] })),
      { label: 'All', cells: [cellText(release.respondents['all'])] },
    ],
  };
}

/**
 * The report of one group of a release: its figures exactly (a count the release hides reads as
 * the release says), with the release's respondents by kind and by region in the method section.
 *
 * @throws Error when the release has no such group.
 */
export function buildReleaseReportModel(input: ReleaseReportInput): ReportModel {
  const { definition, release, group } = input;
  const analysis = releaseAnalysis(release, definition, group);
  const model = {
    source: {
      kind: 'release' as const,
      id: release.id,
      name: release.name,
      contentHash: release.contentHash,
      final: release.final,
      group,
      groupLabel: release.groups[group]!.label,
      threshold: release.threshold,
      groups: release.breakdowns.flatMap((b) => b.groups).map((id) => ({ id, label: release.groups[id]?.label ?? id })),
    },
    surveyId: release.surveyId,
    title: definition.title.en,
    version: input.version,
    dataDay: release.createdAt.slice(0, 10),
    window: { opens: definition.opens, closes: definition.closes },
    responses: cellText(release.respondents[group]),
    excluded: null,
    byKind: releaseRespondentsTable(release, 'kind', 'Responses in the release, by stakeholder kind', 'Stakeholder kind'),
    byRegion: releaseRespondentsTable(release, 'region', 'Responses in the release, by region (UN M49)', 'Region'),
    leftOut: leftOutCounts(definition),
    sections: reportSections(definition, analysis),
    trends: trendReportSection(release, input.earlierDefinition, group),
  };
  const counted: ReportModel = { ...model, hiddenCells: hiddenFigures(model) };
  // Results and charts word a small count for the default threshold; a release may have another.
  return release.threshold === 5 ? counted : (JSON.parse(JSON.stringify(counted).replaceAll(FEWER_THAN_5, fewerThan(release.threshold))) as ReportModel);
}
