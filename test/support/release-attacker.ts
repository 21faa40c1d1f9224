/**
 * What a reader can work out from published releases ({@link PublishedRelease}): an integer program
 * rebuilt from the published JSON and the skip relations alone (never from the project's own
 * suppression code), and the smallest and largest value of every hidden count over its integer
 * solutions.
 *
 * The unknowns. The leaves are the combinations kind × region × role group of the releases'
 * dimensions (their union). A segment is a set of releases that hold the same submitted version of a
 * response; for every segment s and leaf l the program has the number of such responses n[s,l]
 * (given when the reader knows the segments' sizes, else a free count, one segment per release) and,
 * for every table (question and item) and row, how many of them are counted there. Per segment and
 * leaf: a `partition` table's codes add up to `_answered` (`_substantive` = the codes not counted
 * apart, `_answered` = `_substantive` + the codes counted apart) and `_answered` <= n; a `multi`
 * table's codes are each at most `_answered` and add up to at least `_answered` (likewise for
 * `_substantive`: the codes not counted apart are each at most it and add up to at least it, and those
 * who answered only with codes counted apart are at most the sum of those codes), `_answered` <= n.
 * Skip relations: every table of the shown question has `_answered` at most (or, when `required` and
 * the relation is linear, exactly) the number whose answer to the parent shows it. Published: every
 * shown count of a release equals the sum, over the segments holding that release and the leaves of
 * the group, of its unknowns; the same for the respondents. Everything is a non-negative integer.
 *
 * Two readers are modelled. The first (`min`, `max`) uses the counts and relations only: the width
 * of that range is the protection of a count hidden for being small. The second (`actualMin`,
 * `actualMax`) also reads the reasons: a count hidden as `fewer_than_k` is from 1 to threshold − 1
 * (those are the counts never shown); a hidden count that this reader can pin is a leak even when the
 * first reader cannot pin it (two "fewer than 5" that add up to 8 are 4 each).
 *
 * Violations: a hidden count either reader pins (min = max), a `fewer_than_k` count whose range for
 * the first reader is narrower than the threshold, and any count whose optimum was not decided (the
 * range reported is then the relaxation's, wider than the truth). Throws when the published figures
 * (or the reasons given) admit no solution.
 *
 * Solving. What the rows fix is eliminated first (zero counts, known segment sizes), and the rest is
 * cut into parts that no row links; yalps (integer variables) solves each from scratch. That is
 * fast on the tests' small populations and slow on large ones (thousands of pivots on these
 * degenerate programs: 0.2 to 2 s per optimum for one table over 72 leaves).
 *
 * Limits (each makes this attacker weaker than the best possible one):
 * - The program is cut into components: the tables of one question (all its items) together with
 *   those of the questions tied to it by skip relations, each with the respondents' counts, the
 *   segments' sizes and `maxPerLeaf`; the respondents' table alone (with, for a group whose number of
 *   respondents is hidden, the lower bound that each shown count of the group gives) is one more. A
 *   joint program would carry what one question tells about n[s,l] over to every other question.
 * - Nothing links the items of a question beyond the relations above: a ranking's "each rank once per
 *   respondent", a matrix's rows answered together, answers' consistency across questions.
 * - A `withheld` count is only known to be hidden: that it is not from 1 to threshold − 1 is not used;
 *   numeric summaries (their n and means) are not read.
 * - Several codes of a `multi` parent give only an upper bound (several codes, negated: one bound per
 *   code).
 * - A relation's parent is the parent question's whole-question table (or its only table).
 * - Time: yalps keeps a dense tableau and starts every optimum afresh, so what costs is a part's
 *   rows × unknowns (leaves × rows of its tables): the tests' populations take seconds, a release of
 *   the full questionnaire over 72 leaves would take hours. Each optimum is cut off after
 *   {@link MILP_TIMEOUT_MS}; the relaxation's bound is then reported as undecided (a violation).
 * When no per-leaf bound is given, leaves with free counts that no group of any release tells apart
 * are merged (exact: any solution of the merged program can be put on one of the merged leaves).
 */
import { type Constraint, solve } from 'yalps';
import {
  ANSWERED,
  type GroupDefinition,
  type HiddenReason,
  inGroup,
  type PublishedRelease,
  type ReleaseCell,
  type SkipRelation,
  SUBSTANTIVE,
} from '../../analysis/disclosure/release-model.ts';

export interface AttackerKnowledge {
  /** Optional upper bound on respondents per leaf 'kind/region/roleGroup' (e.g. number invited). */
  maxPerLeaf?: Record<string, number>;
  /**
   * For a sequence of releases: how many responses per leaf belong to each "segment", a segment being the
   * set of releases (by index in the array passed) that contain the same submitted version of a response.
   * e.g. {'0,1': {'government/Africa/no_role': 7}, '1': {'government/Africa/no_role': 1}} means 7 responses
   * unchanged in releases 0 and 1, and one new one in release 1. A segment given as null holds responses
   * whose number per leaf the reader does not know (free counts). When absent, each release is attacked
   * alone with unknown per-leaf sizes (then every release is its own segment).
   */
  segments?: Record<string, Record<string, number> | null>;
}

