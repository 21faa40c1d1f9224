/**
 * Texts of an XLSForm row in our three languages. Columns such as `label::English (en)`,
 * `label::French` or a plain `label` (in the form's default language) are read; a language the form
 * lacks is filled with the English text and the place recorded, so that it can be marked for
 * translation. Columns in other languages are reported once each and left out.
 */
import { LANGUAGES, type Language, type LocalizedText } from '../../survey-definitions/schema.ts';
import { cellAt, languageOf, type ConversionProblem, type Sheet, type SheetRow } from './workbook.ts';

/** Reads the texts of rows, remembering what had to be filled or left out. */
export class TextReader {
  /** Each text that had languages filled in, with those languages. */
  readonly filled = new Map<LocalizedText, Language[]>();
  private readonly reportedColumns = new Set<string>();

  constructor(
    private readonly defaultLanguage: Language,
    private readonly problems: ConversionProblem[],
  ) {}

  /** The texts of column `base` (label, hint…) in each language given on the row. */
  languagesOf(sheet: Sheet, row: SheetRow, base: string): Partial<LocalizedText> {
    const texts: Partial<LocalizedText> = {};
    for (const [header, value] of Object.entries(row.cells)) {
      const [name, languageName] = header.split('::').map((s) => s.trim());
      if (name?.toLowerCase() !== base || value.trim() === '') continue;
      const language = languageName === undefined ? this.defaultLanguage : languageOf(languageName);
      if (language) texts[language] = value.trim();
      else if (!this.reportedColumns.has(`${sheet.name}\u0000${header}`)) {
        this.reportedColumns.add(`${sheet.name}\u0000${header}`);
        this.problems.push({
          ...cellAt(sheet, row.row, header),
          message: `the language '${languageName}' is left out: questionnaires are served in English, French and Spanish`,
          essential: false,
        });
      }
    }
    return texts;
  }

  /**
   * The text in all three languages, or undefined when the row gives it in none of them. A missing
   * language is filled from English (or, without English, from French, then Spanish) and the
   * text recorded in {@link filled}.
   */
  read(sheet: Sheet, row: SheetRow, base: string): LocalizedText | undefined {
    return this.complete(this.languagesOf(sheet, row, base));
  }

  /** Fills the languages a text lacks, recording it; undefined when it has none. */
  complete(texts: Partial<LocalizedText>): LocalizedText | undefined {
    const source = texts.en ?? texts.fr ?? texts.es;
    if (source === undefined) return undefined;
    const text = { en: texts.en ?? source, fr: texts.fr ?? source, es: texts.es ?? source };
    const missing = LANGUAGES.filter((l) => texts[l] === undefined);
    if (missing.length) this.filled.set(text, missing);
    return text;
  }

  /** A copy of a text (so that a questionnaire file repeats it rather than aliasing it), still recorded if filled. */
  copy(text: LocalizedText): LocalizedText {
    const copy = { ...text };
    const missing = this.filled.get(text);
    if (missing) this.filled.set(copy, missing);
    return copy;
  }
}
