/**
 * The columns of the published row file and how each answer is coded in them. Pure: a definition
 * in, column specifications out; an answer set in, coded cells out.
 *
 * Values are codes, never labels, so that answers given in French and Spanish combine with English
 * ones; the special codes below say why a cell holds no answer.
 */
import type { Answers } from '../../survey-definitions/answers.ts';
import { expressionReferences, parseExpression } from '../../survey-definitions/expression.ts';
import { nonSubstantiveCodes } from '../../survey-definitions/non-substantive.ts';
import { questionNumbers } from '../../survey-definitions/question-numbers.ts';
import { allQuestions, type Question, type SurveyDefinition } from '../../survey-definitions/types.ts';

/** Codes that stand for the absence of an answer, with their meaning (they all start with a dot). */
export const SPECIAL_CODES = {
  '.h': 'hidden by skip logic: the question was not shown to this respondent',
  '.a': 'not answered: shown but left blank',
  '.x': 'not asked: the question is not in the questionnaire version this response was given under, or was asked there in another form',
  '.o': 'an option the current questionnaire no longer offers',
  '.w': 'withheld: free text not reviewed and approved for publication',
  '.s': 'suppressed by disclosure control',
  '.n': 'not ranked: the respondent ranked other options but not this one',
} as const;
export type SpecialCode = keyof typeof SPECIAL_CODES;

export interface CodeLabel {
  code: string;
  label: string;
}

/** One column of the row file. */
export interface ExportColumn {
  name: string;
  questionId: string;
  /** The question's number in the form (survey-definitions/question-numbers.ts). */
  number: number;
  /** Matrix row, multiple-choice or ranked option; '' for a question with one column. */
  item: string;
  type: Question['type'];
  /** The question (and item) in English, as the codebook shows it. */
  text: string;
  /** The question alone, in English. */
  question: string;
  /** The item's label in English (multiple-choice option, matrix row, ranked option); '' for none. */
  itemLabel: string;
  /** The codes the column may hold besides the special codes; empty for numbers and text. */
  codes: CodeLabel[];
  /** Whether counts of this column are published in tables.csv (coded, one code per respondent or a 0/1 flag). */
  tabulated: 'partition' | 'flag' | false;
  /** Counted in tables.csv but left out of responses.csv: the answer describes the respondent. */
  tablesOnly?: boolean;
  /** Codes (of a multiple choice: options) that give no view ("don't know"): tables.csv counts them apart from the shares' base. */
  apart?: string[];
}

/** A question left out of the row file, and why. */
export interface WithheldQuestion {
  questionId: string;
  reason: string;
}

function optionLabels(question: Question): CodeLabel[] {
  switch (question.type) {
    case 'single_choice':
    case 'multi_choice':
    case 'ranking':
      return question.options.map((o) => ({ code: o.code, label: o.label.en }));
    case 'scale':
    case 'matrix':
      return [...question.scale.points, ...question.scale.non_substantive].map((p) => ({ code: p.code, label: p.label?.en ?? p.code }));
    case 'yes_no':
      return [{ code: 'yes', label: 'Yes' }, { code: 'no', label: 'No' }, ...(question.dont_know ? [{ code: 'dk', label: "Don't know" }] : [])];
    default:
      return [];
  }
}

/**
 * The row file's answer columns for a definition, and the questions left out: identifying
 * questions and country questions (a government's country is the government itself).
 *
 * @example exportColumns(definition).columns.map((c) => c.name) // ['g_years_participated', 'g_roles_known.chair', ...]
 */
