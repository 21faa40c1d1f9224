import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getCurrentSurveyVersion } from '../../../server/surveys/survey-versions.queries.ts';
import { syncDefinitions } from '../../../server/surveys/sync-definitions.ts';
import { aliasBomb } from '../../fixtures/survey-definitions.ts';
import { createTestDatabase, TEST_DATABASE_KIND, type TestDatabase } from '../../support/database.ts';

const FIXTURE = path.resolve(import.meta.dirname, '../../fixtures/surveys-invite');

describe(`publishing the questionnaire files (${TEST_DATABASE_KIND})`, () => {
  let handle: TestDatabase;
  let folderV1: string;
  let folderV2: string;
  beforeEach(async () => {
    handle = await createTestDatabase();
    folderV1 = mkdtempSync(path.join(tmpdir(), 'sync-v1-'));
    folderV2 = mkdtempSync(path.join(tmpdir(), 'sync-v2-'));
    cpSync(FIXTURE, folderV1, { recursive: true });
    cpSync(FIXTURE, folderV2, { recursive: true });
    const file = path.join(folderV2, 'invite-test.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('version: "1"', 'version: "2"'));
  });
  afterEach(async () => {
    await handle.close();
    rmSync(folderV1, { recursive: true, force: true });
    rmSync(folderV2, { recursive: true, force: true });
  });

  it('makes new content current, and keeps it when the same file is published again', async () => {
    const first = await syncDefinitions(handle.db, folderV1);
    expect(first.published).toEqual([expect.objectContaining({ surveyId: 'invite-test', version: '1', created: true, becameCurrent: true })]);
    const again = await syncDefinitions(handle.db, folderV1);
    expect(again.published).toEqual([expect.objectContaining({ version: '1', created: false, becameCurrent: false })]);
    const second = await syncDefinitions(handle.db, folderV2);
    expect(second.published).toEqual([expect.objectContaining({ version: '2', created: true, becameCurrent: true })]);
    expect((await getCurrentSurveyVersion(handle.db, 'invite-test'))?.version).toBe('2');
  });

  it('does not switch back to an older version still lying in the folder after a newer one was published', async () => {
    await syncDefinitions(handle.db, folderV1);
    await syncDefinitions(handle.db, folderV2);
    // A restart with the old file still in the folder (version 2 was published from the browser).
    const restart = await syncDefinitions(handle.db, folderV1);
    expect(restart.published).toEqual([expect.objectContaining({ version: '1', created: false, becameCurrent: false })]);
    expect((await getCurrentSurveyVersion(handle.db, 'invite-test'))?.version).toBe('2');
  });

  it('reports an alias bomb in the folder as a problem of that file and publishes the other questionnaires (as at start-up)', async () => {
    writeFileSync(path.join(folderV1, 'bomb.yaml'), aliasBomb());
    const report = await syncDefinitions(handle.db, folderV1);
    expect(report.problems).toEqual([
      { file: 'bomb.yaml', path: '(file)', message: expect.stringMatching(/^the aliases \(\*name\) of this file would expand it beyond 100 copies/) },
    ]);
    expect(report.published).toEqual([expect.objectContaining({ surveyId: 'invite-test', version: '1', created: true })]);
  });
});
