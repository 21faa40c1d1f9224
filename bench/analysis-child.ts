/**
 * Child process: the server's analysis of one questionnaire (analyzeSurvey, counting in SQL) and
 * nothing else, so that its peak RSS is what a server needs to answer the dashboard.
 *
 *   node --import tsx bench/analysis-child.ts <database-url> <survey-id> [warmup] [runs] [budget-ms]
 */
import { analyzeSurvey } from '../server/analysis/survey-analysis.ts';
import { openDatabase } from '../server/db/connect.ts';
import { childArgs, reportToParent } from './child-process.ts';
import { heapSampler, heapUsedMb, peakRssMb, rssMb, timeRuns } from './measure.ts';

const { url, surveyId, warmup, runs, budgetMs } = childArgs();
const handle = await openDatabase({ kind: 'postgres', url }, { migrate: false });
try {
  await handle.db.selectFrom('survey').select('id').where('id', '=', surveyId).executeTakeFirstOrThrow();
  const idleRssMb = rssMb();
  let questions = 0;
  let responses = 0;
  const sampler = heapSampler();
  const timings = await timeRuns(
    async () => {
      const analysis = await analyzeSurvey(handle.db, surveyId, {}, { role: 'analyst' });
      questions = analysis.questions.length;
      responses = analysis.responses ?? 0;
    },
    { warmup, runs, budgetMs },
  );
  const heapPeakSampledMb = sampler.stop();
  await reportToParent({
    work: 'analysis',
    timings,
    peakRssMb: peakRssMb(),
    idleRssMb,
    heapUsedAfterMb: heapUsedMb(),
    heapPeakSampledMb,
    details: { questions, responses },
  });
} finally {
  await handle.close();
}
