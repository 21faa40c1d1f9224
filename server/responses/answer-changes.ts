/**
 * What changed between two sets of answers: shown to an editor whose save was based on an old
 * revision, so that a colleague's work is never silently overwritten.
 */
import type { Answers, AnswerValue } from '../../survey-definitions/answers.ts';

export interface AnswerChange {
  /** Question id, or `<id>.other` for a "please specify" text. */
  key: string;
  before: AnswerValue | undefined;
  after: AnswerValue | undefined;
}

function same(a: AnswerValue | undefined, b: AnswerValue | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The keys whose value differs, in the order of `after` then the removed ones. */
export function answerChanges(before: Answers, after: Answers): AnswerChange[] {
  const keys = [...new Set([...Object.keys(after), ...Object.keys(before)])];
  return keys.filter((key) => !same(before[key], after[key])).map((key) => ({ key, before: before[key], after: after[key] }));
}
