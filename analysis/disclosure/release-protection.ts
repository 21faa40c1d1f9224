/**
 * Decides, once and jointly, which figures of a release are shown: every table of the questionnaire,
 * in every group of every breakdown, together with every earlier release of the same questionnaire.
 *
 * 1. A group changed by 1 to k − 1 responses since an earlier release (submitted, amended, removed)
 *    is withheld whole: its figures minus the earlier ones would be those responses' answers. When
 *    that would withhold all respondents, the release is refused ({@link ReleaseRefused}).
 * 2. The respondents per group: counts from 1 to k − 1 hidden, and further groups until none follows
 *    from the others; a group whose number of respondents is hidden is hidden whole, every count of
 *    it reading "withheld" (were its small counts labelled "fewer than k", the others would read as zeros).
 * 3. Every table, with the tables tied to it by skip logic: counts from 1 to k − 1 hidden ("fewer
 *    than k"), and so are counts that changed by 1 to k − 1 since an earlier release; then further
 *    counts ("withheld") until no hidden count follows by addition or subtraction from the shown ones.
 * 4. An exact attacker (release-audit.ts) then takes everything shown in this and the earlier
 *    releases and bounds every hidden count; while one is pinned, or a count from 1 to k − 1 has a
 *    range narrower than k, one more count is hidden next to it and the check runs again.
 */
import { auditCellId, auditComponent, RESPONDENTS_TABLE, type AuditFailure, type AuditModel, type AuditRelease } from './release-audit.ts';
import {
  type GroupDefinition,
  type HiddenReason,
  type PublishedRelease,
  type ReleaseCell,
  type ReleaseNumeric,
  type ReleaseTable,
  type SkipRelation,
  ANSWERED,
  inGroup,
} from './release-model.ts';
import {
  groupRelations,
  groupSums,
  parseLeaf,
  rowRelations,
  tableKey,
  type Dimensions,
  type GroupSpec,
  type Leaf,
  type LeafCounts,
  type TableSpec,
} from './release-tables.ts';
import { isSmallCount } from './small-counts.ts';
import { suppressTable, type Relation } from './table-suppression.ts';

export interface ReleaseInput {
  threshold: number;
  groups: readonly GroupSpec[];
  dimensions: Dimensions;
  tables: readonly TableSpec[];
  leaves: readonly LeafCounts[];
  /** Numeric questions: values given per leaf (table `questionId` holds their `_answered`). */
  numeric: readonly { questionId: string; values: readonly { leaf: string; value: number; count: number }[] }[];
  relations: readonly SkipRelation[];
  /** Earlier releases of the questionnaire, oldest first, with the responses changed since, per group. */
  earlier: readonly { release: PublishedRelease; changedByGroup: Readonly<Record<string, number>> }[];
  /** Segments of responses by the releases holding them: indices into [...earlier, this one]. */
  segments: readonly { releases: readonly number[]; sizes?: Readonly<Record<string, number>> }[];
}

export interface ProtectionSummary {
  cells: number;
  fewerThanK: number;
  withheld: number;
  /** Groups withheld because they changed by 1 to k − 1 responses since an earlier release. */
  changedGroups: string[];
  /** Cells hidden after the exact check found a first pattern too weak. */
  addedByAudit: number;
  /** Hidden cells whose range the exact check computed. */
  audited: number;
}

export interface ProtectedFigures {
  respondents: Record<string, ReleaseCell>;
  tables: ReleaseTable[];
  numeric: ReleaseNumeric[];
  summary: ProtectionSummary;
}

/** A release that would have to withhold all respondents: the groups named need more responses first. */
export class ReleaseRefused extends Error {
  constructor(readonly groups: readonly { group: string; label: string; changed: number; needed: number; since: number }[]) {
    super(
      `This release would withhold all respondents: since release ${groups[0]?.since}, ${groups
        .map((g) => `${g.label} changed by ${g.changed} response${g.changed === 1 ? '' : 's'} (needs ${g.needed} more)`)
        .join('; ')}. Publish again once at least that many more responses are submitted or amended.`,
    );
  }
}

const MAX_AUDIT_ROUNDS = 60;

interface Component {
  tables: TableSpec[];
  relations: (SkipRelation & { exact: boolean })[];
}

