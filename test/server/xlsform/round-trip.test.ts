/**
 * The two GFMD questionnaires go to XLSForm (as .xlsx bytes) and back: the questionnaire file the
 * import writes passes the checks of `surveys check` and asks the same questions (same sections,
 * ids, types, texts in three languages, codes, limits and equivalent skip logic).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseExpression } from '../../../survey-definitions/expression.ts';
import { checkDefinitionText, loadCommon } from '../../../survey-definitions/load-definitions.ts';
import type { CommonSource } from '../../../survey-definitions/schema.ts';
import { allQuestions, type SurveyDefinition } from '../../../survey-definitions/types.ts';
import { exportXlsForm } from '../../../server/xlsform/export-form.ts';
import { importXlsForm } from '../../../server/xlsform/import-form.ts';
import { questionnaireYaml } from '../../../server/xlsform/questionnaire-yaml.ts';
import { readXlsForm, writeXlsForm } from '../../../server/xlsform/xlsx-file.ts';

const FOLDER = path.resolve('survey-definitions');

let common: CommonSource;
beforeAll(async () => {
  common = (await loadCommon(FOLDER)).common;
});

async function load(file: string): Promise<SurveyDefinition> {
  const result = checkDefinitionText(await readFile(path.join(FOLDER, file), 'utf8'), file, common);
  expect(result.problems).toEqual([]);
  return result.loaded!.definition;
}

/** A definition with each show_if replaced by its parsed form, so that equivalent spellings compare equal. */
function comparable(definition: SurveyDefinition): unknown {
  return {
    ...definition,
    sections: definition.sections.map((s) => ({
      ...s,
      questions: s.questions.map((q) => ({ ...q, show_if: q.show_if === undefined ? undefined : parseExpression(q.show_if) })),
    })),
  };
}

describe.each(['government-assessment.yaml', 'civil-society-survey.yaml'])('%s to XLSForm and back', (file) => {
  it('gives a questionnaire that passes the checks and asks the same questions', async () => {
    const original = await load(file);
    const bytes = await writeXlsForm(exportXlsForm(original));
    const result = importXlsForm(await readXlsForm(bytes), { common, fallbackId: 'x', today: '2026-01-01' });

    expect(result.problems).toEqual([]);
    expect(result.filled.size).toBe(0);
    const yaml = questionnaireYaml(result.source!, result.filled, 'round trip');
    const checked = checkDefinitionText(yaml, file, common);
    expect(checked.problems).toEqual([]);
    const back = checked.loaded!.definition;

    // Spot checks that say what "the same" means, then the whole definition.
    expect(allQuestions(back).map((q) => `${q.id}:${q.type}`)).toEqual(allQuestions(original).map((q) => `${q.id}:${q.type}`));
    expect(back.sections.map((s) => s.id)).toEqual(original.sections.map((s) => s.id));
    expect(comparable(back)).toEqual(comparable(original));
  });
});
