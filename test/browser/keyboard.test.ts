/**
 * Keyboard and screen-reader structure of the questionnaire pages (French, no JavaScript):
 * the skip link comes first and leads to the questions, the controls are reached and operated
 * with Tab, arrows and Space, choices are grouped in fieldsets with legends, and every control has
 * an accessible name, checked both from the markup and from Chromium's accessibility tree.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { SurveyDefinition } from '../../survey-definitions/types.ts';
import { TEST_DATABASE_KIND } from '../support/database.ts';
import {
  BROWSER_TEST_TIMEOUT,
  GOVERNMENT_SURVEY,
  launchBrowser,
  loadDefinition,
  newContext,
  setUpBrowserTests,
  startTestServer,
  type TestServer,
} from './support/browser.ts';
import { question } from './support/questionnaire.ts';

interface Focused {
  tag: string;
  id: string;
  type: string;
  name: string;
  text: string;
  checked: boolean;
  inMain: boolean;
}

async function focused(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement & { type?: string; name?: string; checked?: boolean };
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      type: el.type ?? '',
      name: el.getAttribute('name') ?? '',
      text: (el.textContent ?? '').trim(),
      checked: Boolean(el.checked),
      inMain: Boolean(el.closest('main')),
    };
  });
}

/** Controls that lack a name, radios and checkboxes outside a fieldset with a legend, duplicate ids. */
async function structureProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const describe = (el: Element) => `${el.tagName.toLowerCase()}[name=${el.getAttribute('name')}]#${el.id}`;
    const text = (el: Element | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
    const controls = Array.from(document.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>('input, select, textarea')).filter(
      (el) => !(el instanceof HTMLInputElement && el.type === 'hidden'),
    );
    for (const el of controls) {
      const byLabel = Array.from(el.labels ?? [])
        .map(text)
        .join(' ');
      const byAria = el.getAttribute('aria-label') ?? '';
      const byIds = (el.getAttribute('aria-labelledby') ?? '')
        .split(/\s+/)
        .filter(Boolean)
        .map((id) => text(document.getElementById(id)))
        .join(' ');
      if (!`${byLabel}${byAria}${byIds}`.trim()) problems.push(`${describe(el)} has no accessible name`);
      if (el instanceof HTMLInputElement && (el.type === 'radio' || el.type === 'checkbox')) {
        const fieldset = el.closest('fieldset');
        const legend = fieldset?.querySelector(':scope > legend');
        if (!fieldset || !text(legend)) problems.push(`${describe(el)} is not in a fieldset with a legend`);
      }
      for (const id of (el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) problems.push(`${describe(el)} is described by a missing #${id}`);
      }
    }
    const ids = Array.from(document.querySelectorAll('[id]')).map((el) => el.id);
    for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i))) problems.push(`duplicate id #${id}`);
    return problems;
  });
}

/** Form controls as Chromium's accessibility tree names them (what a screen reader is told). */
async function unnamedInAccessibilityTree(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: { ignored: boolean; role?: { value: string }; name?: { value: string } }[] };
    const controlRoles = new Set(['radio', 'checkbox', 'combobox', 'textbox', 'spinbutton', 'listbox', 'button', 'link', 'group']);
    const controls = nodes.filter((n) => !n.ignored && controlRoles.has(n.role?.value ?? ''));
    if (controls.length === 0) return ['the accessibility tree has no controls at all'];
    return controls.filter((n) => !n.name?.value?.trim()).map((n) => `a ${n.role?.value} without a name`);
  } finally {
    await cdp.detach();
  }
}

