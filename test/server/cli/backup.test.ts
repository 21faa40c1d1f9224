/**
 * Backup and restore: a full survey (questionnaire versions, invitations, responses and their
 * revisions, submissions, exclusions, tags, approvals, team accounts, sessions, audit log) comes
 * back table for table, links and sessions keep working, a damaged file or a non-empty target is
 * refused with nothing written, and `assess backup` / `assess restore` do it end to end.
 */
import { queueInvitations } from '../../../server/mail/mail.queries.ts';
import { tokenKeyring } from '../../../server/respondents/sealed-tokens.ts';
import { createRelease } from '../../../server/releases/release-service.ts';
import { writeExportBundle } from '../../../server/export/export-bundle.ts';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import { sql, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../../server/app.ts';
import { insertAuditEntry } from '../../../server/audit/audit.queries.ts';
import { restoreBackup, writeBackup } from '../../../server/db/backup.ts';
import { loadBackupKey, type BackupKey } from '../../../server/db/backup-key.ts';
import { openDatabase, type DatabaseHandle } from '../../../server/db/connect.ts';
import type { Database } from '../../../server/db/schema.ts';
import { approveText } from '../../../server/free-text/text-approvals.queries.ts';
import { importInvitees } from '../../../server/respondents/import-invitees.ts';
import { AppError } from '../../../server/errors.ts';
import { publishAnalysisSurveys, seedBaseData } from '../support/analysis-data.ts';
import { FLOW_SURVEYS, PUBLIC_URL, WHILE_OPEN } from '../support/app-fixture.ts';
import { Browser } from '../support/browser.ts';
import { createTeamFixture, type TeamFixture } from '../support/team-fixture.ts';
import { USER_COOKIE } from '../../../server/http/require-user.ts';
import { SESSION_COOKIE } from '../../../server/http/respondent-cookie.ts';
import { addUser } from '../../../server/accounts/account-service.ts';
import { createTestDatabase, TEST_DATABASE_KIND, type TestDatabase } from '../../support/database.ts';
import { syncDefinitions } from '../../../server/surveys/sync-definitions.ts';
import { assess } from '../support/assess-cli.ts';
import { applyTally, foldTallyDeltas } from '../../../server/db/answer-tally.queries.ts';

/** Entries the backup and restore themselves add; everything else must come back unchanged. */
const OWN_ACTIONS = ['backup.create', 'backup.restore'];

/** md5 of every table's rows (in their text form, UTC), keyed by table; the migration tables aside. */
async function tableDigests(db: Kysely<Database>): Promise<Record<string, string>> {
  return db.transaction().execute(async (trx) => {
    await sql`set local timezone to 'UTC'`.execute(trx);
    await sql`set local extra_float_digits to 1`.execute(trx);
    const { rows: tables } = await sql<{ name: string }>`
      select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = current_schema() and c.relkind = 'r' and c.relname not like 'kysely%' order by 1`.execute(trx);
    const digests: Record<string, string> = {};
    for (const { name } of tables) {
      const filter = name === 'audit_log' ? sql`where t.action not in (${sql.join(OWN_ACTIONS)})` : sql``;
      const { rows } = await sql<{ digest: string; n: string | number }>`
        select md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) as digest, count(*) as n from ${sql.id(name)} as t ${filter}`.execute(trx);
      digests[name] = `${rows[0]!.n}:${rows[0]!.digest}`;
    }
    return digests;
  });
}

/** The next id a table's sequence hands out is past every restored one. */
async function nextRespondentIdIsFree(db: Kysely<Database>): Promise<void> {
  const { max } = await db
    .selectFrom('respondent')
    .select((eb) => eb.fn.max('id').as('max'))
    .executeTakeFirstOrThrow();
  const { id } = await db
    .insertInto('respondent')
    .values({ survey_id: 'analysis-gov', kind: 'civil_society', name: 'After restore', source: 'invitation' })
    .returning('id')
    .executeTakeFirstOrThrow();
  expect(id).toBeGreaterThan(Number(max));
}

interface Survey {
  token: string;
  analystCookie: string;
  respondentCookie: string;
}

/** Builds a full survey on the team fixture's database: every table holds rows. */
async function buildFullSurvey(team: TeamFixture): Promise<Survey> {
  await publishAnalysisSurveys(team.db);
  const ids = await seedBaseData(team.db);
  const analyst = await team.addMember('analyst');
  // An account still to be activated: its one-time link is in account_link.
  await addUser(team.db, { email: 'observer@team.example.org', role: 'observer', actor: 'test' }, new Date(WHILE_OPEN));
  const invited = await importInvitees(team.db, {
    surveyId: 'flow-gov',
    csvText: 'name,kind,country,email\n"Kenya",government,KEN,focal@example.org\n',
    publicUrl: PUBLIC_URL,
    actor: 'test',
    tokenKeyring: tokenKeyring([randomBytes(32)]),
  });
  if (!invited.ok) throw new Error('the invitation failed');
  // Its invitation e-mail queued: mail_message (the link in it sealed, never in plain text).
  expect((await queueInvitations(team.db, { surveyId: 'flow-gov', actor: 'test' })).queued).toBe(1);
  const token = invited.rows[0]!.link.slice(`${PUBLIC_URL}/r/`.length);
  const respondent = new Browser(team.app);
  expect((await respondent.openLink(token)).status).toBe(303);
  const respondentCookie = respondent.cookie(SESSION_COOKIE)!;
  const browser = new Browser(team.app);
  const analystCookie = await team.signIn(browser, analyst);
  await approveText(team.db, {
    responseId: ids.R4!,
    questionId: 'g_comment',
    answerText: 'Too many side events.',
    publishedText: 'Too many side events.',
    userId: analyst.id,
  });
  await insertAuditEntry(team.db, {
    actor: 'test',
    action: 'test.note',
    subject: null,
    details: { note: 'é ü 中文', at: new Date('2026-03-02T09:00:00.123456Z') },
  });
  // Running counts both folded and waiting in deltas, as on a server between two folds.
  await team.db.transaction().execute((trx) => foldTallyDeltas(trx));
  await team.db.transaction().execute(async (trx) => {
    await applyTally(trx, [ids.R4!], -1);
    await applyTally(trx, [ids.R4!], 1);
  });
  await createRelease(team.db, { surveyId: 'analysis-gov', name: 'Backed up', actor: 'test' });
  // A restricted-use file issued: row_file_issue.
  const exported = mkdtempSync(path.join(tmpdir(), 'fat-backup-export-'));
  await writeExportBundle(team.db, { surveyId: 'analysis-gov', k: 3, actor: 'test', recipient: 'A. Researcher', purpose: 'Backed up too' }, exported);
  rmSync(exported, { recursive: true, force: true });
  const empty = Object.entries(await tableDigests(team.db)).filter(([, d]) => d.startsWith('0:'));
  expect(
    empty.map(([t]) => t),
    'tables the test survey leaves empty',
  ).toEqual([]);
  return { token, analystCookie, respondentCookie };
}

function appOn(handle: DatabaseHandle) {
  return createApp({
    db: handle.db,
    databaseKind: handle.kind,
    publicUrl: PUBLIC_URL,
    sessionDays: 30,
    trustProxy: false,
    surveysDir: FLOW_SURVEYS,
    now: () => new Date(WHILE_OPEN),
  });
}

/**
 * Rewrites a backup's content (lines before the trailer) and seals it again with a fresh SHA-256,
 * as anyone can; with `key`, signs it again too, as only the key's holder can.
 */
function rewriteBackup(file: string, change: (lines: string[]) => string[], key?: BackupKey): void {
  const lines = gunzipSync(readFileSync(file)).toString('utf8').trimEnd().split('\n');
  const trailer = JSON.parse(lines.pop()!) as { sha256: string; hmac?: string };
  const content = change(lines)
    .map((l) => `${l}\n`)
    .join('');
  trailer.sha256 = createHash('sha256').update(content).digest('hex');
  if (key) trailer.hmac = createHmac('sha256', key.secret).update(content).digest('hex');
  writeFileSync(file, gzipSync(`${content}${JSON.stringify(trailer)}\n`));
}

async function refusal(work: Promise<unknown>): Promise<AppError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe(`backup and restore (${TEST_DATABASE_KIND})`, { timeout: 180_000 }, () => {
  let dir: string;
  let team: TeamFixture;
  let target: TestDatabase;
  let key: BackupKey;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'fat-backup-'));
    team = await createTeamFixture();
    target = await createTestDatabase();
    key = await loadBackupKey(path.join(dir, 'backup.key'), { create: true });
  });
  afterEach(async () => {
    await team.close();
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('restores a full survey table for table into a fresh database; links, sessions and sequences keep working', async () => {
    const survey = await buildFullSurvey(team);
    const before = await tableDigests(team.db);
    const file = path.join(dir, 'survey.backup.gz');
    const made = await writeBackup(team.db, file, { databaseKind: team.handle.kind, key });
    expect(made.bytes).toBe(statSync(file).size);
    expect(() => statSync(`${file}.partial`)).toThrow();
    expect(made.migrations.length).toBeGreaterThanOrEqual(4);

    const restored = await restoreBackup(target.db, file, { replace: false, key });
    expect(restored.replaced).toBe(false);
    expect(restored.counts).toEqual(made.counts);
    expect(await tableDigests(target.db)).toEqual(before);

    const app = appOn(target);
    const respondent = new Browser(app);
    respondent.setCookie(SESSION_COOKIE, survey.respondentCookie);
    expect((await respondent.get('/form')).status).toBe(200);
    const fresh = new Browser(app);
    const opened = await fresh.openLink(survey.token);
    expect(opened.status).toBe(303);
    expect(opened.headers.get('location')).toBe('/form');
    const analyst = new Browser(app);
    analyst.setCookie(USER_COOKIE, survey.analystCookie);
    expect((await analyst.get('/admin/dashboard?survey=analysis-gov')).status).toBe(200);
    await nextRespondentIdIsFree(target.db);
  });

  it('refuses a truncated, altered or foreign file, and a schema of other migrations, writing nothing', async () => {
    await buildFullSurvey(team);
    const file = path.join(dir, 'survey.backup.gz');
    await writeBackup(team.db, file, { databaseKind: team.handle.kind, key });
    const bytes = readFileSync(file);
    const emptyTarget = await tableDigests(target.db);
    const cases: [string, () => void, RegExp][] = [
      ['cut in half', () => writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2))), /not a complete backup: it ends early \(truncated\)/],
      [
        'trailer lost',
        () => writeFileSync(file, gzipSync(`${gunzipSync(bytes).toString('utf8').trimEnd().split('\n').slice(0, -1).join('\n')}\n`)),
        /ends before its trailer \(truncated\)/,
      ],
      [
        'a row altered',
        () => writeFileSync(file, gzipSync(gunzipSync(bytes).toString('utf8').replace('Too many side events.', 'Too few side events.'))),
        /does not match the SHA-256 in its trailer/,
      ],
      ['a byte flipped', () => writeFileSync(file, Buffer.from(bytes.map((b, i) => (i === bytes.length - 12 ? b ^ 0xff : b)))), /not a complete backup/],
      ['not a backup', () => writeFileSync(file, gzipSync('{"hello":"world"}\n')), /does not start with a Forum Assessment Toolkit backup header/],
    ];
    for (const [name, damage, message] of cases) {
      damage();
      const error = await refusal(restoreBackup(target.db, file, { replace: false, key }));
      expect(error.message, name).toMatch(message);
      expect(error.message, name).toContain('Nothing was restored');
      expect(await tableDigests(target.db), name).toEqual(emptyTarget);
    }

    writeFileSync(file, bytes);
    rewriteBackup(
      file,
      ([header, ...rest]) => {
        const h = JSON.parse(header!) as { migrations: string[] };
        h.migrations = [...h.migrations.slice(0, -1), '2099-01-01-0001-from-the-future'];
        return [JSON.stringify(h), ...rest];
      },
      key,
    );
    const lastMigration = (await sql<{ name: string }>`select name from kysely_migration order by name desc limit 1`.execute(target.db)).rows[0]!.name;
    const error = await refusal(restoreBackup(target.db, file, { replace: false, key }));
    expect(error.message).toContain('2099-01-01-0001-from-the-future');
    expect(error.message).toContain(lastMigration);
    expect(await tableDigests(target.db)).toEqual(emptyTarget);
  });

  it('refuses content altered with its SHA-256 recomputed, a backup signed with another key or not at all, writing nothing', async () => {
    await buildFullSurvey(team);
    const file = path.join(dir, 'survey.backup.gz');
    await writeBackup(team.db, file, { databaseKind: team.handle.kind, key });
    const bytes = readFileSync(file);
    const emptyTarget = await tableDigests(target.db);
    const otherKey = await loadBackupKey(path.join(dir, 'other.key'), { create: true });
    expect(otherKey.id).not.toBe(key.id);
    const cases: [string, () => Promise<void> | void, RegExp, BackupKey][] = [
      [
        'a row altered, SHA-256 recomputed',
        () => rewriteBackup(file, (lines) => lines.map((l) => l.replace('Too many side events.', 'Too few side events.'))),
        /its content does not match its HMAC: it was changed after it was made, by someone without the backup key/,
        key,
      ],
      [
        'an observer made admin, SHA-256 recomputed',
        () => rewriteBackup(file, (lines) => lines.map((l) => l.replace('"observer"', '"admin"'))),
        /does not match its HMAC/,
        key,
      ],
      [
        'checked with another key',
        () => writeFileSync(file, bytes),
        new RegExp(`signed with another backup key \\(${key.id}\\), not the one in .*other\\.key \\(${otherKey.id}\\)`),
        otherKey,
      ],
      [
        'HMAC removed',
        () => {
          const lines = gunzipSync(bytes).toString('utf8').trimEnd().split('\n');
          const trailer = JSON.parse(lines.pop()!) as Record<string, unknown>;
          delete trailer.hmac;
          writeFileSync(file, gzipSync(`${[...lines, JSON.stringify(trailer)].join('\n')}\n`));
        },
        /it carries no HMAC, so it cannot be shown unaltered/,
        key,
      ],
      [
        'a format-1 file (made before backups were signed)',
        () => {
          writeFileSync(file, bytes);
          rewriteBackup(file, ([header, ...rest]) => [JSON.stringify({ ...(JSON.parse(header!) as object), version: 1 }), ...rest]);
        },
        /made by an earlier version of the toolkit and carries no HMAC/,
        key,
      ],
    ];
    for (const [name, damage, message, checkWith] of cases) {
      writeFileSync(file, bytes);
      await damage();
      const error = await refusal(restoreBackup(target.db, file, { replace: false, key: checkWith }));
      expect(error.message, name).toMatch(message);
      expect(error.message, name).toContain('Nothing was restored');
      expect(await tableDigests(target.db), name).toEqual(emptyTarget);
    }

    // The holder of the key can sign what it likes: that is what the key proves, and all it proves.
    writeFileSync(file, bytes);
    rewriteBackup(file, (lines) => lines, key);
    expect((await restoreBackup(target.db, file, { replace: false, key })).replaced).toBe(false);
  });

  it('refuses a target that holds data unless told to replace it, then replaces it whole', async () => {
    await buildFullSurvey(team);
    const before = await tableDigests(team.db);
    const file = path.join(dir, 'survey.backup.gz');
    await writeBackup(team.db, file, { databaseKind: team.handle.kind, key });
    // A target where the server ran once: questionnaires published, nothing else.
    await syncDefinitions(target.db, FLOW_SURVEYS);
    const published = await tableDigests(target.db);
    const error = await refusal(restoreBackup(target.db, file, { replace: false, key }));
    expect(error.code).toBe('conflict');
    expect(error.message).toMatch(/already holds data \(.*survey_version.*\).*--replace/);
    expect(await tableDigests(target.db)).toEqual(published);

    const replaced = await restoreBackup(target.db, file, { replace: true, key });
    expect(replaced.replaced).toBe(true);
    expect(await tableDigests(target.db)).toEqual(before);
    await nextRespondentIdIsFree(target.db);
  });

  it('crosses database kinds: an embedded PGlite backup restores here, and a backup from here restores into PGlite', async () => {
    const pglite = await openDatabase({ kind: 'pglite', pglite: await PGlite.create() });
    try {
      await publishAnalysisSurveys(pglite.db);
      await seedBaseData(pglite.db);
      const fromPglite = path.join(dir, 'from-pglite.backup.gz');
      await writeBackup(pglite.db, fromPglite, { databaseKind: 'pglite', key });
      await restoreBackup(target.db, fromPglite, { replace: false, key });
      expect(await tableDigests(target.db)).toEqual(await tableDigests(pglite.db));

      await buildFullSurvey(team);
      const fromHere = path.join(dir, `from-${team.handle.kind}.backup.gz`);
      await writeBackup(team.db, fromHere, { databaseKind: team.handle.kind, key });
      await restoreBackup(pglite.db, fromHere, { replace: true, key });
      expect(await tableDigests(pglite.db)).toEqual(await tableDigests(team.db));
    } finally {
      await pglite.close();
    }
  });
});

