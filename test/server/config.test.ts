/**
 * Configuration: where the backup key lives, how e-mail is sent, and the analysis workers.
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

describe('readConfig: e-mail', () => {
  it('writes to the outbox folder without SMTP_URL, with the token key in DATA_DIR', () => {
    const mail = readConfig({ DATA_DIR: '/srv/forum' }).mail;
    expect(mail.smtpUrl).toBeUndefined();
    expect(mail.outboxDir).toBe('/srv/forum/outbox');
    expect(mail.tokenKeyFile).toBe('/srv/forum/mail-token.key');
    expect(Object.isFrozen(mail)).toBe(true);
  });

  it('takes an SMTP URL with MAIL_FROM, and names the variable when one is wrong or missing', () => {
    const mail = readConfig({ SMTP_URL: 'smtps://user:secret@mail.example.org:465', MAIL_FROM: 'GFMD <a@example.org>', MAIL_RATE_PER_MINUTE: '30' }).mail;
    expect(mail).toMatchObject({ smtpUrl: 'smtps://user:secret@mail.example.org:465', from: 'GFMD <a@example.org>', ratePerMinute: 30 });
    expect(() => readConfig({ SMTP_URL: 'smtp://mail.example.org' })).toThrow(/MAIL_FROM: needed with SMTP_URL/);
    expect(() => readConfig({ SMTP_URL: 'http://mail.example.org', MAIL_FROM: 'a@example.org' })).toThrow(/SMTP_URL: must be an smtp/);
    expect(() => readConfig({ MAIL_FROM: 'nobody' })).toThrow(/MAIL_FROM/);
    expect(() => readConfig({ MAIL_RATE_PER_MINUTE: '0' })).toThrow(/MAIL_RATE_PER_MINUTE/);
  });
});

describe('readConfig: the analysis workers', () => {
  it('answers analytical requests in worker threads with 2 connections each at nice +10 by default, and takes other values', () => {
    expect(readConfig({})).toMatchObject({ analysisWorkers: true, analysisPoolSize: 2, analysisWorkerNice: 10 });
    expect(readConfig({ ANALYSIS_WORKERS: 'false', ANALYSIS_DB_POOL_SIZE: '4', ANALYSIS_WORKER_NICE: '0' })).toMatchObject({
      analysisWorkers: false,
      analysisPoolSize: 4,
      analysisWorkerNice: 0,
    });
    expect(readConfig({ ANALYSIS_WORKERS: '0' }).analysisWorkers).toBe(false);
  });

  it('refuses a value it cannot use, naming the variable', () => {
    expect(() => readConfig({ ANALYSIS_WORKERS: 'yes' })).toThrow(/ANALYSIS_WORKERS/);
    expect(() => readConfig({ ANALYSIS_WORKER_NICE: '20' })).toThrow(/ANALYSIS_WORKER_NICE/);
    expect(() => readConfig({ ANALYSIS_DB_POOL_SIZE: '0' })).toThrow(/ANALYSIS_DB_POOL_SIZE/);
  });
});
