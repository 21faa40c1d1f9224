/**
 * `assess data --survey <id> --out <folder> [--language en|fr|es] [--values labels|codes]`: the
 * Assessment Team's working data (CONFIDENTIAL): every submitted, non-excluded response coded,
 * with labels.sps, labels.do, labels.R and results.xlsx. Prints what it wrote.
 */
import { existsSync, readdirSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LANGUAGES, type Language } from '../../survey-definitions/schema.ts';
import { writeWorkingData, type WorkingDataResult } from '../export/working-data.ts';
import { removeAbandonedPartials } from '../export/stale-exports.ts';
import { EXIT, withCliDatabase, type CliOutput } from './cli-database.ts';

export interface DataCommandOptions {
  survey?: string;
  out?: string;
  language?: string;
  values?: string;
}

const USAGE = 'Usage: npm run assess -- data --survey <id> --out <folder> [--language en|fr|es] [--values labels|codes]';

export async function dataCommand(options: DataCommandOptions, out: CliOutput, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (!options.survey || !options.out) {
    out.error(USAGE);
    return EXIT.usage;
  }
  const language = options.language ?? 'en';
  if (!(LANGUAGES as readonly string[]).includes(language)) {
    out.error(`--language is one of ${LANGUAGES.join(', ')}, not '${language}'.`);
    return EXIT.badInput;
  }
  const values = options.values ?? 'labels';
  if (values !== 'labels' && values !== 'codes') {
    out.error(`--values is labels or codes, not '${values}'.`);
    return EXIT.badInput;
  }
  const target = path.resolve(options.out);
  if (existsSync(target) && readdirSync(target).length > 0) {
    out.error(`${options.out} already holds files; give a new folder for the working data.`);
    return EXIT.badInput;
  }
  return withCliDatabase(env, out, async ({ db }) => {
    for (const left of await removeAbandonedPartials(target)) out.error(`Removed ${left}, left by an export that was stopped.`);
    // Written beside the target and renamed at the end: a failure leaves no half-written folder.
    const partial = `${target}.partial-${process.pid}`;
    let result: WorkingDataResult;
    try {
      result = await writeWorkingData(
        db,
        { surveyId: options.survey!, language: language as Language, values, actor: `cli:${os.userInfo().username}` },
        partial,
      );
      await rm(target, { recursive: true, force: true });
      await rename(partial, target);
    } finally {
      await rm(partial, { recursive: true, force: true });
    }
    out.log(
      `Wrote ${options.out}: CONFIDENTIAL working data of '${result.surveyId}', ${result.rows} response(s)${result.dataAsOf ? `, as of ${result.dataAsOf}` : ''}; labels in ${language}.`,
    );
    for (const file of result.files) out.log(`  ${file.name.padEnd(32)} ${String(file.bytes).padStart(10)} bytes  sha256 ${file.sha256}`);
    return EXIT.ok;
  });
}
