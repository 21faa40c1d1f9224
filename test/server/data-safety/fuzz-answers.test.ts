/**
 * Random and malformed requests to the respondent's write paths (the JSON API's save and submit,
 * and the no-JavaScript form's page posts), against a real database (PGlite, or PostgreSQL with
 * TEST_DATABASE_URL). Whatever arrives:
 *   - the server never answers 5xx;
 *   - every API refusal is the JSON envelope `{ error: { code, message, details? } }` with the
 *     status its code stands for;
 *   - a refused request changes nothing in any table (md5 over every row of every table: no
 *     column is left out, because none of these routes writes when it reads);
 *   - an accepted save or submission is read back exactly as it was acknowledged.
 *
 * The runs are seeded (FUZZ_SEED, default below); fast-check prints the seed and the shrunk
 * request on failure, so a failure can be replayed with `FUZZ_SEED=<seed>`.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../../server/app.ts';
import { ERROR_STATUS } from '../../../server/errors.ts';
import { answerRows } from '../../../server/db/answer-rows.ts';
import type { Answers } from '../../../survey-definitions/answers.ts';
import { countryChoices } from '../../../survey-definitions/countries.ts';
import type { SurveyDefinition } from '../../../survey-definitions/types.ts';
import { TEST_DATABASE_KIND } from '../../support/database.ts';
import { AFTER_CLOSING, createAppFixture, WHILE_OPEN, type AppFixture, type Invited } from '../support/app-fixture.ts';
import { Browser, encodeForm } from '../support/browser.ts';
import { formState } from '../support/html.ts';
import { tableFingerprints } from './database-state.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20_101_110);
/** Cases per property: about 2,000 requests in all (submission cases may save first). */
const RUNS = { structuredSaves: 400, submissions: 120, rawBodies: 250, bodySizes: 30, formPosts: 300 };

// ---------------------------------------------------------------------------------------------
// Generators. Values are generated as JSON text, so that keys such as `__proto__`, duplicate keys,
// deep nesting and numbers JavaScript cannot write (1e400) reach the server as a client sends them.

const QUESTIONS = ['q_role', 'q_attended', 'q_meetings', 'q_ratings', 'q_staff', 'q_comment', 'q_priorities', 'q_host', 'q_meeting_lesson'];
const json = (value: unknown) => JSON.stringify(value);
const shortText = fc.string({ maxLength: 40, unit: 'grapheme' });

/** One answer a respondent could give, as `[key, JSON]`. */
const validEntry: fc.Arbitrary<[string, string]> = fc.oneof(
  fc.constantFrom('ministry', 'mission', 'other').map((v) => ['q_role', json(v)] as [string, string]),
  shortText.map((v) => ['q_role.other', json(v)] as [string, string]),
  fc.constantFrom('yes', 'no').map((v) => ['q_attended', json(v)] as [string, string]),
  fc.oneof(fc.subarray(['m2008', 'm2009', 'm2010']), fc.constant(['none_listed'])).map((v) => ['q_meetings', json(v)] as [string, string]),
  fc.dictionary(fc.constantFrom('relevant', 'efficient'), fc.constantFrom('1', '2', '3', 'dk')).map((v) => ['q_ratings', json(v)] as [string, string]),
  fc
    .oneof(
      fc.integer({ min: 0, max: 500 }).map(json),
      fc.integer({ min: 0, max: 500 }).map((n) => json(` ${n} `)),
    )
    .map((v) => ['q_staff', v] as [string, string]),
  shortText.map((v) => ['q_comment', json(v)] as [string, string]),
  fc.shuffledSubarray(['labour', 'remittances', 'diaspora'], { maxLength: 2 }).map((v) => ['q_priorities', json(v)] as [string, string]),
  fc.constantFrom('SEN', 'ken', ' fra ', 'USA').map((v) => ['q_host', json(v)] as [string, string]),
  fc.string({ maxLength: 200 }).map((v) => ['q_meeting_lesson', json(v)] as [string, string]),
);

