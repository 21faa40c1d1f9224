/**
 * The Markdown written to bench/RESULTS.md (and printed): the machine, the command, one row per
 * size, the measuring children's details and where the analysis spends its time.
 */
import type { ChildOutcome } from './child-process.ts';
import type { Timings } from './measure.ts';
import type { QueryProfile } from './query-profile.ts';

export interface SurveyCounts {
  surveyId: string;
  /** Responses stored (submitted and in progress). */
  stored: number;
  /** Responses the analysis counts (submitted, not excluded): its `responses` figure. */
  analysed: number;
}

export interface SizeResult {
  requested: number;
  surveys: SurveyCounts[];
  analysedSurveyId: string;
  /** Answer rows of the analysed questionnaire's covered responses (what the baseline loads). */
  answerRowsAnalysed: number;
  answerRowsTotal: number;
  generateSeconds: number;
  vacuumSeconds: number;
  analysis: Timings;
  api: Timings;
  apiBytes: number;
  analysisChild: ChildOutcome;
  baselineChild: ChildOutcome;
  /** The anonymised export bundle of the same questionnaire (writeExportBundle), in its own process. */
  exportChild?: ChildOutcome;
  /** One release of the same questionnaire (createRelease), in its own process. */
  releaseChild?: ChildOutcome;
  /** Beyond what was generated, responses were copied in SQL (bench/replicate.ts). */
  copied?: boolean;
  /** The same export with the heap capped (`--max-old-space-size`), to show what it needs. */
  exportCappedChild?: ChildOutcome;
  exportHeapCapMb?: number;
  profile?: QueryProfile;
}

export interface Machine {
  cpu: string;
  cores: number;
  totalMemoryGb: number;
  node: string;
  postgres: string;
  platform: string;
}

export interface RunInfo {
  machine: Machine;
  date: string;
  command: string;
  runs: number;
  baselineRuns: number;
  budgetSeconds: number;
  totalSeconds: number;
}

