/**
 * A database outage answers every request with 503; the log gets one line for each (method,
 * masked path, the error's first line), not a stack trace, while an unexpected error keeps its
 * stack for whoever reads the log.
 */
import { Hono } from 'hono';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppEnv } from '../../../server/app-env.ts';
import { handleError } from '../../../server/http/error-handler.tsx';

function appThrowing(error: unknown): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.onError(handleError);
  app.all('*', () => {
    throw error;
  });
  return app;
}

function connectionRefused(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432\nsecond line of detail'), { code: 'ECONNREFUSED' });
}

describe('the log of a 503', () => {
  afterEach(() => vi.restoreAllMocks());

  it('is one line with the method, the masked path and the first line of the message', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const res = await appThrowing(connectionRefused()).request('/api/r/SecretToken123/answers', { method: 'PUT' });
    expect(res.status).toBe(503);
    expect(log).toHaveBeenCalledTimes(1);
    const line = String(log.mock.calls[0]![0]);
    expect(line).toBe('PUT /api/r/[token]/answers: 503 connect ECONNREFUSED 127.0.0.1:5432');
    expect(log.mock.calls[0]).toHaveLength(1);
  });

  it('is one line per request during an outage', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const app = appThrowing(connectionRefused());
    for (let i = 0; i < 20; i++) expect((await app.request('/healthz')).status).toBe(503);
    expect(log).toHaveBeenCalledTimes(20);
    for (const [line] of log.mock.calls) expect(String(line)).not.toContain('\n');
  });

  it('keeps the stack trace of an unexpected error (500)', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const res = await appThrowing(new Error('a fault')).request('/api/anything');
    expect(res.status).toBe(500);
    expect(String(log.mock.calls[0]![0])).toMatch(/a fault\n\s+at /);
  });
});
