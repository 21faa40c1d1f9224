/** @jsxImportSource hono/jsx */
/**
 * "Lost your link?" (`/lost-link`): a respondent gives the address the invitation went to, and the
 * same link (never a new one: a government's link is shared by colleagues) is e-mailed to that
 * address only. The answer is the same whether the address is known or not, requests are limited
 * per client address, and each respondent gets at most one such message an hour.
 */
import { Hono } from 'hono';
import { csrf } from 'hono/csrf';
import { pageLanguage, type AppEnv } from '../app-env.ts';
import { renderPage } from '../http/render-page.ts';
import { lostLinkForm } from '../http/respondent-input.ts';
import { noStore, tokenRateLimit } from '../http/security.ts';
import { valid } from '../http/validate.ts';
import { lostLinkSurveys, requestLostLink } from '../mail/lost-link.ts';
import { LostLinkPage } from '../pages/lost-link-page.tsx';

export function lostLinkRoutes(limitPerMinute: number): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/lost-link', noStore, async (c) => {
    const language = pageLanguage(c.get('language'));
    const { db, now } = c.get('deps');
    return renderPage(c, <LostLinkPage language={language} surveys={await lostLinkSurveys(db, language, now())} sent={false} />);
  });

  // No session: protected like the open registration, by the Origin check, and limited per address.
  const sameSite = csrf({ origin: (origin, c) => origin === new URL(c.req.url).origin || origin === new URL(c.get('deps').publicUrl).origin });
  app.post('/lost-link', noStore, tokenRateLimit(limitPerMinute, { countEveryRequest: true }), sameSite, valid('form', lostLinkForm), async (c) => {
    const language = pageLanguage(c.get('language'));
    const { db, now } = c.get('deps');
    const { survey, email } = c.req.valid('form');
    const open = await lostLinkSurveys(db, language, now());
    // Known address or not, the same page: the answer tells nobody who was invited.
    await requestLostLink(db, { open, surveyId: survey, email, now: now() });
    return renderPage(c, <LostLinkPage language={language} surveys={open} sent={true} />);
  });

  return app;
}
