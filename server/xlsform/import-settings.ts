/**
 * The settings and choices sheets of an XLSForm, read for `import-form.ts`: the questionnaire's
 * id, version, title and languages, the toolkit's own fields (`toolkit_*` columns written by the
 * export), and the choice lists with codes made valid for us.
 */
import { RESPONDENT_KINDS, type Language, type LocalizedText } from '../../survey-definitions/schema.ts';
import { findCountry } from '../../survey-definitions/countries.ts';
import type { ChoiceList } from './import-question.ts';
import { TextReader } from './import-texts.ts';
import { cellAt, cellText, languageOf, type ConversionProblem, type Sheet, type SheetRow, type XlsFormBook } from './workbook.ts';

/** How many days a questionnaire stays open when the form gives no dates. */
export const DEFAULT_OPEN_DAYS = 90;

/** Written in place of a privacy notice the form does not have: it must be replaced before publication. */
export const PRIVACY_NOTICE_PLACEHOLDER: LocalizedText = {
  en: 'PRIVACY NOTICE TO BE WRITTEN before this questionnaire is published.',
  fr: 'AVIS DE CONFIDENTIALITÉ À RÉDIGER avant la publication de ce questionnaire.',
  es: 'AVISO DE PRIVACIDAD POR REDACTAR antes de publicar este cuestionario.',
};

/** The problem reported when a form gives no privacy notice at all. */
export const NO_PRIVACY_NOTICE = 'no privacy notice: a placeholder is written, to be replaced before the questionnaire is published';

export interface FormSettings {
  defaultLanguage: Language;
  texts: TextReader;
  title: LocalizedText;
  /** The questionnaire's fields other than its sections, in the order a file writes them. */
  fields: Record<string, unknown>;
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Reads the settings sheet; what it lacks is filled with defaults, each reported. */
export function readSettings(book: XlsFormBook, options: { fallbackId: string; today: string }, problems: ConversionProblem[]): FormSettings {
  const sheet: Sheet = book.settings ?? { name: 'settings', headers: [], rows: [] };
  const row: SheetRow = sheet.rows[0] ?? { row: 2, cells: {} };
  const at = (column?: string) => (book.settings ? cellAt(sheet, row.row, column) : { sheet: 'settings' });
  const warn = (column: string | undefined, message: string) => problems.push({ ...at(column), message, essential: false });
  const get = (column: string) => cellText(row, column).trim();

  const languageName = get('default_language');
  const defaultLanguage = (languageName && languageOf(languageName)) || 'en';
  if (languageName && !languageOf(languageName))
    warn('default_language', `'${languageName}' is not English, French or Spanish: unmarked label and hint columns are read as English`);
  const texts = new TextReader(defaultLanguage, problems);

  const formId = get('form_id');
  let id = (formId || options.fallbackId)
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+|-+$/g, '');
  if (!id) id = 'imported-form';
  if (id !== formId) warn('form_id', formId ? `the form_id '${formId}' is written '${id}'` : `no form_id: the questionnaire id is '${id}'`);

  const titleTexts: Partial<LocalizedText> = { ...texts.languagesOf(sheet, row, 'toolkit_title') };
  const formTitle = get('form_title');
  if (formTitle) titleTexts[defaultLanguage] = formTitle;
  if (!formTitle) warn('form_title', `no form_title: the id '${id}' is used as the title`);
  const title = texts.complete(titleTexts) ?? texts.complete({ en: id })!;

  const audienceText = get('toolkit_audience');
  const audience = audienceText ? audienceText.split(/[\s,;]+/) : [...RESPONDENT_KINDS];
  if (!audienceText) warn(undefined, `no audience: the questionnaire is for every kind of respondent (${RESPONDENT_KINDS.join(', ')})`);
  const opens = get('toolkit_opens') || options.today;
  const closes = get('toolkit_closes') || addDays(opens, DEFAULT_OPEN_DAYS);
  if (!get('toolkit_opens') || !get('toolkit_closes')) warn(undefined, `no opening and closing dates: the questionnaire opens ${opens} and closes ${closes}`);
  const description = texts.complete(texts.languagesOf(sheet, row, 'toolkit_description'));
  const phase = get('toolkit_phase');
  const version = get('version') || '1';
  if (!get('version')) warn('version', "no version: '1' is used");

  return {
    defaultLanguage,
    texts,
    title,
    fields: {
      id,
      version,
      title,
      ...(description ? { description } : {}),
      audience,
      opens,
      closes,
      ...(phase ? { phase: Number(phase) } : {}),
      ...(/^(yes|true|1)$/i.test(get('toolkit_open_registration')) ? { open_registration: true } : {}),
    },
  };
}

/** Reads the choices sheet into lists; a duplicate choice in a list is an essential problem. */
export function readChoiceLists(sheet: Sheet | undefined, texts: TextReader, problems: ConversionProblem[]): Map<string, ChoiceList> {
  const lists = new Map<string, ChoiceList>();
  if (!sheet) return lists;
  const renamed = new Set<string>();
  for (const row of sheet.rows) {
    const listName = cellText(row, 'list_name').trim() || cellText(row, 'list name').trim();
    const name = cellText(row, 'name').trim();
    if (!listName && !name) continue;
    if (!listName || !name) {
      problems.push({ ...cellAt(sheet, row.row, listName ? 'name' : 'list_name'), message: 'a choice needs both a list_name and a name', essential: true });
      continue;
    }
    let code = name
      .toLowerCase()
      .replace(/[^a-z0-9_]+/g, '_')
      .replace(/^_+|_+$/g, '');
    if (!code) code = 'choice';
    // Country codes (SEN) are stored in lower case by country lists alike; only other renames are news.
    if (code !== name && !renamed.has(listName) && !(/^[A-Z]{3}$/.test(name) && findCountry(name))) {
      renamed.add(listName);
      problems.push({
        ...cellAt(sheet, row.row, 'name'),
        message: `the choice '${name}' of '${listName}' is written '${code}' (lower-case letters, digits and underscores); other choices of the list may be too`,
        essential: false,
      });
    }
    const list = lists.get(listName) ?? { name: listName, options: [] };
    lists.set(listName, list);
    if (list.options.some((o) => o.code === code)) {
      problems.push({ ...cellAt(sheet, row.row, 'name'), message: `the choice '${name}' appears twice in the list '${listName}'`, essential: true });
      continue;
    }
    const label = texts.read(sheet, row, 'label');
    if (!label) problems.push({ ...cellAt(sheet, row.row, 'label'), message: `the choice '${name}' has no label`, essential: true });
    list.options.push({ code, label: label ?? { en: name, fr: name, es: name } });
  }
  return lists;
}
