/**
 * How deeply a parsed value (JSON or YAML) nests, measured without recursion, so that a value nested
 * far deeper than any stack can be refused before anything walks it recursively.
 */

/**
 * The path to the first place where `value` nests deeper than `limit` arrays and objects, or
 * undefined when it does not. A bare string or number has depth 0; `[["a"]]` has depth 2. A value
 * that refers to itself (a YAML alias to an enclosing node) counts as too deep.
 *
 * @example
 *   tooDeepAt({ q: { row: [[['x']]] } }, 4) // ['q', 'row', 0, 0]
 *   tooDeepAt({ q: { row: 'x' } }, 4) // undefined
 */
export function tooDeepAt(value: unknown, limit: number): (string | number)[] | undefined {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  while (stack.length) {
    const { value: current, path } = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (path.length >= limit) return path;
    const entries: [string | number, unknown][] = Array.isArray(current) ? current.map((v, i) => [i, v]) : Object.entries(current);
    for (const [key, child] of entries) stack.push({ value: child, path: [...path, key] });
  }
  return undefined;
}
