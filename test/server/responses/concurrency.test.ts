/**
 * Simultaneous requests against the real database (PGlite, or PostgreSQL with TEST_DATABASE_URL):
 * a submission is stored once however often it is sent, and of two saves based on the same
 * revision one wins and the other is told, so that no acknowledged answer is ever lost.
 */
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Answers } from '../../../survey-definitions/answers.ts';
import { TEST_DATABASE_KIND } from '../../support/database.ts';
import { createAppFixture, type AppFixture, type Invited } from '../support/app-fixture.ts';
import { Browser } from '../support/browser.ts';

interface ApiState {
  answers: Answers;
  revision: number;
}

describe(`simultaneous saves and submissions (${TEST_DATABASE_KIND})`, () => {
  let fixture: AppFixture;
  let invited: Invited;
  beforeEach(async () => {
    fixture = await createAppFixture();
    invited = await fixture.invite();
  });
  afterEach(() => fixture.close());

  const request = (method: string, path: string, body?: unknown) =>
    fixture.app.request(
      `/api/r/${invited.token}${path}`,
      body === undefined ? { method } : { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) },
    );
  const load = async () => (await (await request('GET', '')).json()) as ApiState;
  const put = (answers: Answers, revision: number) => request('PUT', '/answers', { answers, revision });

  it('stores one submission when ten requests submit the same revision at once', async () => {
    expect((await put({ q_role: 'ministry', q_attended: 'no', q_ratings: { relevant: '1', efficient: '2' } }, 0)).status).toBe(200);
    const responses = await Promise.all(Array.from({ length: 10 }, () => request('POST', '/submit', { revision: 1 })));
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    const receipts = (await Promise.all(responses.map((r) => r.json()))) as { submittedAt: string; revision: number; alreadySubmitted: boolean }[];
    expect(receipts.filter((r) => !r.alreadySubmitted)).toHaveLength(1);
    expect(new Set(receipts.map((r) => `${r.revision}@${r.submittedAt}`))).toEqual(new Set(['1@2026-03-02T09:00:00.000Z']));
    expect(await fixture.submissions(invited.respondentId)).toHaveLength(1);
    const response = await fixture.db
      .selectFrom('response')
      .select(['status', 'submitted_revision'])
      .where('respondent_id', '=', invited.respondentId)
      .executeTakeFirstOrThrow();
    expect(response).toEqual({ status: 'submitted', submitted_revision: 1 });
  });

  it('lets one of two saves based on the same revision win and refuses the other', async () => {
    // Round 1 starts the response (no row yet); round 2 changes it.
    for (const base of [0, 1]) {
      const candidates: Answers[] = [
        { q_role: 'ministry', q_staff: 10 + base },
        { q_role: 'mission', q_comment: `Second ${base}` },
      ];
      const [a, b] = await Promise.all(candidates.map((answers) => put(answers, base)));
      expect([a!.status, b!.status].sort()).toEqual([200, 409]);
      const winner = a!.status === 200 ? candidates[0]! : candidates[1]!;
      const loser = a!.status === 200 ? b! : a!;
      expect(await loser.json()).toMatchObject({ error: { code: 'conflict', details: { currentRevision: base + 1 } } });
      expect(await load()).toEqual(expect.objectContaining({ answers: winner, revision: base + 1 }));
      const rows = await fixture.answerRows(invited.respondentId);
      expect(rows.map((r) => r.question_id).sort()).toEqual(Object.keys(winner).sort());
    }
  });

  it('loses no acknowledged answer over twenty rounds of two editors saving at once (API, retry on 409)', async () => {
    /** One editor's save of one question: read, change, write; on a conflict read again and retry. */
    async function edit(question: string, value: string | number): Promise<{ revision: number; attempts: number }> {
      for (let attempt = 1; attempt <= 20; attempt++) {
        const current = await load();
        const res = await put({ ...current.answers, [question]: value }, current.revision);
        if (res.status === 200) return { revision: ((await res.json()) as ApiState).revision, attempts: attempt };
        expect(res.status).toBe(409);
      }
      throw new Error(`${question} could not be saved in 20 attempts`);
    }

    const acknowledged: number[] = [];
    let conflicts = 0;
    for (let round = 1; round <= 20; round++) {
      const [staff, comment] = await Promise.all([edit('q_staff', round), edit('q_comment', `Round ${round}`)]);
      acknowledged.push(staff.revision, comment.revision);
      conflicts += staff.attempts + comment.attempts - 2;
      const { answers } = await load();
      expect(answers).toMatchObject({ q_staff: round, q_comment: `Round ${round}` });
    }
    // Every acknowledged save made its own revision, and each is kept.
    expect(new Set(acknowledged).size).toBe(40);
    const { n } = await fixture.db.selectFrom('response_revision').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    expect(n).toBe(40);
    expect(await fixture.answerRows(invited.respondentId)).toEqual([
      { question_id: 'q_comment', item: '', code: null, number: null, text: 'Round 20' },
      { question_id: 'q_staff', item: '', code: null, number: 20, text: null },
    ]);
    // Not an assertion on timing: just evidence in the log that the editors did collide.
    console.info(`${TEST_DATABASE_KIND}: ${conflicts} conflicts retried in 20 rounds`);
  });

  it('loses no acknowledged answer when two colleagues save different pages at once (form, retry on 409)', async () => {
    const alice = new Browser(fixture.app);
    const bruno = new Browser(fixture.app);
    await alice.openLink(invited.token);
    await bruno.openLink(invited.token);

    /** Saves a page; on a conflict the refused page carries the current revision and the entries, so post it again. */
    async function savePage(browser: Browser, section: number, fields: Record<string, string>) {
      let html = (await browser.page(`/form/section/${section}`)).html;
      for (let attempt = 1; attempt <= 20; attempt++) {
        const res = await browser.postSection(section, html, fields);
        if (res.status === 303) return;
        expect(res.status).toBe(409);
        html = await res.text();
      }
      throw new Error(`section ${section} could not be saved in 20 attempts`);
    }

    for (let round = 1; round <= 5; round++) {
      await Promise.all([
        savePage(alice, 1, { q_role: round % 2 ? 'ministry' : 'mission', q_attended: 'no' }),
        savePage(bruno, 2, { 'q_ratings[relevant]': String((round % 3) + 1), q_staff: String(round) }),
      ]);
      const rows = await fixture.answerRows(invited.respondentId);
      expect(rows.map((r) => [r.question_id, r.item, r.code ?? r.number])).toEqual([
        ['q_attended', '', 'no'],
        ['q_ratings', 'relevant', String((round % 3) + 1)],
        ['q_role', '', round % 2 ? 'ministry' : 'mission'],
        ['q_staff', '', round],
      ]);
    }
  });
});