/**
 * A hidden count and what a reader can tell of it. `release` is the index in the array passed;
 * `table` is {@link tableName} of the table, or `_respondents` (then `row` is '').
 * `min`/`max`: its range from the published counts and relations; `actualMin`/`actualMax`: its range
 * once the reasons are read too (a `fewer_than_k` count is from 1 to threshold − 1). `max` is
 * Infinity when nothing bounds it.
 */
export interface CellRange {
  release: number;
  table: string;
  group: string;
  row: string;
  why: HiddenReason;
  actualMin: number;
  actualMax: number;
  max: number;
  min: number;
}

export interface AttackResult {
  ranges: CellRange[];
  violations: string[];
}

/** Longest branch and bound of yalps for one optimum, in milliseconds. */
export const MILP_TIMEOUT_MS = 10_000;
const RESPONDENTS = '_respondents';
const OBJECTIVE = '_objective';
const EPSILON = 1e-6;

/** How a table is named in {@link CellRange}: the question id, then `[item]` for a matrix row or ranked option. */
export function tableName(table: { questionId: string; item: string }): string {
  return table.item === '' ? table.questionId : `${table.questionId}[${table.item}]`;
}

/** The leaf key of a combination, as in {@link AttackerKnowledge}. */
export function leafKey(leaf: Required<GroupDefinition>): string {
  return `${leaf.kind}/${leaf.region}/${leaf.roleGroup}`;
}

// ---------------------------------------------------------------------------------------------
// Linear rows over integer unknowns.

/** Unknown index -> coefficient. */
type Expr = Map<number, number>;

interface LinearRow {
  expr: Expr;
  lo: number;
  hi: number;
  label: string;
}

function addTerm(expr: Expr, variable: number, coefficient: number): void {
  const value = (expr.get(variable) ?? 0) + coefficient;
  if (value === 0) expr.delete(variable);
  else expr.set(variable, value);
}

function addExpr(target: Expr, source: Expr, factor = 1): void {
  for (const [variable, coefficient] of source) addTerm(target, variable, factor * coefficient);
}

function sumOf(...exprs: Expr[]): Expr {
  const result: Expr = new Map();
  for (const expr of exprs) addExpr(result, expr);
  return result;
}

function difference(a: Expr, b: Expr): Expr {
  const result = new Map(a);
  addExpr(result, b, -1);
  return result;
}

class Program {
  variables = 0;
  readonly rows: LinearRow[] = [];

  variable(): number {
    return this.variables++;
  }

  /** lo <= expr <= hi. */
  add(expr: Expr, lo: number, hi: number, label: string): void {
    this.rows.push({ expr: new Map(expr), lo, hi, label });
  }
}

class Inconsistent extends Error {}

/**
 * Fixes what the rows force (an unknown alone in an equality, the unknowns of a sum of non-negative
 * terms that is at most 0) and drops the rows left without unknowns. Throws {@link Inconsistent}
 * naming a row that cannot hold.
 */
function presolve(program: Program): { fixed: Map<number, number>; rows: LinearRow[] } {
  const fixed = new Map<number, number>();
  let rows = program.rows.map((row) => ({ ...row, expr: new Map(row.expr) }));
  const fix = (variable: number, value: number, label: string) => {
    if (value < -EPSILON || Math.abs(value - Math.round(value)) > EPSILON) throw new Inconsistent(`${label}: needs a count of ${value}`);
    const previous = fixed.get(variable);
    if (previous !== undefined && previous !== Math.round(value)) throw new Inconsistent(`${label}: a count must be both ${previous} and ${value}`);
    fixed.set(variable, Math.round(value));
  };
  for (let changed = true; changed; ) {
    changed = false;
    const kept: LinearRow[] = [];
    for (const row of rows) {
      let constant = 0;
      for (const [variable, coefficient] of row.expr) {
        const value = fixed.get(variable);
        if (value !== undefined) {
          constant += coefficient * value;
          row.expr.delete(variable);
        }
      }
      row.lo -= constant;
      row.hi -= constant;
      const coefficients = [...row.expr.values()];
      if (coefficients.length === 0) {
        if (row.lo > EPSILON || row.hi < -EPSILON) throw new Inconsistent(`${row.label}: cannot hold`);
        continue;
      }
      if (coefficients.every((c) => c > 0) && row.hi <= EPSILON) {
        if (row.hi < -EPSILON) throw new Inconsistent(`${row.label}: cannot hold`);
        for (const variable of row.expr.keys()) fix(variable, 0, row.label);
        changed = true;
        continue;
      }
      if (coefficients.every((c) => c < 0) && row.lo >= -EPSILON) {
        if (row.lo > EPSILON) throw new Inconsistent(`${row.label}: cannot hold`);
        for (const variable of row.expr.keys()) fix(variable, 0, row.label);
        changed = true;
        continue;
      }
      if (coefficients.length === 1 && row.lo === row.hi) {
        const [variable, coefficient] = [...row.expr][0]!;
        fix(variable, row.lo / coefficient, row.label);
        changed = true;
        continue;
      }
      kept.push(row);
    }
    rows = kept;
  }
  return { fixed, rows };
}

