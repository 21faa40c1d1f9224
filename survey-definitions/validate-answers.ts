/**
 * Validates answers against the definition they were given under. Pure: used by the server for
 * every save and submission, and by tests with plain data.
 */
import { questionOfKey, specifyKey, type Answers, type AnswerValue } from './answers.ts';
import { countryChoices } from './countries.ts';
import { tooDeepAt } from './nesting-depth.ts';
import { isExactNumber, readNumberInAnyConvention } from './read-number.ts';
import { allQuestions, choiceCodes, type Question, type SurveyDefinition } from './types.ts';
import { hiddenQuestions } from './visibility.ts';

export const ANSWER_PROBLEM_CODES = [
  'not_an_object',
  'unknown_question',
  'invalid_type',
  'invalid_option',
  'invalid_row',
  'duplicate_option',
  'duplicate_rank',
  'exclusive_option',
  'too_few_selections',
  'too_many_selections',
  'too_few_ranked',
  'too_many_ranked',
  'below_min',
  'above_max',
  'not_integer',
  'ambiguous_number',
  'unsafe_number',
  'too_long',
  'specify_without_option',
  'specify_required',
  'required',
  'incomplete_matrix',
] as const;
export type AnswerProblemCode = (typeof ANSWER_PROBLEM_CODES)[number];

export interface AnswerProblem {
  /** The question id (or `<id>.other` for a "please specify" text). */
  question: string;
  code: AnswerProblemCode;
  /** Values for the message, e.g. `{ max: 500 }`. */
  params?: Record<string, string | number>;
}

export interface AnswerValidation {
  /** The answers as they will be stored: normalised, without empty values or hidden questions. */
  answers: Answers;
  problems: AnswerProblem[];
}

/**
 * The deepest nesting of arrays and objects an answer value may have. No answer needs more than 1
 * (a list of codes, or a matrix's rows holding codes); a deeper value is refused as not in the
 * expected form before anything walks it, so that a cell nested 10,000 arrays deep cannot
 * exhaust the stack.
 */
export const MAX_ANSWER_DEPTH = 4;

/** What `invalid_type` says was expected, by question type. */
const EXPECTED_FORM: Record<Question['type'], string> = {
  single_choice: 'option',
  yes_no: 'option',
  scale: 'option',
  country: 'country',
  multi_choice: 'list',
  ranking: 'list',
  matrix: 'rows',
  numeric: 'number',
  short_text: 'text',
  long_text: 'text',
};

/** `draft` checks what is given; `submit` also asks for every required question that is shown. */
export type ValidationMode = 'draft' | 'submit';

/**
 * Text as it can be stored: NUL characters removed (PostgreSQL text and jsonb cannot hold them)
 * and unpaired UTF-16 surrogates, which are not Unicode, replaced by U+FFFD.
 */
const storableText = (text: string) => text.replace(/\u0000/g, '').replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

const isEmpty = (v: unknown) =>
  v === undefined ||
  v === null ||
  (typeof v === 'string' && v.trim() === '') ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0);

/**
 * Checks answers against a definition and returns them normalised.
 *
 * Empty values (`""`, `[]`, `{}`, `null`) mean "no answer" and are dropped. Answers to questions
 * hidden by skip logic are dropped, not reported: they are not kept.
 *
 * @example
 *   const { answers, problems } = validateAnswers(definition, { g_contributed: 'maybe' }, 'draft');
 *   // problems: [{ question: 'g_contributed', code: 'invalid_option', params: { value: 'maybe' } }]
 */
