/**
 * tables.csv: each coded question's counts by stakeholder kind and region, counted while the row
 * file streams past (so the tables describe exactly the published responses), then protected by
 * primary and complementary suppression. Memory grows with the number of questions, codes and
 * groups, never with the number of responses.
 */
import { crossTable, suppressTable, type CountTable, type Relation, type SuppressionResult } from '../../analysis/disclosure/table-suppression.ts';
import type { ExportColumn } from './export-columns.ts';

/** The code of the row holding the number of respondents who answered. */
export const ANSWERED_ROW = '_answered';
/**
 * The code of the row holding the number who gave a view (answered other than "don't know" and
 * the like): the base of the options' shares, in the tables of questions with such answers.
 */
export const SUBSTANTIVE_ROW = '_substantive';
const ALL = 'all';

interface TableSpec {
  key: string;
  questionId: string;
  item: string;
  text: string;
  /** Table rows: codes (partition) or options (multiple choice, any number per respondent). */
  rows: { code: string; label: string }[];
  partition: boolean;
  /** Columns of the row file feeding the table, with the row each '1' counts in (flags only). */
  sources: { index: number; flagRow?: string }[];
  /** Codes of the rows, to skip a code the current version no longer has (the sums must hold). */
  known: Set<string>;
  /** Row codes that give no view ("don't know"): counted apart from {@link SUBSTANTIVE_ROW}. */
  apart: Set<string>;
}

export interface PublishedTableCell {
  questionId: string;
  item: string;
  question: string;
  kind: string;
  region: string;
  code: string;
  label: string;
  /** The code of the row whose count (same question, item and group) is this row's base: '' for the answered row. */
  base: string;
  /** The count, or null when suppressed. */
  count: number | null;
}

export interface TableSummary {
  tables: number;
  cells: number;
  primary: number;
  complementary: number;
}

const leaf = (kind: string, region: string) => `${kind}/${region}`;

/** The cell of a table's grand total in {@link crossTable}'s id scheme: how many answered in all. */
const GRAND_TOTAL = `_total|${ALL}`;

/**
 * Suppression that keeps the number who answered in all whenever another cell can protect the
 * small ones (the base of every share a reader computes); only when none can is it hidden too.
 */
function suppressWithBase(table: CountTable, threshold: number): SuppressionResult {
  try {
    return suppressTable(table, threshold, { neverComplement: new Set([GRAND_TOTAL]) });
  } catch {
    return suppressTable(table, threshold);
  }
}

/**
 * The sums a reader knows once a table has a {@link SUBSTANTIVE_ROW}, per column: the answered are
 * those who gave a view plus those counted apart (when every column says so: a multiple choice's
 * "don't know" may not be exclusive), and for one code per respondent, those who gave a view are
 * the sum of the options.
 */
function baseRelations(
  columns: readonly string[],
  codes: readonly string[],
  apart: readonly string[],
  partition: boolean,
  countIn: (row: string, column: string) => number,
): Relation[] {
  const id = (row: string, column: string) => `${row}|${column}`;
  const relations: Relation[] = [];
  const exclusive = columns.every((c) => countIn(ANSWERED_ROW, c) === countIn(SUBSTANTIVE_ROW, c) + apart.reduce((sum, code) => sum + countIn(code, c), 0));
  for (const column of columns) {
    if (exclusive) relations.push({ total: id('_total', column), parts: [id(SUBSTANTIVE_ROW, column), ...apart.map((code) => id(code, column))] });
    if (partition) relations.push({ total: id(SUBSTANTIVE_ROW, column), parts: codes.filter((code) => !apart.includes(code)).map((code) => id(code, column)) });
  }
  return relations;
}

/** Counts answers per table, code and (kind, region) group as rows stream past. */
export class TableCounter {
  private readonly specs: TableSpec[] = [];
  /** table key -> row code -> leaf group -> count */
  private readonly counts = new Map<string, Map<string, Map<string, number>>>();
  private readonly groups = new Set<string>();

  constructor(columns: readonly ExportColumn[]) {
    const flags = new Map<string, TableSpec>();
    columns.forEach((column, index) => {
      if (column.tabulated === 'partition') {
        this.specs.push({
          key: column.name,
          questionId: column.questionId,
          item: column.item,
          text: column.text,
          rows: column.codes,
          partition: true,
          sources: [{ index }],
          known: new Set(column.codes.map((c) => c.code)),
          apart: new Set(column.apart),
        });
      } else if (column.tabulated === 'flag') {
        let spec = flags.get(column.questionId);
        if (!spec) {
          spec = {
            key: column.questionId,
            questionId: column.questionId,
            item: '',
            text: column.question,
            rows: [],
            partition: false,
            sources: [],
            known: new Set(),
            apart: new Set(column.apart),
          };
          flags.set(column.questionId, spec);
          this.specs.push(spec);
        }
        spec.rows.push({ code: column.item, label: column.itemLabel });
        spec.sources.push({ index, flagRow: column.item });
      }
    });
  }

