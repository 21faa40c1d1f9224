import { describe, expect, it } from 'vitest';
import type { SurveyDefinition } from '../../survey-definitions/types.ts';
import { hiddenQuestions, withoutHiddenAnswers } from '../../survey-definitions/visibility.ts';
import { checkedDefinition, definition, option, question, rawDefinitionWithSections, section } from '../fixtures/survey-definitions.ts';

/**
 * attended ─┬─ meetings (attended == yes) ─┬─ athens_view ("2009_athens" in meetings) ── athens_comment (athens_view == 1)
 *           │                              └─ not_none (not none in meetings)
 *           └─ why_not (attended == no)
 * always: no condition
 */
function chained(): SurveyDefinition {
  return definition([
    question('attended', 'yes_no'),
    question('meetings', 'multi_choice', { options: [{ from: 'meetings' }], show_if: 'attended == yes' }),
    question('athens_view', 'scale', { show_if: '"2009_athens" in meetings' }),
    question('athens_comment', 'short_text', { show_if: 'athens_view == 1' }),
    question('not_none', 'yes_no', { show_if: 'not none in meetings' }),
    question('why_not', 'single_choice', { options: [option('cost'), option('other', { specify: true })], show_if: 'attended == no' }),
    question('always', 'yes_no'),
  ]);
}

const sorted = (ids: Set<string>) => [...ids].sort();

describe('hiddenQuestions', () => {
  it('hides every conditional question whose condition is not met when nothing is answered', () => {
    expect(sorted(hiddenQuestions(chained(), {}))).toEqual(['athens_comment', 'athens_view', 'meetings', 'why_not']);
  });

  it('shows the questions whose conditions hold, all along a chain', () => {
    const answers = { attended: 'yes', meetings: ['2009_athens'], athens_view: '1' };
    expect(sorted(hiddenQuestions(chained(), answers))).toEqual(['why_not']);
  });

  it('hiding a question also hides the questions that depend on it, even with stale answers', () => {
    // The respondent first said yes and answered the follow-ups, then changed to no.
    const answers = { attended: 'no', meetings: ['2009_athens'], athens_view: '1', athens_comment: 'Good', why_not: 'cost' };
    expect(sorted(hiddenQuestions(chained(), answers))).toEqual(['athens_comment', 'athens_view', 'meetings']);
  });

  it('hides the end of a chain when a middle question no longer fits', () => {
    const answers = { attended: 'yes', meetings: ['none'], athens_view: '1', athens_comment: 'Good', not_none: 'yes' };
    expect(sorted(hiddenQuestions(chained(), answers))).toEqual(['athens_comment', 'athens_view', 'not_none', 'why_not']);
  });

  it('treats an answer to a hidden question as no answer for later conditions', () => {
    // meetings is hidden, so `not none in meetings` holds although the stale answer contains none.
    const answers = { attended: 'no', meetings: ['none'] };
    expect(hiddenQuestions(chained(), answers).has('not_none')).toBe(false);
    expect(hiddenQuestions(chained(), { attended: 'yes', meetings: ['none'] }).has('not_none')).toBe(true);
  });

  it('follows conditions across sections', () => {
    const def = checkedDefinition(
      rawDefinitionWithSections([
        section('s1', [question('q1', 'yes_no')]),
        section('s2', [question('q2', 'yes_no', { show_if: 'q1 == yes' })]),
        section('s3', [question('q3', 'numeric', { show_if: 'q2 == yes' })]),
      ]),
    );
    expect(sorted(hiddenQuestions(def, { q1: 'yes', q2: 'yes', q3: 4 }))).toEqual([]);
    expect(sorted(hiddenQuestions(def, { q1: 'no', q2: 'yes', q3: 4 }))).toEqual(['q2', 'q3']);
  });

  it('gives independent results for the same definition with different answers', () => {
    const def = chained();
    expect(sorted(hiddenQuestions(def, { attended: 'no' }))).toEqual(['athens_comment', 'athens_view', 'meetings']);
    expect(sorted(hiddenQuestions(def, { attended: 'yes' }))).toEqual(['athens_comment', 'athens_view', 'why_not']);
    expect(sorted(hiddenQuestions(def, { attended: 'no' }))).toEqual(['athens_comment', 'athens_view', 'meetings']);
  });

  it('hides nothing in a questionnaire without skip logic', () => {
    expect(hiddenQuestions(definition([question('q1', 'yes_no'), question('q2', 'numeric')]), { q1: 'no' }).size).toBe(0);
  });
});

describe('withoutHiddenAnswers', () => {
  it('drops the answers to hidden questions and their "please specify" texts', () => {
    const answers = {
      attended: 'yes',
      meetings: ['none'],
      athens_view: '2',
      athens_comment: 'Fine',
      why_not: 'other',
      'why_not.other': 'Visa refused',
      always: 'yes',
    };
    expect(withoutHiddenAnswers(chained(), answers)).toEqual({ attended: 'yes', meetings: ['none'], always: 'yes' });
  });

  it('keeps a visible question with its "please specify" text', () => {
    const answers = { attended: 'no', why_not: 'other', 'why_not.other': 'Visa refused', meetings: ['2009_athens'] };
    expect(withoutHiddenAnswers(chained(), answers)).toEqual({ attended: 'no', why_not: 'other', 'why_not.other': 'Visa refused' });
  });

  it('returns a new object and leaves the answers it is given alone', () => {
    const answers = { attended: 'no', meetings: ['2009_athens'] };
    const result = withoutHiddenAnswers(chained(), answers);
    expect(result).toEqual({ attended: 'no' });
    expect(answers).toEqual({ attended: 'no', meetings: ['2009_athens'] });
  });
});
