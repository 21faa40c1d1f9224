import { describe, expect, it } from 'vitest';
import type { AnswerValue } from '../../survey-definitions/answers.ts';
import type { SurveyDefinition } from '../../survey-definitions/types.ts';
import { validateAnswers, type AnswerProblem, type ValidationMode } from '../../survey-definitions/validate-answers.ts';
import { definition, option, question } from '../fixtures/survey-definitions.ts';

/** One question of every type (none required, no skip logic). */
function allTypes(): SurveyDefinition {
  return definition([
    question('yn', 'yes_no'),
    question('yn_dk', 'yes_no', { dont_know: true }),
    question('single', 'single_choice', { options: [option('a'), option('b'), option('other', { specify: true })] }),
    question('multi', 'multi_choice', {
      options: [option('a'), option('b'), option('c'), option('other', { specify: true }), option('none', { exclusive: true })],
      min_selections: 2,
      max_selections: 3,
    }),
    question('rank', 'ranking', { options: [option('a'), option('b'), option('c'), option('d')], min_ranked: 2, max_ranked: 3 }),
    question('agree', 'scale'),
    question('grid', 'matrix'),
    question('num', 'numeric', { min: 0, max: 100 }),
    question('whole', 'numeric', { integer: true, max: 1e9 }),
    question('short', 'short_text', { max_length: 5 }),
    question('long', 'long_text'),
    question('country', 'country'),
    question('any_country', 'country', { countries: 'all' }),
    question('state', 'country', { countries: 'un_states' }),
  ]);
}

const validate = (input: unknown, mode: ValidationMode = 'draft') => validateAnswers(allTypes(), input, mode);

describe('validateAnswers: numbers that cannot be kept exactly', () => {
  /** A question without `max`, as in a snapshot published before `max` was required. */
  function unbounded(): SurveyDefinition {
    const d = definition([question('whole', 'numeric', { integer: true })]);
    delete (d.sections[0]!.questions[0] as { max?: number }).max;
    return d;
  }
  it.each<[string, unknown]>([
    ['2^53 + 1 as JSON.parse reads it', JSON.parse('9007199254740993')],
    ['1.797e308', 1.797e308],
    ['-(2^53 + 1) given as text', '-9007199254740993'],
  ])('%s is refused even without max', (_, value) => {
    expect(validateAnswers(unbounded(), { whole: value }, 'draft').problems).toEqual([
      { question: 'whole', code: 'unsafe_number', params: { limit: Number.MAX_SAFE_INTEGER } },
    ]);
  });

  it('keeps the largest whole number that is exact', () => {
    expect(validateAnswers(unbounded(), { whole: Number.MAX_SAFE_INTEGER }, 'draft').answers).toEqual({ whole: Number.MAX_SAFE_INTEGER });
  });
});

