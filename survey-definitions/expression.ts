/**
 * Skip logic: the `show_if` expression language of the questionnaires.
 *
 * Grammar (keywords are lower-case):
 *   expr    := and ( "or" and )*
 *   and     := unary ( "and" unary )*
 *   unary   := "not" unary | primary
 *   primary := "(" expr ")"
 *            | "any" "of" value ( "," value )* "in" question     (some of these codes selected)
 *            | value "in" question                                (this code selected)
 *            | question ( "==" | "!=" ) value                     (the answer is / is not this code)
 *   value   := word | "quoted string"
 *
 * An expression is at most {@link MAX_EXPRESSION_LENGTH} characters long and nests at most
 * {@link MAX_EXPRESSION_DEPTH} levels (a parenthesis or a `not` is one level), so that parsing and
 * evaluating it can never exhaust the stack.
 *
 * @example
 *   parseExpression('not "none" in g_meetings_attended')
 *   evaluateExpression(parseExpression('g_contributed == yes'), { g_contributed: 'yes' }) // true
 */
import type { Answers } from './answers.ts';

export type Expression =
  | { kind: 'or' | 'and'; items: Expression[] }
  | { kind: 'not'; item: Expression }
  | { kind: 'equals'; question: string; value: string; negated: boolean }
  | { kind: 'includes'; question: string; values: string[] };

/** A syntax error, with the 0-based character position where it was found. */
export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

interface Token {
  kind: 'word' | 'string' | 'op' | 'end';
  text: string;
  position: number;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(?:([A-Za-z0-9_]+)|"([^"]*)"|'([^']*)'|(==|!=|\(|\)|,))/y;
  let index = 0;
  while (index < source.length) {
    if (/^\s*$/.test(source.slice(index))) break;
    pattern.lastIndex = index;
    const match = pattern.exec(source);
    if (!match) {
      const at = index + (source.slice(index).length - source.slice(index).trimStart().length);
      throw new ExpressionError(`unexpected character '${source[at]}' at position ${at + 1}`, at);
    }
    const position = match.index + match[0].length - match[0].trimStart().length;
    if (match[1] !== undefined) tokens.push({ kind: 'word', text: match[1], position });
    else if (match[2] !== undefined) tokens.push({ kind: 'string', text: match[2], position });
    else if (match[3] !== undefined) tokens.push({ kind: 'string', text: match[3], position });
    else tokens.push({ kind: 'op', text: match[4] ?? '', position });
    index = pattern.lastIndex;
  }
  tokens.push({ kind: 'end', text: '', position: source.length });
  return tokens;
}

/** The longest `show_if` accepted, in characters; the longest shipped one is under 200. */
export const MAX_EXPRESSION_LENGTH = 2000;
/** The deepest nesting accepted: parentheses and `not`, each one level. */
export const MAX_EXPRESSION_DEPTH = 32;

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'any', 'of']);

