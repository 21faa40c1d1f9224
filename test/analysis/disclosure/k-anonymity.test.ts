/**
 * k-anonymity by generalisation, then suppression of what is left: hand-worked cases, and a
 * property over random populations that every published combination occurs at least k times.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planAnonymisation, SUPPRESSED, type CombinationCount, type QuasiIdentifier } from '../../../analysis/disclosure/k-anonymity.ts';

const region: QuasiIdentifier = { name: 'region', levels: [(v) => v, () => 'any'], levelNames: ['region', 'not published'] };
const role: QuasiIdentifier = {
  name: 'role',
  levels: [(v) => v, (v) => (v === 'none' ? 'none' : 'some'), () => 'any'],
  levelNames: ['role', 'some / none', 'not published'],
};

/** Publishes every record of the population and counts the published combinations. */
function publishedClasses(plan: ReturnType<typeof planAnonymisation>, combos: readonly CombinationCount[]): Map<string, number> {
  const classes = new Map<string, number>();
  for (const combo of combos) {
    const published = plan.publish(combo.values);
    if (published === null) continue;
    const key = published.join('|');
    classes.set(key, (classes.get(key) ?? 0) + combo.count);
  }
  return classes;
}

describe('planAnonymisation', () => {
  it('publishes everything as it is when every combination already has k records', () => {
    const combos = [
      { values: ['Africa'], count: 7 },
      { values: ['Europe'], count: 5 },
    ];
    const plan = planAnonymisation([region], combos, 5);
    expect(plan.levels).toEqual([0]);
    expect(plan.suppressedRecords).toBe(0);
    expect(plan.publish(['Europe'])).toEqual(['Europe']);
  });

  it('generalises a region when suppressing its lone members would cost more than 5% of the rows', () => {
    // Oceania's 2 records alone would form a suppressed block below k, so Africa would go too.
    const plan = planAnonymisation(
      [region],
      [
        { values: ['Africa'], count: 9 },
        { values: ['Oceania'], count: 2 },
      ],
      5,
    );
    expect(plan.levels).toEqual([1]);
    expect(plan.publish(['Oceania'])).toEqual(['any']);
    expect(plan.suppressedRecords).toBe(0);
  });

  it('suppresses small combinations that together make a block of k, when that is within 5%', () => {
    const combos = [
      { values: ['Africa'], count: 95 },
      { values: ['Oceania'], count: 2 },
      { values: ['Asia'], count: 3 },
    ];
    const plan = planAnonymisation([region], combos, 5);
    expect(plan.levels).toEqual([0]);
    expect(plan.suppressedRecords).toBe(5);
    expect(plan.publish(['Oceania'])).toEqual([SUPPRESSED]);
    expect(plan.publish(['Asia'])).toEqual([SUPPRESSED]);
    expect(plan.publish(['Africa'])).toEqual(['Africa']);
    expect(publishedClasses(plan, combos)).toEqual(
      new Map([
        ['Africa', 95],
        [SUPPRESSED, 5],
      ]),
    );
  });

  it('generalises the quasi-identifier that costs least: the lone Troika member is merged into "some role"', () => {
    const combos = [
      { values: ['Africa', 'troika'], count: 1 },
      { values: ['Africa', 'steering_group'], count: 6 },
      { values: ['Africa', 'none'], count: 10 },
      { values: ['Europe', 'steering_group'], count: 5 },
      { values: ['Europe', 'none'], count: 8 },
    ];
    const plan = planAnonymisation([region, role], combos, 5);
    // Region kept, role coarsened one level: troika and steering_group become "some".
    expect(plan.levels).toEqual([0, 1]);
    expect(plan.publish(['Africa', 'troika'])).toEqual(['Africa', 'some']);
    expect(Math.min(...publishedClasses(plan, combos).values())).toBeGreaterThanOrEqual(5);
  });

  it('publishes no record at all when there are fewer than k', () => {
    const plan = planAnonymisation([region], [{ values: ['Africa'], count: 4 }], 5);
    expect(plan.withheldAll).toBe(true);
    expect(plan.publish(['Africa'])).toBeNull();
  });

  it('refuses k below 2 and a quasi-identifier without names for its levels', () => {
    expect(() => planAnonymisation([region], [], 1)).toThrow('k must be an integer of at least 2, not 1');
    expect(() => planAnonymisation([{ ...region, levelNames: ['one'] }], [], 5)).toThrow('quasi-identifier region: give one name per level');
  });

  it('always makes every published combination, the suppressed block included, at least k (random populations)', () => {
    const regions = ['Africa', 'Americas', 'Asia', 'Europe', 'Oceania'];
    const roles = ['troika', 'steering_group', 'friends', 'none'];
    const combo = fc.record({ r: fc.constantFrom(...regions), o: fc.constantFrom(...roles), count: fc.integer({ min: 1, max: 12 }) });
    fc.assert(
      fc.property(fc.array(combo, { minLength: 1, maxLength: 20 }), fc.integer({ min: 3, max: 8 }), (raw, k) => {
        const combos = raw.map((c) => ({ values: [c.r, c.o], count: c.count }));
        const total = combos.reduce((s, c) => s + c.count, 0);
        const plan = planAnonymisation([region, role], combos, k);
        const classes = publishedClasses(plan, combos);
        if (total < k) {
          expect(plan.withheldAll).toBe(true);
          expect(classes.size).toBe(0);
          return;
        }
        for (const size of classes.values()) expect(size).toBeGreaterThanOrEqual(k);
        expect([...classes.values()].reduce((a, b) => a + b, 0)).toBe(total);
        expect(plan.suppressedRecords).toBeLessThanOrEqual(Math.floor(0.05 * total));
      }),
      { numRuns: 300 },
    );
  });
});
