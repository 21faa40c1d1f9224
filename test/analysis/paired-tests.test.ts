import { describe, expect, it } from 'vitest';
import { bowker, MCNEMAR_EXACT_BELOW, mcnemar, pairedShift, stuartMaxwell, wilcoxonSignedRank } from '../../analysis/paired-tests.ts';
import { expectClose, reference } from './reference-vectors.ts';

const toPairs = (rows: readonly (readonly [number, number, number])[]) => rows.map(([before, after, count]) => ({ before, after, count }));

describe('wilcoxonSignedRank', () => {
  it.each(reference.wilcoxon_signed_rank)('matches SciPy: $name', (c) => {
    const result = wilcoxonSignedRank(toPairs(c.pairs));
    expect([result.n, result.zeros, result.nUsed, result.increased, result.decreased]).toEqual([c.n, c.zeros, c.n_used, c.increased, c.decreased]);
    expect([result.method, result.exactDistribution]).toEqual([c.method, c.exact_distribution]);
    expectClose(result.wPlus, c.w_plus, 'W+');
    expectClose(result.wMinus, c.w_minus, 'W-');
    expectClose(result.statistic, c.statistic, 'statistic');
    expectClose(result.p, c.p, 'p');
    if (c.z === null) expect(result.z).toBeNull();
    else expectClose(result.z, c.z, 'z');
    expectClose(result.rankBiserial, c.rank_biserial, 'rank-biserial');
    expectClose(result.medianDifference, c.median_difference, 'median difference');
  });

  it('reads counts as SQL gives them: split over rows, unordered, with zero and negative counts', () => {
    const scipy = reference.wilcoxon_signed_rank.find((c) => c.name.startsWith('normal, ties and zeros'))!;
    const split = toPairs(scipy.pairs).flatMap(({ before, after, count }) => [
      { before, after, count: 0 },
      { before, after, count: Math.floor(count / 2) },
      { before, after, count: count - Math.floor(count / 2) },
      { before, after, count: -3 },
    ]);
    const result = wilcoxonSignedRank(split.reverse());
    expect(result.n).toBe(scipy.n);
    expectClose(result.p, scipy.p, 'p');
  });

  it('agrees with a hand count of sign patterns (ties and a zero)', () => {
    // d = +2, +2, +2, −1 and one 0: ranks 1 (the −1) and midrank 3 for the three +2.
    // W+ = 9, W− = 1; 2^4 = 16 sign patterns; W+ ≥ 9 when the three +2 keep their sign: 2 of 16.
    const result = wilcoxonSignedRank(
      toPairs([
        [2, 4, 3],
        [4, 3, 1],
        [3, 3, 1],
      ]),
    );
    expect(result).toMatchObject({
      n: 5,
      zeros: 1,
      nUsed: 4,
      increased: 3,
      decreased: 1,
      wPlus: 9,
      wMinus: 1,
      statistic: 1,
      method: 'exact',
      exactDistribution: 'permutation',
      z: null,
    });
    expect(result.p).toBe(0.25);
    expect(result.rankBiserial).toBe(0.8);
    expect(result.medianDifference).toBe(2);
  });

  it('switches from exact to normal at the sizes SciPy does', () => {
    const untied = (n: number) => toPairs(Array.from({ length: n }, (_, k) => [0, k % 2 ? k + 1 : -(k + 1), 1] as const));
    expect(wilcoxonSignedRank(untied(50)).exactDistribution).toBe('signed-rank');
    expect(wilcoxonSignedRank(untied(51)).method).toBe('normal');
    const tied = (n: number) =>
      toPairs([
        [1, 2, n - 1],
        [2, 1, 1],
      ]);
    expect(wilcoxonSignedRank(tied(13)).exactDistribution).toBe('permutation');
    expect(wilcoxonSignedRank(tied(14)).method).toBe('normal');
  });

  it('is mirrored when before and after swap', () => {
    const c = reference.wilcoxon_signed_rank.find((v) => v.name.startsWith('normal, answers went down'))!;
    const forward = wilcoxonSignedRank(toPairs(c.pairs));
    const swapped = wilcoxonSignedRank(toPairs(c.pairs.map(([b, a, n]) => [a, b, n] as const)));
    expect([swapped.wPlus, swapped.wMinus]).toEqual([forward.wMinus, forward.wPlus]);
    expectClose(swapped.p, forward.p!, 'p');
    expectClose(swapped.z, -forward.z!, 'z');
    expectClose(swapped.rankBiserial, -forward.rankBiserial!, 'rank-biserial');
  });

  it('gives p null when nothing is ranked: no pairs, or every answer unchanged', () => {
    const empty = wilcoxonSignedRank([]);
    expect(empty).toMatchObject({ n: 0, zeros: 0, nUsed: 0, statistic: 0, p: null, z: null, rankBiserial: null, medianDifference: null });
    expect(
      wilcoxonSignedRank(
        toPairs([
          [3, 3, 4],
          [5, 5, 2],
        ]),
      ),
    ).toMatchObject({ n: 6, zeros: 6, nUsed: 0, statistic: 0, p: null, rankBiserial: null, medianDifference: 0 });
    // 60 unchanged pairs: SciPy would take the normal route and return NaN.
    expect(wilcoxonSignedRank(toPairs([[2, 2, 60]]))).toMatchObject({ method: 'normal', p: null, z: null });
  });

  it('ignores pairs with a non-finite answer or a count that is not a whole number', () => {
    expect(
      wilcoxonSignedRank([
        { before: Number.NaN, after: 3, count: 4 },
        { before: 1, after: 2, count: 1 },
      ]).n,
    ).toBe(1);
    expect(
      wilcoxonSignedRank([
        { before: 1, after: 3, count: 2.5 },
        { before: 1, after: 2, count: 1 },
      ]),
    ).toMatchObject({ n: 1, p: 1 });
  });
});

