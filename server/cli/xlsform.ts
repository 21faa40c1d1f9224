/**
 * `assess xlsform import` and `assess xlsform export`: questionnaires to and from XLSForm, the
 * spreadsheet format of KoboToolbox and ODK.
 */
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { checkAcrossFiles, checkDefinitionText, formatProblem, loadCommon, loadDefinitions } from '../../survey-definitions/load-definitions.ts';
import type { SurveyDefinition } from '../../survey-definitions/types.ts';
import { insertAuditEntry } from '../audit/audit.queries.ts';
import { getCurrentSurveyVersion } from '../surveys/survey-versions.queries.ts';
import { exportXlsForm } from '../xlsform/export-form.ts';
import { importXlsForm } from '../xlsform/import-form.ts';
import { questionnaireYaml } from '../xlsform/questionnaire-yaml.ts';
import { formatConversionProblem, type XlsFormBook } from '../xlsform/workbook.ts';
import { readXlsForm, writeXlsForm } from '../xlsform/xlsx-file.ts';
import { EXIT, withCliDatabase, type CliOutput } from './cli-database.ts';

/**
 * `xlsform import <file.xlsx> --out <survey.yaml> [--dir <folder>]`: converts the form, checks the
 * result as `surveys check` would (against the folder's common.yaml), and writes it only when
 * nothing essential was lost. Exit 1, nothing written, otherwise.
 */
export async function xlsformImportCommand(options: { file?: string; out?: string; dir: string; today?: Date }, out: CliOutput): Promise<number> {
  if (!options.file || !options.out) {
    out.error('Usage: npm run assess -- xlsform import <file.xlsx> --out <survey.yaml> [--dir <folder with common.yaml>]');
    return EXIT.usage;
  }
  let book: XlsFormBook;
  try {
    book = await readXlsForm(await readFile(options.file));
  } catch (error) {
    out.error(`${options.file}: cannot be read as an XLSForm workbook: ${(error as Error).message}`);
    return EXIT.badInput;
  }
  const { common, problems: commonProblems } = await loadCommon(options.dir);
  for (const problem of commonProblems) out.error(formatProblem(problem));
  const fallbackId = path.basename(options.file).replace(/\.[^.]*$/, '');
  const today = (options.today ?? new Date()).toISOString().slice(0, 10);
  const result = importXlsForm(book, { common, fallbackId, today });
  const sheetOrder = ['settings', 'choices', 'survey'];
  const problems = [...result.problems].sort(
    (a, b) => sheetOrder.indexOf(a.sheet.toLowerCase()) - sheetOrder.indexOf(b.sheet.toLowerCase()) || (a.row ?? 0) - (b.row ?? 0),
  );
  const essential = problems.filter((p) => p.essential);
  for (const problem of essential) out.error(`refused: ${formatConversionProblem(problem)}`);
  for (const problem of problems.filter((p) => !p.essential)) out.error(`left out or changed: ${formatConversionProblem(problem)}`);
  if (!result.source) {
    out.error(`${essential.length} essential problem${essential.length === 1 ? '' : 's'}: nothing written.`);
    return EXIT.badInput;
  }
  const yaml = questionnaireYaml(
    result.source,
    result.filled,
    `Converted from the XLSForm ${path.basename(options.file)}. Check every "to translate" text and the privacy notice before publishing.`,
  );
  const checked = checkDefinitionText(yaml, path.basename(options.out), common);
  if (!checked.loaded) {
    for (const problem of checked.problems) out.error(formatProblem(problem));
    out.error('The converted questionnaire does not pass the checks: nothing written.');
    return EXIT.badInput;
  }
  // surveys check also compares the files of a folder: two with one id, shared questions asked alike.
  const outFile = path.basename(options.out);
  const neighbours = await loadDefinitions(path.dirname(options.out)).catch(() => ({ definitions: [] }));
  const across = checkAcrossFiles([...neighbours.definitions.filter((d) => d.file !== outFile), checked.loaded]).filter((p) => p.file === outFile);
  if (across.length) {
    for (const problem of across) out.error(formatProblem(problem));
    out.error(`The converted questionnaire does not fit beside the others in ${path.dirname(options.out)}: nothing written.`);
    return EXIT.badInput;
  }
  await writeFile(options.out, yaml);
  const questions = checked.loaded.definition.sections.reduce((n, s) => n + s.questions.length, 0);
  const toTranslate = [...result.filled.values()].reduce((n, languages) => n + languages.length, 0);
  out.log(
    `Wrote ${options.out}: ${checked.loaded.definition.sections.length} sections, ${questions} questions${toTranslate ? `, ${toTranslate} translations copied from another language (marked "to translate")` : ''}.`,
  );
  return EXIT.ok;
}

/**
 * `xlsform export --survey <id> --out <file.xlsx> [--from-files [--dir <folder>]]`: the version of
 * the questionnaire new respondents get (stored in the database), or with --from-files the file in
 * the folder, as an XLSForm.
 */
export async function xlsformExportCommand(
  options: { survey?: string; out?: string; fromFiles: boolean; dir: string },
  env: NodeJS.ProcessEnv,
  out: CliOutput,
): Promise<number> {
  const { survey, out: file } = options;
  if (!survey || !file) {
    out.error('Usage: npm run assess -- xlsform export --survey <id> --out <file.xlsx> [--from-files [--dir <folder>]]');
    return EXIT.usage;
  }
  const write = async (definition: SurveyDefinition, from: string) => {
    const book = exportXlsForm(definition);
    await writeFile(file, await writeXlsForm(book));
    out.log(
      `Wrote ${file}: ${definition.id} version ${definition.version} (${from}), ${book.survey.rows.length} survey rows, ${book.choices?.rows.length ?? 0} choices.`,
    );
  };
  if (options.fromFiles) {
    const { definitions, problems } = await loadDefinitions(options.dir);
    const found = definitions.find((d) => d.definition.id === survey);
    if (!found) {
      for (const problem of problems) out.error(formatProblem(problem));
      out.error(`No valid questionnaire '${survey}' in ${options.dir}.`);
      return EXIT.badInput;
    }
    await write(found.definition, found.file);
    return EXIT.ok;
  }
  return withCliDatabase(env, out, async ({ db }) => {
    const version = await getCurrentSurveyVersion(db, survey);
    if (!version) {
      out.error(`No questionnaire '${survey}' is stored in the database (start the server once to publish the files, or use --from-files).`);
      return EXIT.badInput;
    }
    await write(version.definition, `the stored current version, sha256 ${version.contentHash.slice(0, 12)}`);
    await insertAuditEntry(db, {
      actor: `cli:${os.userInfo().username}`,
      action: 'xlsform.export',
      subject: `survey:${survey}`,
      details: { version: version.version, contentHash: version.contentHash, file: path.basename(file) },
    });
    return EXIT.ok;
  });
}
