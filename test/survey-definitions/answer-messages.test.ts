import { describe, expect, it } from 'vitest';
import { answerProblemMessage } from '../../survey-definitions/answer-messages.ts';
import { LANGUAGES, type Language } from '../../survey-definitions/schema.ts';
import { ANSWER_PROBLEM_CODES, type AnswerProblemCode } from '../../survey-definitions/validate-answers.ts';

/** Params as validateAnswers gives them for each code (see validate-answers.ts). */
const SAMPLE_PARAMS: Record<AnswerProblemCode, Record<string, string | number> | undefined> = {
  not_an_object: undefined,
  unknown_question: undefined,
  invalid_type: { expected: 'option' },
  invalid_option: { value: 'zz' },
  invalid_row: { row: 'r9' },
  duplicate_option: undefined,
  duplicate_rank: undefined,
  exclusive_option: { option: 'none' },
  too_few_selections: { min: 3 },
  too_many_selections: { max: 7 },
  too_few_ranked: { min: 3 },
  too_many_ranked: { max: 7 },
  below_min: { min: 3 },
  above_max: { max: 7 },
  not_integer: undefined,
  ambiguous_number: { text: '12.000', readings: '12 12000' },
  unsafe_number: { limit: Number.MAX_SAFE_INTEGER },
  too_long: { max: 7, length: 9 },
  specify_without_option: undefined,
  specify_required: undefined,
  required: undefined,
  incomplete_matrix: { rows: 'r1, r2', count: 2 },
};

const message = (code: AnswerProblemCode, language: Language, params = SAMPLE_PARAMS[code]) =>
  answerProblemMessage(params ? { code, params } : { code }, language);

