/**
 * The sender: takes due messages from the queue one at a time, writes and delivers each, and records
 * the outcome. Run by the server (`startMailSender`, from main.ts) and by `assess mail send`.
 *
 * Delivery is at least once. A message is marked `sending` (in its own committed statement) before
 * it goes to the mail server and `sent` after the server accepts it. If the process dies between
 * the two, the row stays `sending`; once its lease has passed, a sender takes it again and sends it
 * again, with the same Message-ID. That is the only case of a message sent twice; a message is
 * never skipped. Temporary failures (4xx, a dropped connection) are retried with a doubling wait;
 * permanent ones (5xx) are not.
 */
import { queueScheduledReminders } from './reminder-schedule.ts';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import { insertAuditEntry } from '../audit/audit.queries.ts';
import type { Database } from '../db/schema.ts';
import { claimNextMessage, markFailed, markRetrying, markSent } from './mail.queries.ts';
import type { MailTransport } from './mail-transport.ts';
import { prepareMessage, type MessageSettings } from './prepare-message.ts';

export interface SenderSettings extends MessageSettings {
  transport: MailTransport;
  ratePerMinute: number;
  retrySeconds: number;
  maxAttempts: number;
  leaseSeconds: number;
  /** Who sends, in the `claimed_by` column; unique per process. */
  worker?: string;
}

/** What one batch (one emptying of the due queue) did. */
export interface BatchResult {
  sent: number;
  retrying: number;
  failed: number;
}

/** The longest wait between two attempts of a message. */
const MAX_RETRY_SECONDS = 3600;

/** Seconds before attempt `attempts + 1`: the base, doubled after every failed attempt, at most an hour. */
export function retryDelaySeconds(baseSeconds: number, attempts: number): number {
  return Math.min(baseSeconds * 2 ** Math.max(attempts - 1, 0), MAX_RETRY_SECONDS);
}

/** A name for this process in `claimed_by`. */
export function workerName(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/**
 * Sends every message due now, at most `ratePerMinute` a minute, and writes the batch to the audit
 * log when it did anything. `shouldStop` is asked between messages (a server shutting down).
 */
export async function sendDueMessages(db: Kysely<Database>, settings: SenderSettings, shouldStop: () => boolean = () => false): Promise<BatchResult> {
  const worker = settings.worker ?? workerName();
  const result: BatchResult = { sent: 0, retrying: 0, failed: 0 };
  const spacingMs = 60_000 / settings.ratePerMinute;
  let lastDelivery = 0;
  // A message retried soon is left to the next batch: a batch tries each message once.
  const tried: number[] = [];
  while (!shouldStop()) {
    const claimed = await claimNextMessage(db, worker, settings.leaseSeconds, tried);
    if (!claimed) break;
    tried.push(claimed.id);
    const prepared = await prepareMessage(db, claimed, settings);
    if (!prepared.ok) {
      await markFailed(db, claimed.id, worker, prepared.reason);
      result.failed += 1;
      continue;
    }
    const wait = lastDelivery + spacingMs - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    lastDelivery = Date.now();
    const outcome = await settings.transport.deliver(prepared.message);
    if (outcome.ok) {
      await markSent(db, claimed.id, worker, outcome.reply);
      result.sent += 1;
    } else if (outcome.permanent || claimed.attempts >= settings.maxAttempts) {
      await markFailed(db, claimed.id, worker, outcome.permanent ? outcome.reason : `${outcome.reason} (gave up after ${claimed.attempts} attempts)`);
      result.failed += 1;
    } else {
      await markRetrying(db, claimed.id, worker, outcome.reason, retryDelaySeconds(settings.retrySeconds, claimed.attempts));
      result.retrying += 1;
    }
  }
  if (result.sent + result.retrying + result.failed > 0) {
    await insertAuditEntry(db, { actor: 'mail', action: 'mail.batch', subject: `mail:${settings.transport.kind}`, details: { worker, ...result } });
  }
  return result;
}

/**
 * Runs `sendDueMessages` every `intervalMs` until stopped, queueing the reminders questionnaires
 * schedule for themselves (reminder-schedule.ts) first, once a minute. The returned function stops the loop
 * after the message being sent, and resolves when the sender has stopped.
 */
export function startMailSender(db: Kysely<Database>, settings: SenderSettings, intervalMs: number, onError: (error: unknown) => void): () => Promise<void> {
  const worker = settings.worker ?? workerName();
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let scheduledAt = 0;
  const tick = () => {
    // Questionnaires' own reminder schedules are looked at once a minute, before a batch.
    let scheduling: Promise<unknown> = Promise.resolve();
    if (Date.now() - scheduledAt >= 60_000) {
      scheduledAt = Date.now();
      scheduling = queueScheduledReminders(db, new Date()).catch(onError);
    }
    running = scheduling
      .then(() => sendDueMessages(db, { ...settings, worker }, () => stopping))
      .then(() => undefined, onError)
      .finally(() => {
        if (!stopping) timer = setTimeout(tick, intervalMs);
      });
  };
  tick();
  return async () => {
    stopping = true;
    if (timer) clearTimeout(timer);
    await running;
    settings.transport.close();
  };
}
