/**
 * Skip logic both ways: a questionnaire's `show_if` condition as an XLSForm `relevant` expression,
 * and a `relevant` expression as a `show_if` condition where our language can say the same thing.
 *
 * Equivalences (an unanswered question holds '' in XLSForm and no answer in ours):
 *   q == v            ↔ ${q} = 'v'                       (selected(${q}, 'v') for a single choice too)
 *   q != v            ↔ (${q} != '' and ${q} != 'v')     (ours is false while q is unanswered)
 *   not q == v        ↔ ${q} != 'v'   or   not(${q} = 'v')
 *   v in q            ↔ selected(${q}, 'v')
 *   any of a, b in q  ↔ (selected(${q}, 'a') or selected(${q}, 'b'))
 *   and, or, not      ↔ and, or, not()
 * Comparisons other than = and != (`${age} > 18`), arithmetic and other functions have no
 * counterpart in `show_if`.
 */
import type { Expression } from '../../survey-definitions/expression.ts';
import { parseXPath, XPathSyntaxError, xpathString, type XPathNode } from './xpath.ts';

/** How an earlier question can be tested: one code, several codes, or a free value (number, text). */
export type AnswerShape = 'single' | 'multi' | 'value' | 'untestable';

/** An earlier question as skip logic sees it: our id and the shape of its answer. */
export interface SkipTarget {
  id: string;
  shape: AnswerShape;
}

/** The XLSForm `relevant` expression of a `show_if` condition. */
export function relevantOf(expression: Expression): string {
  return toXPath(expression, false);
}

function toXPath(expression: Expression, nested: boolean): string {
  const ref = (q: string) => `\${${q}}`;
  const group = (text: string) => (nested ? `(${text})` : text);
  switch (expression.kind) {
    case 'or':
    case 'and':
      return group(expression.items.map((item) => toXPath(item, true)).join(` ${expression.kind} `));
    case 'not':
      return `not(${toXPath(expression.item, false)})`;
    case 'equals':
      return expression.negated
        ? group(`${ref(expression.question)} != '' and ${ref(expression.question)} != ${xpathString(expression.value)}`)
        : `${ref(expression.question)} = ${xpathString(expression.value)}`;
    case 'includes': {
      const tests = expression.values.map((value) => `selected(${ref(expression.question)}, ${xpathString(value)})`);
      return tests.length === 1 ? tests[0]! : group(tests.join(' or '));
    }
  }
}

/** A `show_if` condition written out, as `parseExpression` reads it back. */
export function printShowIf(expression: Expression): string {
  return printNode(expression, false);
}

function printValue(value: string): string {
  return /^[A-Za-z0-9_]+$/.test(value) && !['and', 'or', 'not', 'in', 'any', 'of'].includes(value) ? value : `"${value}"`;
}

function printNode(expression: Expression, nested: boolean): string {
  switch (expression.kind) {
    case 'or':
    case 'and': {
      const text = expression.items.map((item) => printNode(item, true)).join(` ${expression.kind} `);
      return nested ? `(${text})` : text;
    }
    case 'not':
      return `not ${printNode(expression.item, true)}`;
    case 'equals':
      return `${expression.question} ${expression.negated ? '!=' : '=='} ${printValue(expression.value)}`;
    case 'includes':
      return expression.values.length === 1
        ? `${printValue(expression.values[0]!)} in ${expression.question}`
        : `any of ${expression.values.map(printValue).join(', ')} in ${expression.question}`;
  }
}

/** The show_if condition of a relevant expression, or why there is none. */
export type SkipLogicResult = { ok: true; expression: Expression } | { ok: false; reason: string };

class Unsupported extends Error {}

/**
 * Translates an XLSForm `relevant` expression into a `show_if` condition. `lookup` gives the
 * earlier question an XLSForm name refers to (undefined for a later or unknown name).
 *
 * @example
 *   relevantToShowIf("selected(${roles}, 'chair')", (n) => ({ id: n, shape: 'multi' }))
 *   // { ok: true, expression: { kind: 'includes', question: 'roles', values: ['chair'] } }
 */
export function relevantToShowIf(source: string, lookup: (name: string) => SkipTarget | undefined): SkipLogicResult {
  let node: XPathNode;
  try {
    node = parseXPath(source);
  } catch (error) {
    if (error instanceof XPathSyntaxError) return { ok: false, reason: `cannot be read: ${error.message}` };
    throw error;
  }
  try {
    return { ok: true, expression: convert(node, lookup) };
  } catch (error) {
    if (error instanceof Unsupported) return { ok: false, reason: error.message };
    throw error;
  }
}

type Lookup = (name: string) => SkipTarget | undefined;

function target(node: XPathNode, lookup: Lookup): SkipTarget {
  if (node.kind !== 'ref') throw new Unsupported(`only \${question} references can be tested, not ${describe(node)}`);
  const found = lookup(node.name);
  if (!found) throw new Unsupported(`\${${node.name}} is not an earlier question of the form`);
  if (found.shape === 'untestable') throw new Unsupported(`\${${node.name}} is a question whose answer skip logic cannot test`);
  return found;
}

