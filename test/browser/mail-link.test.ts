/**
 * The link in a received e-mail works: the invitation is sent through a real SMTP server, the
 * link is read from the message as it arrived, and opening it in Chromium reaches the
 * questionnaire. The admin then sees the message as sent on the Outbox page.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { queueInvitations } from '../../server/mail/mail.queries.ts';
import { sendDueMessages } from '../../server/mail/mail-sender.ts';
import type { SurveyDefinition } from '../../survey-definitions/types.ts';
import { TEST_DATABASE_KIND } from '../support/database.ts';
import { newKeyring, smtpSettings } from '../server/mail/support/mail-fixture.ts';
import { startSmtpSink, type SmtpSink } from '../server/mail/support/smtp-sink.ts';
import {
  addTeamMember,
  BROWSER_TEST_TIMEOUT,
  GOVERNMENT_SURVEY,
  launchBrowser,
  loadDefinition,
  newContext,
  screenshot,
  screenshotDir,
  setUpBrowserTests,
  signIn,
  startTestServer,
  type TestServer,
} from './support/browser.ts';

describe(`the link of an e-mailed invitation (${TEST_DATABASE_KIND})`, () => {
  const keyring = newKeyring();
  let server: TestServer;
  let browser: Browser;
  let sink: SmtpSink;
  let definition: SurveyDefinition;

  setUpBrowserTests(async () => {
    browser = await launchBrowser();
    server = await startTestServer({ tokenKeyring: keyring });
    sink = await startSmtpSink();
    definition = await loadDefinition(GOVERNMENT_SURVEY);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await sink?.close();
  }, BROWSER_TEST_TIMEOUT);

  it('opens the questionnaire from the link found in the received message', { timeout: BROWSER_TEST_TIMEOUT }, async () => {
    const db = server.database.db;
    expect((await queueInvitations(db, { surveyId: GOVERNMENT_SURVEY, actor: 'test' })).queued).toBe(1);
    expect(await sendDueMessages(db, { ...smtpSettings(sink.url, keyring), publicUrl: server.url })).toMatchObject({ sent: 1, failed: 0 });
    const [message] = sink.received;
    expect(message?.to).toEqual(['point.focal@example.org']);
    expect(message?.link).toBe(server.link);

    const context = await newContext(browser, server);
    const page = await context.newPage();
    await page.goto(message!.link!);
    // The token is swapped for a session and the address bar shows the form, not the token.
    expect(new URL(page.url()).pathname).toBe('/form');
    expect((await page.getByRole('heading', { level: 1 }).innerText()).trim()).toBe(definition.title.en);

    const admin = await addTeamMember(server, 'admin');
    const adminPage = await (await newContext(browser, server)).newPage();
    await signIn(adminPage, admin);
    await adminPage.goto(`/admin/outbox?survey=${GOVERNMENT_SURVEY}`);
    const row = adminPage.locator('#message-list tbody tr').first();
    expect(await row.innerText()).toMatch(/point\.focal@example\.org[\s\S]*Invitation[\s\S]*sent/);
    await screenshot(adminPage, screenshotDir('mail'), 'outbox');
    await context.close();
  });
});
