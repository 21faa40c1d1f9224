/**
 * Reminders a questionnaire schedules for itself: which round is due when, and that the sender's
 * scheduling queues each due round once, only for invitees who have not submitted.
 */
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dueReminderRound, queueScheduledReminders } from '../../../server/mail/reminder-schedule.ts';
import { findInvitationByTokenHash } from '../../../server/respondents/respondents.queries.ts';
import { hashToken } from '../../../server/respondents/tokens.ts';
import { saveAnswers, submitResponse } from '../../../server/responses/response-service.ts';
import { createTestDatabase, TEST_DATABASE_KIND, type TestDatabase } from '../../support/database.ts';
import { completeAnswers } from '../resilience/support/open-questionnaire.ts';
import { inviteWithEmail, newKeyring } from './support/mail-fixture.ts';

describe('dueReminderRound', () => {
  const window = { opens: '2027-06-01', closes: '2027-09-30', reminder_schedule: [14, 7, 2] };
  it.each([
    ['2027-05-31T12:00:00Z', null], // not open yet
    ['2027-09-16T23:59:59Z', null], // 14 days before the end of 30 September is 17 September 00:00
    ['2027-09-17T00:00:00Z', 'before-close-14d'],
    ['2027-09-23T23:59:59Z', 'before-close-14d'],
    ['2027-09-24T00:00:00Z', 'before-close-7d'],
    ['2027-09-28T23:59:59Z', 'before-close-7d'],
    ['2027-09-29T00:00:00Z', 'before-close-2d'],
    ['2027-09-30T23:59:59Z', 'before-close-2d'],
    ['2027-10-01T00:00:00Z', null], // closed
  ])('at %s: %s', (at, round) => {
    expect(dueReminderRound(window, new Date(at))).toBe(round);
  });
  it('has nothing due without a schedule', () => {
    expect(dueReminderRound({ opens: '2027-06-01', closes: '2027-09-30' }, new Date('2027-09-29T00:00:00Z'))).toBeNull();
  });
});

describe(`scheduled reminders (${TEST_DATABASE_KIND})`, () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    await database.close();
  });

  it('queues the due round once, to those who have not submitted, and audits it', async () => {
    const invitees = await inviteWithEmail(database.db, newKeyring(), 3);
    const done = (await findInvitationByTokenHash(database.db, hashToken(invitees[0]!.link.split('/r/')[1]!)))!.respondentId;
    await saveAnswers(database.db, { respondentId: done, baseRevision: 0, answers: completeAnswers(done, 0), scope: 'all', language: 'en', now: new Date() });
    await submitResponse(database.db, { respondentId: done, now: new Date() });
    // flow-gov, open from 1 January to 30 June 2026, with a schedule of 7 and 2 days.
    await sql`update survey_version set definition = definition || '{"opens": "2026-01-01", "closes": "2026-06-30", "reminder_schedule": [7, 2]}'::jsonb where survey_id = 'flow-gov'`.execute(
      database.db,
    );

    expect(await queueScheduledReminders(database.db, new Date('2026-06-10T12:00:00Z'))).toBe(0);
    expect(await queueScheduledReminders(database.db, new Date('2026-06-24T12:00:00Z'))).toBe(2);
    expect(await queueScheduledReminders(database.db, new Date('2026-06-25T12:00:00Z'))).toBe(0);
    expect(await queueScheduledReminders(database.db, new Date('2026-06-29T12:00:00Z'))).toBe(2);
    const messages = await database.db.selectFrom('mail_message').select(['round', 'respondent_id']).where('kind', '=', 'reminder').orderBy('id').execute();
    expect(messages.map((m) => m.round)).toEqual(['before-close-7d', 'before-close-7d', 'before-close-2d', 'before-close-2d']);
    expect(messages.some((m) => m.respondent_id === done)).toBe(false);
    const audit = await database.db.selectFrom('audit_log').select(['actor', 'action']).where('action', '=', 'mail.remind').execute();
    expect(audit).toEqual([
      { actor: 'schedule', action: 'mail.remind' },
      { actor: 'schedule', action: 'mail.remind' },
    ]);
  });
});