/** Protects the figures of a release; throws {@link ReleaseRefused} when all respondents would be withheld. */
export async function protectRelease(input: ReleaseInput): Promise<ProtectedFigures> {
  const k = input.threshold;
  if (!Number.isInteger(k) || k < 3) throw new Error(`the threshold must be an integer of at least 3, got ${k}`);
  const groups = input.groups;
  const groupIds = groups.map((g) => g.id);
  const relationsOfGroups = groupRelations(groups);
  const respondents = groupSums(groups, input.leaves, (l) => l.respondents);

  // 1. Groups changed by 1..k-1 responses since an earlier release.
  const changed = new Map<string, { changed: number; since: number }>();
  for (const { release, changedByGroup } of input.earlier) {
    for (const g of groupIds) {
      const m = changedByGroup[g] ?? 0;
      if (isSmallCount(m, k) && !changed.has(g)) changed.set(g, { changed: m, since: release.id });
    }
  }
  const all = groups.find((g) => g.breakdown === 'all');
  if (all && changed.has(all.id)) {
    throw new ReleaseRefused(
      [...changed].map(([g, c]) => ({ group: g, label: groups.find((x) => x.id === g)!.label, changed: c.changed, needed: k - c.changed, since: c.since })),
    );
  }

  // 2. Respondents per group.
  const respondentCells = groupIds.map((id) => ({ id, value: respondents.get(id)! }));
  const groupHiddenBefore = new Set<string>(changed.keys());
  // A group an earlier release hid stays hidden.
  for (const { release } of input.earlier)
    for (const [g, cell] of Object.entries(release.respondents)) if (cell.count === null && respondents.has(g)) groupHiddenBefore.add(g);
  const respondentRelations: Relation[] = relationsOfGroups.map(([total, ...parts]) => ({ total: total!, parts }));
  const hiddenGroups = new Set<string>();
  const hideRespondents = (extra: ReadonlySet<string>) => {
    const result = suppressTable({ cells: respondentCells, relations: respondentRelations }, k, { alsoHidden: new Set([...groupHiddenBefore, ...extra]) });
    hiddenGroups.clear();
    for (const id of [...result.primary, ...result.complementary]) hiddenGroups.add(id);
  };
  const extraRespondents = new Set<string>();
  hideRespondents(extraRespondents);

  const leaves = crossLeaves(input.dimensions);
  const groupDefinitions = Object.fromEntries(groups.map((g) => [g.id, { kind: g.kind, region: g.region, roleGroup: g.roleGroup }]));
  const earlierAudit = input.earlier.map(({ release }) => toAuditRelease(release));
  const summary: ProtectionSummary = { cells: 0, fewerThanK: 0, withheld: 0, changedGroups: [...changed.keys()], addedByAudit: 0, audited: 0 };
  const model = (tables: TableSpec[], relations: Component['relations'], current: AuditRelease): AuditModel => ({
    leaves,
    groups: groupDefinitions,
    tables,
    relations,
    releases: [...earlierAudit, current],
    segments: input.segments,
  });

  // Exact check of the respondents alone: hide a further group next to each failure.
  for (let round = 0; ; round++) {
    const current = respondentsRelease(k, respondents, hiddenGroups);
    // Who responded is not an answer: a reader who knows who submitted between releases knows the
    // change in each group's respondents anyway. The counts of respondents are checked as if no
    // segment's size were known; the answers, below, against a reader who knows them.
    const failures = await auditComponent({ ...model([], [], current), segments: input.segments.map((s) => ({ releases: s.releases })) });
    summary.audited += Object.values(current.respondents).filter((v) => v === null).length;
    if (failures.length === 0) break;
    let added = 0;
    for (const failure of failures) {
      const next = nextGroup(k, failure, relationsOfGroups, hiddenGroups, respondents);
      if (next !== undefined && !extraRespondents.has(next)) {
        extraRespondents.add(next);
        added += 1;
      }
    }
    if (added === 0 || round > MAX_AUDIT_ROUNDS) throw new Error(`the respondents of ${failures[0]!.group} cannot be protected`);
    summary.addedByAudit += added;
    hideRespondents(extraRespondents);
  }

  // 3-4. Tables, component by component.
  const tables: ReleaseTable[] = [];
  const numericAnswered = new Map<string, Record<string, ReleaseCell>>();
  for (const component of components(input.tables, input.relations, input.leaves)) {
    const values = new Map<string, number>();
    for (const table of component.tables) {
      const key = tableKey(table);
      for (const row of table.rows) {
        const sums = groupSums(groups, input.leaves, (l) => l.counts[key]?.[row] ?? 0);
        for (const g of groupIds) values.set(cellId(key, row, g), sums.get(g)!);
      }
    }
    const relations = componentRelations(component, groups, relationsOfGroups);
    const forced = new Set<string>();
    for (const id of values.keys()) if (hiddenGroups.has(groupOf(id))) forced.add(id);
    for (const { release, changedByGroup } of input.earlier) {
      for (const table of component.tables) {
        const key = tableKey(table);
        const earlierCells = release.tables.find((t) => tableKey(t) === key)?.cells;
        for (const g of groupIds) {
          for (const row of table.rows) {
            const before = earlierCells?.[g]?.[row];
            // What an earlier release hid stays hidden: showing it now would give it away.
            if (before && before.count === null) forced.add(cellId(key, row, g));
            if ((changedByGroup[g] ?? 0) < k) continue;
            const was = cellValue(before);
            const now = values.get(cellId(key, row, g))!;
            if (was !== null && isSmallCount(Math.abs(now - was), k)) forced.add(cellId(key, row, g));
          }
        }
      }
    }
    // A group shown to have nobody in it has nothing to hide: its zeros are public.
    const emptyGroupCells = new Set([...values.keys()].filter((id) => !hiddenGroups.has(groupOf(id)) && respondents.get(groupOf(id)) === 0));
    for (const id of emptyGroupCells) forced.delete(id);
    let hidden = new Set<string>();
    const suppress = () => {
      const cells = [...values].map(([id, value]) => ({ id, value }));
      const result = suppressTable({ cells, relations }, k, { alsoHidden: forced, neverComplement: emptyGroupCells });
      hidden = new Set([...result.primary, ...result.complementary]);
    };
    suppress();
    let unlabelled = false;
    for (let round = 0; ; round++) {
      const current = componentRelease(k, component, groupIds, values, hidden, respondents, hiddenGroups, unlabelled);
      const failures = (await auditComponent(model(component.tables, component.relations, current))).filter((f) => {
        if (f.release < input.earlier.length) {
          const before = input.earlier[f.release]!.release;
          const table = before.tables.find((t) => tableKey(t) === f.table);
          return !readAsZero(f, before.groups, (g) => cellValue(table?.cells[g]?.[f.row]));
        }
        return !readAsZero(f, groupDefinitions, (g) => {
          const id = cellId(f.table, f.row, g);
          return hidden.has(id) || hiddenGroups.has(g) ? null : values.get(id)!;
        });
      });
      summary.audited += Object.keys(current.reasons).length;
      if (failures.length === 0) break;
      if (round > MAX_AUDIT_ROUNDS) {
        const f = failures[0]!;
        throw new Error(
          `no pattern of hidden counts protects ${f.table} (${f.group}, ${f.row}): an earlier release's figures pin it between ${f.min} and ${f.max}`,
        );
      }
      if (round === MAX_AUDIT_ROUNDS) {
        // Last resort: the whole component withheld, every count reading "withheld" (a label
        // "fewer than 5" says the count is at least 1, which with a small total can pin another).
        for (const id of values.keys()) if (!emptyGroupCells.has(id)) forced.add(id);
        unlabelled = true;
        suppress();
        continue;
      }
      let added = 0;
      for (const failure of failures) {
        const next = nextCell(k, failure, values, hidden, relationsOfGroups, component);
        if (next !== undefined && !forced.has(next)) {
          forced.add(next);
          hidden.add(next);
          added += 1;
        }
      }
      summary.addedByAudit += added;
      if (added === 0) {
        for (const id of values.keys()) if (!emptyGroupCells.has(id)) forced.add(id);
        unlabelled = true;
      }
      suppress();
    }
    for (const table of component.tables) {
      const key = tableKey(table);
      const cells: ReleaseTable['cells'] = {};
      for (const g of groupIds) {
        cells[g] = {};
        for (const row of table.rows) {
          const id = cellId(key, row, g);
          const value = values.get(id)!;
          // In a group hidden whole every count reads "withheld": labels by value would tell its zeros.
          const cell =
            hiddenGroups.has(g) || (unlabelled && hidden.has(id)) ? { count: null, why: 'withheld' as const } : publishedCell(value, hidden.has(id), k);
          cells[g]![row] = cell;
          summary.cells += 1;
          if (cell.count === null) summary[cell.why === 'fewer_than_k' ? 'fewerThanK' : 'withheld'] += 1;
        }
      }
      tables.push({ ...table, cells });
      if (table.rows.length === 1 && table.rows[0] === ANSWERED)
        numericAnswered.set(table.questionId, Object.fromEntries(groupIds.map((g) => [g, cells[g]![ANSWERED]!])));
    }
  }
  // Tables in the questionnaire's order, whatever the components.
  const order = new Map(input.tables.map((t, i) => [tableKey(t), i]));
  tables.sort((a, b) => order.get(tableKey(a))! - order.get(tableKey(b))!);

  const numeric: ReleaseNumeric[] = input.numeric.map((q) => {
    const answered = numericAnswered.get(q.questionId) ?? {};
    const byGroup: ReleaseNumeric['groups'] = {};
    for (const g of groups) {
      const n = answered[g.id] ?? { count: 0 };
      const values = q.values.filter((v) => inGroup(g, parseLeaf(v.leaf)));
      const shown = n.count !== null && n.count >= k;
      byGroup[g.id] = { n, mean: shown ? meanOf(values) : null, median: shown ? medianOf(values) : null };
    }
    return { questionId: q.questionId, groups: byGroup };
  });

  const respondentCellsOut = Object.fromEntries(groupIds.map((g) => [g, publishedCell(respondents.get(g)!, hiddenGroups.has(g), k)]));
  return { respondents: respondentCellsOut, tables, numeric, summary };
}

