/**
 * Which answers give no view: "don't know", "no basis to judge", "not applicable". They are counted
 * apart from the options (and never in a mean), each with its own base, wherever figures are shown.
 */
import type { Question } from './types.ts';

/** The code of a choice question's "don't know" option, and of a yes/no question's. */
export const DONT_KNOW_CODE = 'dk';

/**
 * The non-substantive codes of a question, in the order the definition lists them: a scale's (or
 * matrix's) `non_substantive` codes, a yes/no question's `dk` when it offers "don't know", a
 * choice question's option coded `dk`; none for the other types.
 *
 * @example
 * nonSubstantiveCodes({ type: 'yes_no', dont_know: true, ... }); // ['dk']
 * nonSubstantiveCodes({ type: 'numeric', ... });                 // []
 */
export function nonSubstantiveCodes(question: Question): string[] {
  switch (question.type) {
    case 'scale':
    case 'matrix':
      return question.scale.non_substantive.map((o) => o.code);
    case 'yes_no':
      return question.dont_know ? [DONT_KNOW_CODE] : [];
    case 'single_choice':
    case 'multi_choice':
      return question.options.filter((o) => o.code === DONT_KNOW_CODE).map((o) => o.code);
    default:
      return [];
  }
}
