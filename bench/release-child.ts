/**
 * Child process: one release of a questionnaire (createRelease: freezing the submitted responses,
 * counting them per finest group in SQL, joint protection and the exact attacker's check) and
 * nothing else. One run: a second release would be checked against the first.
 *
 *   node --import tsx bench/release-child.ts <database-url> <survey-id> [warmup] [runs] [budget-ms]
 */
import { auditStats } from '../analysis/disclosure/release-audit.ts';
import { openDatabase } from '../server/db/connect.ts';
import { createRelease } from '../server/releases/release-service.ts';
import { childArgs, reportToParent } from './child-process.ts';
import { heapUsedMb, peakRssMb, rssMb, timeRuns } from './measure.ts';

const { url, surveyId } = childArgs();
const handle = await openDatabase({ kind: 'postgres', url }, { migrate: false });
try {
  const idleRssMb = rssMb();
  let details: Record<string, number> = {};
  const timings = await timeRuns(
    async () => {
      const made = await createRelease(handle.db, { surveyId, name: 'bench', actor: 'bench' });
      details = {
        responses: made.responses,
        cells: made.summary.cells,
        hidden: made.summary.fewerThanK + made.summary.withheld,
        solves: auditStats.solves,
        solverMs: Math.round(auditStats.ms),
      };
    },
    { warmup: 0, runs: 1 },
  );
  await reportToParent({ work: 'release', timings, peakRssMb: peakRssMb(), idleRssMb, heapUsedAfterMb: heapUsedMb(), heapPeakSampledMb: 0, details });
} finally {
  await handle.close();
}
