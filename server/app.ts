/**
 * Builds the Hono application from its dependencies. Only `main.ts` reads configuration,
 * connects and listens; tests call `createApp(deps).request(...)` against a real database.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { languageDetector } from 'hono/language';
import { LANGUAGES } from '../survey-definitions/schema.ts';
import type { AppDeps, AppEnv } from './app-env.ts';
import { AppError } from './errors.ts';
import { handleError } from './http/error-handler.tsx';
import { analysisQueue } from './http/analysis-queue.ts';
import { runInAnalysisWorker } from './http/analysis-workers.ts';
import { loadUser } from './http/require-user.ts';
import { securityHeaders, tokenRateLimit } from './http/security.ts';
import { hasUploadLimit } from './http/upload-limits.ts';
import { adminAccountRoutes } from './routes/admin-account-routes.tsx';
import { adminHomeRoutes } from './routes/admin-home-routes.tsx';
import { analysisApiRoutes } from './routes/analysis-api-routes.ts';
import { apiRoutes } from './routes/api-routes.ts';
import { assetRoutes } from './routes/asset-routes.ts';
import { comparisonRoutes } from './routes/comparison-routes.tsx';
import { trendsRoutes } from './routes/trends-routes.tsx';
import { dashboardRoutes } from './routes/dashboard-routes.tsx';
import { freeTextRoutes } from './routes/free-text-routes.tsx';
import { formRoutes } from './routes/form-routes.tsx';
import { invitationAdminRoutes } from './routes/invitation-admin-routes.tsx';
import { exportRoutes } from './routes/export-routes.tsx';
import { workingDataRoutes } from './routes/working-data-routes.ts';
import { linkRoutes } from './routes/link-routes.tsx';
import { lostLinkRoutes } from './routes/lost-link-routes.tsx';
import { mailAdminRoutes } from './routes/mail-admin-routes.tsx';
import { publicRoutes } from './routes/public-routes.tsx';
import { questionnaireAdminRoutes } from './routes/questionnaire-admin-routes.tsx';
import { releaseApiRoutes, releaseRoutes } from './routes/release-routes.tsx';
import { reportRoutes } from './routes/report-routes.tsx';
import { trackerRoutes } from './routes/tracker-routes.tsx';

/** Largest request body accepted: a long questionnaire page with every text field full. */
export const MAX_BODY_BYTES = 256 * 1024;

export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.onError(handleError);
  app.notFound(() => {
    throw new AppError('not_found', 'There is no such page.');
  });

  app.use('*', async function provideDeps(c, next) {
    c.set('deps', deps);
    await next();
  });
  app.use('*', securityHeaders({ https: deps.publicUrl.startsWith('https:') }));
  app.use(
    '*',
    languageDetector({
      supportedLanguages: [...LANGUAGES],
      fallbackLanguage: 'en',
      order: ['querystring', 'cookie', 'header'],
      lookupQueryString: 'lang',
      lookupCookie: 'lang',
      caches: ['cookie'],
      cookieOptions: { sameSite: 'Lax', httpOnly: true, path: '/', maxAge: 365 * 86_400 },
      convertDetectedLanguage: (language) => language.split('-')[0]!.toLowerCase(),
    }),
  );
  const generalBodyLimit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new AppError('payload_too_large', `The request is larger than ${MAX_BODY_BYTES / 1024} KB.`);
    },
  });
  // File uploads on admin pages apply larger limits of their own (see http/upload-limits.ts).
  app.use('*', function limitBody(c, next) {
    return hasUploadLimit(c.req.path) ? next() : generalBodyLimit(c, next);
  });

  const tokenLimit = tokenRateLimit(deps.tokenRateLimit ?? 30);
  app.use('/r/*', tokenLimit);
  app.use('/api/r/*', tokenLimit);
  const registrationLimit = tokenRateLimit(deps.tokenRateLimit ?? 30, { countEveryRequest: true });
  app.use('/open/*', async function limitRegistrations(c, next) {
    if (c.req.method === 'POST') return registrationLimit(c, next);
    await next();
  });

  app.use('/admin/*', loadUser);
  app.use('/api/surveys/*', loadUser);
  app.use('/api/comparisons/*', loadUser);
  app.use('/api/releases/*', loadUser);
  app.use('/api/trends', loadUser);
  // Respondents first: analytical requests of signed-in members wait in a line of their own.
  app.use('*', analysisQueue(deps.analysisQueue));
  // ...and, once admitted, are answered off the event loop that serves respondents.
  if (deps.analysisWorkers) app.use('*', runInAnalysisWorker(deps.analysisWorkers));

  app.route('/assets', assetRoutes());
  app.route('/admin', adminAccountRoutes(deps.loginRateLimit ?? 10));
  app.route('/admin', adminHomeRoutes());
  app.route('/admin', dashboardRoutes());
  app.route('/admin', reportRoutes());
  app.route('/admin', comparisonRoutes());
  app.route('/admin', trendsRoutes());
  app.route('/admin', freeTextRoutes());
  app.route('/admin', exportRoutes());
  app.route('/admin', workingDataRoutes());
  app.route('/admin', trackerRoutes());
  app.route('/admin', releaseRoutes());
  app.route('/admin', invitationAdminRoutes());
  app.route('/admin', mailAdminRoutes());
  app.route('/admin', questionnaireAdminRoutes());
  app.route('/api/r', apiRoutes());
  app.route('/api', analysisApiRoutes());
  app.route('/api', releaseApiRoutes());
  app.route('/form', formRoutes());
  app.route('/', linkRoutes());
  // Five requests a minute per address unless tests set their own limit.
  app.route('/', lostLinkRoutes(deps.tokenRateLimit ?? 5));
  app.route('/', publicRoutes());
  return app;
}
