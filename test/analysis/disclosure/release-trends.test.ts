/**
 * Trend tables from two hand-written releases: the cells are the releases' own, a later answer split
 * in two is summed only when both parts are shown, and a change needs both shares.
 */
import { describe, expect, it } from 'vitest';
import type { PublishedRelease, ReleaseCell, ReleaseTable } from '../../../analysis/disclosure/release-model.ts';
import { releaseTrendTables, sharedGroups, trendChange, trendShare, type TrendLink } from '../../../analysis/disclosure/release-trends.ts';

const shown = (count: number): ReleaseCell => ({ count });
const few: ReleaseCell = { count: null, why: 'fewer_than_k' };
const withheld: ReleaseCell = { count: null, why: 'withheld' };

function release(surveyId: string, groups: string[], tables: ReleaseTable[]): PublishedRelease {
  return {
    id: surveyId === 'a' ? 1 : 2,
    surveyId,
    name: surveyId,
    createdAt: '2026-12-01T00:00:00.000Z',
    final: false,
    contentHash: surveyId.repeat(64).slice(0, 64),
    threshold: 5,
    earlier: [],
    breakdowns: [
      { id: 'all', groups: ['all'] },
      { id: 'region', groups: groups.filter((g) => g !== 'all') },
    ],
    groups: Object.fromEntries(groups.map((g) => [g, { label: g }])),
    dimensions: { kind: ['government'], region: [], roleGroup: [] },
    respondents: Object.fromEntries(groups.map((g) => [g, shown(20)])),
    tables,
    numeric: [],
    relations: [],
  };
}

const before = release(
  'a',
  ['all', 'region:Africa', 'region:Asia'],
  [
    {
      questionId: 'q11',
      item: '',
      type: 'partition',
      rows: ['chair', 'unit', '_answered'],
      apart: [],
      cells: {
        all: { chair: shown(8), unit: shown(12), _answered: shown(20) },
        'region:Africa': { chair: few, unit: withheld, _answered: shown(6) },
        'region:Asia': { chair: shown(5), unit: shown(5), _answered: shown(10) },
      },
    },
    {
      questionId: 'm11',
      item: '',
      type: 'multi',
      rows: ['x', 'y', '_answered'],
      apart: [],
      cells: { all: { x: shown(10), y: shown(10), _answered: shown(15) } },
    },
  ],
);
const after = release(
  'b',
  ['all', 'region:Africa', 'region:Europe'],
  [
    {
      questionId: 'q12',
      item: '',
      type: 'partition',
      rows: ['alone', 'troika', 'unit', '_answered'],
      apart: [],
      cells: {
        all: { alone: shown(6), troika: shown(9), unit: shown(5), _answered: shown(20) },
        'region:Africa': { alone: few, troika: shown(0), unit: shown(5), _answered: shown(7) },
      },
    },
    {
      questionId: 'm12',
      item: '',
      type: 'multi',
      rows: ['x1', 'x2', '_answered'],
      apart: [],
      cells: { all: { x1: shown(7), x2: shown(6), _answered: shown(15) } },
    },
  ],
);
const links: TrendLink[] = [
  { trendKey: 'channel', earlierQuestionId: 'q11', laterQuestionId: 'q12', codeMap: { alone: 'chair', troika: 'chair' } },
  { trendKey: 'multi', earlierQuestionId: 'm11', laterQuestionId: 'm12', codeMap: { x1: 'x', x2: 'x' } },
];

describe('releaseTrendTables', () => {
  const [channel, multi] = releaseTrendTables(before, after, links);

  it('keeps the groups both releases hold', () => {
    expect(sharedGroups(before, after)).toEqual(['all', 'region:Africa']);
    expect(Object.keys(channel!.cells)).toEqual(['all', 'region:Africa']);
  });

  it('copies the earlier cells and sums the later parts only when all are shown', () => {
    expect(channel!.cells['all']!['chair']).toEqual({ earlier: shown(8), later: shown(15) });
    expect(channel!.cells['all']!['unit']).toEqual({ earlier: shown(12), later: shown(5) });
    // Africa: "alone" is fewer than 5 and "troika" 0; their sum (1 to 4) would give "alone" away.
    expect(channel!.cells['region:Africa']!['chair']).toEqual({ earlier: few, later: withheld });
    expect(channel!.cells['region:Africa']!['unit']).toEqual({ earlier: withheld, later: shown(5) });
  });

  it('never adds the options of a multiple choice gathered into one (a respondent may have both)', () => {
    expect(multi!.cells['all']!['x']).toEqual({ earlier: shown(10), later: withheld });
  });

  it('gives shares and the change in points only where both phases show count and base', () => {
    expect(trendShare(channel!, 'all', 'chair', 'earlier')).toBeCloseTo(8 / 20, 12);
    expect(trendChange(channel!, 'all', 'chair')).toBeCloseTo((15 / 20 - 8 / 20) * 100, 12);
    expect(trendChange(channel!, 'all', 'unit')).toBeCloseTo((5 / 20 - 12 / 20) * 100, 12);
    expect(trendChange(channel!, 'region:Africa', 'chair')).toBeNull();
    expect(trendChange(channel!, 'region:Africa', 'unit')).toBeNull();
    expect(trendChange(channel!, 'all', '_answered')).toBeNull();
  });

  it('leaves out a tied question one of the releases does not publish', () => {
    expect(releaseTrendTables(before, after, [{ trendKey: 'gone', earlierQuestionId: 'q11', laterQuestionId: 'nope', codeMap: {} }])).toEqual([]);
  });

  it('marks an earlier answer the later phase no longer offers as not asked', () => {
    const [t] = releaseTrendTables(before, after, [
      { trendKey: 'channel', earlierQuestionId: 'q11', laterQuestionId: 'q12', codeMap: { alone: 'unit', troika: 'unit', unit: 'unit' } },
    ]);
    expect(t!.cells['all']!['chair']!.later).toBeNull();
    expect(t!.cells['all']!['unit']!.later).toEqual(shown(20));
  });
});
