/**
 * One process at a time per PGlite data folder. PGlite (PostgreSQL in WASM) has no server to
 * arbitrate between processes: two of them writing one folder would corrupt it. The server and the
 * command line therefore take `<dataDir>/.lock` before opening the folder.
 *
 * PostgreSQL (DATABASE_URL) needs no lock: it serves any number of processes.
 */
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';

export const LOCK_FILE = '.lock';

export type LockRole = 'server' | 'cli';

/** Lock files this process holds: a lock naming our pid but not listed here is a previous run's
 * (a container restarted with the same pid, typically 1), hence stale. */
const heldHere = new Set<string>();

export interface LockInfo {
  pid: number;
  role: LockRole;
  port?: number;
  /** ISO 8601. */
  startedAt: string;
}

export interface DataFolderLock {
  readonly file: string;
  readonly info: LockInfo;
  /** Removes the lock file if it is still ours; safe to call more than once. */
  release(): void;
}

/** The data folder is in use by a live process; the message says what to do. */
export class DataFolderBusyError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockInfo,
  ) {
    super(busyMessage(dataDir, holder));
    this.name = 'DataFolderBusyError';
  }
}

/**
 * Takes the lock of a PGlite data folder, creating the folder if missing. The lock file is created
 * atomically (`wx`), so of two processes starting together exactly one wins. A lock left by a
 * process that no longer runs is replaced.
 *
 * @throws DataFolderBusyError if a live process (this one included) holds the lock.
 * @example
 *   const lock = acquireDataFolderLock(config.dataDir, { role: 'cli' });
 *   try { ... } finally { lock.release(); }
 */
export function acquireDataFolderLock(dataDir: string, options: { role: LockRole; port?: number }): DataFolderLock {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE);
  const info: LockInfo = {
    pid: process.pid,
    role: options.role,
    ...(options.port !== undefined ? { port: options.port } : {}),
    startedAt: new Date().toISOString(),
  };
  const content = `${JSON.stringify(info)}\n`;
  // A few attempts: each failed one either throws (live holder) or removed a stale lock.
  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreate(file, content)) return ownedLock(file, info, content);
    const existing = readLock(file);
    if (existing === undefined) continue; // removed in the meantime
    const holder = parseLock(existing);
    if (holder && isAlive(holder.pid) && (holder.pid !== process.pid || heldHere.has(file))) throw new DataFolderBusyError(dataDir, holder);
    // Stale (dead pid) or unreadable after its writer had time to finish: remove it, but only if it
    // is still the file we judged, so that we never remove a lock another process just took.
    if (!holder && attempt === 0) {
      sleep(100);
      continue;
    }
    if (readLock(file) === existing) removeQuietly(file);
  }
  const holder = parseLock(readLock(file) ?? '');
  if (holder) throw new DataFolderBusyError(dataDir, holder);
  throw new Error(`Could not take the lock ${file}; delete it if no server or command is using ${dataDir}.`);
}

/** What the busy message says: who holds the folder and what to do. */
export function busyMessage(dataDir: string, holder: LockInfo): string {
  const who =
    holder.role === 'server'
      ? `the server (pid ${holder.pid}${holder.port !== undefined ? `, port ${holder.port}` : ''})`
      : `another command (pid ${holder.pid})`;
  const wait = holder.role === 'server' ? 'Stop the server first (Ctrl+C)' : 'Wait for it to finish';
  return (
    `The embedded database in ${dataDir} is in use by ${who}. ${wait}, then run this command again` +
    ` — or set DATABASE_URL to use PostgreSQL, which allows several processes.` +
    ` (If no such process is running, delete ${path.join(dataDir, LOCK_FILE)}.)`
  );
}

function tryCreate(file: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

function ownedLock(file: string, info: LockInfo, content: string): DataFolderLock {
  let released = false;
  heldHere.add(file);
  return {
    file,
    info,
    release() {
      if (released) return;
      released = true;
      heldHere.delete(file);
      if (readLock(file) === content) removeQuietly(file);
    },
  };
}

function readLock(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function parseLock(text: string): LockInfo | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockInfo>;
    if (typeof value.pid !== 'number' || !Number.isInteger(value.pid) || value.pid <= 0) return undefined;
    return {
      pid: value.pid,
      role: value.role === 'server' ? 'server' : 'cli',
      ...(typeof value.port === 'number' ? { port: value.port } : {}),
      startedAt: typeof value.startedAt === 'string' ? value.startedAt : '',
    };
  } catch {
    return undefined;
  }
}

/** Signal 0 checks that a process exists without touching it; EPERM means it exists but is not ours. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