describe('validateAnswers: valid values are kept, normalised', () => {
  it.each<[string, unknown, AnswerValue]>([
    ['yn', 'yes', 'yes'],
    ['yn', 'no', 'no'],
    ['yn_dk', 'dk', 'dk'],
    ['single', 'b', 'b'],
    ['agree', '3', '3'],
    ['agree', 'dk', 'dk'],
    ['multi', ['a', 'c'], ['a', 'c']],
    ['multi', 'a', ['a']],
    ['multi', ['none'], ['none']],
    ['rank', ['c', 'a', 'd'], ['c', 'a', 'd']],
    ['grid', { r1: '1', r2: 'dk' }, { r1: '1', r2: 'dk' }],
    ['grid', { r1: '2', r2: '' }, { r1: '2' }],
    ['num', 12, 12],
    ['num', '12', 12],
    ['num', '12,5', 12.5],
    ['num', '12.5', 12.5],
    ['num', ' 7 ', 7],
    ['num', 0, 0],
    ['num', '100', 100],
    ['whole', '-3', -3],
    ['whole', '12.0', 12],
    ['whole', '25 000', 25000],
    ['whole', '25\u00a0000\u00a0000', 25000000],
    ['whole', '-1 500', -1500],
    ['whole', '1.500.000', 1500000],
    ['whole', '1,500,000', 1500000],
    ['whole', '12\u202f000', 12000],
    ['num', '12,50', 12.5],
    ['short', '  hello  ', 'hello'],
    ['short', 'ééééé', 'ééééé'],
    ['short', '😀😀😀😀😀', '😀😀😀😀😀'],
    ['short', 'ab\r\ncd', 'ab\ncd'],
    ['long', 'line one\r\nline two\r\n', 'line one\nline two'],
    ['country', 'sen', 'SEN'],
    ['country', ' Fra ', 'FRA'],
    ['country', 'CIV', 'CIV'],
    ['any_country', 'vat', 'VAT'],
    ['any_country', 'TWN', 'TWN'],
    ['state', 'pse', 'PSE'],
    ['state', 'VAT', 'VAT'],
  ])('%s: %j is stored as %j', (id, value, stored) => {
    const result = validate({ [id]: value });
    expect(result.problems).toEqual([]);
    expect(result.answers).toEqual({ [id]: stored });
  });

  it('counts text length in characters, not UTF-16 units', () => {
    // 5 emoji are 10 UTF-16 units; 5 decomposable letters typed precomposed are 5.
    expect(validate({ short: '😀😀😀😀😀' }).problems).toEqual([]);
    expect(validate({ short: 'ñandú' }).problems).toEqual([]);
    expect(validate({ short: '😀😀😀😀😀😀' }).problems).toEqual([{ question: 'short', code: 'too_long', params: { max: 5, length: 6 } }]);
  });

  it('counts CRLF as one character and ignores surrounding blanks', () => {
    expect(validate({ short: ' ab\r\ncd ' })).toEqual({ answers: { short: 'ab\ncd' }, problems: [] });
  });

  it('keeps every valid answer of a full response', () => {
    const input = {
      yn: 'yes',
      single: 'other',
      'single.other': '  A regional process ',
      multi: ['a', 'other'],
      'multi.other': 'Trade unions',
      rank: ['b', 'a'],
      agree: '2',
      grid: { r1: '3', r2: '1' },
      num: '42',
      short: 'ok',
      country: 'mex',
    };
    expect(validate(input, 'submit')).toEqual({
      answers: {
        yn: 'yes',
        single: 'other',
        'single.other': 'A regional process',
        multi: ['a', 'other'],
        'multi.other': 'Trade unions',
        rank: ['b', 'a'],
        agree: '2',
        grid: { r1: '3', r2: '1' },
        num: 42,
        short: 'ok',
        country: 'MEX',
      },
      problems: [],
    });
  });

  it('does not change the input', () => {
    const input = { num: '12,5', short: '  x ', multi: 'a' };
    validate(input);
    expect(input).toEqual({ num: '12,5', short: '  x ', multi: 'a' });
  });
});

