/**
 * `assess analyze --survey <id> [--by kind|region|role] [--kind k,…] [--region r,…] [--role r,…]
 * [--status submitted|all] [--json]`: the dashboard's figures on the command line, as JSON or as a
 * readable summary. Run by whoever holds the database, so it shows what an analyst sees.
 */
import type { QuestionComparison, QuestionResult, SurveyAnalysis } from '../../analysis/results.ts';
import { compareGroups } from '../analysis/group-comparisons.ts';
import { analyzeSurvey } from '../analysis/survey-analysis.ts';
import { EXIT, withCliDatabase, type CliOutput } from './cli-database.ts';
import { filtersFromOptions, type FilterOptions } from './cli-filters.ts';

export interface AnalyzeOptions extends FilterOptions {
  survey?: string;
  json?: boolean;
}

const USAGE =
  'Usage: npm run assess -- analyze --survey <id> [--by kind|region|role] [--kind <k,…>] [--region <r,…>] [--role <r,…>] [--status submitted|all] [--json]';

const percent = (share: number | null) => (share === null ? '' : `${(share * 100).toFixed(0)}%`);
const interval = (ci: [number, number] | null) => (ci ? `[${(ci[0] * 100).toFixed(0)}–${(ci[1] * 100).toFixed(0)}%]` : '');
const decimal = (value: number | null) => (value === null ? '–' : String(Math.round(value * 100) / 100));

/** The lines of one question's summary. */
export function questionSummary(result: QuestionResult): string[] {
  const lines = [`${result.questionId}  ${result.text}`, `  n = ${result.n ?? '<5'}, missing ${result.missing ?? '<5'}, hidden ${result.hidden ?? '<5'}`];
  const count = (c: { label: string; count: number | null; share: number | null; ci95: [number, number] | null }) =>
    `    ${c.label.padEnd(36)} ${String(c.count ?? '<5').padStart(5)}  ${percent(c.share).padStart(4)}  ${interval(c.ci95)}`;
  switch (result.kind) {
    case 'choice':
      lines.push(...result.options.map(count), ...result.nonSubstantive.map(count));
      break;
    case 'scale':
      for (const row of result.rows) {
        const ci = row.ci95 ? ` [${decimal(row.ci95[0])}–${decimal(row.ci95[1])}]` : '';
        lines.push(
          `  ${row.code ? `${row.label}: ` : ''}n = ${row.n ?? '<5'}, mean ${decimal(row.mean)}${ci}, median ${decimal(row.median)}, top box ${percent(row.topBox) || '–'}`,
        );
        lines.push(...row.distribution.map(count), ...row.nonSubstantive.map(count));
      }
      break;
    case 'numeric':
      lines.push(
        `  mean ${decimal(result.mean)}${result.meanCi95 ? ` [${decimal(result.meanCi95[0])}–${decimal(result.meanCi95[1])}]` : ''}, sd ${decimal(result.sd)}, median ${decimal(result.median)}${result.medianCi ? ` [${decimal(result.medianCi.lower)}–${decimal(result.medianCi.upper)}, ${percent(result.medianCi.coverage)}]` : ''}, quartiles ${result.quartiles?.map(decimal).join(' / ') ?? '–'}, min ${decimal(result.min)}, max ${decimal(result.max)}`,
      );
      break;
    case 'ranking':
      lines.push(
        ...result.options.map(
          (o) => `    ${o.label.padEnd(36)} ranked by ${o.rankedBy ?? '<5'}, mean rank ${decimal(o.meanRank)}, first ${percent(o.firstShare) || '–'}`,
        ),
      );
      break;
    case 'text':
      lines.push(`    ${result.answers.length} answers (use --json to read them)`);
      break;
  }
  return lines;
}

/** The readable summary of an analysis (and of its comparisons). */
export function analysisSummary(analysis: SurveyAnalysis, comparisons?: QuestionComparison[]): string[] {
  const { status, ...lists } = analysis.filters;
  const filterText = Object.entries(lists)
    .map(([k, v]) => `${k} = ${(v as string[]).join(' or ')}`)
    .join(', ');
  const lines = [
    `${analysis.title} (${analysis.surveyId})`,
    `${analysis.responses} responses (${status === 'all' ? 'submitted or in progress' : 'submitted'}${filterText ? `; ${filterText}` : ''}), ${analysis.excluded} excluded`,
  ];
  for (const result of analysis.questions) lines.push('', ...questionSummary(result));
  if (comparisons) {
    lines.push('', 'Comparisons (p-values Holm-adjusted across all of them):');
    for (const c of comparisons) lines.push(`  ${c.questionId}${c.row ? ` / ${c.row.code}` : ''}: ${c.summary}`);
  }
  return lines;
}

export async function analyzeCommand(options: AnalyzeOptions, out: CliOutput, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const asked = filtersFromOptions(options);
  if (!options.survey || !asked) {
    out.error(USAGE);
    return EXIT.usage;
  }
  const { filters, by } = asked;
  return withCliDatabase(env, out, async ({ db }) => {
    const viewer = { role: 'analyst' } as const;
    const analysis = await analyzeSurvey(db, options.survey!, filters, viewer);
    const comparisons = by ? await compareGroups(db, options.survey!, undefined, by, filters, viewer) : undefined;
    if (options.json) out.write(`${JSON.stringify(comparisons ? { analysis, comparisons } : analysis, null, 2)}\n`);
    else for (const line of analysisSummary(analysis, comparisons)) out.log(line);
    return EXIT.ok;
  });
}
