/**
 * The autosave endpoint the form script posts to as people type (`/form/section/:n/autosave`):
 * the same checks as a page save, answered in JSON.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TEST_DATABASE_KIND } from '../../support/database.ts';
import { AFTER_CLOSING, createAppFixture, type AppFixture, type Invited } from '../support/app-fixture.ts';
import { Browser } from '../support/browser.ts';
import { formState } from '../support/html.ts';

describe(`autosave (${TEST_DATABASE_KIND})`, () => {
  let fixture: AppFixture;
  let invited: Invited;
  let browser: Browser;
  let csrf: string;
  beforeEach(async () => {
    fixture = await createAppFixture();
    invited = await fixture.invite();
    browser = new Browser(fixture.app, { 'Accept-Language': 'fr' });
    await browser.openLink(invited.token);
    csrf = formState((await browser.page('/form/section/2')).html).csrf;
  });
  afterEach(() => fixture.close());

  const autosave = (fields: Record<string, string>) => browser.postMultipart('/form/section/2/autosave', { _csrf: csrf, ...fields });

  it('saves the page and returns the new revision', async () => {
    const first = await autosave({ _revision: '0', q_staff: '12' });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ saved: true, revision: 1, savedAt: '2026-03-02T09:00:00.000Z' });
    const second = await autosave({ _revision: '1', q_staff: '13', 'q_ratings[relevant]': 'dk' });
    expect(await second.json()).toMatchObject({ saved: true, revision: 2 });
    expect(await fixture.answerRows(invited.respondentId)).toEqual([
      { question_id: 'q_ratings', item: 'relevant', code: 'dk', number: null, text: null },
      { question_id: 'q_staff', item: '', code: null, number: 13, text: null },
    ]);
  });

  it('reports a colleague’s save and invalid answers without saving', async () => {
    await autosave({ _revision: '0', q_staff: '12' });
    const stale = await autosave({ _revision: '0', q_staff: '99' });
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ saved: false, conflict: true });

    const invalid = await autosave({ _revision: '1', q_staff: '501' });
    expect(invalid.status).toBe(422);
    expect(await invalid.json()).toEqual({
      saved: false,
      conflict: false,
      problems: [{ question: 'q_staff', message: 'Veuillez saisir un nombre inférieur ou égal à 500.' }],
    });
    expect((await fixture.answerRows(invited.respondentId)).map((r) => r.number)).toEqual([12]);
  });

  it('refuses a save without the CSRF token, or after the closing date', async () => {
    expect((await browser.postMultipart('/form/section/2/autosave', { _revision: '0', q_staff: '12' })).status).toBe(403);
    fixture.setClock(AFTER_CLOSING);
    expect((await autosave({ _revision: '0', q_staff: '12' })).status).toBe(409);
    expect(await fixture.answerRows(invited.respondentId)).toEqual([]);
  });
});