/** Parses a `show_if` expression; throws {@link ExpressionError} on a syntax error. */
export function parseExpression(source: string): Expression {
  if (source.length > MAX_EXPRESSION_LENGTH) {
    throw new ExpressionError(`the expression is ${source.length} characters long; at most ${MAX_EXPRESSION_LENGTH} are allowed`, MAX_EXPRESSION_LENGTH);
  }
  const tokens = tokenize(source);
  let at = 0;
  let depth = 0;
  // Each '(' and 'not' recurses once; refusing past the limit keeps the recursion bounded.
  const nested = <T>(t: Token, parse: () => T): T => {
    if (++depth > MAX_EXPRESSION_DEPTH) {
      throw new ExpressionError(
        `the expression nests more than ${MAX_EXPRESSION_DEPTH} levels deep (parentheses and 'not') at position ${t.position + 1}`,
        t.position,
      );
    }
    const result = parse();
    depth--;
    return result;
  };
  const peek = (offset = 0): Token => tokens[Math.min(at + offset, tokens.length - 1)]!;
  const next = (): Token => tokens[Math.min(at++, tokens.length - 1)]!;
  const describe = (t: Token) => (t.kind === 'end' ? 'the end of the expression' : `'${t.text}' at position ${t.position + 1}`);
  const isWord = (t: Token, word: string) => t.kind === 'word' && t.text === word;

  const expectValue = (): string => {
    const t = next();
    if (t.kind === 'string' || (t.kind === 'word' && !KEYWORDS.has(t.text))) return t.text;
    throw new ExpressionError(`expected an option code but found ${describe(t)}`, t.position);
  };
  const expectQuestion = (): string => {
    const t = next();
    if (t.kind === 'word' && !KEYWORDS.has(t.text) && /^[a-z][a-z0-9_]*$/.test(t.text)) return t.text;
    throw new ExpressionError(`expected a question id but found ${describe(t)}`, t.position);
  };

  const parseOr = (): Expression => {
    const items = [parseAnd()];
    while (isWord(peek(), 'or')) {
      next();
      items.push(parseAnd());
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  };
  const parseAnd = (): Expression => {
    const items = [parseUnary()];
    while (isWord(peek(), 'and')) {
      next();
      items.push(parseUnary());
    }
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  };
  const parseUnary = (): Expression => {
    if (isWord(peek(), 'not')) {
      const not = next();
      return nested(not, () => ({ kind: 'not', item: parseUnary() }));
    }
    return parsePrimary();
  };
  const parsePrimary = (): Expression => {
    const t = peek();
    if (t.kind === 'op' && t.text === '(') {
      next();
      return nested(t, () => {
        const inner = parseOr();
        const close = next();
        if (close.kind !== 'op' || close.text !== ')') throw new ExpressionError(`expected ')' but found ${describe(close)}`, close.position);
        return inner;
      });
    }
    if (isWord(t, 'any') && isWord(peek(1), 'of')) {
      next();
      next();
      const values = [expectValue()];
      while (peek().kind === 'op' && peek().text === ',') {
        next();
        values.push(expectValue());
      }
      const keyword = next();
      if (!isWord(keyword, 'in')) throw new ExpressionError(`expected 'in' but found ${describe(keyword)}`, keyword.position);
      return { kind: 'includes', question: expectQuestion(), values };
    }
    const after = peek(1);
    if (isWord(after, 'in')) {
      const value = expectValue();
      next();
      return { kind: 'includes', question: expectQuestion(), values: [value] };
    }
    if (after.kind === 'op' && (after.text === '==' || after.text === '!=')) {
      const question = expectQuestion();
      next();
      return { kind: 'equals', question, value: expectValue(), negated: after.text === '!=' };
    }
    if (t.kind === 'end') throw new ExpressionError('the expression is incomplete', t.position);
    throw new ExpressionError(`expected a condition such as 'q == code' or 'code in q' at ${describe(t).replace(/^'.*' at /, '')}`, t.position);
  };

  const expression = parseOr();
  const rest = peek();
  if (rest.kind !== 'end') throw new ExpressionError(`unexpected ${describe(rest)}`, rest.position);
  return expression;
}

/** Every (question, codes, operator) an expression refers to, in order of appearance. */
export function expressionReferences(expression: Expression): { question: string; values: string[]; operator: 'equals' | 'includes' }[] {
  switch (expression.kind) {
    case 'or':
    case 'and':
      return expression.items.flatMap(expressionReferences);
    case 'not':
      return expressionReferences(expression.item);
    case 'equals':
      return [{ question: expression.question, values: [expression.value], operator: 'equals' }];
    case 'includes':
      return [{ question: expression.question, values: expression.values, operator: 'includes' }];
  }
}

/**
 * Evaluates an expression over the answers given so far. An unanswered question equals nothing
 * and includes nothing, so `q == x` is false and `not x in q` is true while `q` is unanswered.
 */
export function evaluateExpression(expression: Expression, answers: Answers): boolean {
  switch (expression.kind) {
    case 'or':
      return expression.items.some((item) => evaluateExpression(item, answers));
    case 'and':
      return expression.items.every((item) => evaluateExpression(item, answers));
    case 'not':
      return !evaluateExpression(expression.item, answers);
    case 'equals': {
      const answer = answers[expression.question];
      const equal = (typeof answer === 'string' || typeof answer === 'number') && String(answer) === expression.value;
      return expression.negated ? answer !== undefined && !equal : equal;
    }
    case 'includes': {
      const answer = answers[expression.question];
      return Array.isArray(answer) && expression.values.some((value) => answer.includes(value));
    }
  }
}
