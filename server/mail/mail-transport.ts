/**
 * Where messages go: a mail server over SMTP (SMTP_URL; TLS and authentication come from the URL),
 * or, when none is set, the outbox folder (`<DATA_DIR>/outbox`), one `.eml` file per message,
 * built by nodemailer like the message it would have sent. A message written twice (a retry after
 * a crash) overwrites its own file, so the outbox never holds a message twice.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';

/** A message ready to send. */
export interface OutgoingMessage {
  /** `<…@…>`, derived from the message's idempotency key (`message-id.ts`). */
  messageId: string;
  from: string;
  replyTo?: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The file name in the outbox, without extension (the message's id in `mail_message`). */
  outboxName: string;
}

/** How one attempt ended: accepted (with the server's reply), or refused for now or for good. */
export type DeliveryOutcome = { ok: true; reply: string } | { ok: false; permanent: boolean; reason: string };

export interface MailTransport {
  kind: 'smtp' | 'outbox';
  /** Where messages go, for messages and pages (the SMTP URL without its password). */
  describe: string;
  deliver(message: OutgoingMessage): Promise<DeliveryOutcome>;
  close(): void;
}

/** The mail server's time limits: a delivery that takes longer fails and is retried later. */
const SMTP_TIMEOUTS = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 };

/**
 * The transport for the settings: SMTP when `smtpUrl` is given, otherwise the outbox folder.
 *
 * @example
 *   const transport = createMailTransport({ smtpUrl: 'smtp://user:pass@mail.example.org:587', outboxDir });
 *   const outcome = await transport.deliver(message);
 */
export function createMailTransport(settings: { smtpUrl?: string; outboxDir: string }): MailTransport {
  return settings.smtpUrl ? smtpTransport(settings.smtpUrl) : outboxTransport(settings.outboxDir);
}

function smtpTransport(smtpUrl: string): MailTransport {
  const transporter = nodemailer.createTransport({ url: smtpUrl, ...SMTP_TIMEOUTS });
  const shown = new URL(smtpUrl);
  shown.password = shown.password ? '***' : '';
  return {
    kind: 'smtp',
    describe: shown.toString(),
    async deliver(message) {
      try {
        const info = await transporter.sendMail(mailOptions(message));
        return { ok: true, reply: String(info.response ?? '') };
      } catch (error) {
        return smtpFailure(error);
      }
    },
    close: () => transporter.close(),
  };
}

/**
 * A failure as the queue sees it: a 5xx reply is permanent (the address or message is refused and
 * sending it again would be refused again); a 4xx reply, a dropped connection or a timeout is
 * temporary and retried.
 */
export function smtpFailure(error: unknown): DeliveryOutcome {
  const e = error as { responseCode?: number; response?: string; code?: string; message?: string };
  const reason = (e.response ?? e.message ?? String(error)).slice(0, 1000);
  const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500 && e.responseCode < 600;
  return { ok: false, permanent, reason: e.code && !e.responseCode ? `${e.code}: ${reason}` : reason };
}

function outboxTransport(outboxDir: string): MailTransport {
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  return {
    kind: 'outbox',
    describe: outboxDir,
    async deliver(message) {
      const info = await transporter.sendMail(mailOptions(message));
      await mkdir(outboxDir, { recursive: true, mode: 0o700 });
      const file = path.join(outboxDir, `${message.outboxName}.eml`);
      // Written whole or not at all: a crash never leaves half a message in the outbox.
      const temporary = `${file}.${process.pid}.tmp`;
      await writeFile(temporary, info.message as Buffer, { mode: 0o600 });
      await rename(temporary, file);
      return { ok: true, reply: `written to ${file}` };
    },
    close: () => transporter.close(),
  };
}

function mailOptions(message: OutgoingMessage) {
  return {
    messageId: message.messageId,
    from: message.from,
    ...(message.replyTo ? { replyTo: message.replyTo } : {}),
    to: message.to,
    subject: message.subject,
    text: message.text,
    html: message.html,
  };
}
