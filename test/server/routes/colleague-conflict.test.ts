/**
 * Two colleagues on one invitation link: the second to save a page they loaded before the first
 * saved it is shown what changed, keeps their entries, and can then save them on purpose.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TEST_DATABASE_KIND } from '../../support/database.ts';
import { createAppFixture, type AppFixture, type Invited } from '../support/app-fixture.ts';
import { Browser } from '../support/browser.ts';
import { formState, inputValue, isChecked, visibleText } from '../support/html.ts';

describe(`two colleagues on one link (${TEST_DATABASE_KIND})`, () => {
  let fixture: AppFixture;
  let invited: Invited;
  beforeEach(async () => {
    fixture = await createAppFixture();
    invited = await fixture.invite();
  });
  afterEach(() => fixture.close());

  it('shows the second editor what the first changed, keeps their entries, and lets them save again', async () => {
    const alice = new Browser(fixture.app);
    const bruno = new Browser(fixture.app);
    await alice.openLink(invited.token);
    await bruno.openLink(invited.token);
    await alice.saveSection(2, { 'q_ratings[relevant]': '2', q_staff: '40', q_comment: 'From Alice.' });

    const aliceLoaded = (await alice.page('/form/section/1')).html;
    const brunoLoaded = (await bruno.page('/form/section/1')).html;
    expect(formState(brunoLoaded).revision).toBe('1');

    const saved = await alice.postSection(1, aliceLoaded, { q_role: 'other', 'q_role.other': 'Cabinet office', q_attended: 'no' });
    expect(saved.status).toBe(303);

    const refused = await bruno.postSection(1, brunoLoaded, { q_role: 'mission', q_attended: 'yes', q_meetings: 'm2009' });
    expect(refused.status).toBe(409);
    const html = await refused.text();
    const notice = visibleText(/<section class="notice conflict"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '');
    expect(notice).toContain('A colleague changed these answers');
    expect(notice).toContain('1. Which office answers?: before «No answer», now «Other office: Cabinet office»');
    expect(notice).toContain('2. Did you attend a Forum meeting?: before «No answer», now «No»');
    // Bruno's entries are still in the inputs, and the form now names the current revision.
    expect(isChecked(html, 'q_role-mission')).toBe(true);
    expect(isChecked(html, 'q_role-other')).toBe(false);
    expect(isChecked(html, 'q_attended-yes')).toBe(true);
    expect(isChecked(html, 'q_meetings-m2009')).toBe(true);
    expect(inputValue(html, '_revision')).toBe('2');
    // Nothing of Bruno's was stored.
    expect((await fixture.answerRows(invited.respondentId)).find((r) => r.question_id === 'q_role')).toMatchObject({ code: 'other', text: 'Cabinet office' });

    // Having seen Alice's change, Bruno saves his answers on purpose.
    const again = await bruno.postSection(1, html, { q_role: 'mission', q_attended: 'yes', q_meetings: 'm2009' });
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe('/form/section/2');

    const rows = await fixture.answerRows(invited.respondentId);
    expect(rows.map((r) => [r.question_id, r.item, r.code ?? r.number ?? r.text])).toEqual([
      ['q_attended', '', 'yes'],
      ['q_comment', '', 'From Alice.'],
      ['q_meetings', '', 'm2009'],
      ['q_ratings', 'relevant', '2'],
      ['q_role', '', 'mission'],
      ['q_staff', '', 40],
    ]);
    expect((await fixture.response(invited.respondentId))?.revision).toBe(3);

    // Alice, still on her old page, is now the one shown a change instead of overwriting Bruno.
    const stale = await alice.postSection(1, aliceLoaded, { q_role: 'ministry', q_attended: 'no' });
    expect(stale.status).toBe(409);
    expect(visibleText(await stale.text())).toContain('now «Permanent mission»');
  });
});
