/**
 * XLSForm import on a small form checked by hand, on forms with what cannot be converted (each
 * refused with its sheet, row and column), and on a published field form.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkDefinitionText, loadCommon } from '../../../survey-definitions/load-definitions.ts';
import type { CommonSource } from '../../../survey-definitions/schema.ts';
import { importXlsForm } from '../../../server/xlsform/import-form.ts';
import { PRIVACY_NOTICE_PLACEHOLDER } from '../../../server/xlsform/import-settings.ts';
import { questionnaireYaml } from '../../../server/xlsform/questionnaire-yaml.ts';
import { formatConversionProblem, type Sheet, type XlsFormBook } from '../../../server/xlsform/workbook.ts';
import { readXlsForm } from '../../../server/xlsform/xlsx-file.ts';

let common: CommonSource;
beforeAll(async () => {
  common = (await loadCommon(path.resolve('survey-definitions'))).common;
});

/** A sheet from a header row and value rows, numbered as Excel shows them (header in row 1). */
function sheet(name: string, headers: string[], rows: string[][]): Sheet {
  return {
    name,
    headers,
    rows: rows.map((values, i) => ({ row: i + 2, cells: Object.fromEntries(headers.map((h, j) => [h, values[j] ?? '']).filter(([, v]) => v !== '')) })),
  };
}

const SURVEY_HEADERS = ['type', 'name', 'label', 'label::French (fr)', 'relevant', 'required', 'constraint', 'appearance', 'choice_filter'];

function smallForm(extraRows: string[][] = []): XlsFormBook {
  return {
    survey: sheet('survey', SURVEY_HEADERS, [
      ['begin group', 'profile', 'About you', 'À propos de vous'],
      ['note', 'profile_intro', 'Answer for yourself.'],
      ['select_one yes_no', 'consent', 'Do you agree to take part?', '', '', 'yes'],
      ['integer', 'age', 'How old are you?', '', "${consent} = 'yes'", '', '. >= 18 and . <= 120'],
      ['select_multiple langs or_other', 'languages', 'Which languages do you speak?', '', '', '', "not(selected(., 'none') and count-selected(.) > 1)"],
      ['text', 'languages_other', 'Which other language?', '', "selected(${languages}, 'other')"],
      ['begin group', 'details', 'Details'],
      ['text', 'comment', 'Anything to add?', '', "selected(${languages}, 'fr') or ${consent} != 'yes'", '', '', 'multiline'],
      ['end group'],
      ['end group'],
      ['select_one agree5', 'overall', 'The form was easy to fill in.'],
      ...extraRows,
    ]),
    choices: sheet(
      'choices',
      ['list_name', 'name', 'label'],
      [
        ['yes_no', 'yes', 'Yes'],
        ['yes_no', 'no', 'No'],
        ['langs', 'en', 'English'],
        ['langs', 'fr', 'French'],
        ['langs', 'none', 'None of these'],
        ...['1', '2', '3', '4', '5', 'dk'].map((code) => ['agree5', code, `Point ${code}`]),
      ],
    ),
    settings: sheet('settings', ['form_title', 'form_id', 'version'], [['Small form', 'small_form', '2024-01']]),
  };
}

const all = (text: string) => ({ en: text, fr: text, es: text });