/**
 * Is a hidden count pinned at 0 only because a larger group shows 0 for the same answer? Then
 * every reader of that 0 knows it and nobody stands behind it: hiding more would protect no one
 * (the 0 is published on purpose, as every zero is).
 */
function readAsZero(
  failure: { group: string; max: number },
  groups: Readonly<Record<string, GroupDefinition>>,
  shown: (group: string) => number | null,
): boolean {
  const inner = groups[failure.group];
  if (failure.max !== 0 || !inner) return false;
  return Object.entries(groups).some(
    ([id, outer]) =>
      id !== failure.group &&
      (outer.kind === undefined || outer.kind === inner.kind) &&
      (outer.region === undefined || outer.region === inner.region) &&
      (outer.roleGroup === undefined || outer.roleGroup === inner.roleGroup) &&
      shown(id) === 0,
  );
}

const cellId = (table: string, row: string, group: string) => `${table}\u0000${row}\u0000${group}`;
const groupOf = (id: string) => id.split('\u0000')[2]!;

function cellValue(cell: ReleaseCell | undefined): number | null {
  return cell && cell.count !== null ? cell.count : null;
}

function publishedCell(value: number, hidden: boolean, k: number): ReleaseCell {
  if (!hidden) return { count: value };
  return { count: null, why: isSmallCount(value, k) ? 'fewer_than_k' : 'withheld' };
}

