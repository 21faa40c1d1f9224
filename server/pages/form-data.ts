/**
 * Reads the fields of a posted form page into answers. Field names follow the markup of
 * `question-fields.tsx`: `q` for single values, repeated `q` for multiple choice, `q[row]` for
 * matrix rows, `q[option]` = rank for rankings, and `q.other` for "please specify" texts.
 */
import { specifyKey, type Answers } from '../../survey-definitions/answers.ts';
import { readNumber } from '../../survey-definitions/read-number.ts';
import type { Language } from '../../survey-definitions/schema.ts';
import type { Question } from '../../survey-definitions/types.ts';

export type FormFields = Record<string, string | string[]>;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const all = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * Problems that the form itself can produce: two options given the same rank; a number that
 * conventions read differently, with its readings (`params.readings`, e.g. `"12 12000"`).
 */
export interface FormProblem {
  question: string;
  code: 'duplicate_rank' | 'ambiguous_number';
  params?: { text: string; readings: string };
}

/**
 * The names of the fields that confirm how a number field is read: `<q>.reading` holds the number
 * chosen (a radio of the confirmation, or hidden with a saved value) and `<q>.for` the text it reads.
 */
export const numberReadingField = (questionId: string) => `${questionId}.reading`;
export const numberReadingForField = (questionId: string) => `${questionId}.for`;

/**
 * A number field's text read by the page's language. A confirmation counts only for the very text
 * it was given for: once the respondent changes the text, it is read afresh.
 */
function numberFromField(q: Question, text: string, fields: FormFields, language: Language): { value: string | number; problem?: FormProblem } {
  const reading = readNumber(text, language);
  if (reading.kind === 'number') return { value: reading.value };
  if (reading.kind === 'invalid') return { value: text }; // validation says "please enter a number"
  const confirmed = first(fields[numberReadingField(q.id)]);
  const confirmedFor = first(fields[numberReadingForField(q.id)]);
  const chosen = reading.values.find((v) => String(v) === confirmed);
  if (chosen !== undefined && confirmedFor?.trim() === text.trim()) return { value: chosen };
  return { value: text, problem: { question: q.id, code: 'ambiguous_number', params: { text: text.trim(), readings: reading.values.join(' ') } } };
}

/**
 * The answers to the given questions as posted; a question left empty gives no key, which
 * replaces (clears) its stored answer. With problems, the answers are only fit to show the page
 * again: a ranking with a repeated rank is then `{ option: rank }` rather than a list.
 */
export function answersFromForm(questions: Question[], fields: FormFields, language: Language): { answers: Answers; problems: FormProblem[] } {
  const answers: Answers = {};
  const problems: FormProblem[] = [];
  for (const q of questions) {
    switch (q.type) {
      case 'multi_choice': {
        const values = all(fields[q.id]).filter((v) => v !== '');
        if (values.length) answers[q.id] = values;
        break;
      }
      case 'matrix': {
        const value: Record<string, string> = {};
        for (const row of q.rows) {
          const cell = first(fields[`${q.id}[${row.code}]`]);
          if (cell) value[row.code] = cell;
        }
        if (Object.keys(value).length) answers[q.id] = value;
        break;
      }
      case 'ranking': {
        const ranked = q.options
          .map((o, index) => ({ code: o.code, index, rank: Number(first(fields[`${q.id}[${o.code}]`]) || NaN) }))
          .filter((r) => Number.isInteger(r.rank) && r.rank > 0);
        const ranks = ranked.map((r) => r.rank);
        if (new Set(ranks).size !== ranks.length) {
          problems.push({ question: q.id, code: 'duplicate_rank' });
          // Not an answer (nothing is saved with a problem): the ranks as posted, by option, so that
          // the page shown again keeps what the respondent chose instead of clearing the whole list.
          answers[q.id] = Object.fromEntries(ranked.map((r) => [r.code, String(r.rank)]));
        } else if (ranked.length) answers[q.id] = ranked.sort((a, b) => a.rank - b.rank).map((r) => r.code);
        break;
      }
      case 'numeric': {
        const text = first(fields[q.id]);
        if (text === undefined || text.trim() === '') break;
        // Not saved until confirmed: the page is shown again with the text as typed and the readings.
        const { value, problem } = numberFromField(q, text, fields, language);
        answers[q.id] = value;
        if (problem) problems.push(problem);
        break;
      }
      default: {
        const value = first(fields[q.id]);
        if (value !== undefined && value.trim() !== '') answers[q.id] = value;
      }
    }
    const specify = first(fields[specifyKey(q.id)]);
    if (specify !== undefined && specify.trim() !== '') answers[specifyKey(q.id)] = specify;
  }
  return { answers, problems };
}

/** Turns a parsed form body (`c.req.parseBody({ all: true })`) into text fields; files are ignored. */
export function fieldsFromBody(body: Record<string, unknown>): FormFields {
  const fields: FormFields = {};
  for (const [key, value] of Object.entries(body)) {
    const values = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
    fields[key] = values.length === 1 ? values[0]! : values;
  }
  return fields;
}
