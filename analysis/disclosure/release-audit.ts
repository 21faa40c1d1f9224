/**
 * The check a release must pass before it is stored: an exact attacker. For one component of linked
 * tables (a question, its matrix rows or ranked options, and the questions tied to it by skip logic),
 * it writes an integer program whose unknowns are the counts of every finest group of respondents
 * ("leaf") in every segment of responses (the responses common to a set of releases), constrained by
 * everything the releases publish, the questionnaire's relations and counts being non-negative
 * integers; then, for every hidden cell, it finds its smallest and largest possible value (HiGHS).
 * A hidden cell may not be pinned to one value, and a cell hidden because it is from 1 to k − 1 must
 * keep a range at least k wide.
 *
 * For speed, ranges are first taken from the linear relaxation (rounded inward; it can only find a
 * range too wide, never too narrow), and every cell within 3 of failing is bounded again exactly,
 * over the integers. A cell passing the relaxation by more than that margin is not re-checked: the
 * tests' attacker (integer programs in another solver) checks releases exactly.
 *
 * The respondents of a segment present in every release are unknown per leaf; the size per leaf of
 * every other segment (responses added, amended or removed between releases) is taken as known: a
 * reader may well know who submitted in between.
 */
import highsModule from 'highs';
import { inGroup, type GroupDefinition, type HiddenReason, type SkipRelation, ANSWERED, SUBSTANTIVE } from './release-model.ts';
import { leafKey, tableKey, type Leaf, type TableSpec } from './release-tables.ts';
import { smallCountRange } from './small-counts.ts';

/** One release as a reader sees it: shown counts, and hidden cells with their reason. */
export interface AuditRelease {
  threshold: number;
  /** group id -> respondents (null when hidden). */
  respondents: Record<string, number | null>;
  /** table key -> group id -> row -> count (null when hidden). */
  tables: Record<string, Record<string, Record<string, number | null>>>;
  /** Reason per hidden cell id (see {@link auditCellId}); respondents cells use table `_respondents`. */
  reasons: Record<string, HiddenReason>;
}

export const RESPONDENTS_TABLE = '_respondents';

export const auditCellId = (table: string, group: string, row: string): string => `${table}|${group}|${row}`;

export interface AuditModel {
  leaves: readonly Leaf[];
  groups: Readonly<Record<string, GroupDefinition>>;
  /** The component's tables (none for the respondents alone). */
  tables: readonly TableSpec[];
  /** Skip relations within the component; `exact` when the reader may take it as an equality. */
  relations: readonly (SkipRelation & { exact: boolean })[];
  /** Oldest first; the last is the release being made. */
  releases: readonly AuditRelease[];
  /** Segments of responses: the releases holding them, and their size per leaf when known. */
  segments: readonly { releases: readonly number[]; sizes?: Readonly<Record<string, number>> }[];
}

export interface AuditFailure {
  release: number;
  table: string;
  group: string;
  row: string;
  why: HiddenReason;
  min: number;
  max: number;
}

type Terms = Map<string, number>;

// The package's types describe it as CommonJS with a default export; imported as ESM it is the loader itself.
type Loader = (typeof highsModule)['default'];
type Solver = Awaited<ReturnType<Loader>>;
const loadHighs: Loader = (highsModule as unknown as { default?: Loader }).default ?? (highsModule as unknown as Loader);
/** Solver calls made and the time they took, for benchmarks. */
export const auditStats = { solves: 0, ms: 0 };

let highsPromise: Promise<Solver> | undefined;
const highs = () => (highsPromise ??= loadHighs());

/** Builds the program once; `range` then solves it for any linear expression. */
class Program {
  /** Integer unknowns (exact); false solves the linear relaxation, whose ranges contain the exact ones. */
  integer = false;
  private readonly names = new Map<string, string>();
  private readonly rows: string[] = [];
  private readonly bounds: string[] = [];

  variable(key: string, fixed?: number): string {
    let name = this.names.get(key);
    if (!name) {
      name = `v${this.names.size}`;
      this.names.set(key, name);
      // A cap far above any real count keeps every program bounded (so one solution can show many cells moving).
      this.bounds.push(fixed === undefined ? ` 0 <= ${name} <= ${CAP}` : ` ${name} = ${fixed}`);
    }
    return name;
  }

  constrain(terms: Terms, sense: '=' | '<=' | '>=', constant: number): void {
    const body = [...terms].filter(([, c]) => c !== 0);
    if (body.length === 0) return;
    this.rows.push(` c${this.rows.length}: ${linear(body)} ${sense} ${constant}`);
  }

