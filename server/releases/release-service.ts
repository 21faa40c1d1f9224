/**
 * Making and reading releases. A release freezes, in one transaction, the submitted revision of
 * every response not excluded, counts them per finest group in SQL, protects every figure jointly
 * with the earlier releases of the questionnaire (analysis/disclosure/release-protection.ts), and
 * stores the result under the SHA-256 of its content. Nothing of a release changes afterwards.
 * A release that cannot be made (no name, nothing to release, a second final one, figures that
 * could not be protected) is refused as a value, with nothing stored.
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { Kysely, Transaction } from 'kysely';
import { BREAKDOWNS, type BreakdownId, type PublishedRelease } from '../../analysis/disclosure/release-model.ts';
import {
  protectRelease,
  ReleaseRefused,
  type ProtectedFigures,
  type ProtectionSummary,
  type ReleaseInput,
} from '../../analysis/disclosure/release-protection.ts';
import { informativeGroups, releaseGroups } from '../../analysis/disclosure/release-tables.ts';
import type { SurveyDefinition } from '../../survey-definitions/types.ts';
import { insertAuditEntry } from '../audit/audit.queries.ts';
import type { Database } from '../db/schema.ts';
import { transactionOutcome } from '../db/outcome-transaction.ts';
import { AppError, ok, refuse, valueOr, type Outcome, type Refusal } from '../errors.ts';
import { KIND_PHRASES } from '../analysis/group-comparisons.ts';
import { getCurrentSurveyVersion } from '../surveys/survey-versions.queries.ts';
import { changedByGroup, countLeaves, releaseSegments, skipRelations } from './release-counts.ts';
import {
  currentMembers,
  getReleaseRow,
  insertRelease,
  listReleases,
  releaseMembers,
  surveyDimensions,
  UNKNOWN_REGION,
  type Member,
  type StoredRelease,
} from './release.queries.ts';
import { releaseTrendSection } from './release-trend-source.ts';

/** Smallest count shown in a release, unless asked otherwise (never below 3). */
export const DEFAULT_THRESHOLD = 5;

export const ROLE_GROUP_LABELS: Record<string, string> = {
  steering_group: 'Steering Group members (Chair, Troika, Steering Group, Assessment Team)',
  other_role: 'Other GFMD role',
  no_role: 'No GFMD role',
};

export interface CreateReleaseOptions {
  surveyId: string;
  name: string;
  final?: boolean;
  threshold?: number;
  /** An account's e-mail, or `cli`. */
  actor: string;
  breakdowns?: readonly BreakdownId[];
  /** A release of an earlier phase's questionnaire to compare with: the release then holds its trend tables. */
  trendFrom?: number;
}

export interface CreatedRelease {
  id: number;
  contentHash: string;
  responses: number;
  summary: ProtectionSummary;
  /** Tables of questions tied to the earlier phase's release (0 without `trendFrom`). */
  trendTables: number;
}

/** Why a release was not made: the request (`bad_request`: no name, nothing to release, figures that cannot be protected), a second final release (`conflict`), an unknown questionnaire or earlier release (`not_found`). */
export type ReleaseRefusal = Refusal<'bad_request' | 'conflict' | 'not_found'>;

type ReleaseContent = Omit<PublishedRelease, 'id' | 'name' | 'createdAt' | 'contentHash'> & Partial<Pick<PublishedRelease, 'trendFrom' | 'trends'>>;

/**
 * Makes a release, or refuses it (the message says why, e.g. which groups need more responses).
 *
 * @example
 * const made = await tryCreateRelease(db, { surveyId: 'government-assessment', name: 'First look', actor: 'ana@example.org' });
 * if (!made.ok) console.log(made.refusal.message);
 */
export async function tryCreateRelease(db: Kysely<Database>, options: CreateReleaseOptions): Promise<Outcome<CreatedRelease, ReleaseRefusal>> {
  const name = options.name.trim();
  if (!name) return refuse('bad_request', 'A release needs a name.');
  if (name.length > 200) return refuse('bad_request', 'A release name has at most 200 characters.');
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  if (!Number.isInteger(threshold) || threshold < 3 || threshold > 100)
    return refuse('bad_request', `The smallest count shown must be a whole number from 3 to 100, not ${options.threshold}.`);
  const version = await getCurrentSurveyVersion(db, options.surveyId);
  if (!version) return refuse('not_found', `There is no questionnaire '${options.surveyId}'.`);
  return transactionOutcome(db.transaction().setIsolationLevel('repeatable read'), (trx) =>
    makeRelease(trx, { ...options, name, threshold }, version.definition),
  );
}

/** tryCreateRelease for callers that answer no refusal themselves (the command line, tests): a refusal is thrown as an AppError. */
export async function createRelease(db: Kysely<Database>, options: CreateReleaseOptions): Promise<CreatedRelease> {
  return valueOr(await tryCreateRelease(db, options));
}

