/**
 * Answer keys: a question id, or a question id with a suffix (`<id>.other`).
 */
import { describe, expect, it } from 'vitest';
import { questionOfKey, specifyKey } from '../../survey-definitions/answers.ts';

describe('questionOfKey', () => {
  it('is the question of a plain key and of its "please specify" key', () => {
    expect(questionOfKey('g_chair')).toBe('g_chair');
    expect(questionOfKey(specifyKey('g_chair'))).toBe('g_chair');
  });

  it('stops at the first dot, and keeps an empty key empty', () => {
    expect(questionOfKey('q.other.more')).toBe('q');
    expect(questionOfKey('')).toBe('');
  });
});
