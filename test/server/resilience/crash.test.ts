/**
 * The server killed (SIGKILL) while 50 respondents save and submit: after a restart, every
 * submission a client saw acknowledged (a 2xx answer) is there and complete — the response
 * submitted, the submission row present, every answer sent stored exactly. Nothing that was not
 * sent appears.
 *
 * PGlite pass: the server keeps its answers in a temporary data folder, which it must reopen after
 * the crash although the dead process left its lock behind. PostgreSQL pass (TEST_DATABASE_URL
 * set): the server gets DATABASE_URL of a fresh test database.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Answers } from '../../../survey-definitions/answers.ts';
import { LOCK_FILE } from '../../../server/db/data-folder-lock.ts';
import { createTestDatabase, TEST_DATABASE_KIND, type TestDatabase } from '../../support/database.ts';
import { inviteGovernments, withDatabase, type InvitedGovernment } from './support/invite-governments.ts';
import { completeAnswers, expectedAnswerRows, writeOpenQuestionnaire } from './support/open-questionnaire.ts';
import { startServer, type ServerProcess } from './support/server-process.ts';

const CLIENTS = 50;
/** Acknowledged submissions after which the server is killed: a round or two per client. */
const KILL_AFTER = 75;

/** What one client sent and what the server acknowledged to it. */
interface ClientLedger {
  invited: InvitedGovernment;
  /** Answers sent in each save, by the revision that save would create. */
  sent: Map<number, Answers>;
  /** Revisions whose save was acknowledged. */
  savesAcknowledged: number[];
  /** Revisions whose submission was acknowledged. */
  submissionsAcknowledged: number[];
}

type Outcome = { status: number; body: unknown } | 'no answer';

