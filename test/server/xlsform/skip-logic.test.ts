/**
 * Skip logic both ways: show_if conditions written as XLSForm relevant expressions (checked by
 * hand against XLSForm's semantics, where an unanswered question holds ''), and relevant
 * expressions read back, or refused with the reason.
 */
import { describe, expect, it } from 'vitest';
import { parseExpression } from '../../../survey-definitions/expression.ts';
import { printShowIf, relevantOf, relevantToShowIf, type SkipTarget } from '../../../server/xlsform/skip-logic.ts';

const QUESTIONS: Record<string, SkipTarget> = {
  contributed: { id: 'contributed', shape: 'single' },
  roles: { id: 'roles', shape: 'multi' },
  age: { id: 'age', shape: 'value' },
  grid: { id: 'grid', shape: 'untestable' },
  'Lead-Unit': { id: 'lead_unit', shape: 'single' },
};
const lookup = (name: string) => QUESTIONS[name];

describe('show_if as relevant', () => {
  it.each([
    ['contributed == yes', "${contributed} = 'yes'"],
    // Ours is false while the question is unanswered; XLSForm's '!=' alone would be true then.
    ['contributed != yes', "${contributed} != '' and ${contributed} != 'yes'"],
    ['not contributed == yes', "not(${contributed} = 'yes')"],
    ['chair in roles', "selected(${roles}, 'chair')"],
    ['any of chair, troika in roles', "selected(${roles}, 'chair') or selected(${roles}, 'troika')"],
    ['contributed == yes and (chair in roles or age == 3)', "${contributed} = 'yes' and (selected(${roles}, 'chair') or ${age} = '3')"],
    ['not (contributed == yes or contributed == no)', "not(${contributed} = 'yes' or ${contributed} = 'no')"],
    ['contributed != yes or chair in roles', "(${contributed} != '' and ${contributed} != 'yes') or selected(${roles}, 'chair')"],
  ])('%s → %s', (showIf, relevant) => {
    expect(relevantOf(parseExpression(showIf))).toBe(relevant);
  });

  it.each([
    'contributed == yes',
    'contributed != yes',
    'not contributed == yes',
    '"2010_puerto_vallarta" in roles',
    'any of a, b, c in roles',
    'contributed == yes and (chair in roles or age == 3)',
    'not (contributed == yes or contributed == no) and not chair in roles',
    'contributed != yes or chair in roles',
  ])('%s comes back as the same condition', (showIf) => {
    const back = relevantToShowIf(relevantOf(parseExpression(showIf)), lookup);
    expect(back).toEqual({ ok: true, expression: parseExpression(showIf) });
    if (back.ok) expect(parseExpression(printShowIf(back.expression))).toEqual(parseExpression(showIf));
  });
});

describe('relevant as show_if', () => {
  it.each([
    ["${contributed}='yes'", 'contributed == yes'],
    ['${contributed} = "yes"', 'contributed == yes'],
    ["'yes' = ${contributed}", 'contributed == yes'],
    ["${contributed} != 'yes'", 'not contributed == yes'],
    ["selected(${contributed}, 'yes')", 'contributed == yes'],
    ["selected(${roles}, 'chair') or selected(${roles}, 'troika') or ${age} = 4", 'any of chair, troika in roles or age == 4'],
    ["not(selected(${roles}, 'none')) and ${Lead-Unit} = 'other'", 'not none in roles and lead_unit == other'],
    ['${age} = 18', 'age == 18'],
  ])('%s → %s', (relevant, showIf) => {
    const result = relevantToShowIf(relevant, lookup);
    expect(result.ok && printShowIf(result.expression)).toBe(showIf);
  });

  it.each([
    ['${age} * 2 > 10', "unexpected '*' at position 8"],
    ['${age} > 10', "the comparison '>' has no counterpart"],
    ["${roles} = 'chair'", '${roles} allows several answers: test it with selected()'],
    ["${contributed} != ''", 'testing whether ${contributed} is answered has no counterpart'],
    ["${contributed} = ''", 'testing whether ${contributed} is empty has no counterpart'],
    ["${later} = 'yes'", '${later} is not an earlier question of the form'],
    ["selected(${grid}, 'a')", '${grid} is a question whose answer skip logic cannot test'],
    ['count-selected(${roles}) > 2', 'not the function count-selected()'],
    ['string-length(${age}) = 2', 'not the function string-length()'],
    ["today() = '2026-01-01'", 'not the function today()'],
    ['${contributed} = ‘yes’', 'a typographic quote'],
    ["selected(${age}, '3')", 'selected() needs a choice question'],
  ])('%s is refused: %s', (relevant, reason) => {
    const result = relevantToShowIf(relevant, lookup);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(reason);
  });

  it('refuses a hostile nesting without exhausting the stack', () => {
    const result = relevantToShowIf(`${'not('.repeat(5000)}\${contributed} = 'yes'${')'.repeat(5000)}`, lookup);
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('nests more than') });
  });
});
