/**
 * Ways into the form: invitation links, the open registration of civil society organisations,
 * and the throttling of guessed tokens.
 */
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reissueLink, revokeLink } from '../../../server/respondents/import-invitees.ts';
import { hashToken } from '../../../server/respondents/tokens.ts';
import { TEST_DATABASE_KIND } from '../../support/database.ts';
import { createAppFixture, PUBLIC_URL, type AppFixture } from '../support/app-fixture.ts';
import { Browser } from '../support/browser.ts';
import { attribute, elementById, tagById, visibleText } from '../support/html.ts';

/** The session cookie's Set-Cookie line. */
function sessionCookieLine(res: Response): string | undefined {
  return res.headers.getSetCookie().find((line) => line.startsWith('fat_session='));
}

describe(`invitation links (${TEST_DATABASE_KIND})`, () => {
  let fixture: AppFixture;
  beforeEach(async () => {
    fixture = await createAppFixture();
  });
  afterEach(() => fixture.close());

  /** Every text, text[] and jsonb value of the tables a token could leak into, as text. */
  async function storedTexts(): Promise<string[]> {
    const { rows: columns } = await sql<{ table_name: string; column_name: string }>`
      select table_name, column_name from information_schema.columns
      where table_schema = 'public' and table_name in ('respondent', 'invitation', 'session', 'audit_log')
        and data_type in ('text', 'jsonb', 'json', 'ARRAY', 'character varying')`.execute(fixture.db);
    expect(columns.map((c) => `${c.table_name}.${c.column_name}`)).toEqual(
      expect.arrayContaining(['invitation.token_hash', 'session.id_hash', 'session.csrf_token', 'audit_log.details']),
    );
    const values: string[] = [];
    for (const { table_name, column_name } of columns) {
      const { rows } = await sql<{ v: string | null }>`select ${sql.ref(column_name)}::text as v from ${sql.table(table_name)}`.execute(fixture.db);
      for (const { v } of rows) if (v !== null) values.push(v);
    }
    return values;
  }

  it('swaps the token for an HttpOnly, SameSite=Lax session cookie and a URL without it', async () => {
    const { token } = await fixture.invite({ name: 'Kenya' });
    const browser = new Browser(fixture.app);
    const res = await browser.openLink(token);
    expect(res.status).toBe(303);
    const location = res.headers.get('location') ?? '';
    expect(location).toBe('/form');
    expect(location).not.toContain(token);
    const cookie = sessionCookieLine(res) ?? '';
    expect(cookie).toMatch(/;\s*HttpOnly(;|$)/i);
    expect(cookie).toMatch(/;\s*SameSite=Lax(;|$)/i);
    expect(cookie).not.toContain(token);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.text()).not.toContain(token);

    const form = await browser.page(location);
    expect(form.status).toBe(200);
    expect(visibleText(form.html)).toContain('Answering for: Kenya');
    expect(form.html).not.toContain(token);
  });

  it('answers a revoked or unknown link with a 404 page in the visitor’s language', async () => {
    const { token, invitationId } = await fixture.invite();
    await revokeLink(fixture.db, { invitationId }, { actor: 'test' });
    const french = new Browser(fixture.app, { 'Accept-Language': 'fr-CH, fr;q=0.9, en;q=0.5' });

    for (const link of [token, 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA']) {
      const res = await french.openLink(link);
      expect(res.status).toBe(404);
      expect(sessionCookieLine(res)).toBeUndefined();
      const html = await res.text();
      expect(html).toContain('<html lang="fr">');
      expect(visibleText(html)).toContain('Ce lien ne fonctionne pas');
      expect(html).not.toContain(link);
    }
    const english = await new Browser(fixture.app).openLink(token);
    expect(visibleText(await english.text())).toContain('This link does not work');
    // Without the session a link gives, the form asks for the link, in the visitor's language too.
    const noSession = await french.get('/form/section/1');
    expect(noSession.status).toBe(401);
    expect(visibleText(await noSession.text())).toContain('Veuillez rouvrir votre lien');
  });

  it('ends the sessions a link opened when it is revoked, and when a new link is issued', async () => {
    const { token, invitationId, respondentId } = await fixture.invite();
    const browser = new Browser(fixture.app);
    await browser.openLink(token);
    expect((await browser.get('/form')).status).toBe(200);
    await revokeLink(fixture.db, { invitationId }, { actor: 'test' });
    expect((await browser.get('/form')).status).toBe(401);
    expect((await browser.openLink(token)).status).toBe(404);

    const reissued = await reissueLink(fixture.db, { respondentId }, { actor: 'test', publicUrl: PUBLIC_URL });
    const newToken = reissued.link.slice(`${PUBLIC_URL}/r/`.length);
    expect((await browser.openLink(newToken)).status).toBe(303);
    expect((await browser.get('/form')).status).toBe(200);
    await reissueLink(fixture.db, { respondentId }, { actor: 'test', publicUrl: PUBLIC_URL });
    expect((await browser.get('/form')).status).toBe(401);
  });

  it('keeps no token in clear in the database', async () => {
    const first = await fixture.invite({ name: 'Kenya', country: 'KEN' });
    const other = await fixture.invite({ name: 'Ghana', country: 'GHA' });
    await new Browser(fixture.app).openLink(first.token);
    await new Browser(fixture.app).openLink(first.token);
    await new Browser(fixture.app).openLink(other.token);
    const reissued = await reissueLink(fixture.db, { respondentId: other.respondentId }, { actor: 'test', publicUrl: PUBLIC_URL });
    const newToken = reissued.link.slice(`${PUBLIC_URL}/r/`.length);
    await new Browser(fixture.app).openLink(newToken);
    const registered = new Browser(fixture.app);
    const page = await registered.postForm(
      '/open/flow-cs',
      { name: 'Voices', country: 'SEN', org_type: 'trade_union', email: '' },
      { Origin: 'http://localhost' },
    );
    const openToken = /\/r\/([A-Za-z0-9_-]{43})/.exec(await page.text())?.[1] ?? '';
    expect(openToken).toHaveLength(43);

    const stored = await storedTexts();
    expect(stored).toContain(hashToken(first.token));
    expect(stored).toContain(hashToken(openToken));
    for (const token of [first.token, other.token, newToken, openToken]) {
      expect(stored.filter((value) => value.includes(token))).toEqual([]);
    }
  });
});

