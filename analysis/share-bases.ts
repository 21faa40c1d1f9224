/**
 * One base per column of shares, said in words. The options' (or scale points') shares are of the
 * respondents who gave a view, so a single choice's add to 100%; "don't know" and the other
 * non-substantive answers are set apart, each as a count with its share of everyone who answered.
 * The dashboard, the report and the CSVs print the sentences built here, so they agree.
 */
import { hiddenLabel, type ChoiceResult, type QuestionResult, type ScaleSummary } from './results.ts';

/** The bases of one table (or one scale row) and the answers counted apart. */
export interface ShareBases {
  /** Respondents who gave a view: the base of the shares; null when hidden. */
  substantive: number | null;
  /** Respondents who answered, a view or not: the base of the answers apart; null when hidden. */
  answered: number | null;
  /** Non-substantive answers ("Don't know"), with their count (null when hidden) and share of `answered`. */
  apart: readonly { label: string; count: number | null; share: number | null; withheld?: boolean }[];
  /** Several options could be chosen: the shares add to more than 100%. */
  multiple?: boolean;
}

const percent = (share: number | null) => (share === null ? null : `${(share * 100).toFixed(1)}%`);
const people = (count: number | null, withheld?: boolean) => (count === null ? hiddenLabel(withheld) : String(count));

/** The bases of a choice result. */
export function choiceShareBases(r: ChoiceResult): ShareBases {
  return { substantive: r.substantive, answered: r.n, apart: r.nonSubstantive, multiple: r.multiple };
}

/** The bases of one scale (or matrix) row: its points' shares are of `n`, its answers apart of `answered`. */
export function scaleRowShareBases(row: ScaleSummary): ShareBases {
  return { substantive: row.n, answered: row.answered, apart: row.nonSubstantive };
}

/**
 * The sentence that says what the shares are of, and the answers kept apart with their own base.
 * Without answers apart, the base is simply "who answered". Counts hidden from an observer read
 * "fewer than 5", or "withheld" when hidden to protect another; a hidden base is not named.
 *
 * @example
 * shareBaseNote({ substantive: 96, answered: 100, apart: [{ label: 'Don’t know', count: 4, share: 0.04 }] });
 * // 'Shares of the 96 who gave a view (they add to 100%). Apart: “Don’t know”, 4 of the 100 who answered (4.0%).'
 * shareBaseNote({ substantive: 30, answered: 30, apart: [], multiple: true });
 * // 'Shares of the 30 who answered; several options could be chosen, so they add to more than 100%.'
 */
export function shareBaseNote(bases: ShareBases): string {
  const who = bases.apart.length ? 'who gave a view' : 'who answered';
  const shares =
    bases.substantive === 0
      ? `No one ${bases.apart.length ? 'gave a view' : 'answered'}, so there are no shares`
      : bases.substantive === null
        ? `Shares of those ${who}, a number not shown`
        : `Shares of the ${bases.substantive} ${who}`;
  const adding = bases.substantive === 0 ? '' : bases.multiple ? '; several options could be chosen, so they add to more than 100%' : ' (they add to 100%)';
  if (!bases.apart.length) return `${shares}${adding}.`;
  const of = bases.answered === null ? 'of those who answered' : `of the ${bases.answered} who answered`;
  const apart = bases.apart.map((a) => `“${a.label}”, ${people(a.count, a.withheld)} ${of}${percent(a.share) === null ? '' : ` (${percent(a.share)})`}`);
  return `${shares}${adding}. Apart: ${apart.join('; ')}.`;
}

/**
 * The note of a matrix, whose rows have bases of their own: which column holds each base.
 *
 * @example
 * matrixBaseNote(['Don’t know']); // 'Each row’s shares are of those who gave a view on it (column “Gave a view”; they add to 100%). Apart: “Don’t know”, with its share of all who answered the row (column “Answered”).'
 */
export function matrixBaseNote(apartLabels: readonly string[]): string {
  const shares = `Each row’s shares are of those who ${apartLabels.length ? 'gave a view on it (column “Gave a view”' : 'answered it (column “Answered”'}; they add to 100%).`;
  if (!apartLabels.length) return shares;
  return `${shares} Apart: ${apartLabels.map((l) => `“${l}”`).join(', ')}, with its share of all who answered the row (column “Answered”).`;
}

/**
 * The base note printed under a result's table: a choice's or a single scale's in numbers, a
 * matrix's by column; null for numbers, rankings and free text (their tables hold counts, or
 * shares of everyone who answered, said in their captions).
 */
export function resultBaseNote(r: QuestionResult): string | null {
  if (r.kind === 'choice') return shareBaseNote(choiceShareBases(r));
  if (r.kind !== 'scale') return null;
  const [first] = r.rows;
  if (r.rows.length === 1 && first && first.code === '') return shareBaseNote(scaleRowShareBases(first));
  return matrixBaseNote(first?.nonSubstantive.map((a) => a.label) ?? []);
}
