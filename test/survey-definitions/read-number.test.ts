import { describe, expect, it } from 'vitest';
import { isExactNumber, readNumber, readNumberInAnyConvention, type NumberReading } from '../../survey-definitions/read-number.ts';
import type { Language } from '../../survey-definitions/schema.ts';

const NNBSP = '\u202f';
const NBSP = '\u00a0';
const number = (value: number): NumberReading => ({ kind: 'number', value });
const confirm = (...values: number[]): NumberReading => ({ kind: 'confirm', values });
const invalid: NumberReading = { kind: 'invalid' };

describe('readNumber', () => {
  it.each<[string, Language, NumberReading]>([
    // Groups as each language writes them.
    ['12,000', 'en', number(12000)],
    ['12.000', 'fr', number(12000)],
    ['12.000', 'es', number(12000)],
    ['1,500,000', 'en', number(1500000)],
    ['1.500.000', 'es', number(1500000)],
    ['1.500.000', 'fr', number(1500000)],
    [`12${NNBSP}000`, 'fr', number(12000)],
    [`12${NBSP}000`, 'fr', number(12000)],
    ['12 000', 'fr', number(12000)],
    ['12 000', 'es', number(12000)],
    ['12 000', 'en', number(12000)],
    [`1${NNBSP}500${NNBSP}000,75`, 'fr', number(1500000.75)],
    ["12'000", 'fr', number(12000)],
    // Decimal marks.
    ['12 000,50', 'fr', number(12000.5)],
    ['12 000,50', 'es', number(12000.5)],
    ['12.000,50', 'es', number(12000.5)],
    ['12,000.50', 'en', number(12000.5)],
    ['12,5', 'fr', number(12.5)],
    ['12.5', 'en', number(12.5)],
    ['0,500', 'fr', number(0.5)],
    ['0.500', 'en', number(0.5)],
    [',5', 'es', number(0.5)],
    // Signs, including the typographic minus.
    ['-12,5', 'es', number(-12.5)],
    ['\u221212,5', 'fr', number(-12.5)],
    ['-1,500', 'en', number(-1500)],
    ['+7', 'en', number(7)],
    ['  42  ', 'es', number(42)],
    ['0', 'en', number(0)],
    // Another convention reads a different number: ask, the language's reading first.
    ['12.000', 'en', confirm(12, 12000)],
    ['12,000', 'fr', confirm(12, 12000)],
    ['12,000', 'es', confirm(12, 12000)],
    ['1.234', 'en', confirm(1.234, 1234)],
    // Written by another convention only: ask rather than guess.
    ['1,500,000', 'fr', confirm(1500000)],
    ['1.500.000', 'en', confirm(1500000)],
    ['12,5', 'en', confirm(12.5)],
    ['12.5', 'es', confirm(12.5)],
    ['12,000.50', 'es', confirm(12000.5)],
    ['12.000,50', 'en', confirm(12000.5)],
    // Not numbers in any convention.
    ['abc', 'en', invalid],
    ['', 'fr', invalid],
    ['-', 'es', invalid],
    ['1e5', 'en', invalid],
    ['12.0.0', 'es', invalid],
    ['1,2,3', 'en', invalid],
    ['1 2', 'fr', invalid],
    ['1.500 000', 'es', invalid],
    ['12 €', 'fr', invalid],
    ['Infinity', 'en', invalid],
  ])('%j in %s', (text, language, expected) => {
    expect(readNumber(text, language)).toEqual(expected);
  });

  it('reads the digits it is given; whether they are kept exactly is for validation to say', () => {
    expect(readNumber('9007199254740993', 'en')).toEqual(number(9007199254740992));
  });
});

describe('readNumberInAnyConvention', () => {
  it.each<[string, NumberReading]>([
    ['12 000', number(12000)],
    ['12,5', number(12.5)],
    ['12.5', number(12.5)],
    ['1.500.000', number(1500000)],
    ['1,500,000', number(1500000)],
    ['12.000,50', number(12000.5)],
    ['12.000', confirm(12, 12000)],
    ['12,000', confirm(12000, 12)],
    ['twelve', invalid],
  ])('%j', (text, expected) => {
    expect(readNumberInAnyConvention(text)).toEqual(expected);
  });
});

describe('isExactNumber', () => {
  it.each<[number, boolean]>([
    [0, true],
    [12.5, true],
    [Number.MAX_SAFE_INTEGER, true],
    [-Number.MAX_SAFE_INTEGER, true],
    [9007199254740992, false],
    [JSON.parse('9007199254740993') as number, false],
    [1.797e308, false],
    [-1e20, false],
    [Number.POSITIVE_INFINITY, false],
    [Number.NaN, false],
  ])('%d: %s', (value, exact) => {
    expect(isExactNumber(value)).toBe(exact);
  });
});
