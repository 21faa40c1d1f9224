/**
 * The small-count rule of every published figure, with threshold k (5 by default): a count from 1
 * to k − 1 is never shown and reads "fewer than k"; zero is shown ("nobody" discloses no one). The
 * same rule holds for a change since an earlier release: a figure that moved by 1 to k − 1 would
 * give those few responses away.
 */

/**
 * Is `value` from 1 to k − 1: a count, or a change of one, that is never shown?
 *
 * @example
 * isSmallCount(3, 5); // true
 * isSmallCount(0, 5); // false
 */
export function isSmallCount(value: number, k: number): boolean {
  return value > 0 && value < k;
}

/**
 * What a reader knows of a count that reads "fewer than k": it is from 1 to k − 1.
 *
 * @example
 * smallCountRange(5); // { min: 1, max: 4 }
 */
export function smallCountRange(k: number): { min: number; max: number } {
  return { min: 1, max: k - 1 };
}