/** The release made and stored in `trx`, or why not (nothing is kept then: the transaction is rolled back). */
async function makeRelease(
  trx: Transaction<Database>,
  options: CreateReleaseOptions & { threshold: number },
  definition: SurveyDefinition,
): Promise<Outcome<CreatedRelease, ReleaseRefusal>> {
  // One release at a time per questionnaire: the next one is checked against this one.
  await trx.selectFrom('survey').select('id').where('id', '=', options.surveyId).forUpdate().execute();
  const earlierRows = await listReleases(trx, options.surveyId);
  const final = options.final ? earlierRows.find((r) => r.final) : undefined;
  if (final) return refuse('conflict', `Questionnaire '${options.surveyId}' already has a final release (${final.id}); there is one per questionnaire.`);
  const members = await currentMembers(trx, options.surveyId);
  if (members.length === 0) return refuse('bad_request', `No submitted response of '${options.surveyId}' to release yet.`);
  const made = await releaseContent(trx, options, definition, earlierRows, members);
  if (!made.ok) return made;
  const { content, summary } = made.value;
  const contentHash = createHash('sha256').update(canonicalize(content)!).digest('hex');
  const stored = await insertRelease(
    trx,
    {
      survey_id: options.surveyId,
      name: options.name,
      created_by: options.actor,
      final: options.final === true,
      threshold: options.threshold,
      responses: members.length,
      content_hash: contentHash,
      figures: JSON.stringify(content),
    },
    members,
  );
  await insertAuditEntry(trx, {
    actor: options.actor,
    action: 'release.create',
    subject: `${options.surveyId}#${stored.id}`,
    details: {
      name: options.name,
      final: options.final === true,
      ...(options.trendFrom === undefined ? {} : { trendFrom: options.trendFrom }),
      responses: members.length,
      contentHash,
      hidden: summary.fewerThanK + summary.withheld,
      changedGroups: summary.changedGroups,
    },
  });
  return ok({ id: stored.id, contentHash, responses: members.length, summary, trendTables: content.trends?.length ?? 0 });
}

/** The protected content of a release of `members` (with its trend tables when asked), or why it cannot be published. */
async function releaseContent(
  trx: Transaction<Database>,
  options: CreateReleaseOptions & { threshold: number },
  definition: SurveyDefinition,
  earlierRows: readonly StoredRelease[],
  members: readonly Member[],
): Promise<Outcome<{ content: ReleaseContent; summary: ProtectionSummary }, ReleaseRefusal>> {
  const dims = await surveyDimensions(trx, options.surveyId);
  const dimensions = { kind: dims.kind, region: dims.region, roleGroup: Object.keys(ROLE_GROUP_LABELS) };
  const breakdowns = options.breakdowns ?? BREAKDOWNS;
  const { tables, leaves, numeric } = await countLeaves(trx, options.surveyId, definition, members);
  const groups = informativeGroups(
    releaseGroups(breakdowns, dimensions, {
      kind: (k) => capitalize(KIND_PHRASES[k] ?? k),
      region: (r) => (r === UNKNOWN_REGION ? 'Region not known' : r),
      roleGroup: (g) => ROLE_GROUP_LABELS[g] ?? g,
    }),
    leaves,
  );
  const relations = skipRelations(definition, tables);
  const earlier = await Promise.all(earlierRows.map(async (row) => ({ release: await readRelease(trx, row.id), members: await releaseMembers(trx, row.id) })));
  const segments = releaseSegments([...earlier.map((e) => e.members), members]);
  const earlierChanges = earlier.map((e) => ({ release: e.release, changedByGroup: changedByGroup(groups, e.members, members) }));
  const figures = await protectedFigures({
    threshold: options.threshold,
    groups,
    dimensions,
    tables,
    leaves,
    numeric,
    relations,
    earlier: earlierChanges,
    segments,
  });
  if (!figures.ok) return figures;
  const content: ReleaseContent = {
    surveyId: options.surveyId,
    final: options.final === true,
    threshold: options.threshold,
    earlier: earlierRows.map((r) => r.id),
    breakdowns: breakdowns.map((id) => ({ id, groups: groups.filter((g) => g.breakdown === id).map((g) => g.id) })).filter((b) => b.groups.length > 0),
    groups: Object.fromEntries(
      groups.map((g) => [
        g.id,
        { ...(g.kind ? { kind: g.kind } : {}), ...(g.region ? { region: g.region } : {}), ...(g.roleGroup ? { roleGroup: g.roleGroup } : {}), label: g.label },
      ]),
    ),
    dimensions,
    respondents: figures.value.respondents,
    tables: figures.value.tables,
    numeric: figures.value.numeric,
    relations,
  };
  if (options.trendFrom !== undefined) {
    const earlierRelease = await findRelease(trx, options.trendFrom);
    if (!earlierRelease) return refuse('not_found', `There is no release ${options.trendFrom}.`);
    const trends = await releaseTrendSection(trx, definition, content, earlierRelease);
    if (!trends.ok) return trends;
    Object.assign(content, trends.value);
  }
  return ok({ content, summary: figures.value.summary });
}

/** The figures protected jointly with the earlier releases, or the refusal of protection (every respondent would be withheld). */
async function protectedFigures(input: ReleaseInput): Promise<Outcome<ProtectedFigures, Refusal<'bad_request'>>> {
  try {
    return ok(await protectRelease(input));
  } catch (error) {
    if (error instanceof ReleaseRefused) return refuse('bad_request', error.message);
    throw error;
  }
}

/** A stored release as published, or undefined when there is none with this id. */
export async function findRelease(db: Kysely<Database>, id: number): Promise<PublishedRelease | undefined> {
  const row = await getReleaseRow(db, id);
  if (!row) return undefined;
  const content = (typeof row.figures === 'string' ? JSON.parse(row.figures) : row.figures) as Omit<
    PublishedRelease,
    'id' | 'name' | 'createdAt' | 'contentHash'
  >;
  return { ...content, id: row.id, name: row.name, createdAt: new Date(row.created_at).toISOString(), contentHash: row.content_hash };
}

/** A stored release as published; throws `not_found`. */
export async function readRelease(db: Kysely<Database>, id: number): Promise<PublishedRelease> {
  const release = await findRelease(db, id);
  if (!release) throw new AppError('not_found', `There is no release ${id}.`);
  return release;
}

export { listReleases, type StoredRelease };

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
