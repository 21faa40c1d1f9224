/**
 * A real SMTP server for tests (the `smtp-server` package on a free local port): it speaks the
 * protocol to nodemailer, stores what it accepts, and answers each message as the test decides:
 * accept it, refuse it with a code (421, 550…), or drop the connection once the message's data has
 * arrived, before answering (the ambiguous moment of a real delivery).
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export type Verdict = 'accept' | 'drop' | { code: number; message: string };

export interface ReceivedMessage {
  to: string[];
  messageId: string;
  /** The personal link found in the message (quoted-printable undone). */
  link: string | undefined;
  raw: string;
}

export interface SmtpSink {
  url: string;
  received: ReceivedMessage[];
  /** Every message whose data arrived, accepted or not, by recipient. */
  attempts: string[];
  close(): Promise<void>;
}

/** Undoes quoted-printable soft line breaks and escapes, enough to read a link. */
function unfoldQuotedPrintable(raw: string): string {
  return raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/**
 * @param decide called for each message with its number (0-based, in arrival order) and recipients.
 */
export async function startSmtpSink(decide: (n: number, to: string[]) => Verdict = () => 'accept'): Promise<SmtpSink> {
  const received: ReceivedMessage[] = [];
  const attempts: string[] = [];
  const server: SMTPServer = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const to = session.envelope.rcptTo.map((r) => r.address);
        const verdict = decide(attempts.length, to);
        attempts.push(to.join(','));
        if (verdict === 'drop') {
          for (const connection of server.connections) if (connection.id === session.id) connection._socket.destroy();
          return;
        }
        if (verdict !== 'accept') {
          callback(Object.assign(new Error(verdict.message), { responseCode: verdict.code }));
          return;
        }
        const unfolded = unfoldQuotedPrintable(raw);
        received.push({
          to,
          messageId: /^Message-ID:\s*(<[^>]+>)/im.exec(raw)?.[1] ?? '',
          link: /https?:\/\/[^\s"<]+\/r\/[A-Za-z0-9_-]{43}/.exec(unfolded)?.[0],
          raw,
        });
        callback(null, `Message queued as q${received.length}`);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    attempts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
