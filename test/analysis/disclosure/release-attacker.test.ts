import { describe, expect, it } from 'vitest';
import {
  ANSWERED,
  type BreakdownId,
  groupId,
  type GroupDefinition,
  type HiddenReason,
  inGroup,
  type PublishedRelease,
  type ReleaseCell,
  type ReleaseTable,
  type SkipRelation,
} from '../../../analysis/disclosure/release-model.ts';
import { attackReleases, type CellRange, segmentRange } from '../../support/release-attacker.ts';

/** What one leaf ('kind/region/roleGroup') holds: its respondents and, per table and row, its count. */
interface LeafData {
  respondents: number;
  counts: Record<string, Record<string, number>>;
}

interface ReleaseSpec {
  kinds?: string[];
  regions: string[];
  roleGroups?: string[];
  breakdowns?: BreakdownId[];
  tables: Omit<ReleaseTable, 'cells'>[];
  leaves: Record<string, LeafData>;
  /** `table|group|row` (or `_respondents|group`) -> why the count is hidden. */
  hidden?: Record<string, HiddenReason>;
  relations?: SkipRelation[];
  threshold?: number;
}

/** A release whose counts are the sums of the leaves' counts, with the named cells hidden. */
function makeRelease(spec: ReleaseSpec): PublishedRelease {
  const dimensions = { kind: spec.kinds ?? ['gov'], region: spec.regions, roleGroup: spec.roleGroups ?? ['no_role'] };
  const breakdowns = spec.breakdowns ?? ['all', 'region'];
  const definitions: Record<BreakdownId, GroupDefinition[]> = {
    all: [{}],
    kind: dimensions.kind.map((kind) => ({ kind })),
    region: dimensions.region.map((region) => ({ region })),
    role_group: dimensions.roleGroup.map((roleGroup) => ({ roleGroup })),
    kind_region: dimensions.kind.flatMap((kind) => dimensions.region.map((region) => ({ kind, region }))),
  };
  const groups: PublishedRelease['groups'] = {};
  const releaseBreakdowns = breakdowns.map((id) => ({ id, groups: definitions[id].map((definition) => groupId(id, definition)) }));
  for (const id of breakdowns) for (const definition of definitions[id]) groups[groupId(id, definition)] = { ...definition, label: groupId(id, definition) };
  const leaves = Object.entries(spec.leaves).map(([key, data]) => {
    const [kind, region, roleGroup] = key.split('/') as [string, string, string];
    return { leaf: { kind, region, roleGroup }, data };
  });
  const hidden = spec.hidden ?? {};
  const cell = (key: string, count: number): ReleaseCell => (hidden[key] ? { count: null, why: hidden[key] } : { count });
  const sum = (group: string, value: (data: LeafData) => number) =>
    leaves.filter(({ leaf }) => inGroup(groups[group]!, leaf)).reduce((total, { data }) => total + value(data), 0);
  for (const key of Object.keys(hidden)) {
    const [table, group] = key.split('|');
    if (!groups[group!] || (table !== '_respondents' && !spec.tables.some((t) => t.questionId === table)))
      throw new Error(`the test hides an unknown cell ${key}`);
  }
  return {
    id: 1,
    surveyId: 'survey',
    name: 'test release',
    createdAt: '2025-01-01T00:00:00Z',
    final: false,
    contentHash: '',
    threshold: spec.threshold ?? 5,
    earlier: [],
    breakdowns: releaseBreakdowns,
    groups,
    dimensions,
    respondents: Object.fromEntries(
      Object.keys(groups).map((group) => [
        group,
        cell(
          `_respondents|${group}`,
          sum(group, (d) => d.respondents),
        ),
      ]),
    ),
    tables: spec.tables.map((table) => ({
      ...table,
      cells: Object.fromEntries(
        Object.keys(groups).map((group) => [
          group,
          Object.fromEntries(
            table.rows.map((row) => [
              row,
              cell(
                `${table.questionId}|${group}|${row}`,
                sum(group, (d) => d.counts[table.questionId]?.[row] ?? 0),
              ),
            ]),
          ),
        ]),
      ),
    })),
    numeric: [],
    relations: spec.relations ?? [],
  };
}

