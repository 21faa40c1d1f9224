/**
 * Analysis off the event loop: the analytical requests the queue admits are answered by worker
 * threads, so a respondent's save is answered while an analyst's page is being built. Proved with
 * a stand-in worker that holds its thread busy until the test lets it go (support/held-worker.ts):
 * the save is answered, stored and read back while that thread is still held. The same test
 * holds the bounds: one thread, no line, so a second analytical request gets 503 with Retry-After
 * and never reaches a worker. The app is the real one, on the test database.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readConfig } from '../../../server/config.ts';
import { startAnalysisWorkers, type AnalysisWorkers } from '../../../server/http/analysis-workers.ts';
import { createAppFixture, type AppFixture } from '../support/app-fixture.ts';
import { TeamMember } from '../support/team-session.ts';

const HELD_WORKER = new URL('./support/held-worker.ts', import.meta.url);
/** A thread loads TypeScript through tsx as it starts: seconds on a busy machine. */
const THREAD_TEST_MS = 180_000;

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('the worker thread never started the request');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('analytical requests in worker threads', () => {
  let fixture: AppFixture;
  let workers: AnalysisWorkers;
  /** [0]: requests the worker began; [1]: requests the test let it finish. */
  let gate: Int32Array;
  const letOneFinish = () => {
    Atomics.add(gate, 1, 1);
    Atomics.notify(gate, 1);
  };

  beforeEach(async () => {
    gate = new Int32Array(new SharedArrayBuffer(8));
    workers = startAnalysisWorkers({ threads: 1, queue: 10, filename: HELD_WORKER, workerData: { gate } });
    fixture = await createAppFixture({ analysis: { analysisWorkers: workers, analysisQueue: { concurrency: 1, queue: 0, waitMs: 5_000 } } });
  });
  afterEach(async () => {
    // Free a thread still held, whatever the test did.
    Atomics.store(gate, 1, 1_000);
    Atomics.notify(gate, 1);
    await workers.close();
    await fixture.close();
  });

  it(
    'saves a respondent’s answers while the worker thread is held busy by an analyst’s page, and refuses a second page with 503',
    async () => {
      const analyst = await TeamMember.signIn(fixture, 'analyst');
      const { token, respondentId } = await fixture.invite();

      const page = analyst.get('/admin/dashboard?survey=flow-gov&status=all');
      await until(() => Atomics.load(gate, 0) === 1);

      const saved = await fixture.app.request(`/api/r/${token}/answers`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ answers: { q_role: 'ministry', q_staff: 3 }, revision: 0 }),
      });
      expect(saved.status).toBe(200);
      expect(await saved.json()).toMatchObject({ revision: 1, answers: { q_role: 'ministry', q_staff: 3 } });
      expect(await fixture.answerRows(respondentId)).toEqual([
        { question_id: 'q_role', item: '', code: 'ministry', number: null, text: null },
        { question_id: 'q_staff', item: '', code: null, number: 3, text: null },
      ]);
      // All of that while the analyst's page still holds its thread.
      expect(Atomics.load(gate, 1)).toBe(0);

      // One thread and no line: the next analytical request is refused at once and never reaches a worker.
      const refused = await analyst.get('/admin/report?survey=flow-gov');
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('5');
      expect(await refused.text()).toContain('Respondents’ answers come first');
      expect(Atomics.load(gate, 0)).toBe(1);

      letOneFinish();
      const answered = await page;
      expect(answered.status).toBe(200);
      // What the worker answered reaches the analyst as it was: body, and each Set-Cookie apart.
      expect(await answered.json()).toEqual({ method: 'GET', url: 'http://localhost/admin/dashboard?survey=flow-gov&status=all', signedIn: true, body: null });
      expect(answered.headers.getSetCookie()).toEqual(['first=1; Path=/', 'second=2; Path=/']);

      // The slot is free again: the next page goes to the worker.
      const next = analyst.get('/api/surveys/flow-gov/analysis');
      await until(() => Atomics.load(gate, 0) === 2);
      letOneFinish();
      expect((await next).status).toBe(200);
    },
    THREAD_TEST_MS,
  );

  it(
    'hands a form’s body to the worker (making a release), and answers requests that are not analytical, or not signed in, on the main thread',
    async () => {
      const analyst = await TeamMember.signIn(fixture, 'analyst');
      const made = analyst.post('/admin/releases', { survey: 'flow-gov', name: 'March' });
      await until(() => Atomics.load(gate, 0) === 1);
      // While the thread is held: a page that reads no figures, and an analytical page without a session.
      expect((await analyst.get('/admin')).status).toBe(200);
      const anonymous = await fixture.app.request('/admin/dashboard?survey=flow-gov', { headers: { accept: 'application/json' } });
      expect(anonymous.status).toBe(401);
      expect(Atomics.load(gate, 0)).toBe(1);
      letOneFinish();
      const body = (await (await made).json()) as { method: string; body: string };
      expect(body.method).toBe('POST');
      expect(Object.fromEntries(new URLSearchParams(body.body))).toEqual({ survey: 'flow-gov', name: 'March', _csrf: analyst.csrf });
    },
    THREAD_TEST_MS,
  );
});

describe('the analysis worker of the server', () => {
  it(
    'loads in a thread of its own and refuses to run without PostgreSQL, naming why',
    async () => {
      const config = readConfig({ DATA_DIR: '/nonexistent' });
      const workers = startAnalysisWorkers({
        threads: 1,
        queue: 1,
        filename: new URL('../../../server/analysis-worker.ts', import.meta.url),
        workerData: { config },
      });
      try {
        await expect(workers.run({ method: 'GET', url: 'http://localhost/admin/dashboard', headers: [], body: null })).rejects.toThrow(
          'An analysis worker needs DATABASE_URL',
        );
      } finally {
        await workers.close();
      }
    },
    THREAD_TEST_MS,
  );
});
