/**
 * Number fields of the form: read by the page's language, confirmed when conventions disagree,
 * and written back as the language writes numbers.
 */
import { describe, expect, it } from 'vitest';
import { answersFromForm, type FormFields } from '../../../server/pages/form-data.ts';
import { formatNumber, numberChoiceLabel, numberFieldText, numberInWords } from '../../../server/pages/number-text.ts';
import type { Language } from '../../../survey-definitions/schema.ts';
import type { Question } from '../../../survey-definitions/types.ts';
import { definition, question } from '../../fixtures/survey-definitions.ts';

const questions = (): Question[] => definition([question('amount', 'numeric', { min: 0, max: 1e8 })]).sections[0]!.questions;
const read = (fields: FormFields, language: Language) => answersFromForm(questions(), fields, language);

describe('answersFromForm: number fields', () => {
  it.each<[string, Language, number]>([
    ['12.000', 'es', 12000],
    ['12.000', 'fr', 12000],
    ['12,000', 'en', 12000],
    ['1.500.000', 'es', 1500000],
    ['12 000,50', 'fr', 12000.5],
    ['12\u202f000', 'fr', 12000],
  ])('reads %j in %s as %d', (text, language, value) => {
    expect(read({ amount: text }, language)).toEqual({ answers: { amount: value }, problems: [] });
  });

  it('keeps "12.000" in English as typed and asks which number it is', () => {
    expect(read({ amount: '12.000' }, 'en')).toEqual({
      answers: { amount: '12.000' },
      problems: [{ question: 'amount', code: 'ambiguous_number', params: { text: '12.000', readings: '12 12000' } }],
    });
  });

  it('takes the reading the respondent confirmed for that very text', () => {
    expect(read({ amount: '12.000', 'amount.reading': '12', 'amount.for': '12.000' }, 'en')).toEqual({ answers: { amount: 12 }, problems: [] });
    expect(read({ amount: '12,000', 'amount.reading': '12000', 'amount.for': '12,000' }, 'fr')).toEqual({ answers: { amount: 12000 }, problems: [] });
    expect(read({ amount: '1,500,000', 'amount.reading': '1500000', 'amount.for': '1,500,000' }, 'es')).toEqual({ answers: { amount: 1500000 }, problems: [] });
  });

  it('asks again when the text changed after the confirmation, or the reading is not one of the text', () => {
    expect(read({ amount: '13.000', 'amount.reading': '12', 'amount.for': '12.000' }, 'en').problems).toMatchObject([
      { code: 'ambiguous_number', params: { text: '13.000' } },
    ]);
    expect(read({ amount: '12.000', 'amount.reading': '99', 'amount.for': '12.000' }, 'en').problems).toMatchObject([{ code: 'ambiguous_number' }]);
  });

  it('leaves text that is no number to validation, and an empty field unanswered', () => {
    expect(read({ amount: 'douze' }, 'fr')).toEqual({ answers: { amount: 'douze' }, problems: [] });
    expect(read({ amount: '  ' }, 'fr')).toEqual({ answers: {}, problems: [] });
  });
});

describe('numbers written for the respondent', () => {
  it.each<[number, Language, string]>([
    [12000, 'es', '12.000'],
    [12000, 'en', '12,000'],
    [12000, 'fr', '12\u202f000'],
    [1500000.25, 'es', '1.500.000,25'],
    [0.1234, 'en', '0.1234'],
  ])('formatNumber(%d, %s) is %j, every digit kept', (value, language, text) => {
    expect(formatNumber(value, language)).toBe(text);
  });

  it.each<[number, Language, string | undefined]>([
    [12000, 'en', '12 thousand'],
    [12000, 'fr', '12 mille'],
    [12000, 'es', '12 mil'],
    [1500000, 'fr', '1,5 million'],
    [12, 'en', undefined],
    [12345, 'en', undefined],
  ])('numberInWords(%d, %s) is %j', (value, language, words) => {
    expect(numberInWords(value, language)).toBe(words);
  });

  it('labels a reading with its digits and, where exact, its words', () => {
    expect(numberChoiceLabel(12000, 'en')).toBe('12,000 (12 thousand)');
    expect(numberChoiceLabel(12, 'en')).toBe('12');
  });

  it('writes a saved number back into its field so that the same language reads it again', () => {
    expect(numberFieldText(12000, 'es')).toEqual({ text: '12000', carriesValue: false });
    expect(numberFieldText(12.5, 'fr')).toEqual({ text: '12,5', carriesValue: false });
    // "12.345" in English could be 12,345: the page carries the value it shows.
    expect(numberFieldText(12.345, 'en')).toEqual({ text: '12.345', carriesValue: true });
    expect(numberFieldText(12.345, 'es')).toEqual({ text: '12,345', carriesValue: true });
  });
});
