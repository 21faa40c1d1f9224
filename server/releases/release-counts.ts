/**
 * What a release counts: the tables of a questionnaire it publishes, the responses per finest
 * group (leaf) and answer code, counted in SQL, the skip relations a reader can write down from
 * the questionnaire, and what changed since each earlier release (all of which the protection of
 * every figure takes into account).
 */
import type { Kysely } from 'kysely';
import { ANSWERED, SUBSTANTIVE, inGroup, type SkipRelation } from '../../analysis/disclosure/release-model.ts';
import { parseLeaf, tableKey, type LeafCounts, type releaseGroups, type TableSpec } from '../../analysis/disclosure/release-tables.ts';
import { parseExpression, type Expression } from '../../survey-definitions/expression.ts';
import { nonSubstantiveCodes } from '../../survey-definitions/non-substantive.ts';
import { allQuestions, choiceCodes, type Question, type SurveyDefinition } from '../../survey-definitions/types.ts';
import { publishable } from '../analysis/publishable.ts';
import type { Database } from '../db/schema.ts';
import { leafAnswered, leafCodeCounts, leafNumbers, type Member } from './release.queries.ts';

/** The tables a release publishes for a questionnaire: every coded question that may be published. */
export function releaseTableSpecs(
  definition: SurveyDefinition,
  extraCodes: ReadonlyMap<string, readonly string[]> = new Map(),
): { tables: TableSpec[]; numericIds: string[] } {
  const tables: TableSpec[] = [];
  const numericIds: string[] = [];
  const withBase = (codes: string[], apart: string[]) => [...codes, ...(apart.length ? [SUBSTANTIVE] : []), ANSWERED];
  for (const q of allQuestions(definition)) {
    if (!publishable(q)) continue;
    const apart = nonSubstantiveCodes(q);
    const known = (item: string, codes: string[]) => [
      ...codes,
      ...(extraCodes.get(tableKey({ questionId: q.id, item })) ?? []).filter((c) => !codes.includes(c)),
    ];
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
        for (const row of q.rows)
          tables.push({ questionId: q.id, item: row.code, type: 'partition', rows: withBase(known(row.code, choiceCodes(q)), apart), apart });
        break;
      case 'ranking': {
        const ranks = q.options.map((_, i) => String(i + 1));
        for (const option of q.options)
          tables.push({ questionId: q.id, item: option.code, type: 'partition', rows: [...known(option.code, ranks), ANSWERED], apart: [] });
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

/** The counts of every table per leaf of the responses `members`, and the values of the numeric questions. */
export async function countLeaves(db: Kysely<Database>, surveyId: string, definition: SurveyDefinition, members: readonly Member[]) {
  const [codes, answered, numbers] = await Promise.all([leafCodeCounts(db, surveyId), leafAnswered(db, surveyId), leafNumbers(db, surveyId)]);
  // Codes answered under an earlier version and gone from the current one keep their row, so that sums hold.
  const extra = new Map<string, string[]>();
  for (const c of codes)
    extra.set(tableKey({ questionId: c.question_id, item: c.item }), [
      ...new Set([...(extra.get(tableKey({ questionId: c.question_id, item: c.item })) ?? []), c.code]),
    ]);
  for (const v of numbers)
    if (v.item)
      extra.set(tableKey({ questionId: v.question_id, item: v.item }), [
        ...new Set([...(extra.get(tableKey({ questionId: v.question_id, item: v.item })) ?? []), String(v.value)]),
      ]);
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
    entry.counts[table] ??= {};
    const counts = entry.counts[table];
    counts[row] = (counts[row] ?? 0) + n;
  };
  for (const c of codes) bump(c.leaf, tableKey({ questionId: c.question_id, item: c.item }), c.code, c.n);
  for (const v of numbers) if (v.item) bump(v.leaf, tableKey({ questionId: v.question_id, item: v.item }), String(v.value), v.n);
  // Bases: partitions sum their codes; multiple choice and numeric questions take the respondents who answered.
  for (const entry of leaves.values()) {
    for (const table of tables) {
      const key = tableKey(table);
      entry.counts[key] ??= {};
      const counts = entry.counts[key];
      const codesOf = table.rows.filter((r) => r !== ANSWERED && r !== SUBSTANTIVE);
      if (table.type === 'partition') {
        counts[ANSWERED] = codesOf.reduce((s, c) => s + (counts[c] ?? 0), 0);
        if (table.rows.includes(SUBSTANTIVE)) counts[SUBSTANTIVE] = codesOf.filter((c) => !table.apart.includes(c)).reduce((s, c) => s + (counts[c] ?? 0), 0);
      }
    }
  }
  for (const a of answered) {
    const table = byKey.get(a.question_id);
    if (table?.type !== 'multi') continue;
    const counts = leaves.get(a.leaf)?.counts[a.question_id];
    if (!counts) continue;
    counts[ANSWERED] = a.answered;
    if (table.rows.includes(SUBSTANTIVE)) counts[SUBSTANTIVE] = a.substantive;
  }
  const numeric = numericIds.map((id) => ({
    questionId: id,
    values: numbers.filter((v) => v.question_id === id && !v.item).map((v) => ({ leaf: v.leaf, value: v.value, count: v.n })),
  }));
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
      return expression.item.kind === 'includes' && expression.item.values.length === 1
        ? { parent: expression.item.question, codes: [...expression.item.values], negated: true }
        : null;
    default:
      return null;
  }
}

/** The responses changed between an earlier release and now, per group: added, removed, or with another submitted revision. */
export function changedByGroup(groups: ReturnType<typeof releaseGroups>, before: readonly Member[], now: readonly Member[]): Record<string, number> {
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
export function releaseSegments(memberships: readonly (readonly Member[])[]): { releases: number[]; sizes?: Record<string, number> }[] {
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
