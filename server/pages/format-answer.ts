/**
 * An answer as words in the respondent's language, for the review page, the receipt and the
 * conflict notice.
 */
import type { AnswerValue } from '../../survey-definitions/answers.ts';
import { findCountry } from '../../survey-definitions/countries.ts';
import type { Language } from '../../survey-definitions/schema.ts';
import type { Option, Question } from '../../survey-definitions/types.ts';
import { formatNumber } from './number-text.ts';
import { colon, t } from './ui-text.ts';

function label(options: Option[], code: string, language: Language): string {
  return options.find((o) => o.code === code)?.label[language] ?? code;
}

/** Scale points and non-substantive codes of a scale or matrix question, as options. */
export function scaleOptions(question: Extract<Question, { type: 'scale' | 'matrix' }>): Option[] {
  return [...question.scale.points.map((p) => ({ code: p.code, label: p.label })), ...question.scale.non_substantive];
}

/** The options a yes/no question offers. */
export function yesNoOptions(question: Extract<Question, { type: 'yes_no' }>): Option[] {
  const text = (key: 'yes' | 'no' | 'dontKnow') => ({ en: t('en', key), fr: t('fr', key), es: t('es', key) });
  return [{ code: 'yes', label: text('yes') }, { code: 'no', label: text('no') }, ...(question.dont_know ? [{ code: 'dk', label: text('dontKnow') }] : [])];
}

/** One line per answered value; an empty list means no answer. */
export function formatAnswer(question: Question, value: AnswerValue | undefined, specify: AnswerValue | undefined, language: Language): string[] {
  if (value === undefined) return [];
  const withSpecify = (code: string, text: string) =>
    'options' in question && question.options.some((o) => o.code === code && o.specify) && typeof specify === 'string'
      ? `${text}${colon(language)}${specify}`
      : text;
  switch (question.type) {
    case 'single_choice':
      return [withSpecify(String(value), label(question.options, String(value), language))];
    case 'multi_choice':
      return (value as string[]).map((code) => withSpecify(code, label(question.options, code, language)));
    case 'ranking':
      return (value as string[]).map((code, i) => `${i + 1}. ${label(question.options, code, language)}`);
    case 'scale':
      return [label(scaleOptions(question), String(value), language)];
    case 'matrix': {
      const cells = value as Record<string, string>;
      return question.rows
        .filter((r) => r.code in cells)
        .map((r) => `${r.label[language]}${colon(language)}${label(scaleOptions(question), cells[r.code]!, language)}`);
    }
    case 'yes_no':
      return [label(yesNoOptions(question), String(value), language)];
    case 'country':
      return [findCountry(String(value))?.names[language] ?? String(value)];
    case 'numeric':
      return [`${formatNumber(Number(value), language)}${question.unit ? ` ${question.unit[language]}` : ''}`];
    case 'short_text':
    case 'long_text':
      return [String(value)];
  }
}
