/**
 * The headline journey: a government focal point answers the whole government questionnaire in
 * French in a browser WITHOUT JavaScript, stops half-way ("save and finish later"), comes back
 * in a new browser session through the same link, reviews, submits and gets the receipt.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { formatAnswer } from '../../server/pages/format-answer.ts';
import { getResponseState } from '../../server/responses/response-service.ts';
import type { Answers } from '../../survey-definitions/answers.ts';
import type { Section, SurveyDefinition } from '../../survey-definitions/types.ts';
import { TEST_DATABASE_KIND } from '../support/database.ts';
import {
  BROWSER_TEST_TIMEOUT,
  GOVERNMENT_SURVEY,
  launchBrowser,
  loadDefinition,
  newContext,
  screenshot,
  screenshotDir,
  setUpBrowserTests,
  startTestServer,
  type TestServer,
} from './support/browser.ts';
import { enterAnswer, governmentAnswers, question, questionGroup, shownAnswerMismatches } from './support/questionnaire.ts';

const FR = 'fr' as const;
const NO_JS_FRENCH = { javaScriptEnabled: false, locale: 'fr-FR' };
/** The section where the respondent stops half-way (1-based): "Dialogue, résultats et impact". */
const BREAK_SECTION = 6;

const normalise = (text: string) => text.replace(/\s+/g, ' ').trim();

