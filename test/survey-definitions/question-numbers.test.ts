import { describe, expect, it } from 'vitest';
import { nonSubstantiveCodes } from '../../survey-definitions/non-substantive.ts';
import { numberedQuestion, questionNumbers, sharedQuestionNumber } from '../../survey-definitions/question-numbers.ts';
import { allQuestions } from '../../survey-definitions/types.ts';
import { checkedDefinition, definition, option, question, rawDefinitionWithSections, section } from '../fixtures/survey-definitions.ts';

describe('questionNumbers', () => {
  const twoSections = checkedDefinition(
    rawDefinitionWithSections([
      section('first', [question('a', 'yes_no'), question('m', 'matrix'), question('b', 'single_choice')], {
        intro: { en: 'About you', fr: 'Vous', es: 'Usted' },
      }),
      section('second', [question('c', 'scale', { show_if: "b == 'a'" }), question('d', 'long_text')]),
    ]),
  );

  it.each([
    ['the first question is 1', 'a', 1],
    ['a matrix is one question, its rows are not numbered', 'm', 2],
    ['after the matrix', 'b', 3],
    ['sections do not restart the count; skip logic does not renumber', 'c', 4],
    ['free text counts like any question', 'd', 5],
  ])('%s', (_, id, expected) => {
    expect(questionNumbers(twoSections).get(id)).toBe(expected);
  });

  it('numbers every question once, 1 to n, in the order respondents meet them', () => {
    const numbers = questionNumbers(twoSections);
    expect([...numbers.values()]).toEqual(allQuestions(twoSections).map((_, i) => i + 1));
    expect(numbers.get('no_such_question')).toBeUndefined();
  });

  it('finds a shared question’s number by its shared key', () => {
    const shared = checkedDefinition(rawDefinitionWithSections([section('s', [question('x', 'yes_no'), question('y', 'yes_no', { shared_key: 'both' })])]));
    expect(sharedQuestionNumber(shared, 'both')).toBe(2);
    expect(sharedQuestionNumber(shared, 'neither')).toBeUndefined();
  });

  it.each([
    [6, 'How?', '6. How?'],
    [undefined, 'A question of an older version', 'A question of an older version'],
  ])('numberedQuestion(%j, %j)', (number, text, expected) => {
    expect(numberedQuestion(number, text)).toBe(expected);
  });
});

describe('nonSubstantiveCodes', () => {
  const d = definition([
    question('yn_dk', 'yes_no', { dont_know: true }),
    question('yn', 'yes_no'),
    question('single', 'single_choice', { options: [option('a'), option('dk')] }),
    question('multi', 'multi_choice', { options: [option('a'), option('b')] }),
    question('scale', 'scale'),
    question('matrix', 'matrix'),
    question('number', 'numeric'),
  ]);
  const byId = new Map(allQuestions(d).map((q) => [q.id, q]));

  it.each([
    ['yn_dk', ['dk']],
    ['yn', []],
    ['single', ['dk']],
    ['multi', []],
    ['scale', ['dk']],
    ['matrix', ['dk']],
    ['number', []],
  ])('%s → %j', (id, expected) => {
    expect(nonSubstantiveCodes(byId.get(id)!)).toEqual(expected);
  });
});
