/**
 * What an observer's analysis leaves out, as the published export does: identifying questions and
 * country questions never appear for observers, while analysts see every question.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeSurvey } from '../../../server/analysis/survey-analysis.ts';
import { allQuestions } from '../../../survey-definitions/types.ts';
import { getCurrentSurveyVersion } from '../../../server/surveys/survey-versions.queries.ts';
import { createTestDatabase, TEST_DATABASE_KIND, type TestDatabase } from '../../support/database.ts';
import { publishAnalysisSurveys, publishChangedVersion, seedBaseData } from '../support/analysis-data.ts';

describe(`the observer's view leaves out identifying questions (${TEST_DATABASE_KIND})`, () => {
  let handle: TestDatabase;
  beforeAll(async () => {
    handle = await createTestDatabase();
    await publishAnalysisSurveys(handle.db);
    await seedBaseData(handle.db);
    // The number of staff would identify a government: mark it so in a new version.
    await publishChangedVersion(handle.db, 'analysis-gov', (definition) => {
      for (const q of allQuestions(definition)) if (q.id === 'g_staff') q.identifying = true;
    });
  });
  afterAll(() => handle.close());

  it('shows analysts every question and observers none that is identifying or a country', async () => {
    const definition = (await getCurrentSurveyVersion(handle.db, 'analysis-gov'))!.definition;
    const questions = allQuestions(definition);
    const withheld = questions.filter((q) => q.identifying || q.type === 'country').map((q) => q.id);
    expect(withheld).toContain('g_staff');

    const analyst = await analyzeSurvey(handle.db, 'analysis-gov', {}, { role: 'analyst' });
    expect(analyst.questions.map((q) => q.questionId)).toEqual(questions.map((q) => q.id));

    const observer = await analyzeSurvey(handle.db, 'analysis-gov', {}, { role: 'observer' });
    const shown = observer.questions.map((q) => q.questionId);
    for (const id of withheld) expect(shown).not.toContain(id);
    expect(shown).toEqual(questions.filter((q) => !withheld.includes(q.id)).map((q) => q.id));
  });
});