export function exportColumns(definition: SurveyDefinition): { columns: ExportColumn[]; withheld: WithheldQuestion[] } {
  const columns: ExportColumn[] = [];
  const withheld: WithheldQuestion[] = [];
  const withheldIds = new Set<string>();
  const numbers = questionNumbers(definition);
  for (const q of allQuestions(definition)) {
    const reason = withholdingReason(q, withheldIds);
    if (reason) {
      withheld.push({ questionId: q.id, reason });
      withheldIds.add(q.id);
      continue;
    }
    const text = q.text.en;
    const apart = nonSubstantiveCodes(q);
    const base = { questionId: q.id, number: numbers.get(q.id)!, type: q.type, question: text, ...(apart.length ? { apart } : {}) };
    switch (q.type) {
      case 'multi_choice':
        for (const o of q.options) {
          columns.push({
            ...base,
            name: `${q.id}.${o.code}`,
            item: o.code,
            itemLabel: o.label.en,
            text: `${text} — ${o.label.en}`,
            codes: [
              { code: '1', label: 'selected' },
              { code: '0', label: 'not selected' },
            ],
            tabulated: 'flag',
          });
        }
        break;
      case 'matrix':
        for (const row of q.rows)
          columns.push({
            ...base,
            name: `${q.id}.${row.code}`,
            item: row.code,
            itemLabel: row.label.en,
            text: `${text} — ${row.label.en}`,
            codes: optionLabels(q),
            tabulated: 'partition',
          });
        break;
      case 'ranking':
        for (const o of q.options) {
          const ranks = q.options.map((_, i) => ({ code: String(i + 1), label: `ranked ${i + 1}` }));
          columns.push({
            ...base,
            name: `${q.id}.${o.code}`,
            item: o.code,
            itemLabel: o.label.en,
            text: `${text} — ${o.label.en} (rank, 1 = first)`,
            codes: ranks,
            tabulated: false,
          });
        }
        break;
      case 'numeric':
      case 'short_text':
      case 'long_text':
        columns.push({ ...base, name: q.id, item: '', itemLabel: '', text, codes: [], tabulated: false });
        break;
      default:
        columns.push({
          ...base,
          name: q.id,
          item: '',
          itemLabel: '',
          text,
          codes: optionLabels(q),
          tabulated: 'partition',
          ...(q.quasi_identifier ? { tablesOnly: true } : {}),
        });
    }
  }
  return { columns, withheld };
}

/**
 * Why a question never reaches the bundle, or null. A question shown only after an answer to a
 * withheld one is withheld too: whether it was hidden would tell that answer.
 */
function withholdingReason(q: Question, withheldIds: ReadonlySet<string>): string | null {
  if (q.identifying) return 'identifying question: never published';
  if (q.type === 'country') return 'country: never published (regions are in the region column)';
  if (q.show_if) {
    const depends = expressionReferences(parseExpression(q.show_if)).find((r) => withheldIds.has(r.question));
    if (depends) return `shown only after an answer to ${depends.question}, which is withheld: whether it was asked would tell that answer`;
  }
  return null;
}

/** What the row needs besides its answers. */
export interface RowContext {
  /** The questions of the version the response was given under, by id. */
  asked: ReadonlyMap<string, Question>;
  /** Questions hidden by skip logic in the submitted answers. */
  hidden: ReadonlySet<string>;
  /** Approved, redacted free text by question id (only texts still matching their approval). */
  approvedText: ReadonlyMap<string, string>;
}

/** The codes a column may hold, as a set, per column (built once per export). */
const knownCodes = new WeakMap<ExportColumn, Set<string>>();
function isKnownCode(column: ExportColumn, code: string): boolean {
  let codes = knownCodes.get(column);
  if (!codes) {
    codes = new Set(column.codes.map((c) => c.code));
    knownCodes.set(column, codes);
  }
  return codes.has(code);
}

/**
 * Whether the version answered asked the column's question in the same form: same type, and not
 * withheld there. Otherwise the old answer could carry anything (free text once asked as text, an
 * identifying answer), so it is never printed. An answer to a quasi-identifier question is coded
 * for its tables-only column (counted in tables.csv, never in the row file), and for no other.
 */
function askedAlike(column: ExportColumn, asked: Question | undefined): boolean {
  return asked !== undefined && asked.type === column.type && !asked.identifying && (!asked.quasi_identifier || column.tablesOnly === true);
}

/**
 * The coded cell of each column for one response's submitted answers. Only values the current
 * questionnaire knows are printed: a code it no longer has becomes `.o`, and an answer given to a
 * question asked in another form becomes `.x`.
 *
 * @example codeAnswers(columns, { q1: 'agree' }, context) // ['agree', '.h', ...]
 */
export function codeAnswers(columns: readonly ExportColumn[], answers: Answers, context: RowContext): string[] {
  return columns.map((column) => {
    if (!askedAlike(column, context.asked.get(column.questionId))) return '.x';
    if (context.hidden.has(column.questionId)) return '.h';
    const value = answers[column.questionId];
    if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return '.a';
    switch (column.type) {
      case 'multi_choice':
        return Array.isArray(value) && value.includes(column.item) ? '1' : '0';
      case 'matrix': {
        const cell = typeof value === 'object' && !Array.isArray(value) ? value[column.item] : undefined;
        if (typeof cell !== 'string') return '.a';
        return isKnownCode(column, cell) ? cell : '.o';
      }
      case 'ranking': {
        const rank = Array.isArray(value) ? value.indexOf(column.item) : -1;
        return rank < 0 ? '.n' : String(rank + 1);
      }
      case 'numeric':
        return typeof value === 'number' && Number.isFinite(value) ? String(value) : '.x';
      case 'short_text':
      case 'long_text':
        return context.approvedText.get(column.questionId) ?? '.w';
      default:
        return typeof value === 'string' && isKnownCode(column, value) ? value : '.o';
    }
  });
}
