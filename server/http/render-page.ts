/**
 * Sends a hono/jsx page with its doctype (hono/jsx emits none; without it browsers use quirks mode).
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export async function renderPage(c: Context, page: unknown, status: ContentfulStatusCode = 200): Promise<Response> {
  const body = `<!DOCTYPE html>${String(await (page as Promise<string> | string))}`;
  return c.html(body, status);
}
