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
  /** The message with quoted-printable undone (headers stay encoded). */
  text: string;
  raw: string;
}

export interface SmtpSink {
  url: string;
  received: ReceivedMessage[];
  /** Every message whose data arrived, accepted or not, by recipient. */
  attempts: string[];
  close(): Promise<void>;
}

/** Undoes quoted-printable soft line breaks and escapes (UTF-8), enough to read the message's words and link. */
function decodeQuotedPrintable(raw: string): string {
  const unfolded = raw.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < unfolded.length; i += 1) {
    const hex = unfolded.slice(i + 1, i + 3);
    if (unfolded[i] === '=' && /^[0-9A-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(unfolded[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
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
        const text = decodeQuotedPrintable(raw);
        received.push({
          to,
          messageId: /^Message-ID:\s*(<[^>]+>)/im.exec(raw)?.[1] ?? '',
          link: /https?:\/\/[^\s"<]+\/r\/[A-Za-z0-9_-]{43}/.exec(text)?.[0],
          text,
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
