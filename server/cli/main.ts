/**
 * The `assess` command line: `npm run assess -- <command> [options]`.
 */
import { parseArgs } from 'node:util';
import { surveysCheck } from './surveys-check.ts';

const USAGE = `Usage: npm run assess -- <command> [options]

Commands:
  surveys check [--dir <folder>]                       validate every questionnaire file
`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { dir: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: false,
  });
  const [command, sub] = positionals;
  const out = { log: (l: string) => console.log(l), error: (l: string) => console.error(l) };
  if (command === 'surveys' && sub === 'check') {
    return surveysCheck(typeof values.dir === 'string' ? values.dir : 'survey-definitions', out);
  }
  process.stdout.write(USAGE);
  return values.help ? 0 : 2;
}

process.exitCode = await main(process.argv.slice(2));