describe(`government focal point, in French, without JavaScript (${TEST_DATABASE_KIND})`, () => {
  let server: TestServer;
  let browser: Browser;
  let definition: SurveyDefinition;
  let shots: string;

  setUpBrowserTests(async () => {
    browser = await launchBrowser();
    server = await startTestServer();
    definition = await loadDefinition(GOVERNMENT_SURVEY);
    shots = screenshotDir('french-nojs');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  }, BROWSER_TEST_TIMEOUT);

  /** Pages that came back with an error status (none expected in this journey). */
  const failures: string[] = [];
  function watch(page: Page) {
    page.on('response', (response) => {
      if (response.request().resourceType() === 'document' && response.status() >= 400) failures.push(`${response.status()} ${response.url()}`);
    });
  }

  async function submitWith(page: Page, button: string) {
    await page.getByRole('button', { name: button, exact: true }).click();
    await page.waitForLoadState('load');
  }

  async function expectSection(page: Page, n: number, section: Section) {
    expect(new URL(page.url()).pathname).toBe(`/form/section/${n}`);
    expect(normalise(await page.getByRole('heading', { level: 1 }).innerText())).toBe(normalise(section.title.fr));
    expect(await page.getByText(`Section ${n} sur ${definition.sections.length}`, { exact: true }).count()).toBe(1);
  }

  /** Answers the questions of the section that the page shows and that are not answered yet. */
  async function answerShown(page: Page, section: Section, answers: Answers, done: Set<string>, only?: string[]) {
    for (const q of section.questions) {
      if (answers[q.id] === undefined || done.has(q.id) || (only && !only.includes(q.id))) continue;
      if (!(await page.locator(`#q-${q.id}`).isVisible())) continue;
      await enterAnswer(page, q, answers[q.id]!, FR);
      done.add(q.id);
    }
  }

  async function expectShown(page: Page, ids: string[], answers: Answers) {
    const problems: string[] = [];
    for (const id of ids) problems.push(...(await shownAnswerMismatches(page, question(definition, id), answers[id]!, FR)));
    expect(problems).toEqual([]);
  }

  it('answers every section, pauses, resumes in a new session, reviews, submits and gets the receipt', { timeout: BROWSER_TEST_TIMEOUT }, async () => {
    const answers = governmentAnswers(definition);
    const done = new Set<string>();
    const sections = definition.sections;

    // --- First session: the invitation link -------------------------------------------------
    let context = await newContext(browser, server, NO_JS_FRENCH);
    let page = await context.newPage();
    watch(page);
    await page.goto(server.link);
    // The token is swapped for a cookie at once: it stays out of the address bar and history.
    expect(page.url()).toBe(`${server.url}/form`);
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    expect(normalise(await page.getByRole('heading', { level: 1 }).innerText())).toBe(normalise(definition.title.fr));
    expect(normalise(await page.locator('main').innerText())).toMatch(/Réponse au nom de ?: République du Sénégal/);
    expect(await page.getByText('Pas commencé', { exact: true }).count()).toBe(1);
    await page.getByRole('link', { name: 'Commencer', exact: true }).click();

    for (let n = 1; n <= sections.length; n++) {
      const section = sections[n - 1]!;
      await expectSection(page, n, section);
      const last = n === sections.length;
      const nextButton = last ? 'Vérifier vos réponses' : 'Enregistrer et continuer';
      expect(await page.getByRole('button', { name: nextButton, exact: true }).count()).toBe(1);
      expect(await page.getByRole('button', { name: 'Enregistrer et terminer plus tard', exact: true }).count()).toBe(1);

      if (n === 1) {
        // The invited government's country is offered, already chosen.
        expect(await page.getByLabel('Au nom de quel gouvernement répondez-vous ?').inputValue()).toBe('SEN');
      }

      if (n === BREAK_SECTION) {
        // --- Half-way: answer part of the page, then "save and finish later" ------------------
        const firstPart = ['g_dialogue_quality', 'g_benefits'];
        await answerShown(page, section, answers, done, firstPart);
        await screenshot(page, shots, `section-${n}-before-pause`);
        await submitWith(page, 'Enregistrer et terminer plus tard');
        expect(new URL(page.url()).pathname).toBe('/form/saved');
        expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Vos réponses sont enregistrées.');
        await context.close();

        // --- A new browser session: same link, no cookie --------------------------------------
        context = await newContext(browser, server, NO_JS_FRENCH);
        page = await context.newPage();
        watch(page);
        await page.goto(server.link);
        expect(page.url()).toBe(`${server.url}/form`);
        expect(await page.getByText('En cours (enregistré comme brouillon)', { exact: true }).count()).toBe(1);
        // The section list shows what is done: the earlier sections are complete.
        const nav = normalise(await page.getByRole('navigation', { name: 'Sections' }).innerText());
        expect(nav).toContain(`${normalise(sections[0]!.title.fr)} 5 sur 5 répondues`);
        expect(nav).toContain(`${normalise(sections[4]!.title.fr)} 5 sur 5 répondues`);
        await page.getByRole('link', { name: 'Continuer', exact: true }).click();
        await expectSection(page, n, section);
        // What was saved before the pause is still checked.
        await expectShown(page, firstPart, answers);
        await screenshot(page, shots, `section-${n}-resumed`);
      }

      await answerShown(page, section, answers, done);
      if (n === 5) {
        // Skip logic without JavaScript: the contribution questions are not shown until "Oui" is saved.
        expect(await questionGroup(page, question(definition, 'g_contribution_types'), FR).isVisible()).toBe(false);
        expect(
          await page
            .getByRole('group', { name: question(definition, 'g_contributed').text.fr })
            .getByRole('radio', { name: 'Oui', exact: true })
            .isChecked(),
        ).toBe(true);
      }
      await submitWith(page, nextButton);

      if (n === 5) {
        // The page comes back with a notice and the newly relevant questions.
        await expectSection(page, n, section);
        expect(await page.getByRole('status').filter({ hasText: 'Vos réponses ont ouvert d’autres questions sur cette page' }).count()).toBe(1);
        expect(await questionGroup(page, question(definition, 'g_contribution_types'), FR).isVisible()).toBe(true);
        expect(await page.getByLabel(question(definition, 'g_contribution_eur').text.fr).isVisible()).toBe(true);
        await expectShown(page, ['g_funding_predictable', 'g_contributed', 'g_funding_options'], answers);
        await answerShown(page, section, answers, done);
        await screenshot(page, shots, 'section-5-revealed');
        await submitWith(page, nextButton);
      }
      if (n === 1) await screenshot(page, shots, 'after-section-1');
    }

    // Every planned answer was entered through the page.
    expect(Object.keys(answers).filter((id) => !done.has(id))).toEqual([]);

    // --- Review ------------------------------------------------------------------------------
    expect(new URL(page.url()).pathname).toBe('/form/review');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Vérifier vos réponses');
    expect(await page.locator('.error-summary').count()).toBe(0);
    const review = normalise(await page.locator('main').innerText());
    expect(review).toContain('Affaires étrangères');
    expect(review).toMatch(/25\s000 euros par an/);
    // Questions the skip logic left out are listed as not asked.
    expect(review).toContain('Non posée (ne s’applique pas)');
    await screenshot(page, shots, 'review');

    // --- Submit and receipt -------------------------------------------------------------------
    const before = server.now();
    await submitWith(page, 'Envoyer les réponses');
    const after = server.now();
    expect(new URL(page.url()).pathname).toBe('/form/receipt');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Accusé de réception');
    const status = await page.getByRole('status').innerText();
    const time = /Merci\. Vos réponses ont été reçues le (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) \(UTC\)\./.exec(status)?.[1];
    expect(time, status).toBeDefined();
    const submittedAt = Date.parse(`${time!.replace(' ', 'T')}Z`);
    expect(submittedAt).toBeGreaterThanOrEqual(Math.floor(before.getTime() / 1000) * 1000);
    expect(submittedAt).toBeLessThanOrEqual(after.getTime());

    const receipt = normalise(await page.locator('main').innerText());
    expect(receipt).toContain('République du Sénégal');
    expect(receipt).toMatch(/Référence government-assessment\/\d{5}-\d+/);
    // Every answer is listed, in French words.
    const missing: string[] = [];
    for (const [id, value] of Object.entries(answers)) {
      for (const line of formatAnswer(question(definition, id), value, undefined, FR)) if (!receipt.includes(normalise(line))) missing.push(`${id}: ${line}`);
    }
    expect(missing).toEqual([]);
    await screenshot(page, shots, 'receipt');

    // What the server stored is exactly what was entered.
    const [respondent] = await server.database.db.selectFrom('respondent').select('id').execute();
    const state = await getResponseState(server.database.db, respondent!.id, server.now());
    expect(state.status).toBe('submitted');
    expect(state.answers).toEqual(answers);

    expect(failures).toEqual([]);
    await context.close();
  });
});