describe(`keyboard and structure of the questionnaire pages (${TEST_DATABASE_KIND})`, () => {
  let server: TestServer;
  let browser: Browser;
  let definition: SurveyDefinition;
  let context: BrowserContext;
  let page: Page;

  setUpBrowserTests(async () => {
    browser = await launchBrowser();
    server = await startTestServer();
    definition = await loadDefinition(GOVERNMENT_SURVEY);
    context = await newContext(browser, server, { javaScriptEnabled: false, locale: 'fr-FR' });
    page = await context.newPage();
    await page.goto(server.link);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  }, BROWSER_TEST_TIMEOUT);

  it('section 1: the skip link comes first, leads to the questions, and the form works with the keyboard alone', {
    timeout: BROWSER_TEST_TIMEOUT,
  }, async () => {
    await page.goto('/form/section/1');

    // The first focusable element of the page, in document order, is the skip link.
    const firstFocusable = await page.evaluate(() => {
      const selector = 'a[href], button, input:not([type=hidden]), select, textarea, [tabindex]:not([tabindex="-1"])';
      const el = Array.from(document.querySelectorAll<HTMLElement>(selector)).find((e) => !(e as HTMLInputElement).disabled);
      return el?.textContent?.trim();
    });
    expect(firstFocusable).toBe('Aller aux questions');
    // No positive tabindex reorders the page.
    expect(await page.locator('[tabindex]:not([tabindex="-1"]):not([tabindex="0"])').count()).toBe(0);

    // The first Tab lands on it, and it becomes visible.
    await page.keyboard.press('Tab');
    let now = await focused(page);
    expect(now).toMatchObject({ tag: 'a', text: 'Aller aux questions' });
    const box = await page.locator('a.skip').boundingBox();
    expect(box && box.x >= 0 && box.y >= 0 && box.width > 0).toBe(true);

    // Following it, the next Tab reaches the first question's control (the country, already chosen).
    await page.keyboard.press('Enter');
    expect(new URL(page.url()).hash).toBe('#main');
    await page.keyboard.press('Tab');
    now = await focused(page);
    expect(now).toMatchObject({ tag: 'select', id: 'g_country', inMain: true });
    expect(await page.locator('#g_country').inputValue()).toBe('SEN');

    // Radio group: one Tab stop; Space chooses, the arrows move the choice.
    await page.keyboard.press('Tab');
    now = await focused(page);
    expect(now).toMatchObject({ tag: 'input', type: 'radio', name: 'g_lead_unit', id: 'g_lead_unit-foreign_affairs' });
    await page.keyboard.press('Space');
    expect(await page.locator('#g_lead_unit-foreign_affairs').isChecked()).toBe(true);
    await page.keyboard.press('ArrowDown');
    now = await focused(page);
    expect(now).toMatchObject({ id: 'g_lead_unit-interior_or_migration_authority', checked: true });

    // Checkboxes: each is a Tab stop, Space toggles it. Tab through the form to the buttons,
    // choosing one option of each multiple choice question on the way.
    const order: string[] = [];
    const chosen = new Set<string>();
    for (let i = 0; i < 80; i++) {
      await page.keyboard.press('Tab');
      now = await focused(page);
      order.push(now.id || now.text);
      if (now.type === 'checkbox' && !chosen.has(now.name)) {
        await page.keyboard.press('Space');
        chosen.add(now.name);
      }
      if (now.tag === 'button') break;
    }
    expect(now).toMatchObject({ tag: 'button', text: 'Enregistrer et continuer' });
    expect([...chosen].sort()).toEqual(['g_meetings_attended', 'g_migration_profile', 'g_roles']);
    // The Tab order is the reading order: the lead unit's "Other" text box comes before the roles.
    expect(order.indexOf('g_lead_unit-other-text')).toBeGreaterThanOrEqual(0);
    expect(order.indexOf('g_lead_unit-other-text')).toBeLessThan(order.indexOf('g_roles-past_chair_in_office'));

    // Enter on the focused button saves and moves on, without a mouse.
    await page.keyboard.press('Enter');
    await page.waitForURL('**/form/section/2');
    await page.goto('/form/section/1');
    expect(await page.locator('#g_lead_unit-interior_or_migration_authority').isChecked()).toBe(true);
    expect(await page.locator('#g_roles-past_chair_in_office').isChecked()).toBe(true);
    expect(await page.locator('#g_meetings_attended-2007_brussels').isChecked()).toBe(true);
  });

  it('every section: choices are in fieldsets with legends and every control has a name', { timeout: BROWSER_TEST_TIMEOUT }, async () => {
    const problems: string[] = [];
    for (let n = 1; n <= definition.sections.length; n++) {
      await page.goto(`/form/section/${n}`);
      for (const p of await structureProblems(page)) problems.push(`section ${n}: ${p}`);
      for (const p of await unnamedInAccessibilityTree(page)) problems.push(`section ${n} (accessibility tree): ${p}`);
      // Each question is announced with its number and text: the group by its legend, a single field by its label.
      for (const q of definition.sections[n - 1]!.questions) {
        const shown = await page.locator(`#q-${q.id}`).isVisible();
        if (!shown) continue;
        const byRole = ['numeric', 'short_text', 'long_text', 'country'].includes(q.type)
          ? page.getByLabel(q.text.fr)
          : page.getByRole('group', { name: q.text.fr });
        if ((await byRole.count()) !== 1) problems.push(`section ${n}: ${q.id} is not found once by its text`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('a field with an error is marked invalid and described by its message', { timeout: BROWSER_TEST_TIMEOUT }, async () => {
    // With the answer "Oui" saved, the amount is asked; "beaucoup" is not a number.
    await page.goto('/form/section/5');
    await page
      .getByRole('group', { name: question(definition, 'g_contributed').text.fr })
      .getByText('Oui', { exact: true })
      .click();
    await page.getByRole('button', { name: 'Enregistrer et continuer' }).click();
    await page.waitForLoadState('load');
    const amount = page.getByLabel(question(definition, 'g_contribution_eur').text.fr);
    await amount.fill('beaucoup');
    await page.getByRole('button', { name: 'Enregistrer et continuer' }).click();
    await page.waitForLoadState('load');
    expect(await amount.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await amount.getAttribute('aria-describedby'))?.split(' ') ?? [];
    expect(describedBy).toContain('g_contribution_eur-errors');
    expect(await page.locator('#g_contribution_eur-errors').innerText()).toBe('Veuillez saisir un nombre.');
    // The error summary links straight to the field.
    const link = page.getByRole('alert').getByRole('link', { name: /À combien s’élève/ });
    expect(await link.getAttribute('href')).toBe('#g_contribution_eur');
    await link.press('Enter');
    expect((await focused(page)).id).toBe('g_contribution_eur');
    expect(await structureProblems(page)).toEqual([]);
  });
});
