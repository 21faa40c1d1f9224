import { describe, expect, it } from 'vitest';
import type { Answers } from '../../survey-definitions/answers.ts';
import { evaluateExpression, ExpressionError, expressionReferences, parseExpression, type Expression } from '../../survey-definitions/expression.ts';

const eq = (question: string, value: string): Expression => ({ kind: 'equals', question, value, negated: false });
const ne = (question: string, value: string): Expression => ({ kind: 'equals', question, value, negated: true });
const inQ = (question: string, ...values: string[]): Expression => ({ kind: 'includes', question, values });
const not = (item: Expression): Expression => ({ kind: 'not', item });
const and = (...items: Expression[]): Expression => ({ kind: 'and', items });
const or = (...items: Expression[]): Expression => ({ kind: 'or', items });

describe('parseExpression', () => {
  it.each<[string, Expression]>([
    ['q == yes', eq('q', 'yes')],
    ['q != yes', ne('q', 'yes')],
    ['q==yes', eq('q', 'yes')],
    ['   q ==   yes   ', eq('q', 'yes')],
    ['q == 4', eq('q', '4')],
    ['q == "4"', eq('q', '4')],
    ['a in q', inQ('q', 'a')],
    ['"2010_x" in q', inQ('q', '2010_x')],
    ["'2010_x' in q", inQ('q', '2010_x')],
    ['2010_x in q', inQ('q', '2010_x')],
    ['"in" in q', inQ('q', 'in')],
    ['any of a, b in q', inQ('q', 'a', 'b')],
    ['any of a,b,c in q', inQ('q', 'a', 'b', 'c')],
    ['any of "2009_athens", none in q', inQ('q', '2009_athens', 'none')],
    ['any of a in q', inQ('q', 'a')],
    ['not a in q', not(inQ('q', 'a'))],
    ['not not q == x', not(not(eq('q', 'x')))],
    ['not q == x and r == y', and(not(eq('q', 'x')), eq('r', 'y'))],
    ['not (q == x and r == y)', not(and(eq('q', 'x'), eq('r', 'y')))],
    ['a == x or b == y and c == z', or(eq('a', 'x'), and(eq('b', 'y'), eq('c', 'z')))],
    ['a == x and b == y or c == z', or(and(eq('a', 'x'), eq('b', 'y')), eq('c', 'z'))],
    ['(a == x or b == y) and c == z', and(or(eq('a', 'x'), eq('b', 'y')), eq('c', 'z'))],
    ['a == x or b == y or c == z', or(eq('a', 'x'), eq('b', 'y'), eq('c', 'z'))],
    ['a == x and b == y and c == z', and(eq('a', 'x'), eq('b', 'y'), eq('c', 'z'))],
    ['((q == x))', eq('q', 'x')],
    ['c == SEN', eq('c', 'SEN')],
  ])('%s', (source, expected) => {
    expect(parseExpression(source)).toEqual(expected);
  });

  it.each<[string, string, number]>([
    ['g == ', 'expected an option code but found the end of the expression', 5],
    ['', 'the expression is incomplete', 0],
    ['   ', 'the expression is incomplete', 3],
    ['not', 'the expression is incomplete', 3],
    ['a == x and', 'the expression is incomplete', 10],
    ['q == yes no', "unexpected 'no' at position 10", 9],
    ['q == yes)', "unexpected ')' at position 9", 8],
    ['q = yes', "unexpected character '=' at position 3", 2],
    ['q == yes && r == no', "unexpected character '&' at position 10", 9],
    ['q == yes\t|| r == no', "unexpected character '|' at position 10", 9],
    ['q == "unterminated', "unexpected character '\"' at position 6", 5],
    ['(q == yes', "expected ')' but found the end of the expression", 9],
    ['(q == yes r == no)', "expected ')' but found 'r' at position 11", 10],
    ['any of a, b q', "expected 'in' but found 'q' at position 13", 12],
    ['any of in q', "expected an option code but found 'in' at position 8", 7],
    ['a in Q1', "expected a question id but found 'Q1' at position 6", 5],
    ['a in 1q', "expected a question id but found '1q' at position 6", 5],
    ['a in "q"', "expected a question id but found 'q' at position 6", 5],
    ['a in and', "expected a question id but found 'and' at position 6", 5],
    ['q == and', "expected an option code but found 'and' at position 6", 5],
    ['== yes', "expected a condition such as 'q == code' or 'code in q' at position 1", 0],
    ['q yes', "expected a condition such as 'q == code' or 'code in q' at position 1", 0],
    ['()', "expected a condition such as 'q == code' or 'code in q' at position 2", 1],
    ['Q == yes', "expected a question id but found 'Q' at position 1", 0],
  ])('%j is a syntax error: %s', (source, message, position) => {
    let caught: unknown;
    try {
      parseExpression(source);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ExpressionError);
    expect(caught).toMatchObject({ message, position });
  });

  describe('bounded: an expression too long or too deep is a syntax error, never a stack overflow', () => {
    const caughtBy = (source: string): unknown => {
      try {
        parseExpression(source);
      } catch (error) {
        return error;
      }
      return undefined;
    };
    it.each<[string, string, RegExp]>([
      ['4,000 nested parentheses', `${'('.repeat(4000)}q == yes${')'.repeat(4000)}`, /is 8008 characters long; at most 2000 are allowed/],
      ['150,000 not', `${'not '.repeat(150_000)}q == yes`, /at most 2000 are allowed/],
      ['33 nested parentheses', `${'('.repeat(33)}q == yes${')'.repeat(33)}`, /nests more than 32 levels deep \(parentheses and 'not'\) at position 33/],
      ['33 not', `${'not '.repeat(33)}q == yes`, /nests more than 32 levels deep/],
      ['parentheses and not together', `${'not ('.repeat(17)}q == yes${')'.repeat(17)}`, /nests more than 32 levels deep/],
    ])('%s', (_name, source, message) => {
      const caught = caughtBy(source);
      expect(caught).toBeInstanceOf(ExpressionError);
      expect((caught as Error).message).toMatch(message);
    });

    it('32 levels are still read', () => {
      expect(parseExpression(`${'('.repeat(16)}${'not '.repeat(16)}q == yes${')'.repeat(16)}`)).toMatchObject({ kind: 'not' });
    });
  });
});

