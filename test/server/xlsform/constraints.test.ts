/**
 * Answer limits both ways: written as XLSForm constraints, and constraints read back as limits or
 * refused.
 */
import { describe, expect, it } from 'vitest';
import { constraintOf, constraintToLimits } from '../../../server/xlsform/constraints.ts';

describe('constraints', () => {
  it('writes each limit as the XLSForm idiom', () => {
    expect(constraintOf({ min: 0, max: 100 })).toBe('. >= 0 and . <= 100');
    expect(constraintOf({ minSelections: 1, maxSelections: 3, exclusive: ['none'] })).toBe(
      "count-selected(.) >= 1 and count-selected(.) <= 3 and not(selected(., 'none') and count-selected(.) > 1)",
    );
    expect(constraintOf({ maxLength: 500 })).toBe('string-length(.) <= 500');
    expect(constraintOf({})).toBe('');
  });

  it.each([
    ['. >= 0 and . <= 100', false, { min: 0, max: 100 }],
    ['.>=0 and .<=100', true, { min: 0, max: 100 }],
    ['0 <= . and 100 >= .', false, { min: 0, max: 100 }],
    ['. > 0 and . < 120', true, { min: 1, max: 119 }],
    ['. <= 10000000', true, { max: 10_000_000 }],
    ['. >= -5.5', false, { min: -5.5 }],
    ['count-selected(.) <= 3', true, { maxSelections: 3 }],
    ["not(selected(., 'none') and count-selected(.) > 1)", true, { exclusive: ['none'] }],
    ['string-length(.) <= 500', true, { maxLength: 500 }],
  ])('%s → limits', (constraint, whole, limits) => {
    expect(constraintToLimits(constraint, whole)).toEqual({ ok: true, limits });
  });

  it.each([
    ['. > 0', false, 'strict limit'],
    ["regex(., '^[0-9]+$')", true, 'only limits on the answer'],
    ['. >= ${other}', true, 'compare the answer with a number'],
    ['. != 3', true, "'!=' is not a limit"],
    ['string-length(.) >= 2', true, 'minimum length'],
    ['. >= 0 or . <= 100', true, 'only limits on the answer'],
  ])('%s is refused', (constraint, whole, reason) => {
    const result = constraintToLimits(constraint, whole);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(reason);
  });
});