const yesNo: Omit<ReleaseTable, 'cells'> = { questionId: 'q1', item: '', type: 'partition', rows: ['yes', 'no', ANSWERED], apart: [] };
const leaf = (region: string) => `gov/${region}/no_role`;
/** One partition answer per respondent of q1. */
const answers = (yes: number, no: number, more: Record<string, Record<string, number>> = {}): LeafData => ({
  respondents: yes + no,
  counts: { q1: { yes, no, [ANSWERED]: yes + no }, ...more },
});

function rangeOf(ranges: CellRange[], table: string, group: string, row: string, release = 0): CellRange {
  const found = ranges.find((r) => r.release === release && r.table === table && r.group === group && r.row === row);
  if (!found) throw new Error(`no range for ${table} ${group} ${row}`);
  return found;
}

describe('release attacker', () => {
  it('pins a region hidden alone while all and the other regions are shown', async () => {
    const release = makeRelease({
      regions: ['A', 'B', 'C'],
      tables: [yesNo],
      leaves: { [leaf('A')]: answers(6, 5), [leaf('B')]: answers(7, 5), [leaf('C')]: answers(2, 1) },
      hidden: {
        '_respondents|region:C': 'fewer_than_k',
        'q1|region:C|yes': 'fewer_than_k',
        'q1|region:C|no': 'fewer_than_k',
        'q1|region:C|_answered': 'fewer_than_k',
      },
    });
    const { ranges, violations } = await attackReleases([release]);
    expect(rangeOf(ranges, '_respondents', 'region:C', '')).toMatchObject({ min: 3, max: 3 });
    expect(rangeOf(ranges, 'q1', 'region:C', 'yes')).toMatchObject({ min: 2, max: 2, actualMin: 2, actualMax: 2 });
    expect(rangeOf(ranges, 'q1', 'region:C', 'no')).toMatchObject({ min: 1, max: 1 });
    expect(violations.filter((v) => v.includes('pinned'))).toHaveLength(4);
    expect(violations.some((v) => v.includes('q1, region:C, yes') && v.includes('pinned at 2'))).toBe(true);
  });

  it('leaves two regions hidden together unpinned and reports the range of the small one', async () => {
    // Shown: all (yes 17, no 18), region C (5, 5), every region's number answered (A 10, B 15, C 10).
    // Hidden: yes and no of A and B. With t = yes in A: no in A = 10 − t, yes in B = 17 − 5 − t = 12 − t,
    // no in B = 15 − (12 − t) = 3 + t; all of them >= 0 gives 0 <= t <= 10. Read with its reason
    // (fewer than 5), yes in A is from 1 to 4; the others are withheld, which says nothing.
    const release = makeRelease({
      regions: ['A', 'B', 'C'],
      tables: [yesNo],
      leaves: { [leaf('A')]: answers(3, 7), [leaf('B')]: answers(9, 6), [leaf('C')]: answers(5, 5) },
      hidden: { 'q1|region:A|yes': 'fewer_than_k', 'q1|region:A|no': 'withheld', 'q1|region:B|yes': 'withheld', 'q1|region:B|no': 'withheld' },
    });
    const { ranges, violations } = await attackReleases([release]);
    expect(violations).toEqual([]);
    expect(rangeOf(ranges, 'q1', 'region:A', 'yes')).toEqual({
      release: 0,
      table: 'q1',
      group: 'region:A',
      row: 'yes',
      why: 'fewer_than_k',
      min: 0,
      max: 10,
      actualMin: 1,
      actualMax: 4,
    });
    // yes in B = 12 − t: 2..12, and 8..11 once t is 1..4.
    expect(rangeOf(ranges, 'q1', 'region:B', 'yes')).toMatchObject({ min: 2, max: 12, actualMin: 8, actualMax: 11 });
  });

  it('reports a small count hidden together with another but with too narrow a range', async () => {
    // Hidden: yes of A (3) and B (9) only: A's yes is still its answered count less its no, 10 − 7.
    const release = makeRelease({
      regions: ['A', 'B', 'C'],
      tables: [yesNo],
      leaves: { [leaf('A')]: answers(3, 7), [leaf('B')]: answers(9, 6), [leaf('C')]: answers(5, 5) },
      hidden: { 'q1|region:A|yes': 'fewer_than_k', 'q1|region:B|yes': 'withheld' },
    });
    const { violations } = await attackReleases([release]);
    expect(violations.some((v) => v.includes('q1, region:A, yes') && v.includes('pinned at 3'))).toBe(true);
  });

  it('uses what multiple choice tells: each code at most the answered, the codes at least the answered', async () => {
    const multi: Omit<ReleaseTable, 'cells'> = { questionId: 'q2', item: '', type: 'multi', rows: ['a', 'b', ANSWERED], apart: [] };
    const data = (answered: number, a: number, b: number): LeafData => ({ respondents: answered, counts: { q2: { a, b, [ANSWERED]: answered } } });
    // a: all 28 = A 10 + B 12 + C 6; B and C hidden: their sum 18 reaches B's 12 + C's 6 answered.
    const first = makeRelease({
      regions: ['A', 'B', 'C'],
      tables: [multi],
      leaves: { [leaf('A')]: data(10, 10, 6), [leaf('B')]: data(12, 12, 6), [leaf('C')]: data(6, 6, 0) },
      hidden: { 'q2|region:B|a': 'withheld', 'q2|region:C|a': 'withheld' },
    });
    const one = await attackReleases([first]);
    expect(rangeOf(one.ranges, 'q2', 'region:B', 'a')).toMatchObject({ min: 12, max: 12 });
    expect(rangeOf(one.ranges, 'q2', 'region:C', 'a')).toMatchObject({ min: 6, max: 6 });
    // b: B 3 and C 6 hidden (sum 9); nobody in C chose a, so all 6 who answered there chose b.
    const second = makeRelease({
      regions: ['A', 'B', 'C'],
      tables: [multi],
      leaves: { [leaf('A')]: data(10, 10, 5), [leaf('B')]: data(12, 12, 3), [leaf('C')]: data(6, 0, 6) },
      hidden: { 'q2|region:B|b': 'fewer_than_k', 'q2|region:C|b': 'withheld' },
    });
    const two = await attackReleases([second]);
    expect(rangeOf(two.ranges, 'q2', 'region:C', 'b')).toMatchObject({ min: 6, max: 6 });
    expect(rangeOf(two.ranges, 'q2', 'region:B', 'b')).toMatchObject({ min: 3, max: 3 });
    expect(two.violations.some((v) => v.includes('q2, region:B, b') && v.includes('pinned at 3'))).toBe(true);
    // Had somebody in C chosen a, C's b could be lower: 5 or 6 (a = 1 is shown in C, B's b is 3 or 4).
    const third = makeRelease({
      regions: ['A', 'B', 'C'],
      tables: [multi],
      leaves: { [leaf('A')]: data(10, 10, 5), [leaf('B')]: data(12, 12, 3), [leaf('C')]: data(6, 1, 6) },
      hidden: { 'q2|region:B|b': 'fewer_than_k', 'q2|region:C|b': 'withheld' },
    });
    const three = await attackReleases([third]);
    expect(rangeOf(three.ranges, 'q2', 'region:C', 'b')).toMatchObject({ min: 5, max: 6 });
  });

  it('pins a follow-up answered by all shown it when the relation says it is required', async () => {
    const followUp: Omit<ReleaseTable, 'cells'> = { questionId: 'q2', item: '', type: 'partition', rows: ['x', 'y', ANSWERED], apart: [] };
    const data = (yes: number, no: number, x: number, y: number) => answers(yes, no, { q2: { x, y, [ANSWERED]: x + y } });
    const spec = (required: boolean): ReleaseSpec => ({
      regions: ['A', 'B', 'C'],
      tables: [yesNo, followUp],
      leaves: { [leaf('A')]: data(6, 4, 6, 0), [leaf('B')]: data(7, 5, 3, 4), [leaf('C')]: data(5, 0, 2, 3) },
      hidden: Object.fromEntries(
        ['all', 'region:B', 'region:C'].flatMap((group) =>
          ['x', 'y', ANSWERED].map((row) => [`q2|${group}|${row}`, row === ANSWERED ? 'withheld' : 'fewer_than_k'] as const),
        ),
      ),
      relations: [{ questionId: 'q2', parent: 'q1', codes: ['yes'], negated: false, required }],
    });
    // all's x and y are hidden but not fewer than 5: mark them withheld.
    const release = (required: boolean) => {
      const s = spec(required);
      s.hidden!['q2|all|x'] = 'withheld';
      s.hidden!['q2|all|y'] = 'withheld';
      return makeRelease(s);
    };
    const optional = await attackReleases([release(false)]);
    // At most the 7 who said yes in B; x and y of B are 1..4 each once read with their reasons.
    expect(rangeOf(optional.ranges, 'q2', 'region:B', ANSWERED)).toMatchObject({ min: 0, max: 7, actualMin: 2, actualMax: 7 });
    expect(optional.violations.some((v) => v.includes(`q2, region:B, ${ANSWERED}`))).toBe(false);
    const required = await attackReleases([release(true)]);
    expect(rangeOf(required.ranges, 'q2', 'region:B', ANSWERED)).toMatchObject({ min: 7, max: 7 });
    expect(required.violations.some((v) => v.includes(`q2, region:B, ${ANSWERED}`) && v.includes('pinned at 7'))).toBe(true);
  });

  it('recovers the answer of a response added between two releases unless its groups are hidden', async () => {
    const before = { [leaf('A')]: answers(6, 4), [leaf('B')]: answers(7, 5), [leaf('C')]: answers(5, 0) };
    const after = { ...before, [leaf('C')]: answers(6, 0) };
    const knowledge = { segments: { '0,1': { [leaf('A')]: 10, [leaf('B')]: 12, [leaf('C')]: 5 }, '1': { [leaf('C')]: 1 } } };
    const first = makeRelease({ regions: ['A', 'B', 'C'], tables: [yesNo], leaves: before });
    const shown = [first, makeRelease({ regions: ['A', 'B', 'C'], tables: [yesNo], leaves: after })];
    expect(await segmentRange(shown, knowledge, '1', 'q1', 'yes', {})).toEqual({ min: 1, max: 1 });
    expect(await segmentRange(shown, knowledge, '1', 'q1', 'no', { region: 'C' })).toEqual({ min: 0, max: 0 });
    expect((await attackReleases(shown, knowledge)).violations).toEqual([]);
    // Not knowing where the unchanged responses are changes nothing here: the first release shows them.
    const vague = { segments: { '0,1': null, '1': { [leaf('C')]: 1 } } };
    expect(await segmentRange(shown, vague, '1', 'q1', 'yes', {})).toEqual({ min: 1, max: 1 });

    const hidden = [
      first,
      makeRelease({
        regions: ['A', 'B', 'C'],
        tables: [yesNo],
        leaves: after,
        hidden: { 'q1|all|yes': 'withheld', 'q1|all|no': 'withheld', 'q1|region:C|yes': 'withheld', 'q1|region:C|no': 'withheld' },
      }),
    ];
    expect(await segmentRange(hidden, knowledge, '1', 'q1', 'yes', {})).toEqual({ min: 0, max: 1 });
    const { ranges, violations } = await attackReleases(hidden, knowledge);
    expect(violations).toEqual([]);
    expect(rangeOf(ranges, 'q1', 'region:C', 'yes', 1)).toMatchObject({ min: 5, max: 6 });
    // Attacked alone, the second release says less: C's yes is 0..6.
    const alone = await attackReleases([hidden[1]!]);
    expect(rangeOf(alone.ranges, 'q1', 'region:C', 'yes')).toMatchObject({ min: 0, max: 6 });
  });

  it('bounds respondents by the number invited per leaf', async () => {
    const release = makeRelease({
      regions: ['A', 'B', 'C'],
      tables: [yesNo],
      leaves: { [leaf('A')]: answers(6, 5), [leaf('B')]: answers(7, 5), [leaf('C')]: answers(2, 1) },
      hidden: {
        '_respondents|all': 'withheld',
        '_respondents|region:C': 'fewer_than_k',
        'q1|all|yes': 'withheld',
        'q1|all|no': 'withheld',
        'q1|all|_answered': 'withheld',
      },
      breakdowns: ['all', 'region'],
    });
    // Nothing bounds C's respondents from above but what the reader knows of the leaves.
    const free = await attackReleases([{ ...release, tables: [] }]);
    expect(rangeOf(free.ranges, '_respondents', 'region:C', '')).toMatchObject({ min: 0, max: Infinity, actualMin: 1, actualMax: 4 });
    const bounded = await attackReleases([{ ...release, tables: [] }], { maxPerLeaf: { [leaf('C')]: 3 } });
    expect(rangeOf(bounded.ranges, '_respondents', 'region:C', '')).toMatchObject({ min: 0, max: 3 });
    // With the table, C's shown answered count (3) gives C at least 3 respondents.
    const withTable = await attackReleases([release], { maxPerLeaf: { [leaf('C')]: 3 } });
    expect(rangeOf(withTable.ranges, '_respondents', 'region:C', '')).toMatchObject({ min: 3, max: 3 });
  });

  it('throws when the published figures contradict each other', async () => {
    const release = makeRelease({ regions: ['A', 'B'], tables: [yesNo], leaves: { [leaf('A')]: answers(6, 5), [leaf('B')]: answers(7, 5) } });
    release.tables[0]!.cells['all']!['yes'] = { count: 14 };
    await expect(attackReleases([release])).rejects.toThrow(/inconsistent/);
  });

  it('on random small releases: merging leaves no group tells apart changes no range, and a second release only narrows ranges', async () => {
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const pick = (n: number) => Math.floor(random() * n);
    const tables: Omit<ReleaseTable, 'cells'>[] = [
      yesNo,
      { questionId: 'q2', item: '', type: 'partition', rows: ['good', 'bad', 'dk', '_substantive', ANSWERED], apart: ['dk'] },
      { questionId: 'q3', item: '', type: 'multi', rows: ['m1', 'm2', 'm3', ANSWERED], apart: [] },
      { questionId: 'q4', item: 'row1', type: 'multi', rows: ['o1', 'o2', 'dk', '_substantive', ANSWERED], apart: ['dk'] },
    ];
    const person = () => ({ q1: pick(3), q2: pick(4), q3: [random() < 0.5, random() < 0.5, random() < 0.5] as const, q4: pick(5) });
    type Person = ReturnType<typeof person>;
    const leafData = (people: Person[]): LeafData => {
      const count = (f: (p: Person) => boolean) => people.filter(f).length;
      return {
        respondents: people.length,
        counts: {
          q1: { yes: count((p) => p.q1 === 0), no: count((p) => p.q1 === 1), [ANSWERED]: count((p) => p.q1 < 2) },
          q2: {
            good: count((p) => p.q2 === 0),
            bad: count((p) => p.q2 === 1),
            dk: count((p) => p.q2 === 2),
            _substantive: count((p) => p.q2 < 2),
            [ANSWERED]: count((p) => p.q2 < 3),
          },
          // q3 is shown to those who answered q1 (relation below), who choose one option at least.
          q3: {
            m1: count((p) => p.q1 < 2 && p.q3[0]),
            m2: count((p) => p.q1 < 2 && (p.q3[1] || (!p.q3[0] && !p.q3[2]))),
            m3: count((p) => p.q1 < 2 && p.q3[2]),
            [ANSWERED]: count((p) => p.q1 < 2),
          },
          // o1 or o2 alone, o1 with dk, dk alone, or no answer.
          q4: {
            o1: count((p) => p.q4 === 0 || p.q4 === 3),
            o2: count((p) => p.q4 === 1),
            dk: count((p) => p.q4 === 2 || p.q4 === 3),
            _substantive: count((p) => p.q4 !== 2 && p.q4 !== 4),
            [ANSWERED]: count((p) => p.q4 < 4),
          },
        },
      };
    };
    const shape = (round: number) => ({
      kinds: ['gov', 'cso'],
      regions: ['A', 'B'],
      roleGroups: ['r1', 'r2'],
      // Without role groups, leaves of a kind and region are merged.
      breakdowns: round % 2 === 0 ? (['all', 'kind', 'region', 'role_group'] as BreakdownId[]) : (['all', 'kind_region'] as BreakdownId[]),
      tables,
      relations: [{ questionId: 'q3', parent: 'q1', codes: ['yes', 'no'], negated: false, required: false }],
    });
    /** The release of these people, with small counts and a few more hidden at random. */
    const publish = (round: number, people: Record<string, Person[]>) => {
      const leaves = Object.fromEntries(Object.entries(people).map(([key, list]) => [key, leafData(list)]));
      const probe = makeRelease({ ...shape(round), leaves });
      const hidden: Record<string, HiddenReason> = {};
      const reason = (count: number) => (count > 0 && count < 5 ? 'fewer_than_k' : 'withheld');
      for (const table of probe.tables)
        for (const [group, cells] of Object.entries(table.cells))
          for (const [row, cell] of Object.entries(cells))
            if ((cell.count! > 0 && cell.count! < 5) || random() < 0.2) hidden[`${table.questionId}|${group}|${row}`] = reason(cell.count!);
      for (const [group, cell] of Object.entries(probe.respondents)) if (random() < 0.3) hidden[`_respondents|${group}`] = reason(cell.count!);
      return makeRelease({ ...shape(round), leaves, hidden });
    };
    let compared = 0;
    for (let round = 0; round < 6; round++) {
      const people: Record<string, Person[]> = {};
      for (const kind of ['gov', 'cso'])
        for (const region of ['A', 'B'])
          for (const roleGroup of ['r1', 'r2']) people[`${kind}/${region}/${roleGroup}`] = Array.from({ length: pick(7) }, person);
      const release = publish(round, people);
      const fast = await attackReleases([release]);
      compared += fast.ranges.filter((r) => r.min < r.max).length;
      // Merging leaves loses nothing: the same ranges with every leaf kept apart (a bound per leaf
      // keeps them apart; it is too large to matter).
      const apart = await attackReleases([release], { maxPerLeaf: Object.fromEntries(Object.keys(people).map((key) => [key, 1000])) });
      apart.ranges.forEach((range, i) => {
        expect(range.max >= 1000 ? { ...range, max: Infinity } : range).toEqual(fast.ranges[i]);
      });
      // A second release with two new responses; a reader who knows where they are.
      const added = Object.keys(people)
        .filter(() => random() < 0.25)
        .slice(0, 2);
      const later = Object.fromEntries(Object.entries(people).map(([key, list]) => [key, added.includes(key) ? [...list, person()] : list]));
      const segments = {
        '0,1': Object.fromEntries(Object.entries(people).map(([key, list]) => [key, list.length])),
        '1': Object.fromEntries(added.map((key) => [key, 1])),
      };
      const pair = [release, publish(round, later)];
      const fastPair = await attackReleases(pair, { segments });
      // The pair tells at least as much as the first release alone.
      for (const range of fastPair.ranges.filter((r) => r.release === 0)) {
        const alone = fast.ranges.find((r) => r.table === range.table && r.group === range.group && r.row === range.row)!;
        expect(range.max - range.min).toBeLessThanOrEqual(alone.max - alone.min);
      }
      compared += fastPair.ranges.filter((r) => r.min < r.max).length;
    }
    // The comparison is not only of pinned counts.
    expect(compared).toBeGreaterThan(100);
  }, 120_000);
});
