/**
 * A release's "change since the earlier phase": for every question tied across phases (`trend_key`),
 * the earlier phase's published counts beside the later phase's, per group both releases hold.
 *
 * Nothing here is a new figure. Each earlier cell is a cell of the earlier phase's release and each
 * later cell a cell of this release, both already protected jointly with their questionnaire's
 * other releases; a later cell that gathers several codes (a `trend_codes` mapping of two answers
 * onto one earlier answer) is their sum only where every one of them is shown, and hidden
 * otherwise, since a sum beside its shown parts would give the hidden part away. A change (in
 * percentage points) is computed only from shown cells, so it too is known to any reader of the two
 * releases. Paired figures (the same respondents' answers in both phases) rest on counts no release
 * publishes, and are not part of a release.
 */
import { ANSWERED, SUBSTANTIVE, type HiddenReason, type PublishedRelease, type ReleaseTable, type ReleaseTrendTable, type TrendCell } from './release-model.ts';

export type { ReleaseTrendTable, TrendCell };

/** A question tied across phases, as the two questionnaires declare it. */
export interface TrendLink {
  trendKey: string;
  earlierQuestionId: string;
  laterQuestionId: string;
  /** Later code (option, scale point or matrix row) -> the earlier code it stands for; identity where absent. */
  codeMap: Readonly<Record<string, string>>;
}

/** The groups both releases hold, in the later release's order. */
export function sharedGroups(earlier: PublishedRelease, later: PublishedRelease): string[] {
  const before = new Set(earlier.breakdowns.flatMap((b) => b.groups));
  return later.breakdowns.flatMap((b) => b.groups).filter((g) => before.has(g));
}

const mapCode = (link: TrendLink, code: string) => link.codeMap[code] ?? code;

/**
 * The trend tables of two releases of different phases (earlier, later) for the tied questions.
 * A tied question without a table in either release (unpublished, or a type releases do not count)
 * is left out; a matrix gives one table per row of the earlier phase's matrix that the later one asks.
 *
 * @example releaseTrendTables(release2011, release2012, [{ trendKey: 'support_unit', earlierQuestionId: 'g_su', laterQuestionId: 's_su', codeMap: {} }])
 */
export function releaseTrendTables(earlier: PublishedRelease, later: PublishedRelease, links: readonly TrendLink[]): ReleaseTrendTable[] {
  const groups = sharedGroups(earlier, later);
  const out: ReleaseTrendTable[] = [];
  for (const link of links) {
    const laterTables = later.tables.filter((t) => t.questionId === link.laterQuestionId);
    for (const before of earlier.tables.filter((t) => t.questionId === link.earlierQuestionId)) {
      const after = laterTables.find((t) => (t.item ? mapCode(link, t.item) : '') === before.item);
      if (!after || after.type !== before.type) continue;
      const cells: ReleaseTrendTable['cells'] = {};
      for (const group of groups) {
        const row: Record<string, { earlier: TrendCell; later: TrendCell }> = {};
        for (const code of before.rows) {
          row[code] = { earlier: before.cells[group]?.[code] ?? null, later: laterCell(link, after, group, code) };
        }
        cells[group] = row;
      }
      out.push({
        trendKey: link.trendKey,
        earlier: { questionId: before.questionId, item: before.item },
        later: { questionId: after.questionId, item: after.item },
        type: before.type,
        rows: [...before.rows],
        apart: [...before.apart],
        cells,
      });
    }
  }
  return out;
}

/** The later phase's count for an earlier row: the cell, or the sum of the cells mapped onto it when all are shown. */
function laterCell(link: TrendLink, table: ReleaseTable, group: string, earlierRow: string): TrendCell {
  const cellsOf = table.cells[group];
  if (!cellsOf) return null;
  if (earlierRow === ANSWERED || earlierRow === SUBSTANTIVE) return cellsOf[earlierRow] ?? null;
  const parts = table.rows.filter((r) => r !== ANSWERED && r !== SUBSTANTIVE && mapCode(link, r) === earlierRow);
  if (parts.length === 0) return null;
  if (parts.length === 1) return cellsOf[parts[0]!] ?? null;
  // A multiple choice counts a respondent once per option: two options gathered into one are not a sum.
  if (table.type === 'multi') return { count: null, why: 'withheld' };
  let sum = 0;
  let why: HiddenReason | null = null;
  for (const p of parts) {
    const cell = cellsOf[p];
    if (!cell) continue;
    if (cell.count === null) why = why === 'withheld' || cell.why === 'withheld' ? 'withheld' : 'fewer_than_k';
    else sum += cell.count;
  }
  // A sum with a hidden part may be any size: "withheld", never "fewer than k".
  return why === null ? { count: sum } : { count: null, why: 'withheld' };
}

/** A phase's share of a row: count ÷ base where both are shown, else null. The base is `_substantive` for substantive codes when the table has it, else `_answered`. */
export function trendShare(table: ReleaseTrendTable, group: string, row: string, phase: 'earlier' | 'later'): number | null {
  if (row === ANSWERED || row === SUBSTANTIVE) return null;
  const baseRow = table.rows.includes(SUBSTANTIVE) && !table.apart.includes(row) ? SUBSTANTIVE : ANSWERED;
  const cell = table.cells[group]?.[row]?.[phase];
  const base = table.cells[group]?.[baseRow]?.[phase];
  if (!cell || !base || cell.count === null || base.count === null || base.count === 0) return null;
  return cell.count / base.count;
}

/** The change of a row's share from the earlier phase to the later one, in percentage points; null unless both shares are shown. */
export function trendChange(table: ReleaseTrendTable, group: string, row: string): number | null {
  const before = trendShare(table, group, row, 'earlier');
  const after = trendShare(table, group, row, 'later');
  return before === null || after === null ? null : (after - before) * 100;
}