/** A JSON request; a connection cut by the crash is 'no answer', never an acknowledgement. */
async function send(url: string, method: string, body: unknown, address: string): Promise<Outcome> {
  let response: Response;
  try {
    response = await fetch(url, { method, headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': address }, body: JSON.stringify(body) });
  } catch {
    return 'no answer';
  }
  // The status line arrived: a 2xx is an acknowledgement even if the body were cut off.
  const body_ = await response.json().catch(() => undefined);
  return { status: response.status, body: body_ };
}

const byKey = <T extends { question_id: string; item: string; code: string | null }>(rows: T[]) =>
  [...rows].sort((a, b) => {
    const x = [a.question_id, a.item, a.code ?? ''].join('\u0000');
    const y = [b.question_id, b.item, b.code ?? ''].join('\u0000');
    return x < y ? -1 : x > y ? 1 : 0;
  });

describe(`a crash while 50 respondents submit (${TEST_DATABASE_KIND})`, () => {
  let dir: string;
  let database: TestDatabase | undefined;
  let server: ServerProcess | undefined;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'fat-crash-'));
    if (process.env.TEST_DATABASE_URL) database = await createTestDatabase();
  });
  afterEach(async () => {
    await server?.stop('SIGKILL');
    server = undefined;
    await database?.close();
    database = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  // About 30 s on an idle machine (PGlite opens its folder four times); generous for a busy one.
  it('keeps every acknowledged submission, complete, after SIGKILL and a restart', { timeout: 240_000 }, async () => {
    const surveysDir = writeOpenQuestionnaire(path.join(dir, 'surveys'));
    const dataDir = path.join(dir, 'data');
    const target = database ? { url: database.url! } : { dataDir };
    const invited = await withDatabase(target, (db) => inviteGovernments(db, surveysDir, CLIENTS));

    // Respondents come from addresses of their own, as behind the reverse proxy of a deployment: the
    // per-address throttle counts a request until it is answered, so 50 at once from one address
    // would exceed it.
    const serverOptions = { surveysDir, dataDir, ...(database ? { databaseUrl: database.url! } : {}), env: { TRUST_PROXY: 'true' } };
    const first = await startServer(serverOptions);
    server = first;
    const ledgers: ClientLedger[] = invited.map((inv) => ({ invited: inv, sent: new Map(), savesAcknowledged: [], submissionsAcknowledged: [] }));
    let acknowledged = 0;
    let inFlight = 0;
    let inFlightAtKill = -1;
    const unexpected: string[] = [];

    const runClient = async (client: number) => {
      const ledger = ledgers[client]!;
      const api = `${first.url}/api/r/${ledger.invited.token}`;
      const address = `198.51.100.${client + 1}`;
      let revision = 0;
      for (let round = 0; ; round++) {
        const answers = completeAnswers(client, round);
        ledger.sent.set(revision + 1, answers);
        inFlight++;
        const saved = await send(`${api}/answers`, 'PUT', { answers, revision }, address);
        inFlight--;
        if (saved === 'no answer') return;
        if (saved.status !== 200) return void unexpected.push(`client ${client} save: ${saved.status} ${JSON.stringify(saved.body)}`);
        revision += 1;
        ledger.savesAcknowledged.push(revision);
        if (saved.body !== undefined) expect(saved.body).toEqual({ revision, answers });

        inFlight++;
        const submitted = await send(`${api}/submit`, 'POST', { revision }, address);
        inFlight--;
        if (submitted === 'no answer') return;
        if (submitted.status !== 200) return void unexpected.push(`client ${client} submit: ${submitted.status} ${JSON.stringify(submitted.body)}`);
        ledger.submissionsAcknowledged.push(revision);
        if (submitted.body !== undefined) expect(submitted.body).toMatchObject({ status: 'submitted', revision, alreadySubmitted: false });
        if (++acknowledged === KILL_AFTER) {
          inFlightAtKill = inFlight;
          first.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(ledgers.map((_, client) => runClient(client)));

    expect(unexpected).toEqual([]);
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(acknowledged).toBeGreaterThanOrEqual(KILL_AFTER);
    // Killed mid-traffic: other clients were waiting for an answer.
    expect(inFlightAtKill).toBeGreaterThan(10);
    if (!database) {
      // The dead server's lock is still there; the restart must see that it is stale.
      const lock = JSON.parse(readFileSync(path.join(dataDir, LOCK_FILE), 'utf8')) as { pid: number };
      expect(lock.pid).toBe(first.child.pid);
    }

    const second = await startServer(serverOptions);
    server = second;
    expect((await fetch(`${second.url}/healthz`)).status).toBe(200);
    for (const ledger of ledgers) {
      const res = await fetch(`${second.url}/api/r/${ledger.invited.token}`);
      expect(res.status).toBe(200);
      const state = (await res.json()) as { status: string; revision: number; answers: Answers; submittedRevision: number | null };
      const lastSave = ledger.savesAcknowledged.at(-1) ?? 0;
      const lastSubmission = ledger.submissionsAcknowledged.at(-1);
      // A save or submission may have committed without its answer reaching the client, never the reverse.
      expect(state.revision).toBeGreaterThanOrEqual(lastSave);
      expect(state.answers).toEqual(ledger.sent.get(state.revision) ?? {});
      if (lastSubmission !== undefined) {
        expect(state.status).toBe('submitted');
        expect(state.submittedRevision).toBeGreaterThanOrEqual(lastSubmission);
      }
    }
    const stopped = await second.stop('SIGTERM');
    expect(stopped.code, second.output().stderr).toBe(0);
    expect(second.output().stderr).not.toMatch(/Error/);
    if (!database) expect(existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);

    // The rows themselves, read with the server stopped (PGlite allows one process at a time).
    await withDatabase(target, async (db) => {
      for (const ledger of ledgers) {
        const response = await db.selectFrom('response').selectAll().where('respondent_id', '=', ledger.invited.respondentId).executeTakeFirst();
        if (!ledger.savesAcknowledged.length && !response) continue;
        expect(response).toBeDefined();
        if (ledger.submissionsAcknowledged.length) {
          expect(response!.status).toBe('submitted');
          expect(response!.submitted_revision).toBeGreaterThanOrEqual(ledger.submissionsAcknowledged.at(-1)!);
        }
        const submissions = await db
          .selectFrom('submission')
          .select(['revision', 'answers'])
          .where('response_id', '=', response!.id)
          .orderBy('revision')
          .execute();
        const stored = new Map(submissions.map((s) => [s.revision, s.answers]));
        for (const revision of ledger.submissionsAcknowledged)
          expect(stored.get(revision), `submission ${revision} of ${ledger.invited.country}`).toEqual(ledger.sent.get(revision));
        // Unacknowledged submissions that committed hold what was sent for their revision too.
        for (const { revision, answers } of submissions) expect(answers).toEqual(ledger.sent.get(revision));
        const revisions = await db
          .selectFrom('response_revision')
          .select(['revision', 'answers'])
          .where('response_id', '=', response!.id)
          .where('revision', '>', 0)
          .execute();
        for (const { revision, answers } of revisions) expect(answers).toEqual(ledger.sent.get(revision));
        for (const revision of ledger.savesAcknowledged) expect(revisions.some((r) => r.revision === revision)).toBe(true);
        const rows = await db.selectFrom('answer').select(['question_id', 'item', 'code', 'number', 'text']).where('response_id', '=', response!.id).execute();
        expect(byKey(rows)).toEqual(byKey(expectedAnswerRows(ledger.sent.get(response!.revision)!)));
      }
    });
  });
});