const int = (n: number) => Math.round(n).toLocaleString('en-GB');
const ms = (n: number) => (n >= 100 ? int(n) : n.toFixed(1));
const mb = (n: number) => n.toFixed(0);
const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(a / b < 1 ? 2 : 1)}×` : 'n/a');
/** How many runs a figure rests on, e.g. "1+5" (one warm-up, five timed). */
const count = (t: Timings) => `${t.warmup ?? 0}+${t.runs.length}`;

export function renderReport(info: RunInfo, sizes: SizeResult[]): string {
  const m = info.machine;
  const lines: string[] = [];
  lines.push('# Analysis benchmark (PostgreSQL)', '');
  lines.push(
    'The full analysis of one questionnaire (`analyzeSurvey`: figures of submitted responses read from the running counts in `answer_tally`, free-text lists through their index) against a baseline that loads every answer row into Node and counts in a Map. Synthetic demo data (`writeDemoData`), generated afresh for each size in a throwaway database. This is a benchmark, not a test: nothing here passes or fails.',
    '',
  );
  lines.push(`- Date: ${info.date}`);
  lines.push(`- Command: \`${info.command}\``);
  lines.push(`- Machine: ${m.cpu}, ${m.cores} cores, ${m.totalMemoryGb.toFixed(1)} GB RAM, ${m.platform}`);
  lines.push(`- Node ${m.node}; ${m.postgres}`);
  lines.push(
    `- Runs: one warm-up, then up to ${info.runs} timed runs (baseline: up to ${info.baselineRuns}), stopping once the timed runs of a measurement add up to ${info.budgetSeconds} s (at least one); the warm-up is skipped when a run is expected to take over ${info.budgetSeconds / 2} s. *Runs* columns give warm-up+timed. Whole bench: ${int(info.totalSeconds)} s (${(info.totalSeconds / 60).toFixed(1)} min).`,
  );
  lines.push(
    '- The machine is shared and noisy (2 cores, PostgreSQL on the same host): absolute times vary between runs by tens of per cent. The ratios compare figures measured in the same run, on the same data, one after the other.',
    '',
  );

  lines.push('## Results', '');
  lines.push(
    '| Responses generated | Analysed (questionnaire) | Answer rows analysed | Analysis median / min ms (runs) | API median ms (runs) | Analysis child peak RSS MB | Baseline median ms (runs) | Baseline peak RSS MB | Baseline / analysis: time | Baseline / analysis: peak RSS |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const s of sizes) {
    const analysed = s.surveys.find((x) => x.surveyId === s.analysedSurveyId);
    const a = s.analysisChild.ok ? s.analysisChild.report : undefined;
    const b = s.baselineChild.ok ? s.baselineChild.report : undefined;
    lines.push(
      '| ' +
        [
          int(s.requested),
          `${int(analysed?.analysed ?? 0)} (${s.analysedSurveyId})`,
          int(s.answerRowsAnalysed),
          `${ms(s.analysis.median)} / ${ms(s.analysis.min)} (${count(s.analysis)})`,
          `${ms(s.api.median)} (${count(s.api)})`,
          a ? mb(a.peakRssMb) : 'failed',
          b ? `${ms(b.timings.median)} (${count(b.timings)})` : 'failed',
          b ? mb(b.peakRssMb) : 'failed',
          b ? ratio(b.timings.median, s.analysis.median) : 'n/a',
          a && b ? ratio(b.peakRssMb, a.peakRssMb) : 'n/a',
        ].join(' | ') +
        ' |',
    );
  }
  lines.push('');
  const copied = sizes.filter((x) => x.copied).map((x) => int(x.requested));
  lines.push(
    `- *Responses generated*: the total given to \`writeDemoData\`, spread over both questionnaires as the demo does (at most 193 governments)${copied.length ? `; at ${copied.join(', ')}, the civil society responses generated at the largest generated size were copied in SQL up to that total (new respondents and responses with the same answers and submissions, then the running counts rebuilt: bench/replicate.ts), to keep the bench within minutes` : ''}. *Analysed*: the submitted, non-excluded responses the analysis counts (in-progress responses are not analysed by default).`,
  );
  lines.push(
    '- *Analysis*: `analyzeSurvey(db, survey, {}, { role: "analyst" })` in the bench process, which also generated the data. *API*: `GET /api/surveys/<id>/analysis` through `app.request` with an analyst session cookie, body read to the end (includes the session check and JSON serialisation).',
  );
  lines.push(
    '- *Peak RSS*: `process.resourceUsage().maxRSS` of a fresh child process that only connects and runs the work (warm-up and timed runs); it includes Node, tsx and the loaded modules (see *idle RSS* below).',
  );
  lines.push(
    '- *Baseline*: every answer row of the same submitted responses loaded with Kysely (`selectAll`, 5,000 responses per query) and counted per question/item/value in a `Map`. It does less than the analysis (no distinct respondents, skip logic, numeric or free-text figures), so the comparison flatters the baseline.',
  );
  lines.push(
    "- Ratios are baseline ÷ analysis: a time ratio below 1× means loading every row into Node was faster than the analysis; the time ratio uses the analysis median of the bench process (the children's own analysis medians are below).",
    '',
  );

  const exported = sizes.filter((s) => s.exportChild);
  if (exported.length) {
    lines.push('## Export of the anonymised bundle', '');
    lines.push(
      '`writeExportBundle(db, { surveyId, k: 5 })` in a fresh child process: k-anonymity plan from SQL counts, then every submitted response streamed a page of 1,000 at a time from PostgreSQL to `responses.csv`, with tables, codebook and manifest. No warm-up; up to 3 timed runs within the budget.',
      '',
    );
    const cap = exported.find((s) => s.exportHeapCapMb)?.exportHeapCapMb;
    lines.push(
      `| Responses generated | Rows exported | Export median / min ms (runs) | Rows per second | responses.csv MB | Export idle / peak RSS MB | Heap sampled peak MB | Heap capped at ${cap ?? '-'} MB: ms / peak RSS MB |`,
      '|---:|---:|---:|---:|---:|---:|---:|---:|',
    );
    for (const s of exported) {
      const e = s.exportChild!.ok ? s.exportChild!.report : undefined;
      lines.push(
        '| ' +
          [
            int(s.requested),
            e ? int(Number(e.details.rows)) : 'failed',
            e ? `${ms(e.timings.median)} / ${ms(e.timings.min)} (${count(e.timings)})` : 'failed',
            e ? int(Number(e.details.rowsPerSecond)) : 'failed',
            e ? (Number(e.details.responsesCsvBytes) / 1024 ** 2).toFixed(1) : 'failed',
            e ? `${mb(e.idleRssMb)} / ${mb(e.peakRssMb)}` : 'failed',
            e ? mb(e.heapPeakSampledMb) : 'failed',
            !s.exportCappedChild
              ? 'not run'
              : s.exportCappedChild.ok
                ? `${ms(s.exportCappedChild.report.timings.median)} / ${mb(s.exportCappedChild.report.peakRssMb)}`
                : 'failed',
          ].join(' | ') +
          ' |',
      );
      if (!s.exportChild!.ok) lines.push('', `- ${int(s.requested)}: the export child failed: ${s.exportChild!.error}`);
      if (s.exportCappedChild && !s.exportCappedChild.ok)
        lines.push('', `- ${int(s.requested)}: the export with a capped heap failed: ${s.exportCappedChild.error}`);
    }
    lines.push('');
    lines.push(
      '- *Peak RSS* includes Node, tsx and every loaded module (*idle*, before the export starts). Without a cap V8 lets garbage accumulate while memory is plentiful; the capped run shows the memory the export actually needs: the same export completing within the cap proves that nothing it holds grows with the rows.',
      '',
    );
  }

  const released = sizes.filter((s) => s.releaseChild);
  if (released.length) {
    lines.push('## Making a release', '');
    lines.push(
      "`createRelease(db, { surveyId })` in a fresh child process, one run: the submitted responses frozen and counted per finest group in SQL, every count protected jointly, then bounded by the attacker's programs (HiGHS) before it is stored.",
      '',
    );
    lines.push(
      '| Responses generated | Responses released | Time ms | Counts | Hidden | Solver calls | Solver ms | Peak RSS MB |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|',
    );
    for (const s of released) {
      const r = s.releaseChild!.ok ? s.releaseChild!.report : undefined;
      lines.push(
        `| ${[int(s.requested), ...(r ? [int(Number(r.details.responses)), ms(r.timings.median), int(Number(r.details.cells)), int(Number(r.details.hidden)), int(Number(r.details.solves)), int(Number(r.details.solverMs)), mb(r.peakRssMb)] : ['failed', '', '', '', '', '', ''])].join(' | ')} |`,
      );
      if (!s.releaseChild!.ok) lines.push('', `- ${int(s.requested)}: the release child failed: ${s.releaseChild!.error}`);
    }
    lines.push('');
  }

  lines.push('## Details per size', '');
  lines.push(
    '| Responses generated | Stored responses per questionnaire | Answer rows in database | Generation s | VACUUM ANALYZE s | API JSON KB | Analysis child median ms | Analysis child idle / peak RSS MB | Analysis child heap after / sampled peak MB | Baseline idle / peak RSS MB | Baseline heap sampled peak MB | Baseline rows loaded |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const s of sizes) {
    const a = s.analysisChild.ok ? s.analysisChild.report : undefined;
    const b = s.baselineChild.ok ? s.baselineChild.report : undefined;
    lines.push(
      '| ' +
        [
          int(s.requested),
          s.surveys.map((x) => `${x.surveyId}: ${int(x.stored)} (${int(x.analysed)} analysed)`).join('; '),
          int(s.answerRowsTotal),
          s.generateSeconds.toFixed(0),
          s.vacuumSeconds.toFixed(1),
          (s.apiBytes / 1024).toFixed(0),
          a ? `${ms(a.timings.median)} (min ${ms(a.timings.min)}; ${count(a.timings)})` : 'failed',
          a ? `${mb(a.idleRssMb)} / ${mb(a.peakRssMb)}` : 'failed',
          a ? `${mb(a.heapUsedAfterMb)} / ${mb(a.heapPeakSampledMb)}` : 'failed',
          b ? `${mb(b.idleRssMb)} / ${mb(b.peakRssMb)}` : 'failed',
          b ? mb(b.heapPeakSampledMb) : 'failed',
          b ? int(Number(b.details.rowsLoaded)) : 'failed',
        ].join(' | ') +
        ' |',
    );
  }
  lines.push('');
  for (const s of sizes) {
    for (const [label, outcome] of [
      ['analysis child', s.analysisChild],
      ['baseline child', s.baselineChild],
    ] as const) {
      if (!outcome.ok) lines.push(`- ${int(s.requested)}: the ${label} failed: ${outcome.error}`);
    }
  }
  lines.push('Timed runs (ms), in order:', '');
  for (const s of sizes) {
    const runs = (t: Timings) => t.runs.map((r) => ms(r)).join(', ');
    lines.push(
      `- ${int(s.requested)}: analysis ${runs(s.analysis)}; API ${runs(s.api)}` +
        (s.analysisChild.ok ? `; analysis child ${runs(s.analysisChild.report.timings)}` : '') +
        (s.baselineChild.ok ? `; baseline ${runs(s.baselineChild.report.timings)}` : ''),
    );
  }
  lines.push('');

  const profiled = sizes.filter((s) => s.profile?.queries.length);
  if (profiled.length) {
    lines.push('## Where the analysis spends its time', '');
    lines.push(
      'Each statement of the first `analyzeSurvey` run of a size (warm-up or first timed run), from sending to result. Six of them run at once on the pool (two cores), so durations overlap and include waiting for a core; the free-text lists run one after another afterwards.',
      '',
    );
    lines.push(`| Statement | ${profiled.map((s) => `${int(s.requested)}: ms (rows)`).join(' | ')} |`);
    lines.push(`|---|${profiled.map(() => '---:').join('|')}|`);
    const largest = profiled.at(-1)!.profile!.queries;
    const names = [...new Set(profiled.flatMap((s) => s.profile!.queries.map((q) => q.name)))];
    const total = (queries: QueryProfile['queries'], name: string) => queries.filter((q) => q.name === name).reduce((t, q) => t + q.ms, 0);
    names.sort((x, y) => total(largest, y) - total(largest, x));
    for (const name of names) {
      const cells = profiled.map((s) => {
        const q = s.profile!.queries.filter((x) => x.name === name);
        return q.length ? `${ms(total(q, name))} (${int(q.reduce((t, x) => t + x.rows, 0))})` : '';
      });
      lines.push(`| ${name} | ${cells.join(' | ')} |`);
    }
    lines.push('');
    for (const s of sizes.filter((x) => x.profile?.heaviestPlan)) {
      const heaviest = s.profile!.queries[0]!;
      lines.push(`Slowest statement at ${int(s.requested)} responses: \`${heaviest.name}\`, ${ms(heaviest.ms)} ms in the analysis run.`, '');
      lines.push(`<details><summary>Its SQL and EXPLAIN (ANALYZE, BUFFERS) at ${int(s.requested)} responses</summary>`, '');
      lines.push('```sql', heaviest.sql, `-- parameters: ${JSON.stringify(heaviest.parameters)}`, '```', '');
      lines.push('```', s.profile!.heaviestPlan!, '```', '', '</details>', '');
    }
  }
  return `${lines.join('\n')}\n`;
}
