/**
 * Child process: the baseline the analysis is compared with, "load every answer into Node and
 * count there". It loads every answer row of the questionnaire's submitted responses (the same
 * responses the analysis covers by default), a page of responses at a time, and counts rows per
 * question, item and value in a Map. It does less than the analysis (no distinct respondents, skip logic or free text), so the
 * comparison flatters the baseline.
 *
 *   node --import tsx bench/baseline-child.ts <database-url> <survey-id> [warmup] [runs] [budget-ms]
 */
import { openDatabase } from '../server/db/connect.ts';
import { childArgs, reportToParent } from './child-process.ts';
import { heapSampler, heapUsedMb, peakRssMb, rssMb, timeRuns } from './measure.ts';

/** Responses whose answers are loaded per query. */
const PAGE = 5_000;

const { url, surveyId, warmup, runs, budgetMs } = childArgs();
const handle = await openDatabase({ kind: 'postgres', url }, { migrate: false });
try {
  await handle.db.selectFrom('survey').select('id').where('id', '=', surveyId).executeTakeFirstOrThrow();
  const idleRssMb = rssMb();
  let rowsLoaded = 0;
  let keys = 0;
  const sampler = heapSampler();
  const timings = await timeRuns(
    async () => {
      const counts = new Map<string, number>();
      rowsLoaded = 0;
      // Pages of responses (keyset on the id), so that a million responses fit in memory: every
      // answer row still travels to Node and is counted there.
      for (let after = 0; ; ) {
        const page = await handle.db
          .selectFrom('response')
          .innerJoin('respondent', 'respondent.id', 'response.respondent_id')
          .where('respondent.survey_id', '=', surveyId)
          .where('response.status', '=', 'submitted')
          .where('response.revision', '>', 0)
          .where('response.id', '>', after)
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(selectFrom('response_exclusion').select('response_exclusion.response_id').whereRef('response_exclusion.response_id', '=', 'response.id')),
            ),
          )
          .select('response.id')
          .orderBy('response.id')
          .limit(PAGE)
          .execute();
        if (page.length === 0) break;
        after = page.at(-1)!.id;
        const rows = await handle.db
          .selectFrom('answer')
          .selectAll()
          .where(
            'response_id',
            'in',
            page.map((r) => r.id),
          )
          .execute();
        for (const row of rows) {
          const key = `${row.question_id}\u0000${row.item}\u0000${row.code ?? (row.number === null ? 'text' : String(row.number))}`;
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
        rowsLoaded += rows.length;
      }
      keys = counts.size;
    },
    { warmup, runs, budgetMs },
  );
  const heapPeakSampledMb = sampler.stop();
  await reportToParent({
    work: 'baseline',
    timings,
    peakRssMb: peakRssMb(),
    idleRssMb,
    heapUsedAfterMb: heapUsedMb(),
    heapPeakSampledMb,
    details: { rowsLoaded, keys },
  });
} finally {
  await handle.close();
}
