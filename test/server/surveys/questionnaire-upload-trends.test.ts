import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatProblem } from '../../../survey-definitions/load-definitions.ts';
import { checkUploadedQuestionnaire } from '../../../server/surveys/questionnaire-upload.ts';
import { syncDefinitions } from '../../../server/surveys/sync-definitions.ts';
import { createTestDatabase, TEST_DATABASE_KIND, type TestDatabase } from '../../support/database.ts';

const PHASES = path.resolve('test/fixtures/surveys-phases');
const file = (name: string) => readFileSync(path.join(PHASES, name), 'utf8');

describe(`an uploaded questionnaire and the ties between phases (${TEST_DATABASE_KIND})`, () => {
  let handle: TestDatabase;
  beforeEach(async () => {
    handle = await createTestDatabase();
    expect((await syncDefinitions(handle.db, PHASES)).problems).toEqual([]);
  });
  afterEach(() => handle.close());

  const upload = (fileName: string, text: string) => checkUploadedQuestionnaire(handle.db, { surveysDir: PHASES, fileName, text });

  it('accepts the files as they are', async () => {
    expect((await upload('stocktake-2012.yaml', file('stocktake-2012.yaml').replace('version: "1"', 'version: "2"'))).ok).toBe(true);
    expect((await upload('assessment-2011.yaml', file('assessment-2011.yaml').replace('version: "1"', 'version: "2"'))).ok).toBe(true);
  });

  it('refuses a later phase whose tied question no longer compares', async () => {
    const text = file('stocktake-2012.yaml').replace('trend_codes: { formal: close, informal: close }', 'trend_codes: { formal: close }');
    const check = await upload('stocktake-2012.yaml', text);
    expect(check.ok ? [] : check.problems.map(formatProblem)).toEqual([
      "stocktake-2012.yaml: sections.main.questions.s_un_link.trend_key: trend_key 'un_link': code 'informal' has no counterpart in assessment-2011 (published)'s question a_un_link (codes: none, loose, close)",
    ]);
  });

  it('refuses an earlier phase that would break a published later phase’s tie, naming it', async () => {
    const text = file('assessment-2011.yaml').replace(
      '- { code: "close", label: { en: "Close", fr: "Étroit", es: "Estrecho" } }',
      '- { code: "near", label: { en: "Near", fr: "Proche", es: "Cercano" } }',
    );
    const check = await upload('assessment-2011.yaml', text);
    expect(check.ok ? [] : check.problems.map(formatProblem)).toEqual([
      "assessment-2011.yaml: stocktake-2012 (published) sections.main.questions.s_un_link.trend_key: this version breaks a tie of a later phase: trend_key 'un_link': code 'formal' (mapped to 'close') has no counterpart in assessment-2011.yaml's question a_un_link (codes: none, loose, near)",
      "assessment-2011.yaml: stocktake-2012 (published) sections.main.questions.s_un_link.trend_key: this version breaks a tie of a later phase: trend_key 'un_link': code 'informal' (mapped to 'close') has no counterpart in assessment-2011.yaml's question a_un_link (codes: none, loose, near)",
    ]);
  });
});
