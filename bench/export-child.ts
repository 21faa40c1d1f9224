/**
 * Child process: the anonymised export bundle of one questionnaire (writeExportBundle, streaming
 * from the database to files) and nothing else, so that its peak RSS is what an export needs.
 *
 *   node --import tsx bench/export-child.ts <database-url> <survey-id> [warmup] [runs] [budget-ms]
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../server/db/connect.ts';
import { RESTRICTED_FILES } from '../server/export/bundle-documents.ts';
import { writeExportBundle } from '../server/export/export-bundle.ts';
import { childArgs, reportToParent } from './child-process.ts';
import { heapSampler, heapUsedMb, peakRssMb, rssMb, timeRuns } from './measure.ts';

const { url, surveyId, warmup, runs, budgetMs } = childArgs();
const handle = await openDatabase({ kind: 'postgres', url }, { migrate: false });
const folder = await mkdtemp(path.join(os.tmpdir(), 'fat-bench-export-'));
try {
  await handle.db.selectFrom('survey').select('id').where('id', '=', surveyId).executeTakeFirstOrThrow();
  const idleRssMb = rssMb();
  let rows = 0;
  let bytes = 0;
  const sampler = heapSampler();
  const timings = await timeRuns(
    async () => {
      const manifest = await writeExportBundle(handle.db, { surveyId, k: 5, actor: 'bench', recipient: 'Benchmark', purpose: 'Measuring the export' }, folder);
      rows = manifest.rows.published;
      bytes = (await stat(path.join(folder, RESTRICTED_FILES.responses))).size;
    },
    { warmup, runs, budgetMs },
  );
  const heapPeakSampledMb = sampler.stop();
  await reportToParent({
    work: 'export',
    timings,
    peakRssMb: peakRssMb(),
    idleRssMb,
    heapUsedAfterMb: heapUsedMb(),
    heapPeakSampledMb,
    details: { rows, responsesCsvBytes: bytes, rowsPerSecond: Math.round(rows / (timings.median / 1000)) },
  });
} finally {
  await handle.close();
  await rm(folder, { recursive: true, force: true });
}
