/**
 * The part of XLSForm's XPath expressions that skip logic and constraints use: `${name}`
 * references, `.`, string and number literals, comparisons, `and`, `or`, and function calls such
 * as `selected(${q}, 'x')`, `not(...)` and `count-selected(.)`. Anything else (arithmetic, paths,
 * typographic quotes) is a syntax error here, reported with its position.
 *
 * @example
 *   parseXPath("selected(${roles}, 'chair') and ${age} >= 18")
 */

export type XPathNode =
  | { kind: 'or' | 'and'; items: XPathNode[] }
  | { kind: 'compare'; operator: ComparisonOperator; left: XPathNode; right: XPathNode }
  | { kind: 'call'; name: string; args: XPathNode[] }
  | { kind: 'ref'; name: string }
  | { kind: 'self' }
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number };

export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** A syntax error in an XPath expression, with the 1-based character position where it was found. */
export class XPathSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

interface Token {
  kind: 'ref' | 'string' | 'number' | 'name' | 'op' | 'end';
  text: string;
  position: number;
}

const TOKEN = /\s*(?:\$\{([^}]*)\}|'([^']*)'|"([^"]*)"|(-?(?:\d+(?:\.\d+)?|\.\d+))|([A-Za-z_][A-Za-z0-9_-]*)|(!=|<=|>=|=|<|>|\(|\)|,|\.))/y;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < source.length && !/^\s*$/.test(source.slice(index))) {
    TOKEN.lastIndex = index;
    const match = TOKEN.exec(source);
    const at = index + (source.slice(index).length - source.slice(index).trimStart().length);
    if (!match) {
      const char = source[at]!;
      const hint = /[‘’“”]/.test(char) ? ' (a typographic quote: XPath needs straight quotes \' or ")' : '';
      throw new XPathSyntaxError(`unexpected '${char}' at position ${at + 1}${hint}`, at + 1);
    }
    const [, ref, single, double, number, name, op] = match;
    if (ref !== undefined) tokens.push({ kind: 'ref', text: ref.trim(), position: at + 1 });
    else if (single !== undefined || double !== undefined) tokens.push({ kind: 'string', text: single ?? double ?? '', position: at + 1 });
    else if (number !== undefined) tokens.push({ kind: 'number', text: number, position: at + 1 });
    else if (name !== undefined) tokens.push({ kind: 'name', text: name, position: at + 1 });
    else tokens.push({ kind: 'op', text: op ?? '', position: at + 1 });
    index = TOKEN.lastIndex;
  }
  tokens.push({ kind: 'end', text: '', position: source.length + 1 });
  return tokens;
}

/** The deepest nesting of parentheses and calls read, so that a hostile cell cannot exhaust the stack. */
const MAX_DEPTH = 32;

/** Parses an expression of the subset; throws {@link XPathSyntaxError}. */
export function parseXPath(source: string): XPathNode {
  const tokens = tokenize(source);
  let at = 0;
  let depth = 0;
  const peek = () => tokens[at]!;
  const next = () => tokens[Math.min(at++, tokens.length - 1)]!;
  const describe = (t: Token) => (t.kind === 'end' ? 'the end of the expression' : `'${t.text}' at position ${t.position}`);
  const isName = (t: Token, word: string) => t.kind === 'name' && t.text === word;
  const expectOp = (text: string) => {
    const t = next();
    if (t.kind !== 'op' || t.text !== text) throw new XPathSyntaxError(`expected '${text}' but found ${describe(t)}`, t.position);
  };
  const deeper = <T>(t: Token, parse: () => T): T => {
    if (++depth > MAX_DEPTH) throw new XPathSyntaxError(`the expression nests more than ${MAX_DEPTH} levels deep`, t.position);
    const result = parse();
    depth--;
    return result;
  };

  const parseOr = (): XPathNode => {
    const items = [parseAnd()];
    while (isName(peek(), 'or')) {
      next();
      items.push(parseAnd());
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  };
  const parseAnd = (): XPathNode => {
    const items = [parseComparison()];
    while (isName(peek(), 'and')) {
      next();
      items.push(parseComparison());
    }
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  };
  const parseComparison = (): XPathNode => {
    const left = parsePrimary();
    const t = peek();
    if (t.kind === 'op' && ['=', '!=', '<', '<=', '>', '>='].includes(t.text)) {
      next();
      return { kind: 'compare', operator: t.text as ComparisonOperator, left, right: parsePrimary() };
    }
    return left;
  };
  const parsePrimary = (): XPathNode => {
    const t = next();
    switch (t.kind) {
      case 'ref':
        return { kind: 'ref', name: t.text };
      case 'string':
        return { kind: 'string', value: t.text };
      case 'number':
        return { kind: 'number', value: Number(t.text) };
      case 'name': {
        if (!(peek().kind === 'op' && peek().text === '(')) throw new XPathSyntaxError(`unexpected ${describe(t)}`, t.position);
        next();
        return deeper(t, () => {
          const args: XPathNode[] = [];
          if (!(peek().kind === 'op' && peek().text === ')')) {
            args.push(parseOr());
            while (peek().kind === 'op' && peek().text === ',') {
              next();
              args.push(parseOr());
            }
          }
          expectOp(')');
          return { kind: 'call', name: t.text, args };
        });
      }
      case 'op':
        if (t.text === '.') return { kind: 'self' };
        if (t.text === '(') {
          return deeper(t, () => {
            const inner = parseOr();
            expectOp(')');
            return inner;
          });
        }
        throw new XPathSyntaxError(`unexpected ${describe(t)}`, t.position);
      default:
        throw new XPathSyntaxError(`the expression is incomplete`, t.position);
    }
  };

  const node = parseOr();
  const rest = peek();
  if (rest.kind !== 'end') throw new XPathSyntaxError(`unexpected ${describe(rest)}`, rest.position);
  return node;
}

/** A string literal in XPath; our codes and numbers never hold a quote, so single quotes always do. */
export function xpathString(value: string): string {
  return value.includes("'") ? `"${value}"` : `'${value}'`;
}