class UnionFind {
  private readonly parent = new Map<number, number>();
  find(x: number): number {
    let root = x;
    for (let p = this.parent.get(root); p !== undefined && p !== root; p = this.parent.get(root)) root = p;
    for (let y = x; y !== root; ) {
      const next = this.parent.get(y)!;
      this.parent.set(y, root);
      y = next;
    }
    if (!this.parent.has(root)) this.parent.set(root, root);
    return root;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(ra, rb);
  }
}

interface Optimum {
  value: number;
  /** False when the search gave up: `value` is then the relaxation's bound. */
  decided: boolean;
}

/** One independent part of a program: its rows over its unknowns. */
class Part {
  solved = false;

  constructor(
    readonly rows: LinearRow[],
    readonly variables: number[],
  ) {}

  optimum(expr: Expr, direction: 'minimize' | 'maximize', describe: string): Optimum {
    this.solved = true;
    return this.yalps(expr, direction, describe);
  }

  private yalps(expr: Expr, direction: 'minimize' | 'maximize', describe: string): Optimum {
    const constraints = new Map<string, Constraint>();
    const columns = new Map<number, [string, number][]>(this.variables.map((v) => [v, []]));
    this.rows.forEach((row, r) => {
      const name = `r${r}`;
      constraints.set(
        name,
        row.lo === row.hi ? { equal: row.lo } : { min: Number.isFinite(row.lo) ? row.lo : undefined, max: Number.isFinite(row.hi) ? row.hi : undefined },
      );
      for (const [variable, coefficient] of row.expr) columns.get(variable)!.push([name, coefficient]);
    });
    for (const [variable, coefficient] of expr) columns.get(variable)!.push([OBJECTIVE, coefficient]);
    const model = {
      direction,
      objective: expr.size ? OBJECTIVE : undefined,
      constraints,
      variables: [...columns].map(([variable, coefficients]) => [`v${variable}`, coefficients] as const),
    };
    const solution = solve({ ...model, integers: true }, { maxPivots: 1_000_000, timeout: MILP_TIMEOUT_MS });
    if (solution.status === 'optimal') return { value: Math.round(solution.result), decided: true };
    if (solution.status === 'unbounded') return { value: direction === 'maximize' ? Infinity : -Infinity, decided: true };
    if (solution.status === 'infeasible') {
      throw new Error(
        `${describe}: the published figures are inconsistent (no integer solution; rows: ${this.rows
          .map((r) => r.label)
          .slice(0, 5)
          .join('; ')}…)`,
      );
    }
    // Gave up (timed out or cycled): the relaxation bounds the optimum.
    const relaxed = solve(model, { maxPivots: 1_000_000 });
    const bound = relaxed.status === 'optimal' ? relaxed.result : NaN;
    if (direction === 'maximize') return { value: Number.isNaN(bound) ? Infinity : Math.floor(bound + EPSILON), decided: false };
    return { value: Number.isNaN(bound) ? 0 : Math.ceil(bound - EPSILON), decided: false };
  }
}

/**
 * A program after presolve, cut into independent parts (no row links two parts), with the optima
 * of the expressions asked so far.
 */
class SolvedProgram {
  private readonly fixed: Map<number, number>;
  private readonly partOf = new Map<number, number>();
  private readonly parts: Part[] = [];
  private readonly cache = new Map<string, Optimum>();

  constructor(
    program: Program,
    private readonly describe: string,
  ) {
    let presolved: ReturnType<typeof presolve>;
    try {
      presolved = presolve(program);
    } catch (error) {
      if (error instanceof Inconsistent) throw new Error(`${describe}: the published figures are inconsistent (${error.message})`);
      throw error;
    }
    this.fixed = presolved.fixed;
    const sets = new UnionFind();
    for (const row of presolved.rows) {
      const [first, ...rest] = row.expr.keys();
      sets.find(first!);
      for (const variable of rest) sets.union(first!, variable);
    }
    const rowsOf = new Map<number, LinearRow[]>();
    const variablesOf = new Map<number, number[]>();
    for (let variable = 0; variable < program.variables; variable++) {
      if (this.fixed.has(variable)) continue;
      const root = sets.find(variable);
      variablesOf.set(root, [...(variablesOf.get(root) ?? []), variable]);
    }
    for (const row of presolved.rows) {
      const root = sets.find(row.expr.keys().next().value!);
      rowsOf.set(root, [...(rowsOf.get(root) ?? []), row]);
    }
    for (const [root, variables] of variablesOf) {
      const index = this.parts.length;
      this.parts.push(new Part(rowsOf.get(root) ?? [], variables));
      for (const variable of variables) this.partOf.set(variable, index);
    }
  }

