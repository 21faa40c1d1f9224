/** @jsxImportSource hono/jsx */
/**
 * The frame of every respondent page: language switch, one stylesheet, one deferred script.
 * No inline script or style, so the Content-Security-Policy can forbid both.
 */
import type { Child } from 'hono/jsx';
import { LANGUAGES, type Language } from '../../survey-definitions/schema.ts';
import { t } from './ui-text.ts';

const LANGUAGE_LABELS: Record<Language, string> = { en: 'English', fr: 'Français', es: 'Español' };

export interface LayoutProps {
  title: string;
  language: Language;
  /** Path of the current page, for the language links (`?lang=fr`). */
  path?: string;
  children?: Child;
  /** Load the form enhancements (autosave, live skip logic). */
  formScript?: boolean;
}

export function Layout({ title, language, path, children, formScript }: LayoutProps) {
  return (
    <html lang={language}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>{title}</title>
        {/* No favicon: without this, browsers ask for /favicon.ico on every page and get a 404. */}
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href="/assets/styles.css" />
        {formScript ? <script src="/assets/form.js" defer></script> : null}
      </head>
      <body>
        <a class="skip" href="#main">
          {t(language, 'skipToContent')}
        </a>
        <header class="site">
          <span class="brand">{t(language, 'brand')}</span>
          {path ? (
            <nav aria-label={t(language, 'language')} class="languages">
              {LANGUAGES.map((l) =>
                l === language ? (
                  <strong lang={l} aria-current="true">
                    {LANGUAGE_LABELS[l]}
                  </strong>
                ) : (
                  <a href={`${path}${path.includes('?') ? '&' : '?'}lang=${l}`} lang={l} hreflang={l}>
                    {LANGUAGE_LABELS[l]}
                  </a>
                ),
              )}
            </nav>
          ) : null}
        </header>
        <main id="main">{children}</main>
      </body>
    </html>
  );
}