/** Text that breaks naive storage: NUL, lone surrogates, bidi marks, combining marks, emoji. */
const nastyText = fc.constantFrom(
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udc00y',
  '\u202eevil',
  'e\u0301\u0301\u0301',
  '👩‍👩‍👧‍👦',
  '\ufeff',
  '\\u0000',
  "'; drop table answer; --",
  '<script>alert(1)</script>',
  '\r\n\r\n',
);
const nanLike = fc.constantFrom(
  'NaN',
  'Infinity',
  '-Infinity',
  '-0',
  '1e309',
  '0x1F',
  '１２',
  '12,5',
  '1 000',
  '1\u00a0000',
  '٣',
  'undefined',
  'null',
  'true',
  '',
  '   ',
);

/** JSON text for a value of any shape: wrong types, huge, deep, prototype keys, unicode. */
const wildValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }).map(json) },
  { weight: 2, arbitrary: fc.oneof(nanLike, nastyText, fc.string({ unit: 'binary', maxLength: 30 })).map(json) },
  { weight: 2, arbitrary: fc.constantFrom('null', 'true', '0', '-1', '1.5', '501', '1e400', '-0', '9007199254740993', '[]', '{}', '[null]', '[[]]') },
  { weight: 2, arbitrary: fc.array(fc.oneof(fc.constantFrom('ministry', 'm2008', 'labour', 'none_listed', 'yes'), fc.string()), { maxLength: 5 }).map(json) },
  {
    weight: 2,
    arbitrary: fc
      .dictionary(
        fc.constantFrom('relevant', 'efficient', 'bogus', '__proto__', 'constructor', ''),
        fc.oneof(fc.constantFrom('1', 'dk', '9'), fc.jsonValue({ maxDepth: 1 })),
      )
      .map(json),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '{"__proto__":{"polluted":true}}',
      '{"constructor":{"prototype":{"polluted":true}}}',
      '{"relevant":"1","__proto__":"2"}',
      '{"relevant":"1","relevant":"9"}',
    ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 41, max: 120_000 }).map((n) => json('x'.repeat(n))) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 4_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 2_000 }).map((depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`) },
);

const oddKey = fc.oneof(
  fc.constantFrom(
    'q_role.other',
    'q_staff.other',
    'q_role.other.x',
    'q_ratings.relevant',
    'q_unknown',
    'Q_ROLE',
    'q_role ',
    '',
    ' ',
    '.',
    'q_role.',
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'hasOwnProperty',
    'valueOf',
  ),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
);

/** `[key, JSON]` entries of an `answers` object: mostly plausible, some wrong in every way. */
const answerEntries = fc.array(
  fc.oneof(
    { weight: 6, arbitrary: validEntry },
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...QUESTIONS), wildValue) },
    { weight: 1, arbitrary: fc.tuple(oddKey, wildValue) },
  ),
  { maxLength: 8 },
);
const objectText = (entries: [string, string][]) => `{${entries.map(([k, v]) => `${json(k)}:${v}`).join(',')}}`;

/** The revision a request claims: usually the current one, else one of many wrong ones. */
type RevisionClaim = 'current' | 'stale' | 'ahead' | 'absent' | { literal: string };
const revisionClaim: fc.Arbitrary<RevisionClaim> = fc.oneof(
  { weight: 8, arbitrary: fc.constant('current' as const) },
  { weight: 1, arbitrary: fc.constantFrom('stale' as const, 'ahead' as const, 'absent' as const) },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom('-1', '0.5', '1.5', '-0', '1e308', '1e400', '2147483648', '9007199254740993', '"1"', '"0"', 'null', 'true', '[]', '{}', '[0]')
      .map((literal) => ({ literal })),
  },
);
function revisionText(claim: RevisionClaim, current: number): string | undefined {
  if (claim === 'current') return String(current);
  if (claim === 'stale') return String(current > 0 ? current - 1 : current + 1);
  if (claim === 'ahead') return String(current + 1);
  if (claim === 'absent') return undefined;
  return claim.literal;
}

const clock = fc.constantFrom('open', 'open', 'open', 'open', 'open', 'open', 'closed');
/** Which respondent: one with answers already, or one whose response has never been saved. */
const who = fc.constantFrom('started', 'started', 'started', 'fresh');

// ---------------------------------------------------------------------------------------------

interface ApiState {
  definition: SurveyDefinition;
  answers: Answers;
  revision: number;
  status: string;
  submittedRevision: number | null;
}

/** A form post as a browser (or something pretending to be one) would send it. */
function formRequest(form: Record<string, string | string[]>, how: string, csrf: string): RequestInit {
  const init = (body: BodyInit, type?: string): RequestInit => ({
    method: 'POST',
    body,
    headers: { Accept: 'text/html', ...(type ? { 'Content-Type': type } : {}) },
  });
  switch (how) {
    case 'urlencoded':
      return init(encodeForm(form).toString(), 'application/x-www-form-urlencoded');
    case 'multipart': {
      const data = new FormData();
      for (const [name, value] of Object.entries(form)) for (const v of Array.isArray(value) ? value : [value]) data.append(name, v);
      return init(data);
    }
    case 'text/plain':
      return init(encodeForm(form).toString(), 'text/plain');
    case 'json':
      return init(JSON.stringify(form), 'application/json');
    default:
      // A multipart body cut off before its closing boundary.
      return init(`--x\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n--x`, 'multipart/form-data; boundary=x');
  }
}

const sortRows = <T extends { question_id: string; item: string; code: string | null }>(rows: T[]) =>
  [...rows].sort((a, b) => `${a.question_id}\u0000${a.item}\u0000${a.code}`.localeCompare(`${b.question_id}\u0000${b.item}\u0000${b.code}`));

describe(`fuzzing the answer and submit endpoints (${TEST_DATABASE_KIND}, seed ${SEED})`, () => {
  let fixture: AppFixture;
  let started: Invited;
  let fresh: Invited;
  const spareCountries = countryChoices('un_members')
    .map((c) => c.code)
    .filter((code) => code !== 'KEN');
  let requests = 0;
  /** The revision of each respondent as last acknowledged, so that no request is needed to learn it. */
  const revisions = new Map<number, number>();
  const revisionOf = (invited: Invited) => revisions.get(invited.respondentId) ?? 0;

  beforeAll(async () => {
    fixture = await createAppFixture({ tokenRateLimit: 1_000_000 });
    started = await fixture.invite();
    fresh = await nextFresh();
    const first = await api(started, 'PUT', '/answers', { body: json({ answers: { q_role: 'ministry', q_attended: 'no' }, revision: 0 }) });
    expect(first.status).toBe(200);
    revisions.set(started.respondentId, 1);
  });
  afterAll(async () => {
    console.info(`${TEST_DATABASE_KIND}: ${requests} fuzzed requests (seed ${SEED})`);
    await fixture?.close();
  });

  async function nextFresh(): Promise<Invited> {
    const country = spareCountries.shift();
    if (!country) throw new Error('no country left to invite a fresh respondent');
    return fixture.invite({ name: `Fresh ${country}`, country });
  }

  function api(
    invited: Invited,
    method: string,
    path: string,
    options: { body?: string | ReadableStream; contentType?: string | null; headers?: Record<string, string> } = {},
  ) {
    requests++;
    const headers: Record<string, string> = { ...options.headers };
    if (options.contentType !== null) headers['Content-Type'] = options.contentType ?? 'application/json';
    const init: RequestInit & { duplex?: 'half' } = { method, headers };
    if (options.body !== undefined) init.body = options.body;
    if (options.body instanceof ReadableStream) init.duplex = 'half';
    return fixture.app.request(`/api/r/${invited.token}${path}`, init);
  }

  async function state(invited: Invited): Promise<ApiState> {
    const res = await fixture.app.request(`/api/r/${invited.token}`);
    expect(res.status).toBe(200);
    return (await res.json()) as ApiState;
  }

  /** Sends one API request and checks every property; returns the status. */
  async function checkApiRequest(
    invited: Invited,
    path: '/answers' | '/submit',
    body: string | ReadableStream,
    options: { contentType?: string | null; headers?: Record<string, string> } = {},
  ): Promise<number> {
    const before = await tableFingerprints(fixture.db);
    const res = await api(invited, path === '/answers' ? 'PUT' : 'POST', path, { body, ...options });
    const text = await res.text();
    expect(res.status, text.slice(0, 300)).toBeLessThan(500);
    expect(({} as Record<string, unknown>)['polluted'], 'Object.prototype was polluted').toBeUndefined();
    if (res.status >= 400) {
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      const parsed = JSON.parse(text) as { error: { code: keyof typeof ERROR_STATUS; message: string; details?: unknown } };
      expect(Object.keys(parsed)).toEqual(['error']);
      expect(parsed.error).toEqual({
        code: expect.any(String),
        message: expect.any(String),
        ...('details' in parsed.error ? { details: parsed.error.details } : {}),
      });
      expect(ERROR_STATUS[parsed.error.code], `code ${parsed.error.code}`).toBe(res.status);
      expect(await tableFingerprints(fixture.db), `a ${res.status} (${parsed.error.code}) changed the database`).toEqual(before);
      return res.status;
    }
    expect(res.status).toBe(200);
    const now = await state(invited);
    revisions.set(invited.respondentId, now.revision);
    if (path === '/answers') {
      const saved = JSON.parse(text) as { revision: number; answers: Answers };
      expect(now.revision).toBe(saved.revision);
      expect(now.answers).toEqual(saved.answers);
      const rows = await fixture.answerRows(invited.respondentId);
      expect(sortRows(rows)).toEqual(sortRows(answerRows(now.definition, saved.answers)));
    } else {
      const receipt = JSON.parse(text) as { status: string; revision: number; submittedAt: string; alreadySubmitted: boolean };
      expect(receipt.status).toBe('submitted');
      expect(now).toMatchObject({ status: 'submitted', submittedRevision: receipt.revision, revision: receipt.revision });
      const submissions = await fixture.submissions(invited.respondentId);
      expect(submissions.filter((s) => s.revision === receipt.revision).map((s) => s.submitted_at.toISOString())).toEqual([receipt.submittedAt]);
      if (receipt.alreadySubmitted) expect(await tableFingerprints(fixture.db)).toEqual(before);
    }
    return res.status;
  }

  /** The respondent a case is about; a fresh one is replaced once it has saved something. */
  async function respondentFor(kind: 'started' | 'fresh'): Promise<Invited> {
    if (kind === 'started') return started;
    if (revisionOf(fresh) > 0) fresh = await nextFresh();
    return fresh;
  }

  const fcOptions = (numRuns: number) => ({ seed: SEED, numRuns });

  it('answers saves with wrong types, unknown questions and wrong revisions without a 5xx or a stray write', { timeout: 400_000 }, async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        who,
        clock,
        answerEntries,
        revisionClaim,
        fc.option(fc.oneof(fc.constantFrom('en', 'fr', 'es'), fc.constantFrom('de', 'EN', '', 'fr-FR', '__proto__')), { nil: undefined }),
        async (whom, window, entries, claim, language) => {
          fixture.setClock(window === 'open' ? WHILE_OPEN : AFTER_CLOSING);
          const invited = await respondentFor(whom);
          const revision = revisionText(claim, revisionOf(invited));
          const fields = [
            `"answers":${objectText(entries)}`,
            ...(revision === undefined ? [] : [`"revision":${revision}`]),
            ...(language === undefined ? [] : [`"language":${json(language)}`]),
          ];
          const status = await checkApiRequest(invited, '/answers', `{${fields.join(',')}}`);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        },
      ),
      fcOptions(RUNS.structuredSaves),
    );
    fixture.setClock(WHILE_OPEN);
    // The generators must reach both outcomes, or the properties prove little.
    expect(statuses.get(200)).toBeGreaterThan(RUNS.structuredSaves / 20);
    expect(statuses.get(422)).toBeGreaterThan(RUNS.structuredSaves / 10);
    expect(statuses.get(409)).toBeGreaterThan(0);
    expect(statuses.get(400)).toBeGreaterThan(0);
    console.info(`saves: ${json(Object.fromEntries(statuses))}`);
  });

  it('answers submissions with any revision and any answers stored without a 5xx or a stray write', { timeout: 400_000 }, async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        who,
        clock,
        fc.option(fc.tuple(fc.boolean(), fc.array(validEntry, { minLength: 1, maxLength: 9 })), { nil: undefined }),
        revisionClaim,
        async (whom, window, saveFirst, claim) => {
          const invited = await respondentFor(whom);
          // Sometimes first store answers (complete or not) so that a submission can succeed.
          if (saveFirst && whom === 'started') {
            const [complete, entries] = saveFirst;
            fixture.setClock(WHILE_OPEN);
            const required: [string, string][] = complete
              ? [
                  ['q_role', '"ministry"'],
                  ['q_attended', '"no"'],
                  ['q_ratings', '{"relevant":"1","efficient":"dk"}'],
                ]
              : [];
            await checkApiRequest(invited, '/answers', `{"answers":${objectText([...required, ...entries])},"revision":${revisionOf(invited)}}`);
          }
          fixture.setClock(window === 'open' ? WHILE_OPEN : AFTER_CLOSING);
          const revision = revisionText(claim, revisionOf(invited));
          const status = await checkApiRequest(invited, '/submit', revision === undefined ? '{}' : `{"revision":${revision}}`);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        },
      ),
      fcOptions(RUNS.submissions),
    );
    fixture.setClock(WHILE_OPEN);
    expect(statuses.get(200)).toBeGreaterThan(0);
    expect(statuses.get(422)).toBeGreaterThan(0);
    expect(statuses.get(409)).toBeGreaterThan(0);
    console.info(`submissions: ${json(Object.fromEntries(statuses))}`);
  });

  it('answers random JSON, invalid JSON and wrong content types with a JSON error and no write', { timeout: 400_000 }, async () => {
    const truncated = fc.tuple(answerEntries, fc.nat()).map(([entries, cut]) => {
      const text = `{"answers":${objectText(entries)},"revision":1}`;
      return text.slice(0, cut % text.length);
    });
    const invalidJson = fc.oneof(
      truncated,
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.constantFrom(
        '',
        ' ',
        'null',
        '[]',
        '"answers"',
        '{"answers":{},"revision":1}}',
        '\ufeff{"answers":{},"revision":1}',
        "{'answers':{},'revision':1}",
        '{"answers":{},"revision":01}',
        '{"answers":{},"revision":NaN}',
        '{"answers":{},"revision":Infinity}',
        '{"answers":{"q_role":"ministry",},"revision":1}',
      ),
    );
    const body = fc.oneof(fc.jsonValue({ maxDepth: 4 }).map(json), invalidJson, fc.constant('{"answers":{"q_role":"mission"},"revision":1}'));
    const contentType = fc.oneof(
      { weight: 4, arbitrary: fc.constant('application/json') },
      {
        weight: 2,
        arbitrary: fc.constantFrom('application/json; charset=utf-8', 'APPLICATION/JSON', 'application/json;charset=latin1', 'Application/Json ; q=1'),
      },
      {
        weight: 2,
        arbitrary: fc.constantFrom(
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/jsonp',
          'application/json-patch+json',
          'application/vnd.api+json',
          'text/json',
          '*/*',
          '',
        ),
      },
      { weight: 1, arbitrary: fc.constant(null) },
    );
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom<'/answers' | '/submit'>('/answers', '/submit'), body, contentType, async (path, text, type) => {
        fixture.setClock(WHILE_OPEN);
        const status = await checkApiRequest(started, path, text, { contentType: type });
        if (type === null || !/^application\/json\s*(;|$)/i.test(type)) expect(status).toBe(415);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }),
      fcOptions(RUNS.rawBodies),
    );
    expect(statuses.get(400)).toBeGreaterThan(RUNS.rawBodies / 10);
    expect(statuses.get(415)).toBeGreaterThan(RUNS.rawBodies / 10);
    console.info(`raw bodies: ${json(Object.fromEntries(statuses))}`);
  });

  it(`accepts a body up to ${MAX_BODY_BYTES} bytes and refuses a larger one with 413, declared or streamed`, { timeout: 400_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.integer({ min: -4, max: 4 }), fc.integer({ min: -5_000, max: 5_000 })),
        fc.boolean(),
        fc.constantFrom(' ', '\n', 'é'),
        async (offset, streamed, filler) => {
          fixture.setClock(WHILE_OPEN);
          // Padding as white space is valid JSON; padding as a multi-byte letter sits in a string
          // the size of which is counted in bytes, not characters.
          const head =
            filler === 'é'
              ? `{"answers":{"q_role":"mission"},"revision":${revisionOf(started)},"pad":"`
              : `{"answers":{"q_role":"mission"},"revision":${revisionOf(started)}}`;
          const tail = filler === 'é' ? '"}' : '';
          const room = MAX_BODY_BYTES + offset - Buffer.byteLength(head + tail);
          const text =
            head + filler.repeat(Math.max(0, Math.floor(room / Buffer.byteLength(filler)))) + ' '.repeat(Math.max(0, room % Buffer.byteLength(filler))) + tail;
          const bytes = Buffer.byteLength(text);
          const body = streamed ? new Blob([text]).stream() : text;
          const status = await checkApiRequest(started, '/answers', body, { headers: streamed ? {} : { 'Content-Length': String(bytes) } });
          if (bytes > MAX_BODY_BYTES) expect(status).toBe(413);
          else expect(status).toBe(200);
        },
      ),
      fcOptions(RUNS.bodySizes),
    );
  });

  it('answers the no-JavaScript form posts with random fields without a 5xx or a stray write', { timeout: 400_000 }, async () => {
    fixture.setClock(WHILE_OPEN);
    const invited = await nextFresh();
    const browser = new Browser(fixture.app);
    await browser.openLink(invited.token);
    const { csrf } = formState((await browser.page('/form/section/1')).html);

    const knownField = fc.constantFrom(
      'q_role',
      'q_role.other',
      'q_attended',
      'q_meetings',
      'q_ratings[relevant]',
      'q_ratings[efficient]',
      'q_ratings[bogus]',
      'q_staff',
      'q_comment',
      'q_priorities[labour]',
      'q_priorities[remittances]',
      'q_priorities[diaspora]',
      'q_host',
      'q_meeting_lesson',
      '_action',
      '_revision',
      '_csrf',
    );
    const fieldValue = fc.oneof(
      fc.constantFrom(
        'ministry',
        'mission',
        'other',
        'yes',
        'no',
        'm2008',
        'm2009',
        'none_listed',
        '1',
        '2',
        '3',
        'dk',
        '9',
        '0',
        '-1',
        '500',
        '501',
        '12,5',
        'SEN',
        'xx',
        'next',
        'previous',
        'later',
      ),
      nanLike,
      nastyText,
      fc.string({ unit: 'grapheme', maxLength: 50 }),
      fc.integer({ min: 41, max: 60_000 }).map((n) => 'y'.repeat(n)),
    );
    const fields = fc.array(
      fc.tuple(
        fc.oneof({ weight: 5, arbitrary: knownField }, { weight: 1, arbitrary: oddKey }),
        fc.oneof(fieldValue, fc.array(fieldValue, { minLength: 2, maxLength: 3 })),
      ),
      { maxLength: 8 },
    );
    const csrfClaim = fc.constantFrom('valid', 'valid', 'valid', 'valid', 'valid', 'wrong', 'absent', 'twice');
    const target = fc.oneof(
      {
        weight: 6,
        arbitrary: fc.constantFrom(
          '/form/section/1',
          '/form/section/2',
          '/form/section/3',
          '/form/section/1/autosave',
          '/form/section/2/autosave',
          '/form/submit',
        ),
      },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          '/form/section/0',
          '/form/section/4',
          '/form/section/abc',
          '/form/section/1.5',
          '/form/section/-1',
          '/form/section/%00',
          '/form/section/1e0',
        ),
      },
    );
    const encoding = fc.constantFrom(
      'urlencoded',
      'urlencoded',
      'urlencoded',
      'urlencoded',
      'multipart',
      'multipart',
      'text/plain',
      'broken-multipart',
      'json',
    );
    const statuses = new Map<number, number>();
    // The state as last read back; a refused post leaves it as it was.
    let current = await state(invited);

    await fc.assert(
      fc.asyncProperty(target, fields, csrfClaim, revisionClaim, encoding, async (path, posted, csrfUse, claim, how) => {
        const all: [string, string | string[]][] = [];
        if (csrfUse !== 'absent') all.push(['_csrf', csrfUse === 'valid' ? csrf : csrfUse === 'twice' ? [csrf, csrf] : 'not-the-token']);
        const revision = revisionText(claim, current.revision);
        if (revision !== undefined) all.push(['_revision', revision.replace(/^"|"$/g, '')]);
        all.push(...posted);
        const form: Record<string, string | string[]> = {};
        for (const [name, value] of all) Object.defineProperty(form, name, { value, enumerable: true, writable: true, configurable: true });

        const before = await tableFingerprints(fixture.db);
        requests++;
        const res = await browser.request(path, formRequest(form, how, csrf));
        const text = await res.text();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect(res.status, text.slice(0, 300)).toBeLessThan(500);
        if (res.status >= 400) {
          expect(await tableFingerprints(fixture.db), `a ${res.status} on ${path} changed the database`).toEqual(before);
          return;
        }
        const previous = current;
        const now = await state(invited);
        current = now;
        if (path === '/form/submit') {
          expect(res.status).toBe(303);
          expect(now).toMatchObject({ status: 'submitted', submittedRevision: previous.revision });
          return;
        }
        // A page saved: one new revision, and the answers to other pages are untouched.
        expect(now.revision).toBe(previous.revision + 1);
        if (path.endsWith('/autosave')) expect(JSON.parse(text)).toMatchObject({ saved: true, revision: now.revision });
        else expect(res.status).toBe(303);
        const section = now.definition.sections[Number(path.split('/')[3]) - 1]!;
        const onPage = new Set(section.questions.map((q) => q.id));
        const elsewhere = (answers: Answers) => Object.fromEntries(Object.entries(answers).filter(([key]) => !onPage.has(key.split('.')[0]!)));
        const expected = elsewhere(previous.answers);
        // The one answer on another page that skip logic ties to this page's answers.
        if (now.answers['q_attended'] !== 'yes') delete expected['q_meeting_lesson'];
        expect(elsewhere(now.answers)).toEqual(expected);
      }),
      fcOptions(RUNS.formPosts),
    );
    expect(statuses.get(303)).toBeGreaterThan(RUNS.formPosts / 50);
    expect(statuses.get(403)).toBeGreaterThan(0);
    expect(statuses.get(422)).toBeGreaterThan(0);
    console.info(`form posts: ${json(Object.fromEntries(statuses))}`);
  });
});
