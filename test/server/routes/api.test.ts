/**
 * The JSON API that mirrors the form (`/api/r/:token`), and the health check.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../../server/app.ts';
import { TEST_DATABASE_KIND } from '../../support/database.ts';
import { createAppFixture, type AppFixture, type Invited } from '../support/app-fixture.ts';

const COMPLETE = {
  q_role: 'mission',
  q_attended: 'no',
  q_ratings: { relevant: '3', efficient: 'dk' },
  q_staff: 7,
  q_priorities: ['remittances'],
  q_host: 'sen',
};

describe(`the JSON API (${TEST_DATABASE_KIND})`, () => {
  let fixture: AppFixture;
  let invited: Invited;
  beforeEach(async () => {
    fixture = await createAppFixture();
    invited = await fixture.invite();
  });
  afterEach(() => fixture.close());

  const json = (method: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
    fixture.app.request(path, { method, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const put = (body: unknown, headers?: Record<string, string>) => json('PUT', `/api/r/${invited.token}/answers`, body, headers);
  const submit = (body: unknown = {}) => json('POST', `/api/r/${invited.token}/submit`, body);
  const state = async () => (await fixture.app.request(`/api/r/${invited.token}`)).json() as Promise<Record<string, unknown>>;

  it('returns the questionnaire, the answers, the revision and the status', async () => {
    const res = await fixture.app.request(`/api/r/${invited.token}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const { contentHash } = await fixture.db
      .selectFrom('survey_version')
      .select('content_hash as contentHash')
      .where('survey_id', '=', 'flow-gov')
      .executeTakeFirstOrThrow();
    const body = (await res.json()) as { definition: { sections: { id: string }[] }; respondent: unknown };
    expect(body).toMatchObject({
      survey: { id: 'flow-gov', version: '1', contentHash },
      answers: {},
      revision: 0,
      status: 'not_started',
      window: 'open',
      submittedAt: null,
    });
    expect(body.definition.sections.map((s: { id: string }) => s.id)).toEqual(['basics', 'views', 'future']);
    expect(body.respondent).toEqual({ name: 'Kenya', kind: 'government', country: 'KEN' });

    const saved = await put({ answers: COMPLETE, revision: 0 });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toEqual({ revision: 1, answers: { ...COMPLETE, q_host: 'SEN' } });
    expect(await state()).toMatchObject({ answers: { ...COMPLETE, q_host: 'SEN' }, revision: 1, status: 'in_progress' });
  });

  it('refuses a save based on an old revision with what changed since', async () => {
    expect((await put({ answers: { q_role: 'ministry', q_staff: 3 }, revision: 0 })).status).toBe(200);
    const stale = await put({ answers: { q_role: 'mission' }, revision: 0 });
    expect(stale.status).toBe(409);
    expect(await stale.json()).toEqual({
      error: {
        code: 'conflict',
        message: expect.any(String),
        details: {
          currentRevision: 1,
          changes: [
            { key: 'q_role', after: 'ministry' },
            { key: 'q_staff', after: 3 },
          ],
        },
      },
    });
    expect(await state()).toMatchObject({ answers: { q_role: 'ministry', q_staff: 3 }, revision: 1 });
  });

  it('lists invalid answers with a message in the requested language and stores nothing', async () => {
    const answers = { q_role: 'ambassador', q_staff: 501, q_comment: 'x'.repeat(41), q_nonsense: 'yes', q_attended: 'no' };
    const french = await put({ answers, revision: 0, language: 'fr' }, { 'Accept-Language': 'es' });
    expect(french.status).toBe(422);
    const body = (await french.json()) as { error: { code: string; details: { question: string; code: string; message: string }[] } };
    expect(body.error.code).toBe('validation');
    expect(body.error.details.map(({ question, code, message }) => ({ question, code, message }))).toEqual([
      { question: 'q_role', code: 'invalid_option', message: 'Veuillez choisir l’une des options proposées.' },
      { question: 'q_staff', code: 'above_max', message: 'Veuillez saisir un nombre inférieur ou égal à 500.' },
      { question: 'q_comment', code: 'too_long', message: 'Veuillez raccourcir cette réponse à 40 caractères.' },
      { question: 'q_nonsense', code: 'unknown_question', message: 'Ce questionnaire ne contient pas cette question.' },
    ]);

    // Without a language in the body, the one the client asks for.
    const spanish = await put({ answers: { q_staff: -1 }, revision: 0 }, { 'Accept-Language': 'es' });
    expect(((await spanish.json()) as typeof body).error.details).toEqual([
      { question: 'q_staff', code: 'below_min', message: 'Introduzca un número mayor o igual que 0.', params: { min: 0 } },
    ]);

    expect(await fixture.answerRows(invited.respondentId)).toEqual([]);
    expect(await state()).toMatchObject({ revision: 0, answers: {} });
  });

  it('refuses numbers that JSON cannot carry exactly, naming the question, and stores nothing', async () => {
    const raw = (text: string, language = 'en') =>
      fixture.app.request(`/api/r/${invited.token}/answers`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json', 'Accept-Language': language },
        body: text,
      });
    type Refusal = { error: { code: string; message: string; details: { question: string; code: string; message: string }[] } };

    // 2^53 + 1 reaches the server as 2^53: refused, not rounded.
    const rounded = await raw('{"answers": {"q_role": "mission", "q_staff": 9007199254740993}, "revision": 0}');
    expect(rounded.status).toBe(400);
    const body = (await rounded.json()) as Refusal;
    expect(body.error.code).toBe('bad_request');
    expect(body.error.message).toContain('q_staff');
    expect(body.error.details).toEqual([
      {
        question: 'q_staff',
        code: 'unsafe_number',
        message: 'This number is too large to be kept exactly (at most 9,007,199,254,740,991); please check it.',
        params: { limit: Number.MAX_SAFE_INTEGER },
      },
    ]);

    // 1.797e308 is beyond any range; the message is in the language asked for.
    const huge = await raw('{"answers": {"q_staff": 1.797e308}, "revision": 0}', 'es');
    expect(huge.status).toBe(400);
    expect(((await huge.json()) as Refusal).error.details.map((d) => [d.question, d.message])).toEqual([
      ['q_staff', 'Este número es demasiado grande para conservarse con exactitud (como máximo 9.007.199.254.740.991); revíselo.'],
    ]);
    expect(await fixture.answerRows(invited.respondentId)).toEqual([]);

    // Within exact range but beyond the question's max: the usual validation (422).
    expect((await raw('{"answers": {"q_staff": 1e15}, "revision": 0}')).status).toBe(422);
    // Text that conventions read differently is not guessed either.
    const ambiguous = await put({ answers: { q_staff: '12.000' }, revision: 0 });
    expect(ambiguous.status).toBe(422);
    expect(((await ambiguous.json()) as Refusal).error.details.map((d) => [d.code, d.message])).toEqual([
      ['ambiguous_number', '“12.000” could mean 12 or 12,000. Please confirm the number you mean.'],
    ]);
    // "1 500" is read as 1500 (beyond this question's 500); exponent notation is no number.
    expect((await put({ answers: { q_staff: '1 500' }, revision: 0 })).status).toBe(422);
    expect((await put({ answers: { q_staff: '1.5e2' }, revision: 0 })).status).toBe(422);
    expect(await fixture.answerRows(invited.respondentId)).toEqual([]);
    const ok = await put({ answers: { q_staff: '250' }, revision: 0 });
    expect(await ok.json()).toEqual({ revision: 1, answers: { q_staff: 250 } });
  });

  it('refuses a body that is not UTF-8 with 415, and stores nothing', async () => {
    const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));
    const send = (body: Buffer) =>
      fixture.app.request(`/api/r/${invited.token}/answers`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: new Uint8Array(body) });
    // "Café" in Latin-1 (0xE9), a lone continuation byte, and an overlong encoding of "/".
    for (const bad of [[0xe9], [0x80], [0xc0, 0xaf]]) {
      const res = await send(bytes('{"answers": {"q_comment": "Caf', bad, '"}, "revision": 0}'));
      expect(res.status).toBe(415);
      expect(await res.json()).toEqual({ error: { code: 'unsupported_media_type', message: 'The body is not valid UTF-8; send JSON encoded as UTF-8.' } });
    }
    expect(await fixture.answerRows(invited.respondentId)).toEqual([]);
    const good = await send(bytes('{"answers": {"q_comment": "Café 🌍"}, "revision": 0}'));
    expect(await good.json()).toEqual({ revision: 1, answers: { q_comment: 'Café 🌍' } });
  });

  it('answers a matrix cell nested 10,000 arrays deep with the usual validation error naming the question', async () => {
    const deepCell = `${'['.repeat(10_000)}"1"${']'.repeat(10_000)}`;
    const res = await fixture.app.request(`/api/r/${invited.token}/answers`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: `{"answers": {"q_role": "mission", "q_ratings": {"relevant": ${deepCell}}}, "revision": 0}`,
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({
      error: {
        code: 'validation',
        message: expect.any(String),
        details: [{ question: 'q_ratings', code: 'invalid_type', message: 'This answer is not in the expected form.', params: { expected: 'rows' } }],
      },
    });
    expect(await fixture.answerRows(invited.respondentId)).toEqual([]);
    // Deep nesting anywhere else in the body is just the wrong shape.
    const deepRevision = await fixture.app.request(`/api/r/${invited.token}/answers`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: `{"answers": {}, "revision": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
    });
    expect(deepRevision.status).toBe(400);
    expect(await deepRevision.json()).toMatchObject({ error: { code: 'bad_request', details: [{ path: 'revision' }] } });
  });

  it('accepts only JSON bodies of a sensible size', async () => {
    const asText = await fixture.app.request(`/api/r/${invited.token}/answers`, {
      method: 'PUT',
      headers: { 'Content-Type': 'text/plain' },
      body: JSON.stringify({ answers: {}, revision: 0 }),
    });
    expect(asText.status).toBe(415);
    expect(await asText.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });

    const malformed = await fixture.app.request(`/api/r/${invited.token}/answers`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: '{"answers": {',
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { code: 'bad_request' } });

    const wrongShape = await put({ answers: [], revision: 'latest' });
    expect(wrongShape.status).toBe(400);

    const huge = JSON.stringify({ answers: { q_comment: 'x'.repeat(MAX_BODY_BYTES) }, revision: 0 });
    // With a Content-Length (the usual case) and streamed without one.
    const declared = await fixture.app.request(`/api/r/${invited.token}/answers`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', 'Content-Length': String(huge.length) },
      body: huge,
    });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({ error: { code: 'payload_too_large' } });
    const streamed = await fixture.app.request(`/api/r/${invited.token}/answers`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: new Blob([huge]).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);

    expect(await state()).toMatchObject({ revision: 0 });
  });

  it('refuses to submit with required questions missing, and lists them', async () => {
    expect((await put({ answers: { q_attended: 'yes', q_staff: 4 }, revision: 0 })).status).toBe(200);
    const res = await submit({ revision: 1 });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { details: { question: string; code: string; message: string }[] } };
    expect(body.error.details.map((p) => [p.question, p.code])).toEqual([
      ['q_role', 'required'],
      ['q_meetings', 'required'],
      ['q_ratings', 'required'],
    ]);
    expect(body.error.details[0]!.message).toBe('This question requires an answer.');
    expect(await fixture.submissions(invited.respondentId)).toEqual([]);
  });

  it('submits once: a second submission of the same revision returns the first receipt', async () => {
    expect((await put({ answers: COMPLETE, revision: 0 })).status).toBe(200);
    const first = await submit({ revision: 1 });
    expect(first.status).toBe(200);
    const receipt = (await first.json()) as { submittedAt: string; alreadySubmitted: boolean };
    expect(receipt).toEqual({ status: 'submitted', revision: 1, submittedAt: '2026-03-02T09:00:00.000Z', alreadySubmitted: false });

    fixture.setClock('2026-03-02T09:05:00Z');
    const second = await submit({ revision: 1 });
    expect(second.status).toBe(200);
    expect(await second.json()).toEqual({ ...receipt, alreadySubmitted: true });
    const withoutRevision = await submit();
    expect(await withoutRevision.json()).toEqual({ ...receipt, alreadySubmitted: true });
    expect(await fixture.submissions(invited.respondentId)).toHaveLength(1);
    expect(await state()).toMatchObject({ status: 'submitted', submittedRevision: 1, submittedAt: '2026-03-02T09:00:00.000Z' });

    const stale = await submit({ revision: 0 });
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ error: { code: 'conflict', details: { currentRevision: 1 } } });
  });

  it('answers 404 in JSON for an unknown or revoked token', async () => {
    const res = await fixture.app.request('/api/r/not-a-token');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'invalid_link' } });
    const put404 = await json('PUT', '/api/r/not-a-token/answers', { answers: {}, revision: 0 });
    expect(put404.status).toBe(404);
  });

  it('reports its health and the kind of database', async () => {
    const res = await fixture.app.request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', database: TEST_DATABASE_KIND });
  });
});