describe(`open registration (${TEST_DATABASE_KIND})`, () => {
  let fixture: AppFixture;
  beforeEach(async () => {
    fixture = await createAppFixture();
  });
  afterEach(() => fixture.close());
  const sameOrigin = { Origin: 'http://localhost' };

  it('registers an organisation, gives it a personal link and starts its session', async () => {
    const browser = new Browser(fixture.app);
    const form = await browser.page('/open/flow-cs');
    expect(form.status).toBe(200);
    expect(form.html).toContain('action="/open/flow-cs"');

    const incomplete = await browser.postForm('/open/flow-cs', { name: '  ', country: '', org_type: 'astrology', email: 'not-an-address' }, sameOrigin);
    expect(incomplete.status).toBe(422);
    const html = await incomplete.text();
    for (const field of ['name', 'country', 'org_type']) {
      expect(attribute(tagById(html, `reg-${field}`), 'aria-describedby')).toBe(`reg-${field}-error`);
      expect(visibleText(elementById(html, `reg-${field}-error`))).toBe('Please fill in this field.');
    }
    expect(visibleText(elementById(html, 'reg-email-error'))).toBe('Please enter a valid e-mail address.');
    expect(sessionCookieLine(incomplete)).toBeUndefined();
    expect(await fixture.db.selectFrom('respondent').select('id').execute()).toEqual([]);

    const res = await browser.postForm(
      '/open/flow-cs',
      { name: 'Voices of Migrants', country: 'SEN', org_type: 'migrant_association', email: 'info@voices.example' },
      sameOrigin,
    );
    expect(res.status).toBe(200);
    expect(sessionCookieLine(res)).toMatch(/HttpOnly/);
    const token = new RegExp(`${PUBLIC_URL}/r/([A-Za-z0-9_-]{43})`).exec(await res.text())?.[1];
    expect(token).toBeDefined();
    const overview = await browser.page('/form');
    expect(overview.status).toBe(200);
    expect(visibleText(overview.html)).toContain('Answering for: Voices of Migrants');
    expect((await browser.saveSection(1, { cs_useful: '3' })).status).toBe(303);

    const respondents = await fixture.db.selectFrom('respondent').select(['name', 'kind', 'country', 'org_type', 'source']).execute();
    expect(respondents).toEqual([
      { name: 'Voices of Migrants', kind: 'civil_society', country: 'SEN', org_type: 'migrant_association', source: 'open_registration' },
    ]);

    // Later, on another computer: the link leads back to the saved answers.
    const later = new Browser(fixture.app);
    expect((await later.openLink(token!)).headers.get('location')).toBe('/form');
    expect((await later.page('/form/section/1')).html).toMatch(/id="cs_useful-3" name="cs_useful" value="3" checked=""/);
  });

  it('refuses a registration posted from another site', async () => {
    const browser = new Browser(fixture.app);
    const fields = { name: 'Voices', country: 'SEN', org_type: 'trade_union', email: '' };
    expect((await browser.postForm('/open/flow-cs', fields, { Origin: 'https://evil.example' })).status).toBe(403);
    expect((await browser.postForm('/open/flow-cs', fields)).status).toBe(403);
    expect(await fixture.db.selectFrom('respondent').select('id').execute()).toEqual([]);
  });

  it('refuses a second registration of one organisation, whatever its case, accents, spacing and punctuation', async () => {
    const register = (name: string, country: string, path = '/open/flow-cs') =>
      new Browser(fixture.app).postForm(path, { name, country, org_type: 'trade_union', email: '' }, sameOrigin);
    expect((await register('Dup Org', 'FRA')).status).toBe(200);
    for (const name of ['dup org', '  DUP   ORG. ', 'Düp-Org', 'Dup, Org!']) {
      const again = await register(name, 'FRA');
      expect(again.status).toBe(409);
      const html = await again.text();
      expect(visibleText(elementById(html, 'register-notice'))).toContain('already registered');
      expect(html).not.toMatch(/\/r\/[A-Za-z0-9_-]{43}/);
      expect(sessionCookieLine(again)).toBeUndefined();
    }
    const french = await register('DUP ORG', 'FRA', '/open/flow-cs?lang=fr');
    expect(french.status).toBe(409);
    expect(visibleText(elementById(await french.text(), 'register-notice'))).toContain('déjà inscrite');
    // The same name in another country is another organisation.
    expect((await register('Dup Org', 'SEN')).status).toBe(200);
    const rows = await fixture.db.selectFrom('respondent').select(['name', 'country']).orderBy('id').execute();
    expect(rows).toEqual([
      { name: 'Dup Org', country: 'FRA' },
      { name: 'Dup Org', country: 'SEN' },
    ]);
  });

  it('refuses the registration of an organisation already invited to the questionnaire', async () => {
    await fixture.invite({ surveyId: 'flow-cs', name: 'Voix des Migrants', kind: 'civil_society', country: 'SEN' });
    const res = await new Browser(fixture.app).postForm(
      '/open/flow-cs',
      { name: 'voix des migrants', country: 'SEN', org_type: 'trade_union', email: '' },
      sameOrigin,
    );
    expect(res.status).toBe(409);
    expect(visibleText(elementById(await res.text(), 'register-notice'))).toContain('use the personal link');
    expect(await fixture.db.selectFrom('respondent').select(['name', 'source']).execute()).toEqual([{ name: 'Voix des Migrants', source: 'invitation' }]);
  });

  it('stores one record when twenty registrations of one organisation arrive at once', async () => {
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        new Browser(fixture.app).postForm('/open/flow-cs', { name: 'Dup Org', country: 'FRA', org_type: 'trade_union', email: '' }, sameOrigin),
      ),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, ...Array<number>(19).fill(409)]);
    expect(await fixture.db.selectFrom('respondent').select('name').execute()).toEqual([{ name: 'Dup Org' }]);
    expect(await fixture.db.selectFrom('invitation').select('id').execute()).toHaveLength(1);
  });

  it('accepts a registration whose Origin is the public address, as a browser behind an https proxy sends it', async () => {
    // The proxy speaks http to the server, so the request's own URL is http://localhost; a browser
    // that sends no Sec-Fetch-Site is judged by its Origin alone.
    const browser = new Browser(fixture.app);
    const res = await browser.postForm(
      '/open/flow-cs',
      { name: 'Voices', country: 'SEN', org_type: 'trade_union', email: '' },
      { Origin: new URL(PUBLIC_URL).origin },
    );
    expect(res.status).toBe(200);
    expect(await fixture.db.selectFrom('respondent').select('name').execute()).toEqual([{ name: 'Voices' }]);
  });

  it('answers 404 for a questionnaire that is not open to registration', async () => {
    const browser = new Browser(fixture.app);
    expect((await browser.get('/open/flow-gov')).status).toBe(404);
    expect((await browser.get('/open/no-such-survey')).status).toBe(404);
    const post = await browser.postForm('/open/flow-gov', { name: 'Voices', country: 'SEN', org_type: 'trade_union' }, sameOrigin);
    expect(post.status).toBe(404);
    expect(await fixture.db.selectFrom('respondent').select('id').execute()).toEqual([]);
  });
});