describe('mcnemar', () => {
  it.each(reference.mcnemar)('matches SciPy for b = $yes_no, c = $no_yes', (c) => {
    const result = mcnemar({ yesYes: c.yes_yes, yesNo: c.yes_no, noYes: c.no_yes, noNo: c.no_no });
    expect(result.method).toBe(c.method);
    expect([result.b, result.c, result.n]).toEqual([c.yes_no, c.no_yes, c.yes_yes + c.yes_no + c.no_yes + c.no_no]);
    if (c.statistic === null) expect(result.statistic).toBeNull();
    else expectClose(result.statistic, c.statistic, 'statistic');
    expectClose(result.p, c.p, 'p');
    expectClose(result.proportionBefore, c.proportion_before, 'proportion before');
    expectClose(result.proportionAfter, c.proportion_after, 'proportion after');
    expectClose(result.proportionDifference, c.proportion_difference, 'difference');
    if (c.odds_ratio === null) expect(result.oddsRatio).toBeNull();
    else expectClose(result.oddsRatio, c.odds_ratio, 'odds ratio');
  });

  it('is exact below 25 discordant pairs and chi-square from 25 on', () => {
    expect(MCNEMAR_EXACT_BELOW).toBe(25);
    expect(mcnemar({ yesYes: 0, yesNo: 12, noYes: 12, noNo: 0 }).method).toBe('exact');
    expect(mcnemar({ yesYes: 0, yesNo: 12, noYes: 13, noNo: 0 })).toMatchObject({ method: 'chi-square', dof: 1 });
  });

  it('agrees with a hand computation', () => {
    // b = 1, c = 5: 2·P(X ≤ 1) for X ~ Binomial(6, ½) = 2·(1 + 6)/64 = 0.21875.
    expectClose(mcnemar({ yesYes: 9, yesNo: 1, noYes: 5, noNo: 4 }).p, 0.21875, 'exact p');
    // b = 10, c = 20: (10 − 1)²/30 = 2.7; P(χ²₁ > 2.7) = erfc(√1.35) = 0.10034824646229075 (Python math.erfc).
    const chi = mcnemar({ yesYes: 5, yesNo: 10, noYes: 20, noNo: 5 });
    expectClose(chi.statistic, 2.7, 'statistic');
    expectClose(chi.p, 0.10034824646229075, 'chi-square p');
  });

  it('gives p null when nobody changed, and nulls for an empty table', () => {
    expect(mcnemar({ yesYes: 7, yesNo: 0, noYes: 0, noNo: 3 })).toMatchObject({ n: 10, p: null, statistic: null, proportionDifference: 0, oddsRatio: null });
    expect(mcnemar({ yesYes: 0, yesNo: 0, noYes: 0, noNo: 0 })).toMatchObject({
      n: 0,
      p: null,
      proportionBefore: null,
      proportionAfter: null,
      proportionDifference: null,
    });
  });
});

