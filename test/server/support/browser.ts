/**
 * A person with a browser, for tests through `app.request()`: keeps the cookies the app sets,
 * sends them back, and fills in form pages the way a browser without JavaScript would (the
 * hidden `_csrf` and `_revision` fields come from the page). Two browsers are two colleagues.
 *
 * @example
 *   const browser = new Browser(app, { 'Accept-Language': 'fr' });
 *   await browser.openLink(token);
 *   const res = await browser.saveSection(1, { q_role: 'ministry' });
 */
import type { Hono } from 'hono';
import type { AppEnv } from '../../../server/app-env.ts';
import { formState } from './html.ts';

/** Posted form fields: a repeated field (multiple choice) is given as an array. */
export type Fields = Record<string, string | string[]>;

export interface Page {
  status: number;
  html: string;
  res: Response;
}

export class Browser {
  private readonly cookies = new Map<string, string>();

  constructor(
    private readonly app: Hono<AppEnv>,
    private readonly headers: Record<string, string> = {},
  ) {}

  /** The value of a cookie the app set, if it is still set. */
  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  /** Gives the browser a cookie, as if the app had set it (a session made directly in the database). */
  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(this.headers);
    for (const [name, value] of new Headers(init.headers)) headers.set(name, value);
    if (this.cookies.size) headers.set('Cookie', [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    const res = await this.app.request(path, { ...init, headers });
    this.keepCookies(res);
    return res;
  }

  get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.request(path, { headers });
  }

  async page(path: string): Promise<Page> {
    const res = await this.get(path);
    return { status: res.status, html: await res.text(), res };
  }

  /** Posts a URL-encoded form, as a browser does. */
  postForm(path: string, fields: Fields, headers: Record<string, string> = {}): Promise<Response> {
    return this.request(path, { method: 'POST', body: encodeForm(fields), headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers } });
  }

  /** Posts multipart form data, as the autosave script does with `new FormData(form)`. */
  postMultipart(path: string, fields: Fields, headers: Record<string, string> = {}): Promise<Response> {
    const body = new FormData();
    for (const [name, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
    return this.request(path, { method: 'POST', body, headers: { Accept: 'application/json', ...headers } });
  }

  /** Opens an invitation link (`/r/<token>`), which sets the session cookie. */
  openLink(token: string): Promise<Response> {
    return this.get(`/r/${token}`);
  }

  /**
   * Loads section `n`, then posts `fields` with the page's CSRF token and revision (unless
   * `fields` gives its own `_csrf` or `_revision`).
   */
  async saveSection(n: number, fields: Fields, action: 'next' | 'previous' | 'later' = 'next'): Promise<Response> {
    const { html } = await this.page(`/form/section/${n}`);
    return this.postSection(n, html, fields, action);
  }

  /** Posts section `n` as filled in on an already loaded page (its CSRF token and revision). */
  postSection(n: number, html: string, fields: Fields, action: 'next' | 'previous' | 'later' = 'next'): Promise<Response> {
    const { csrf, revision } = formState(html);
    return this.postForm(`/form/section/${n}`, { _csrf: csrf, _revision: revision, _action: action, ...fields });
  }

  /** Submits from the review page, as the submit button does. */
  async submit(): Promise<Response> {
    const { html } = await this.page('/form/review');
    const { csrf, revision } = formState(html);
    return this.postForm('/form/submit', { _csrf: csrf, _revision: revision });
  }

  private keepCookies(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

export function encodeForm(fields: Fields): URLSearchParams {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
  return body;
}
