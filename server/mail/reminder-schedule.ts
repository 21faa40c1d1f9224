/**
 * Reminders a questionnaire schedules for itself (`reminder_schedule`: days before `closes`): the
 * sender loop queues the round that is due, once, for invitees who have not submitted.
 */
import type { Kysely } from 'kysely';
import type { SurveyDefinition } from '../../survey-definitions/types.ts';
import { insertAuditEntry } from '../audit/audit.queries.ts';
import type { Database } from '../db/schema.ts';
import { listCurrentSurveyVersions } from '../surveys/survey-versions.queries.ts';
import { queueReminders } from './mail.queries.ts';

const DAY_MS = 86_400_000;

/**
 * The scheduled round due at `now`, named by its days before closing (`before-close-7d`), or null.
 * The questionnaire closes at the end of its `closes` day (UTC). When several moments have passed
 * (the server was down), only the latest is due: an invitee gets one reminder, not a burst.
 *
 * @example dueReminderRound({ opens: '2027-06-01', closes: '2027-09-30', reminder_schedule: [14, 7, 2] }, new Date('2027-09-24T08:00Z')) // 'before-close-7d'
 */
export function dueReminderRound(definition: Pick<SurveyDefinition, 'opens' | 'closes' | 'reminder_schedule'>, now: Date): string | null {
  const schedule = definition.reminder_schedule;
  if (!schedule?.length) return null;
  const opens = Date.parse(`${definition.opens}T00:00:00Z`);
  const closesEnd = Date.parse(`${definition.closes}T00:00:00Z`) + DAY_MS;
  const t = now.getTime();
  if (t < opens || t >= closesEnd) return null;
  const due = [...schedule].sort((a, b) => a - b).find((days) => t >= closesEnd - days * DAY_MS);
  return due === undefined ? null : `before-close-${due}d`;
}

/** Queues every questionnaire's due scheduled round (a round is never queued twice); returns how many messages were queued. */
export async function queueScheduledReminders(db: Kysely<Database>, now: Date): Promise<number> {
  let queued = 0;
  for (const version of await listCurrentSurveyVersions(db)) {
    const round = dueReminderRound(version.definition, now);
    if (!round) continue;
    const n = await db.transaction().execute(async (trx) => {
      const count = await queueReminders(trx, { surveyId: version.surveyId, round, target: 'not_submitted', filter: {}, actor: 'schedule' });
      if (count)
        await insertAuditEntry(trx, {
          actor: 'schedule',
          action: 'mail.remind',
          subject: `survey:${version.surveyId}`,
          details: { round, target: 'not_submitted', scheduled: true, queued: count },
        });
      return count;
    });
    queued += n;
  }
  return queued;
}
