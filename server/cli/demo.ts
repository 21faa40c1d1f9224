/**
 * `assess demo --responses <n> [--seed <s>] [--force]`: fills the configured database with
 * synthetic invitations and responses, so that a newcomer sees a full dashboard. Publishes the
 * questionnaire files first; refuses a database that already holds data unless forced.
 */
import path from 'node:path';
import { writeDemoData, type DemoGroupCounts, type DemoResult } from '../demo/write-demo.ts';
import { syncDefinitions } from '../surveys/sync-definitions.ts';
import { EXIT, withCliDatabase, type CliOutput } from './cli-database.ts';
import { progressBar, type ProgressStream } from './progress-bar.ts';

/** Most responses one run may generate (100,000 take a few minutes on PostgreSQL). */
export const MAX_DEMO_RESPONSES = 200_000;

const USAGE = 'Usage: npm run assess -- demo --responses <n> [--seed <s>] [--force]';
const SYNTHETIC_WARNING =
  'WARNING: the demo writes SYNTHETIC data (invented organisations, generated answers) for trying the toolkit. ' +
  'Never use them for the assessment; run the real assessment on a fresh DATA_DIR or database.';

const number = (n: number) => n.toLocaleString('en-GB');

/**
 * @returns 0 done; 1 the database already holds data (nothing written); 2 usage error.
 * @example
 *   await demoCommand({ responses: '500', seed: '7' }, out);
 */
export async function demoCommand(
  options: { responses?: string; seed?: string; force?: boolean },
  out: CliOutput,
  env: NodeJS.ProcessEnv = process.env,
  stderr: ProgressStream = process.stderr,
): Promise<number> {
  const responses = Number(options.responses);
  if (!options.responses || !/^\d+$/.test(options.responses.trim()) || responses < 1 || responses > MAX_DEMO_RESPONSES) {
    out.error(`${USAGE}\n--responses must be a whole number from 1 to ${number(MAX_DEMO_RESPONSES)}.`);
    return EXIT.usage;
  }
  const seed = options.seed?.trim() || '1';
  out.error(SYNTHETIC_WARNING);
  return withCliDatabase(env, out, async (handle, config) => {
    const sync = await syncDefinitions(handle.db, config.surveysDir);
    for (const p of sync.problems) out.error(`warning: ${path.join(config.surveysDir, p.file)}: ${p.path}: ${p.message}`);
    const started = Date.now();
    const bar = progressBar('Generating responses', stderr);
    let result: DemoResult;
    try {
      result = await writeDemoData(handle.db, { responses, seed, force: options.force === true, onProgress: (done, total) => bar.update(done, total) });
    } finally {
      bar.finish();
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const line = (g: DemoGroupCounts, who: string) =>
      `  ${g.surveyId}: ${number(g.invited)} ${who} invited, ${number(g.submitted + g.inProgress)} responses (${number(g.submitted)} submitted, ${number(g.inProgress)} in progress)`;
    out.log(`Demo data written in ${seconds} s (seed ${seed}, ${handle.kind === 'postgres' ? 'PostgreSQL' : `PGlite in ${config.dataDir}`}):`);
    out.log(line(result.government, 'governments'));
    out.log(line(result.civilSociety, 'organisations'));
    for (const p of result.laterPhases) {
      out.log(
        `  ${p.surveyId}: ${number(p.carried)} carried from ${p.fromSurveyId} (phase open), ${number(p.submitted + p.inProgress)} responses (${number(p.submitted)} submitted, ${number(p.inProgress)} in progress)`,
      );
    }
    out.log(`  ${number(result.answerRows)} answer rows (first phase)`);
    out.log(`Dashboard: ${config.publicUrl}/admin/dashboard?survey=${result.government.surveyId}`);
    if (result.laterPhases.length) out.log(`Trends: ${config.publicUrl}/admin/trends?from=${result.government.surveyId}&to=${result.laterPhases[0]!.surveyId}`);
    out.log('  (start the server with npm start; without an Assessment Team account yet, it prints a one-time link to create one)');
    out.log('These responses are SYNTHETIC: do not report them.');
    return EXIT.ok;
  });
}
