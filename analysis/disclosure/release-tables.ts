/**
 * The figures of a release before protection: counts per finest group of respondents ("leaf": a kind,
 * a region and a role group), summed into every group of the release's breakdowns, and the linear
 * relations a reader knows between them. Pure functions of counts.
 */
import { groupId, inGroup, type BreakdownId, type GroupDefinition, type ReleaseTable, ANSWERED, SUBSTANTIVE } from './release-model.ts';
import type { Relation } from './table-suppression.ts';

export interface Leaf {
  kind: string;
  region: string;
  roleGroup: string;
}

export const leafKey = (leaf: Leaf): string => `${leaf.kind}/${leaf.region}/${leaf.roleGroup}`;

/** The leaf of a {@link leafKey}. */
export function parseLeaf(key: string): Leaf {
  const [kind, region, roleGroup] = key.split('/');
  return { kind: kind!, region: region!, roleGroup: roleGroup! };
}

/** A table's shape (no counts yet). */
export type TableSpec = Omit<ReleaseTable, 'cells'>;

export const tableKey = (table: { questionId: string; item: string }): string => (table.item ? `${table.questionId}.${table.item}` : table.questionId);

/** The counts of one leaf: its respondents, and per table key, per row, the count. */
export interface LeafCounts {
  leaf: Leaf;
  respondents: number;
  counts: Record<string, Record<string, number>>;
}

export interface Dimensions {
  kind: string[];
  region: string[];
  roleGroup: string[];
}

export interface GroupSpec extends GroupDefinition {
  id: string;
  breakdown: BreakdownId;
  label: string;
}

/**
 * The groups of the breakdowns, in order. A breakdown that would repeat another group for group is
 * left out (by kind when there is one kind; by kind and region then repeats by region).
 */
export function releaseGroups(
  breakdowns: readonly BreakdownId[],
  dimensions: Dimensions,
  labels: { kind: (k: string) => string; region: (r: string) => string; roleGroup: (g: string) => string },
): GroupSpec[] {
  const groups: GroupSpec[] = [];
  const oneKind = dimensions.kind.length < 2;
  for (const breakdown of breakdowns) {
    const definitions: (GroupDefinition & { label: string })[] =
      breakdown === 'all'
        ? [{ label: 'All respondents' }]
        : breakdown === 'kind'
          ? oneKind
            ? []
            : dimensions.kind.map((kind) => ({ kind, label: labels.kind(kind) }))
          : breakdown === 'region'
            ? dimensions.region.map((region) => ({ region, label: labels.region(region) }))
            : breakdown === 'role_group'
              ? dimensions.roleGroup.map((roleGroup) => ({ roleGroup, label: labels.roleGroup(roleGroup) }))
              : oneKind
                ? []
                : dimensions.kind.flatMap((kind) =>
                    dimensions.region.map((region) => ({ kind, region, label: `${labels.kind(kind)}, ${labels.region(region)}` })),
                  );
    for (const definition of definitions) groups.push({ ...definition, id: groupId(breakdown, definition), breakdown });
  }
  return groups;
}

/**
 * The groups without the breakdowns whose respondents are all in one group (by role group when no
 * respondent has a role in the Forum's bodies): that group repeats all respondents figure for
 * figure, so each figure hidden in one would have to be hidden in the other, at twice the cost and
 * for nothing a reader would learn (its other groups read zero).
 */
export function informativeGroups(groups: readonly GroupSpec[], leaves: readonly LeafCounts[]): GroupSpec[] {
  const respondents = groupSums(groups, leaves, (leaf) => leaf.respondents);
  const filled = new Map<BreakdownId, number>();
  for (const g of groups) if (respondents.get(g.id)! > 0) filled.set(g.breakdown, (filled.get(g.breakdown) ?? 0) + 1);
  return groups.filter((g) => g.breakdown === 'all' || (filled.get(g.breakdown) ?? 0) > 1);
}

/**
 * The additive relations between groups a reader knows: a group equals the sum of the groups of a
 * finer breakdown that partition it (all = the kinds = the regions = the role groups = the kinds by
 * region; a kind = its kinds by region; a region = the kinds by region in it). Returned as lists of
 * group ids: `[total, ...parts]`.
 */
export function groupRelations(groups: readonly GroupSpec[]): string[][] {
  const byBreakdown = new Map<BreakdownId, GroupSpec[]>();
  for (const group of groups) byBreakdown.set(group.breakdown, [...(byBreakdown.get(group.breakdown) ?? []), group]);
  const relations: string[][] = [];
  const all = byBreakdown.get('all')?.[0];
  for (const breakdown of ['kind', 'region', 'role_group', 'kind_region'] as const) {
    const parts = byBreakdown.get(breakdown);
    if (all && parts?.length) relations.push([all.id, ...parts.map((g) => g.id)]);
  }
  const cross = byBreakdown.get('kind_region') ?? [];
  for (const coarse of [...(byBreakdown.get('kind') ?? []), ...(byBreakdown.get('region') ?? [])]) {
    const parts = cross.filter((g) => (coarse.kind === undefined || g.kind === coarse.kind) && (coarse.region === undefined || g.region === coarse.region));
    if (parts.length) relations.push([coarse.id, ...parts.map((g) => g.id)]);
  }
  return relations;
}

/** The sums of leaf counts in every group: group id -> value. */
export function groupSums(groups: readonly GroupSpec[], leaves: readonly LeafCounts[], value: (leaf: LeafCounts) => number): Map<string, number> {
  return new Map(groups.map((g) => [g.id, leaves.filter((l) => inGroup(g, l.leaf)).reduce((sum, l) => sum + value(l), 0)]));
}

/** The relations between the rows of a table within one group (cell ids from `cell(row)`). */
export function rowRelations(table: TableSpec, cell: (row: string) => string): Relation[] {
  const codes = table.rows.filter((r) => r !== ANSWERED && r !== SUBSTANTIVE);
  if (table.type !== 'partition') return [];
  if (!table.rows.includes(SUBSTANTIVE)) return codes.length ? [{ total: cell(ANSWERED), parts: codes.map(cell) }] : [];
  const apart = codes.filter((c) => table.apart.includes(c));
  const views = codes.filter((c) => !table.apart.includes(c));
  return [
    { total: cell(ANSWERED), parts: [cell(SUBSTANTIVE), ...apart.map(cell)] },
    ...(views.length ? [{ total: cell(SUBSTANTIVE), parts: views.map(cell) }] : []),
  ];
}
