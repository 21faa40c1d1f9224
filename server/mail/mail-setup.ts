/**
 * The sender's settings from the configuration: the transport (SMTP or the outbox folder) and the
 * mail token key, loaded (and created on first use) from MAIL_TOKEN_KEY_FILE.
 */
import type { Config } from '../config.ts';
import { loadTokenKeyring } from '../respondents/sealed-tokens.ts';
import { createMailTransport } from './mail-transport.ts';
import type { SenderSettings } from './mail-sender.ts';

/** Settings for `sendDueMessages` / `startMailSender`; close `transport` when done. */
export async function senderSettingsFromConfig(config: Config): Promise<SenderSettings> {
  const mail = config.mail;
  return {
    transport: createMailTransport({ ...(mail.smtpUrl ? { smtpUrl: mail.smtpUrl } : {}), outboxDir: mail.outboxDir }),
    keyring: await loadTokenKeyring(mail.tokenKeyFile),
    publicUrl: config.publicUrl,
    from: mail.from,
    ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
    ratePerMinute: mail.ratePerMinute,
    retrySeconds: mail.retrySeconds,
    maxAttempts: mail.maxAttempts,
    leaseSeconds: mail.leaseSeconds,
  };
}