describe('answerProblemMessage', () => {
  it('covers every language', () => {
    expect(LANGUAGES).toEqual(['en', 'fr', 'es']);
  });

  describe.each(ANSWER_PROBLEM_CODES.map((code) => [code] as const))('%s', (code) => {
    it('has a non-empty message in English, French and Spanish with no placeholder left', () => {
      for (const language of LANGUAGES) {
        const text = message(code, language);
        expect(text.trim().length).toBeGreaterThan(10);
        expect(text).not.toMatch(/undefined|NaN|\$\{|\{\w+\}/);
      }
    });

    it('has French and Spanish that differ from the English and from each other', () => {
      const en = message(code, 'en');
      const fr = message(code, 'fr');
      const es = message(code, 'es');
      expect(fr).not.toBe(en);
      expect(es).not.toBe(en);
      expect(fr).not.toBe(es);
    });

    it('interpolates its numeric params in every language', () => {
      const params = SAMPLE_PARAMS[code] ?? {};
      const shown = ['min', 'max', 'count'].filter((key) => key in params);
      for (const language of LANGUAGES) {
        const text = message(code, language);
        for (const key of shown) expect(text).toContain(String(params[key]));
      }
    });
  });

  it.each<[AnswerProblemCode, Record<string, string | number>, Language, string]>([
    ['too_many_selections', { max: 3 }, 'en', 'Please select at most 3 options.'],
    ['too_many_selections', { max: 3 }, 'fr', 'Veuillez choisir au plus 3 options.'],
    ['too_many_selections', { max: 3 }, 'es', 'Elija como máximo 3 opciones.'],
    ['too_few_selections', { min: 2 }, 'en', 'Please select at least 2 options.'],
    ['too_few_selections', { min: 1 }, 'en', 'Please select at least 1 option.'],
    ['too_few_selections', { min: 1 }, 'fr', 'Veuillez choisir au moins 1 option.'],
    ['too_few_selections', { min: 1 }, 'es', 'Elija al menos 1 opción.'],
    ['too_few_ranked', { min: 1 }, 'en', 'Please rank at least 1 item.'],
    ['too_many_ranked', { max: 5 }, 'fr', 'Veuillez classer au plus 5 éléments.'],
    ['too_many_ranked', { max: 1 }, 'es', 'Clasifique como máximo 1 elemento.'],
    ['below_min', { min: 0 }, 'en', 'Please enter a number of at least 0.'],
    ['above_max', { max: 100 }, 'es', 'Introduzca un número menor o igual que 100.'],
    // Limits and readings written as the language writes numbers.
    ['above_max', { max: 20000000 }, 'en', 'Please enter a number of at most 20,000,000.'],
    ['above_max', { max: 20000000 }, 'fr', 'Veuillez saisir un nombre inférieur ou égal à 20\u202f000\u202f000.'],
    ['above_max', { max: 20000000 }, 'es', 'Introduzca un número menor o igual que 20.000.000.'],
    ['ambiguous_number', { text: '12.000', readings: '12 12000' }, 'en', '“12.000” could mean 12 or 12,000. Please confirm the number you mean.'],
    ['ambiguous_number', { text: '12,000', readings: '12 12000' }, 'fr', '« 12,000 » peut se lire 12 ou 12\u202f000. Veuillez confirmer le nombre voulu.'],
    ['ambiguous_number', { text: '12,000', readings: '12 12000' }, 'es', '«12,000» puede leerse como 12 o 12.000. Confirme el número que quiere indicar.'],
    [
      'ambiguous_number',
      { text: '1,500,000', readings: '1500000' },
      'fr',
      '« 1,500,000 » n’est pas écrit à la française : s’agit-il de 1\u202f500\u202f000 ? Veuillez confirmer le nombre.',
    ],
    [
      'unsafe_number',
      { limit: Number.MAX_SAFE_INTEGER },
      'en',
      'This number is too large to be kept exactly (at most 9,007,199,254,740,991); please check it.',
    ],
    [
      'unsafe_number',
      { limit: Number.MAX_SAFE_INTEGER },
      'es',
      'Este número es demasiado grande para conservarse con exactitud (como máximo 9.007.199.254.740.991); revíselo.',
    ],
    ['too_long', { max: 200, length: 250 }, 'en', 'Please shorten this answer to 200 characters.'],
    ['too_long', { max: 200, length: 250 }, 'fr', 'Veuillez raccourcir cette réponse à 200 caractères.'],
    ['incomplete_matrix', { rows: 'r2', count: 1 }, 'en', 'Please answer every row (1 missing).'],
    ['incomplete_matrix', { rows: 'r2', count: 1 }, 'fr', 'Veuillez répondre à chaque ligne (1 manquante).'],
    ['incomplete_matrix', { rows: 'r2, r3', count: 2 }, 'fr', 'Veuillez répondre à chaque ligne (2 manquantes).'],
    ['incomplete_matrix', { rows: 'r2', count: 1 }, 'es', 'Responda a todas las filas (falta 1).'],
    ['incomplete_matrix', { rows: 'r2, r3', count: 2 }, 'es', 'Responda a todas las filas (faltan 2).'],
  ])('%s %j in %s: %s', (code, params, language, expected) => {
    expect(answerProblemMessage({ code, params }, language)).toBe(expected);
  });

  it('says what kind of value is expected for numbers and texts', () => {
    expect(answerProblemMessage({ code: 'invalid_type', params: { expected: 'number' } }, 'en')).toBe('Please enter a number.');
    expect(answerProblemMessage({ code: 'invalid_type', params: { expected: 'number' } }, 'fr')).toBe('Veuillez saisir un nombre.');
    expect(answerProblemMessage({ code: 'invalid_type', params: { expected: 'text' } }, 'es')).toBe('Introduzca un texto.');
    expect(answerProblemMessage({ code: 'invalid_type', params: { expected: 'list' } }, 'en')).toBe('This answer is not in the expected form.');
    expect(answerProblemMessage({ code: 'invalid_type' }, 'en')).toBe('This answer is not in the expected form.');
  });

  it('does not need params for a code that has none', () => {
    expect(answerProblemMessage({ code: 'required' }, 'en')).toBe('This question requires an answer.');
    expect(answerProblemMessage({ code: 'required' }, 'fr')).toBe('Cette question demande une réponse.');
    expect(answerProblemMessage({ code: 'required' }, 'es')).toBe('Esta pregunta requiere una respuesta.');
  });
});
