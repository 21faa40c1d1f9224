/**
 * A response stays with the questionnaire version it was started under: publishing a changed
 * definition affects only respondents who start afterwards.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { definitionHash, loadDefinitions } from '../../../survey-definitions/load-definitions.ts';
import type { SurveyDefinition } from '../../../survey-definitions/types.ts';
import { publishSurveyVersion } from '../../../server/surveys/survey-versions.queries.ts';
import { TEST_DATABASE_KIND } from '../../support/database.ts';
import { createAppFixture, FLOW_SURVEYS, type AppFixture } from '../support/app-fixture.ts';
import { Browser } from '../support/browser.ts';
import { visibleText } from '../support/html.ts';

interface ApiState {
  survey: { version: string; contentHash: string };
  definition: SurveyDefinition;
  revision: number;
}

/** Version 2 of `flow-gov`: an option renamed and a question added to the first section. */
async function versionTwo(): Promise<{ definition: SurveyDefinition; contentHash: string; v1Hash: string }> {
  const { definitions } = await loadDefinitions(FLOW_SURVEYS);
  const v1 = definitions.find((d) => d.definition.id === 'flow-gov')!;
  const definition = structuredClone(v1.definition);
  definition.version = '2';
  const role = definition.sections[0]!.questions.find((q) => q.id === 'q_role');
  if (role?.type !== 'single_choice') throw new Error('flow-gov has no single choice q_role');
  role.options[0]!.label = { en: 'Ministry or agency', fr: 'Ministère ou agence', es: 'Ministerio u organismo' };
  definition.sections[0]!.questions.push({
    id: 'q_new',
    type: 'yes_no',
    required: false,
    text: { en: 'A new question?', fr: 'Une nouvelle question ?', es: '¿Una pregunta nueva?' },
  });
  return { definition, contentHash: definitionHash(definition), v1Hash: v1.contentHash };
}

