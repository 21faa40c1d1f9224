/**
 * What a release publishes: every count table of a questionnaire for every group of its predefined
 * breakdowns, each count either shown or hidden with the reason. Observers' pages, the API, the
 * printable report and tables.csv of a release are all read from one {@link PublishedRelease}.
 *
 * Groups are described by what they hold (a kind, a region, a role group, or a kind and a region),
 * never by the list of finer groups that happen to have respondents: that list would itself tell
 * a reader where somebody answered.
 */

/** The predefined breakdowns a release may hold. */
export const BREAKDOWNS = ['all', 'kind', 'region', 'role_group', 'kind_region'] as const;
export type BreakdownId = (typeof BREAKDOWNS)[number];

/** The three dimensions of a respondent that breakdowns use. */
export interface GroupDefinition {
  kind?: string;
  region?: string;
  roleGroup?: string;
}

/** Why a count is not shown. */
export type HiddenReason = 'fewer_than_k' | 'withheld';

/** A published count: a number, or null with the reason it is hidden. */
export type ReleaseCell = { count: number } | { count: null; why: HiddenReason };

/** Row codes of a table that are not answer codes. */
export const ANSWERED = '_answered';
/** Respondents who answered other than with the codes counted apart ("don't know"): the base of the options' shares. */
export const SUBSTANTIVE = '_substantive';

/**
 * One count table: a question (or a matrix row, or a ranking option) by group.
 * - `partition`: one code per respondent; `_answered` = sum of the codes; when the table has a
 *   `_substantive` row, `_substantive` = sum of the codes not in `apart` and `_answered` =
 *   `_substantive` + sum of the `apart` codes.
 * - `multi`: any number of codes per respondent; every code count <= `_answered`, and the code counts
 *   add up to at least `_answered` (each respondent who answered chose one at least).
 * In every table `_answered` <= the group's respondents.
 */
export interface ReleaseTable {
  questionId: string;
  /** '' for a whole question, else the matrix row or the ranked option. */
  item: string;
  type: 'partition' | 'multi';
  /** Answer codes (ranks '1', '2', … for a ranked option), then `_substantive` when present, then `_answered`. */
  rows: string[];
  /** Codes counted apart from `_substantive` ("don't know"); empty when the table has no `_substantive` row. */
  apart: string[];
  /** group id -> row -> cell. */
  cells: Record<string, Record<string, ReleaseCell>>;
}

/** A numeric question's summary per group: shown only where its number of answers is shown. */
export interface ReleaseNumeric {
  questionId: string;
  groups: Record<string, { n: ReleaseCell; mean: number | null; median: number | null }>;
}

/**
 * A skip-logic relation a reader knows from the questionnaire: in every group, the number who
 * answered `questionId` is at most (exactly, when `required`) the number whose answer to `parent`
 * shows it: those with one of `codes` (or, when `negated`, those without it, out of the group's respondents).
 */
export interface SkipRelation {
  questionId: string;
  parent: string;
  /** The parent's codes that show the question; when several, any of them. */
  codes: string[];
  negated: boolean;
  /** True when the shown question must be answered: the relation is then an equality (for one code). */
  required: boolean;
}

/** A cell of a trend table: a release cell, or null where that phase's question has no such answer. */
export type TrendCell = ReleaseCell | null;

export interface ReleaseTrendTable {
  trendKey: string;
  earlier: { questionId: string; item: string };
  later: { questionId: string; item: string };
  type: ReleaseTable['type'];
  /** The earlier phase's rows (codes, then `_substantive` when present, then `_answered`). */
  rows: string[];
  apart: string[];
  /** group id -> row -> the two phases' cells. */
  cells: Record<string, Record<string, { earlier: TrendCell; later: TrendCell }>>;
}

/** The earlier phase's release a later phase's release compares with (release-trends.ts). */
export interface TrendSource {
  releaseId: number;
  surveyId: string;
  /** The two phases (years), earlier then later. */
  phases: [number, number];
  contentHash: string;
}

export interface PublishedRelease {
  id: number;
  surveyId: string;
  name: string;
  createdAt: string;
  final: boolean;
  /** SHA-256 of the canonical JSON of the release's content (everything here but id, name and time). */
  contentHash: string;
  /** Counts from 1 to threshold − 1 are never shown. */
  threshold: number;
  /** Earlier releases of the same questionnaire, oldest first. */
  earlier: number[];
  breakdowns: { id: BreakdownId; groups: string[] }[];
  /** group id -> definition and English label. */
  groups: Record<string, GroupDefinition & { label: string }>;
  /** Values each dimension can take (also those with nobody in them): a reader's unknowns are their combinations. */
  dimensions: { kind: string[]; region: string[]; roleGroup: string[] };
  /** group id -> number of responses in the release. */
  respondents: Record<string, ReleaseCell>;
  tables: ReleaseTable[];
  numeric: ReleaseNumeric[];
  relations: SkipRelation[];
  /** Where the release compares with an earlier phase's release: that release, and the tied questions' tables. */
  trendFrom?: TrendSource;
  trends?: ReleaseTrendTable[];
}

/** The id of a group: `all`, `kind:government`, `region:Africa`, `role_group:steering_group`, `kind_region:government/Africa`. */
export function groupId(breakdown: BreakdownId, definition: GroupDefinition): string {
  switch (breakdown) {
    case 'all':
      return 'all';
    case 'kind':
      return `kind:${definition.kind}`;
    case 'region':
      return `region:${definition.region}`;
    case 'role_group':
      return `role_group:${definition.roleGroup}`;
    case 'kind_region':
      return `kind_region:${definition.kind}/${definition.region}`;
  }
}

/** True when a respondent with these dimensions belongs to the group. */
export function inGroup(definition: GroupDefinition, leaf: Required<GroupDefinition>): boolean {
  return (
    (definition.kind === undefined || definition.kind === leaf.kind) &&
    (definition.region === undefined || definition.region === leaf.region) &&
    (definition.roleGroup === undefined || definition.roleGroup === leaf.roleGroup)
  );
}
