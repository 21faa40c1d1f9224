/**
 * k-anonymity of a file of records by generalisation first and local suppression of what is left
 * (the approach of Samarati and Sweeney's "minimal generalisation"). Pure: it works on the counts
 * of each combination of quasi-identifier values, never on the records themselves, so a caller can
 * count in SQL and then stream the records through {@link AnonymisationPlan.publish}.
 */

/** The value every quasi-identifier of a suppressed record takes (a category of its own). */
export const SUPPRESSED = '.s';

/** A quasi-identifier and its generalisation hierarchy. */
export interface QuasiIdentifier {
  /** Column name in the published file, e.g. `region`. */
  name: string;
  /**
   * One function per level, from the finest (level 0, the value as published when nothing is
   * generalised) to the coarsest. Each maps a raw value to the published one; the last level must
   * map every value to one value (e.g. `any`), so that full generalisation always exists.
   */
  levels: readonly ((raw: string) => string)[];
  /** What each level publishes, in words, for the manifest, e.g. `['M49 region', 'not published']`. */
  levelNames: readonly string[];
  /**
   * Information lost per level of generalisation (default 1): a quasi-identifier the analysis
   * needs more (the stakeholder kind, the region) costs more, so others are generalised first.
   */
  cost?: number;
}

/** How many records share one combination of raw quasi-identifier values. */
export interface CombinationCount {
  /** Raw values in the order of the quasi-identifiers. */
  values: readonly string[];
  count: number;
}

export interface AnonymisationPlan {
  k: number;
  /** Chosen generalisation level of each quasi-identifier (0 = finest). */
  levels: number[];
  /** Records whose quasi-identifiers are all replaced by {@link SUPPRESSED}. */
  suppressedRecords: number;
  /** Records in all. */
  records: number;
  /** True when there are fewer than k records: no record can be published at all. */
  withheldAll: boolean;
  /** Size of the smallest published combination (a suppressed block counted as one); null when none. */
  smallestClass: number | null;
  /**
   * The published quasi-identifier values of a record with these raw values: generalised,
   * all {@link SUPPRESSED}, or null when the record must be left out ({@link withheldAll}).
   */
  publish(values: readonly string[]): string[] | null;
}

export interface AnonymisationOptions {
  /**
   * Largest share of records that may be suppressed at a generalisation level for that level to be
   * chosen (default 0.05). Generalising further is preferred over suppressing more.
   */
  maxSuppressedShare?: number;
}

const keyOf = (values: readonly string[]) => values.join('\u0000');

function generalise(qis: readonly QuasiIdentifier[], levels: readonly number[], values: readonly string[]): string[] {
  return qis.map((qi, i) => qi.levels[levels[i]!]!(values[i] ?? ''));
}

/** Every vector of levels, cheapest loss of information first (ties: lexicographically). */
function latticeNodes(qis: readonly QuasiIdentifier[]): number[][] {
  let nodes: number[][] = [[]];
  for (const qi of qis) nodes = nodes.flatMap((node) => qi.levels.map((_, level) => [...node, level]));
  return nodes.sort((a, b) => lossOf(qis, a) - lossOf(qis, b) || a.join(',').localeCompare(b.join(',')));
}

/** The information lost at a vector of levels: each level weighted by its quasi-identifier's cost. */
function lossOf(qis: readonly QuasiIdentifier[], levels: readonly number[]): number {
  return levels.reduce((sum, level, i) => sum + level * (qis[i]!.cost ?? 1), 0);
}

interface NodeOutcome {
  levels: number[];
  /** Generalised keys whose records are suppressed. */
  suppressedKeys: Set<string>;
  suppressedRecords: number;
  smallestClass: number | null;
}

