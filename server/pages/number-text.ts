/**
 * Numbers as the respondent's language writes them: on the review page and the receipt, in a
 * number field showing a saved answer, and in the choices of a confirmation.
 */
import { readNumber } from '../../survey-definitions/read-number.ts';
import type { Language } from '../../survey-definitions/schema.ts';

const formats = new Map<string, Intl.NumberFormat>();
function format(language: Language, options: Intl.NumberFormatOptions, key: string): Intl.NumberFormat {
  let f = formats.get(`${language}/${key}`);
  if (!f) {
    f = new Intl.NumberFormat(language, options);
    formats.set(`${language}/${key}`, f);
  }
  return f;
}

/**
 * Every digit of the number with the language's groups and decimal mark: 12,000.5 / 12 000,5
 * (narrow no-break space) / 12.000,5. Never rounded, unlike Intl's default of three decimals.
 */
export function formatNumber(value: number, language: Language): string {
  return format(language, { maximumFractionDigits: 20 }, 'exact').format(value);
}

/**
 * The number in words when that says it exactly and adds something: "12 thousand", "1,5 million",
 * "12 mil"; undefined for 12, 12,345 or 0.5.
 */
export function numberInWords(value: number, language: Language): string | undefined {
  const scale = [1e12, 1e9, 1e6, 1e3].find((s) => Math.abs(value) >= s);
  if (!scale) return undefined;
  // Only where it reads at a glance and exactly: 12.5 thousand, not 12.345 thousand.
  const tenths = (value / scale) * 10;
  if (Math.abs(Math.round(tenths) - tenths) > 1e-9) return undefined;
  return format(language, { notation: 'compact', compactDisplay: 'long', maximumFractionDigits: 1 }, 'words').format(value);
}

/** A choice in a confirmation: "12,000 (12 thousand)", or "12". */
export function numberChoiceLabel(value: number, language: Language): string {
  const words = numberInWords(value, language);
  return words ? `${formatNumber(value, language)} (${words})` : formatNumber(value, language);
}

/**
 * A saved number as it is shown again in its field (12000, 12000,5), and whether the form must carry its value
 * along: "12.345" in English could also be read as 12,345, so the page says which one it shows
 * and the unchanged text is not asked about again.
 */
export function numberFieldText(value: number, language: Language): { text: string; carriesValue: boolean } {
  // Without groups: easier to edit, and what most respondents type.
  const text = format(language, { maximumFractionDigits: 20, useGrouping: false }, 'field').format(value);
  return { text, carriesValue: readNumber(text, language).kind !== 'number' };
}
