/**
 * Exports killed half-way leave nothing behind for long: the next command-line export removes a
 * `<out>.partial-<pid>` whose process has ended (and keeps one whose process runs), and the server
 * at start-up removes its temporary export folders older than six hours (and keeps newer ones and
 * everything else in the temporary folder).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeAbandonedPartials, removeStaleTemporaryExports } from '../../../server/export/stale-exports.ts';

const roots: string[] = [];
function scratch(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'stale-exports-test-'));
  roots.push(root);
  return root;
}
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A process id that has certainly ended: a child that already exited. */
function endedPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

describe('left-over export folders', () => {
  it('removes the partial folder of an export whose process ended, not that of one still running', async () => {
    const root = scratch();
    const target = path.join(root, 'hld');
    const dead = `${target}.partial-${endedPid()}`;
    const alive = `${target}.partial-${process.pid === 1 ? 2 : 1}`;
    const mine = `${target}.partial-${process.pid}`;
    const other = path.join(root, 'other.partial-99999999');
    for (const folder of [dead, alive, mine, other]) {
      mkdirSync(folder);
      writeFileSync(path.join(folder, 'tables.csv'), 'x');
    }
    expect(await removeAbandonedPartials(target)).toEqual([dead]);
    expect([dead, alive, mine, other].map(existsSync)).toEqual([false, true, true, true]);
  });

  it('removes the server’s temporary export folders older than six hours, and nothing else', async () => {
    const root = scratch();
    const now = new Date('2026-12-05T12:00:00Z');
    const old = new Date(now.getTime() - 7 * 3600_000);
    const recent = new Date(now.getTime() - 3600_000);
    const folders = {
      oldExport: path.join(root, 'fat-export-abc'),
      oldRelease: path.join(root, 'fat-release-def'),
      recentExport: path.join(root, 'fat-export-ghi'),
      unrelated: path.join(root, 'someone-else-xyz'),
    };
    for (const folder of Object.values(folders)) mkdirSync(folder);
    for (const folder of [folders.oldExport, folders.oldRelease, folders.unrelated]) utimesSync(folder, old, old);
    utimesSync(folders.recentExport, recent, recent);
    expect((await removeStaleTemporaryExports(root, now)).sort()).toEqual([folders.oldExport, folders.oldRelease].sort());
    expect(Object.values(folders).map(existsSync)).toEqual([false, false, true, true]);
  });
});
