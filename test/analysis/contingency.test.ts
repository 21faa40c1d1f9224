import { describe, expect, it } from 'vitest';
import { chiSquareIndependence, fisherExact2x2 } from '../../analysis/contingency.ts';
import { expectClose, reference } from './reference-vectors.ts';

describe('chiSquareIndependence', () => {
  it.each(reference.chi_square_independence.map((c) => ({ ...c, shape: `${c.table.length}x${c.table[0]!.length}` })))(
    'matches SciPy for the $shape table $table',
    ({ table, chi2, dof, p, cramers_v, expected }) => {
      const result = chiSquareIndependence(table);
      expectClose(result.chi2, chi2, 'chi2');
      expect(result.dof).toBe(dof);
      expectClose(result.p, p, 'p');
      expectClose(result.cramersV, cramers_v, 'cramersV');
      expect(result.expected).toHaveLength(expected.length);
      expected.forEach((row, i) => {
        row.forEach((e, j) => {
          expectClose(result.expected[i]![j], e, `expected[${i}][${j}]`);
        });
      });
    },
  );

  it('agrees with a hand computation', () => {
    // Rows 20, 20; columns 15, 15, 10; n = 40: expected 7.5, 7.5, 5 in each row.
    // chi2 = 4 · 2.5² / 7.5 = 10/3; dof 2, where the upper tail is exp(−x/2) = e^(−5/3); V = √((10/3)/40) = 1/√12.
    const result = chiSquareIndependence([
      [10, 5, 5],
      [5, 10, 5],
    ]);
    expectClose(result.chi2, 10 / 3, 'chi2');
    expect(result.dof).toBe(2);
    expectClose(result.p, Math.exp(-5 / 3), 'p');
    expectClose(result.cramersV, 1 / Math.sqrt(12), 'V');
    expect(result.minExpected).toBe(5);
  });

  it('drops a zero column before the test, keeping its expected counts at 0', () => {
    // Same as SciPy's [[12, 5], [7, 14]] once the empty option is dropped.
    const result = chiSquareIndependence([
      [12, 0, 5],
      [7, 0, 14],
    ]);
    const scipy = reference.chi_square_independence[0]!;
    expectClose(result.chi2, scipy.chi2, 'chi2');
    expect(result.dof).toBe(1);
    expectClose(result.p, scipy.p, 'p');
    expect(result.expected).toEqual([
      [8.5, 0, 8.5],
      [10.5, 0, 10.5],
    ]);
    expect([result.rowsTested, result.columnsTested]).toEqual([2, 2]);
  });

  it('drops a zero row before the test', () => {
    const result = chiSquareIndependence([
      [12, 5],
      [0, 0],
      [7, 14],
    ]);
    expectClose(result.chi2, reference.chi_square_independence[0]!.chi2, 'chi2');
    expect(result.dof).toBe(1);
  });

  it('gives nulls, not NaN, when fewer than two rows or columns are left', () => {
    const untested = { chi2: null, dof: null, p: null, cramersV: null, minExpected: null };
    expect(chiSquareIndependence([])).toMatchObject({ n: 0, expected: [], ...untested });
    expect(
      chiSquareIndependence([
        [0, 0],
        [0, 0],
      ]),
    ).toMatchObject({ n: 0, ...untested });
    expect(
      chiSquareIndependence([
        [3, 0],
        [4, 0],
      ]),
    ).toMatchObject({ n: 7, columnsTested: 1, ...untested });
    expect(chiSquareIndependence([[3, 4]])).toMatchObject({ rowsTested: 1, ...untested });
  });

  it('gives chi2 0 and p 1 for proportional rows', () => {
    const result = chiSquareIndependence([
      [2, 4],
      [3, 6],
    ]);
    expect(result.chi2).toBe(0);
    expect(result.p).toBe(1);
    expect(result.cramersV).toBe(0);
  });
});

describe('fisherExact2x2', () => {
  it.each(reference.fisher_exact_2x2)('matches SciPy for $table', ({ table, p_two_sided }) => {
    expectClose(fisherExact2x2(table).p, p_two_sided, 'p');
  });

  it('agrees with a hand computation', () => {
    // Margins 2, 2 of 4: P(x) = C(2,x)·C(2,2−x)/C(4,2) = 1/6, 4/6, 1/6; observed x = 2, so p = 1/6 + 1/6.
    expectClose(
      fisherExact2x2([
        [2, 0],
        [0, 2],
      ]).p,
      1 / 3,
      'p',
    );
  });

  it('gives p = 1 for a zero row or column (only one table is possible)', () => {
    expect(
      fisherExact2x2([
        [0, 0],
        [3, 4],
      ]).p,
    ).toBe(1);
    expect(
      fisherExact2x2([
        [0, 5],
        [0, 4],
      ]).p,
    ).toBe(1);
  });

  it('gives p = 1 for the most likely table', () => {
    // Margins 4, 4 of 8: P(x) = 1, 16, 36, 16, 1 over 70; x = 2 is the mode, so every table counts.
    expect(
      fisherExact2x2([
        [2, 2],
        [2, 2],
      ]).p,
    ).toBe(1);
  });

  it('gives p null for an empty table or one that is not 2x2', () => {
    expect(
      fisherExact2x2([
        [0, 0],
        [0, 0],
      ]).p,
    ).toBeNull();
    expect(fisherExact2x2([]).p).toBeNull();
    expect(
      fisherExact2x2([
        [1, 2, 3],
        [4, 5, 6],
      ]).p,
    ).toBeNull();
  });
});
