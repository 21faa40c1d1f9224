/**
 * What the messages carry and to whom: reminders only to those who have not submitted (or amended
 * without resubmitting), once per round, with the same working link as the invitation; the
 * "lost your link?" page, which answers alike for known and unknown addresses; and no token in
 * plain text anywhere in the database or a backup.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../../server/app.ts';
import { writeBackup } from '../../../server/db/backup.ts';
import { loadBackupKey } from '../../../server/db/backup-key.ts';
import { latestReminderRound, queueInvitations, queueReminders } from '../../../server/mail/mail.queries.ts';
import { sendDueMessages } from '../../../server/mail/mail-sender.ts';
import { reissueLink } from '../../../server/respondents/import-invitees.ts';
import { findInvitationByTokenHash } from '../../../server/respondents/respondents.queries.ts';
import { hashToken } from '../../../server/respondents/tokens.ts';
import { saveAnswers, submitResponse } from '../../../server/responses/response-service.ts';
import { createTestDatabase, TEST_DATABASE_KIND, type TestDatabase } from '../../support/database.ts';
import { completeAnswers } from '../resilience/support/open-questionnaire.ts';
import { inviteWithEmail, newKeyring, PUBLIC_URL, smtpSettings, type Invitee } from './support/mail-fixture.ts';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.ts';

describe(`reminders, lost links and tokens at rest (${TEST_DATABASE_KIND})`, () => {
  let database: TestDatabase;
  let sink: SmtpSink;
  const keyring = newKeyring();

  beforeEach(async () => {
    database = await createTestDatabase();
    sink = await startSmtpSink();
  });
  afterEach(async () => {
    await sink.close();
    await database.close();
  });

  const respondentOf = async (invitee: Invitee) => (await findInvitationByTokenHash(database.db, hashToken(invitee.link.split('/r/')[1]!)))!.respondentId;
  const submit = async (respondentId: number) => {
    await saveAnswers(database.db, { respondentId, baseRevision: 0, answers: completeAnswers(respondentId, 0), scope: 'all', language: 'en', now: new Date() });
    await submitResponse(database.db, { respondentId, now: new Date() });
  };
  const remind = (round: string, target: 'not_submitted' | 'amended' = 'not_submitted', filter = {}) =>
    queueReminders(database.db, { surveyId: 'flow-gov', round, target, filter, actor: 'test' });

  it('reminds those who have not submitted, once per round, with the link of their invitation', async () => {
    const invitees = await inviteWithEmail(database.db, keyring, 4);
    const [done, amended] = [await respondentOf(invitees[0]!), await respondentOf(invitees[1]!)];
    await submit(done);
    await submit(amended);
    await saveAnswers(database.db, {
      respondentId: amended,
      baseRevision: 1,
      answers: completeAnswers(amended, 1),
      scope: 'all',
      language: 'en',
      now: new Date(),
    });

    expect(await latestReminderRound(database.db, 'flow-gov')).toBeUndefined();
    expect(await remind('1')).toBe(2);
    // The same round again: nobody new to remind; a new round reminds them again.
    expect(await remind('1')).toBe(0);
    expect(await latestReminderRound(database.db, 'flow-gov')).toBe('1');
    expect(await sendDueMessages(database.db, smtpSettings(sink.url, keyring))).toMatchObject({ sent: 2, failed: 0 });
    expect(await remind('2')).toBe(2);
    // Amended and not resubmitted: reminded separately, with a message of its own.
    expect(await remind('1', 'amended')).toBe(1);
    // Filters: by kind (all are governments here) and by a role nobody holds.
    expect(await remind('3', 'not_submitted', { kind: 'civil_society' })).toBe(0);
    expect(await remind('3', 'not_submitted', { role: 'troika' })).toBe(0);
    expect(await sendDueMessages(database.db, smtpSettings(sink.url, keyring))).toMatchObject({ sent: 3, failed: 0 });

    const to = (invitee: Invitee) => sink.received.filter((m) => m.to[0] === invitee.email);
    expect(to(invitees[0]!)).toHaveLength(0);
    expect(to(invitees[1]!)).toHaveLength(1);
    expect(to(invitees[1]!)[0]!.text).toMatch(/have not submitted them again|sans les soumettre à nouveau|no las ha vuelto a enviar/);
    for (const invitee of invitees.slice(2)) {
      expect(to(invitee)).toHaveLength(2);
      // The invitation's own link, still working: colleagues sharing it lose nothing.
      expect(to(invitee).map((m) => m.link)).toEqual([invitee.link, invitee.link]);
      expect((await findInvitationByTokenHash(database.db, hashToken(invitee.link.split('/r/')[1]!)))?.revokedAt).toBeNull();
    }
  });

  it('e-mails a lost link to the invited address only, answering alike for an unknown address, at most once an hour', async () => {
    const invitees = await inviteWithEmail(database.db, keyring, 2);
    const app = createApp({
      db: database.db,
      databaseKind: database.kind,
      publicUrl: PUBLIC_URL,
      sessionDays: 30,
      trustProxy: false,
      now: () => new Date(),
      tokenKeyring: keyring,
    });
    const ask = (email: string) =>
      app.request('/lost-link', {
        method: 'POST',
        headers: { Origin: PUBLIC_URL, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ survey: 'flow-gov', email }).toString(),
      });
    const known = await ask(invitees[0]!.email.toUpperCase());
    const unknown = await ask('nobody@example.org');
    expect([known.status, unknown.status]).toEqual([200, 200]);
    expect(await known.text()).toBe(await unknown.text());
    await ask(invitees[0]!.email);
    expect(await sendDueMessages(database.db, smtpSettings(sink.url, keyring))).toMatchObject({ sent: 1, failed: 0 });
    expect(sink.received.map((m) => [m.to[0], m.link])).toEqual([[invitees[0]!.email, invitees[0]!.link]]);
    // Five requests a minute from one address, then 429.
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await ask('someone@example.org')).status);
    expect(statuses).toEqual([200, 200, 429]);
  });

  it('keeps no token in plain text in any table or in a backup', async () => {
    const invitees = await inviteWithEmail(database.db, keyring, 3);
    await queueInvitations(database.db, { surveyId: 'flow-gov', actor: 'test' });
    await remind('1');
    const reissued = await reissueLink(
      database.db,
      { respondentId: await respondentOf(invitees[0]!) },
      { actor: 'test', publicUrl: PUBLIC_URL, tokenKeyring: keyring },
    );
    await queueInvitations(database.db, { surveyId: 'flow-gov', actor: 'test' });
    await sendDueMessages(database.db, smtpSettings(sink.url, keyring));
    const tokens = [...invitees.map((i) => i.link), reissued.link, ...sink.received.map((m) => m.link!)].map((link) => link.split('/r/')[1]!);
    expect(new Set(tokens).size).toBe(4);
    // Two invitations, the reissued one and three reminders; the first invitation of the reissued
    // respondent was revoked before it left, and fails rather than send a dead link.
    expect(sink.received).toHaveLength(6);
    const failed = await database.db.selectFrom('mail_message').select(['kind', 'error']).where('state', '=', 'failed').execute();
    expect(failed).toEqual([{ kind: 'invitation', error: 'the link was revoked before the invitation was sent' }]);

    const { rows: tables } = await sql<{
      name: string;
    }>`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(database.db);
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['invitation', 'mail_message', 'audit_log']));
    let scanned = 0;
    for (const { name } of tables) {
      const { rows } = await sql<{ row: string }>`select t::text as row from ${sql.table(name)} t`.execute(database.db);
      for (const { row } of rows) for (const token of tokens) expect(row.includes(token), `${name} holds a token`).toBe(false);
      scanned += rows.length;
    }
    expect(scanned).toBeGreaterThan(20);

    const dir = mkdtempSync(path.join(tmpdir(), 'fat-mail-backup-'));
    try {
      const key = await loadBackupKey(path.join(dir, 'backup.key'), { create: true });
      await writeBackup(database.db, path.join(dir, 'backup.gz'), { databaseKind: database.kind, key });
      const text = gunzipSync(readFileSync(path.join(dir, 'backup.gz'))).toString('utf8');
      expect(text).toContain('token_sealed');
      for (const token of tokens) expect(text.includes(token)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
