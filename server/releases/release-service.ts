/**
 * Making and reading releases. A release freezes, in one transaction, the submitted revision of
 * every response not excluded, counts them per finest group in SQL, protects every figure jointly
 * with the earlier releases of the questionnaire (analysis/disclosure/release-protection.ts), and
 * stores the result under the SHA-256 of its content. Nothing of a release changes afterwards.
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { Kysely } from 'kysely';
import { BREAKDOWNS, type BreakdownId, type PublishedRelease, type SkipRelation, ANSWERED, SUBSTANTIVE, inGroup } from '../../analysis/disclosure/release-model.ts';
import { protectRelease, ReleaseRefused, type ProtectionSummary } from '../../analysis/disclosure/release-protection.ts';
import { informativeGroups, parseLeaf, releaseGroups, tableKey, type LeafCounts, type TableSpec } from '../../analysis/disclosure/release-tables.ts';
import { parseExpression, type Expression } from '../../survey-definitions/expression.ts';
import { nonSubstantiveCodes } from '../../survey-definitions/non-substantive.ts';
import { allQuestions, choiceCodes, type Question, type SurveyDefinition } from '../../survey-definitions/types.ts';
import { loadCurrentDefinition } from '../analysis/current-definition.ts';
import { publishable } from '../analysis/publishable.ts';
import { insertAuditEntry } from '../audit/audit.queries.ts';
import type { Database } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { KIND_PHRASES } from '../analysis/group-comparisons.ts';
import {
  currentMembers,
  getReleaseRow,
  insertRelease,
  leafAnswered,
  leafCodeCounts,
  leafNumbers,
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

/** Makes a release; throws AppError `invalid` when it is refused (the message says which groups need more responses). */
export async function createRelease(db: Kysely<Database>, options: CreateReleaseOptions): Promise<CreatedRelease> {
  const name = options.name.trim();
  if (!name) throw new AppError('bad_request', 'A release needs a name.');
  if (name.length > 200) throw new AppError('bad_request', 'A release name has at most 200 characters.');
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  if (!Number.isInteger(threshold) || threshold < 3 || threshold > 100) throw new AppError('bad_request', `The smallest count shown must be a whole number from 3 to 100, not ${options.threshold}.`);
  const definition = await loadCurrentDefinition(db, options.surveyId);
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      // One release at a time per questionnaire: the next one is checked against this one.
      await trx.selectFrom('survey').select('id').where('id', '=', options.surveyId).forUpdate().execute();
      const earlierRows = await listReleases(trx, options.surveyId);
      if (options.final && earlierRows.some((r) => r.final)) {
        throw new AppError('conflict', `Questionnaire '${options.surveyId}' already has a final release (${earlierRows.find((r) => r.final)!.id}); there is one per questionnaire.`);
      }
      const members = await currentMembers(trx, options.surveyId);
      if (members.length === 0) throw new AppError('bad_request', `No submitted response of '${options.surveyId}' to release yet.`);
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
      const input = {
        threshold,
        groups,
        dimensions,
        tables,
        leaves,
        numeric,
        relations,
        earlier: earlier.map((e) => ({ release: e.release, changedByGroup: changedByGroup(groups, e.members, members) })),
        segments,
      };
      let figures;
      try {
        figures = await protectRelease(input);
      } catch (error) {
        if (error instanceof ReleaseRefused) throw new AppError('bad_request', error.message);
        throw error;
      }
      const content: Omit<PublishedRelease, 'id' | 'name' | 'createdAt' | 'contentHash'> & Partial<Pick<PublishedRelease, 'trendFrom' | 'trends'>> = {
        surveyId: options.surveyId,
        final: options.final === true,
        threshold,
        earlier: earlierRows.map((r) => r.id),
        breakdowns: breakdowns.map((id) => ({ id, groups: groups.filter((g) => g.breakdown === id).map((g) => g.id) })).filter((b) => b.groups.length > 0),
        groups: Object.fromEntries(groups.map((g) => [g.id, { ...(g.kind ? { kind: g.kind } : {}), ...(g.region ? { region: g.region } : {}), ...(g.roleGroup ? { roleGroup: g.roleGroup } : {}), label: g.label }])),
        dimensions,
        respondents: figures.respondents,
        tables: figures.tables,
        numeric: figures.numeric,
        relations,
      };
      if (options.trendFrom !== undefined) Object.assign(content, await releaseTrendSection(trx, definition, content, await readRelease(trx, options.trendFrom)));
      const contentHash = createHash('sha256').update(canonicalize(content)!).digest('hex');
      const stored = await insertRelease(
        trx,
        { survey_id: options.surveyId, name, created_by: options.actor, final: options.final === true, threshold, responses: members.length, content_hash: contentHash, figures: JSON.stringify(content) },
        members,
      );
      await insertAuditEntry(trx, {
        actor: options.actor,
        action: 'release.create',
        subject: `${options.surveyId}#${stored.id}`,
        details: { name, final: options.final === true, ...(options.trendFrom === undefined ? {} : { trendFrom: options.trendFrom }), responses: members.length, contentHash, hidden: figures.summary.fewerThanK + figures.summary.withheld, changedGroups: figures.summary.changedGroups },
      });
      return { id: stored.id, contentHash, responses: members.length, summary: figures.summary, trendTables: content.trends?.length ?? 0 };
    });
}

