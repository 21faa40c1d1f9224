/**
 * Which questions a respondent sees, given the answers so far (skip logic).
 */
import { questionOfKey, type Answers } from './answers.ts';
import { evaluateExpression, parseExpression, type Expression } from './expression.ts';
import { allQuestions, type SurveyDefinition } from './types.ts';

const parsed = new WeakMap<SurveyDefinition, Map<string, Expression>>();

/** The parsed `show_if` of every question that has one (parsed once per definition). */
function conditions(definition: SurveyDefinition): Map<string, Expression> {
  let map = parsed.get(definition);
  if (!map) {
    map = new Map();
    for (const q of allQuestions(definition)) if (q.show_if) map.set(q.id, parseExpression(q.show_if));
    parsed.set(definition, map);
  }
  return map;
}

/**
 * The ids of the questions hidden by skip logic. Questions are taken in order and a condition
 * sees only the answers of questions that are themselves visible, so hiding a question also
 * hides whatever depended on it.
 */
export function hiddenQuestions(definition: SurveyDefinition, answers: Answers): Set<string> {
  const hidden = new Set<string>();
  const visibleAnswers: Answers = {};
  const byQuestion = conditions(definition);
  for (const q of allQuestions(definition)) {
    const condition = byQuestion.get(q.id);
    if (condition && !evaluateExpression(condition, visibleAnswers)) {
      hidden.add(q.id);
      continue;
    }
    const value = answers[q.id];
    if (value !== undefined) visibleAnswers[q.id] = value;
  }
  return hidden;
}

/** The answers without those to hidden questions (and without their "please specify" texts). */
export function withoutHiddenAnswers(definition: SurveyDefinition, answers: Answers): Answers {
  const hidden = hiddenQuestions(definition, answers);
  return Object.fromEntries(Object.entries(answers).filter(([key]) => !hidden.has(questionOfKey(key))));
}
