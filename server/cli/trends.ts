/**
 * `assess trends --from <id> --to <id> [--by kind|region|role] [--kind k,…] [--region r,…]
 * [--role r,…] [--status submitted|all] [--json]`: what changed between two phases of the
 * assessment, as the Trends page shows it. `--json` prints exactly what `GET /api/trends` returns.
 */
import type { AnalysisFilters, Segment } from '../../analysis/results.ts';
import type { TrendsResult } from '../../analysis/trend-results.ts';
import { trendsBetween } from '../analysis/trends.ts';
import { EXIT, withCliDatabase, type CliOutput } from './cli-database.ts';

export interface TrendsOptions {
  from?: string;
  to?: string;
  by?: string;
  kind?: string;
  region?: string;
  role?: string;
  status?: string;
  json?: boolean;
}

const USAGE = 'Usage: npm run assess -- trends --from <id> --to <id> [--by kind|region|role] [--kind <k,…>] [--region <r,…>] [--role <r,…>] [--status submitted|all] [--json]';
const SEGMENTS: readonly Segment[] = ['kind', 'region', 'role'];
const list = (text: string | undefined) => text?.split(',').map((v) => v.trim()).filter(Boolean) ?? [];

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
  const by = options.by as Segment | undefined;
  const status = options.status ?? 'submitted';
  if (!options.from || !options.to || (by !== undefined && !SEGMENTS.includes(by)) || (status !== 'submitted' && status !== 'all')) {
    out.error(USAGE);
    return EXIT.usage;
  }
  const filters: AnalysisFilters = { status };
  for (const key of ['kind', 'region', 'role'] as const) {
    const values = list(options[key]);
    if (values.length) filters[key] = values;
  }
  return withCliDatabase(env, out, async ({ db }) => {
    const result = await trendsBetween(db, options.from!, options.to!, filters, { role: 'analyst' }, by);
    if (options.json) out.write(`${JSON.stringify(result, null, 2)}\n`);
    else for (const line of trendsSummary(result)) out.log(line);
    return EXIT.ok;
  });
}