  private model: ReturnType<Solver['createModel']> | undefined;
  private columns = new Map<string, number>();
  private lastCost: string[] = [];

  /** Solves with the objective; returns the optimum and the value of every variable. */
  optimum(objective: Terms, sense: 'Minimize' | 'Maximize', solver: Solver): { value: number; primal: Map<string, number> } | null {
    if (!this.model) {
      // Written once as LP text with a zero objective; each solve then only changes the costs.
      const first = [...this.names.values()][0]!;
      const text = [
        'Minimize',
        ` obj: 0 ${first}`,
        'Subject To',
        ...(this.rows.length ? this.rows : [` c0: ${first} >= 0`]),
        'Bounds',
        ...this.bounds,
        ...(this.integer ? ['General', ` ${[...this.names.values()].join(' ')}`] : []),
        'End',
      ].join('\n');
      this.model = solver.createModel({ format: 'lp', data: text });
      this.model.options.set('output_flag', false);
      for (const name of this.names.values()) this.columns.set(name, this.model.getColByName(name));
    }
    const model = this.model;
    for (const name of this.lastCost) model.changeColCost(this.columns.get(name)!, 0);
    this.lastCost = [];
    for (const [name, c] of objective) {
      if (c === 0) continue;
      model.changeColCost(this.columns.get(name)!, c);
      this.lastCost.push(name);
    }
    model.changeObjectiveSense(sense === 'Minimize' ? solver.constants.objectiveSense.minimize : solver.constants.objectiveSense.maximize);
    const started = performance.now();
    model.run();
    auditStats.solves += 1;
    auditStats.ms += performance.now() - started;
    const status = model.getModelStatus();
    if (status === solver.constants.modelStatus.infeasible) throw new Error('the published figures admit no population (the audit model is inconsistent)');
    if (status !== solver.constants.modelStatus.optimal) throw new Error(`the audit solver stopped with model status ${status}`);
    const values = model.getSolution().colValue;
    const primal = new Map<string, number>();
    for (const [name, index] of this.columns) primal.set(name, Math.round(values[index]!));
    const value = model.getObjectiveValue();
    // Counts are integers: the relaxation's optimum rounded towards the inside is still a bound.
    return { value: sense === 'Minimize' ? Math.ceil(value - 1e-6) : Math.floor(value + 1e-6), primal };
  }

  dispose(): void {
    this.model?.[Symbol.dispose]?.();
    this.model = undefined;
  }

  /** The same unknowns and constraints, as a program of its own (to add constraints to). */
  copy(): Program {
    const copy = new Program();
    for (const [key, name] of this.names) copy.names.set(key, name);
    copy.rows.push(...this.rows);
    copy.bounds.push(...this.bounds);
    return copy;
  }

  /** The smallest and largest value of the expression (of the relaxation: rounded inward). */
  range(objective: Terms, solver: Solver): { min: number; max: number } {
    return { min: this.optimum(objective, 'Minimize', solver)!.value, max: this.optimum(objective, 'Maximize', solver)!.value };
  }
}

function linear(terms: readonly (readonly [string, number])[]): string {
  return terms.map(([name, c], i) => `${c < 0 ? '- ' : i ? '+ ' : ''}${Math.abs(c) === 1 ? '' : `${Math.abs(c)} `}${name}`).join(' ');
}

const add = (terms: Terms, name: string, coefficient: number) => terms.set(name, (terms.get(name) ?? 0) + coefficient);

