/**
 * One way to read a request: a form, a JSON body, a query string and route parameters are each read
 * through a zod schema, and a mismatch answers with the same error shape whatever the target (a code,
 * a sentence, and each field with its problem), through the app's own error handler.
 */
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AppEnv } from '../../../server/app-env.ts';
import { handleError } from '../../../server/http/error-handler.tsx';
import { formList, valid } from '../../../server/http/validate.ts';

function app() {
  const a = new Hono<AppEnv>();
  a.onError(handleError);
  a.use('*', async (c, next) => {
    c.set('language', 'en');
    await next();
  });
  const item = z.object({ name: z.string().refine((v) => v.trim() !== '', 'Give a name.'), tags: formList(z.string().max(5)) });
  a.post('/form', valid('form', item), (c) => c.json(c.req.valid('form')));
  a.post('/json', valid('json', z.object({ revision: z.number().int().min(0) })), (c) => c.json(c.req.valid('json')));
  a.get('/query', valid('query', z.object({ page: z.coerce.number().int().min(1) })), (c) => c.json(c.req.valid('query')));
  a.get('/item/:id', valid('param', z.object({ id: z.coerce.number().int().positive() })), (c) => c.json(c.req.valid('param')));
  a.post('/closed', valid('form', z.object({ day: z.string() }), { code: 'closed', message: 'The questionnaire is closed.' }), (c) => c.text('no'));
  return a;
}

const asJson = { accept: 'application/json' };
const form = (body: string) => ({ method: 'POST', headers: { ...asJson, 'content-type': 'application/x-www-form-urlencoded' }, body });

describe('valid(target, schema)', () => {
  it('hands the parsed value to the handler, a repeated form field as a list', async () => {
    const answer = await app().request('/form', form('name=Ghana&tags=a&tags=b'));
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ name: 'Ghana', tags: ['a', 'b'] });
    expect(await (await app().request('/form', form('name=Ghana&tags=a'))).json()).toEqual({ name: 'Ghana', tags: ['a'] });
    expect(await (await app().request('/query?page=3', { headers: asJson })).json()).toEqual({ page: 3 });
    expect(await (await app().request('/item/12', { headers: asJson })).json()).toEqual({ id: 12 });
  });

  it('answers every mismatch with one shape: code, sentence, and each field with its problem', async () => {
    const badForm = await app().request('/form', form('name=&tags=toolong'));
    expect(badForm.status).toBe(422);
    const formError = (await badForm.json()) as { error: { code: string; message: string; details: { path: string; message: string }[] } };
    expect(formError.error.code).toBe('validation');
    expect(formError.error.message).toBe('Give a name.');
    expect(formError.error.details.map((d) => d.path)).toEqual(['name', 'tags.0']);

    const badJson = await app().request('/json', { method: 'POST', headers: { ...asJson, 'content-type': 'application/json' }, body: '{"revision":-1}' });
    expect(badJson.status).toBe(422);
    expect(await badJson.json()).toEqual({
      error: { code: 'validation', message: 'The JSON body does not have the expected shape.', details: [{ path: 'revision', message: expect.any(String) }] },
    });

    const badQuery = await app().request('/query?page=0', { headers: asJson });
    expect(badQuery.status).toBe(400);
    expect(await badQuery.json()).toMatchObject({
      error: { code: 'bad_request', message: 'The query string does not have the expected shape.', details: [{ path: 'page' }] },
    });

    const badParam = await app().request('/item/x', { headers: asJson });
    expect(badParam.status).toBe(400);
    expect(await badParam.json()).toMatchObject({
      error: { code: 'bad_request', message: 'The address does not have the expected shape.', details: [{ path: 'id' }] },
    });
  });

  it('lets a route choose the code and sentence of its refusal', async () => {
    const answer = await app().request('/closed', form(''));
    expect(answer.status).toBe(409);
    expect(await answer.json()).toMatchObject({ error: { code: 'closed', message: 'The questionnaire is closed.' } });
  });

  it('refuses malformed JSON as a bad request', async () => {
    const answer = await app().request('/json', { method: 'POST', headers: { ...asJson, 'content-type': 'application/json' }, body: '{"revision":' });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ error: { code: 'bad_request' } });
  });
});
