/**
 * A save or a submission that fails half-way leaves nothing half-written. The failure is real: a
 * trigger the test creates on its own database (PGlite, or PostgreSQL with TEST_DATABASE_URL)
 * raises an exception on a later write of the request, after earlier writes have already run in
 * the same transaction. Also, over real HTTP (so that PostgreSQL's pool serves the requests at
 * the same time), simultaneous submissions store one, and simultaneous saves of one revision
 * give one success and one conflict, through the API and through the no-JavaScript form.
 */
import type { Hono } from 'hono';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import type { AppEnv } from '../../../server/app-env.ts';
import type { Answers } from '../../../survey-definitions/answers.ts';
import { TEST_DATABASE_KIND } from '../../support/database.ts';
import { createAppFixture, type AppFixture, type Invited } from '../support/app-fixture.ts';
import { Browser } from '../support/browser.ts';
import { serveOnRandomPort, tableFingerprints, type Served } from './database-state.ts';

const INJECTED = 'injected failure';
/** Seven answer rows: role, attendance, three meetings, two matrix rows. */
const MANY_ROWS: Answers = { q_role: 'mission', q_attended: 'yes', q_meetings: ['m2008', 'm2009', 'm2010'], q_ratings: { relevant: '3', efficient: '2' } };
const COMPLETE: Answers = { q_role: 'ministry', q_attended: 'no', q_ratings: { relevant: '1', efficient: 'dk' } };

