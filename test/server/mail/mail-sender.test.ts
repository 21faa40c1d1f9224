/**
 * Sending through a real SMTP server (smtp-server, in the test): one message per invitee with a
 * working personal link, retries on a 421 and a dropped connection, no retry on a 550, two senders
 * at once, the rate limit, and every batch in the audit log.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queueInvitations } from '../../../server/mail/mail.queries.ts';
import { sendDueMessages } from '../../../server/mail/mail-sender.ts';
import { messageIdFor } from '../../../server/mail/prepare-message.ts';
import { findInvitationByTokenHash } from '../../../server/respondents/respondents.queries.ts';
import { hashToken } from '../../../server/respondents/tokens.ts';
import { createTestDatabase, TEST_DATABASE_KIND, type TestDatabase } from '../../support/database.ts';
import { CONTACT, inviteWithEmail, newKeyring, smtpSettings } from './support/mail-fixture.ts';
import { startSmtpSink, type SmtpSink, type Verdict } from './support/smtp-sink.ts';

const FROM = 'GFMD Assessment <assessment@example.org>';

describe(`sending e-mail through an SMTP server (${TEST_DATABASE_KIND})`, () => {
  let database: TestDatabase;
  let sink: SmtpSink | undefined;
  const keyring = newKeyring();

  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    await sink?.close();
    sink = undefined;
    await database.close();
  });

  const messages = () => database.db.selectFrom('mail_message').selectAll().orderBy('id').execute();
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('delivers one invitation per invitee, in its language, with a link that opens its own invitation', async () => {
    const invitees = await inviteWithEmail(database.db, keyring, 6);
    sink = await startSmtpSink();
    expect(await queueInvitations(database.db, { surveyId: 'flow-gov', actor: 'test' })).toEqual({ queued: 6, withoutSealedLink: 0 });
    const batch = await sendDueMessages(database.db, smtpSettings(sink.url, keyring));
    expect(batch).toEqual({ sent: 6, retrying: 0, failed: 0 });

    expect(sink.received.map((m) => m.to[0]).sort()).toEqual(invitees.map((i) => i.email).sort());
    for (const invitee of invitees) {
      const message = sink.received.find((m) => m.to[0] === invitee.email)!;
      // The same link as the links file, and it opens this invitee's own invitation.
      expect(message.link).toBe(invitee.link);
      const token = invitee.link.split('/r/')[1]!;
      const invitation = await findInvitationByTokenHash(database.db, hashToken(token));
      expect(invitation?.respondent.email).toBe(invitee.email);
      expect(message.messageId).toBe(messageIdFor(`invitation:${invitation!.respondentId}:${invitation!.invitationId}`, FROM));
      expect(message.raw).toContain(CONTACT);
      const subject = { en: 'Invitation: Flow test', fr: 'Invitation', es: 'Invitaci' }[invitee.language];
      expect(message.raw).toMatch(new RegExp(`^Subject: .*${subject}`, 'm'));
    }
    const rows = await messages();
    expect(rows.map((r) => r.state)).toEqual(Array(6).fill('sent'));
    expect(rows.every((r) => r.reply?.startsWith('250') && r.attempts === 1)).toBe(true);

    // Queueing and sending again sends nothing: every key is queued once.
    expect((await queueInvitations(database.db, { surveyId: 'flow-gov', actor: 'test' })).queued).toBe(0);
    expect(await sendDueMessages(database.db, smtpSettings(sink.url, keyring))).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(sink.received).toHaveLength(6);
    const audit = await database.db.selectFrom('audit_log').select(['action', 'details']).where('action', '=', 'mail.batch').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.details).toMatchObject({ sent: 6, retrying: 0, failed: 0 });
  });

  it('retries a message answered 421 later and delivers it once; never retries one refused with 550', async () => {
    const invitees = await inviteWithEmail(database.db, keyring, 4);
    const [busy, refused] = [invitees[1]!.email, invitees[2]!.email];
    let busyAnswered = 0;
    sink = await startSmtpSink((_, to): Verdict => {
      if (to[0] === busy && busyAnswered++ === 0) return { code: 421, message: 'Try again later' };
      if (to[0] === refused) return { code: 550, message: 'No such mailbox' };
      return 'accept';
    });
    await queueInvitations(database.db, { surveyId: 'flow-gov', actor: 'test' });
    expect(await sendDueMessages(database.db, smtpSettings(sink.url, keyring))).toEqual({ sent: 2, retrying: 1, failed: 1 });
    const after = await messages();
    const row = (email: string) => after.find((r) => r.recipient === email)!;
    expect(row(busy)).toMatchObject({ state: 'retrying', attempts: 1 });
    expect(row(busy).error).toContain('421');
    expect(row(refused)).toMatchObject({ state: 'failed', attempts: 1 });
    expect(row(refused).error).toContain('550');

    await pause(200); // past the retry's wait (0.05 s)
    expect(await sendDueMessages(database.db, smtpSettings(sink.url, keyring))).toEqual({ sent: 1, retrying: 0, failed: 0 });
    await pause(200);
    expect(await sendDueMessages(database.db, smtpSettings(sink.url, keyring))).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(sink.received.map((m) => m.to[0]).sort()).toEqual([invitees[0]!.email, busy, invitees[3]!.email].sort());
    expect(sink.attempts.filter((to) => to === refused)).toHaveLength(1);
    const final = await messages();
    expect(final.find((r) => r.recipient === busy)).toMatchObject({ state: 'sent', attempts: 2 });
    expect(final.find((r) => r.recipient === refused)).toMatchObject({ state: 'failed', attempts: 1 });
  });

  it('retries the message whose connection dropped mid-batch, and every invitee gets exactly one', async () => {
    const invitees = await inviteWithEmail(database.db, keyring, 5);
    sink = await startSmtpSink((n) => (n === 2 ? 'drop' : 'accept'));
    await queueInvitations(database.db, { surveyId: 'flow-gov', actor: 'test' });
    expect(await sendDueMessages(database.db, smtpSettings(sink.url, keyring))).toEqual({ sent: 4, retrying: 1, failed: 0 });
    expect((await messages()).find((r) => r.state === 'retrying')?.error).toMatch(/ECONNECTION|closed/i);
    await pause(200);
    expect(await sendDueMessages(database.db, smtpSettings(sink.url, keyring))).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(sink.received.map((m) => m.to[0]).sort()).toEqual(invitees.map((i) => i.email).sort());
  });

  it('gives up after the last attempt of a server that keeps answering 421', async () => {
    await inviteWithEmail(database.db, keyring, 1);
    sink = await startSmtpSink(() => ({ code: 421, message: 'Busy' }));
    await queueInvitations(database.db, { surveyId: 'flow-gov', actor: 'test' });
    const settings = smtpSettings(sink.url, keyring, { maxAttempts: 3, retrySeconds: 0.01 });
    for (let i = 0; i < 6; i += 1) {
      await sendDueMessages(database.db, settings);
      await pause(100);
    }
    const [row] = await messages();
    expect(row).toMatchObject({ state: 'failed', attempts: 3 });
    expect(row!.error).toContain('gave up after 3 attempts');
    expect(sink.attempts).toHaveLength(3);
  });

  it('two senders at once deliver each message once', async () => {
    const invitees = await inviteWithEmail(database.db, keyring, 12);
    sink = await startSmtpSink();
    await queueInvitations(database.db, { surveyId: 'flow-gov', actor: 'test' });
    const [a, b] = await Promise.all([
      sendDueMessages(database.db, smtpSettings(sink.url, keyring, { worker: 'a' })),
      sendDueMessages(database.db, smtpSettings(sink.url, keyring, { worker: 'b' })),
    ]);
    expect(a.sent + b.sent).toBe(12);
    expect(sink.attempts.sort()).toEqual(invitees.map((i) => i.email).sort());
  });

  it('keeps to the rate limit', async () => {
    await inviteWithEmail(database.db, keyring, 4);
    sink = await startSmtpSink();
    await queueInvitations(database.db, { surveyId: 'flow-gov', actor: 'test' });
    const started = Date.now();
    // 300 a minute: 200 ms between messages, so four take at least 600 ms.
    await sendDueMessages(database.db, smtpSettings(sink.url, keyring, { ratePerMinute: 300 }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(590);
    expect(sink.received).toHaveLength(4);
  });
});
