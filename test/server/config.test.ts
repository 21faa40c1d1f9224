/**
 * Configuration: where the backup key lives.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../server/config.ts';

describe('readConfig: the backup key file', () => {
  it('is backup.key in DATA_DIR by default, and BACKUP_KEY_FILE when given', () => {
    expect(readConfig({}).backupKeyFile).toBe(path.resolve('data', 'backup.key'));
    expect(readConfig({ DATA_DIR: '/srv/forum' }).backupKeyFile).toBe('/srv/forum/backup.key');
    expect(readConfig({ DATA_DIR: '/srv/forum', BACKUP_KEY_FILE: '/etc/forum/backup.key' }).backupKeyFile).toBe('/etc/forum/backup.key');
  });
});
