/**
 * The exact attacker on a release of synthetic demo data (the civil society questionnaire, every
 * breakdown, the demo's small regions): no hidden count pinned, none from 1 to 4 narrowed below 5
 * values, reading the counts, the questionnaire's relations and the labels. (The government
 * questionnaire's release is attacked on the hand-made adversarial populations of
 * release.test.ts: on demo data this attacker, an integer program in pure JavaScript, takes tens
 * of minutes.)
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDemoData } from '../../../server/demo/write-demo.ts';
import { createRelease, readRelease } from '../../../server/releases/release-service.ts';
import { syncDefinitions } from '../../../server/surveys/sync-definitions.ts';
import { createTestDatabase, TEST_DATABASE_KIND, type TestDatabase } from '../../support/database.ts';
import { attackReleases } from '../../support/release-attacker.ts';

const RESPONSES = 80;

describe(`a release of ${RESPONSES} demo responses, attacked (${TEST_DATABASE_KIND})`, { timeout: 600_000 }, () => {
  let handle: TestDatabase;
  beforeAll(async () => {
    handle = await createTestDatabase();
    expect((await syncDefinitions(handle.db, path.resolve('survey-definitions'))).problems).toEqual([]);
    await writeDemoData(handle.db, { responses: RESPONSES, seed: 'release-demo', force: true });
  });
  afterAll(() => handle?.close());

  it.each(['civil-society-survey'])('protects every hidden count of the %s release', async (surveyId) => {
    const made = await createRelease(handle.db, { surveyId, name: 'Demo', actor: 'test' });
    const release = await readRelease(handle.db, made.id);
    const started = Date.now();
    const attack = await attackReleases([release]);
    const hidden = attack.ranges.length;
    console.log(
      `[release demo] ${surveyId}: ${release.respondents['all']?.count ?? 'hidden'} responses, ${hidden} hidden counts attacked in ${Date.now() - started} ms`,
    );
    expect(hidden).toBeGreaterThan(20);
    expect(attack.violations).toEqual([]);
  });
});
