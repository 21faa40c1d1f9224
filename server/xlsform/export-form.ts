/**
 * A questionnaire as an XLSForm workbook (survey, choices and settings sheets), for KoboCollect,
 * ODK Collect or Enketo. Pure: the rows are written to a file by `xlsx-file.ts`.
 *
 * The privacy notice is a note named `privacy_notice` before the first group. Sections become
 * groups; a matrix becomes a `table-list` group (one `select_one` of its scale per row, named
 * `<matrix>_<row>`), which ODK shows as a grid; a "please specify" option gets a text question
 * `<question>_<code>` shown when the option is selected. What XLSForm has no column for (shared
 * keys, identifying fields, ranking limits, dates, audience) goes into `toolkit_*` columns, which
 * XLSForm converters ignore and `xlsform import` reads back.
 */
import { parseExpression } from '../../survey-definitions/expression.ts';
import { countryChoices, type CountryScope } from '../../survey-definitions/countries.ts';
import { LANGUAGES, type Language, type LocalizedText, type Option } from '../../survey-definitions/schema.ts';
import type { Question, Scale, SurveyDefinition } from '../../survey-definitions/types.ts';
import { t } from '../pages/ui-text.ts';
import { constraintOf, type AnswerLimits } from './constraints.ts';
import { relevantOf } from './skip-logic.ts';
import { languageColumn, xlsFormLanguage, type Sheet, type XlsFormBook } from './workbook.ts';

/** Default text lengths of the schema: a limit equal to them is not written out. */
const DEFAULT_MAX_LENGTH = { short_text: 200, long_text: 2000 } as const;

type Cells = Record<string, string>;

/** Cells of a text in every language: `label::English (en)`, `label::French (fr)`, … */
export function localizedCells(base: string, text: LocalizedText | undefined): Cells {
  const cells: Cells = {};
  if (text) for (const language of LANGUAGES) cells[languageColumn(base, language)] = text[language];
  return cells;
}

function uiText(key: 'yes' | 'no' | 'dontKnow' | 'pleaseSpecify'): LocalizedText {
  const text = (language: Language) => t(language, key);
  return { en: text('en'), fr: text('fr'), es: text('es') };
}

/** The choices of the yes/no lists: codes and labels as the questionnaire pages show them. */
export function yesNoOptions(dontKnow: boolean): Option[] {
  return [{ code: 'yes', label: uiText('yes') }, { code: 'no', label: uiText('no') }, ...(dontKnow ? [{ code: 'dk', label: uiText('dontKnow') }] : [])];
}

/** The choice list name of a country question's scope: `countries_un_states`. */
export function countryListName(scope: CountryScope): string {
  return `countries_${scope}`;
}

/** The three sheets of a questionnaire. */
export function exportXlsForm(definition: SurveyDefinition): XlsFormBook {
  const survey: Cells[] = [];
  const choices: Cells[] = [];
  const lists = new Set<string>();
  const addList = (name: string, options: { code: string; label: LocalizedText }[]) => {
    if (lists.has(name)) return;
    lists.add(name);
    for (const o of options) choices.push({ list_name: name, name: o.code, ...localizedCells('label', o.label) });
  };
  const scaleList = (scale: Scale) => {
    addList(scale.name, [...scale.points, ...scale.non_substantive]);
    return scale.name;
  };
  const scaleNames = new Set(definition.sections.flatMap((s) => s.questions.flatMap((q) => ('scale' in q ? [q.scale.name] : []))));
  // A question's own list is named after it, unless a scale already has that name.
  const ownList = (q: Question, options: Option[]) => {
    const name = scaleNames.has(q.id) ? `${q.id}_options` : q.id;
    addList(name, options);
    return name;
  };

  // Respondents in Collect see the privacy notice before the first question, as on the web form.
  survey.push({ type: 'note', name: 'privacy_notice', ...localizedCells('label', definition.privacy_notice) });
  for (const section of definition.sections) {
    survey.push({ type: 'begin group', name: section.id, ...localizedCells('label', section.title) });
    if (section.intro) survey.push({ type: 'note', name: `${section.id}_intro`, ...localizedCells('label', section.intro) });
    for (const q of section.questions) survey.push(...questionRows(q, { ownList, scaleList, addList }));
    survey.push({ type: 'end group', name: section.id });
  }

  const settings: Cells = {
    form_title: definition.title.en,
    form_id: definition.id,
    version: definition.version,
    default_language: xlsFormLanguage('en'),
    'toolkit_title::French (fr)': definition.title.fr,
    'toolkit_title::Spanish (es)': definition.title.es,
    ...localizedCells('toolkit_description', definition.description),
    toolkit_audience: definition.audience.join(' '),
    toolkit_opens: definition.opens,
    toolkit_closes: definition.closes,
    ...(definition.phase !== undefined ? { toolkit_phase: String(definition.phase) } : {}),
    ...(definition.open_registration ? { toolkit_open_registration: 'yes' } : {}),
  };

  return {
    survey: toSheet('survey', SURVEY_COLUMNS, survey),
    choices: toSheet('choices', ['list_name', 'name', ...LANGUAGES.map((l) => languageColumn('label', l))], choices),
    settings: toSheet('settings', Object.keys(settings), [settings]),
  };
}

