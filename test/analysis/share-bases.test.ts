import { describe, expect, it } from 'vitest';
import { matrixBaseNote, shareBaseNote, type ShareBases } from '../../analysis/share-bases.ts';

const dk = (count: number | null, share: number | null) => ({ label: 'Don’t know', count, share });

describe('shareBaseNote', () => {
  it.each<[string, ShareBases, string]>([
    [
      'a single choice with "don’t know": the view-givers are the base, "don’t know" has its own',
      { substantive: 96, answered: 100, apart: [dk(4, 0.04)] },
      'Shares of the 96 who gave a view (they add to 100%). Apart: “Don’t know”, 4 of the 100 who answered (4.0%).',
    ],
    ['no answer apart: the base is everyone who answered', { substantive: 30, answered: 30, apart: [] }, 'Shares of the 30 who answered (they add to 100%).'],
    [
      'a multiple choice says why its shares add to more than 100%',
      { substantive: 30, answered: 30, apart: [], multiple: true },
      'Shares of the 30 who answered; several options could be chosen, so they add to more than 100%.',
    ],
    [
      'two answers apart share one base',
      { substantive: 50, answered: 60, apart: [dk(6, 0.1), { label: 'No basis to judge', count: 4, share: 4 / 60 }] },
      'Shares of the 50 who gave a view (they add to 100%). Apart: “Don’t know”, 6 of the 60 who answered (10.0%); “No basis to judge”, 4 of the 60 who answered (6.7%).',
    ],
    [
      'an observer’s hidden "don’t know" reads "fewer than 5", with no share',
      { substantive: 40, answered: 43, apart: [dk(null, null)] },
      'Shares of the 40 who gave a view (they add to 100%). Apart: “Don’t know”, fewer than 5 of the 43 who answered.',
    ],
    [
      'a hidden base is not named',
      { substantive: null, answered: null, apart: [dk(null, null)] },
      'Shares of those who gave a view, a number not shown (they add to 100%). Apart: “Don’t know”, fewer than 5 of those who answered.',
    ],
    [
      'nobody gave a view',
      { substantive: 0, answered: 3, apart: [dk(3, 1)] },
      'No one gave a view, so there are no shares. Apart: “Don’t know”, 3 of the 3 who answered (100.0%).',
    ],
  ])('%s', (_, bases, expected) => {
    expect(shareBaseNote(bases)).toBe(expected);
  });
});

describe('matrixBaseNote', () => {
  it.each<[readonly string[], string]>([
    [
      ['Don’t know'],
      'Each row’s shares are of those who gave a view on it (column “Gave a view”; they add to 100%). Apart: “Don’t know”, with its share of all who answered the row (column “Answered”).',
    ],
    [[], 'Each row’s shares are of those who answered it (column “Answered”; they add to 100%).'],
  ])('%j', (labels, expected) => {
    expect(matrixBaseNote(labels)).toBe(expected);
  });
});
