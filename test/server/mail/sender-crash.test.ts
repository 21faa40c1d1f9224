/**
 * The sender killed (SIGKILL) in the middle of a batch, then started again: every invitee gets its
 * invitation, and a message reaches an invitee twice only if it was the one being handed to the
 * mail server at the moment of the kill (marked `sending`, never marked `sent`): the at-least-once
 * window the README describes. Its two copies carry the same Message-ID.
 *
 * The sender runs as `npm run assess -- mail send` in a child process, against a PGlite data folder
 * (taken again after the crash although the dead process left its lock) or, with
 * TEST_DATABASE_URL, a PostgreSQL test database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queueInvitations } from '../../../server/mail/mail.queries.ts';
import { loadTokenKeyring } from '../../../server/respondents/sealed-tokens.ts';
import { createTestDatabase, TEST_DATABASE_KIND, type TestDatabase } from '../../support/database.ts';
import { withDatabase } from '../resilience/support/invite-governments.ts';
import { inviteWithEmail, PUBLIC_URL } from './support/mail-fixture.ts';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.ts';

const INVITEES = 20;
const OWN_SETTINGS = ['DATABASE_URL', 'TEST_DATABASE_URL', 'DATA_DIR', 'SURVEYS_DIR', 'PUBLIC_URL', 'SMTP_URL', 'MAIL_FROM', 'MAIL_TOKEN_KEY_FILE'];

function startSender(env: Record<string, string>): { child: ChildProcess; done: Promise<{ code: number | null; stderr: string }> } {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !OWN_SETTINGS.includes(k)));
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli/main.ts', 'mail', 'send'], { cwd: path.resolve('.'), env: { ...base, ...env } });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout!.resume();
  return { child, done: new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr }))) };
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe(`the sender killed mid-batch (${TEST_DATABASE_KIND})`, () => {
  let dir: string;
  let database: TestDatabase | undefined;
  let sink: SmtpSink | undefined;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'fat-mail-crash-'));
    if (process.env.TEST_DATABASE_URL) database = await createTestDatabase();
  });
  afterEach(async () => {
    await sink?.close();
    await database?.close();
    database = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('resumes after SIGKILL and a restart: every invitee gets one invitation, a second only for the message in flight', { timeout: 240_000 }, async () => {
    const dataDir = path.join(dir, 'data');
    const keyFile = path.join(dir, 'mail-token.key');
    writeFileSync(keyFile, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
    const target = database ? { url: database.url! } : { dataDir };
    const invitees = await withDatabase(target, async (db) => {
      const invited = await inviteWithEmail(db, await loadTokenKeyring(keyFile), INVITEES);
      expect((await queueInvitations(db, { surveyId: 'flow-gov', actor: 'test' })).queued).toBe(INVITEES);
      return invited;
    });

    sink = await startSmtpSink();
    const env = {
      ...(database ? { DATABASE_URL: database.url! } : { DATA_DIR: dataDir }),
      PUBLIC_URL,
      SMTP_URL: sink.url,
      MAIL_FROM: 'GFMD Assessment <assessment@example.org>',
      MAIL_TOKEN_KEY_FILE: keyFile,
      // 200 messages a minute: 0.3 s apart, so the kill lands mid-batch.
      MAIL_RATE_PER_MINUTE: '200',
      MAIL_SENDING_LEASE_SECONDS: '1',
    };
    const first = startSender(env);
    await waitFor(() => sink!.received.length >= 5, 120_000);
    first.child.kill('SIGKILL');
    await first.done;
    const deliveredBeforeRestart = sink.received.length;
    expect(deliveredBeforeRestart).toBeLessThan(INVITEES);

    // What the database says about the kill: at most the one message in flight is left `sending`.
    const inFlight = await withDatabase(target, (db) => db.selectFrom('mail_message').select(['recipient', 'state']).where('state', '=', 'sending').execute());
    expect(inFlight.length).toBeLessThanOrEqual(1);

    await new Promise((resolve) => setTimeout(resolve, 1500)); // past the lease of the message in flight
    const second = startSender(env);
    const { code, stderr } = await second.done;
    expect(code, stderr).toBe(0);

    const byRecipient = new Map<string, string[]>();
    for (const m of sink.received) byRecipient.set(m.to[0]!, [...(byRecipient.get(m.to[0]!) ?? []), m.messageId]);
    expect([...byRecipient.keys()].sort()).toEqual(invitees.map((i) => i.email).sort());
    const twice = [...byRecipient].filter(([, ids]) => ids.length > 1);
    // Only the message in flight at the kill may have arrived twice, and then with one Message-ID.
    expect(twice.every(([to]) => inFlight.some((m) => m.recipient === to))).toBe(true);
    expect(twice.every(([, ids]) => ids.length === 2 && ids[0] === ids[1])).toBe(true);
    expect(sink.received.length).toBeLessThanOrEqual(INVITEES + 1);
    const states = await withDatabase(target, (db) => db.selectFrom('mail_message').select('state').execute());
    expect(states.map((s) => s.state)).toEqual(Array(INVITEES).fill('sent'));
  });
});