describe('validateAnswers: problems', () => {
  it.each<[string, Record<string, unknown>, AnswerProblem[]]>([
    ['invalid_option: single choice', { single: 'z' }, [{ question: 'single', code: 'invalid_option', params: { value: 'z' } }]],
    ['invalid_option: "dk" without "don\'t know"', { yn: 'dk' }, [{ question: 'yn', code: 'invalid_option', params: { value: 'dk' } }]],
    ['invalid_option: scale point out of range', { agree: '7' }, [{ question: 'agree', code: 'invalid_option', params: { value: '7' } }]],
    ['invalid_option: option codes are case-sensitive', { single: 'A' }, [{ question: 'single', code: 'invalid_option', params: { value: 'A' } }]],
    ['invalid_option: multi choice', { multi: ['a', 'zz'] }, [{ question: 'multi', code: 'invalid_option', params: { value: 'zz' } }]],
    ['invalid_option: ranking', { rank: ['a', 'e'] }, [{ question: 'rank', code: 'invalid_option', params: { value: 'e' } }]],
    ['invalid_option: matrix cell', { grid: { r1: '9' } }, [{ question: 'grid', code: 'invalid_option', params: { value: '9', row: 'r1' } }]],
    ['invalid_option: matrix cell as a number', { grid: { r1: 2 } }, [{ question: 'grid', code: 'invalid_option', params: { value: '2', row: 'r1' } }]],
    ['invalid_option: alpha-2 country code', { country: 'SN' }, [{ question: 'country', code: 'invalid_option', params: { value: 'SN' } }]],
    ['invalid_option: unknown country code', { country: 'XYZ' }, [{ question: 'country', code: 'invalid_option', params: { value: 'XYZ' } }]],
    ['invalid_option: Holy See is not a UN member', { country: 'VAT' }, [{ question: 'country', code: 'invalid_option', params: { value: 'VAT' } }]],
    ['invalid_option: Taiwan is not a UN member', { country: 'twn' }, [{ question: 'country', code: 'invalid_option', params: { value: 'twn' } }]],
    ['invalid_option: Taiwan is not a UN observer state either', { state: 'TWN' }, [{ question: 'state', code: 'invalid_option', params: { value: 'TWN' } }]],
    ['invalid_type: number for a choice', { agree: 3 }, [{ question: 'agree', code: 'invalid_type', params: { expected: 'option' } }]],
    ['invalid_type: list for a single choice', { single: ['a'] }, [{ question: 'single', code: 'invalid_type', params: { expected: 'option' } }]],
    ['invalid_type: boolean for yes/no', { yn: true }, [{ question: 'yn', code: 'invalid_type', params: { expected: 'option' } }]],
    ['invalid_type: non-text in a list', { multi: ['a', 1] }, [{ question: 'multi', code: 'invalid_type', params: { expected: 'list' } }]],
    ['invalid_type: object for a ranking', { rank: { a: 1 } }, [{ question: 'rank', code: 'invalid_type', params: { expected: 'list' } }]],
    ['invalid_type: list for a matrix', { grid: ['1'] }, [{ question: 'grid', code: 'invalid_type', params: { expected: 'rows' } }]],
    ['invalid_type: words for a number', { num: 'twelve' }, [{ question: 'num', code: 'invalid_type', params: { expected: 'number' } }]],
    ['invalid_type: exponent notation', { num: '1e3' }, [{ question: 'num', code: 'invalid_type', params: { expected: 'number' } }]],
    ['invalid_type: spaces that do not group thousands', { num: '1 00' }, [{ question: 'num', code: 'invalid_type', params: { expected: 'number' } }]],
    ['invalid_type: NaN', { num: Number.NaN }, [{ question: 'num', code: 'invalid_type', params: { expected: 'number' } }]],
    ['invalid_type: Infinity', { num: Number.POSITIVE_INFINITY }, [{ question: 'num', code: 'invalid_type', params: { expected: 'number' } }]],
    ['invalid_type: number for a text', { short: 42 }, [{ question: 'short', code: 'invalid_type', params: { expected: 'text' } }]],
    ['invalid_type: number for a country', { country: 686 }, [{ question: 'country', code: 'invalid_type', params: { expected: 'country' } }]],
    [
      'invalid_type: non-text "please specify"',
      { single: 'other', 'single.other': 5 },
      [{ question: 'single.other', code: 'invalid_type', params: { expected: 'text' } }],
    ],
    ['unknown_question', { nope: 'x' }, [{ question: 'nope', code: 'unknown_question' }]],
    ['unknown_question: a suffix other than .other', { 'single.comment': 'x' }, [{ question: 'single.comment', code: 'unknown_question' }]],
    ['unknown_question: .other of an unknown question', { 'nope.other': 'x' }, [{ question: 'nope.other', code: 'unknown_question' }]],
    ['unknown_question: a key below .other', { single: 'other', 'single.other.x': 'x' }, [{ question: 'single.other.x', code: 'unknown_question' }]],
    ['duplicate_option: multi choice', { multi: ['a', 'a'] }, [{ question: 'multi', code: 'duplicate_option' }]],
    ['duplicate_option: ranking', { rank: ['b', 'a', 'b'] }, [{ question: 'rank', code: 'duplicate_option' }]],
    ['exclusive_option', { multi: ['a', 'none'] }, [{ question: 'multi', code: 'exclusive_option', params: { option: 'none' } }]],
    ['too_many_selections', { multi: ['a', 'b', 'c', 'other'] }, [{ question: 'multi', code: 'too_many_selections', params: { max: 3 } }]],
    ['too_many_ranked', { rank: ['a', 'b', 'c', 'd'] }, [{ question: 'rank', code: 'too_many_ranked', params: { max: 3 } }]],
    ['below_min', { num: '-1' }, [{ question: 'num', code: 'below_min', params: { min: 0 } }]],
    [
      'ambiguous_number: "12.000" is 12 or 12,000 (no language to choose)',
      { whole: '12.000' },
      [{ question: 'whole', code: 'ambiguous_number', params: { text: '12.000', readings: '12 12000' } }],
    ],
    [
      'ambiguous_number: "12,000" is 12,000 or 12',
      { whole: ' 12,000 ' },
      [{ question: 'whole', code: 'ambiguous_number', params: { text: '12,000', readings: '12000 12' } }],
    ],
    ['above_max: 1.797e308', { num: 1.797e308 }, [{ question: 'num', code: 'above_max', params: { max: 100 } }]],
    ['above_max', { num: 100.5 }, [{ question: 'num', code: 'above_max', params: { max: 100 } }]],
    ['not_integer', { whole: '12,5' }, [{ question: 'whole', code: 'not_integer' }]],
    ['too_long: short text', { short: '123456' }, [{ question: 'short', code: 'too_long', params: { max: 5, length: 6 } }]],
    ['too_long: long text (default 2000)', { long: 'x'.repeat(2001) }, [{ question: 'long', code: 'too_long', params: { max: 2000, length: 2001 } }]],
    [
      'too_long: "please specify" text',
      { single: 'other', 'single.other': 'x'.repeat(201) },
      [{ question: 'single.other', code: 'too_long', params: { max: 200 } }],
    ],
    ['invalid_row', { grid: { r1: '1', r9: '2' } }, [{ question: 'grid', code: 'invalid_row', params: { row: 'r9' } }]],
    ['specify_without_option: another option chosen', { single: 'a', 'single.other': 'x' }, [{ question: 'single.other', code: 'specify_without_option' }]],
    ['specify_without_option: no answer at all', { 'multi.other': 'x' }, [{ question: 'multi.other', code: 'specify_without_option' }]],
  ])('%s', (_name, input, problems) => {
    const result = validate(input);
    expect(result.problems).toEqual(problems);
  });

  describe('a value nested deeper than any answer is refused before it is walked', () => {
    const nested = (depth: number, inner: unknown = '1'): unknown => {
      let value = inner;
      for (let i = 0; i < depth; i++) value = [value];
      return value;
    };
    it.each<[string, Record<string, unknown>, AnswerProblem[]]>([
      ['a matrix cell nested 10,000 arrays deep', { grid: { r1: nested(10_000) } }, [{ question: 'grid', code: 'invalid_type', params: { expected: 'rows' } }]],
      ['a list nested 10,000 deep', { multi: nested(10_000) }, [{ question: 'multi', code: 'invalid_type', params: { expected: 'list' } }]],
      ['a text nested in objects', { short: { a: { b: { c: { d: 'x' } } } } }, [{ question: 'short', code: 'invalid_type', params: { expected: 'text' } }]],
      [
        'a "please specify" text nested 10,000 deep',
        { 'single.other': nested(10_000) },
        [{ question: 'single.other', code: 'invalid_type', params: { expected: 'text' } }],
      ],
      [
        'a matrix cell nested 3 deep is merely not an option',
        { grid: { r1: nested(3) } },
        [{ question: 'grid', code: 'invalid_option', params: { value: '1', row: 'r1' } }],
      ],
    ])('%s', (_name, input, problems) => {
      expect(validate({ ...input, yn: 'yes' })).toEqual({ answers: { yn: 'yes' }, problems });
    });
  });

  it('does not store an answer that has a problem, but keeps the others', () => {
    expect(validate({ single: 'z', yn: 'yes', num: '500' })).toEqual({
      answers: { yn: 'yes' },
      problems: [
        { question: 'single', code: 'invalid_option', params: { value: 'z' } },
        { question: 'num', code: 'above_max', params: { max: 100 } },
      ],
    });
  });

  it('a "please specify" text of up to 200 characters fits, counted in characters', () => {
    const emoji = '😀'.repeat(200);
    expect(validate({ single: 'other', 'single.other': emoji })).toEqual({ answers: { single: 'other', 'single.other': emoji }, problems: [] });
  });

  it('reports only the problem of the answer, not its "please specify" text as well', () => {
    expect(validate({ multi: ['other', 'none'], 'multi.other': 'Something' }).problems).toEqual([
      { question: 'multi', code: 'exclusive_option', params: { option: 'none' } },
    ]);
  });
});

