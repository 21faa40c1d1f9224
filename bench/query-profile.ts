/**
 * Where the analysis spends its time. A Kysely plugin records every statement analyzeSurvey
 * issues (compiled SQL, parameters, wall time from sending to result) on the server's own pool,
 * so the profile costs no extra run; `explainHeaviest` then runs EXPLAIN (ANALYZE, BUFFERS) on
 * the slowest statement. analyzeSurvey runs six counting queries concurrently, so the recorded
 * durations overlap (and each includes waiting for a core on this 2-core machine).
 */
import {
  CompiledQuery,
  type Kysely,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryId,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import type { Database } from '../server/db/schema.ts';

export interface ProfiledQuery {
  name: string;
  sql: string;
  parameters: unknown[];
  ms: number;
  rows: number;
}

export interface QueryProfile {
  queries: ProfiledQuery[];
  /** EXPLAIN (ANALYZE, BUFFERS) of the slowest statement, when asked for. */
  heaviestPlan?: string;
}

/** Which function of analysis.queries.ts (or elsewhere) issued a statement, from its SQL. */
function nameOf(sqlText: string, parameters: readonly unknown[]): string {
  // The running counts (tally.queries.ts): named after the metrics they sum.
  if (/answer_tally_delta\) t/.test(sqlText))
    return `answer_tally(${parameters
      .filter((p) => typeof p === 'string')
      .slice(1)
      .join(', ')})`;
  if (/"survey_version"/.test(sqlText) && !/"answer"/.test(sqlText)) return 'loadCurrentDefinition';
  if (/left join "response_exclusion"/.test(sqlText)) return 'countResponses';
  if (/unnest\(r\.hidden_questions\)/.test(sqlText)) return 'countHiddenByQuestion';
  if (/is distinct from 'dk'/.test(sqlText)) return 'countAnsweredByQuestion';
  if (/text_tag/.test(sqlText)) {
    const question = parameters.find((p) => typeof p === 'string' && /^[a-z][a-z0-9]*_[a-z0-9_]+$/.test(p));
    return `listAnalysisTexts(${String(question ?? '?')})`;
  }
  if (/answer\.number::float8/.test(sqlText)) return 'countNumericValues';
  if (/answer\.number::int/.test(sqlText)) return 'countRanks';
  if (/"answer"\."code" is not null/.test(sqlText)) return 'countAnswersByCode';
  return 'other';
}

/**
 * Records the statements run through `recorder.db` while `recording` is on.
 *
 * @example
 *   const recorder = new QueryRecorder(handle.db);
 *   recorder.start();
 *   await analyzeSurvey(recorder.db, id, {}, { role: 'analyst' });
 *   const queries = recorder.stop();
 */
export class QueryRecorder implements KyselyPlugin {
  readonly db: Kysely<Database>;
  private readonly pending = new Map<QueryId, { sql: string; parameters: unknown[]; started: number }>();
  private recorded: ProfiledQuery[] = [];
  private recording = false;

  constructor(private readonly base: Kysely<Database>) {
    this.db = base.withPlugin(this);
  }

  start(): void {
    this.recorded = [];
    this.pending.clear();
    this.recording = true;
  }

  stop(): ProfiledQuery[] {
    this.recording = false;
    return [...this.recorded].sort((a, b) => b.ms - a.ms);
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (this.recording) {
      const compiled = this.base.getExecutor().compileQuery(args.node, args.queryId);
      this.pending.set(args.queryId, { sql: compiled.sql, parameters: [...compiled.parameters], started: performance.now() });
    }
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const entry = this.pending.get(args.queryId);
    if (entry) {
      this.pending.delete(args.queryId);
      this.recorded.push({
        name: nameOf(entry.sql, entry.parameters),
        sql: entry.sql,
        parameters: entry.parameters,
        ms: performance.now() - entry.started,
        rows: args.result.rows.length,
      });
    }
    return args.result;
  }
}

/** EXPLAIN (ANALYZE, BUFFERS) of one recorded statement (runs it once more). */
export async function explainAnalyze(db: Kysely<Database>, query: ProfiledQuery): Promise<string> {
  const { rows } = await db.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain (analyze, buffers) ${query.sql}`, query.parameters));
  return rows.map((r) => r['QUERY PLAN']).join('\n');
}