/** Generalise at `levels`, suppress the classes below k, and keep the suppressed block at least k. */
function evaluateNode(qis: readonly QuasiIdentifier[], combos: readonly CombinationCount[], levels: number[], k: number): NodeOutcome {
  const classes = new Map<string, number>();
  for (const combo of combos) {
    const key = keyOf(generalise(qis, levels, combo.values));
    classes.set(key, (classes.get(key) ?? 0) + combo.count);
  }
  // Smallest first, ties by key, so the choice is deterministic.
  const sorted = [...classes].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
  const suppressedKeys = new Set<string>();
  let suppressedRecords = 0;
  for (const [key, size] of sorted) {
    if (size >= k) break;
    suppressedKeys.add(key);
    suppressedRecords += size;
  }
  // A suppressed block smaller than k would itself be a small class: suppress the next classes too.
  for (const [key, size] of sorted) {
    if (suppressedRecords === 0 || suppressedRecords >= k) break;
    if (suppressedKeys.has(key)) continue;
    suppressedKeys.add(key);
    suppressedRecords += size;
  }
  const published = sorted.filter(([key]) => !suppressedKeys.has(key)).map(([, size]) => size);
  if (suppressedRecords > 0) published.push(suppressedRecords);
  return { levels, suppressedKeys, suppressedRecords, smallestClass: published.length ? Math.min(...published) : null };
}

/**
 * The least generalisation (by the quasi-identifiers' costs) at which at most `maxSuppressedShare` of the records must be suppressed
 * to make every published combination of quasi-identifiers occur at least k times; the records of
 * the combinations still below k are then suppressed (all their quasi-identifiers become
 * {@link SUPPRESSED}, and that block holds at least k records too). With fewer than k records in
 * all, nothing can be published (`withheldAll`).
 *
 * @example
 * const region: QuasiIdentifier = { name: 'region', levels: [(v) => v, () => 'any'], levelNames: ['M49 region', 'not published'] };
 * const plan = planAnonymisation([region], [{ values: ['Africa'], count: 9 }, { values: ['Oceania'], count: 2 }], 5);
 * plan.levels; // [1]: keeping regions would suppress all 11 records, so region is generalised to 'any'
 */
export function planAnonymisation(
  qis: readonly QuasiIdentifier[],
  combos: readonly CombinationCount[],
  k: number,
  options: AnonymisationOptions = {},
): AnonymisationPlan {
  if (!Number.isInteger(k) || k < 2) throw new Error(`k must be an integer of at least 2, not ${k}`);
  for (const qi of qis) {
    if (qi.levels.length === 0 || qi.levels.length !== qi.levelNames.length) throw new Error(`quasi-identifier ${qi.name}: give one name per level`);
  }
  const records = combos.reduce((sum, c) => sum + c.count, 0);
  const maxSuppressed = Math.floor((options.maxSuppressedShare ?? 0.05) * records);

  if (records < k) {
    const top = qis.map((qi) => qi.levels.length - 1);
    return { k, levels: top, suppressedRecords: 0, records, withheldAll: records > 0, smallestClass: null, publish: () => null };
  }

  // Generalise as little as possible: the first loss of information with an acceptable node wins,
  // and among its nodes the one that suppresses fewest records.
  let chosen: NodeOutcome | undefined;
  let chosenTotal = -1;
  for (const levels of latticeNodes(qis)) {
    const total = lossOf(qis, levels);
    if (chosen && total > chosenTotal) break;
    const outcome = evaluateNode(qis, combos, levels, k);
    if (outcome.suppressedRecords > maxSuppressed) continue;
    if (!chosen || outcome.suppressedRecords < chosen.suppressedRecords) {
      chosen = outcome;
      chosenTotal = total;
    }
  }
  // The top node puts every record in one class of `records` >= k, so it is always acceptable.
  const plan = chosen!;
  return {
    k,
    levels: plan.levels,
    suppressedRecords: plan.suppressedRecords,
    records,
    withheldAll: false,
    smallestClass: plan.smallestClass,
    publish(values) {
      const published = generalise(qis, plan.levels, values);
      return plan.suppressedKeys.has(keyOf(published)) ? qis.map(() => SUPPRESSED) : published;
    },
  };
}
