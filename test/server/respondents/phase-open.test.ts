import path from 'node:path';
import { sql } from 'kysely';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queueInvitations } from '../../../server/mail/mail.queries.ts';
import { openToken, tokenKeyring } from '../../../server/respondents/sealed-tokens.ts';
import { AppError } from '../../../server/errors.ts';
import { importInvitees, registerOpenRespondent, reissueLink, revokeLink } from '../../../server/respondents/import-invitees.ts';
import { openPhase, type PhaseOpenResult } from '../../../server/respondents/phase-open.ts';
import { findRespondentIds } from '../../../server/respondents/respondents.queries.ts';
import { TEST_DATABASE_KIND } from '../../support/database.ts';
import { createAppFixture, PUBLIC_URL, type AppFixture } from '../support/app-fixture.ts';
import { Browser } from '../support/browser.ts';

const PHASES = path.resolve('test/fixtures/surveys-phases');
const EARLIER = 'assessment-2011';
const LATER = 'stocktake-2012';
const HEADER = 'name,kind,country,roles,org_type,email';

describe(`openPhase (${TEST_DATABASE_KIND})`, { timeout: 60_000 }, () => {
  let fixture: AppFixture;
  /** Earlier respondent ids by name. */
  let earlier: Record<string, number>;

  async function invite(surveyId: string, rows: string): Promise<void> {
    const result = await importInvitees(fixture.db, { surveyId, csvText: `${HEADER}\n${rows}`, publicUrl: PUBLIC_URL, actor: 'test' });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
  }

  async function register(name: string, country: string, email: string | null): Promise<void> {
    const result = await fixture.db.transaction().execute((trx) => registerOpenRespondent(trx, { surveyId: EARLIER, name, country, orgType: 'ngo', email }));
    if (!result.ok) throw new Error(result.reason);
  }

  const open = () => openPhase(fixture.db, { surveyId: LATER, fromSurveyId: EARLIER, publicUrl: PUBLIC_URL, actor: 'test' });
  const count = async (table: 'respondent' | 'invitation') =>
    (await fixture.db.selectFrom(table).select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n;

  beforeEach(async () => {
    fixture = await createAppFixture({ folder: PHASES });
    await invite(
      EARLIER,
      [
        'Kenya,government,KEN,steering_group;troika,,fp@kenya.go.ke',
        'France,government,FRA,,,fp@france.fr',
        'Ghana,government,GHA,,,',
        'Senegal,government,SEN,,,',
        'Voices of Migrants,civil_society,KEN,,ngo,voices@example.org',
        'Diaspora Network,civil_society,FRA,,diaspora,',
        'IOM,international_org,CHE,pfp_partner,,iom@example.org',
      ].join('\n'),
    );
    await register('Migrant Aid', 'KE', 'aid@example.org');
    await register('Quiet Group', 'SN', null);
    const rows = await fixture.db.selectFrom('respondent').select(['id', 'name']).where('survey_id', '=', EARLIER).execute();
    earlier = Object.fromEntries(rows.map((r) => [r.name, r.id]));
    // France's link is withdrawn; Ghana's is replaced by a new one, which still works.
    await revokeLink(fixture.db, { respondentId: earlier['France']! }, { actor: 'test' });
    await reissueLink(fixture.db, { respondentId: earlier['Ghana']! }, { actor: 'test', publicUrl: PUBLIC_URL });
    // Invited to the stocktake directly, before the phase was opened: linked, not duplicated.
    await invite(LATER, ['Senegal,government,SN,,,', '"DIASPORA  network!",civil_society,FRA,,diaspora,'].join('\n'));
  });
  afterEach(() => fixture.close());

  function names(result: PhaseOpenResult) {
    return {
      carried: result.carried.map((r) => r.name),
      linked: result.linked.map((r) => r.name),
      alreadyCarried: result.alreadyCarried.map((r) => r.name),
      leftOut: result.leftOut.map((r) => [r.name, r.reason]),
    };
  }

  it('carries the earlier respondents with working links and the new questionnaire’s kinds, each paired with its earlier self', async () => {
    const result = await open();
    expect(names(result)).toEqual({
      carried: ['Kenya', 'Ghana', 'Voices of Migrants', 'Migrant Aid'],
      linked: ['Senegal', 'Diaspora Network'],
      alreadyCarried: [],
      leftOut: [
        ['France', 'revoked'],
        ['IOM', 'not_in_audience'],
        ['Quiet Group', 'no_email'],
      ],
    });

    const fields = ['name', 'kind', 'country', 'region', 'subregion', 'roles', 'org_type', 'email'] as const;
    const rowsOf = (surveyId: string) =>
      fixture.db
        .selectFrom('respondent')
        .select([...fields, 'id', 'source', 'previous_respondent_id'])
        .where('survey_id', '=', surveyId)
        .orderBy('id')
        .execute();
    const earlierRows = new Map((await rowsOf(EARLIER)).map((r) => [r.id, r]));
    const later = await rowsOf(LATER);
    expect(later.map((r) => [r.name, r.previous_respondent_id])).toEqual([
      // Invited directly: they keep their own record and are linked to their earlier self.
      ['Senegal', earlier['Senegal']],
      ['DIASPORA  network!', earlier['Diaspora Network']],
      ['Kenya', earlier['Kenya']],
      ['Ghana', earlier['Ghana']],
      ['Voices of Migrants', earlier['Voices of Migrants']],
      ['Migrant Aid', earlier['Migrant Aid']],
    ]);
    for (const row of later.slice(2)) {
      const before = earlierRows.get(row.previous_respondent_id!)!;
      expect(Object.fromEntries(fields.map((f) => [f, row[f]]))).toEqual(Object.fromEntries(fields.map((f) => [f, before[f]])));
      // Carried with a link the Assessment Team sends, whether invited or registered before.
      expect(row.source).toBe('invitation');
    }
    expect(later.find((r) => r.name === 'Kenya')).toMatchObject({
      country: 'KEN',
      region: 'Africa',
      subregion: 'Eastern Africa',
      roles: ['steering_group', 'troika'],
      email: 'fp@kenya.go.ke',
    });
    expect(earlierRows.get(earlier['Migrant Aid']!)?.source).toBe('open_registration');
    expect(result.carried.map((r) => r.previousRespondentId)).toEqual(['Kenya', 'Ghana', 'Voices of Migrants', 'Migrant Aid'].map((n) => earlier[n]));

    const audit = await fixture.db.selectFrom('audit_log').select(['actor', 'action', 'subject', 'details']).where('action', '=', 'phase.open').execute();
    expect(audit).toEqual([
      {
        actor: 'test',
        action: 'phase.open',
        subject: `survey:${LATER}`,
        details: {
          surveyId: LATER,
          fromSurveyId: EARLIER,
          carried: 4,
          linked: 2,
          alreadyCarried: 0,
          leftOut: { revoked: 1, not_in_audience: 1, no_email: 1, repeated_registration: 0, conflict: 0 },
        },
      },
    ]);
    expect(JSON.stringify(audit)).not.toMatch(/\/r\//);
  });

  it('gives each carried respondent a working link to the new questionnaire, and leaves the earlier link on the earlier one', async () => {
    const result = await open();
    for (const row of result.carried) {
      expect(row.link).toMatch(/^https:\/\/assess\.example\.org\/r\/[A-Za-z0-9_-]{43}$/);
      const token = row.link.slice(`${PUBLIC_URL}/r/`.length);
      const api = await fixture.app.request(`/api/r/${token}`);
      expect(api.status).toBe(200);
      const state = (await api.json()) as { survey: { id: string }; respondent: { name: string } };
      expect([state.survey.id, state.respondent.name]).toEqual([LATER, row.name]);
    }
    const browser = new Browser(fixture.app);
    const opened = await browser.openLink(result.carried[0]!.link.slice(`${PUBLIC_URL}/r/`.length));
    expect([opened.status, opened.headers.get('location')]).toEqual([303, '/form']);
    const form = await browser.page('/form');
    expect(form.status).toBe(200);
    expect(form.html).toContain('Stocktake 2012');
    expect(form.html).not.toContain('Assessment 2011');
  });

  it('keeps each new link sealed with the mail token key, so that it can be e-mailed, and the sealed link is the one printed', async () => {
    const keyring = tokenKeyring([randomBytes(32)]);
    const result = await openPhase(fixture.db, { surveyId: LATER, fromSurveyId: EARLIER, publicUrl: PUBLIC_URL, actor: 'test', tokenKeyring: keyring });
    expect(result.carried.length).toBeGreaterThan(0);
    for (const row of result.carried) {
      const invitation = await fixture.db
        .selectFrom('invitation')
        .select(['token_hash', 'token_sealed'])
        .where('respondent_id', '=', row.respondentId)
        .executeTakeFirstOrThrow();
      const token = row.link.slice(`${PUBLIC_URL}/r/`.length);
      expect(invitation.token_sealed).not.toBeNull();
      expect(invitation.token_sealed).not.toContain(token);
      expect(openToken(keyring, invitation.token_sealed!, invitation.token_hash)).toBe(token);
    }
    const withAddress = result.carried.filter((c) => c.email).length;
    expect((await queueInvitations(fixture.db, { surveyId: LATER, actor: 'test', respondentIds: result.carried.map((c) => c.respondentId) })).queued).toBe(
      withAddress,
    );
  });

  it('carries nobody twice: a second run finds everyone already there and stores nothing new', async () => {
    await open();
    const [respondents, invitations] = [await count('respondent'), await count('invitation')];
    const again = await open();
    expect(names(again)).toEqual({
      carried: [],
      linked: [],
      alreadyCarried: ['Senegal', 'Kenya', 'Ghana', 'Diaspora Network', 'Voices of Migrants', 'Migrant Aid'].sort((a, b) => earlier[a]! - earlier[b]!),
      leftOut: [
        ['France', 'revoked'],
        ['IOM', 'not_in_audience'],
        ['Quiet Group', 'no_email'],
      ],
    });
    expect([await count('respondent'), await count('invitation')]).toEqual([respondents, invitations]);
  });

  it('carries each respondent once when two runs start together', async () => {
    const results = await Promise.allSettled([open(), open()]);
    const carried = results.flatMap((r) => (r.status === 'fulfilled' ? r.value.carried.map((c) => c.name) : []));
    expect(carried.sort()).toEqual(['Ghana', 'Kenya', 'Migrant Aid', 'Voices of Migrants']);
    const pairs = await fixture.db.selectFrom('respondent').select('previous_respondent_id').where('survey_id', '=', LATER).execute();
    expect(new Set(pairs.map((p) => p.previous_respondent_id)).size).toBe(6);
  });

  it('keeps the one-government-per-country rule: invite refuses a country carried already', async () => {
    await open();
    const result = await importInvitees(fixture.db, { surveyId: LATER, csvText: `${HEADER}\nKenya,government,KE,,,\n`, publicUrl: PUBLIC_URL });
    expect(result).toEqual({
      ok: false,
      errors: [{ line: 2, column: 'country', message: expect.stringContaining('KEN already has a government respondent for stocktake-2012') }],
    });
    expect(await findRespondentIds(fixture.db, LATER, { country: 'KEN' })).toHaveLength(1);
  });

  it.each<[string, string, string, RegExp]>([
    ['a questionnaire without a phase', 'unphased', EARLIER, /^unphased declares no phase/],
    ['an earlier phase as the new one', EARLIER, LATER, /^assessment-2011 \(phase 2011\) is not of a later phase than stocktake-2012 \(phase 2012\)/],
    ['the same questionnaire twice', LATER, LATER, /name the same questionnaire/],
    ['an unknown questionnaire', LATER, 'nowhere', /No questionnaire with the id 'nowhere'/],
  ])('refuses %s and stores nothing', async (_name, surveyId, fromSurveyId, message) => {
    const before = await count('respondent');
    const failure = await openPhase(fixture.db, { surveyId, fromSurveyId, publicUrl: PUBLIC_URL, actor: 'test' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AppError);
    expect((failure as AppError).message).toMatch(message);
    expect(await count('respondent')).toBe(before);
  });
});