describe(`assess backup / restore (${TEST_DATABASE_KIND})`, { timeout: 300_000 }, () => {
  let dir: string;
  const opened: TestDatabase[] = [];
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'fat-backup-cli-'));
  });
  afterEach(async () => {
    for (const handle of opened.splice(0)) await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A database for a command to use, with the environment that points the command at it. */
  async function configured(name: string): Promise<{ env: Record<string, string>; open: () => Promise<DatabaseHandle> }> {
    if (process.env.TEST_DATABASE_URL) {
      const handle = await createTestDatabase();
      opened.push(handle);
      return {
        env: { DATABASE_URL: handle.url!, DATA_DIR: path.join(dir, 'no-data'), BACKUP_KEY_FILE: path.join(dir, 'backup.key') },
        open: async () => ({ ...handle, close: async () => {} }),
      };
    }
    const dataDir = path.join(dir, name);
    // Source and target share one key, as an operator restoring elsewhere copies it along.
    return { env: { DATA_DIR: dataDir, BACKUP_KEY_FILE: path.join(dir, 'backup.key') }, open: () => openDatabase({ kind: 'pglite', dataDir }) };
  }

  it('backs up, refuses to overwrite or to restore into data, restores, and replaces', async () => {
    const source = await configured('source');
    const target = await configured('target');
    let db = await source.open();
    await publishAnalysisSurveys(db.db);
    await seedBaseData(db.db);
    const before = await tableDigests(db.db);
    await db.close();

    const file = path.join(dir, 'forum.backup.gz');
    const backup = await assess(['backup', file], source.env);
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/^Wrote .*forum\.backup\.gz: \d+ row\(s\) in \d+ tables, \d+ bytes/);
    expect(backup.stdout).not.toMatch(/postgres:\/\//);
    // The key was made on first use, readable by its owner only.
    expect(statSync(path.join(dir, 'backup.key')).mode & 0o777).toBe(0o600);
    expect(backup.stdout).toContain(`signed with the backup key `);
    const again = await assess(['backup', file], source.env);
    expect([again.code, again.stderr]).toEqual([1, `${file} already exists; give a new file name (or --force to overwrite it).\n`]);

    const truncated = path.join(dir, 'truncated.backup.gz');
    writeFileSync(truncated, readFileSync(file).subarray(0, 200));
    const refused = await assess(['restore', truncated], target.env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('is not a complete backup');

    // Altered with its SHA-256 recomputed (here only its date): refused, exit 1, nothing written.
    const altered = path.join(dir, 'altered.backup.gz');
    writeFileSync(altered, readFileSync(file));
    rewriteBackup(altered, ([header, ...rest]) => [JSON.stringify({ ...(JSON.parse(header!) as object), createdAt: '2020-01-01T00:00:00.000Z' }), ...rest]);
    const forged = await assess(['restore', altered], target.env);
    expect([forged.code, forged.stdout]).toEqual([1, '']);
    expect(forged.stderr).toContain('its content does not match its HMAC');
    // Checked with another key, or with none at all: refused too.
    const otherKey = await assess(['restore', file], { ...target.env, BACKUP_KEY_FILE: path.join(dir, 'other.key') });
    expect(otherKey.code).toBe(1);
    expect(otherKey.stderr).toContain(`There is no backup key at ${path.join(dir, 'other.key')}`);
    await loadBackupKey(path.join(dir, 'other.key'), { create: true });
    const wrongKey = await assess(['restore', file], { ...target.env, BACKUP_KEY_FILE: path.join(dir, 'other.key') });
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toContain('signed with another backup key');

    const restored = await assess(['restore', file], target.env);
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    expect(restored.stdout).toMatch(/^Restored .*forum\.backup\.gz \(made .*\): \d+ row\(s\)/);

    const full = await assess(['restore', file], target.env);
    expect(full.code).toBe(1);
    expect(full.stderr).toMatch(/already holds data .*--replace/);
    const replaced = await assess(['restore', file, '--replace'], target.env);
    expect(replaced.code).toBe(0);
    expect(replaced.stdout).toContain('the earlier data were replaced');

    db = await target.open();
    try {
      expect(await tableDigests(db.db)).toEqual(before);
      const audit = await db.db.selectFrom('audit_log').select(['actor', 'action']).where('action', 'in', OWN_ACTIONS).orderBy('id').execute();
      // The backup's own entry is recorded after its snapshot, so the restored copy has only the restores'.
      expect(audit.map((a) => a.action)).toEqual(['backup.restore']);
      expect(audit[0]!.actor).toMatch(/^cli:/);
    } finally {
      await db.close();
    }
    db = await source.open();
    try {
      expect((await db.db.selectFrom('audit_log').select('action').where('action', '=', 'backup.create').execute()).length).toBe(1);
    } finally {
      await db.close();
    }
  });
});
