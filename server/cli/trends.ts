/**
 * `assess trends --from <id> --to <id> [--by kind|region|role] [--kind k,…] [--region r,…]
 * [--role r,…] [--status submitted|all] [--json]`: what changed between two phases of the
 * assessment, as the Trends page shows it. `--json` prints exactly what `GET /api/trends` returns.
 */
import type { TrendsResult } from '../../analysis/trend-results.ts';
import { trendsBetween } from '../analysis/trends.ts';
import { EXIT, withCliDatabase, type CliOutput } from './cli-database.ts';
import { filtersFromOptions, type FilterOptions } from './cli-filters.ts';

export interface TrendsOptions extends FilterOptions {
  from?: string;
  to?: string;
  json?: boolean;
}

const USAGE =
  'Usage: npm run assess -- trends --from <id> --to <id> [--by kind|region|role] [--kind <k,…>] [--region <r,…>] [--role <r,…>] [--status submitted|all] [--json]';

/** The readable summary: each group's pairs and each item's sentence. */
export function trendsSummary(result: TrendsResult): string[] {
  const lines = [
    `${result.from.title} (${result.from.surveyId}, ${result.from.responses} responses) → ${result.to.title} (${result.to.surveyId}, ${result.to.responses} responses)`,
    'p-values Holm-adjusted across every test below.',
  ];
  for (const group of result.groups) {
    lines.push('', `${group.label}: ${group.pairs} respondents answered both phases`);
    for (const item of group.items) lines.push(`  ${item.laterQuestionId}${item.row ? ` / ${item.row.code}` : ''}: ${item.summary}`);
  }
  for (const skipped of result.notCompared) lines.push('', `Not compared: ${skipped.laterQuestionId} (${skipped.trendKey}): ${skipped.reason}`);
  return lines;
}

export async function trendsCommand(options: TrendsOptions, out: CliOutput, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const asked = filtersFromOptions(options);
  if (!options.from || !options.to || !asked) {
    out.error(USAGE);
    return EXIT.usage;
  }
  const { filters, by } = asked;
  return withCliDatabase(env, out, async ({ db }) => {
    const result = await trendsBetween(db, options.from!, options.to!, filters, { role: 'analyst' }, by);
    if (options.json) out.write(`${JSON.stringify(result, null, 2)}\n`);
    else for (const line of trendsSummary(result)) out.log(line);
    return EXIT.ok;
  });
}
