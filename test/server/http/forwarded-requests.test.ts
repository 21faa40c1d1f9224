/**
 * What crosses into an analysis worker and back is the request and the answer as plain data
 * (http/analysis-workers.ts). Every analytical page and file answered that way must be the page
 * the main thread would have answered: same status, headers and bytes. Checked here on the same
 * app and data, through the same conversion the worker threads use, on both databases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerForwarded, forwardedRequest, responseFromForwarded } from '../../../server/http/analysis-workers.ts';
import { ANALYSIS_NOW, ANALYSIS_SURVEYS, seedComparisonData } from '../support/analysis-data.ts';
import { createAppFixture, type AppFixture } from '../support/app-fixture.ts';
import { TeamMember } from '../support/team-session.ts';

const PAGES = [
  '/admin/dashboard?survey=analysis-gov&status=all',
  '/admin/dashboard?survey=analysis-cs&lang=fr',
  '/admin/dashboard/analysis-gov/g_support.csv',
  '/admin/comparisons?survey=analysis-gov&by=region',
  '/admin/report?survey=analysis-gov',
  '/admin/tracker?survey=analysis-gov',
  '/admin/free-text?survey=analysis-gov',
  '/api/surveys/analysis-gov/analysis?status=all',
  '/api/surveys/analysis-gov/comparisons?by=kind',
  '/api/comparisons/shared?a=analysis-gov&b=analysis-cs',
  '/admin/dashboard?survey=no-such-survey',
];

describe('an analytical request answered through its plain-data form', () => {
  let fixture: AppFixture;
  let cookie: string;
  beforeAll(async () => {
    fixture = await createAppFixture({ folder: ANALYSIS_SURVEYS, now: ANALYSIS_NOW.toISOString() });
    await seedComparisonData(fixture.db);
    const analyst = await TeamMember.signIn(fixture, 'analyst', { now: ANALYSIS_NOW });
    cookie = analyst.cookie;
  });
  afterAll(() => fixture.close());

  const ask = (path: string) => new Request(`http://localhost${path}`, { headers: { cookie, 'accept-language': 'en' } });
  /** Status, headers (Date aside) and body bytes: what the analyst's browser receives. */
  const seen = async (response: Response) => ({
    status: response.status,
    headers: [...response.headers].filter(([name]) => name !== 'date'),
    setCookies: response.headers.getSetCookie(),
    body: Buffer.from(await response.arrayBuffer()).toString('base64'),
  });

  for (const path of PAGES) {
    it(`answers ${path} byte for byte as the main thread does`, async () => {
      const direct = await seen(await fixture.app.request(ask(path)));
      const forwarded = await seen(responseFromForwarded(await answerForwarded(fixture.app.fetch, await forwardedRequest(ask(path)))));
      expect(forwarded).toEqual(direct);
      expect(direct.body.length).toBeGreaterThan(100);
    });
  }

  it('carries a form’s body, and several Set-Cookie headers apart', async () => {
    const form = new Request('http://localhost/echo', {
      method: 'POST',
      body: new URLSearchParams({ name: 'Stocktake, März', _csrf: 'x' }),
      headers: { cookie },
    });
    const answer = await answerForwarded(
      async (request) => {
        const headers = new Headers({ 'content-type': 'text/plain' });
        headers.append('set-cookie', 'a=1');
        headers.append('set-cookie', 'b=2');
        return new Response(`${request.method} ${request.headers.get('content-type')} ${await request.text()}`, { status: 201, headers });
      },
      await forwardedRequest(form),
    );
    const response = responseFromForwarded(answer);
    expect(response.status).toBe(201);
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await response.text()).toBe('POST application/x-www-form-urlencoded;charset=UTF-8 name=Stocktake%2C+M%C3%A4rz&_csrf=x');
  });

  it('gives an empty answer (204) no body', async () => {
    const answer = await answerForwarded(() => new Response(null, { status: 204, headers: { 'x-kept': 'yes' } }), await forwardedRequest(ask('/anything')));
    const response = responseFromForwarded(answer);
    expect(response.status).toBe(204);
    expect(response.headers.get('x-kept')).toBe('yes');
    expect(await response.text()).toBe('');
  });
});