/** A stored release as published; throws `not_found`. */
export async function readRelease(db: Kysely<Database>, id: number): Promise<PublishedRelease> {
  const row = await getReleaseRow(db, id);
  if (!row) throw new AppError('not_found', `There is no release ${id}.`);
  const content = (typeof row.figures === 'string' ? JSON.parse(row.figures) : row.figures) as Omit<PublishedRelease, 'id' | 'name' | 'createdAt' | 'contentHash'>;
  return { ...content, id: row.id, name: row.name, createdAt: new Date(row.created_at).toISOString(), contentHash: row.content_hash };
}

export { listReleases, type StoredRelease };

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The responses changed between an earlier release and now, per group: added, removed, or with another submitted revision. */
function changedByGroup(groups: ReturnType<typeof releaseGroups>, before: readonly Member[], now: readonly Member[]): Record<string, number> {
  const key = (m: Member) => `${m.response_id}:${m.revision}`;
  const beforeKeys = new Set(before.map(key));
  const nowKeys = new Set(now.map(key));
  const changedLeaves = new Map<number, Set<string>>();
  for (const m of [...before.filter((b) => !nowKeys.has(key(b))), ...now.filter((n) => !beforeKeys.has(key(n)))]) {
    changedLeaves.set(m.response_id, (changedLeaves.get(m.response_id) ?? new Set()).add(m.leaf));
  }
  const out: Record<string, number> = {};
  for (const g of groups) {
    let count = 0;
    for (const leaves of changedLeaves.values()) if ([...leaves].some((leaf) => inGroup(g, parseLeaf(leaf)))) count += 1;
    if (count) out[g.id] = count;
  }
  return out;
}

/**
 * Segments of response versions by the releases holding them (indices into `memberships`, the last
 * being the release made now). Sizes per leaf are given for every segment except the one held by
 * every release: who submitted or amended between releases may be known to a reader.
 */
function releaseSegments(memberships: readonly (readonly Member[])[]): { releases: number[]; sizes?: Record<string, number> }[] {
  const holders = new Map<string, { leaf: string; releases: number[] }>();
  memberships.forEach((members, index) => {
    for (const m of members) {
      const key = `${m.response_id}:${m.revision}`;
      const entry = holders.get(key) ?? { leaf: m.leaf, releases: [] };
      entry.releases.push(index);
      holders.set(key, entry);
    }
  });
  const everyRelease = memberships.map((_, i) => i).join(',');
  const segments = new Map<string, { releases: number[]; sizes?: Record<string, number> }>();
  segments.set(everyRelease, { releases: memberships.map((_, i) => i) });
  for (const { leaf, releases } of holders.values()) {
    const signature = releases.join(',');
    if (signature === everyRelease) continue;
    const segment = segments.get(signature) ?? { releases, sizes: {} };
    segment.sizes![leaf] = (segment.sizes![leaf] ?? 0) + 1;
    segments.set(signature, segment);
  }
  return [...segments.values()];
}

/** The tables a release publishes for a questionnaire: every coded question that may be published. */
export function releaseTableSpecs(definition: SurveyDefinition, extraCodes: ReadonlyMap<string, readonly string[]> = new Map()): { tables: TableSpec[]; numericIds: string[] } {
  const tables: TableSpec[] = [];
  const numericIds: string[] = [];
  const withBase = (codes: string[], apart: string[]) => [...codes, ...(apart.length ? [SUBSTANTIVE] : []), ANSWERED];
  for (const q of allQuestions(definition)) {
    if (!publishable(q)) continue;
    const apart = nonSubstantiveCodes(q);
    const known = (item: string, codes: string[]) => [...codes, ...(extraCodes.get(tableKey({ questionId: q.id, item })) ?? []).filter((c) => !codes.includes(c))];
    switch (q.type) {
      case 'single_choice':
      case 'yes_no':
      case 'scale':
        tables.push({ questionId: q.id, item: '', type: 'partition', rows: withBase(known('', choiceCodes(q)), apart), apart });
        break;
      case 'multi_choice':
        tables.push({ questionId: q.id, item: '', type: 'multi', rows: withBase(choiceCodes(q), apart), apart });
        break;
      case 'matrix':
        for (const row of q.rows) tables.push({ questionId: q.id, item: row.code, type: 'partition', rows: withBase(known(row.code, choiceCodes(q)), apart), apart });
        break;
      case 'ranking': {
        const ranks = q.options.map((_, i) => String(i + 1));
        for (const option of q.options) tables.push({ questionId: q.id, item: option.code, type: 'partition', rows: [...known(option.code, ranks), ANSWERED], apart: [] });
        break;
      }
      case 'numeric':
        tables.push({ questionId: q.id, item: '', type: 'multi', rows: [ANSWERED], apart: [] });
        numericIds.push(q.id);
        break;
      default:
        break;
    }
  }
  return { tables, numericIds };
}

