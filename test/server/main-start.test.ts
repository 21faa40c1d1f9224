/**
 * `npm start` as an operator runs it: the server starts on an empty database, prints the preview
 * links and the first administrator's one-time link, answers, and stops cleanly on SIGTERM,
 * releasing the PGlite data folder's lock.
 *
 * PGlite pass: the server opens its own data folder (no DATABASE_URL). PostgreSQL pass
 * (TEST_DATABASE_URL set): the server gets DATABASE_URL of a fresh test database instead.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../server/db/data-folder-lock.ts';
import { createTestDatabase, TEST_DATABASE_KIND, type TestDatabase } from '../support/database.ts';
import { freePort } from './resilience/support/server-process.ts';

const ROOT = path.resolve('.');

/** Resolves with the output so far once `predicate` holds for it; rejects if the process ends first. */
function waitForOutput(child: ChildProcess, output: () => string, predicate: (text: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (predicate(output())) {
        child.stdout!.off('data', check);
        child.off('exit', ended);
        resolve(output());
      }
    };
    const ended = (code: number | null) => reject(new Error(`the server exited (${code}) before it was ready:\n${output()}`));
    child.stdout!.on('data', check);
    child.once('exit', ended);
    check();
  });
}

describe(`starting the server (${TEST_DATABASE_KIND})`, () => {
  let dir: string;
  let database: TestDatabase | undefined;
  let child: ChildProcess | undefined;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'fat-start-'));
    if (process.env.TEST_DATABASE_URL) database = await createTestDatabase();
  });
  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    child = undefined;
    await database?.close();
    database = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  // Slow on PGlite (a new data folder is initialised and migrated) and on a busy machine.
  it('prints preview links and the first-admin link, answers /healthz, and releases the data folder on SIGTERM', { timeout: 120_000 }, async () => {
    const port = await freePort();
    const dataDir = path.join(dir, 'data');
    const base = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !['DATABASE_URL', 'TEST_DATABASE_URL', 'DATA_DIR', 'SURVEYS_DIR', 'PUBLIC_URL', 'PORT', 'HOST'].includes(k)),
    );
    const env = { ...base, PORT: String(port), DATA_DIR: dataDir, ...(database ? { DATABASE_URL: database.url as string } : {}) };
    const server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: ROOT, env });
    child = server;
    let stdout = '';
    let stderr = '';
    server.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    server.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      server.on('exit', (code, signal) => resolve({ code, signal })),
    );

    // The start-up message is one block; wait for its last line.
    const started = await waitForOutput(
      server,
      () => stdout,
      (text) => /listening on/.test(text) && /\/admin\/setup\/\S+\n/.test(text),
    );
    const url = `http://127.0.0.1:${port}`;
    expect(started).toContain(`Forum Assessment Toolkit listening on ${url}`);
    expect(started).toContain(
      database ? 'PostgreSQL (DATABASE_URL), analysis in 2 worker threads' : `embedded PGlite database in ${dataDir}, analysis on the main thread`,
    );
    expect(started).toContain(`${url}/preview/government-assessment`);
    expect(started).toContain(`${url}/preview/civil-society-survey`);
    const setupLink = new RegExp(`${url.replace(/[.]/g, '\\.')}/admin/setup/([A-Za-z0-9_-]{43})\\n`).exec(started);
    expect(setupLink, started).not.toBeNull();
    if (!database) expect(existsSync(path.join(dataDir, LOCK_FILE))).toBe(true);

    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', database: database ? 'postgres' : 'pglite' });
    // The printed link really opens the form for the first administrator.
    const setup = await fetch(`${url}/admin/setup/${setupLink![1]}`);
    expect(setup.status).toBe(200);
    expect(await setup.text()).toContain('Create the first administrator');

    server.kill('SIGTERM');
    const { code } = await exited;
    expect(code, `stdout:\n${stdout}\nstderr:\n${stderr}`).toBe(0);
    expect(stdout).toContain('SIGTERM: stopping; answers already saved are kept.');
    expect(existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);
    expect(stderr).not.toMatch(/Error|Questionnaire not served/);
  });
});