/** Every hidden cell of the model's tables (and respondents, when it has no table) that the attacker narrows too much. */
export async function auditComponent(model: AuditModel): Promise<AuditFailure[]> {
  const solver = await highs();
  const program = new Program();
  const leafKeys = model.leaves.map(leafKey);
  const n = (s: number, l: number) => {
    const size = model.segments[s]!.sizes;
    return program.variable(`n|${s}|${l}`, size ? (size[leafKeys[l]!] ?? 0) : undefined);
  };
  const x = (s: number, l: number, table: string, row: string) => program.variable(`x|${s}|${l}|${table}|${row}`);
  const byKey = new Map(model.tables.map((t) => [tableKey(t), t]));

  for (let s = 0; s < model.segments.length; s++) {
    for (let l = 0; l < model.leaves.length; l++) {
      for (const table of model.tables) {
        const key = tableKey(table);
        const codes = table.rows.filter((r) => r !== ANSWERED && r !== SUBSTANTIVE);
        const views = codes.filter((c) => !table.apart.includes(c));
        const hasSubstantive = table.rows.includes(SUBSTANTIVE);
        const answered = x(s, l, key, ANSWERED);
        const notAnswered = x(s, l, key, '_not_answered');
        program.constrain(
          new Map([
            [answered, 1],
            [notAnswered, 1],
            [n(s, l), -1],
          ]),
          '=',
          0,
        );
        if (table.type === 'partition') {
          if (codes.length) {
            if (hasSubstantive) {
              const sub = x(s, l, key, SUBSTANTIVE);
              const apartTerms: Terms = new Map([
                [answered, 1],
                [sub, -1],
              ]);
              for (const c of table.apart) add(apartTerms, x(s, l, key, c), -1);
              program.constrain(apartTerms, '=', 0);
              const viewTerms: Terms = new Map([[sub, 1]]);
              for (const c of views) add(viewTerms, x(s, l, key, c), -1);
              program.constrain(viewTerms, '=', 0);
            } else {
              const sum: Terms = new Map([[answered, 1]]);
              for (const c of codes) add(sum, x(s, l, key, c), -1);
              program.constrain(sum, '=', 0);
            }
          }
        } else {
          const atLeastOne: Terms = new Map([[answered, -1]]);
          for (const c of codes) {
            program.constrain(
              new Map([
                [x(s, l, key, c), 1],
                [answered, -1],
              ]),
              '<=',
              0,
            );
            add(atLeastOne, x(s, l, key, c), 1);
          }
          if (codes.length) program.constrain(atLeastOne, '>=', 0);
          if (hasSubstantive) {
            const sub = x(s, l, key, SUBSTANTIVE);
            program.constrain(
              new Map([
                [sub, 1],
                [answered, -1],
              ]),
              '<=',
              0,
            );
            const some: Terms = new Map([[sub, -1]]);
            for (const c of views) {
              program.constrain(
                new Map([
                  [x(s, l, key, c), 1],
                  [sub, -1],
                ]),
                '<=',
                0,
              );
              add(some, x(s, l, key, c), 1);
            }
            program.constrain(some, '>=', 0);
          }
        }
      }
      for (const relation of model.relations) {
        const parent = byKey.get(relation.parent);
        if (!parent) continue;
        const shown: Terms = new Map();
        if (relation.negated) add(shown, n(s, l), 1);
        for (const code of relation.codes) add(shown, x(s, l, relation.parent, code), relation.negated ? -1 : 1);
        for (const table of model.tables.filter((t) => t.questionId === relation.questionId)) {
          const terms = new Map(shown);
          for (const [name, c] of shown) terms.set(name, -c);
          add(terms, x(s, l, tableKey(table), ANSWERED), 1);
          program.constrain(terms, relation.exact ? '=' : '<=', 0);
        }
      }
    }
  }

  // What each release publishes.
  const groupLeaves = new Map(Object.entries(model.groups).map(([id, g]) => [id, model.leaves.flatMap((leaf, l) => (inGroup(g, leaf) ? [l] : []))]));
  const segmentsOf = (r: number) => model.segments.flatMap((segment, s) => (segment.releases.includes(r) ? [s] : []));
  const sumOf = (r: number, group: string, term: (s: number, l: number) => string): Terms => {
    const terms: Terms = new Map();
    for (const s of segmentsOf(r)) for (const l of groupLeaves.get(group) ?? []) add(terms, term(s, l), 1);
    return terms;
  };
  const targets: Target[] = [];
  model.releases.forEach((release, r) => {
    for (const [group, count] of Object.entries(release.respondents)) {
      const terms = sumOf(r, group, n);
      if (count !== null) program.constrain(terms, '=', count);
      else if (model.tables.length === 0) targets.push({ release: r, table: RESPONDENTS_TABLE, group, row: '', terms });
    }
    for (const table of model.tables) {
      const key = tableKey(table);
      for (const [group, rows] of Object.entries(release.tables[key] ?? {})) {
        for (const [row, count] of Object.entries(rows)) {
          const terms = sumOf(r, group, (s, l) => x(s, l, key, row));
          if (count !== null) program.constrain(terms, '=', count);
          else targets.push({ release: r, table: key, group, row, terms });
        }
      }
    }
  });

  const required = (t: Target) => {
    const release = model.releases[t.release]!;
    return reasonOf(t) === 'fewer_than_k' ? release.threshold : 1;
  };
  const reasonOf = (t: Target) => model.releases[t.release]!.reasons[auditCellId(t.table, t.group, t.row)] ?? 'withheld';
  // The reader of counts: no hidden count pinned, none from 1 to k − 1 narrowed below k values.
  const failures = checkRanges(program, targets, required, reasonOf, solver);
  // The reader of the labels too: a count that reads "fewer than k" is from 1 to k − 1, which may
  // pin it or another hidden count (no hidden count may be pinned for this reader either).
  const labelled = program.copy();
  let small = 0;
  for (const t of targets) {
    if (reasonOf(t) !== 'fewer_than_k') continue;
    const range = smallCountRange(model.releases[t.release]!.threshold);
    labelled.constrain(t.terms, '>=', range.min);
    labelled.constrain(t.terms, '<=', range.max);
    small += 1;
  }
  if (small === 0) return failures;
  const failed = new Set(failures.map((f) => `${f.release}|${f.table}|${f.group}|${f.row}`));
  for (const f of checkRanges(labelled, targets, () => 1, reasonOf, solver)) if (!failed.has(`${f.release}|${f.table}|${f.group}|${f.row}`)) failures.push(f);
  return failures;
}

