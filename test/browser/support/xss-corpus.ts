/**
 * Classic cross-site scripting payloads, and the checks that a page shows them as text and runs
 * none of them. Every payload calls `window.__xss(id)` with an id `zx_<place>_<kind>` unique to
 * where it was entered, so a hit names both the payload and the field it came through.
 *
 * The questionnaire fixture `test/fixtures/surveys-xss` carries the same payloads (same ids) in
 * its titles, labels and help texts.
 */
import type { BrowserContext, Page } from 'playwright-core';

/** The kinds of payload, by a one-letter key used in ids. */
export const PAYLOADS = {
  /** A plain script element. */
  s: (id: string) => `<script>window.__xss('${id}')</script>`,
  /** An image whose error handler runs. */
  i: (id: string) => `<img src=x onerror=window.__xss('${id}')>`,
  /** Breaks out of a double-quoted attribute, then an SVG with a load handler. */
  v: (id: string) => `"><svg onload=window.__xss('${id}')>`,
  /** A javascript: URL, dangerous wherever a value becomes an href. */
  j: (id: string) => `javascript:window.__xss('${id}')`,
  /** Closes a textarea, then a script. */
  t: (id: string) => `</textarea><script>window.__xss('${id}')</script>`,
  /** Breaks out of a single-quoted JavaScript string. */
  q: (id: string) => `'-window.__xss('${id}')-'`,
  /** Client-side template injection. */
  c: (id: string) => `{{constructor.constructor('window.__xss("${id}")')()}}`,
  /** Breaks a double-quoted attribute and adds a handler of its own. */
  a: (id: string) => `" autofocus onfocus="window.__xss('${id}')" x="`,
  /** Breaks a single-quoted attribute and adds a handler of its own. */
  b: (id: string) => `' onmouseover='window.__xss("${id}")' x='`,
  /** A `</script>` inside JSON (chart series travel as JSON). */
  e: (id: string) => `{"a":"</script><script>window.__xss('${id}')</script>"}`,
  /** An iframe whose document runs a script in its parent. */
  f: (id: string) => `<iframe srcdoc="<script>parent.__xss('${id}')</script>"></iframe>`,
  /** A spreadsheet formula (CSV injection) with a javascript: link. */
  h: (id: string) => `=HYPERLINK("javascript:window.__xss('${id}')","open")`,
  /** Right-to-left override, zero-width and isolate characters around an SVG handler. */
  u: (id: string) => `\u202E\u200B<svg/onload=window.__xss('${id}')>\u2066x\u200F`,
  /** A link with a javascript: URL. */
  l: (id: string) => `<a href="javascript:window.__xss('${id}')">link</a>`,
  /** Shaped like an e-mail address (no space), so that lenient address checks let it through. */
  m: (id: string) => `"><svg/onload=window.__xss('${id}')>@example.org`,
} as const;

export type PayloadKind = keyof typeof PAYLOADS;
export const PAYLOAD_KINDS = Object.keys(PAYLOADS) as PayloadKind[];

/** The payload of a kind for a place: id `zx_<place>_<kind>`. */
export function payload(place: string, kind: PayloadKind): string {
  return PAYLOADS[kind](`zx_${place}_${kind}`);
}

/** The payload an id stands for (`zx_<place>_<kind>`), or undefined for an id of no known kind. */
export function payloadOfId(id: string): string | undefined {
  const kind = id.slice(id.lastIndexOf('_') + 1);
  return kind in PAYLOADS ? PAYLOADS[kind as PayloadKind](id) : undefined;
}

/** What ran, popped up or was refused while the pages were open. */
export interface XssEvents {
  /** `window.__xss` calls: `<id> on <path>`. */
  hits: string[];
  dialogs: string[];
  cspViolations: string[];
  /** Console messages that mention a marker id or the Content Security Policy. */
  console: string[];
}

export function emptyEvents(): XssEvents {
  return { hits: [], dialogs: [], cspViolations: [], console: [] };
}

const pathOf = (url: string) => {
  try {
    const u = new URL(url);
    return u.pathname + u.search;
  } catch {
    return url;
  }
};

/**
 * Installs the marker in every page and frame of the context, before any script of the page:
 * `window.__xss(id)` reports to the test, and CSP violations (`securitypolicyviolation`) too.
 * Dialogs are recorded and dismissed.
 */
