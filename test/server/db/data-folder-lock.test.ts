import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireDataFolderLock, DataFolderBusyError, LOCK_FILE } from '../../../server/db/data-folder-lock.ts';

describe('acquireDataFolderLock', () => {
  let root: string;
  let dataDir: string;
  let lockFile: string;
  const children: ChildProcess[] = [];
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'fat-lock-'));
    dataDir = path.join(root, 'data');
    lockFile = path.join(dataDir, LOCK_FILE);
  });
  afterEach(() => {
    for (const child of children.splice(0)) child.kill();
    rmSync(root, { recursive: true, force: true });
  });

  function deadPid(): number {
    const child = spawnSync(process.execPath, ['-e', '']);
    return child.pid as number;
  }

  it('creates the folder and a lock file naming this process, and removes it on release', () => {
    const lock = acquireDataFolderLock(dataDir, { role: 'server', port: 3000 });
    expect(JSON.parse(readFileSync(lockFile, 'utf8'))).toEqual({ pid: process.pid, role: 'server', port: 3000, startedAt: expect.any(String) });
    lock.release();
    expect(existsSync(lockFile)).toBe(false);
    lock.release();
  });

  it('refuses a second holder while the first is alive, saying what to do', () => {
    const lock = acquireDataFolderLock(dataDir, { role: 'server', port: 3000 });
    try {
      expect(() => acquireDataFolderLock(dataDir, { role: 'cli' })).toThrow(DataFolderBusyError);
      expect(() => acquireDataFolderLock(dataDir, { role: 'cli' })).toThrow(
        `The embedded database in ${dataDir} is in use by the server (pid ${process.pid}, port 3000). Stop the server first (Ctrl+C), then run this command again — or set DATABASE_URL to use PostgreSQL, which allows several processes.`,
      );
    } finally {
      lock.release();
    }
    acquireDataFolderLock(dataDir, { role: 'cli' }).release();
  });

  it('refuses a lock held by another live process and leaves its file alone', () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    children.push(child);
    const content = JSON.stringify({ pid: child.pid, role: 'cli', startedAt: new Date().toISOString() });
    acquireDataFolderLock(dataDir, { role: 'cli' }).release(); // creates the folder
    writeFileSync(lockFile, content);
    expect(() => acquireDataFolderLock(dataDir, { role: 'server', port: 8080 })).toThrow(`in use by another command (pid ${child.pid}). Wait for it to finish`);
    expect(readFileSync(lockFile, 'utf8')).toBe(content);
  });

  it('replaces a stale lock whose process is dead', () => {
    const lock = acquireDataFolderLock(dataDir, { role: 'cli' });
    lock.release();
    writeFileSync(lockFile, JSON.stringify({ pid: deadPid(), role: 'server', port: 3000, startedAt: '2026-01-01T00:00:00.000Z' }));
    const fresh = acquireDataFolderLock(dataDir, { role: 'cli' });
    expect(JSON.parse(readFileSync(lockFile, 'utf8'))).toMatchObject({ pid: process.pid, role: 'cli' });
    fresh.release();
  });

  it("replaces an unreadable lock, and one naming this pid that this process does not hold (a restarted container's)", () => {
    acquireDataFolderLock(dataDir, { role: 'cli' }).release();
    writeFileSync(lockFile, 'not json');
    acquireDataFolderLock(dataDir, { role: 'cli' }).release();
    writeFileSync(lockFile, JSON.stringify({ pid: process.pid, role: 'server', startedAt: '2026-01-01T00:00:00.000Z' }));
    const lock = acquireDataFolderLock(dataDir, { role: 'server' });
    expect(JSON.parse(readFileSync(lockFile, 'utf8')).startedAt).not.toBe('2026-01-01T00:00:00.000Z');
    lock.release();
  });

  it('release leaves a lock that is no longer ours', () => {
    const lock = acquireDataFolderLock(dataDir, { role: 'cli' });
    const other = JSON.stringify({ pid: deadPid(), role: 'server', startedAt: '2026-01-01T00:00:00.000Z' });
    writeFileSync(lockFile, other);
    lock.release();
    expect(readFileSync(lockFile, 'utf8')).toBe(other);
  });
});
