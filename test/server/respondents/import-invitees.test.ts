import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../server/errors.ts';
import { importInvitees, registerOpenRespondent, reissueLink, revokeLink } from '../../../server/respondents/import-invitees.ts';
import {
  existingGovernmentCountries,
  findInvitationByTokenHash,
  listInvitations,
  markInvitationOpened,
} from '../../../server/respondents/respondents.queries.ts';
import { hashToken } from '../../../server/respondents/tokens.ts';
import { syncDefinitions } from '../../../server/surveys/sync-definitions.ts';
import { createTestDatabase, TEST_DATABASE_KIND, type TestDatabase } from '../../support/database.ts';

const FIXTURE = path.resolve('test/fixtures/surveys-invite');
const SURVEY = 'invite-test';
const PUBLIC_URL = 'https://assess.example.org';
const HEADER = 'name,kind,country,roles,org_type,email';

function tokenOf(link: string): string {
  const match = /^https:\/\/assess\.example\.org\/r\/([A-Za-z0-9_-]+)$/.exec(link);
  if (!match?.[1]) throw new Error(`not a link: ${link}`);
  return match[1];
}

describe(`importInvitees (${TEST_DATABASE_KIND})`, () => {
  let handle: TestDatabase;
  beforeEach(async () => {
    handle = await createTestDatabase();
    const report = await syncDefinitions(handle.db, FIXTURE);
    expect(report.problems).toEqual([]);
  });
  afterEach(() => handle.close());

  const count = async (table: 'respondent' | 'invitation' | 'audit_log') =>
    (await handle.db.selectFrom(table).select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n;

  /** Every text, text[] and jsonb value of the tables that could leak a token, as text. */
  async function storedTexts(): Promise<string[]> {
    const { rows: columns } = await sql<{ table_name: string; column_name: string }>`
      select table_name, column_name from information_schema.columns
      where table_schema = 'public' and table_name in ('respondent', 'invitation', 'audit_log')
        and data_type in ('text', 'jsonb', 'ARRAY', 'character varying')`.execute(handle.db);
    expect(columns.length).toBeGreaterThanOrEqual(12);
    const values: string[] = [];
    for (const { table_name, column_name } of columns) {
      const { rows } = await sql<{ v: string | null }>`select ${sql.ref(column_name)}::text as v from ${sql.table(table_name)}`.execute(handle.db);
      for (const { v } of rows) if (v !== null) values.push(v);
    }
    return values;
  }

  it('imports every row with a link of at least 128 random bits, storing only its hash', async () => {
    const csvText = `${HEADER}\nKenya,government,KE,steering_group;troika,,fp@kenya.go.ke\n"IOM, Geneva",international_org,CHE,pfp_partner,,\n`;
    const result = await importInvitees(handle.db, { surveyId: SURVEY, csvText, publicUrl: `${PUBLIC_URL}/` });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.rows.map((r) => [r.line, r.name, r.country])).toEqual([
      [2, 'Kenya', 'KEN'],
      [3, 'IOM, Geneva', 'CHE'],
    ]);
    const tokens = result.rows.map((r) => tokenOf(r.link));
    expect(new Set(tokens).size).toBe(2);
    for (const token of tokens) expect(Buffer.from(token, 'base64url').length * 8).toBeGreaterThanOrEqual(128);

    const found = await findInvitationByTokenHash(handle.db, hashToken(tokens[0] as string));
    expect(found).toMatchObject({
      surveyId: SURVEY,
      revokedAt: null,
      respondent: { name: 'Kenya', kind: 'government', country: 'KEN', region: 'Africa', roles: ['steering_group', 'troika'], source: 'invitation' },
    });
    expect(await existingGovernmentCountries(handle.db, SURVEY)).toEqual(new Set(['KEN']));

    const stored = await storedTexts();
    expect(stored).toContain(hashToken(tokens[0] as string));
    for (const token of tokens) expect(stored.filter((v) => v.includes(token))).toEqual([]);
  });

  it('imports nothing from a file with one bad row', async () => {
    const csvText = `${HEADER}\nKenya,government,KEN,,,\nFrance,government,FRA,,,\nVoices,civil_society,,,ngo,\nGhana,government,GHA,,,\n`;
    const result = await importInvitees(handle.db, { surveyId: SURVEY, csvText, publicUrl: PUBLIC_URL });
    expect(result).toEqual({ ok: false, errors: [{ line: 4, column: 'kind', message: expect.stringContaining('not civil_society') }] });
    expect([await count('respondent'), await count('invitation'), await count('audit_log')]).toEqual([0, 0, 0]);
  });

  it('leaves nothing when the database fails in the middle of the import', async () => {
    // A real failure raised by the database on the second row (no mock).
    await sql`create function fail_on_boom() returns trigger language plpgsql as $$
      begin if new.name = 'Boom' then raise exception 'boom'; end if; return new; end $$`.execute(handle.db);
    await sql`create trigger respondent_boom before insert on respondent for each row execute function fail_on_boom()`.execute(handle.db);
    const csvText = `${HEADER}\nKenya,government,KEN,,,\nBoom,government,FRA,,,\nGhana,government,GHA,,,\n`;
    await expect(importInvitees(handle.db, { surveyId: SURVEY, csvText, publicUrl: PUBLIC_URL })).rejects.toThrow(/boom/);
    expect([await count('respondent'), await count('invitation'), await count('audit_log')]).toEqual([0, 0, 0]);
  });

  it('refuses a government that is already invited, naming its line, and imports nothing of that file', async () => {
    const first = await importInvitees(handle.db, { surveyId: SURVEY, csvText: `${HEADER}\nKenya,government,KEN,,,\n`, publicUrl: PUBLIC_URL });
    expect(first.ok).toBe(true);
    const second = await importInvitees(handle.db, {
      surveyId: SURVEY,
      csvText: `${HEADER}\nGhana,government,GH,,,\nKenya MFA,government,KE,,,\n`,
      publicUrl: PUBLIC_URL,
    });
    expect(second).toEqual({
      ok: false,
      errors: [{ line: 3, column: 'country', message: expect.stringContaining('KEN already has a government respondent') }],
    });
    expect(await count('respondent')).toBe(1);
  });

  it('after a revocation, points to reissuing the government’s link, and refuses an address already invited', async () => {
    const first = await importInvitees(handle.db, { surveyId: SURVEY, csvText: `${HEADER}\nKenya,government,KEN,,,focal@mfa.ke\n`, publicUrl: PUBLIC_URL });
    if (!first.ok) throw new Error('import failed');
    const [kenya] = await handle.db.selectFrom('respondent').select('id').execute();
    await revokeLink(handle.db, { respondentId: kenya!.id }, { actor: 'test' });
    const again = await importInvitees(handle.db, { surveyId: SURVEY, csvText: `${HEADER}\nKenya,government,KEN,,,\n`, publicUrl: PUBLIC_URL });
    expect(again).toEqual({
      ok: false,
      errors: [{ line: 2, column: 'country', message: expect.stringContaining(`invite reissue --survey ${SURVEY} --country KEN`) }],
    });
    expect(again.ok ? '' : again.errors[0]!.message).not.toContain('revoke or');
    // The same address (any case) for another respondent of the questionnaire: refused, naming it.
    const address = await importInvitees(handle.db, { surveyId: SURVEY, csvText: `${HEADER}\nGhana,government,GHA,,,Focal@MFA.ke\n`, publicUrl: PUBLIC_URL });
    expect(address).toEqual({ ok: false, errors: [{ line: 2, column: 'email', message: expect.stringContaining('Focal@MFA.ke is already invited') }] });
    expect(await count('respondent')).toBe(1);
  });

  it('throws not_found for a survey that is not published', async () => {
    const attempt = importInvitees(handle.db, { surveyId: 'no-such-survey', csvText: `${HEADER}\nKenya,government,KEN,,,\n`, publicUrl: PUBLIC_URL });
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({ code: 'not_found' });
  });

  it('revokes a link, then reissues a new one that works while the old one stays revoked', async () => {
    const result = await importInvitees(handle.db, { surveyId: SURVEY, csvText: `${HEADER}\nKenya,government,KEN,,,\n`, publicUrl: PUBLIC_URL });
    if (!result.ok) throw new Error('import failed');
    const oldToken = tokenOf(result.rows[0]?.link ?? '');
    const old = await findInvitationByTokenHash(handle.db, hashToken(oldToken));
    if (!old) throw new Error('invitation not found');

    const revoked = await revokeLink(handle.db, { invitationId: old.invitationId }, { actor: 'cli' });
    expect(revoked).toEqual({ respondentId: old.respondentId, surveyId: SURVEY, revokedInvitationIds: [old.invitationId] });
    expect((await findInvitationByTokenHash(handle.db, hashToken(oldToken)))?.revokedAt).toBeInstanceOf(Date);

    const reissued = await reissueLink(handle.db, { respondentId: old.respondentId }, { actor: 'cli', publicUrl: PUBLIC_URL });
    const newToken = tokenOf(reissued.link);
    expect(newToken).not.toBe(oldToken);
    expect(await findInvitationByTokenHash(handle.db, hashToken(newToken))).toMatchObject({ respondentId: old.respondentId, revokedAt: null });
    expect((await findInvitationByTokenHash(handle.db, hashToken(oldToken)))?.revokedAt).toBeInstanceOf(Date);

    const audit = await handle.db.selectFrom('audit_log').select(['actor', 'action', 'subject']).orderBy('id').execute();
    expect(audit).toEqual([
      { actor: 'cli', action: 'invitees.import', subject: `survey:${SURVEY}` },
      { actor: 'cli', action: 'invitation.revoke', subject: `respondent:${old.respondentId}` },
      { actor: 'cli', action: 'invitation.reissue', subject: `respondent:${old.respondentId}` },
    ]);
    const stored = await storedTexts();
    for (const token of [oldToken, newToken]) expect(stored.filter((v) => v.includes(token))).toEqual([]);
    await expect(revokeLink(handle.db, { invitationId: 999_999 }, { actor: 'cli' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('lists links and records when they are opened, keeping the first opening', async () => {
    const result = await importInvitees(handle.db, { surveyId: SURVEY, csvText: `${HEADER}\nKenya,government,KEN,,,a@b.org\n`, publicUrl: PUBLIC_URL });
    if (!result.ok) throw new Error('import failed');
    const found = await findInvitationByTokenHash(handle.db, hashToken(tokenOf(result.rows[0]?.link ?? '')));
    if (!found) throw new Error('invitation not found');
    const first = new Date('2026-03-01T10:00:00Z');
    const later = new Date('2026-03-02T10:00:00Z');
    await markInvitationOpened(handle.db, found.invitationId, first);
    await markInvitationOpened(handle.db, found.invitationId, later);
    expect(await listInvitations(handle.db, SURVEY)).toEqual([
      expect.objectContaining({
        invitationId: found.invitationId,
        name: 'Kenya',
        email: 'a@b.org',
        firstOpenedAt: first,
        lastOpenedAt: later,
        revokedAt: null,
      }),
    ]);
  });
});

describe(`registerOpenRespondent (${TEST_DATABASE_KIND})`, () => {
  let handle: TestDatabase;
  let folder: string;
  beforeEach(async () => {
    handle = await createTestDatabase();
    // An open questionnaire for civil society, derived from the fixture.
    folder = mkdtempSync(path.join(tmpdir(), 'fat-open-'));
    writeFileSync(path.join(folder, 'common.yaml'), readFileSync(path.join(FIXTURE, 'common.yaml')));
    const source = readFileSync(path.join(FIXTURE, 'invite-test.yaml'), 'utf8')
      .replace('id: invite-test', 'id: open-test')
      .replace('audience: [government, international_org]', 'audience: [civil_society]\nopen_registration: true');
    writeFileSync(path.join(folder, 'open-test.yaml'), source);
    expect((await syncDefinitions(handle.db, folder)).problems).toEqual([]);
    expect((await syncDefinitions(handle.db, FIXTURE)).problems).toEqual([]);
  });
  afterEach(async () => {
    await handle.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('creates a civil society respondent with a resumable link', async () => {
    const registered = await handle.db
      .transaction()
      .execute((trx) => registerOpenRespondent(trx, { surveyId: 'open-test', name: ' Migrant Voices ', country: 'sn', orgType: 'migrant_association' }));
    if (!registered.ok) throw new Error('not registered');
    const { respondentId, token } = registered;
    expect(Buffer.from(token, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    expect(await findInvitationByTokenHash(handle.db, hashToken(token))).toMatchObject({
      respondentId,
      surveyId: 'open-test',
      respondent: {
        kind: 'civil_society',
        name: 'Migrant Voices',
        country: 'SEN',
        region: 'Africa',
        org_type: 'migrant_association',
        source: 'open_registration',
      },
    });
  });

  it('refuses questionnaires that are not open, and bad values', async () => {
    const register = (input: Parameters<typeof registerOpenRespondent>[1]) => handle.db.transaction().execute((trx) => registerOpenRespondent(trx, input));
    await expect(register({ surveyId: 'invite-test', name: 'Voices', country: 'SN', orgType: 'ngo' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(register({ surveyId: 'nope', name: 'Voices', country: 'SN', orgType: 'ngo' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(register({ surveyId: 'open-test', name: ' ', country: 'SN', orgType: 'ngo' })).rejects.toMatchObject({
      code: 'validation',
      details: { field: 'name' },
    });
    await expect(register({ surveyId: 'open-test', name: 'Voices', country: 'ZZZ', orgType: 'ngo' })).rejects.toMatchObject({
      code: 'validation',
      details: { field: 'country' },
    });
    await expect(register({ surveyId: 'open-test', name: 'Voices', country: 'SN', orgType: 'ngo', email: 'nope' })).rejects.toMatchObject({
      code: 'validation',
      details: { field: 'email' },
    });
    expect((await handle.db.selectFrom('respondent').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n).toBe(0);
  });
});