interface Target {
  release: number;
  table: string;
  group: string;
  row: string;
  terms: Terms;
}

/**
 * The hidden counts whose range in `program` is narrower than `required` (1: pinned). Most are
 * shown to move by a few solutions of random objectives over all of them at once; only those still
 * looking narrow get their own minimum and maximum, of the linear relaxation first and, near
 * failing, over the integers. Disposes of the program's solver model.
 */
function checkRanges(
  program: Program,
  targets: readonly Target[],
  required: (t: Target) => number,
  reasonOf: (t: Target) => HiddenReason,
  solver: Solver,
): AuditFailure[] {
  const seen = targets.map(() => ({ lo: Infinity, hi: -Infinity }));
  const valueIn = (terms: Terms, primal: ReadonlyMap<string, number>) => [...terms].reduce((sum, [name, c]) => sum + c * (primal.get(name) ?? 0), 0);
  let seed = 12345;
  const coin = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed & 1 ? 1 : -1;
  };
  const open = () => targets.flatMap((t, i) => (seen[i]!.hi - seen[i]!.lo < required(t) ? [i] : []));
  try {
    for (let round = 0, unresolved = open(); round < PROBES && unresolved.length > 0; round++, unresolved = open()) {
      // Push the cells not yet seen to move: all up, all down, then in random directions.
      const objective: Terms = new Map();
      for (const i of unresolved) {
        const c = round < 2 ? 1 : coin();
        for (const [name, coefficient] of targets[i]!.terms) add(objective, name, c * coefficient);
      }
      const solution = program.optimum(objective, round % 2 === 1 ? 'Minimize' : 'Maximize', solver);
      if (!solution) break;
      targets.forEach((t, i) => {
        const v = valueIn(t.terms, solution.primal);
        seen[i]!.lo = Math.min(seen[i]!.lo, v);
        seen[i]!.hi = Math.max(seen[i]!.hi, v);
      });
    }
    // Linear relaxation first (its range holds the integer one): a cell it finds too narrow fails;
    // a cell it finds barely wide enough is bounded again exactly, over the integers.
    const failures: AuditFailure[] = [];
    const marginal: { index: number; need: number }[] = [];
    targets.forEach((target, i) => {
      const need = required(target);
      let width = seen[i]!.hi - seen[i]!.lo;
      if (width < need + MARGIN) {
        const { min, max } = program.range(target.terms, solver);
        width = max - min;
        if (width < need) {
          failures.push({ release: target.release, table: target.table, group: target.group, row: target.row, why: reasonOf(target), min, max });
          return;
        }
      }
      if (width < need + MARGIN) marginal.push({ index: i, need });
    });
    if (marginal.length) {
      program.dispose();
      program.integer = true;
      for (const { index, need } of marginal) {
        const target = targets[index]!;
        const { min, max } = program.range(target.terms, solver);
        if (max - min < need)
          failures.push({ release: target.release, table: target.table, group: target.group, row: target.row, why: reasonOf(target), min, max });
      }
    }
    return failures;
  } finally {
    program.dispose();
  }
}

/** A cell whose relaxed range is this close to too narrow is bounded again over the integers. */
const MARGIN = 3;

/** No count is larger: a bound, so that no program is unbounded. */
const CAP = 1_000_000;

/** Solutions of random objectives tried before cells are bounded one by one. */
const PROBES = 12;