const SURVEY_COLUMNS = [
  'type',
  'name',
  ...LANGUAGES.map((l) => languageColumn('label', l)),
  ...LANGUAGES.map((l) => languageColumn('hint', l)),
  'required',
  'relevant',
  'constraint',
  'appearance',
  'toolkit_shared_key',
  'toolkit_identifying',
  'toolkit_quasi_identifier',
  'toolkit_registration',
  'toolkit_trend_key',
  'toolkit_trend_codes',
  'toolkit_min_ranked',
  'toolkit_max_ranked',
  ...LANGUAGES.map((l) => languageColumn('toolkit_unit', l)),
];

/** A sheet with the given columns, less the optional (`toolkit_*`) ones no row uses. */
function toSheet(name: string, columns: string[], rows: Cells[]): Sheet {
  const used = columns.filter((c) => !c.startsWith('toolkit_') || rows.some((r) => (r[c] ?? '') !== ''));
  return { name, headers: used, rows: rows.map((cells, i) => ({ row: i + 2, cells: Object.fromEntries(Object.entries(cells).filter(([, v]) => v !== '')) })) };
}

interface ListMaker {
  ownList: (q: Question, options: Option[]) => string;
  scaleList: (scale: Scale) => string;
  addList: (name: string, options: { code: string; label: LocalizedText }[]) => void;
}

/** The cells every question row shares: name, texts, required, relevant and the toolkit fields. */
function commonCells(q: Question): Cells {
  return {
    name: q.id,
    ...localizedCells('label', q.text),
    ...localizedCells('hint', q.help),
    ...(q.required ? { required: 'yes' } : {}),
    ...(q.show_if ? { relevant: relevantOf(parseExpression(q.show_if)) } : {}),
    ...(q.shared_key ? { toolkit_shared_key: q.shared_key } : {}),
    ...(q.identifying ? { toolkit_identifying: 'yes' } : {}),
    ...(q.quasi_identifier ? { toolkit_quasi_identifier: 'yes' } : {}),
    ...(q.registration ? { toolkit_registration: q.registration } : {}),
    ...(q.trend_key ? { toolkit_trend_key: q.trend_key } : {}),
    ...(q.trend_codes
      ? {
          toolkit_trend_codes: Object.entries(q.trend_codes)
            .map(([a, b]) => `${a}=${b}`)
            .join(' '),
        }
      : {}),
  };
}

function withConstraint(cells: Cells, limits: AnswerLimits): Cells {
  const constraint = constraintOf(limits);
  return constraint ? { ...cells, constraint } : cells;
}

function questionRows(q: Question, lists: ListMaker): Cells[] {
  const cells = commonCells(q);
  switch (q.type) {
    case 'single_choice':
      return [{ type: `select_one ${lists.ownList(q, q.options)}`, ...cells }, ...specifyRows(q.id, q.options)];
    case 'multi_choice': {
      const limits: AnswerLimits = {
        minSelections: q.min_selections,
        maxSelections: q.max_selections,
        exclusive: q.options.filter((o) => o.exclusive).map((o) => o.code),
      };
      return [withConstraint({ type: `select_multiple ${lists.ownList(q, q.options)}`, ...cells }, limits), ...specifyRows(q.id, q.options)];
    }
    case 'ranking':
      return [
        {
          type: `rank ${lists.ownList(q, q.options)}`,
          ...cells,
          ...(q.min_ranked !== undefined ? { toolkit_min_ranked: String(q.min_ranked) } : {}),
          ...(q.max_ranked !== undefined ? { toolkit_max_ranked: String(q.max_ranked) } : {}),
        },
      ];
    case 'scale':
      return [{ type: `select_one ${lists.scaleList(q.scale)}`, ...cells }];
    case 'matrix': {
      const list = lists.scaleList(q.scale);
      const { name, relevant, ...rest } = cells;
      const group: Cells = { type: 'begin group', name: name!, ...rest, ...(relevant ? { relevant } : {}), appearance: 'table-list' };
      const rows = q.rows.map((row) => ({
        type: `select_one ${list}`,
        name: `${q.id}_${row.code}`,
        ...localizedCells('label', row.label),
        ...(q.required ? { required: 'yes' } : {}),
      }));
      return [group, ...rows, { type: 'end group', name: q.id }];
    }
    case 'numeric':
      return [withConstraint({ type: q.integer ? 'integer' : 'decimal', ...cells, ...localizedCells('toolkit_unit', q.unit) }, { min: q.min, max: q.max })];
    case 'short_text':
    case 'long_text': {
      const maxLength = q.max_length === DEFAULT_MAX_LENGTH[q.type] ? undefined : q.max_length;
      return [withConstraint({ type: 'text', ...cells, ...(q.type === 'long_text' ? { appearance: 'multiline' } : {}) }, { maxLength })];
    }
    case 'country': {
      const list = countryListName(q.countries);
      lists.addList(
        list,
        countryChoices(q.countries).map((c) => ({ code: c.code, label: c.names })),
      );
      return [{ type: `select_one ${list}`, ...cells, appearance: 'autocomplete' }];
    }
    case 'yes_no': {
      const list = q.dont_know ? 'yes_no_dk' : 'yes_no';
      lists.addList(list, yesNoOptions(q.dont_know === true));
      return [{ type: `select_one ${list}`, ...cells }];
    }
  }
}

/** The "please specify" text question of each option that asks for one. */
function specifyRows(questionId: string, options: Option[]): Cells[] {
  return options
    .filter((o) => o.specify)
    .map((o) => ({
      type: 'text',
      name: `${questionId}_${o.code}`,
      ...localizedCells('label', uiText('pleaseSpecify')),
      required: 'yes',
      relevant: `selected(\${${questionId}}, '${o.code}')`,
    }));
}
