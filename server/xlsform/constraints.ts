/**
 * Answer limits both ways: a question's limits (numeric range, selections, exclusive option, text
 * length) as an XLSForm `constraint`, and a `constraint` as limits where it says only that.
 *
 *   min / max              ↔ . >= 0 and . <= 100       (also '>' and '<' for whole numbers)
 *   min/max_selections     ↔ count-selected(.) >= 1 and count-selected(.) <= 3
 *   exclusive option none  ↔ not(selected(., 'none') and count-selected(.) > 1)
 *   max_length             ↔ string-length(.) <= 500
 */
import { parseXPath, XPathSyntaxError, xpathString, type XPathNode } from './xpath.ts';

/** The limits a constraint can carry; each is absent when the constraint does not set it. */
export interface AnswerLimits {
  min?: number;
  max?: number;
  minSelections?: number;
  maxSelections?: number;
  /** Codes that cannot be combined with any other selection. */
  exclusive?: string[];
  maxLength?: number;
}

/** The XLSForm `constraint` of a question's limits, or '' when it has none. */
export function constraintOf(limits: AnswerLimits): string {
  const parts: string[] = [];
  if (limits.min !== undefined) parts.push(`. >= ${limits.min}`);
  if (limits.max !== undefined) parts.push(`. <= ${limits.max}`);
  if (limits.minSelections !== undefined) parts.push(`count-selected(.) >= ${limits.minSelections}`);
  if (limits.maxSelections !== undefined) parts.push(`count-selected(.) <= ${limits.maxSelections}`);
  for (const code of limits.exclusive ?? []) parts.push(`not(selected(., ${xpathString(code)}) and count-selected(.) > 1)`);
  if (limits.maxLength !== undefined) parts.push(`string-length(.) <= ${limits.maxLength}`);
  return parts.join(' and ');
}

export type ConstraintResult = { ok: true; limits: AnswerLimits } | { ok: false; reason: string };

/**
 * Reads a constraint made only of the limits above, joined with `and`. `wholeNumbers` says the
 * answer is an integer, so `. > 0` can be read as min 1; for a decimal it cannot.
 *
 * @example
 *   constraintToLimits('. >= 0 and . <= 100', false) // { ok: true, limits: { min: 0, max: 100 } }
 */
export function constraintToLimits(source: string, wholeNumbers: boolean): ConstraintResult {
  let node: XPathNode;
  try {
    node = parseXPath(source);
  } catch (error) {
    if (error instanceof XPathSyntaxError) return { ok: false, reason: `cannot be read: ${error.message}` };
    throw error;
  }
  const limits: AnswerLimits = {};
  const items = node.kind === 'and' ? node.items : [node];
  for (const item of items) {
    const problem = readLimit(item, wholeNumbers, limits);
    if (problem) return { ok: false, reason: problem };
  }
  return { ok: true, limits };
}

type Measure = 'value' | 'selections' | 'length';

function measureOf(node: XPathNode): Measure | undefined {
  if (node.kind === 'self') return 'value';
  if (node.kind === 'call' && node.args.length === 1 && node.args[0]!.kind === 'self') {
    if (node.name === 'count-selected') return 'selections';
    if (node.name === 'string-length') return 'length';
  }
  return undefined;
}

/** Records one limit in `limits`; returns why it cannot, if it cannot. */
function readLimit(node: XPathNode, wholeNumbers: boolean, limits: AnswerLimits): string | undefined {
  const exclusive = exclusiveCode(node);
  if (exclusive !== undefined) {
    limits.exclusive = [...(limits.exclusive ?? []), exclusive];
    return undefined;
  }
  if (node.kind !== 'compare') return `only limits on the answer ('. >= 0', 'count-selected(.) <= 3', 'string-length(.) <= 500') can be carried over`;
  let { operator } = node;
  let measure = measureOf(node.left);
  let bound = node.right;
  if (!measure) {
    measure = measureOf(node.right);
    bound = node.left;
    operator = ({ '<': '>', '>': '<', '<=': '>=', '>=': '<=', '=': '=', '!=': '!=' } as const)[operator];
  }
  if (!measure || bound.kind !== 'number') return `only limits that compare the answer with a number can be carried over`;
  let value = bound.value;
  const whole = measure !== 'value' || wholeNumbers;
  if (operator === '>' || operator === '<') {
    if (!whole) return `a strict limit ('${operator} ${value}') on a decimal answer has no counterpart: min and max include their bound`;
    value = operator === '>' ? Math.floor(value) + 1 : Math.ceil(value) - 1;
    operator = operator === '>' ? '>=' : '<=';
  }
  if (operator === '=' || operator === '!=') return `'${operator}' is not a limit`;
  const isMin = operator === '>=';
  switch (measure) {
    case 'value':
      if (isMin) limits.min = Math.max(limits.min ?? -Infinity, value);
      else limits.max = Math.min(limits.max ?? Infinity, value);
      return undefined;
    case 'selections':
      if (isMin) limits.minSelections = Math.max(limits.minSelections ?? 0, Math.ceil(value));
      else limits.maxSelections = Math.min(limits.maxSelections ?? Infinity, Math.floor(value));
      return undefined;
    case 'length':
      if (isMin) return `a minimum length has no counterpart`;
      limits.maxLength = Math.min(limits.maxLength ?? Infinity, Math.floor(value));
      return undefined;
  }
}

/** The code of `not(selected(., 'x') and count-selected(.) > 1)`, the "none of these" rule. */
function exclusiveCode(node: XPathNode): string | undefined {
  if (node.kind !== 'call' || node.name !== 'not' || node.args.length !== 1) return undefined;
  const inner = node.args[0]!;
  if (inner.kind !== 'and' || inner.items.length !== 2) return undefined;
  const [selected, count] = inner.items as [XPathNode, XPathNode];
  if (selected.kind !== 'call' || selected.name !== 'selected' || selected.args.length !== 2 || selected.args[0]!.kind !== 'self') return undefined;
  const code = selected.args[1]!;
  if (code.kind !== 'string') return undefined;
  if (count.kind !== 'compare' || count.operator !== '>' || measureOf(count.left) !== 'selections' || count.right.kind !== 'number' || count.right.value !== 1)
    return undefined;
  return code.value;
}