function literal(node: XPathNode): string | undefined {
  if (node.kind === 'string') return node.value;
  if (node.kind === 'number') return String(node.value);
  return undefined;
}

function describe(node: XPathNode): string {
  switch (node.kind) {
    case 'call':
      return `the function ${node.name}()`;
    case 'self':
      return "'.'";
    case 'compare':
      return `a comparison with '${node.operator}'`;
    default:
      return `a ${node.kind}`;
  }
}

/** A comparison `${q} op 'v'` with the reference on the left. */
function comparison(node: XPathNode): { ref: XPathNode; operator: string; value: string } | undefined {
  if (node.kind !== 'compare') return undefined;
  const flip: Record<string, string> = { '=': '=', '!=': '!=', '<': '>', '>': '<', '<=': '>=', '>=': '<=' };
  const right = literal(node.right);
  if (right !== undefined) return { ref: node.left, operator: node.operator, value: right };
  const left = literal(node.left);
  if (left !== undefined) return { ref: node.right, operator: flip[node.operator]!, value: left };
  return undefined;
}

function convert(node: XPathNode, lookup: Lookup): Expression {
  switch (node.kind) {
    case 'or':
      return mergeIncludes(node.items.map((item) => convert(item, lookup)));
    case 'and':
      return convertAnd(node.items, lookup);
    case 'call':
      return convertCall(node, lookup);
    case 'compare': {
      const parts = comparison(node);
      if (!parts) throw new Unsupported(`a comparison must set a \${question} against a code or a number`);
      const question = target(parts.ref, lookup);
      if (parts.operator !== '=' && parts.operator !== '!=') {
        throw new Unsupported(`the comparison '${parts.operator}' has no counterpart: show_if can only test that an answer is, or is not, a given code`);
      }
      if (parts.value === '')
        throw new Unsupported(
          `testing whether \${${(parts.ref as { name: string }).name}} is ${parts.operator === '=' ? 'empty' : 'answered'} has no counterpart in show_if`,
        );
      if (question.shape === 'multi')
        throw new Unsupported(`\${${(parts.ref as { name: string }).name}} allows several answers: test it with selected(), not '${parts.operator}'`);
      const equals: Expression = { kind: 'equals', question: question.id, value: parts.value, negated: false };
      return parts.operator === '=' ? equals : { kind: 'not', item: equals };
    }
    default:
      throw new Unsupported(`${describe(node)} is not a condition`);
  }
}

function convertCall(node: Extract<XPathNode, { kind: 'call' }>, lookup: Lookup): Expression {
  if (node.name === 'not' && node.args.length === 1) return { kind: 'not', item: convert(node.args[0]!, lookup) };
  if (node.name === 'selected' && node.args.length === 2) {
    const question = target(node.args[0]!, lookup);
    const value = literal(node.args[1]!);
    if (value === undefined || value === '') throw new Unsupported(`selected() must name a code as its second argument`);
    if (question.shape === 'multi') return { kind: 'includes', question: question.id, values: [value] };
    if (question.shape === 'single') return { kind: 'equals', question: question.id, value, negated: false };
    throw new Unsupported(`selected() needs a choice question, not \${${(node.args[0] as { name: string }).name}}`);
  }
  throw new Unsupported(`the function ${node.name}() has no counterpart in show_if`);
}

/** `a or b` where several items test one multi-valued question: `any of a, b in q`. */
function mergeIncludes(items: Expression[]): Expression {
  const merged: Expression[] = [];
  for (const item of items) {
    const last = merged.at(-1);
    if (item.kind === 'includes' && last?.kind === 'includes' && last.question === item.question) {
      merged[merged.length - 1] = { ...last, values: [...last.values, ...item.values] };
    } else merged.push(item);
  }
  return merged.length === 1 ? merged[0]! : { kind: 'or', items: merged };
}

/** `${q} != '' and ${q} != 'v'` is our `q != v`; every other item converts on its own. */
function convertAnd(nodes: XPathNode[], lookup: Lookup): Expression {
  const answeredTests = new Map<string, number>();
  nodes.forEach((node, index) => {
    const parts = comparison(node);
    if (parts?.operator === '!=' && parts.value === '' && parts.ref.kind === 'ref') answeredTests.set(parts.ref.name, index);
  });
  const used = new Set<number>();
  const items: Expression[] = [];
  nodes.forEach((node, index) => {
    if ([...answeredTests.values()].includes(index)) return;
    const parts = comparison(node);
    const name = parts?.ref.kind === 'ref' ? parts.ref.name : undefined;
    if (parts?.operator === '!=' && name !== undefined && parts.value !== '' && answeredTests.has(name)) {
      const question = target(parts.ref, lookup);
      if (question.shape !== 'multi') {
        used.add(answeredTests.get(name)!);
        items.push({ kind: 'equals', question: question.id, value: parts.value, negated: true });
        return;
      }
    }
    items.push(convert(node, lookup));
  });
  for (const [name, index] of answeredTests) {
    if (!used.has(index)) throw new Unsupported(`testing whether \${${name}} is answered has no counterpart in show_if`);
  }
  return items.length === 1 ? items[0]! : { kind: 'and', items };
}
