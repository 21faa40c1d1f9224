/**
 * `assess mail send|status|reseal` and `assess remind`: the mail queue from the command line.
 */
import type { Kysely } from 'kysely';
import { insertAuditEntry } from '../audit/audit.queries.ts';
import type { Database } from '../db/schema.ts';
import { countMessagesByState, latestReminderRound, queueReminders, type ReminderTarget } from '../mail/mail.queries.ts';
import { sendDueMessages, type SenderSettings } from '../mail/mail-sender.ts';
import { senderSettingsFromConfig } from '../mail/mail-setup.ts';
import { resealTokens } from '../respondents/reseal-tokens.ts';
import { loadTokenKeyring } from '../respondents/sealed-tokens.ts';
import { getCurrentSurveyVersion } from '../surveys/survey-versions.queries.ts';
import { EXIT, withCliDatabase, type CliOutput } from './cli-database.ts';

/** Sends what is due now and prints what happened and what is left. */
export async function sendQueuedMail(db: Kysely<Database>, settings: SenderSettings, out: CliOutput): Promise<void> {
  try {
    const batch = await sendDueMessages(db, settings);
    const left = await countMessagesByState(db);
    out.error(
      `Mail (${settings.transport.kind === 'smtp' ? `SMTP ${settings.transport.describe}` : `outbox folder ${settings.transport.describe}`}): ` +
        `${batch.sent} sent, ${batch.retrying} to retry, ${batch.failed} failed now; ` +
        `in the queue: ${left.queued + left.sending} waiting, ${left.retrying} to retry, ${left.failed} failed in all.`,
    );
    if (left.retrying) out.error('Messages to retry are sent by the server, or by `npm run assess -- mail send` later.');
  } finally {
    settings.transport.close();
  }
}

/** `assess mail send`: delivers every message due now (the server does the same every few seconds). */
export async function mailSendCommand(out: CliOutput, env = process.env): Promise<number> {
  return withCliDatabase(env, out, async (handle, config) => {
    await sendQueuedMail(handle.db, await senderSettingsFromConfig(config), out);
    return EXIT.ok;
  });
}

/** `assess mail status [--survey <id>]`: messages per state. */
export async function mailStatusCommand(options: { survey?: string }, out: CliOutput, env = process.env): Promise<number> {
  return withCliDatabase(env, out, async (handle) => {
    const counts = await countMessagesByState(handle.db, options.survey);
    for (const [state, n] of Object.entries(counts)) out.log(`${state}\t${n}`);
    return EXIT.ok;
  });
}

/** `assess mail reseal`: encrypts every stored token again with the first key of the key file (rotation). */
export async function mailResealCommand(out: CliOutput, env = process.env): Promise<number> {
  return withCliDatabase(env, out, async (handle, config) => {
    const keyring = await loadTokenKeyring(config.mail.tokenKeyFile);
    const result = await resealTokens(handle.db, keyring);
    await insertAuditEntry(handle.db, { actor: 'cli', action: 'mail.reseal', subject: 'mail', details: { ...result, keyId: keyring.current.id } });
    out.error(`Resealed ${result.resealed} link(s) with key ${keyring.current.id}; ${result.unreadable} could not be opened with any key of ${keyring.file}.`);
    return result.unreadable ? EXIT.badInput : EXIT.ok;
  });
}

/**
 * `assess remind --survey <id> [--amended] [--kind k] [--region r] [--role r] [--round name]`:
 * queues a reminder to every invitee who has not submitted (with `--amended`: who changed a
 * submitted reply without submitting it again) and sends it. Without `--round`, the latest round
 * (or `1`): running it twice sends the second time only to those not yet reminded in that round.
 */
export async function remindCommand(
  options: { survey?: string; amended?: boolean; kind?: string; region?: string; role?: string; round?: string },
  out: CliOutput,
  env = process.env,
): Promise<number> {
  if (!options.survey) {
    out.error('Usage: npm run assess -- remind --survey <id> [--amended] [--kind <k>] [--region <r>] [--role <r>] [--round <name>]');
    return EXIT.usage;
  }
  const surveyId = options.survey;
  return withCliDatabase(env, out, async (handle, config) => {
    if (!(await getCurrentSurveyVersion(handle.db, surveyId))) {
      out.error(`No questionnaire with the id '${surveyId}' is published.`);
      return EXIT.badInput;
    }
    const round = options.round ?? (await latestReminderRound(handle.db, surveyId)) ?? '1';
    const target: ReminderTarget = options.amended ? 'amended' : 'not_submitted';
    const filter = {
      ...(options.kind ? { kind: options.kind } : {}),
      ...(options.region ? { region: options.region } : {}),
      ...(options.role ? { role: options.role } : {}),
    };
    const queued = await queueReminders(handle.db, { surveyId, round, target, filter, actor: 'cli' });
    await insertAuditEntry(handle.db, { actor: 'cli', action: 'mail.remind', subject: `survey:${surveyId}`, details: { round, target, filter, queued } });
    out.error(
      queued
        ? `Queued ${queued} reminder(s), round '${round}'.`
        : `No new reminder in round '${round}': everyone it concerns was reminded in this round already. Give --round <new name> to remind them again.`,
    );
    await sendQueuedMail(handle.db, await senderSettingsFromConfig(config), out);
    return EXIT.ok;
  });
}
