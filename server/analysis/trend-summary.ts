/**
 * The last step of the trends: Holm's adjustment across every test of the page (every item, group,
 * paired and overall test together) and each item's result in one sentence. Pure.
 */
import { holmAdjust } from '../../analysis/index.ts';
import type { TrendGroup, TrendItem, TrendTest } from '../../analysis/trend-results.ts';
import { formatP } from './comparison-results.ts';

const pct = (share: number | null | undefined) => (share === null || share === undefined ? '—' : `${(share * 100).toFixed(0)}%`);
/** "+2.16", "−15 points"; no sign on a change that rounds to nothing. */
const signed = (value: number, digits: number, unit = '') => {
  const text = Math.abs(value).toFixed(digits);
  return `${Number(text) === 0 ? '' : value < 0 ? '−' : '+'}${text}${unit}`;
};

/** What moved, in figures: "mean 2.50 → 3.83 (+1.33)", "yes 40% → 80% (+40 points)". */
export function changePhrase(item: Omit<TrendItem, 'summary'>): string {
  if (item.measure === 'scale') {
    const { mean: a } = item.earlier;
    const { mean: b } = item.later;
    if (a === null || a === undefined || b === null || b === undefined) return 'no mean in one of the phases';
    return `mean ${a.toFixed(2)} → ${b.toFixed(2)} (${signed(b - a, 2)})`;
  }
  if (item.measure === 'yes_no' || item.measure === 'option') {
    const [a, b] = [item.earlier.share?.share, item.later.share?.share];
    const what = item.measure === 'yes_no' ? 'yes' : 'chosen by';
    if (a === null || a === undefined || b === null || b === undefined) return `${what}: no share in one of the phases`;
    return `${what} ${pct(a)} → ${pct(b)} (${signed((b - a) * 100, 0, ' points')})`;
  }
  const moved = [...item.change.shares].filter((s) => s.change !== null).sort((x, y) => Math.abs(y.change!) - Math.abs(x.change!))[0];
  return moved ? `largest change: “${moved.label}” ${signed(moved.change! * 100, 0, ' points')}` : 'no shares in one of the phases';
}

function testPhrase(t: TrendTest): string {
  const value = t.effect.value === null ? '' : `${t.effect.title} ${t.effect.value < 0 ? '−' : ''}${Math.abs(t.effect.value).toFixed(2)}`;
  const size = !value ? '' : t.effect.label ? `, ${t.effect.label} effect (${value})` : `, ${value}`;
  return `${t.title} ${formatP(t.pAdjusted ?? t.p)} after adjustment${size}`;
}

/** A note as a clause inside a sentence: first letter lower case, no final full stop. */
const clause = (note: string) => note.charAt(0).toLowerCase() + note.slice(1).replace(/\.$/, '');

/** The item in one sentence, the paired test first (the same respondents), then the overall one. */
export function trendSentence(item: Omit<TrendItem, 'summary'>): string {
  const subject = `‘${item.text}${item.row ? ` – ${item.row.label}` : ''}’`;
  const paired = item.paired.test
    ? `the ${item.paired.n} respondents with a view in both phases: ${testPhrase(item.paired.test)}${(item.paired.test.pAdjusted ?? 1) < 0.05 ? ' (a clear change)' : ' (no clear change)'}`
    : clause(item.paired.note ?? 'no paired test');
  const overall = item.overall.test ? `all respondents of each phase: ${testPhrase(item.overall.test)}` : clause(item.overall.note ?? 'no test');
  return `${subject}: ${changePhrase(item)}. Paired, ${paired}. Overall, ${overall}.`;
}

/** Adjusts every p-value of the groups together (Holm) and writes each item's sentence. */
export function finishTrendGroups(groups: readonly { key: string; label: string; pairs: number; items: Omit<TrendItem, 'summary'>[] }[]): TrendGroup[] {
  const tests = groups.flatMap((g) => g.items.flatMap((item) => [item.paired.test, item.overall.test]));
  const adjusted = holmAdjust(tests.map((t) => t?.p ?? null));
  let at = 0;
  return groups.map((g) => ({
    key: g.key,
    label: g.label,
    pairs: g.pairs,
    items: g.items.map((item) => {
      const [paired, overall] = [item.paired.test, item.overall.test];
      const done = {
        ...item,
        paired: { ...item.paired, test: paired ? { ...paired, pAdjusted: adjusted[at] ?? null } : null },
        overall: { ...item.overall, test: overall ? { ...overall, pAdjusted: adjusted[at + 1] ?? null } : null },
      };
      at += 2;
      return { ...done, summary: trendSentence(done) };
    }),
  }));
}