describe('expressionReferences', () => {
  it('lists every question with its codes and operator, in order', () => {
    expect(expressionReferences(parseExpression('q1 == a or (any of b, c in q2 and not d in q3) or q1 != e'))).toEqual([
      { question: 'q1', values: ['a'], operator: 'equals' },
      { question: 'q2', values: ['b', 'c'], operator: 'includes' },
      { question: 'q3', values: ['d'], operator: 'includes' },
      { question: 'q1', values: ['e'], operator: 'equals' },
    ]);
  });
});

describe('evaluateExpression', () => {
  it.each<[string, Answers, boolean]>([
    ['q == yes', { q: 'yes' }, true],
    ['q == yes', { q: 'no' }, false],
    ['q != yes', { q: 'no' }, true],
    ['q != yes', { q: 'yes' }, false],
    ['q == 4', { q: '4' }, true],
    ['q == "4"', { q: '4' }, true],
    // numeric answers are numbers
    ['n == 5', { n: 5 }, true],
    ['n == 5', { n: 5.5 }, false],
    ['n != 5', { n: 4 }, true],
    ['c == SEN', { c: 'SEN' }, true],
    // multi-valued answers
    ['a in q', { q: ['a', 'b'] }, true],
    ['a in q', { q: ['b'] }, false],
    ['"2010_x" in q', { q: ['2009_y', '2010_x'] }, true],
    ['any of a, c in q', { q: ['c'] }, true],
    ['any of a, c in q', { q: ['b'] }, false],
    ['not none in q', { q: ['a'] }, true],
    ['not none in q', { q: ['none'] }, false],
    // a single code is not a list
    ['a in q', { q: 'a' }, false],
    // precedence: not > and > or
    ['a == x or b == y and c == z', { a: 'x' }, true],
    ['a == x or b == y and c == z', { b: 'y' }, false],
    ['a == x or b == y and c == z', { b: 'y', c: 'z' }, true],
    ['(a == x or b == y) and c == z', { a: 'x' }, false],
    ['(a == x or b == y) and c == z', { a: 'x', c: 'z' }, true],
    ['not a == x and b == y', { b: 'y' }, true],
    ['not a == x and b == y', { a: 'x', b: 'y' }, false],
    ['not (a == x and b == y)', { a: 'x' }, true],
    ['not (a == x and b == y)', { a: 'x', b: 'y' }, false],
  ])('%s with %j is %s', (source, answers, expected) => {
    expect(evaluateExpression(parseExpression(source), answers)).toBe(expected);
  });

  describe('an unanswered question equals nothing and includes nothing', () => {
    it.each<[string, boolean]>([
      ['q == x', false],
      ['q != x', false],
      ['not q == x', true],
      ['not q != x', true],
      ['x in q', false],
      ['not x in q', true],
      ['any of x, y in q', false],
      ['not any of x, y in q', true],
    ])('%s is %s', (source, expected) => {
      expect(evaluateExpression(parseExpression(source), {})).toBe(expected);
      expect(evaluateExpression(parseExpression(source), { other: 'x' })).toBe(expected);
    });
  });
});