describe(`a failure in the middle of a save or a submission (${TEST_DATABASE_KIND})`, () => {
  let fixture: AppFixture;
  let invited: Invited;
  let logged: MockInstance<typeof console.error>;
  beforeEach(async () => {
    fixture = await createAppFixture();
    invited = await fixture.invite();
    // The server logs each unexpected error with its stack; keep it out of the test output but check it.
    logged = vi.spyOn(console, 'error').mockImplementation(() => {});
  });
  afterEach(async () => {
    logged.mockRestore();
    await fixture.close();
  });

  /** Creates a trigger that raises on `timing` of `table` (e.g. 'before insert'); returns its removal. */
  async function injectFailure(table: string, timing: string, options: { onRow?: number } = {}): Promise<() => Promise<void>> {
    const name = `fail_${table}_${timing.replace(/\W+/g, '_')}`;
    if (options.onRow === undefined) {
      await sql`${sql.raw(`create function ${name}() returns trigger language plpgsql as $$
        begin raise exception '${INJECTED} on %', tg_table_name; end $$`)}`.execute(fixture.db);
      await sql`${sql.raw(`create trigger ${name} ${timing} on ${table} for each statement execute function ${name}()`)}`.execute(fixture.db);
    } else {
      // Counts the rows written in this transaction (a transaction-local setting) and fails on the Nth.
      await sql`${sql.raw(`create function ${name}() returns trigger language plpgsql as $$
        declare n int := coalesce(nullif(current_setting('fat_test.rows', true), ''), '0')::int + 1;
        begin
          perform set_config('fat_test.rows', n::text, true);
          if n = ${options.onRow} then raise exception '${INJECTED} on row % of %', n, tg_table_name; end if;
          return new;
        end $$`)}`.execute(fixture.db);
      await sql`${sql.raw(`create trigger ${name} ${timing} on ${table} for each row execute function ${name}()`)}`.execute(fixture.db);
    }
    return async () => {
      await sql`${sql.raw(`drop trigger ${name} on ${table}`)}`.execute(fixture.db);
      await sql`${sql.raw(`drop function ${name}()`)}`.execute(fixture.db);
    };
  }

  const request = (method: string, path: string, body: unknown) =>
    fixture.app.request(`/api/r/${invited.token}${path}`, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const state = async () =>
    (await (await fixture.app.request(`/api/r/${invited.token}`)).json()) as {
      answers: Answers;
      revision: number;
      status: string;
      submittedRevision: number | null;
    };

  /** The failed request answered a clean 500: the envelope, no stack, no database message. */
  async function expectCleanFailure(res: Response, kind: 'json' | 'html' = 'json') {
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain(INJECTED);
    expect(text).not.toMatch(/\bat .+\.(ts|js):\d+/);
    if (kind === 'json') expect(JSON.parse(text)).toEqual({ error: { code: 'internal', message: 'An unexpected error occurred.' } });
    else expect(text).toContain('<html');
    // Logged for the operators, without the invitation token.
    const log = logged.mock.calls.map((call) => call.join(' ')).join('\n');
    expect(log).toContain(INJECTED);
    expect(log).not.toContain(invited.token);
  }

  async function savedOnce() {
    expect((await request('PUT', '/answers', { answers: COMPLETE, revision: 0 })).status).toBe(200);
    return { before: await tableFingerprints(fixture.db), state: await state(), rows: await fixture.answerRows(invited.respondentId) };
  }

  for (const [table, timing, what] of [
    ['response_revision', 'before insert', 'the revision snapshot, after the response row was updated'],
    ['answer', 'before delete', 'the removal of the old answer rows'],
    ['answer', 'before insert', 'the new answer rows'],
    ['answer', 'after insert', 'the new answer rows, once they are written'],
  ] as const) {
    it(`keeps the response as it was when writing ${what} fails, and saves once the failure is gone`, async () => {
      const { before, state: previous, rows } = await savedOnce();
      const removeFailure = await injectFailure(table, timing);
      await expectCleanFailure(await request('PUT', '/answers', { answers: MANY_ROWS, revision: 1 }));
      expect(await tableFingerprints(fixture.db)).toEqual(before);
      expect(await state()).toEqual(previous);
      expect(await fixture.answerRows(invited.respondentId)).toEqual(rows);

      await removeFailure();
      const retried = await request('PUT', '/answers', { answers: MANY_ROWS, revision: 1 });
      expect(retried.status).toBe(200);
      expect(await state()).toMatchObject({ answers: MANY_ROWS, revision: 2 });
      expect(await fixture.answerRows(invited.respondentId)).toHaveLength(7);
    });
  }

  it('writes none of the answer rows when the fourth of seven fails', async () => {
    const { before, state: previous } = await savedOnce();
    const removeFailure = await injectFailure('answer', 'before insert', { onRow: 4 });
    await expectCleanFailure(await request('PUT', '/answers', { answers: MANY_ROWS, revision: 1 }));
    expect(await tableFingerprints(fixture.db)).toEqual(before);
    expect(await state()).toEqual(previous);
    await removeFailure();
    expect((await request('PUT', '/answers', { answers: MANY_ROWS, revision: 1 })).status).toBe(200);
    expect(await fixture.answerRows(invited.respondentId)).toHaveLength(7);
  });

  it('leaves no response behind when the very first save of a respondent fails', async () => {
    const before = await tableFingerprints(fixture.db);
    const removeFailure = await injectFailure('answer', 'before insert', { onRow: 2 });
    await expectCleanFailure(await request('PUT', '/answers', { answers: MANY_ROWS, revision: 0 }));
    expect(await tableFingerprints(fixture.db)).toEqual(before);
    expect(await fixture.response(invited.respondentId)).toBeUndefined();
    await removeFailure();
    expect((await request('PUT', '/answers', { answers: MANY_ROWS, revision: 0 })).status).toBe(200);
    expect(await fixture.response(invited.respondentId)).toMatchObject({ revision: 1 });
  });

  for (const [table, timing, what] of [
    ['submission', 'after insert', 'the submission row, once it is written'],
    ['response', 'before update', 'the response status, after the submission row was written'],
  ] as const) {
    it(`stores no submission when writing ${what} fails, and submits once the failure is gone`, async () => {
      const { before, state: previous } = await savedOnce();
      const removeFailure = await injectFailure(table, timing);
      await expectCleanFailure(await request('POST', '/submit', { revision: 1 }));
      expect(await tableFingerprints(fixture.db)).toEqual(before);
      expect(await state()).toEqual(previous);
      expect(await fixture.submissions(invited.respondentId)).toEqual([]);

      await removeFailure();
      const retried = await request('POST', '/submit', { revision: 1 });
      expect(retried.status).toBe(200);
      expect(await retried.json()).toMatchObject({ status: 'submitted', revision: 1, alreadySubmitted: false });
      expect(await fixture.submissions(invited.respondentId)).toHaveLength(1);
      expect(await state()).toMatchObject({ status: 'submitted', submittedRevision: 1 });
    });
  }

  it('keeps the form page and the submission as they were when the form path fails half-way', async () => {
    const browser = new Browser(fixture.app, { Accept: 'text/html' });
    await browser.openLink(invited.token);
    expect((await browser.saveSection(1, { q_role: 'ministry', q_attended: 'no' })).status).toBe(303);
    expect((await browser.saveSection(2, { 'q_ratings[relevant]': '1', 'q_ratings[efficient]': '2' })).status).toBe(303);
    const before = await tableFingerprints(fixture.db);

    const removeAnswerFailure = await injectFailure('answer', 'before insert', { onRow: 2 });
    await expectCleanFailure(await browser.saveSection(1, { q_role: 'other', 'q_role.other': 'Cabinet office', q_attended: 'no' }), 'html');
    expect(await tableFingerprints(fixture.db)).toEqual(before);
    await removeAnswerFailure();

    const removeSubmissionFailure = await injectFailure('submission', 'after insert');
    await expectCleanFailure(await browser.submit(), 'html');
    expect(await tableFingerprints(fixture.db)).toEqual(before);
    await removeSubmissionFailure();

    expect((await browser.saveSection(1, { q_role: 'other', 'q_role.other': 'Cabinet office', q_attended: 'no' })).status).toBe(303);
    expect((await browser.submit()).status).toBe(303);
    expect(await fixture.submissions(invited.respondentId)).toHaveLength(1);
    expect(await state()).toMatchObject({ status: 'submitted', revision: 3, answers: { q_role: 'other', 'q_role.other': 'Cabinet office' } });
  });
});

describe(`simultaneous requests over real HTTP (${TEST_DATABASE_KIND})`, () => {
  let fixture: AppFixture;
  let invited: Invited;
  let served: Served;
  beforeEach(async () => {
    fixture = await createAppFixture();
    invited = await fixture.invite();
    served = await serveOnRandomPort(fixture.app);
  });
  afterEach(async () => {
    await served.close();
    await fixture.close();
  });

  const http = (method: string, path: string, body?: unknown) =>
    fetch(
      `${served.url}/api/r/${invited.token}${path}`,
      body === undefined ? { method } : { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) },
    );
  const state = async () => (await (await http('GET', '')).json()) as { answers: Answers; revision: number; status: string };
  /** A browser whose requests go over the network to the served app. */
  const remoteBrowser = () => new Browser(served.client as unknown as Hono<AppEnv>, { Accept: 'text/html' });

  it('stores one submission when ten API requests submit the same revision at once', async () => {
    expect((await http('PUT', '/answers', { answers: COMPLETE, revision: 0 })).status).toBe(200);
    const responses = await Promise.all(Array.from({ length: 10 }, () => http('POST', '/submit', { revision: 1 })));
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    const receipts = (await Promise.all(responses.map((r) => r.json()))) as { alreadySubmitted: boolean; submittedAt: string }[];
    expect(receipts.filter((r) => !r.alreadySubmitted)).toHaveLength(1);
    expect(new Set(receipts.map((r) => r.submittedAt)).size).toBe(1);
    expect(await fixture.submissions(invited.respondentId)).toHaveLength(1);
  });

  it('lets one of two API saves of the same revision win, from the very first save on', async () => {
    for (const base of [0, 1, 2]) {
      const candidates: Answers[] = [
        { q_role: 'ministry', q_staff: 10 + base },
        { q_role: 'mission', q_comment: `Tab B ${base}` },
      ];
      const responses = await Promise.all(candidates.map((answers) => http('PUT', '/answers', { answers, revision: base })));
      expect(responses.map((r) => r.status).sort()).toEqual([200, 409]);
      const winner = candidates[responses.findIndex((r) => r.status === 200)]!;
      expect(await state()).toMatchObject({ answers: winner, revision: base + 1 });
      expect((await fixture.answerRows(invited.respondentId)).map((r) => r.question_id).sort()).toEqual(Object.keys(winner).sort());
    }
  });

  it('stores one submission when ten form submissions arrive at once', async () => {
    const browser = remoteBrowser();
    await browser.openLink(invited.token);
    expect((await browser.saveSection(1, { q_role: 'ministry', q_attended: 'no' })).status).toBe(303);
    expect((await browser.saveSection(2, { 'q_ratings[relevant]': '3', 'q_ratings[efficient]': '1' })).status).toBe(303);
    // Ten tabs with the review page open, all pressing submit.
    const tabs = Array.from({ length: 10 }, () => remoteBrowser());
    await Promise.all(tabs.map((tab) => tab.openLink(invited.token)));
    const responses = await Promise.all(tabs.map((tab) => tab.submit()));
    expect(responses.map((r) => [r.status, r.headers.get('location')])).toEqual(Array(10).fill([303, '/form/receipt']));
    expect(await fixture.submissions(invited.respondentId)).toEqual([expect.objectContaining({ revision: 2 })]);
  });

  it('refuses the second of two form pages saved from the same revision, and keeps the first', async () => {
    const alice = remoteBrowser();
    const bruno = remoteBrowser();
    await alice.openLink(invited.token);
    await bruno.openLink(invited.token);
    for (let round = 0; round < 3; round++) {
      const [aliceHtml, brunoHtml] = await Promise.all([alice.page('/form/section/1'), bruno.page('/form/section/1')]).then((pages) =>
        pages.map((p) => p.html),
      );
      const aliceFields = { q_role: 'ministry', q_attended: 'no' };
      const brunoFields = { q_role: 'mission', q_attended: 'yes' };
      const [a, b] = await Promise.all([alice.postSection(1, aliceHtml!, aliceFields), bruno.postSection(1, brunoHtml!, brunoFields)]);
      expect([a!.status, b!.status].sort()).toEqual([303, 409]);
      const winner = a!.status === 303 ? aliceFields : brunoFields;
      expect(await state()).toMatchObject({ answers: winner, revision: round + 1 });
    }
  });
});
