/**
 * Exports killed half-way (SIGKILL, a power cut) leave their working folders behind: the
 * command line's `<out>.partial-<pid>` next to the folder asked for, the server's `fat-export-*`
 * and `fat-release-*` in the system's temporary folder. These are removed when the next export
 * starts (a partial folder whose process is gone) and when the server starts (temporary folders
 * older than an export ever takes).
 */
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';

/** The prefixes of the server's temporary export folders. */
export const TEMPORARY_PREFIXES = ['fat-export-', 'fat-release-'] as const;

/** Temporary folders older than this are left over: no export runs for hours. */
export const STALE_AFTER_MS = 6 * 3600_000;

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes `<target>.partial-<pid>` folders whose process has ended; returns the paths removed. */
export async function removeAbandonedPartials(target: string): Promise<string[]> {
  const folder = path.dirname(target);
  const prefix = `${path.basename(target)}.partial-`;
  const removed: string[] = [];
  for (const name of await readdir(folder).catch(() => [] as string[])) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length));
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || processIsAlive(pid)) continue;
    await rm(path.join(folder, name), { recursive: true, force: true });
    removed.push(path.join(folder, name));
  }
  return removed;
}

/** Removes the server's temporary export folders in `tmpDir` older than `olderThanMs`; returns the paths removed. */
export async function removeStaleTemporaryExports(tmpDir: string, now: Date, olderThanMs = STALE_AFTER_MS): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(tmpDir).catch(() => [] as string[])) {
    if (!TEMPORARY_PREFIXES.some((prefix) => name.startsWith(prefix))) continue;
    const full = path.join(tmpDir, name);
    const info = await stat(full).catch(() => undefined);
    if (!info?.isDirectory() || now.getTime() - info.mtimeMs < olderThanMs) continue;
    await rm(full, { recursive: true, force: true });
    removed.push(full);
  }
  return removed;
}