  /**
   * Smallest and largest value of `expr` (non-negative coefficients) over the program's integer
   * solutions; `known` bounds them from outside (a solution kept from earlier that reaches such a
   * bound spares the solve).
   */
  range(expr: Expr, known: { min?: number; max?: number } = {}): { min: Optimum; max: Optimum } {
    let constant = 0;
    const split = new Map<number, Expr>();
    for (const [variable, coefficient] of expr) {
      const value = this.fixed.get(variable);
      if (value !== undefined) {
        constant += coefficient * value;
        continue;
      }
      const part = this.partOf.get(variable)!;
      const partial = split.get(part) ?? new Map();
      partial.set(variable, coefficient);
      split.set(part, partial);
    }
    const min: Optimum = { value: constant, decided: true };
    const max: Optimum = { value: constant, decided: true };
    for (const [part, partial] of split) {
      for (const [direction, total] of [
        ['minimize', min],
        ['maximize', max],
      ] as const) {
        const outside = direction === 'minimize' ? known.min : known.max;
        const bound = split.size === 1 && outside !== undefined && Number.isFinite(outside) ? outside - constant : direction === 'minimize' ? 0 : undefined;
        const optimum = this.optimum(part, partial, direction, direction === 'minimize' && bound !== undefined ? Math.max(bound, 0) : bound);
        total.value += optimum.value;
        total.decided &&= optimum.decided;
      }
    }
    return { min, max };
  }

  /** Solves every part that no expression asked about, to find whether the whole program has a solution. */
  checkFeasible(): void {
    this.parts.forEach((part, index) => {
      if (!part.solved) this.optimum(index, new Map(), 'minimize');
    });
  }

  private optimum(index: number, expr: Expr, direction: 'minimize' | 'maximize', _bound?: number): Optimum {
    const key = `${index}|${direction}|${[...expr]
      .sort((a, b) => a[0] - b[0])
      .map(([v, c]) => `${v}:${c}`)
      .join(',')}`;
    let optimum = this.cache.get(key);
    if (!optimum) {
      optimum = this.parts[index]!.optimum(expr, direction, this.describe);
      this.cache.set(key, optimum);
    }
    return optimum;
  }
}

// ---------------------------------------------------------------------------------------------
// The releases as a reader sees them.

interface TableInfo {
  name: string;
  questionId: string;
  item: string;
  type: 'partition' | 'multi';
  codes: string[];
  apart: Set<string>;
  hasSubstantive: boolean;
}

/** A leaf, or several that no group tells apart. */
interface Leaf {
  key: string;
  definition: Required<GroupDefinition>;
  members: string[];
}

interface Segment {
  key: string;
  releases: Set<number>;
  /** Leaves that may hold responses of the segment, with their number when known. */
  leaves: { leaf: Leaf; size?: number }[];
}

interface World {
  releases: PublishedRelease[];
  tables: Map<string, TableInfo>;
  relations: SkipRelation[];
  segments: Segment[];
  /** Upper bounds per leaf key (only when leaves are not merged). */
  maxPerLeaf: Map<string, number>;
}

function segmentKey(indices: Iterable<number>): string {
  return [...new Set(indices)].sort((a, b) => a - b).join(',');
}

