/**
 * The export across questionnaire versions and under concurrency: each version is anonymised on
 * its own (a row's ".x" cells tell its version), so a version with fewer than k responses
 * publishes no row; and one export runs at a time, the others waiting their turn up to a bound.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_WAITING_EXPORTS, writeExportBundle } from '../../../server/export/export-bundle.ts';
import { createTestDatabase, TEST_DATABASE_KIND, type TestDatabase } from '../../support/database.ts';
import { publishAnalysisSurveys, publishChangedVersion } from '../support/analysis-data.ts';
import { exportBundle, removeBundles, TEST_RECIPIENT } from './support/bundle.ts';
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
    expect(bundle.csv('responses-restricted.csv').rows).toHaveLength(late.length);
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

  it('runs one export at a time: those started meanwhile wait their turn, first come first served', async () => {
    const folder = (n: number) => `${process.env.TMPDIR ?? '/tmp'}/fat-export-concurrent-${process.pid}-${n}`;
    const finished: number[] = [];
    const manifests = await Promise.all(
      [1, 2, 3].map((n) =>
        writeExportBundle(handle.db, { surveyId: 'analysis-gov', k: 5, seed: 'a'.repeat(64), actor: 'test', ...TEST_RECIPIENT }, folder(n)).then((m) => {
          finished.push(n);
          return m;
        }),
      ),
    );
    expect(finished).toEqual([1, 2, 3]);
    // Same data, same seed: the waiting exports wrote the same files as the first.
    const hashes = manifests.map((m) => m.files.map((f) => f.sha256).join(','));
    expect(new Set(hashes).size).toBe(1);
    expect(manifests[0]!.rows.published).toBe(late.length);
    for (const n of [1, 2, 3]) rmSync(folder(n), { recursive: true, force: true });
  });

  it(`refuses an export with a conflict when ${MAX_WAITING_EXPORTS} are already waiting`, async () => {
    const folder = (n: number) => `${process.env.TMPDIR ?? '/tmp'}/fat-export-queued-${process.pid}-${n}`;
    const count = MAX_WAITING_EXPORTS + 2; // one running, the bound waiting, one too many
    const results = await Promise.allSettled(
      Array.from({ length: count }, (_, n) => writeExportBundle(handle.db, { surveyId: 'analysis-gov', actor: 'test', ...TEST_RECIPIENT }, folder(n))),
    );
    expect(results.map((r) => r.status)).toEqual([...Array<string>(count - 1).fill('fulfilled'), 'rejected']);
    expect((results.at(-1) as PromiseRejectedResult).reason).toMatchObject({ code: 'conflict' });
    // Once the queue has drained, the next export runs.
    await expect(writeExportBundle(handle.db, { surveyId: 'analysis-gov', actor: 'test', ...TEST_RECIPIENT }, folder(count))).resolves.toMatchObject({
      rows: { published: late.length },
    });
    for (let n = 0; n <= count; n++) rmSync(folder(n), { recursive: true, force: true });
  });
});
