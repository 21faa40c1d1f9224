/**
 * The working data through the app (POST /admin/export/working-data): analysts and admins only,
 * CSRF-checked, a zip of the confidential files with labels in the language asked for, and one
 * audit entry per download.
 */
import { strFromU8, unzipSync } from 'fflate';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TEST_DATABASE_KIND } from '../../support/database.ts';
import { createAppFixture, WHILE_OPEN, type AppFixture } from '../support/app-fixture.ts';
import { visibleText } from '../support/html.ts';
import { TeamMember } from '../support/team-session.ts';

describe(`working data routes (${TEST_DATABASE_KIND})`, () => {
  let fixture: AppFixture;
  let analyst: TeamMember;
  beforeEach(async () => {
    fixture = await createAppFixture();
    analyst = await TeamMember.signIn(fixture, 'analyst', { now: new Date(WHILE_OPEN) });
  });
  afterEach(() => fixture.close());

  const auditCount = async () => (await fixture.db.selectFrom('audit_log').select('id').where('action', '=', 'export.working_data').execute()).length;

  it('is offered on the export page, refused to observers and strangers, and to a post without its CSRF token', async () => {
    const page = visibleText(await (await analyst.get('/admin/export')).text());
    expect(page).toContain('Working data for the Assessment Team (confidential)');
    expect(page).toContain('Download the working data (zip)');
    const observer = await TeamMember.signIn(fixture, 'observer', { now: new Date(WHILE_OPEN) });
    expect((await observer.post('/admin/export/working-data', { survey: 'flow-gov' })).status).toBe(403);
    expect((await fixture.app.request('/admin/export/working-data', { method: 'POST' })).status).not.toBe(200);
    expect((await analyst.post('/admin/export/working-data', { survey: 'flow-gov' }, { csrf: false })).status).toBe(403);
    expect(await auditCount()).toBe(0);
  });

  it('refuses a language the questionnaires are not written in', async () => {
    const res = await analyst.post('/admin/export/working-data', { survey: 'flow-gov', language: 'de' });
    expect(res.status).toBe(422);
    expect(await auditCount()).toBe(0);
  });

  it('downloads the confidential files with labels in Spanish, and records the download', async () => {
    const { token } = await fixture.invite({ name: 'Ministry of Labour', country: 'KEN' });
    const json = (method: string, path: string, body: unknown) =>
      fixture.app.request(path, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const saved = await json('PUT', `/api/r/${token}/answers`, {
      revision: 0,
      answers: { q_role: 'ministry', q_attended: 'no', q_ratings: { relevant: '3', efficient: 'dk' } },
    });
    expect(saved.status).toBe(200);
    expect((await json('POST', `/api/r/${token}/submit`, { revision: ((await saved.json()) as { revision: number }).revision })).status).toBe(200);

    const res = await analyst.post('/admin/export/working-data', { survey: 'flow-gov', language: 'es', values: 'codes' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="flow-gov-working-data-confidential-\d{4}-\d{2}-\d{2}\.zip"$/);
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    expect(Object.keys(files).sort()).toEqual([
      'README.txt',
      'codebook-confidential.csv',
      'labels.R',
      'labels.do',
      'labels.sps',
      'responses-confidential.csv',
      'results.xlsx',
      'tables-confidential.csv',
    ]);
    expect(strFromU8(files['README.txt']!)).toMatch(/^CONFIDENTIAL - ASSESSMENT TEAM WORKING DATA/);
    const rows = Papa.parse<Record<string, string>>(strFromU8(files['responses-confidential.csv']!).replace(/^\uFEFF/, ''), {
      header: true,
      skipEmptyLines: true,
    }).data;
    expect(rows.map((r) => [r.kind, r.region, r.q_role])).toEqual([['government', 'Africa', 'ministry']]);
    expect(JSON.stringify(rows)).not.toContain('Ministry of Labour');
    expect(strFromU8(files['labels.do']!)).toContain('label define q_attended 2 `"No"\', add');
    expect(strFromU8(files['labels.sps']!)).toMatch(/VALUE LABELS[\s\S]*'Sí'/);
    const audit = await fixture.db.selectFrom('audit_log').select(['actor', 'subject']).where('action', '=', 'export.working_data').execute();
    expect(audit).toEqual([{ actor: analyst.email, subject: 'survey:flow-gov' }]);
  });
});
