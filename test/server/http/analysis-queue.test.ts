/**
 * Respondents first: analytical requests of signed-in members run a few at a time and wait in a
 * line of their own; past its length or its longest wait they get 503 with Retry-After, while a
 * respondent's request and a request without a session never wait. Driven through a small Hono
 * app whose analytical route waits until the test lets it finish, behind the app's own error
 * handler.
 */
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../../../server/app-env.ts';
import { analysisQueue, isAnalytical, pauseAfter, type AnalysisQueueOptions } from '../../../server/http/analysis-queue.ts';
import { handleError } from '../../../server/http/error-handler.tsx';
import type { UserSession } from '../../../server/accounts/user-sessions.queries.ts';

function queuedApp(options: AnalysisQueueOptions) {
  const gates: (() => void)[] = [];
  const started: string[] = [];
  const app = new Hono<AppEnv>();
  app.onError(handleError);
  app.use('*', async (c, next) => {
    c.set('language', 'en');
    if (c.req.header('x-member')) c.set('user', { role: 'analyst', email: 'analyst@example.org' } as UserSession);
    await next();
  });
  app.use('*', analysisQueue(options));
  app.get('/admin/dashboard', async (c) => {
    started.push(c.req.query('n') ?? '');
    await new Promise<void>((resolve) => gates.push(resolve));
    return c.text(`figures ${c.req.query('n')}`);
  });
  app.get('/api/r/:token', (c) => c.text('saved'));
  const ask = (path: string, member = true) =>
    app.request(path, { headers: member ? { 'x-member': '1', accept: 'application/json' } : { accept: 'application/json' } });
  const openGate = async () => {
    while (gates.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    gates.shift()!();
  };
  return { ask, openGate, started };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('the analysis queue', () => {
  it('runs analytical requests one at a time here, lines up the next, and refuses one past the line with 503 and Retry-After', async () => {
    const { ask, openGate, started } = queuedApp({ concurrency: 1, queue: 1, waitMs: 5_000 });
    const first = ask('/admin/dashboard?n=1');
    await tick();
    const second = ask('/admin/dashboard?n=2');
    await tick();
    expect(started).toEqual(['1']);
    const third = await ask('/admin/dashboard?n=3');
    expect(third.status).toBe(503);
    expect(third.headers.get('retry-after')).toBe('5');
    expect(await third.json()).toMatchObject({ error: { code: 'unavailable', message: expect.stringContaining('Respondents’ answers come first') } });
    // A respondent's save and a request without a session do not wait behind the analysts.
    expect(await (await ask('/api/r/abc')).text()).toBe('saved');
    await openGate();
    expect(await (await first).text()).toBe('figures 1');
    await tick();
    expect(started).toEqual(['1', '2']);
    await openGate();
    expect(await (await second).text()).toBe('figures 2');
    // The line is empty again: the next request starts at once.
    const fourth = ask('/admin/dashboard?n=4');
    await openGate();
    expect((await fourth).status).toBe(200);
  });

  it('gives up on a request that waited longer than the longest wait', async () => {
    const { ask, openGate } = queuedApp({ concurrency: 1, queue: 10, waitMs: 100 });
    const first = ask('/admin/dashboard?n=1');
    await tick();
    const waited = await ask('/admin/dashboard?n=2');
    expect(waited.status).toBe(503);
    await openGate();
    expect((await first).status).toBe(200);
  });

  it('lets a request without a session through to its route', async () => {
    const { ask, openGate, started } = queuedApp({ concurrency: 1, queue: 0, waitMs: 100 });
    const first = ask('/admin/dashboard?n=1');
    await tick();
    const anonymous = ask('/admin/dashboard?n=anonymous', false);
    await tick();
    expect(started).toEqual(['1', 'anonymous']);
    await openGate();
    await openGate();
    expect((await first).status).toBe(200);
    expect((await anonymous).status).toBe(200);
  });

  it('while respondents are active, rests a slot after a request so that analysts take at most their share of it', async () => {
    let clock = 0;
    const { ask, openGate, started } = queuedApp({ concurrency: 1, queue: 10, waitMs: 5_000, share: 0.5, activeMs: 5_000, now: () => clock });
    expect(await (await ask('/api/r/abc', false)).text()).toBe('saved');
    const first = ask('/admin/dashboard?n=1');
    await tick();
    const second = ask('/admin/dashboard?n=2');
    await tick();
    // The first took 300 ms by the clock: at a share of one half its slot rests 300 ms more.
    clock = 300;
    await openGate();
    expect((await first).status).toBe(200);
    await tick();
    expect(started).toEqual(['1']);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(started).toEqual(['1', '2']);
    await openGate();
    expect((await second).status).toBe(200);
  });

  it('hands a slot on at once when no respondent has been seen for a while', async () => {
    let clock = 0;
    const { ask, openGate, started } = queuedApp({ concurrency: 1, queue: 10, waitMs: 5_000, share: 0.1, activeMs: 5_000, now: () => clock });
    await ask('/api/r/abc', false);
    clock = 10_000;
    const first = ask('/admin/dashboard?n=1');
    await tick();
    const second = ask('/admin/dashboard?n=2');
    await tick();
    clock = 12_000;
    await openGate();
    await first;
    await tick();
    expect(started).toEqual(['1', '2']);
    await openGate();
    expect((await second).status).toBe(200);
  });

  it('computes the rest from the share: busy × (1 − share) / share, at most 10 s', () => {
    expect(pauseAfter(400, 0.25)).toBe(1200);
    expect(pauseAfter(400, 1)).toBe(0);
    expect(pauseAfter(100, 0.5)).toBe(100);
    expect(pauseAfter(60_000, 0.25)).toBe(10_000);
  });

  it('knows the analytical requests from the others', () => {
    for (const [method, path] of [
      ['GET', '/admin/dashboard'],
      ['GET', '/admin/dashboard/government-assessment/g_support.csv'],
      ['GET', '/admin/comparisons.csv'],
      ['GET', '/admin/report'],
      ['GET', '/admin/releases/3/report'],
      ['POST', '/admin/releases'],
      ['POST', '/admin/releases/3/bundle'],
      ['POST', '/admin/export'],
      ['GET', '/admin/tracker'],
      ['GET', '/admin/free-text'],
      ['GET', '/api/surveys/government-assessment/analysis'],
      ['GET', '/api/comparisons/shared'],
      ['GET', '/admin/trends'],
      ['GET', '/admin/trends.csv'],
      ['GET', '/api/trends'],
    ] as const) {
      expect(isAnalytical(method, path), `${method} ${path}`).toBe(true);
    }
    for (const [method, path] of [
      ['POST', '/api/r/abc/answers'],
      ['GET', '/r/abc'],
      ['GET', '/admin/releases'],
      ['GET', '/admin/releases/3'],
      ['GET', '/admin/users'],
      ['POST', '/admin/login'],
      ['GET', '/admin/dashboardx'],
      ['GET', '/api/trendsx'],
    ] as const) {
      expect(isAnalytical(method, path), `${method} ${path}`).toBe(false);
    }
  });
});