describe('validateAnswers: draft and submit', () => {
  it('too_few_selections only at submit', () => {
    expect(validate({ multi: ['a'] }, 'draft').problems).toEqual([]);
    expect(validate({ multi: ['a'] }, 'submit').problems).toEqual([{ question: 'multi', code: 'too_few_selections', params: { min: 2 } }]);
    expect(validate({ multi: ['a', 'b'] }, 'submit').problems).toEqual([]);
  });

  it('an exclusive option ("none of these") is a complete answer, whatever min_selections says', () => {
    expect(validate({ multi: ['none'] }, 'submit')).toEqual({ answers: { multi: ['none'] }, problems: [] });
  });

  it('too_few_ranked only at submit', () => {
    expect(validate({ rank: ['a'] }, 'draft').problems).toEqual([]);
    expect(validate({ rank: ['a'] }, 'submit').problems).toEqual([{ question: 'rank', code: 'too_few_ranked', params: { min: 2 } }]);
  });

  it('specify_required only at submit', () => {
    expect(validate({ single: 'other' }, 'draft')).toEqual({ answers: { single: 'other' }, problems: [] });
    expect(validate({ single: 'other' }, 'submit').problems).toEqual([{ question: 'single.other', code: 'specify_required' }]);
    expect(validate({ multi: ['a', 'other'] }, 'submit').problems).toEqual([{ question: 'multi.other', code: 'specify_required' }]);
    expect(validate({ multi: ['a', 'other'], 'multi.other': '   ' }, 'submit').problems).toEqual([{ question: 'multi.other', code: 'specify_required' }]);
  });

  function requiredDefinition(): SurveyDefinition {
    return definition([
      question('attended', 'yes_no', { required: true }),
      question('meetings', 'multi_choice', { options: [{ from: 'meetings' }], required: true, show_if: 'attended == yes' }),
      question('why_not', 'long_text', { required: true, show_if: 'attended == no' }),
      question('grid', 'matrix', { required: true }),
      question('optional_grid', 'matrix'),
      question('comment', 'short_text'),
    ]);
  }

  it('required only at submit, and only for visible questions', () => {
    const def = requiredDefinition();
    expect(validateAnswers(def, {}, 'draft').problems).toEqual([]);
    expect(validateAnswers(def, {}, 'submit').problems).toEqual([
      { question: 'attended', code: 'required' },
      { question: 'grid', code: 'required' },
    ]);
    expect(validateAnswers(def, { attended: 'no', grid: { r1: '1', r2: '2' } }, 'submit').problems).toEqual([{ question: 'why_not', code: 'required' }]);
    expect(validateAnswers(def, { attended: 'yes', grid: { r1: '1', r2: '2' } }, 'submit').problems).toEqual([{ question: 'meetings', code: 'required' }]);
    expect(validateAnswers(def, { attended: 'yes', meetings: ['none'], grid: { r1: '1', r2: '2' } }, 'submit').problems).toEqual([]);
  });

  it('an empty answer to a required question is no answer', () => {
    const def = requiredDefinition();
    expect(validateAnswers(def, { attended: '  ', grid: {} }, 'submit').problems).toEqual([
      { question: 'attended', code: 'required' },
      { question: 'grid', code: 'required' },
    ]);
  });

  it('incomplete_matrix at submit for a required matrix only', () => {
    const def = requiredDefinition();
    const input = { attended: 'no', why_not: 'Far', grid: { r1: '1' }, optional_grid: { r2: '3' } };
    expect(validateAnswers(def, input, 'draft').problems).toEqual([]);
    expect(validateAnswers(def, input, 'submit').problems).toEqual([{ question: 'grid', code: 'incomplete_matrix', params: { rows: 'r2', count: 1 } }]);
    expect(validateAnswers(def, { ...input, grid: { r1: '1', r2: '' } }, 'submit').problems).toEqual([
      { question: 'grid', code: 'incomplete_matrix', params: { rows: 'r2', count: 1 } },
    ]);
  });

  it('does not report required for a question that already has a problem', () => {
    const def = requiredDefinition();
    expect(validateAnswers(def, { attended: 'maybe', grid: { r1: '1', r2: '2' } }, 'submit').problems).toEqual([
      { question: 'attended', code: 'invalid_option', params: { value: 'maybe' } },
    ]);
  });
});