function buildWorld(releases: PublishedRelease[], knowledge: AttackerKnowledge, mergeLeaves: boolean): World {
  if (releases.length === 0) throw new Error('no release to attack');
  const union = (pick: (r: PublishedRelease) => string[]) => [...new Set(releases.flatMap(pick))];
  const kinds = union((r) => r.dimensions.kind);
  const regions = union((r) => r.dimensions.region);
  const roleGroups = union((r) => r.dimensions.roleGroup);
  const allLeaves: Leaf[] = [];
  for (const kind of kinds)
    for (const region of regions)
      for (const roleGroup of roleGroups) {
        const definition = { kind, region, roleGroup };
        allLeaves.push({ key: leafKey(definition), definition, members: [leafKey(definition)] });
      }
  const byKey = new Map(allLeaves.map((leaf) => [leaf.key, leaf]));
  const checkLeaf = (key: string) => {
    const leaf = byKey.get(key);
    if (!leaf) throw new Error(`unknown leaf ${key}: a leaf is 'kind/region/roleGroup' of the releases' dimensions`);
    return leaf;
  };

  const tables = new Map<string, TableInfo>();
  for (const release of releases)
    for (const table of release.tables) {
      const name = tableName(table);
      const codes = table.rows.filter((row) => row !== ANSWERED && row !== SUBSTANTIVE);
      const known = tables.get(name);
      if (!known) {
        tables.set(name, {
          name,
          questionId: table.questionId,
          item: table.item,
          type: table.type,
          codes,
          apart: new Set(table.apart),
          hasSubstantive: table.rows.includes(SUBSTANTIVE),
        });
        continue;
      }
      if (known.type !== table.type) throw new Error(`${name}: a partition in one release and multiple choice in another`);
      for (const code of codes) if (!known.codes.includes(code)) known.codes.push(code);
      for (const code of table.apart) known.apart.add(code);
      known.hasSubstantive ||= table.rows.includes(SUBSTANTIVE);
    }
  const relations = new Map<string, SkipRelation>();
  for (const release of releases) for (const relation of release.relations) relations.set(JSON.stringify(relation), relation);

  const maxPerLeaf = new Map<string, number>();
  for (const [key, bound] of Object.entries(knowledge.maxPerLeaf ?? {})) {
    checkLeaf(key);
    maxPerLeaf.set(key, bound);
  }

  // Leaves whose counts are free: merged where no group of any release tells them apart, unless a
  // bound per leaf is known.
  let freeLeaves = allLeaves;
  if (mergeLeaves && maxPerLeaf.size === 0) {
    const groups = releases.flatMap((r) => Object.values(r.groups));
    const merged = new Map<string, Leaf>();
    for (const leaf of allLeaves) {
      const signature = groups.map((g) => (inGroup(g, leaf.definition) ? '1' : '0')).join('');
      const known = merged.get(signature);
      if (known) known.members.push(leaf.key);
      else merged.set(signature, { ...leaf, members: [leaf.key] });
    }
    freeLeaves = [...merged.values()];
  }
  let segments: Segment[];
  if (knowledge.segments) {
    segments = Object.entries(knowledge.segments).map(([key, sizes]) => {
      const indices = key.split(',').map((part) => Number(part.trim()));
      for (const index of indices)
        if (!Number.isInteger(index) || index < 0 || index >= releases.length) throw new Error(`segment ${key}: no release ${index}`);
      const leaves =
        sizes === null
          ? freeLeaves.map((leaf) => ({ leaf }))
          : Object.entries(sizes)
              .filter(([, size]) => size > 0)
              .map(([leaf, size]) => ({ leaf: checkLeaf(leaf), size }));
      return { key: segmentKey(indices), releases: new Set(indices), leaves };
    });
    if (new Set(segments.map((s) => s.key)).size !== segments.length) throw new Error('two segments name the same releases');
  } else {
    segments = releases.map((_, index) => ({ key: String(index), releases: new Set([index]), leaves: freeLeaves.map((leaf) => ({ leaf })) }));
  }
  return { releases, tables, relations: [...relations.values()], segments, maxPerLeaf };
}

/** Unknowns of one table for one segment and leaf. */
interface TableUnknowns {
  codes: Map<string, number>;
  answered: Expr;
  substantive: Expr;
}

interface Target {
  release: number;
  table: string;
  group: string;
  row: string;
  why: HiddenReason;
  expr: Expr;
}

/** The program of a set of tables (none: the respondents alone), with its hidden counts. */
class ComponentModel {
  readonly program = new Program();
  /** Rows a reader adds when reading the reasons, kept apart. */
  readonly reasonRows: LinearRow[] = [];
  readonly targets: Target[] = [];
  /** n[segment][leaf]. */
  private readonly sizes: number[][];
  private readonly unknowns = new Map<string, TableUnknowns[][]>();

  constructor(
    private readonly world: World,
    tableNames: string[],
  ) {
    const { program } = this;
    this.sizes = world.segments.map((segment) =>
      segment.leaves.map(({ leaf, size }) => {
        const n = program.variable();
        if (size !== undefined) program.add(new Map([[n, 1]]), size, size, `segment ${segment.key}, ${leaf.key}: ${size} responses`);
        return n;
      }),
    );
    // Upper bounds per leaf and release.
    for (const [key, bound] of world.maxPerLeaf)
      world.releases.forEach((_, r) => {
        const expr: Expr = new Map();
        world.segments.forEach((segment, s) => {
          if (!segment.releases.has(r)) return;
          segment.leaves.forEach(({ leaf }, l) => {
            if (leaf.key === key) addTerm(expr, this.sizes[s]![l]!, 1);
          });
        });
        if (expr.size) program.add(expr, 0, bound, `release ${r}: at most ${bound} in ${key}`);
      });
    for (const name of tableNames) this.addTable(world.tables.get(name)!);
    this.addRelations(new Set(tableNames));
    world.releases.forEach((release, r) => {
      for (const [group, cell] of Object.entries(release.respondents)) {
        this.fact(r, RESPONDENTS, group, '', cell, (s, l) => new Map([[this.sizes[s]![l]!, 1]]), tableNames.length === 0);
      }
      for (const table of release.tables) {
        const name = tableName(table);
        if (!tableNames.includes(name)) continue;
        for (const [group, cells] of Object.entries(table.cells))
          for (const [row, cell] of Object.entries(cells)) this.fact(r, name, group, row, cell, (s, l) => this.cellExpr(name, s, l, row), true);
      }
    });
  }

