/**
 * Turns validated answers into the rows of the `answer` table: one row per answered value, so
 * that counting per option, per stakeholder group or per region is a plain SQL GROUP BY.
 */
import { specifyKey, type Answers } from '../../survey-definitions/answers.ts';
import { allQuestions, type SurveyDefinition } from '../../survey-definitions/types.ts';

export interface AnswerRow {
  question_id: string;
  item: string;
  code: string | null;
  number: number | null;
  text: string | null;
}

/**
 * @example
 *   answerRows(definition, { g_roles: ['troika', 'steering_group'] })
 *   // [{ question_id: 'g_roles', item: '', code: 'troika', ... }, { ..., code: 'steering_group' }]
 */
export function answerRows(definition: SurveyDefinition, answers: Answers): AnswerRow[] {
  const rows: AnswerRow[] = [];
  const row = (question_id: string, fields: Partial<AnswerRow>): AnswerRow => ({ question_id, item: '', code: null, number: null, text: null, ...fields });
  for (const q of allQuestions(definition)) {
    const value = answers[q.id];
    if (value === undefined) continue;
    const specify = answers[specifyKey(q.id)];
    const specifyText = (code: string) =>
      'options' in q && q.options.some((o) => o.code === code && o.specify) && typeof specify === 'string' ? specify : null;
    switch (q.type) {
      case 'single_choice':
      case 'yes_no':
      case 'country':
        rows.push(row(q.id, { code: String(value), text: specifyText(String(value)) }));
        break;
      case 'scale': {
        const point = q.scale.points.find((p) => p.code === value);
        rows.push(row(q.id, { code: String(value), number: point ? point.value : null }));
        break;
      }
      case 'multi_choice':
        for (const code of value as string[]) rows.push(row(q.id, { code, text: specifyText(code) }));
        break;
      case 'ranking':
        for (const [index, code] of (value as string[]).entries()) rows.push(row(q.id, { item: code, code, number: index + 1 }));
        break;
      case 'matrix':
        for (const [item, code] of Object.entries(value as Record<string, string>)) {
          const point = q.scale.points.find((p) => p.code === code);
          rows.push(row(q.id, { item, code, number: point ? point.value : null }));
        }
        break;
      case 'numeric':
        rows.push(row(q.id, { number: Number(value) }));
        break;
      case 'short_text':
      case 'long_text':
        rows.push(row(q.id, { text: String(value) }));
        break;
    }
  }
  return rows;
}