describe('xlsform import', () => {
  it('converts a small form as checked by hand', () => {
    const result = importXlsForm(smallForm(), { common, fallbackId: 'unused', today: '2026-01-01' });
    expect(result.problems.filter((p) => p.essential)).toEqual([]);
    expect(result.source).toEqual({
      id: 'small-form',
      version: '2024-01',
      title: all('Small form'),
      audience: ['government', 'civil_society', 'international_org'],
      opens: '2026-01-01',
      closes: '2026-04-01',
      privacy_notice: PRIVACY_NOTICE_PLACEHOLDER,
      sections: [
        {
          id: 'profile',
          title: { en: 'About you', fr: 'À propos de vous', es: 'About you' },
          intro: all('Answer for yourself.'),
          questions: [
            { id: 'consent', required: true, text: all('Do you agree to take part?'), type: 'yes_no' },
            { id: 'age', show_if: 'consent == yes', text: all('How old are you?'), type: 'numeric', min: 18, max: 120, integer: true },
            {
              id: 'languages',
              text: all('Which languages do you speak?'),
              type: 'multi_choice',
              options: [
                { code: 'en', label: all('English') },
                { code: 'fr', label: all('French') },
                { code: 'none', label: all('None of these'), exclusive: true },
                { code: 'other', specify: true, label: { en: 'Other (please specify)', fr: 'Autre (veuillez préciser)', es: 'Otro (especifique)' } },
              ],
            },
            // The nested group is flattened: its questions join the section.
            { id: 'comment', show_if: 'fr in languages or not consent == yes', text: all('Anything to add?'), type: 'long_text' },
          ],
        },
        // A question outside any group gets a section of its own, titled with the form's title.
        {
          id: 'section_2',
          title: all('Small form'),
          questions: [{ id: 'overall', text: all('The form was easy to fill in.'), type: 'scale', scale: 'agree5' }],
        },
      ],
    });
    expect(result.problems.map(formatConversionProblem)).toEqual([
      "settings!B2 (form_id): the form_id 'small_form' is written 'small-form'",
      'settings row 2: no audience: the questionnaire is for every kind of respondent (government, civil_society, international_org)',
      'settings row 2: no opening and closing dates: the questionnaire opens 2026-01-01 and closes 2026-04-01',
      "survey!A8 (type): the group 'details' inside another group is flattened into its section (its label is left out; its relevant applies to each of its questions)",
      'settings row 2: no privacy notice: a placeholder is written, to be replaced before the questionnaire is published',
    ]);
    expect(result.problems.every((p) => !p.essential)).toBe(true);
  });

  it('takes the privacy notice from a note named privacy_notice outside the groups', () => {
    const result = importXlsForm(smallForm([['note', 'privacy_notice', 'We keep your answers safe.']]), { common, fallbackId: 'unused', today: '2026-01-01' });
    expect(result.source!.privacy_notice).toEqual(all('We keep your answers safe.'));
    expect(result.problems.map((p) => p.message)).not.toContain(
      'no privacy notice: a placeholder is written, to be replaced before the questionnaire is published',
    );
  });

  it('reads a yes/no list with other wording as a single choice, as written', () => {
    const form = smallForm([['select_one agreed', 'agreed', 'Agreed?']]);
    form.choices!.rows.push(
      { row: 20, cells: { list_name: 'agreed', name: 'yes', label: 'Yes, fully' } },
      { row: 21, cells: { list_name: 'agreed', name: 'no', label: 'No' } },
    );
    const result = importXlsForm(form, { common, fallbackId: 'unused', today: '2026-01-01' });
    const section = (result.source!.sections as { questions: { id: string; type: string }[] }[])[1]!;
    expect(section.questions.map((q) => `${q.id}:${q.type}`)).toEqual(['overall:scale', 'agreed:single_choice']);
  });

  it('writes a file that passes the checks, with the copied translations marked', () => {
    const result = importXlsForm(smallForm(), { common, fallbackId: 'unused', today: '2026-01-01' });
    const yaml = questionnaireYaml(result.source!, result.filled, 'test');
    expect(checkDefinitionText(yaml, 'small-form.yaml', common).problems).toEqual([]);
    expect(yaml).toContain('fr: À propos de vous\n');
    expect(yaml).toMatch(/es: About you # to translate \(copied from another language\)\n/);
    expect(yaml).toMatch(/fr: Anything to add\? # to translate/);
    // The privacy notice placeholder is in all three languages: nothing to mark there.
    expect(yaml).not.toMatch(/PRIVACY NOTICE TO BE WRITTEN[^\n]*# to translate/);
  });

  it.each([
    [
      ['integer', 'double', 'Twice?', '', '${age} * 2 > 10'],
      'survey!E13 (relevant): "${age} * 2 > 10" cannot be expressed as a show_if condition: cannot be read: unexpected \'*\' at position 8',
    ],
    [
      ['integer', 'older', 'Older?', '', '${age} > 60'],
      'survey!E13 (relevant): "${age} > 60" cannot be expressed as a show_if condition: the comparison \'>\' has no counterpart: show_if can only test that an answer is, or is not, a given code',
    ],
    [['calculate', 'twice'], 'survey!A13 (type): a calculation ("") has no counterpart: questionnaires store only answers'],
    [
      ['begin repeat', 'children', 'Children'],
      ['survey!A13 (type): a repeat has no counterpart: a questionnaire asks each question once', 'survey!A13 (type): this repeat is never closed'],
    ],
    [
      ['select_one langs', 'main', 'Main language', '', '', '', '', '', "name != 'none'"],
      'survey!I13 (choice_filter): a choice filter ("name != \'none\'") has no counterpart: every choice is always offered',
    ],
    [['geopoint', 'where', 'Where?'], "survey!A13 (type): the question type 'geopoint' has no counterpart in the questionnaires"],
    [['select_one colours', 'colour', 'Colour?'], "survey!A13 (type): the choice list 'colours' is not on the choices sheet"],
    [['select_one agree5', 'again', 'Again?', '', '', '', '. >= 1'], 'survey!G13 (constraint): ". >= 1": a constraint on a single choice has no counterpart'],
    [
      ['decimal', 'share', 'Share?', '', '', '', '. > 0'],
      'survey!G13 (constraint): ". > 0" a strict limit (\'> 0\') on a decimal answer has no counterpart: min and max include their bound',
    ],
    [
      ['text', 'phone', 'Phone?', '', '', "${consent} = 'yes'"],
      'survey!F13 (required): "${consent} = \'yes\'" is not yes or no: a condition on required has no counterpart',
    ],
  ] as [string[], string | string[]][])('refuses %j, naming the cell', (row, message) => {
    const result = importXlsForm(smallForm([row]), { common, fallbackId: 'unused', today: '2026-01-01' });
    expect(result.source).toBeUndefined();
    expect(result.problems.filter((p) => p.essential).map(formatConversionProblem)).toEqual(Array.isArray(message) ? message : [message]);
  });

  it('refuses a published field form with repeats and calculations, naming rows and columns', async () => {
    const bytes = await readFile(path.resolve('test/fixtures/xlsform/UCL_Biomass_Plot_Form.xlsx'));
    const result = importXlsForm(await readXlsForm(bytes), { common, fallbackId: 'UCL_Biomass_Plot_Form', today: '2026-01-01' });
    expect(result.source).toBeUndefined();
    const essential = result.problems.filter((p) => p.essential).map(formatConversionProblem);
    // Rows and columns read in the workbook by hand.
    expect(essential).toContain(
      'survey!H9 (relevant): "${leader_name} = ‘other’" cannot be expressed as a show_if condition: cannot be read: unexpected \'‘\' at position 18 (a typographic quote: XPath needs straight quotes \' or ")',
    );
    expect(essential).toContain(
      'survey!A26 (type): a calculation ("round(15 div (sqrt(cos(atan(${slope} div 100)))),2)") has no counterpart: questionnaires store only answers',
    );
    expect(essential).toContain('survey!A32 (type): a repeat has no counterpart: a questionnaire asks each question once');
    expect(essential).toContain("survey!A22 (type): the question type 'geopoint' has no counterpart in the questionnaires");
    expect(essential).toHaveLength(14);
    // Swahili is left out, once per sheet.
    expect(result.problems.map(formatConversionProblem)).toContain(
      "survey!C2 (label::Swahili (sw)): the language 'Swahili (sw)' is left out: questionnaires are served in English, French and Spanish",
    );
  });
});