function crossLeaves(dimensions: Dimensions): Leaf[] {
  return dimensions.kind.flatMap((kind) => dimensions.region.flatMap((region) => dimensions.roleGroup.map((roleGroup) => ({ kind, region, roleGroup }))));
}

function meanOf(values: readonly { value: number; count: number }[]): number | null {
  const n = values.reduce((s, v) => s + v.count, 0);
  return n ? values.reduce((s, v) => s + v.value * v.count, 0) / n : null;
}

function medianOf(values: readonly { value: number; count: number }[]): number | null {
  const sorted = [...values].sort((a, b) => a.value - b.value);
  const n = sorted.reduce((s, v) => s + v.count, 0);
  if (!n) return null;
  const at = (index: number) => {
    let seen = 0;
    for (const v of sorted) {
      seen += v.count;
      if (index < seen) return v.value;
    }
    return sorted[sorted.length - 1]!.value;
  };
  return n % 2 ? at((n - 1) / 2) : (at(n / 2 - 1) + at(n / 2)) / 2;
}

function toAuditRelease(release: PublishedRelease): AuditRelease {
  const reasons: Record<string, HiddenReason> = {};
  const respondents: AuditRelease['respondents'] = {};
  for (const [g, cell] of Object.entries(release.respondents)) {
    respondents[g] = cell.count;
    if (cell.count === null) reasons[auditCellId(RESPONDENTS_TABLE, g, '')] = cell.why;
  }
  const tables: AuditRelease['tables'] = {};
  for (const table of release.tables) {
    const key = tableKey(table);
    tables[key] = {};
    for (const [g, rows] of Object.entries(table.cells)) {
      tables[key]![g] = {};
      for (const [row, cell] of Object.entries(rows)) {
        tables[key]![g]![row] = cell.count;
        if (cell.count === null) reasons[auditCellId(key, g, row)] = cell.why;
      }
    }
  }
  return { threshold: release.threshold, respondents, tables, reasons };
}