  /** The sum over the release's segments and the group's leaves of `leafExpr`. */
  groupExpr(r: number, definition: GroupDefinition, leafExpr: (s: number, l: number) => Expr): Expr {
    const expr: Expr = new Map();
    this.world.segments.forEach((segment, s) => {
      if (!segment.releases.has(r)) return;
      segment.leaves.forEach(({ leaf }, l) => {
        if (inGroup(definition, leaf.definition)) addExpr(expr, leafExpr(s, l));
      });
    });
    return expr;
  }

  size(s: number, l: number): Expr {
    return new Map([[this.sizes[s]![l]!, 1]]);
  }

  cellExpr(table: string, s: number, l: number, row: string): Expr {
    const unknowns = this.unknowns.get(table)?.[s]?.[l];
    if (!unknowns) throw new Error(`no table ${table} in this component`);
    if (row === ANSWERED) return unknowns.answered;
    if (row === SUBSTANTIVE) return unknowns.substantive;
    const code = unknowns.codes.get(row);
    if (code === undefined) throw new Error(`${table}: no row ${row}`);
    return new Map([[code, 1]]);
  }

  private fact(r: number, table: string, group: string, row: string, cell: ReleaseCell, leafExpr: (s: number, l: number) => Expr, target: boolean): void {
    const release = this.world.releases[r]!;
    const definition = release.groups[group];
    if (!definition) throw new Error(`release ${r}: no group ${group}`);
    const expr = this.groupExpr(r, definition, leafExpr);
    const where = `release ${r}, ${table}, ${group}${row ? `, ${row}` : ''}`;
    if (cell.count !== null) {
      if (!Number.isInteger(cell.count) || cell.count < 0) throw new Error(`${where}: ${cell.count} is not a count`);
      this.program.add(expr, cell.count, cell.count, `${where} = ${cell.count}`);
      return;
    }
    if (target) this.targets.push({ release: r, table, group, row, why: cell.why, expr });
    if (cell.why === 'fewer_than_k') this.reasonRows.push({ expr, lo: 1, hi: release.threshold - 1, label: `${where} is fewer than ${release.threshold}` });
  }

  private addTable(table: TableInfo): void {
    const { program } = this;
    const perSegment = this.world.segments.map((segment, s) =>
      segment.leaves.map(({ leaf }, l): TableUnknowns => {
        const where = `${table.name}, segment ${segment.key}, ${leaf.key}`;
        const n = this.sizes[s]![l]!;
        const codes = new Map(table.codes.map((code) => [code, program.variable()]));
        const one = (code: string) => new Map([[codes.get(code)!, 1]]);
        const apart = table.codes.filter((c) => table.apart.has(c));
        const options = table.codes.filter((c) => !table.apart.has(c));
        if (table.type === 'partition') {
          const answered = sumOf(...table.codes.map(one));
          const substantive = sumOf(...options.map(one));
          program.add(difference(answered, new Map([[n, 1]])), -Infinity, 0, `${where}: answered <= respondents`);
          return { codes, answered, substantive };
        }
        const answered: Expr = new Map([[program.variable(), 1]]);
        program.add(difference(answered, new Map([[n, 1]])), -Infinity, 0, `${where}: answered <= respondents`);
        program.add(difference(sumOf(...table.codes.map(one)), answered), 0, Infinity, `${where}: every answer has a code`);
        if (!table.hasSubstantive) {
          for (const code of table.codes) program.add(difference(one(code), answered), -Infinity, 0, `${where}: ${code} <= answered`);
          return { codes, answered, substantive: answered };
        }
        const substantive: Expr = new Map([[program.variable(), 1]]);
        program.add(difference(substantive, answered), -Infinity, 0, `${where}: substantive <= answered`);
        for (const code of options) program.add(difference(one(code), substantive), -Infinity, 0, `${where}: ${code} <= substantive`);
        for (const code of apart) program.add(difference(one(code), answered), -Infinity, 0, `${where}: ${code} <= answered`);
        program.add(difference(sumOf(...options.map(one)), substantive), 0, Infinity, `${where}: every substantive answer has an option`);
        program.add(
          difference(sumOf(...apart.map(one)), difference(answered, substantive)),
          0,
          Infinity,
          `${where}: every other answer has a code counted apart`,
        );
        return { codes, answered, substantive };
      }),
    );
    this.unknowns.set(table.name, perSegment);
  }