describe('validateAnswers: empty values', () => {
  it.each<[string, unknown]>([
    ['yn', ''],
    ['short', '   '],
    ['long', '\r\n'],
    ['multi', []],
    ['rank', []],
    ['grid', {}],
    ['num', null],
    ['country', ''],
    ['single.other', ''],
    ['single.other', null],
  ])('%s: %j is dropped as no answer', (id, value) => {
    expect(validate({ [id]: value })).toEqual({ answers: {}, problems: [] });
  });

  it('a matrix whose cells are all empty is no answer', () => {
    expect(validate({ grid: { r1: '', r2: null } })).toEqual({ answers: {}, problems: [] });
  });

  it('an undefined value is no answer', () => {
    expect(validate({ yn: undefined })).toEqual({ answers: {}, problems: [] });
  });
});

describe('validateAnswers: skip logic', () => {
  function withSkipLogic(): SurveyDefinition {
    return definition([
      question('attended', 'yes_no'),
      question('meetings', 'multi_choice', { options: [{ from: 'meetings' }], show_if: 'attended == yes' }),
      question('rating', 'scale', { show_if: '"2009_athens" in meetings' }),
      question('why_not', 'single_choice', { options: [option('cost'), option('other', { specify: true })], show_if: 'attended == no' }),
    ]);
  }

  it('drops answers to hidden questions (and to the questions hidden through them) without reporting them', () => {
    const input = { attended: 'no', meetings: ['2009_athens'], rating: '3', why_not: 'cost' };
    expect(validateAnswers(withSkipLogic(), input, 'submit')).toEqual({ answers: { attended: 'no', why_not: 'cost' }, problems: [] });
  });

  it('drops the "please specify" text of a hidden question', () => {
    const input = { attended: 'yes', why_not: 'other', 'why_not.other': 'Visa' };
    expect(validateAnswers(withSkipLogic(), input, 'draft')).toEqual({ answers: { attended: 'yes' }, problems: [] });
  });

  it('does not report a stale invalid answer to a hidden question', () => {
    // e.g. the respondent answered, then changed the earlier answer; the form still sends the old value.
    const stale = { meetings: ['2009_athens', 'nowhere'], rating: 'x' };
    expect(validateAnswers(withSkipLogic(), { attended: 'no', why_not: 'cost', ...stale }, 'draft')).toEqual({
      answers: { attended: 'no', why_not: 'cost' },
      problems: [],
    });
    // With `yes`, meetings is shown and its problem counts; why_not is hidden and so is its text.
    const staleWhyNot = { why_not: 'bogus', 'why_not.other': 'y'.repeat(300) };
    expect(validateAnswers(withSkipLogic(), { attended: 'yes', ...stale, ...staleWhyNot }, 'draft').problems).toEqual([
      { question: 'meetings', code: 'invalid_option', params: { value: 'nowhere' } },
    ]);
  });

  it('still reports an unknown key even if its id part names a hidden question', () => {
    expect(validateAnswers(withSkipLogic(), { attended: 'no', 'meetings.note': 'x' }, 'draft').problems).toEqual([
      { question: 'meetings.note', code: 'unknown_question' },
    ]);
  });
});

describe('validateAnswers: the body', () => {
  it.each<[string, unknown]>([
    ['null', null],
    ['a string', 'yes'],
    ['a number', 42],
    ['an array', [{ yn: 'yes' }]],
    ['undefined', undefined],
  ])('%s gives not_an_object', (_name, body) => {
    expect(validate(body)).toEqual({ answers: {}, problems: [{ question: '', code: 'not_an_object' }] });
  });

  it('an empty object is a valid draft', () => {
    expect(validate({})).toEqual({ answers: {}, problems: [] });
  });
});