export function validateAnswers(definition: SurveyDefinition, input: unknown, mode: ValidationMode): AnswerValidation {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { answers: {}, problems: [{ question: '', code: 'not_an_object' }] };
  }
  const questions = new Map(allQuestions(definition).map((q) => [q.id, q]));
  const problems: AnswerProblem[] = [];
  const answers: Answers = {};
  const specifyTexts = new Map<string, string>();

  for (const [key, raw] of Object.entries(input as Record<string, unknown>)) {
    const [questionId, suffix, ...rest] = key.split('.') as [string, string | undefined, ...string[]];
    const question = questions.get(questionId);
    if (!question || (suffix !== undefined && suffix !== 'other') || rest.length) {
      problems.push({ question: key, code: 'unknown_question' });
      continue;
    }
    if (isEmpty(raw)) continue;
    if (tooDeepAt(raw, MAX_ANSWER_DEPTH)) {
      problems.push({ question: key, code: 'invalid_type', params: { expected: suffix === 'other' ? 'text' : EXPECTED_FORM[question.type] } });
      continue;
    }
    if (suffix === 'other') {
      const text = typeof raw === 'string' ? storableText(raw).trim() : undefined;
      if (text === undefined) problems.push({ question: key, code: 'invalid_type', params: { expected: 'text' } });
      else if ([...text].length > 200) problems.push({ question: key, code: 'too_long', params: { max: 200 } });
      else if (text) specifyTexts.set(questionId, text);
      continue;
    }
    const checked = checkValue(question, raw);
    problems.push(...checked.problems.map((p) => ({ ...p, question: question.id })));
    if (checked.value !== undefined && !checked.problems.length) answers[question.id] = checked.value;
  }

  const hidden = hiddenQuestions(definition, answers);
  for (const id of hidden) delete answers[id];
  // What was wrong with an answer to a hidden question does not matter: the answer is dropped.
  for (let i = problems.length - 1; i >= 0; i--) {
    const problem = problems[i]!;
    if (problem.code !== 'unknown_question' && hidden.has(questionOfKey(problem.question))) problems.splice(i, 1);
  }

  for (const [questionId, text] of specifyTexts) {
    // Hidden: dropped. The answer itself has a problem: that problem is the one to show.
    if (hidden.has(questionId) || problems.some((p) => p.question === questionId)) continue;
    const question = questions.get(questionId)!;
    if (!specifyOptionSelected(question, answers[questionId])) {
      problems.push({ question: specifyKey(questionId), code: 'specify_without_option' });
    } else answers[specifyKey(questionId)] = text;
  }

  if (mode === 'submit') {
    for (const question of questions.values()) {
      if (hidden.has(question.id)) continue;
      if (problems.some((p) => p.question === question.id)) continue;
      const value = answers[question.id];
      if (value === undefined) {
        if (question.required) problems.push({ question: question.id, code: 'required' });
        continue;
      }
      if (specifyOptionSelected(question, value) && answers[specifyKey(question.id)] === undefined) {
        problems.push({ question: specifyKey(question.id), code: 'specify_required' });
      }
      problems.push(...minimumProblems(question, value).map((p) => ({ ...p, question: question.id })));
    }
  }
  return { answers, problems };
}

function specifyOptionSelected(question: Question, value: AnswerValue | undefined): boolean {
  if (value === undefined || !('options' in question)) return false;
  const specify = question.options.filter((o) => o.specify).map((o) => o.code);
  return Array.isArray(value) ? value.some((v) => specify.includes(v)) : typeof value === 'string' && specify.includes(value);
}

type Checked = { value?: AnswerValue; problems: Omit<AnswerProblem, 'question'>[] };

