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
   * `suppressTable` chooses them. A cell published elsewhere cannot serve as a complement, nor can one
   * that follows from such cells and zeros alone (e.g. n when nobody skipped or missed the question).
   * Should no protection exist, every cell is hidden, zeros included: a figure left out is better
   * than one given away.
   */
  hiddenCells(threshold: number): ReadonlySet<string> {
    const everything = new Set(this.values.keys());
    const table = { cells: [...this.values].map(([id, value]) => ({ id, value })), relations: this.holdingRelations() };
    try {
      // Published elsewhere but itself small: the other place hides it too (the responses of a small group).
      const small = (id: string) => this.values.get(id)! > 0 && this.values.get(id)! < threshold;
      const pinned = new Set([...this.publishedElsewhere].filter((id) => !small(id)));
      // What follows from pinned cells and zeros alone is as good as published.
      const positive = new Set([...everything].filter((id) => !pinned.has(id) && this.values.get(id)! > 0));
      for (const id of determinedCells(table, positive)) pinned.add(id);
      const { primary, complementary } = suppressTable(table, threshold, { neverComplement: pinned });
      return new Set([...primary, ...complementary]);
    } catch {
      // A count that is not a non-negative integer, or relations that fix a hidden cell whatever is hidden.
      return everything;
    }
  }
}
