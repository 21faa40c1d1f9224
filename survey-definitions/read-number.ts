/**
 * Reads a number as a person writes it, by the conventions of the form's language. Pure.
 *
 * English writes "12,000.5"; French "12 000,5" (with a narrow no-break space, U+202F, or a
 * no-break space, U+00A0) and often "12.000,5"; Spanish "12.000,5" or "12 000,5". A text that
 * another convention reads as a different number is not guessed: the reading says so, and the
 * form asks the respondent which number they mean.
 *
 * @internationalized/number turns the checked text into a number with the locale's symbols. Its
 * parser is lenient on purpose (in English it reads "12,5" as 125, in Spanish "1.5" as 15), so
 * the shape of the text (groups of three digits, one decimal separator) is checked here first.
 */
import { NumberParser } from '@internationalized/number';
import type { Language } from './schema.ts';

/** What a text says as a number. */
export type NumberReading =
  /** One reading only: the number. */
  | { kind: 'number'; value: number }
  /**
   * Conventions disagree, or the text does not follow the language's: the numbers it may mean,
   * the language's own reading first. Nothing is saved until the respondent confirms one.
   */
  | { kind: 'confirm'; values: number[] }
  /** Not a number in any convention ("abc", "1e5", "12.0.0"). */
  | { kind: 'invalid' };

interface Convention {
  decimal: '.' | ',';
  /** Characters that may separate groups of three digits (one kind per number). */
  groups: string[];
  /** The locale whose parser reads the de-grouped text. */
  locale: string;
}

/** Spaces and apostrophes ("12'000", Swiss usage) group digits in every convention. */
const DOT_DECIMAL: Convention = { decimal: '.', groups: [',', ' ', "'"], locale: 'en-US' };
const COMMA_DECIMAL: Convention = { decimal: ',', groups: ['.', ' ', "'"], locale: 'es-ES' };

const CONVENTIONS: Record<Language, { own: Convention; other: Convention }> = {
  en: { own: DOT_DECIMAL, other: COMMA_DECIMAL },
  fr: { own: { ...COMMA_DECIMAL, locale: 'fr-FR' }, other: DOT_DECIMAL },
  es: { own: COMMA_DECIMAL, other: DOT_DECIMAL },
};

const parsers = new Map<string, NumberParser>();
function parserFor(locale: string): NumberParser {
  let parser = parsers.get(locale);
  if (!parser) {
    parser = new NumberParser(locale, { maximumFractionDigits: 20 });
    parsers.set(locale, parser);
  }
  return parser;
}

/** Every kind of space (U+00A0, U+202F, U+2009, …) as " ", typographic minus and apostrophe as ASCII. */
function normalise(text: string): string {
  return text
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/[\u2212\u2012\u2013\ufe63\uff0d]/g, '-')
    .replace(/[\u2019\u02bc]/g, "'");
}

const escapeRegExp = (c: string) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The text read strictly by one convention, or undefined when it does not follow it. */
function readBy(text: string, convention: Convention): { value: number; decimals: boolean } | undefined {
  const decimal = escapeRegExp(convention.decimal);
  for (const group of [undefined, ...convention.groups]) {
    // Digits without separators, or groups of three after a first group of one to three digits
    // that does not start with 0 ("0,500" is never five hundred).
    const integer = group === undefined ? '\\d*' : `[1-9]\\d{0,2}(?:${escapeRegExp(group)}\\d{3})+`;
    const match = new RegExp(`^([+-])? ?(${integer})(?:${decimal}(\\d+))?$`).exec(text);
    if (!match) continue;
    const [, sign = '', whole = '', fraction] = match;
    if (whole === '' && fraction === undefined) return undefined;
    const digits = whole.split(group ?? '').join('') || '0';
    // The de-grouped text in the locale's own symbols, for its parser.
    const localeDecimal = convention.locale === 'en-US' ? '.' : ',';
    const value = parserFor(convention.locale).parse(`${sign === '-' ? '-' : ''}${digits}${fraction === undefined ? '' : localeDecimal + fraction}`);
    return Number.isNaN(value) ? undefined : { value, decimals: fraction !== undefined };
  }
  return undefined;
}

/**
 * Reads what a respondent typed into a number field of a form in `language`.
 *
 * The language's own reading wins when its separators are used as it uses them for groups
 * ("12.000" in Spanish or French, "12,000" in English: twelve thousand). When the language reads a
 * separator as the decimal mark but another convention reads a different number ("12.000" in
 * English, "12,000" in French or Spanish), or the text only follows another convention
 * ("1,500,000" in French), the result asks for confirmation.
 *
 * @example
 *   readNumber('12.000', 'es');    // { kind: 'number', value: 12000 }
 *   readNumber('12 000,50', 'fr'); // { kind: 'number', value: 12000.5 }
 *   readNumber('12.000', 'en');    // { kind: 'confirm', values: [12, 12000] }
 *   readNumber('12,5', 'en');      // { kind: 'confirm', values: [12.5] }
 */
export function readNumber(text: string, language: Language): NumberReading {
  const normalised = normalise(text);
  const { own, other } = CONVENTIONS[language];
  const mine = readBy(normalised, own);
  const theirs = readBy(normalised, other);
  if (mine) {
    if (mine.decimals && theirs && theirs.value !== mine.value) return { kind: 'confirm', values: [mine.value, theirs.value] };
    return { kind: 'number', value: mine.value };
  }
  return theirs ? { kind: 'confirm', values: [theirs.value] } : { kind: 'invalid' };
}

/**
 * Reads a number given as text where no language is known (a string in the JSON API): a number
 * when the conventions agree or only one applies ("12 000", "12,5", "1.500.000"); the readings
 * when they disagree ("12.000" is 12 or 12,000).
 */
export function readNumberInAnyConvention(text: string): NumberReading {
  const normalised = normalise(text);
  const values = [...new Set([readBy(normalised, DOT_DECIMAL), readBy(normalised, COMMA_DECIMAL)].flatMap((r) => (r ? [r.value] : [])))];
  if (values.length === 0) return { kind: 'invalid' };
  return values.length === 1 ? { kind: 'number', value: values[0]! } : { kind: 'confirm', values };
}

/**
 * Whether a number is kept exactly: finite, and if whole, within ±(2^53 − 1)
 * (`Number.MAX_SAFE_INTEGER`). Beyond that, neighbouring integers share one floating-point value:
 * JSON.parse reads 9007199254740993 as 9007199254740992 without a word. Every double of that
 * size is whole, so 1.797e308 is refused too.
 */
export function isExactNumber(value: number): boolean {
  return Number.isFinite(value) && (!Number.isInteger(value) || Number.isSafeInteger(value));
}
