/**
 * Child process: the baseline the analysis is compared with, "load every answer into Node and
 * count there". It selects every answer row of the questionnaire's submitted responses (the same
 * responses the analysis covers by default) and counts rows per question, item and value in a
 * Map. It does less than the analysis (no distinct respondents, skip logic or free text), so the
 * comparison flatters the baseline.
 *
 *   node --import tsx bench/baseline-child.ts <database-url> <survey-id> [warmup] [runs] [budget-ms]
 */
import { openDatabase } from '../server/db/connect.ts';
import { childArgs, reportToParent } from './child-process.ts';
import { heapSampler, heapUsedMb, peakRssMb, rssMb, timeRuns } from './measure.ts';

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
      const rows = await handle.db
        .selectFrom('answer')
        .innerJoin('response', 'response.id', 'answer.response_id')
        .innerJoin('respondent', 'respondent.id', 'response.respondent_id')
        .where('respondent.survey_id', '=', surveyId)
        .where('response.status', '=', 'submitted')
        .where('response.revision', '>', 0)
        .where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom('response_exclusion').select('response_exclusion.response_id').whereRef('response_exclusion.response_id', '=', 'response.id'))),
        )
        .selectAll('answer')
        .execute();
      const counts = new Map<string, number>();
      for (const row of rows) {
        const key = `${row.question_id}\u0000${row.item}\u0000${row.code ?? (row.number === null ? 'text' : String(row.number))}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      rowsLoaded = rows.length;
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
