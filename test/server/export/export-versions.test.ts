/**
 * The export across questionnaire versions and under concurrency: each version is anonymised on
 * its own (a row's ".x" cells tell its version), so a version with fewer than k responses
 * publishes no row; and one export runs at a time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeExportBundle } from '../../../server/export/export-bundle.ts';
import { createTestDatabase, TEST_DATABASE_KIND, type TestDatabase } from '../../support/database.ts';
import { publishAnalysisSurveys, publishChangedVersion } from '../support/analysis-data.ts';
import { exportBundle, removeBundles } from './support/bundle.ts';
import { plannedRespondents, storeRespondents, type SeededRespondent } from './support/export-data.ts';

describe(`export across versions (${TEST_DATABASE_KIND})`, { timeout: 120_000 }, () => {
  let handle: TestDatabase;
  let early: SeededRespondent[];
  let late: SeededRespondent[];
  beforeAll(async () => {
    handle = await createTestDatabase();
    await publishAnalysisSurveys(handle.db);
    const governments = plannedRespondents().filter((r) => r.surveyId === 'analysis-gov' && r.kind === 'government' && r.status === 'submitted');
    // Three answer the first version (fewer than k = 5), then a second version is published.
    early = await storeRespondents(handle.db, governments.slice(0, 3));
    await publishChangedVersion(handle.db, 'analysis-gov', (definition) => {
      definition.version = '2';
    });
    late = await storeRespondents(handle.db, governments.slice(3, 23));
  }, 120_000);
  afterAll(async () => {
    removeBundles();
    await handle?.close();
  });

  it('publishes no row of a version answered by fewer than k, and says so without its count', async () => {
    const bundle = await exportBundle(handle.db, { surveyId: 'analysis-gov', k: 5 });
    expect(bundle.csv('responses.csv').rows).toHaveLength(late.length);
    const plans = bundle.manifest.disclosure_control.row_file.versions;
    expect(plans.map((p) => [p.withheld_all, p.published])).toEqual([
      [true, null],
      [false, late.length],
    ]);
    expect(JSON.stringify(bundle.manifest)).not.toMatch(/"published": ?3\b/);
    // The first version's respondents appear nowhere, not even as a count in the README.
    const readme = bundle.raw.get('README.txt')!.toString('utf8');
    expect(readme).toContain('fewer than 5 responses, none published');
    for (const r of early) for (const file of bundle.raw.values()) expect(file.toString('utf8')).not.toContain(r.name);
  });

  it('runs one export at a time: a second one started meanwhile is refused with a conflict', async () => {
    const folder = (n: number) => `${process.env.TMPDIR ?? '/tmp'}/fat-export-concurrent-${process.pid}-${n}`;
    const results = await Promise.allSettled([
      writeExportBundle(handle.db, { surveyId: 'analysis-gov', actor: 'test' }, folder(1)),
      writeExportBundle(handle.db, { surveyId: 'analysis-gov', actor: 'test' }, folder(2)),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: 'conflict' });
    // Once it has finished, the next export runs.
    await expect(writeExportBundle(handle.db, { surveyId: 'analysis-gov', actor: 'test' }, folder(3))).resolves.toMatchObject({ rows: { published: late.length } });
  });
});