function checkValue(question: Question, raw: unknown): Checked {
  const bad = (code: AnswerProblemCode, params?: AnswerProblem['params']): Checked => ({ problems: [{ code, ...(params ? { params } : {}) }] });
  switch (question.type) {
    case 'single_choice':
    case 'yes_no':
    case 'scale': {
      if (typeof raw !== 'string') return bad('invalid_type', { expected: 'option' });
      return choiceCodes(question).includes(raw) ? { value: raw, problems: [] } : bad('invalid_option', { value: raw });
    }
    case 'country': {
      if (typeof raw !== 'string') return bad('invalid_type', { expected: 'country' });
      const code = raw.trim().toUpperCase();
      return countryChoices(question.countries).some((c) => c.code === code) ? { value: code, problems: [] } : bad('invalid_option', { value: raw });
    }
    case 'multi_choice':
    case 'ranking': {
      const list = typeof raw === 'string' ? [raw] : raw;
      if (!Array.isArray(list) || list.some((v) => typeof v !== 'string')) return bad('invalid_type', { expected: 'list' });
      const codes = choiceCodes(question);
      const unknown = list.find((v) => !codes.includes(v));
      if (unknown !== undefined) return bad('invalid_option', { value: unknown });
      if (new Set(list).size !== list.length) return bad('duplicate_option');
      if (question.type === 'multi_choice') {
        const exclusive = question.options.find((o) => o.exclusive && list.includes(o.code));
        if (exclusive && list.length > 1) return bad('exclusive_option', { option: exclusive.code });
        if (question.max_selections !== undefined && list.length > question.max_selections) return bad('too_many_selections', { max: question.max_selections });
      } else if (question.max_ranked !== undefined && list.length > question.max_ranked) {
        return bad('too_many_ranked', { max: question.max_ranked });
      }
      return { value: [...list] as string[], problems: [] };
    }
    case 'matrix': {
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return bad('invalid_type', { expected: 'rows' });
      const rows = new Set(question.rows.map((r) => r.code));
      const codes = choiceCodes(question);
      const value: Record<string, string> = {};
      const problems: Checked['problems'] = [];
      for (const [row, cell] of Object.entries(raw as Record<string, unknown>)) {
        if (!rows.has(row)) problems.push({ code: 'invalid_row', params: { row } });
        else if (isEmpty(cell)) continue;
        else if (typeof cell !== 'string' || !codes.includes(cell)) problems.push({ code: 'invalid_option', params: { value: String(cell), row } });
        else value[row] = cell;
      }
      if (problems.length) return { problems };
      return Object.keys(value).length ? { value, problems } : { problems };
    }
    case 'numeric': {
      // Text comes from the API, where the writer's language is not known (the form reads its
      // fields by the page's language first): "25 000", "12,5" and "1.500.000" are numbers;
      // "12.000" is 12 or 12,000 and is refused with both readings rather than guessed.
      let number = Number.NaN;
      if (typeof raw === 'number') number = raw;
      else if (typeof raw === 'string') {
        const reading = readNumberInAnyConvention(raw);
        if (reading.kind === 'confirm') return bad('ambiguous_number', { text: raw.trim(), readings: reading.values.join(' ') });
        if (reading.kind === 'number') number = reading.value;
      }
      if (!Number.isFinite(number)) return bad('invalid_type', { expected: 'number' });
      if (question.integer && !Number.isInteger(number)) return bad('not_integer');
      if (question.min !== undefined && number < question.min) return bad('below_min', { min: question.min });
      if (question.max !== undefined && number > question.max) return bad('above_max', { max: question.max });
      // A question without limits (a snapshot stored before `max` was required) still refuses
      // integers beyond 2^53, which no longer stand for one number.
      if (!isExactNumber(number)) return bad('unsafe_number', { limit: Number.MAX_SAFE_INTEGER });
      return { value: number, problems: [] };
    }
    case 'short_text':
    case 'long_text': {
      if (typeof raw !== 'string') return bad('invalid_type', { expected: 'text' });
      const text = storableText(raw).replace(/\r\n/g, '\n').trim();
      if (!text) return { problems: [] };
      // Characters, not UTF-16 units: "é" or an emoji counts once, as respondents see it.
      const length = [...text].length;
      if (length > question.max_length) return bad('too_long', { max: question.max_length, length });
      return { value: text, problems: [] };
    }
  }
}

/** Minimums are asked for only at submission, so that a draft may be saved half-done. */
function minimumProblems(question: Question, value: AnswerValue): Omit<AnswerProblem, 'question'>[] {
  // An exclusive option ("none of these") is a complete answer on its own.
  const exclusiveChosen = question.type === 'multi_choice' && Array.isArray(value) && question.options.some((o) => o.exclusive && value.includes(o.code));
  if (
    question.type === 'multi_choice' &&
    Array.isArray(value) &&
    question.min_selections !== undefined &&
    value.length < question.min_selections &&
    !exclusiveChosen
  )
    return [{ code: 'too_few_selections', params: { min: question.min_selections } }];
  if (question.type === 'ranking' && Array.isArray(value) && question.min_ranked !== undefined && value.length < question.min_ranked)
    return [{ code: 'too_few_ranked', params: { min: question.min_ranked } }];
  if (question.type === 'matrix' && question.required && typeof value === 'object' && !Array.isArray(value)) {
    const missing = question.rows.filter((r) => !(r.code in value)).map((r) => r.code);
    if (missing.length) return [{ code: 'incomplete_matrix', params: { rows: missing.join(', '), count: missing.length } }];
  }
  return [];
}
