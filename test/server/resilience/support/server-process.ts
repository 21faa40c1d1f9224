/**
 * The real server (`server/main.ts`) as a child process, for tests that kill it, restart it or
 * take its database away: a free port, the environment it needs, and a way to wait until it
 * listens.
 *
 * @example
 *   const server = await startServer({ surveysDir, dataDir });
 *   await fetch(`${server.url}/healthz`);
 *   await server.stop('SIGKILL');
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

const ROOT = path.resolve('.');

/** Variables of the test run that must not leak into the server's configuration. */
const SERVER_VARIABLES = ['DATABASE_URL', 'TEST_DATABASE_URL', 'DATA_DIR', 'SURVEYS_DIR', 'PUBLIC_URL', 'PORT', 'HOST'];

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  port: number;
  /** Everything the server printed so far. */
  output(): { stdout: string; stderr: string };
  /** Whether the process is still running. */
  running(): boolean;
  /** Resolves when the process has ended (and been reaped). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends the signal and waits for the end of the process. */
  stop(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface ServerOptions {
  surveysDir: string;
  /** PGlite data folder (used when no `databaseUrl` is given). */
  dataDir: string;
  databaseUrl?: string;
  port?: number;
  env?: Record<string, string>;
}

/** Starts `node --import tsx server/main.ts` and resolves once it prints that it listens. */
export async function startServer(options: ServerOptions): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !SERVER_VARIABLES.includes(k)));
  const env = {
    ...base,
    PORT: String(port),
    DATA_DIR: options.dataDir,
    SURVEYS_DIR: options.surveysDir,
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    ...options.env,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: ROOT, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const running = () => child.exitCode === null && child.signalCode === null;

  await new Promise<void>((resolve, reject) => {
    const check = () => {
      if (/listening on/.test(stdout)) {
        child.stdout.off('data', check);
        resolve();
      }
    };
    child.stdout.on('data', check);
    void exited.then(({ code, signal }) => reject(new Error(`the server ended (${code ?? signal}) before it listened:\n${stdout}\n${stderr}`)));
  });
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    port,
    output: () => ({ stdout, stderr }),
    running,
    exited,
    async stop(signal) {
      if (running()) child.kill(signal);
      return exited;
    },
  };
}
