/**
 * `assess tallies --check | --rebuild`: compares the dashboard's running counts with a recount of
 * the answer rows, or recomputes them (after data was changed by hand in SQL, for instance).
 */
import { countTallyDrift, rebuildTallies } from '../db/answer-tally.queries.ts';
import { EXIT, withCliDatabase, type CliOutput } from './cli-database.ts';

export async function talliesCommand(options: { check?: boolean; rebuild?: boolean }, out: CliOutput): Promise<number> {
  if (options.check === options.rebuild) {
    out.error('Usage: npm run assess -- tallies (--check | --rebuild)');
    return EXIT.usage;
  }
  return withCliDatabase(process.env, out, async ({ db }) => {
    if (options.rebuild) {
      await db.transaction().execute((trx) => rebuildTallies(trx));
      out.log('The running counts were recomputed from the answers.');
      return EXIT.ok;
    }
    const drift = await countTallyDrift(db);
    if (drift === 0) {
      out.log('The running counts agree with the answers.');
      return EXIT.ok;
    }
    out.error(`${drift} running count(s) differ from the answers; run: npm run assess -- tallies --rebuild`);
    return EXIT.badInput;
  });
}
