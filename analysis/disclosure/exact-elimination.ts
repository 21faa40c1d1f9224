/**
 * Which unknowns of a homogeneous linear system with small integer coefficients are fixed by it,
 * found by exact elimination (no floating point): the arithmetic core of table suppression.
 */

/**
 * The unknowns (column indices) whose value the equations fix: e_c lies in the row space of the
 * system. Exact: safe integers first, redone with BigInt if an entry would pass 2^53.
 *
 * @example solvedUnknowns([[1, -1, 0], [0, 1, 0]], 3) // [0, 1]: x1 = 0 fixes x0 = x1; x2 is free
 */
export function solvedUnknowns(equations: readonly (readonly number[])[], width: number): number[] {
  try {
    return solvedColumns(equations, width, safeIntegers);
  } catch (error) {
    // Entries grew past 2^53 (only in large, irregular systems): redo the same reduction with BigInt.
    if (!(error instanceof UnsafeIntegerError)) throw error;
    return solvedColumns(equations, width, bigIntegers);
  }
}

/** Exact integer arithmetic used by the elimination; `div` is only called for exact division. */
interface IntegerArithmetic<T> {
  of(value: number): T;
  isZero(value: T): boolean;
  mul(a: T, b: T): T;
  sub(a: T, b: T): T;
  div(a: T, b: T): T;
  /** Non-negative greatest common divisor. */
  gcd(a: T, b: T): T;
}

class UnsafeIntegerError extends Error {}

function checked(value: number): number {
  if (!Number.isSafeInteger(value)) throw new UnsafeIntegerError();
  return value;
}

const safeIntegers: IntegerArithmetic<number> = {
  of: (value) => value,
  isZero: (value) => value === 0,
  // A product or difference of safe integers whose exact result exceeds 2^53 rounds to an unsafe number.
  mul: (a, b) => checked(a * b),
  sub: (a, b) => checked(a - b),
  div: (a, b) => a / b,
  gcd: (a, b) => {
    let [x, y] = [Math.abs(a), Math.abs(b)];
    while (y !== 0) [x, y] = [y, x % y];
    return x;
  },
};

const bigIntegers: IntegerArithmetic<bigint> = {
  of: (value) => BigInt(value),
  isZero: (value) => value === 0n,
  mul: (a, b) => a * b,
  sub: (a, b) => a - b,
  div: (a, b) => a / b,
  gcd: (a, b) => {
    let [x, y] = [a < 0n ? -a : a, b < 0n ? -b : b];
    while (y !== 0n) [x, y] = [y, x % y];
    return x;
  },
};

/**
 * Columns (unknowns) fixed by the system: fraction-free Gauss-Jordan elimination (row := p·row − a·pivotRow,
 * then divided by the gcd of its entries), which keeps every entry an exact integer. In the reduced form a
 * unit vector e_c lies in the row space iff c is a pivot column whose row has no other non-zero entry.
 */
function solvedColumns<T>(equations: readonly (readonly number[])[], width: number, arithmetic: IntegerArithmetic<T>): number[] {
  const { of, isZero, mul, sub, div, gcd } = arithmetic;
  const rows = equations.map((equation) => equation.map(of));
  const pivots: { column: number; row: number }[] = [];
  for (let column = 0; column < width && pivots.length < rows.length; column++) {
    const rank = pivots.length;
    const found = rows.findIndex((row, index) => index >= rank && !isZero(row[column]!));
    if (found < 0) continue;
    [rows[rank], rows[found]] = [rows[found]!, rows[rank]!];
    const pivotRow = rows[rank]!;
    const pivot = pivotRow[column]!;
    for (let index = 0; index < rows.length; index++) {
      const row = rows[index]!;
      const entry = row[column]!;
      if (index === rank || isZero(entry)) continue;
      const common = gcd(pivot, entry);
      const [scale, factor] = [div(pivot, common), div(entry, common)];
      const combined = row.map((value, j) => sub(mul(scale, value), mul(factor, pivotRow[j]!)));
      const content = combined.reduce((g, value) => gcd(g, value), of(0));
      rows[index] = isZero(content) ? combined : combined.map((value) => div(value, content));
    }
    pivots.push({ column, row: rank });
  }
  return pivots.filter(({ row }) => rows[row]!.filter((value) => !isZero(value)).length === 1).map(({ column }) => column);
}
