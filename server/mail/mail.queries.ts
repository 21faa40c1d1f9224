/**
 * SQL of the mail queue: queueing messages (idempotent by key), claiming due ones so that two
 * processes never send one message at once, recording each attempt, and reading the queue for the
 * Outbox page and the tracker. Tokens never pass through here in plain text: only their sealed copy.
 */
import { sql, type Kysely } from 'kysely';
import type { Db } from '../db/db.ts';
import type { Database, MailKind, MailLanguage, MailState } from '../db/schema.ts';

/** Which reminders to queue: respondents not submitted, or submitted then amended and not resubmitted. */
export type ReminderTarget = 'not_submitted' | 'amended';

export interface ReminderFilter {
  kind?: string;
  region?: string;
  role?: string;
}

/** A claimed message with what it takes to write it. */
export interface ClaimedMessage {
  id: number;
  idempotencyKey: string;
  kind: MailKind;
  surveyId: string;
  respondentId: number;
  invitationId: number | null;
  recipient: string;
  language: MailLanguage;
  attempts: number;
}

/**
 * Queues an invitation e-mail for every working link of the survey's respondents that have an
 * address and a sealed token (optionally only `respondentIds`); a link already queued is skipped.
 * Returns how many were queued, and how many respondents with an address have a working link that
 * cannot be e-mailed (made before the mail token key existed: reissue them with --send).
 */
export async function queueInvitations(
  db: Db,
  input: { surveyId: string; actor: string; respondentIds?: readonly number[] },
): Promise<{ queued: number; withoutSealedLink: number }> {
  const only = input.respondentIds ? sql`and r.id = any(${sql.val([...input.respondentIds])}::int[])` : sql``;
  const { rows } = await sql<{ id: number }>`
    insert into mail_message (idempotency_key, kind, survey_id, respondent_id, invitation_id, recipient, language, queued_by)
    select 'invitation:' || r.id || ':' || i.id, 'invitation', r.survey_id, r.id, i.id, r.email, r.language, ${input.actor}
    from respondent r
    join invitation i on i.respondent_id = r.id and i.revoked_at is null and i.token_sealed is not null
    where r.survey_id = ${input.surveyId} and r.email is not null and r.duplicate_of is null ${only}
    order by r.id, i.id
    on conflict (idempotency_key) do nothing
    returning id`.execute(db);
  const unsealed = await sql<{ n: number }>`
    select count(distinct r.id)::int as n
    from respondent r
    join invitation i on i.respondent_id = r.id and i.revoked_at is null and i.token_sealed is null
    where r.survey_id = ${input.surveyId} and r.email is not null ${only}`.execute(db);
  return { queued: rows.length, withoutSealedLink: unsealed.rows[0]?.n ?? 0 };
}

/**
 * Queues a reminder for round `round` to every respondent of the survey with an address who has
 * not submitted (or, with `amended`, changed a submitted reply without submitting it again),
 * within the filters. A respondent already reminded in this round is skipped, so running the same
 * round twice sends nothing new. Returns the number queued.
 */
export async function queueReminders(
  db: Db,
  input: { surveyId: string; round: string; target: ReminderTarget; filter: ReminderFilter; actor: string },
): Promise<number> {
  const state = input.target === 'amended' ? sql`p.status = 'submitted' and p.revision > p.submitted_revision` : sql`(p.id is null or p.status <> 'submitted')`;
  const kind = input.target === 'amended' ? 'reminder_amended' : 'reminder';
  const filters = [
    input.filter.kind ? sql`and r.kind = ${input.filter.kind}` : sql``,
    input.filter.region ? sql`and r.region = ${input.filter.region}` : sql``,
    input.filter.role ? sql`and ${input.filter.role} = any(r.roles)` : sql``,
  ];
  const { rows } = await sql<{ id: number }>`
    insert into mail_message (idempotency_key, kind, survey_id, respondent_id, round, recipient, language, queued_by)
    select 'reminder:' || ${input.round} || ':' || r.id, ${kind}, r.survey_id, r.id, ${input.round}, r.email, r.language, ${input.actor}
    from respondent r
    left join response p on p.respondent_id = r.id
    where r.survey_id = ${input.surveyId} and r.email is not null and r.duplicate_of is null and ${state}
      and exists (select 1 from invitation i where i.respondent_id = r.id and i.revoked_at is null and i.token_sealed is not null)
      ${filters[0]} ${filters[1]} ${filters[2]}
    order by r.id
    on conflict (idempotency_key) do nothing
    returning id`.execute(db);
  return rows.length;
}

