/**
 * Invitations in the browser: the CSV upload (all rows or none, every bad row by line), the links
 * file sent once, revoking and reissuing links, and who may do it.
 */
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashToken } from '../../../server/respondents/tokens.ts';
import { TEST_DATABASE_KIND } from '../../support/database.ts';
import { createAppFixture, PUBLIC_URL, WHILE_OPEN, type AppFixture } from '../support/app-fixture.ts';
import { elementById, visibleText } from '../support/html.ts';
import { TeamMember } from '../support/team-session.ts';

function csvUpload(text: string | Uint8Array<ArrayBuffer>, survey = 'flow-gov', name = 'invitees.csv'): FormData {
  const form = new FormData();
  form.set('survey', survey);
  form.set('file', new File([text], name, { type: 'text/csv' }));
  return form;
}

describe(`invitation admin routes (${TEST_DATABASE_KIND})`, () => {
  let fixture: AppFixture;
  let admin: TeamMember;
  beforeEach(async () => {
    fixture = await createAppFixture();
    admin = await TeamMember.signIn(fixture, 'admin', { now: new Date(WHILE_OPEN) });
  });
  afterEach(() => fixture.close());

  const respondentCount = async () => (await fixture.db.selectFrom('respondent').select('id').execute()).length;
  const auditOf = (action: string) =>
    fixture.db.selectFrom('audit_log').select(['actor', 'action', 'subject', 'details']).where('action', '=', action).orderBy('id').execute();

  it('is for admins only', async () => {
    const analyst = await TeamMember.signIn(fixture, 'analyst', { now: new Date(WHILE_OPEN) });
    expect((await analyst.get('/admin/invitations?survey=flow-gov')).status).toBe(403);
    expect((await analyst.post('/admin/invitations/upload', csvUpload('name,kind,country\nKenya,government,KE\n'))).status).toBe(403);
    const { invitationId } = await fixture.invite();
    expect((await analyst.post(`/admin/invitations/${invitationId}/revoke`, {})).status).toBe(403);
    expect((await analyst.post(`/admin/invitations/${invitationId}/reissue`, {})).status).toBe(403);
    expect(await fixture.db.selectFrom('invitation').select('revoked_at').execute()).toEqual([{ revoked_at: null }]);
    expect((await admin.get('/admin/invitations?survey=flow-gov')).status).toBe(200);
  });

  it('reports every bad row with its line and imports nothing', async () => {
    const csv = 'name,kind,country,email\nKenya,government,KE,ke@example.org\n,government,FR,\nChile,government,XX,\nPeru,civil_society,PE,not-an-email\n';
    const res = await admin.post('/admin/invitations/upload', csvUpload(csv));
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(visibleText(html)).toContain('4 problems in invitees.csv; nothing was imported.');
    const errors = elementById(html, 'upload-errors');
    expect(errors).toContain('<th scope="row">3</th>');
    expect(visibleText(errors)).toContain('3 name is empty');
    expect(visibleText(errors)).toContain("4 country unknown country 'XX'; use an ISO 3166-1 code such as KE or KEN");
    expect(visibleText(errors)).toContain('5 kind this questionnaire is for government, not civil_society');
    expect(visibleText(errors)).toContain("5 email 'not-an-email' is not an email address");
    expect(await respondentCount()).toBe(0);
    expect(await auditOf('invitees.import')).toEqual([]);
  });

  it('refuses a file that is not UTF-8, and an empty upload', async () => {
    const latin1: Uint8Array<ArrayBuffer> = new Uint8Array([
      ...new TextEncoder().encode('name,kind,country\nC'),
      0xf4,
      ...new TextEncoder().encode("te d'Ivoire,government,CI\n"),
    ]);
    const res = await admin.post('/admin/invitations/upload', csvUpload(latin1));
    expect(res.status).toBe(422);
    expect(visibleText(await res.text())).toContain('invitees.csv is not UTF-8 text');
    expect((await admin.post('/admin/invitations/upload', csvUpload(''))).status).toBe(422);
    expect(await respondentCount()).toBe(0);
  });

  it('imports a good file and sends the links once, as a CSV download, audited', async () => {
    const csv = '\uFEFFname,kind,country,email\nKenya,government,KE,ke@example.org\n"=HYPERLINK(""http://evil.example"")",government,FR,\n';
    const res = await admin.post('/admin/invitations/upload', csvUpload(csv));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename=links-flow-gov.csv');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const { data } = Papa.parse<string[]>(new TextDecoder().decode(bytes), { delimiter: ',', skipEmptyLines: true });
    expect(data[0]).toEqual(['name', 'kind', 'country', 'email', 'link']);
    expect(data.slice(1).map((row) => row.slice(0, 4))).toEqual([
      ['Kenya', 'government', 'KEN', 'ke@example.org'],
      ['\'=HYPERLINK("http://evil.example")', 'government', 'FRA', ''],
    ]);
    // Each link works: its token's hash is what is stored.
    for (const row of data.slice(1)) {
      expect(row[4]).toMatch(new RegExp(`^${PUBLIC_URL}/r/[A-Za-z0-9_-]{43}$`));
      const token = row[4]!.slice(`${PUBLIC_URL}/r/`.length);
      expect(await fixture.db.selectFrom('invitation').select('id').where('token_hash', '=', hashToken(token)).executeTakeFirst()).toBeDefined();
    }
    expect(await respondentCount()).toBe(2);
    expect(await auditOf('invitees.import')).toEqual([
      { actor: admin.email, action: 'invitees.import', subject: 'survey:flow-gov', details: { surveyId: 'flow-gov', count: 2 } },
    ]);

    // The list shows the new respondents, never their links.
    const page = await (await admin.get('/admin/invitations?survey=flow-gov')).text();
    expect(visibleText(elementById(page, 'invitation-list'))).toContain('Kenya Government KEN working never not started');
    expect(page).not.toContain('/r/');
  });

  it('revokes and reissues a link; the new link is shown once', async () => {
    const { invitationId, respondentId, token } = await fixture.invite({ name: 'Kenya' });
    const revoked = await admin.post(`/admin/invitations/${invitationId}/revoke`, {});
    expect(revoked.status).toBe(303);
    expect(revoked.headers.get('location')).toBe('/admin/invitations?survey=flow-gov&done=revoked#links');
    const row = await fixture.db.selectFrom('invitation').select('revoked_at').where('id', '=', invitationId).executeTakeFirstOrThrow();
    expect(row.revoked_at).toBeInstanceOf(Date);
    expect(await auditOf('invitation.revoke')).toEqual([
      {
        actor: admin.email,
        action: 'invitation.revoke',
        subject: `respondent:${respondentId}`,
        details: { surveyId: 'flow-gov', revokedInvitationIds: [invitationId] },
      },
    ]);
    expect((await fixture.app.request(`/r/${token}`)).status).toBe(404);

    const reissued = await admin.post(`/admin/invitations/${invitationId}/reissue`, {});
    expect(reissued.status).toBe(200);
    expect(reissued.headers.get('cache-control')).toBe('no-store');
    const html = await reissued.text();
    const link = visibleText(elementById(html, 'new-link'));
    expect(link).toMatch(new RegExp(`^${PUBLIC_URL}/r/[A-Za-z0-9_-]{43}$`));
    const newToken = link.slice(`${PUBLIC_URL}/r/`.length);
    expect((await fixture.app.request(`/r/${newToken}`)).status).toBe(303);
    const [entry] = await auditOf('invitation.reissue');
    expect(entry).toMatchObject({ actor: admin.email, subject: `respondent:${respondentId}` });
    expect(JSON.stringify(entry)).not.toContain(newToken);

    const list = await (await admin.get('/admin/invitations?survey=flow-gov')).text();
    expect(list).not.toContain(newToken);
    const rows = visibleText(elementById(list, 'invitation-list'));
    expect(rows).toMatch(/Kenya Government KEN revoked \d{4}-\d\d-\d\d \d\d:\d\d/);
    expect(rows).toContain('Kenya Government KEN working');
  });

  it('refuses a form without its CSRF token and changes nothing', async () => {
    const { invitationId } = await fixture.invite({ name: 'Kenya' });
    expect((await admin.post('/admin/invitations/upload', csvUpload('name,kind,country\nChile,government,CL\n'), { csrf: false })).status).toBe(403);
    expect((await admin.post(`/admin/invitations/${invitationId}/revoke`, {}, { csrf: false })).status).toBe(403);
    expect((await admin.post(`/admin/invitations/${invitationId}/reissue`, {}, { csrf: 'forged' })).status).toBe(403);
    expect(await respondentCount()).toBe(1);
    expect(await fixture.db.selectFrom('invitation').select(['id', 'revoked_at']).execute()).toEqual([{ id: invitationId, revoked_at: null }]);
  });
});