export async function watchForXss(context: BrowserContext, events: XssEvents): Promise<void> {
  await context.exposeBinding('__xssReport', ({ frame }, id: unknown) => {
    events.hits.push(`${String(id)} on ${pathOf(frame.url())}`);
  });
  await context.exposeBinding('__cspReport', ({ frame }, text: unknown) => {
    events.cspViolations.push(`${String(text)} on ${pathOf(frame.url())}`);
  });
  await context.addInitScript(() => {
    const w = window as unknown as { __xss: (id: unknown) => void; __xssReport: (id: string) => void; __cspReport: (text: string) => void };
    w.__xss = (id) => void w.__xssReport(String(id));
    document.addEventListener(
      'securitypolicyviolation',
      (e) => void w.__cspReport(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} sample ${JSON.stringify(e.sample)}`),
      true,
    );
  });
  const watch = (page: Page) => {
    page.on('dialog', (dialog) => {
      events.dialogs.push(`${dialog.type()} "${dialog.message()}" on ${pathOf(page.url())}`);
      void dialog.dismiss().catch(() => undefined);
    });
    page.on('console', (message) => {
      const text = message.text();
      if (/zx_|__xss|Content Security Policy/i.test(text)) events.console.push(`${message.type()}: ${text} on ${pathOf(page.url())}`);
    });
  };
  context.pages().forEach(watch);
  context.on('page', watch);
}

/** What `inspectPage` found in one page's DOM. */
export interface PageInspection {
  /** Every marker id found anywhere in the DOM (text, values, attributes). */
  ids: string[];
  /** Ids whose whole payload is shown as text, a form value or a chart label. */
  intact: string[];
  /** Elements or attributes that a payload could have created. */
  dangerous: string[];
}

/**
 * Reads the page's DOM: which payload ids it holds, whether each payload is there whole as text
 * (text content, a form control's value, a string in a chart's `data-series` JSON, the title),
 * and any element or attribute no page of ours makes (inline handlers, scripts without a source
 * or from elsewhere, frames, SVG, images, javascript: URLs). Elements matching `skip` are left out.
 */
export async function inspectPage(page: Page, options: { skip?: string } = {}): Promise<PageInspection> {
  const found = await page.evaluate((skip) => {
    const texts: string[] = [document.title, document.documentElement.textContent ?? ''];
    const attributeValues: string[] = [];
    const dangerous: string[] = [];
    const describe = (el: Element) => `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}>`;
    const strings = (value: unknown): string[] =>
      typeof value === 'string'
        ? [value]
        : Array.isArray(value)
          ? value.flatMap(strings)
          : value && typeof value === 'object'
            ? Object.values(value).flatMap(strings)
            : [];
    for (const el of Array.from(document.querySelectorAll('*'))) {
      const tag = el.tagName.toLowerCase();
      // A carrier of source text (checked by the test on its own) holds payloads in the source's escaping.
      if (skip && el.matches(skip)) continue;
      if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLOptionElement) texts.push(el.value);
      for (const attr of Array.from(el.attributes)) {
        attributeValues.push(attr.value);
        const name = attr.name.toLowerCase();
        const squeezed = attr.value.replace(/[\s\u0000-\u001f]+/g, '').toLowerCase();
        if (name.startsWith('on')) dangerous.push(`${describe(el)} has the handler ${name}="${attr.value}"`);
        if (name === 'srcdoc' || name === 'formaction') dangerous.push(`${describe(el)} has ${name}="${attr.value}"`);
        if (['href', 'src', 'action', 'xlink:href', 'data', 'poster'].includes(name) && /^(javascript|vbscript|data:text\/html)/.test(squeezed)) {
          dangerous.push(`${describe(el)} has ${name}="${attr.value}"`);
        }
        if (name === 'data-series') {
          try {
            texts.push(...strings(JSON.parse(attr.value)));
          } catch {
            dangerous.push(`${describe(el)} has a data-series that is not JSON`);
          }
        }
      }
      if (tag === 'script') {
        const src = el.getAttribute('src');
        if (!src || !/^\/assets\/[a-z-]+\.js$/.test(src) || (el.textContent ?? '').trim() !== '')
          dangerous.push(`a script ${src ? `from ${src}` : 'without a source'}: ${(el.textContent ?? '').slice(0, 80)}`);
      }
      if (['iframe', 'frame', 'frameset', 'object', 'embed', 'svg', 'math', 'img', 'image', 'base', 'applet', 'portal'].includes(tag))
        dangerous.push(`an element ${describe(el)}`);
      if (tag === 'meta' && el.getAttribute('http-equiv')) dangerous.push(`a <meta http-equiv="${el.getAttribute('http-equiv')}">`);
      if (tag === 'a' && (el.textContent ?? '') === 'link' && /__xss/.test(el.getAttribute('href') ?? '')) dangerous.push(`a link made from a payload`);
    }
    return { texts, attributeValues, dangerous, frames: window.frames.length };
  }, options.skip ?? '');
  const all = [...found.texts, ...found.attributeValues].join('\n');
  const ids = [...new Set(all.match(/zx_[a-z0-9]+_[a-z](?![a-z0-9])/g) ?? [])].sort();
  const shown = found.texts.join('\n');
  const intact = ids.filter((id) => {
    const text = payloadOfId(id);
    return text !== undefined && shown.includes(text);
  });
  const dangerous = [...found.dangerous, ...(found.frames ? [`${found.frames} frames`] : [])];
  return { ids, intact, dangerous };
}