async function countLeaves(db: Kysely<Database>, surveyId: string, definition: SurveyDefinition, members: readonly Member[]) {
  const [codes, answered, numbers] = await Promise.all([leafCodeCounts(db, surveyId), leafAnswered(db, surveyId), leafNumbers(db, surveyId)]);
  // Codes answered under an earlier version and gone from the current one keep their row, so that sums hold.
  const extra = new Map<string, string[]>();
  for (const c of codes) extra.set(tableKey({ questionId: c.question_id, item: c.item }), [...new Set([...(extra.get(tableKey({ questionId: c.question_id, item: c.item })) ?? []), c.code])]);
  for (const v of numbers) if (v.item) extra.set(tableKey({ questionId: v.question_id, item: v.item }), [...new Set([...(extra.get(tableKey({ questionId: v.question_id, item: v.item })) ?? []), String(v.value)])]);
  const { tables, numericIds } = releaseTableSpecs(definition, extra);
  const byKey = new Map(tables.map((t) => [tableKey(t), t]));
  const leaves = new Map<string, LeafCounts>();
  for (const m of members) {
    const entry = leaves.get(m.leaf) ?? { leaf: parseLeaf(m.leaf), respondents: 0, counts: {} };
    entry.respondents += 1;
    leaves.set(m.leaf, entry);
  }
  const bump = (leaf: string, table: string, row: string, n: number) => {
    const entry = leaves.get(leaf);
    if (!entry || !byKey.get(table)?.rows.includes(row)) return;
    const counts = (entry.counts[table] ??= {});
    counts[row] = (counts[row] ?? 0) + n;
  };
  for (const c of codes) bump(c.leaf, tableKey({ questionId: c.question_id, item: c.item }), c.code, c.n);
  for (const v of numbers) if (v.item) bump(v.leaf, tableKey({ questionId: v.question_id, item: v.item }), String(v.value), v.n);
  // Bases: partitions sum their codes; multiple choice and numeric questions take the respondents who answered.
  for (const entry of leaves.values()) {
    for (const table of tables) {
      const key = tableKey(table);
      const counts = (entry.counts[key] ??= {});
      const codesOf = table.rows.filter((r) => r !== ANSWERED && r !== SUBSTANTIVE);
      if (table.type === 'partition') {
        counts[ANSWERED] = codesOf.reduce((s, c) => s + (counts[c] ?? 0), 0);
        if (table.rows.includes(SUBSTANTIVE)) counts[SUBSTANTIVE] = codesOf.filter((c) => !table.apart.includes(c)).reduce((s, c) => s + (counts[c] ?? 0), 0);
      }
    }
  }
  for (const a of answered) {
    const table = byKey.get(a.question_id);
    if (!table || table.type !== 'multi') continue;
    const counts = leaves.get(a.leaf)?.counts[a.question_id];
    if (!counts) continue;
    counts[ANSWERED] = a.answered;
    if (table.rows.includes(SUBSTANTIVE)) counts[SUBSTANTIVE] = a.substantive;
  }
  const numeric = numericIds.map((id) => ({ questionId: id, values: numbers.filter((v) => v.question_id === id && !v.item).map((v) => ({ leaf: v.leaf, value: v.value, count: v.n })) }));
  return { tables, leaves: [...leaves.values()], numeric };
}

/** The skip relations a reader can write down from the questionnaire (show_if of one question's codes). */
export function skipRelations(definition: SurveyDefinition, tables: readonly TableSpec[]): SkipRelation[] {
  const tabled = new Set(tables.map((t) => t.questionId));
  const relations: SkipRelation[] = [];
  for (const q of allQuestions(definition)) {
    if (!q.show_if || !tabled.has(q.id)) continue;
    const shape = relationShape(parseExpression(q.show_if));
    if (shape && tabled.has(shape.parent)) relations.push({ questionId: q.id, ...shape, required: (q as Question & { required?: boolean }).required === true });
  }
  return relations;
}

function relationShape(expression: Expression): Omit<SkipRelation, 'questionId' | 'required'> | null {
  switch (expression.kind) {
    case 'equals':
      return { parent: expression.question, codes: [expression.value], negated: expression.negated };
    case 'includes':
      return { parent: expression.question, codes: [...expression.values], negated: false };
    case 'not':
      return expression.item.kind === 'includes' && expression.item.values.length === 1 ? { parent: expression.item.question, codes: [...expression.item.values], negated: true } : null;
    default:
      return null;
  }
}