  private addRelations(tableNames: Set<string>): void {
    const { world, program } = this;
    for (const relation of world.relations) {
      const children = [...world.tables.values()].filter((t) => t.questionId === relation.questionId && tableNames.has(t.name));
      const parent = parentTable(world, relation);
      if (!children.length || !parent || !tableNames.has(parent.name)) continue;
      for (const code of relation.codes)
        if (!parent.codes.includes(code)) throw new Error(`relation ${relation.questionId} <- ${relation.parent}: the parent has no code ${code}`);
      const linear = relation.codes.length === 1 || parent.type === 'partition';
      const exact = relation.required && linear;
      world.segments.forEach((segment, s) => {
        segment.leaves.forEach(({ leaf }, l) => {
          const codes = relation.codes.map((code) => this.cellExpr(parent.name, s, l, code));
          // Bounds on the number shown the question: one expression each.
          const shown: Expr[] = relation.negated
            ? linear
              ? [difference(this.size(s, l), sumOf(...codes))]
              : codes.map((c) => difference(this.size(s, l), c))
            : [sumOf(...codes)];
          for (const child of children)
            for (const bound of shown) {
              const label = `${child.name} shown after ${relation.parent}, segment ${segment.key}, ${leaf.key}`;
              program.add(difference(this.cellExpr(child.name, s, l, ANSWERED), bound), exact ? 0 : -Infinity, 0, label);
            }
        });
      });
    }
  }
}

function parentTable(world: World, relation: SkipRelation): TableInfo | undefined {
  const tables = [...world.tables.values()].filter((t) => t.questionId === relation.parent);
  return tables.find((t) => t.item === '') ?? (tables.length === 1 ? tables[0] : undefined);
}

/** Sets of tables to solve together: a question's items and the questions tied to it by relations. */
function components(world: World): string[][] {
  const questions = [...new Set([...world.tables.values()].map((t) => t.questionId))];
  const index = new Map(questions.map((q, i) => [q, i]));
  const sets = new UnionFind();
  for (const relation of world.relations) {
    const child = index.get(relation.questionId);
    const parent = parentTable(world, relation);
    if (child !== undefined && parent) sets.union(child, index.get(parent.questionId)!);
  }
  const grouped = new Map<number, string[]>();
  for (const table of world.tables.values()) {
    const root = sets.find(index.get(table.questionId)!);
    grouped.set(root, [...(grouped.get(root) ?? []), table.name]);
  }
  return [...grouped.values()];
}

/**
 * For the respondents' component: a group's number of respondents is at least each count shown for
 * it, and at least the sum of a partition's shown codes.
 */
function respondentLowerBounds(model: ComponentModel, world: World): void {
  world.releases.forEach((release, r) => {
    for (const [group, cell] of Object.entries(release.respondents)) {
      if (cell.count !== null) continue;
      let bound = 0;
      for (const table of release.tables) {
        const cells = table.cells[group];
        if (!cells) continue;
        const shown = (row: string) => cells[row]?.count ?? 0;
        for (const row of Object.keys(cells)) bound = Math.max(bound, shown(row));
        if (table.type === 'partition')
          bound = Math.max(
            bound,
            table.rows.filter((row) => row !== ANSWERED && row !== SUBSTANTIVE).reduce((sum, row) => sum + shown(row), 0),
          );
      }
      if (bound > 0) {
        const expr = model.groupExpr(r, release.groups[group]!, (s, l) => model.size(s, l));
        model.program.add(expr, bound, Infinity, `release ${r}, ${group}: at least ${bound} respondents (shown counts)`);
      }
    }
  });
}

function withReasons(model: ComponentModel): Program {
  const program = new Program();
  program.variables = model.program.variables;
  program.rows.push(...model.program.rows, ...model.reasonRows);
  return program;
}

const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Does a group holding the target's group show 0 for the same answer in the same release? */
function zeroAbove(release: PublishedRelease, target: { table: string; group: string; row: string }): boolean {
  const table = release.tables.find((t) => tableName(t) === target.table);
  const inner = release.groups[target.group];
  if (!table || !inner) return false;
  return Object.entries(release.groups).some(
    ([id, outer]) =>
      id !== target.group &&
      (outer.kind === undefined || outer.kind === inner.kind) &&
      (outer.region === undefined || outer.region === inner.region) &&
      (outer.roleGroup === undefined || outer.roleGroup === inner.roleGroup) &&
      table.cells[id]?.[target.row]?.count === 0,
  );
}

/**
 * Attacks the releases: the range of every hidden count for both readers, and what leaks.
 * Throws when the published figures (or the reasons given) admit no solution at all.
 */
