/**
 * The count table behind one observer figure: every count a reader sees or can work out (a share's
 * base is count ÷ share) as a cell, every sum a reader knows as a relation, and which cells must be
 * hidden so that no count from 1 to 4 shows and none can be worked out from the others
 * (analysis/disclosure/table-suppression.ts does the maths).
 */
import { determinedCells, suppressTable, type Relation } from '../../analysis/disclosure/table-suppression.ts';

/**
 * Collects cells and relations, then says which cells to hide.
 *
 * Relations are checked against the values when the table is solved: one that names a cell that
 * was never added (a null count) or does not add up exactly (e.g. codes of an older version that
 * the total leaves out) is left out rather than thrown, because the reader cannot rely on it either.
 *
 * @example
 * const table = new DisclosureTable();
 * table.cell('a', 3).cell('b', 9).cell('total', 12).relation('total', ['a', 'b']);
 * table.hiddenCells(5); // Set {'a', 'b'}: a is 3, and b would give it away as 12 − b
 */
export class DisclosureTable {
  private readonly values = new Map<string, number>();
  private readonly relations: Relation[] = [];
  private readonly publishedElsewhere = new Set<string>();

  /**
   * Adds a count (a null value adds nothing). `publishedElsewhere`: the figure is shown in another
   * place whatever happens here (the number of responses), so hiding it here would protect nothing.
   */
  cell(id: string, value: number | null, options: { publishedElsewhere?: boolean } = {}): this {
    if (value === null || this.values.has(id)) return this;
    this.values.set(id, value);
    if (options.publishedElsewhere) this.publishedElsewhere.add(id);
    return this;
  }

  /** Adds `total = sum of parts`; kept only if, when solved, every cell exists and the sum holds exactly. */
  relation(total: string, parts: readonly string[]): this {
    this.relations.push({ total, parts: [...parts] });
    return this;
  }

  /** The relations that hold for the values added. */
  private holdingRelations(): Relation[] {
    return this.relations.filter(({ total, parts }) => {
      const ids = [total, ...parts];
      if (parts.length === 0 || new Set(ids).size !== ids.length || !ids.every((id) => this.values.has(id))) return false;
      return parts.reduce((sum, id) => sum + this.values.get(id)!, 0) === this.values.get(total);
    });
  }

  /**
   * Ids of the cells to hide at `threshold`: counts from 1 to threshold − 1 and their complements, as
   * `suppressTable` chooses them. A cell published elsewhere cannot serve as a complement (nor can one
   * that follows from such cells and zeros alone, e.g. n when nobody skipped or missed the question):
   * when `suppressTable` chose one, the complements are chosen again here, the same way but never
   * those. Should no protection exist, every cell is hidden, zeros included: a figure left out is
   * better than one given away.
   */
  hiddenCells(threshold: number): ReadonlySet<string> {
    const everything = new Set(this.values.keys());
    const table = { cells: [...this.values].map(([id, value]) => ({ id, value })), relations: this.holdingRelations() };
    try {
      const { primary, complementary } = suppressTable(table, threshold);
      // Published elsewhere but itself small: the other place hides it too (the responses of a small group).
      const pinned = new Set([...this.publishedElsewhere].filter((id) => !primary.has(id)));
      const positive = new Set([...everything].filter((id) => !pinned.has(id) && this.values.get(id)! > 0));
      for (const id of determinedCells(table, positive)) pinned.add(id);
      if (![...complementary].some((id) => pinned.has(id))) return new Set([...primary, ...complementary]);
      const hidden = new Set(primary);
      for (let [first] = determinedCells(table, hidden); first !== undefined; [first] = determinedCells(table, hidden)) {
        const complement = nextComplement(first, hidden, pinned, table.relations, this.values);
        if (complement === undefined) return everything;
        hidden.add(complement);
      }
      return hidden;
    } catch {
      // A count that is not a non-negative integer, or relations that fix a hidden cell whatever is hidden.
      return everything;
    }
  }
}

const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The published, unpinned cell to hide next so that `start` is no longer determined, chosen as
 * `suppressTable` does: from the relations of `start`, then of those reached through hidden cells;
 * a positive cell before a zero, a cell that is no relation's total before a total, then the smallest
 * value, then the smallest id. Undefined when no such cell is reachable.
 */
function nextComplement(
  start: string,
  hidden: ReadonlySet<string>,
  pinned: ReadonlySet<string>,
  relations: readonly Relation[],
  values: ReadonlyMap<string, number>,
): string | undefined {
  const totals = new Set(relations.map((r) => r.total));
  const preference = (a: string, b: string) => Number(totals.has(a)) - Number(totals.has(b)) || values.get(a)! - values.get(b)! || compareIds(a, b);
  const reached = new Set([start]);
  const used = new Set<Relation>();
  let nearestZero: string | undefined;
  for (let frontier = [start]; frontier.length > 0; ) {
    const candidates: string[] = [];
    const next: string[] = [];
    for (const relation of relations.filter((r) => !used.has(r) && [r.total, ...r.parts].some((id) => frontier.includes(id)))) {
      used.add(relation);
      for (const id of [relation.total, ...relation.parts]) {
        if (!hidden.has(id)) {
          if (!pinned.has(id)) candidates.push(id);
        } else if (!reached.has(id)) {
          reached.add(id);
          next.push(id);
        }
      }
    }
    const [best] = candidates.filter((id) => values.get(id)! > 0).sort(preference);
    if (best !== undefined) return best;
    nearestZero ??= candidates.sort(preference)[0];
    frontier = next;
  }
  return nearestZero;
}
