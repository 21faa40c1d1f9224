/**
 * The real server as a child process (`node --import tsx server/main.ts`), as it is deployed, and
 * a small keep-alive HTTP client for it. The client uses `node:http` with one pooled connection
 * per concurrent client: it costs less CPU than `fetch`, which matters on two shared cores.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { ROOT } from './submission-workload.ts';

export interface ServerProcess {
  baseUrl: string;
  pid: number;
  /** CPU seconds (user + system) the server process has used so far. */
  cpuSeconds(): number;
  /** CPU seconds of its main thread alone (the event loop that serves respondents); worker threads not counted. */
  mainThreadCpuSeconds(): number;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();

/** Kills servers still running (on failure or interruption of the bench). */
export function killServers(): void {
  for (const child of live) child.kill('SIGKILL');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** CPU seconds of a process (or of one of its threads) from /proc (Linux), 0 where unavailable. */
export function processCpuSeconds(pid: number, thread?: number): number {
  try {
    const fields = readFileSync(thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`, 'utf8')
      .split(') ')[1]!
      .split(' ');
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** Starts the server with `env` (DATABASE_URL or DATA_DIR) and resolves once it listens. */
export async function startServer(env: Record<string, string>, options: { execArgv?: string[]; logFile?: string } = {}): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', ...(options.execArgv ?? []), 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let output = '';
  const log = createWriteStream(options.logFile ?? '/dev/null', { flags: 'a' });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      live.delete(child);
      resolve(code);
    });
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within 60 s:\n${output.slice(-2000)}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening:\n${output.slice(-2000)}`));
    });
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    cpuSeconds: () => processCpuSeconds(child.pid!),
    // On Linux the main thread's id is the process id.
    mainThreadCpuSeconds: () => processCpuSeconds(child.pid!, child.pid!),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const code = await Promise.race([exited, new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 10_000))]);
      if (code === 'timeout') child.kill('SIGKILL');
    },
  };
}

export interface HttpAnswer {
  status: number;
  body: Buffer;
  ms: number;
}

/**
 * A keep-alive client for one server. Requests made `from` a respondent number leave from their
 * own loopback address (127.0.1.n), as respondents reach the server from their own networks; the
 * server throttles per address and counts requests in flight (see `tokenRateLimit`).
 */
export class BenchClient {
  private readonly agents = new Map<number, http.Agent>();
  private readonly url: URL;

  constructor(
    baseUrl: string,
    private readonly maxSockets: number,
  ) {
    this.url = new URL(baseUrl);
  }

  private agent(from: number | undefined): http.Agent {
    const key = from ?? -1;
    let agent = this.agents.get(key);
    if (!agent) {
      // The server closes idle connections after 5 s; ours go first, so none is reused as it closes.
      agent = new http.Agent({
        keepAlive: true,
        maxSockets: from === undefined ? this.maxSockets : 2,
        timeout: 4000,
        ...(from === undefined ? {} : { localAddress: `127.0.${1 + Math.floor(from / 250)}.${1 + (from % 250)}` }),
      });
      this.agents.set(key, agent);
    }
    return agent;
  }

  /** Sends a request and reads the whole answer; network errors give status 0. */
  request(method: string, path: string, options: { json?: unknown; form?: URLSearchParams; cookie?: string; from?: number } = {}): Promise<HttpAnswer> {
    const body = options.json !== undefined ? JSON.stringify(options.json) : options.form?.toString();
    const headers: Record<string, string> = {};
    if (options.json !== undefined) headers['content-type'] = 'application/json';
    if (options.form) headers['content-type'] = 'application/x-www-form-urlencoded';
    if (options.cookie) headers['cookie'] = options.cookie;
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    const started = performance.now();
    return new Promise((resolve) => {
      const req = http.request({ host: this.url.hostname, port: this.url.port, method, path, headers, agent: this.agent(options.from) }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), ms: performance.now() - started }));
        res.on('error', (error) => resolve({ status: 0, body: Buffer.from(String(error)), ms: performance.now() - started }));
      });
      req.on('error', (error) => resolve({ status: 0, body: Buffer.from(String(error)), ms: performance.now() - started }));
      req.end(body);
    });
  }

  close(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }
}