export async function attackReleases(releases: PublishedRelease[], knowledge: AttackerKnowledge = {}): Promise<AttackResult> {
  const world = buildWorld(releases, knowledge, true);
  const ranges: CellRange[] = [];
  const violations: string[] = [];
  const models: { model: ComponentModel; name: string }[] = components(world).map((tables) => ({
    model: new ComponentModel(world, tables),
    name: tables.join(', '),
  }));
  const respondents = new ComponentModel(world, []);
  respondentLowerBounds(respondents, world);
  models.push({ model: respondents, name: 'respondents' });
  for (const { model, name } of models) {
    await pause();
    const counts = new SolvedProgram(model.program, `tables ${name}`);
    const reasons = new SolvedProgram(withReasons(model), `tables ${name} with the reasons read`);
    for (const target of model.targets) {
      const threshold = releases[target.release]!.threshold;
      const plain = counts.range(target.expr);
      // A count the counts alone pin is pinned for the reader of reasons too.
      const small = target.why === 'fewer_than_k';
      const read =
        plain.min.value === plain.max.value
          ? plain
          : reasons.range(target.expr, {
              min: small ? Math.max(plain.min.value, 1) : plain.min.value,
              max: small ? Math.min(plain.max.value, threshold - 1) : plain.max.value,
            });
      const range: CellRange = {
        release: target.release,
        table: target.table,
        group: target.group,
        row: target.row,
        why: target.why,
        min: plain.min.value,
        max: plain.max.value,
        actualMin: read.min.value,
        actualMax: read.max.value,
      };
      ranges.push(range);
      const where = `release ${target.release} (id ${releases[target.release]!.id}), ${target.table}, ${target.group}${target.row ? `, ${target.row}` : ''} (${target.why})`;
      const undecided = [plain.min, plain.max, read.min, read.max].some((o) => !o.decided);
      if (undecided)
        violations.push(
          `${where}: undecided, the solver gave up; range at least ${range.min}..${range.max}, with the reasons ${range.actualMin}..${range.actualMax}`,
        );
      if (range.min === range.max && range.max === 0 && zeroAbove(releases[target.release]!, target)) {
        // Nobody stands behind it: a larger group's published 0 says so to every reader.
      } else if (range.min === range.max) violations.push(`${where}: pinned at ${range.min} by the published counts (min ${range.min}, max ${range.max})`);
      else if (range.actualMin === range.actualMax)
        violations.push(
          `${where}: pinned at ${range.actualMin} once the reasons are read (min ${range.actualMin}, max ${range.actualMax}; from the counts alone ${range.min}..${range.max})`,
        );
      if (target.why === 'fewer_than_k' && range.max - range.min < threshold)
        violations.push(`${where}: range ${range.min}..${range.max} (min ${range.min}, max ${range.max}) narrower than the threshold ${threshold}`);
    }
    counts.checkFeasible();
    reasons.checkFeasible();
  }
  return { ranges, violations };
}

/**
 * The range of the number of a segment's responses (e.g. one response new in a release) counted in
 * `row` of `table` (a {@link tableName}, or `_respondents` for the responses themselves) among the
 * leaves matching `leafFilter`, for the reader of counts, relations and reasons. `segment` is a key of
 * `knowledge.segments` (or, without segments, a release's index). Leaves are never merged here.
 */
export async function segmentRange(
  releases: PublishedRelease[],
  knowledge: AttackerKnowledge,
  segment: string,
  table: string,
  row: string,
  leafFilter: GroupDefinition,
): Promise<{ min: number; max: number }> {
  const world = buildWorld(releases, knowledge, false);
  const key = segmentKey(segment.split(',').map((part) => Number(part.trim())));
  const s = world.segments.findIndex((candidate) => candidate.key === key);
  if (s < 0) throw new Error(`no segment ${segment}`);
  let model: ComponentModel;
  if (table === RESPONDENTS) {
    model = new ComponentModel(world, []);
    respondentLowerBounds(model, world);
  } else {
    const tables = components(world).find((names) => names.includes(table));
    if (!tables) throw new Error(`no table ${table}`);
    model = new ComponentModel(world, tables);
  }
  const expr: Expr = new Map();
  world.segments[s]!.leaves.forEach(({ leaf }, l) => {
    if (inGroup(leafFilter, leaf.definition)) addExpr(expr, table === RESPONDENTS ? model.size(s, l) : model.cellExpr(table, s, l, row));
  });
  await pause();
  const solved = new SolvedProgram(withReasons(model), `tables of ${table} with the reasons read`);
  const { min, max } = solved.range(expr);
  if (!min.decided || !max.decided) throw new Error(`${table}, ${row}: the solver gave up`);
  solved.checkFeasible();
  return { min: min.value, max: max.value };
}