describe(`questionnaire versions (${TEST_DATABASE_KIND})`, () => {
  let fixture: AppFixture;
  beforeEach(async () => {
    fixture = await createAppFixture();
  });
  afterEach(() => fixture.close());

  const api = (token: string, method = 'GET', body?: unknown) =>
    fixture.app.request(
      `/api/r/${token}${method === 'GET' ? '' : method === 'PUT' ? '/answers' : '/submit'}`,
      body === undefined ? { method } : { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) },
    );

  it('keeps a started response on its version while new respondents get the new one', async () => {
    const started = await fixture.invite({ name: 'Kenya', country: 'KEN' });
    const browser = new Browser(fixture.app);
    await browser.openLink(started.token);
    expect((await browser.saveSection(1, { q_role: 'ministry', q_attended: 'no' })).status).toBe(303);

    const v2 = await versionTwo();
    const published = await fixture.db.transaction().execute((trx) => publishSurveyVersion(trx, v2.definition, v2.contentHash));
    expect(published).toMatchObject({ created: true, becameCurrent: true });
    expect(v2.contentHash).not.toBe(v2.v1Hash);

    // The started respondent still sees and answers version 1.
    const pinned = (await (await api(started.token)).json()) as ApiState;
    expect(pinned.survey).toEqual({ id: 'flow-gov', version: '1', contentHash: v2.v1Hash });
    expect(pinned.definition.sections[0]!.questions.map((q) => q.id)).toEqual(['q_role', 'q_attended', 'q_meetings']);
    const page = visibleText((await browser.page('/form/section/1')).html);
    expect(page).toContain('Ministry');
    expect(page).not.toContain('Ministry or agency');
    expect(page).not.toContain('A new question?');

    const unknown = await api(started.token, 'PUT', { answers: { q_role: 'ministry', q_attended: 'no', q_new: 'yes' }, revision: pinned.revision });
    expect(unknown.status).toBe(422);
    expect(await unknown.json()).toMatchObject({ error: { details: [{ question: 'q_new', code: 'unknown_question' }] } });
    const complete = { q_role: 'ministry', q_attended: 'no', q_ratings: { relevant: '2', efficient: '3' } };
    expect((await api(started.token, 'PUT', { answers: complete, revision: pinned.revision })).status).toBe(200);
    expect((await api(started.token, 'POST', {})).status).toBe(200);
    const submission = await fixture.db
      .selectFrom('submission')
      .innerJoin('survey_version', 'survey_version.id', 'submission.survey_version_id')
      .select(['survey_version.version', 'survey_version.content_hash'])
      .executeTakeFirstOrThrow();
    expect(submission).toEqual({ version: '1', content_hash: v2.v1Hash });

    // Someone who starts now gets version 2.
    const newcomer = await fixture.invite({ name: 'Ghana', country: 'GHA' });
    await new Browser(fixture.app).openLink(newcomer.token);
    const fresh = (await (await api(newcomer.token)).json()) as ApiState;
    expect(fresh.survey).toEqual({ id: 'flow-gov', version: '2', contentHash: v2.contentHash });
    expect(fresh.definition.sections[0]!.questions.map((q) => q.id)).toContain('q_new');
    expect((await api(newcomer.token, 'PUT', { answers: { q_new: 'yes' }, revision: 0 })).status).toBe(200);
    const versions = await fixture.db
      .selectFrom('response')
      .innerJoin('survey_version', 'survey_version.id', 'response.survey_version_id')
      .select(['response.respondent_id', 'survey_version.version'])
      .orderBy('response.respondent_id')
      .execute();
    expect(versions).toEqual([
      { respondent_id: started.respondentId, version: '1' },
      { respondent_id: newcomer.respondentId, version: '2' },
    ]);
  });

  /** Publishes version 2 of `flow-gov` with other dates (and nothing else changed). */
  async function publishDates(dates: { opens?: string; closes?: string }): Promise<void> {
    const { definitions } = await loadDefinitions(FLOW_SURVEYS);
    const definition = structuredClone(definitions.find((d) => d.definition.id === 'flow-gov')!.definition);
    definition.version = '2';
    Object.assign(definition, dates);
    const published = await fixture.db.transaction().execute((trx) => publishSurveyVersion(trx, definition, definitionHash(definition)));
    expect(published).toMatchObject({ created: true, becameCurrent: true });
  }

  it('closes the questionnaire for respondents pinned to an earlier version when a new version closes it earlier', async () => {
    const pinned = await fixture.invite({ name: 'Kenya', country: 'KEN' });
    const browser = new Browser(fixture.app);
    await browser.openLink(pinned.token);
    expect((await browser.saveSection(1, { q_role: 'ministry', q_attended: 'no' })).status).toBe(303);
    const before = (await (await api(pinned.token)).json()) as ApiState & { window: string; closes: string };
    expect(before).toMatchObject({ window: 'open', closes: '2026-06-30' });

    // The clock says 2026-03-02: a version closing on 2026-03-01 ends the questionnaire for everyone.
    await publishDates({ closes: '2026-03-01' });
    const after = (await (await api(pinned.token)).json()) as ApiState & { window: string; closes: string };
    expect(after.survey.version).toBe('1');
    expect(after).toMatchObject({ window: 'closed', closes: '2026-03-01' });
    const refused = await api(pinned.token, 'PUT', { answers: { q_role: 'ministry', q_attended: 'yes' }, revision: after.revision });
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ error: { code: 'closed' } });
    expect(visibleText((await browser.page('/form/section/1')).html)).toContain('closed on 2026-03-01');
    expect((await api(pinned.token, 'POST', {})).status).toBe(409);
    expect(await fixture.submissions(pinned.respondentId)).toEqual([]);
  });

  it('reopens the questionnaire for respondents pinned to an earlier version when a new version extends the deadline', async () => {
    const pinned = await fixture.invite({ name: 'Kenya', country: 'KEN' });
    const browser = new Browser(fixture.app);
    await browser.openLink(pinned.token);
    expect((await browser.saveSection(1, { q_role: 'ministry', q_attended: 'no' })).status).toBe(303);
    fixture.setClock('2026-07-15T09:00:00Z');
    const closed = (await (await api(pinned.token)).json()) as ApiState & { window: string };
    expect(closed.window).toBe('closed');

    await publishDates({ closes: '2026-07-31' });
    const extended = (await (await api(pinned.token)).json()) as ApiState & { window: string; closes: string };
    expect(extended.survey.version).toBe('1');
    expect(extended).toMatchObject({ window: 'open', closes: '2026-07-31' });
    expect(visibleText((await browser.page('/form/section/1')).html)).toContain('2026-07-31');
    const complete = { q_role: 'ministry', q_attended: 'no', q_ratings: { relevant: '2', efficient: '3' } };
    expect((await api(pinned.token, 'PUT', { answers: complete, revision: extended.revision })).status).toBe(200);
    expect((await api(pinned.token, 'POST', {})).status).toBe(200);
    expect(await fixture.submissions(pinned.respondentId)).toHaveLength(1);
  });
});