  private add(table: string, row: string, group: string): void {
    let rows = this.counts.get(table);
    if (!rows) {
      rows = new Map();
      this.counts.set(table, rows);
    }
    let groups = rows.get(row);
    if (!groups) {
      groups = new Map();
      rows.set(row, groups);
    }
    groups.set(group, (groups.get(group) ?? 0) + 1);
  }

  /** Counts one published response (its true kind and region, before any generalisation). */
  count(kind: string, region: string, cells: readonly string[]): void {
    const group = leaf(kind, region);
    this.groups.add(group);
    for (const spec of this.specs) {
      const first = cells[spec.sources[0]!.index]!;
      if (first.startsWith('.')) continue; // hidden, not answered or not asked
      if (spec.partition && !spec.known.has(first)) continue;
      this.add(spec.key, ANSWERED_ROW, group);
      let gaveView = false;
      for (const source of spec.sources) {
        const value = cells[source.index]!;
        const row = source.flagRow === undefined ? value : value === '1' ? source.flagRow : undefined;
        if (row === undefined) continue;
        this.add(spec.key, row, group);
        if (!spec.apart.has(row)) gaveView = true;
      }
      if (gaveView && spec.apart.size) this.add(spec.key, SUBSTANTIVE_ROW, group);
    }
  }

  /**
   * The published cells of every table: for each row code (and the answered row), the count in all
   * groups, per kind, and per kind and region; counts 1..threshold-1 and their complements hidden
   * (`threshold` null: every count shown, for the Assessment Team's own working data).
   */
  publish(threshold: number | null): { cells: PublishedTableCell[]; summary: TableSummary } {
    const leaves = [...this.groups].sort();
    const kinds = [...new Set(leaves.map((g) => g.split('/')[0]!))].sort();
    // A breakdown with a single group repeats its parent cell for cell: it is left out (one kind
    // only, or a kind with one region). Identical columns would also make every small count need
    // a complement in each copy.
    const kindOf = (group: string) => group.split('/')[0]!;
    const byKind = kinds.length > 1;
    const columns = [
      { id: ALL },
      ...(byKind ? kinds.map((k) => ({ id: k, parent: ALL })) : []),
      ...leaves.filter((g) => leaves.filter((other) => kindOf(other) === kindOf(g)).length > 1).map((g) => ({ id: g, parent: byKind ? kindOf(g) : ALL })),
    ];
    const cells: PublishedTableCell[] = [];
    const summary: TableSummary = { tables: 0, cells: 0, primary: 0, complementary: 0 };
    for (const spec of this.specs) {
      const counts = this.counts.get(spec.key) ?? new Map<string, Map<string, number>>();
      const countIn = (row: string, column: string) => {
        const byGroup = counts.get(row);
        if (!byGroup) return 0;
        if (column === ALL) return [...byGroup.values()].reduce((a, b) => a + b, 0);
        if (!column.includes('/')) return leaves.filter((g) => g.startsWith(`${column}/`)).reduce((sum, g) => sum + (byGroup.get(g) ?? 0), 0);
        return byGroup.get(column) ?? 0;
      };
      const codes = spec.rows.map((r) => r.code);
      const apart = codes.filter((code) => spec.apart.has(code));
      const crossed = crossTable({
        rows: apart.length ? [...codes, SUBSTANTIVE_ROW] : codes,
        columns,
        count: countIn,
        columnTotal: (column) => countIn(ANSWERED_ROW, column),
        rowsPartition: spec.partition && !apart.length,
      });
      const table = apart.length
        ? {
            ...crossed,
            relations: [
              ...crossed.relations,
              ...baseRelations(
                columns.map((c) => c.id),
                codes,
                apart,
                spec.partition,
                countIn,
              ),
            ],
          }
        : crossed;
      const hidden = threshold === null ? { primary: new Set<string>(), complementary: new Set<string>() } : suppressWithBase(table, threshold);
      summary.tables += 1;
      summary.cells += table.cells.length;
      summary.primary += hidden.primary.size;
      summary.complementary += hidden.complementary.size;
      const labels = new Map(spec.rows.map((r) => [r.code, r.label]));
      for (const cell of table.cells) {
        const separator = cell.id.indexOf('|');
        const row = cell.id.slice(0, separator);
        const column = cell.id.slice(separator + 1);
        const [kind, region] = column === ALL ? [ALL, ALL] : column.includes('/') ? column.split('/') : [column, ALL];
        const code = row === '_total' ? ANSWERED_ROW : row;
        cells.push({
          questionId: spec.questionId,
          item: spec.item,
          question: spec.text,
          kind: kind!,
          region: region!,
          code,
          label:
            code === ANSWERED_ROW
              ? 'respondents who answered'
              : code === SUBSTANTIVE_ROW
                ? 'respondents who gave a view (answered other than the answers counted apart)'
                : (labels.get(code) ?? code),
          base: code === ANSWERED_ROW ? '' : apart.length && code !== SUBSTANTIVE_ROW && !spec.apart.has(code) ? SUBSTANTIVE_ROW : ANSWERED_ROW,
          count: hidden.primary.has(cell.id) || hidden.complementary.has(cell.id) ? null : cell.value,
        });
      }
    }
    return { cells, summary };
  }
}
