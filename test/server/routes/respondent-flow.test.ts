/**
 * The respondent's path through the form pages, without JavaScript: open the link, answer section
 * by section, review, submit, amend; with a real database behind `app.request()`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AFTER_CLOSING, createAppFixture, type AppFixture, type Invited } from '../support/app-fixture.ts';
import { Browser, type Fields } from '../support/browser.ts';
import { attribute, elementById, formState, inputValue, isChecked, questionControls, shownAnswers, tagById, visibleText } from '../support/html.ts';
import { TEST_DATABASE_KIND } from '../../support/database.ts';

/** Complete, valid answers to the three sections of `flow-gov`. */
const SECTION_1: Fields = { q_role: 'ministry', q_attended: 'yes', q_meetings: ['m2008', 'm2010'] };
const SECTION_2: Fields = { 'q_ratings[relevant]': '3', 'q_ratings[efficient]': 'dk', q_staff: '12', q_comment: 'Useful.' };
const SECTION_3: Fields = { 'q_priorities[labour]': '1', 'q_priorities[diaspora]': '2', q_host: 'SEN', q_meeting_lesson: 'Peer learning.' };

describe(`the respondent's form (${TEST_DATABASE_KIND})`, () => {
  let fixture: AppFixture;
  let invited: Invited;
  let browser: Browser;
  beforeEach(async () => {
    fixture = await createAppFixture();
    invited = await fixture.invite();
    browser = new Browser(fixture.app);
  });
  afterEach(() => fixture.close());

  async function answerEverything(b: Browser = browser) {
    expect((await b.saveSection(1, SECTION_1)).headers.get('location')).toBe('/form/section/2');
    expect((await b.saveSection(2, SECTION_2)).headers.get('location')).toBe('/form/section/3');
    expect((await b.saveSection(3, SECTION_3)).headers.get('location')).toBe('/form/review');
  }

  it('refuses a post without the right CSRF token and stores nothing', async () => {
    await browser.openLink(invited.token);
    const { html } = await browser.page('/form/section/1');
    const { revision } = formState(html);

    const missing = await browser.postForm('/form/section/1', { _revision: revision, _action: 'next', q_role: 'ministry' });
    expect(missing.status).toBe(403);
    const wrong = await browser.postForm('/form/section/1', { _csrf: 'forged', _revision: revision, _action: 'next', q_role: 'ministry' });
    expect(wrong.status).toBe(403);

    expect(await fixture.answerRows(invited.respondentId)).toEqual([]);
    expect((await fixture.response(invited.respondentId))?.revision).toBe(0);
  });

  it('saves a valid section, goes on to the next one and shows the answers when coming back', async () => {
    await browser.openLink(invited.token);
    const res = await browser.saveSection(1, { q_role: 'other', 'q_role.other': 'Cabinet office', q_attended: 'no' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/form/section/2');

    expect(await fixture.answerRows(invited.respondentId)).toEqual([
      { question_id: 'q_attended', item: '', code: 'no', number: null, text: null },
      { question_id: 'q_role', item: '', code: 'other', number: null, text: 'Cabinet office' },
    ]);
    const { html } = await browser.page('/form/section/1');
    expect(isChecked(html, 'q_role-other')).toBe(true);
    expect(isChecked(html, 'q_attended-no')).toBe(true);
    expect(inputValue(html, 'q_role.other')).toBe('Cabinet office');
    expect(formState(html).revision).toBe('1');
  });

  it('refuses invalid answers with the message next to each field, in French, and stores nothing', async () => {
    const french = new Browser(fixture.app, { 'Accept-Language': 'fr-FR,fr;q=0.9' });
    await french.openLink(invited.token);
    const res = await french.saveSection(2, { 'q_ratings[relevant]': '3', q_staff: '501', q_comment: 'x'.repeat(41) });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('<html lang="fr">');

    // Each message sits next to its field, which points at it with aria-describedby.
    expect(attribute(tagById(html, 'q_staff'), 'aria-describedby')?.split(' ')).toContain('q_staff-errors');
    expect(visibleText(elementById(html, 'q_staff-errors'))).toBe('Veuillez saisir un nombre inférieur ou égal à 500.');
    expect(attribute(tagById(html, 'q_comment'), 'aria-describedby')?.split(' ')).toContain('q_comment-errors');
    expect(visibleText(elementById(html, 'q_comment-errors'))).toBe('Veuillez raccourcir cette réponse à 40 caractères.');
    // The summary at the top links to the fields.
    expect(html).toContain('href="#q_staff"');
    // What was typed is given back, so nothing has to be typed again.
    expect(inputValue(html, 'q_staff')).toBe('501');
    expect(elementById(html, 'q_comment')).toBe('x'.repeat(41));
    expect(html).toMatch(/name="q_ratings\[relevant\]" value="3" checked=""/);

    const notWhole = await french.saveSection(2, { q_staff: '2,5' });
    expect(notWhole.status).toBe(422);
    expect(visibleText(elementById(await notWhole.text(), 'q_staff-errors'))).toBe('Veuillez saisir un nombre entier.');

    const both = await french.saveSection(1, { q_role: 'ministry', q_attended: 'yes', q_meetings: ['m2008', 'none_listed'] });
    expect(both.status).toBe(422);
    expect(visibleText(elementById(await both.text(), 'q_meetings-errors'))).toBe('Cette option ne peut pas être combinée avec les autres options choisies.');

    expect(await fixture.answerRows(invited.respondentId)).toEqual([]);
    expect((await fixture.response(invited.respondentId))?.revision).toBe(0);
  });

  it('stays on the page when an answer reveals a question on it, and asks it', async () => {
    await browser.openLink(invited.token);
    const { html: before } = await browser.page('/form/section/1');
    expect(tagById(before, 'q-q_meetings')).toMatch(/\shidden=""/);

    const res = await browser.saveSection(1, { q_role: 'ministry', q_attended: 'yes' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/form/section/1?notice=new_questions');
    const { status, html } = await browser.page('/form/section/1?notice=new_questions');
    expect(status).toBe(200);
    expect(tagById(html, 'q-q_meetings')).not.toMatch(/\shidden=""/);
    expect(visibleText(html)).toContain('Your answers opened further questions on this page.');

    const next = await browser.saveSection(1, SECTION_1);
    expect(next.headers.get('location')).toBe('/form/section/2');
    const back = await browser.saveSection(2, { q_staff: '3' }, 'previous');
    expect(back.headers.get('location')).toBe('/form/section/1');
    expect((await browser.saveSection(2, { q_staff: '3' }, 'later')).headers.get('location')).toBe('/form/saved');
  });

  it('does not store answers to questions that skip logic hides, on the same page or a later one', async () => {
    await browser.openLink(invited.token);
    await browser.saveSection(1, { q_role: 'ministry', q_attended: 'no', q_meetings: ['m2008'] });
    expect((await fixture.answerRows(invited.respondentId)).map((r) => r.question_id)).toEqual(['q_attended', 'q_role']);

    // On the later page the dependent question is hidden, and the script is given the answer it depends on.
    const hiddenThere = (await browser.page('/form/section/3')).html;
    expect(tagById(hiddenThere, 'q-q_meeting_lesson')).toMatch(/\shidden=""/);
    expect(JSON.parse(attribute(/<form\b[^>]*class="questionnaire"[^>]*>/.exec(hiddenThere)![0], 'data-answers')!)).toEqual({ q_attended: 'no' });

    await answerEverything();
    expect(tagById((await browser.page('/form/section/3')).html, 'q-q_meeting_lesson')).not.toMatch(/\shidden=""/);
    const answered = new Set((await fixture.answerRows(invited.respondentId)).map((r) => r.question_id));
    expect(answered).toContain('q_meetings');
    expect(answered).toContain('q_meeting_lesson');

    // Going back to say "no" withdraws what depended on "yes", here and in section 3.
    await browser.saveSection(1, { ...SECTION_1, q_attended: 'no' });
    const rows = await fixture.answerRows(invited.respondentId);
    expect(rows.map((r) => r.question_id)).not.toContain('q_meetings');
    expect(rows.map((r) => r.question_id)).not.toContain('q_meeting_lesson');
    expect(rows.find((r) => r.question_id === 'q_staff')).toMatchObject({ number: 12 });
  });

  it('shows the saved answers to a new session on the same link', async () => {
    await browser.openLink(invited.token);
    await browser.saveSection(1, SECTION_1);
    await browser.saveSection(2, SECTION_2, 'later');

    const later = new Browser(fixture.app);
    expect((await later.openLink(invited.token)).status).toBe(303);
    expect(later.cookie('fat_session')).not.toBe(browser.cookie('fat_session'));
    const overview = await later.page('/form');
    expect(overview.html).toContain('href="/form/section/3"');
    const section1 = (await later.page('/form/section/1')).html;
    expect(isChecked(section1, 'q_role-ministry')).toBe(true);
    expect(isChecked(section1, 'q_meetings-m2010')).toBe(true);
    expect(isChecked(section1, 'q_meetings-m2009')).toBe(false);
    const section2 = (await later.page('/form/section/2')).html;
    expect(inputValue(section2, 'q_staff')).toBe('12');
    expect(section2).toMatch(/name="q_ratings\[efficient\]" value="dk" checked=""/);
  });

  it('reads numbers by the language of the page and asks, without JavaScript, which number is meant when conventions disagree', async () => {
    // Spanish: "1.500" is one thousand five hundred (above this question's 500), not 1.5.
    const spanish = new Browser(fixture.app, { 'Accept-Language': 'es-ES,es;q=0.9' });
    await spanish.openLink(invited.token);
    const grouped = await spanish.saveSection(2, { q_staff: '1.500' });
    expect(grouped.status).toBe(422);
    expect(visibleText(elementById(await grouped.text(), 'q_staff-errors'))).toBe('Introduzca un número menor o igual que 500.');

    // English: "12.000" is 12 or 12,000. Nothing is saved; the page asks, showing both readings.
    const english = new Browser(fixture.app, { 'Accept-Language': 'en' });
    await english.openLink(invited.token);
    const asked = await english.saveSection(2, { ...SECTION_2, q_staff: '12.000' });
    expect(asked.status).toBe(422);
    const html = await asked.text();
    expect(visibleText(elementById(html, 'q_staff-errors'))).toBe('“12.000” could mean 12 or 12,000. Please confirm the number you mean.');
    expect(inputValue(html, 'q_staff')).toBe('12.000');
    expect(visibleText(elementById(html, 'q_staff-confirm'))).toBe(
      'Which number do you mean by “12.000”? 12 12,000 (12 thousand) Choose one and save again, or change the number above.',
    );
    expect(attribute(tagById(html, 'q_staff-reading-0'), 'value')).toBe('12');
    expect(attribute(tagById(html, 'q_staff-reading-1'), 'value')).toBe('12000');
    expect(inputValue(html, 'q_staff.for')).toBe('12.000');
    expect(await fixture.answerRows(invited.respondentId)).toEqual([]);

    // Saving again without choosing asks again; choosing 12 saves 12.
    expect((await english.postSection(2, html, { ...SECTION_2, q_staff: '12.000', 'q_staff.for': '12.000' })).status).toBe(422);
    const confirmed = await english.postSection(2, html, { ...SECTION_2, q_staff: '12.000', 'q_staff.for': '12.000', 'q_staff.reading': '12' });
    expect(confirmed.status).toBe(303);
    expect((await fixture.answerRows(invited.respondentId)).find((r) => r.question_id === 'q_staff')).toMatchObject({ number: 12 });
    expect(shownAnswers((await english.page('/form/review')).html).q_staff).toBe('12');

    // French: "12,000" is 12 or 12 000; choosing 12 000 is then checked against the question's range.
    const french = new Browser(fixture.app, { 'Accept-Language': 'fr-FR,fr;q=0.9' });
    await french.openLink(invited.token);
    const page = await french.saveSection(2, { q_staff: '12,000' });
    expect(page.status).toBe(422);
    const frenchHtml = await page.text();
    expect(visibleText(elementById(frenchHtml, 'q_staff-errors'))).toBe('« 12,000 » peut se lire 12 ou 12 000. Veuillez confirmer le nombre voulu.'); // visibleText makes U+202F a space
    const tooMany = await french.postSection(2, frenchHtml, { q_staff: '12,000', 'q_staff.for': '12,000', 'q_staff.reading': '12000' });
    expect(tooMany.status).toBe(422);
    expect(visibleText(elementById(await tooMany.text(), 'q_staff-errors'))).toBe('Veuillez saisir un nombre inférieur ou égal à 500.');
    expect((await fixture.answerRows(invited.respondentId)).find((r) => r.question_id === 'q_staff')).toMatchObject({ number: 12 });
  });

  it('lists the required questions still unanswered on the review page', async () => {
    await browser.openLink(invited.token);
    await browser.saveSection(1, { q_role: 'ministry' });
    const { html } = await browser.page('/form/review');
    const missing = /<section class="notice error-summary"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
    expect(visibleText(missing)).toContain('2. Did you attend a Forum meeting?: This question requires an answer.');
    expect(visibleText(missing)).toContain('4. The Forum is…: This question requires an answer.');
    expect(missing).toContain('href="/form/section/2#q-q_ratings"');
    // Hidden by skip logic, so not asked for.
    expect(visibleText(missing)).not.toContain('Which meetings');
    expect(visibleText(missing)).not.toContain('Which office');

    const refused = await browser.submit();
    expect(refused.status).toBe(422);
    expect(await fixture.submissions(invited.respondentId)).toEqual([]);
  });

  it('submits once, even when the submit button is pressed twice, and gives a receipt with every answer', async () => {
    await browser.openLink(invited.token);
    await answerEverything();
    const { html: review } = await browser.page('/form/review');
    const { csrf, revision } = formState(review);

    const first = await browser.postForm('/form/submit', { _csrf: csrf, _revision: revision });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/form/receipt');
    const again = await browser.postForm('/form/submit', { _csrf: csrf, _revision: revision });
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe('/form/receipt');
    expect(await fixture.submissions(invited.respondentId)).toEqual([
      { id: expect.any(Number), revision: Number(revision), submitted_at: new Date('2026-03-02T09:00:00Z') },
    ]);

    const receipt = await browser.page('/form/receipt');
    expect(receipt.status).toBe(200);
    expect(visibleText(receipt.html)).toContain('Thank you. Your answers were received on 2026-03-02 09:00:00 (UTC).');
    expect(shownAnswers(receipt.html)).toEqual({
      q_role: 'Ministry',
      q_attended: 'Yes',
      q_meetings: 'Manila 2008 | Puerto Vallarta 2010',
      q_ratings: 'relevant: Agree | efficient: Don’t know',
      q_staff: '12',
      q_comment: 'Useful.',
      q_priorities: '1. Labour mobility | 2. Diaspora',
      q_host: 'Senegal',
      q_meeting_lesson: 'Peer learning.',
    });
  });

  it('keeps every submission when the answers are amended and submitted again', async () => {
    await browser.openLink(invited.token);
    await answerEverything();
    expect((await browser.submit()).status).toBe(303);

    fixture.setClock('2026-03-05T14:30:00Z');
    await browser.saveSection(2, { ...SECTION_2, q_staff: '15' });
    const unsubmitted = 'You have changed answers since you submitted them.';
    expect(visibleText((await browser.page('/form')).html)).toContain(unsubmitted);
    expect(visibleText((await browser.page('/form/review')).html)).toContain('Submit the amended answers');

    expect((await browser.submit()).headers.get('location')).toBe('/form/receipt');
    const submissions = await fixture.submissions(invited.respondentId);
    expect(submissions.map((s) => s.submitted_at.toISOString())).toEqual(['2026-03-02T09:00:00.000Z', '2026-03-05T14:30:00.000Z']);
    expect(submissions[1]!.revision).toBeGreaterThan(submissions[0]!.revision);
    expect(visibleText((await browser.page('/form')).html)).not.toContain(unsubmitted);
    const receipt = (await browser.page('/form/receipt')).html;
    expect(visibleText(receipt)).toContain('received on 2026-03-05 14:30:00');
    expect(shownAnswers(receipt).q_staff).toBe('15');
  });

  it('shows the answers read-only after the closing date and changes nothing', async () => {
    await browser.openLink(invited.token);
    await browser.saveSection(1, SECTION_1);
    const before = await fixture.answerRows(invited.respondentId);
    const { html: open } = await browser.page('/form/section/1');

    fixture.setClock(AFTER_CLOSING);
    const { status, html } = await browser.page('/form/section/1');
    expect(status).toBe(200);
    expect(visibleText(html)).toContain('This questionnaire closed on 2026-06-30');
    const controls = questionControls(html);
    expect(controls.length).toBeGreaterThan(5);
    for (const control of controls) expect(control).toMatch(/\sdisabled=""/);
    expect(isChecked(html, 'q_role-ministry')).toBe(true);

    // A page loaded before the closing date and posted after it changes nothing.
    const late = await browser.postSection(1, open, { q_role: 'mission', q_attended: 'no' });
    expect(late.status).toBe(303);
    expect(await fixture.answerRows(invited.respondentId)).toEqual(before);
    expect((await fixture.response(invited.respondentId))?.revision).toBe(1);

    const api = await fixture.app.request(`/api/r/${invited.token}/answers`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ answers: { q_role: 'mission' }, revision: 1 }),
    });
    expect(api.status).toBe(409);
    expect(await api.json()).toMatchObject({ error: { code: 'closed' } });

    const review = (await browser.page('/form/review')).html;
    expect(review).not.toContain('action="/form/submit"');
    const submit = await browser.postForm('/form/submit', { _csrf: formState(open).csrf, _revision: '1' });
    expect(submit.status).toBe(409);
    expect(await fixture.submissions(invited.respondentId)).toEqual([]);
    expect(await fixture.answerRows(invited.respondentId)).toEqual(before);
  });
});