describe('stuartMaxwell and bowker', () => {
  it.each(reference.stuart_maxwell)('Stuart-Maxwell matches NumPy: $name', (c) => {
    const result = stuartMaxwell(c.table);
    expect([result.categoriesTested, result.droppedCategories, result.dof, result.untestable]).toEqual([c.categories_tested, c.dropped, c.dof, c.untestable]);
    if (c.statistic === null) expect([result.statistic, result.p]).toEqual([null, null]);
    else {
      expectClose(result.statistic, c.statistic, 'statistic');
      expectClose(result.p, c.p!, 'p');
    }
  });

  it.each(reference.bowker)('Bowker matches NumPy and SciPy: $name', (c) => {
    const result = bowker(c.table);
    expect([result.pairsTested, result.dof, result.untestable]).toEqual([c.pairs_tested, c.dof, c.untestable]);
    if (c.statistic === null) expect([result.statistic, result.p]).toEqual([null, null]);
    else {
      expectClose(result.statistic, c.statistic, 'statistic');
      expectClose(result.p, c.p!, 'p');
    }
  });

  it("reproduces Stuart's published statistic for the vision data (11.96, df 3)", () => {
    const result = stuartMaxwell([
      [1520, 266, 124, 66],
      [234, 1512, 432, 78],
      [117, 362, 1772, 205],
      [36, 82, 179, 492],
    ]);
    expect(result.dof).toBe(3);
    expect(result.statistic!.toFixed(2)).toBe('11.96');
  });

  it.each([
    [
      [
        [20, 3],
        [11, 16],
      ],
    ],
    [
      [
        [50, 30],
        [52, 40],
      ],
    ],
    [
      [
        [4, 13],
        [13, 9],
      ],
    ],
  ])('reduces to McNemar without continuity correction for k = 2: %j', (table) => {
    const [[, b], [c]] = table as [[number, number], [number]];
    const uncorrected = (b - c) ** 2 / (b + c);
    for (const result of [stuartMaxwell(table), bowker(table)]) {
      expectClose(result.statistic, uncorrected, 'statistic');
      expect(result.dof).toBe(1);
    }
    expectClose(stuartMaxwell(table).p, bowker(table).p!, 'p');
  });

  it('reports a singular covariance (codes in groups with no change between them) as null with the reason', () => {
    const result = stuartMaxwell([
      [5, 2, 0, 0],
      [1, 4, 0, 0],
      [0, 0, 3, 2],
      [0, 0, 4, 6],
    ]);
    expect(result).toMatchObject({ statistic: null, dof: null, p: null, untestable: 'singular covariance' });
    // Bowker has no matrix to invert: it tests the two pairs of codes that exchanged answers.
    expect(
      bowker([
        [5, 2, 0, 0],
        [1, 4, 0, 0],
        [0, 0, 3, 2],
        [0, 0, 4, 6],
      ]),
    ).toMatchObject({ pairsTested: 2, dof: 2, untestable: null });
  });

  it('drops unused codes and codes nobody moved into or out of, without changing the statistic', () => {
    const core = [
      [6, 4, 1],
      [1, 9, 7],
      [2, 1, 5],
    ];
    const padded = [
      [0, 0, 0, 0, 0],
      [0, 6, 4, 1, 0],
      [0, 1, 9, 7, 0],
      [0, 2, 1, 5, 0],
      [0, 0, 0, 0, 4],
    ];
    const result = stuartMaxwell(padded);
    expect(result.droppedCategories).toEqual([0, 4]);
    expectClose(result.statistic, stuartMaxwell(core).statistic!, 'statistic');
    expect(result.dof).toBe(2);
  });

  it('gives null with a reason for an empty table and for a table where nobody changed', () => {
    expect(stuartMaxwell([])).toMatchObject({ n: 0, statistic: null, p: null, untestable: 'no pairs' });
    expect(
      stuartMaxwell([
        [0, 0],
        [0, 0],
      ]),
    ).toMatchObject({ n: 0, untestable: 'no pairs' });
    expect(
      bowker([
        [0, 0],
        [0, 0],
      ]),
    ).toMatchObject({ n: 0, statistic: null, untestable: 'no pairs' });
    expect(
      stuartMaxwell([
        [4, 0],
        [0, 3],
      ]),
    ).toMatchObject({ n: 7, statistic: null, untestable: 'no change', netShift: null });
    expect(
      bowker([
        [4, 0],
        [0, 3],
      ]),
    ).toMatchObject({ n: 7, pairsTested: 0, dof: null, untestable: 'no change' });
  });

  it('reads ragged tables and bad cells as zeros', () => {
    expect(bowker([[3, 2], [5]]).statistic).toBeCloseTo(9 / 7, 14);
    expect(
      bowker([
        [3, -2, Number.NaN],
        [5, 1, 0],
      ]),
    ).toMatchObject({ n: 9, pairsTested: 1 });
  });
});

describe('pairedShift', () => {
  it('counts who stayed, moved up and moved down', () => {
    expect(
      pairedShift([
        [5, 3],
        [1, 6],
      ]),
    ).toEqual({ n: 15, changed: 4, movedUp: 3, movedDown: 1, shareChanged: 4 / 15, netShift: 0.5 });
    expect(
      pairedShift([
        [1, 0, 2],
        [0, 0, 0],
        [6, 0, 1],
      ]),
    ).toMatchObject({ changed: 8, movedUp: 2, movedDown: 6, netShift: -0.5 });
    expect(pairedShift([])).toEqual({ n: 0, changed: 0, movedUp: 0, movedDown: 0, shareChanged: null, netShift: null });
  });
});
