/**
 * The browser's files: one stylesheet and one script, built from `web/` on first request and kept
 * in memory. The script is bundled with esbuild so that `web/` can share the skip-logic evaluator
 * with the server.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';

const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web');

const cache = new Map<string, Promise<string>>();

function once(name: string, make: () => Promise<string>): Promise<string> {
  let value = cache.get(name);
  if (!value) {
    value = make();
    cache.set(name, value);
    value.catch(() => cache.delete(name));
  }
  return value;
}

async function bundle(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [path.join(WEB, entry)],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2019',
    minify: true,
    legalComments: 'none',
  });
  return result.outputFiles[0]!.text;
}

export function assetRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const send = (body: string, type: string) =>
    new Response(body, { headers: { 'Content-Type': type, 'Cache-Control': 'public, max-age=3600', 'X-Content-Type-Options': 'nosniff' } });
  app.get('/styles.css', async () => send(await once('styles.css', () => readFile(path.join(WEB, 'styles.css'), 'utf8')), 'text/css; charset=utf-8'));
  app.get('/form.js', async () => send(await once('form.js', () => bundle('form-enhance.ts')), 'text/javascript; charset=utf-8'));
  app.get('/dashboard.js', async () => send(await once('dashboard.js', () => bundle('dashboard.ts')), 'text/javascript; charset=utf-8'));
  app.get('/report.js', async () => send(await once('report.js', () => bundle('report.ts')), 'text/javascript; charset=utf-8'));
  return app;
}