function respondentsRelease(k: number, respondents: ReadonlyMap<string, number>, hidden: ReadonlySet<string>): AuditRelease {
  const reasons: Record<string, HiddenReason> = {};
  const shown: AuditRelease['respondents'] = {};
  for (const [g, value] of respondents) {
    shown[g] = hidden.has(g) ? null : value;
    if (hidden.has(g)) reasons[auditCellId(RESPONDENTS_TABLE, g, '')] = isSmallCount(value, k) ? 'fewer_than_k' : 'withheld';
  }
  return { threshold: k, respondents: shown, tables: {}, reasons };
}

function componentRelease(
  k: number,
  component: Component,
  groupIds: readonly string[],
  values: ReadonlyMap<string, number>,
  hidden: ReadonlySet<string>,
  respondents: ReadonlyMap<string, number>,
  hiddenGroups: ReadonlySet<string>,
  /** Every hidden count reads "withheld" (a component withheld whole). */
  unlabelled = false,
): AuditRelease {
  // The respondents' own counts are checked apart: here only this component's cells are targets.
  const release: AuditRelease = { ...respondentsRelease(k, respondents, hiddenGroups), reasons: {} };
  for (const table of component.tables) {
    const key = tableKey(table);
    release.tables[key] = {};
    for (const g of groupIds) {
      release.tables[key]![g] = {};
      for (const row of table.rows) {
        const id = cellId(key, row, g);
        const value = values.get(id)!;
        release.tables[key]![g]![row] = hidden.has(id) ? null : value;
        if (hidden.has(id))
          release.reasons[auditCellId(key, g, row)] = !unlabelled && !hiddenGroups.has(g) && isSmallCount(value, k) ? 'fewer_than_k' : 'withheld';
      }
    }
  }
  return release;
}

/**
 * Tables tied by an exact skip relation form one component; every other table (a matrix row, a
 * ranked option, a question) is one by itself. A relation is exact (an equality a reader may use)
 * when the follow-up is required, the parent holds one code per respondent and one code shows it,
 * and it holds in every leaf of the counts. Looser relations (at most so many answered) are left to
 * the tests' attacker: they bound counts, and keeping them would join most tables into one program.
 */
function components(tables: readonly TableSpec[], relations: readonly SkipRelation[], leaves: readonly LeafCounts[]): Component[] {
  const parentOf = new Map<string, string>(tables.map((t) => [tableKey(t), tableKey(t)]));
  const root = (key: string): string => {
    let r = key;
    while (parentOf.get(r) !== r) r = parentOf.get(r)!;
    return r;
  };
  const parentTable = new Map(tables.filter((t) => t.item === '').map((t) => [t.questionId, t]));
  const exact: (SkipRelation & { exact: boolean })[] = [];
  for (const r of relations) {
    const parent = parentTable.get(r.parent);
    const followUps = tables.filter((t) => t.questionId === r.questionId);
    if (!parent || followUps.length === 0 || !r.required || parent.type !== 'partition' || r.codes.length !== 1 || r.negated) continue;
    const holds = leaves.every((leaf) => followUps.every((t) => (leaf.counts[tableKey(t)]?.[ANSWERED] ?? 0) === (leaf.counts[r.parent]?.[r.codes[0]!] ?? 0)));
    if (!holds) continue;
    exact.push({ ...r, exact: true });
    for (const t of followUps) parentOf.set(root(tableKey(t)), root(tableKey(parent)));
  }
  const byRoot = new Map<string, Component>();
  for (const t of tables) {
    const key = root(tableKey(t));
    if (!byRoot.has(key)) byRoot.set(key, { tables: [], relations: [] });
    byRoot.get(key)!.tables.push(t);
  }
  for (const r of exact) byRoot.get(root(r.parent))!.relations.push(r);
  return [...byRoot.values()];
}