describe(`token throttling (${TEST_DATABASE_KIND})`, () => {
  let fixture: AppFixture;
  beforeEach(async () => {
    fixture = await createAppFixture({ tokenRateLimit: 5 });
  });
  afterEach(() => fixture.close());

  it('refuses the sixth wrong token within a minute', async () => {
    const browser = new Browser(fixture.app);
    for (let i = 1; i <= 5; i++) expect((await browser.openLink(`wrong-token-${i}`)).status).toBe(404);
    const sixth = await browser.openLink('wrong-token-6');
    expect(sixth.status).toBe(429);
    expect(visibleText(await sixth.text())).toContain('Too many attempts');
  });

  it('counts wrong tokens sent to the API too, and answers there in JSON', async () => {
    for (let i = 1; i <= 5; i++) expect((await fixture.app.request(`/api/r/wrong-token-${i}`)).status).toBe(404);
    const sixth = await fixture.app.request('/api/r/wrong-token-6');
    expect(sixth.status).toBe(429);
    expect(await sixth.json()).toMatchObject({ error: { code: 'rate_limited' } });
  });

  it('does not count the openings of a valid link', async () => {
    const { token } = await fixture.invite();
    const browser = new Browser(fixture.app);
    for (let i = 1; i <= 8; i++) expect((await browser.openLink(token)).status).toBe(303);
    for (let i = 1; i <= 5; i++) expect((await browser.openLink(`wrong-token-${i}`)).status).toBe(404);
    expect((await browser.openLink('wrong-token-6')).status).toBe(429);
  });

  it('serves any number of requests with a valid link at once from one address (colleagues behind one office address)', async () => {
    const { token } = await fixture.invite();
    const statuses = await Promise.all(Array.from({ length: 20 }, async () => (await fixture.app.request(`/api/r/${token}`)).status));
    expect(statuses).toEqual(Array(20).fill(200));
    const refused = await fixture.app.request('/api/r/wrong-token');
    expect(refused.status).toBe(404);
  });

  it('says when to come back once an address is throttled', async () => {
    for (let i = 1; i <= 5; i++) await fixture.app.request(`/api/r/wrong-token-${i}`);
    const throttled = await fixture.app.request('/api/r/wrong-token-6');
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(throttled.headers.get('retry-after'))).toBeLessThanOrEqual(60);
  });
});