/** The round of the survey's latest reminder, if any (the default round of `remind`). */
export async function latestReminderRound(db: Db, surveyId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('mail_message')
    .select('round')
    .where('survey_id', '=', surveyId)
    .where('round', 'is not', null)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.round ?? undefined;
}

/** Queues one message by its key; returns its id, or undefined when the key was queued before. */
export async function queueMessage(
  db: Db,
  m: {
    key: string;
    kind: MailKind;
    surveyId: string;
    respondentId: number;
    invitationId: number | null;
    recipient: string;
    language: MailLanguage;
    actor: string;
  },
): Promise<number | undefined> {
  const row = await db
    .insertInto('mail_message')
    .values({
      idempotency_key: m.key,
      kind: m.kind,
      survey_id: m.surveyId,
      respondent_id: m.respondentId,
      invitation_id: m.invitationId,
      recipient: m.recipient,
      language: m.language,
      queued_by: m.actor,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

/**
 * Claims the next due message for `worker` (state `sending`, one more attempt): a queued message,
 * a retry whose time has come, or a message left `sending` for longer than the lease by a process
 * that stopped; never one of `skipIds` (tried in this batch already). `FOR UPDATE SKIP LOCKED`: another process claiming at the same moment takes
 * another row, never the same one.
 */
export async function claimNextMessage(
  db: Kysely<Database>,
  worker: string,
  leaseSeconds: number,
  skipIds: readonly number[] = [],
): Promise<ClaimedMessage | undefined> {
  const { rows } = await sql<ClaimedMessage>`
    update mail_message m
    set state = 'sending', claimed_at = now(), claimed_by = ${worker}, attempts = m.attempts + 1
    where m.id = (
      select id from mail_message
      where ((state in ('queued', 'retrying') and next_attempt_at <= now())
         or (state = 'sending' and claimed_at < now() - make_interval(secs => ${leaseSeconds})))
      ${skipIds.length ? sql`and not (id = any(${sql.val([...skipIds])}::int[]))` : sql``}
      order by next_attempt_at, id
      limit 1
      for update skip locked
    )
    returning m.id, m.idempotency_key as "idempotencyKey", m.kind, m.survey_id as "surveyId",
      m.respondent_id as "respondentId", m.invitation_id as "invitationId", m.recipient, m.language, m.attempts`.execute(db);
  return rows[0];
}

/** Records that the mail server accepted a message (only if this worker still holds it). */
export async function markSent(db: Db, id: number, worker: string, reply: string): Promise<void> {
  await sql`update mail_message set state = 'sent', sent_at = now(), reply = ${reply.slice(0, 1000)}, error = null, claimed_at = null
    where id = ${id} and state = 'sending' and claimed_by = ${worker}`.execute(db);
}

/** Records a temporary failure: tried again after `retryInSeconds`. */
export async function markRetrying(db: Db, id: number, worker: string, reason: string, retryInSeconds: number): Promise<void> {
  await sql`update mail_message set state = 'retrying', error = ${reason.slice(0, 1000)}, claimed_at = null,
      next_attempt_at = now() + make_interval(secs => ${retryInSeconds})
    where id = ${id} and state = 'sending' and claimed_by = ${worker}`.execute(db);
}

/** Records a failure for good (refused by the server, no link to send, attempts exhausted). */
export async function markFailed(db: Db, id: number, worker: string, reason: string): Promise<void> {
  await sql`update mail_message set state = 'failed', error = ${reason.slice(0, 1000)}, claimed_at = null
    where id = ${id} and state = 'sending' and claimed_by = ${worker}`.execute(db);
}

/** How many messages of a survey (or of all) are in each state? */
export async function countMessagesByState(db: Db, surveyId?: string): Promise<Record<MailState, number>> {
  const { rows } = await sql<{ state: MailState; n: number }>`
    select state, count(*)::int as n from mail_message
    where ${surveyId === undefined ? sql`true` : sql`survey_id = ${surveyId}`}
    group by state`.execute(db);
  const counts: Record<MailState, number> = { queued: 0, sending: 0, sent: 0, retrying: 0, failed: 0 };
  for (const r of rows) counts[r.state] = r.n;
  return counts;
}

/** A message as the Outbox page lists it. */
export interface MessageListRow {
  id: number;
  kind: MailKind;
  round: string | null;
  recipient: string;
  language: MailLanguage;
  name: string;
  state: MailState;
  attempts: number;
  nextAttemptAt: Date;
  reply: string | null;
  error: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

/** How many messages does a survey have (the Outbox page's pager)? */
export async function countMessages(db: Db, surveyId: string): Promise<number> {
  const row = await db
    .selectFrom('mail_message')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('survey_id', '=', surveyId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The survey's messages, newest first, with the respondent's name. */
export async function listMessages(db: Db, surveyId: string, page: { limit: number; offset: number }): Promise<MessageListRow[]> {
  return db
    .selectFrom('mail_message as m')
    .innerJoin('respondent as r', 'r.id', 'm.respondent_id')
    .select([
      'm.id',
      'm.kind',
      'm.round',
      'm.recipient',
      'm.language',
      'r.name',
      'm.state',
      'm.attempts',
      'm.next_attempt_at as nextAttemptAt',
      'm.reply',
      'm.error',
      'm.created_at as createdAt',
      'm.sent_at as sentAt',
    ])
    .where('m.survey_id', '=', surveyId)
    .orderBy('m.id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

/** The reminder rounds of a survey, in the order they were first used. */
export async function listReminderRounds(db: Db, surveyId: string): Promise<string[]> {
  const { rows } = await sql<{ round: string }>`
    select round from mail_message where survey_id = ${surveyId} and round is not null
    group by round order by min(id)`.execute(db);
  return rows.map((r) => r.round);
}

/** Each respondent's latest message (the tracker's "E-mail" column), by respondent id. */
export async function latestMessageByRespondent(
  db: Db,
  respondentIds: readonly number[],
): Promise<Map<number, { kind: MailKind; round: string | null; state: MailState; at: Date }>> {
  if (!respondentIds.length) return new Map();
  const { rows } = await sql<{ respondentId: number; kind: MailKind; round: string | null; state: MailState; at: Date }>`
    select distinct on (respondent_id) respondent_id as "respondentId", kind, round, state, coalesce(sent_at, created_at) as at
    from mail_message
    where respondent_id = any(${sql.val([...respondentIds])}::int[])
    order by respondent_id, id desc`.execute(db);
  return new Map(rows.map((r) => [r.respondentId, r]));
}

/**
 * Queues the "lost your link?" message for the respondents of a survey invited at `email` (case
 * aside) who have a working link: at most one per respondent per `period` (a key such as the UTC
 * hour), however often it is asked. Returns how many were queued (never shown to the asker).
 */
export async function queueLostLink(db: Db, input: { surveyId: string; email: string; period: string }): Promise<number> {
  const { rows } = await sql<{ id: number }>`
    insert into mail_message (idempotency_key, kind, survey_id, respondent_id, recipient, language, queued_by)
    select 'lost_link:' || r.id || ':' || ${input.period}, 'lost_link', r.survey_id, r.id, r.email, r.language, 'lost_link_page'
    from respondent r
    where r.survey_id = ${input.surveyId} and lower(r.email) = lower(${input.email}) and r.duplicate_of is null
      and exists (select 1 from invitation i where i.respondent_id = r.id and i.revoked_at is null and i.token_sealed is not null)
    on conflict (idempotency_key) do nothing
    returning id`.execute(db);
  return rows.length;
}