/** The additive relations of a component: groups within each row, rows within each group, exact skip logic. */
function componentRelations(component: Component, groups: readonly GroupSpec[], relationsOfGroups: readonly string[][]): Relation[] {
  const relations: Relation[] = [];
  for (const table of component.tables) {
    const key = tableKey(table);
    for (const row of table.rows) {
      for (const [total, ...parts] of relationsOfGroups) relations.push({ total: cellId(key, row, total!), parts: parts.map((g) => cellId(key, row, g)) });
    }
    for (const g of groups) relations.push(...rowRelations(table, (row) => cellId(key, row, g.id)));
  }
  for (const r of component.relations.filter((rel) => rel.exact)) {
    for (const table of component.tables.filter((t) => t.questionId === r.questionId)) {
      for (const g of groups) relations.push({ total: cellId(r.parent, r.codes[0]!, g.id), parts: [cellId(tableKey(table), ANSWERED, g.id)] });
    }
  }
  return relations;
}

/** The group to hide next to protect a failing respondents cell: a shown sibling (same breakdown), smallest first that is big enough. */
function nextGroup(
  k: number,
  failure: AuditFailure,
  relationsOfGroups: readonly string[][],
  hidden: ReadonlySet<string>,
  respondents: ReadonlyMap<string, number>,
): string | undefined {
  const candidates = siblings(failure.group, relationsOfGroups).filter((g) => !hidden.has(g) && respondents.get(g)! > 0);
  return pick(candidates, (g) => respondents.get(g)!, failure, k);
}

function siblings(group: string, relationsOfGroups: readonly string[][]): string[] {
  const out: string[] = [];
  for (const [total, ...parts] of relationsOfGroups) {
    if (parts.includes(group)) out.push(...parts.filter((p) => p !== group));
    if (total === group) out.push(...parts);
    if (parts.includes(group)) out.push(total!);
  }
  return [...new Set(out)];
}

/** Smallest value that by itself would widen the range enough; otherwise the largest. */
function pick(candidates: readonly string[], value: (id: string) => number, failure: AuditFailure, k: number): string | undefined {
  const deficit = failure.why === 'fewer_than_k' ? Math.max(1, k - (failure.max - failure.min)) : 1;
  const sorted = [...candidates].sort((a, b) => value(a) - value(b) || (a < b ? -1 : 1));
  return sorted.find((c) => value(c) >= deficit) ?? sorted[sorted.length - 1];
}

/** The cell to hide next for a failing one: in this release, the same cell, then its row in sibling groups, then its group's other rows. */
function nextCell(
  k: number,
  failure: AuditFailure,
  values: ReadonlyMap<string, number>,
  hidden: ReadonlySet<string>,
  relationsOfGroups: readonly string[][],
  component: Component,
): string | undefined {
  const shown = (id: string) => values.has(id) && !hidden.has(id) && values.get(id)! > 0;
  const same = cellId(failure.table, failure.row, failure.group);
  if (shown(same)) return same;
  const inRow = siblings(failure.group, relationsOfGroups)
    .map((g) => cellId(failure.table, failure.row, g))
    .filter(shown);
  const table = component.tables.find((t) => tableKey(t) === failure.table);
  const inGroupRows = (table?.rows ?? []).map((row) => cellId(failure.table, row, failure.group)).filter(shown);
  const value = (id: string) => values.get(id)!;
  return (
    pick(
      inGroupRows.filter((id) => !id.includes(`\u0000${ANSWERED}\u0000`)),
      value,
      failure,
      k,
    ) ??
    pick(inRow, value, failure, k) ??
    pick(inGroupRows, value, failure, k)
  );
}
