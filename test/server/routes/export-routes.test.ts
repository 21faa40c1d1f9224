/**
 * The export page through the app: who may download the restricted-use bundle, the form's checks
 * (recipient and purpose required), and the zip itself (the five files labelled restricted,
 * checksums matching the manifest, an audit entry and an issue record per export).
 */
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import os from 'node:os';
import { unzipSync, strFromU8 } from 'fflate';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TEST_DATABASE_KIND } from '../../support/database.ts';
import { createAppFixture, WHILE_OPEN, type AppFixture } from '../support/app-fixture.ts';
import { visibleText } from '../support/html.ts';
import { TeamMember } from '../support/team-session.ts';

const FILES = [
  'README.txt',
  'codebook-restricted.csv',
  'labels.R',
  'labels.do',
  'labels.sps',
  'manifest.json',
  'responses-restricted.csv',
  'results.xlsx',
  'tables-restricted.csv',
];

describe(`export routes (${TEST_DATABASE_KIND})`, () => {
  let fixture: AppFixture;
  let analyst: TeamMember;
  beforeEach(async () => {
    fixture = await createAppFixture();
    analyst = await TeamMember.signIn(fixture, 'analyst', { now: new Date(WHILE_OPEN) });
  });
  afterEach(() => fixture.close());

  /** Invites and submits `n` governments through the respondents' JSON API. */
  async function submitGovernments(n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      const { token } = await fixture.invite({ name: `Ministry number ${i}`, country: ['KEN', 'SEN', 'BRA', 'FRA', 'IND', 'PER', 'JPN'][i]! });
      const json = (method: string, path: string, body: unknown) =>
        fixture.app.request(path, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      const saved = await json('PUT', `/api/r/${token}/answers`, {
        revision: 0,
        answers: { q_role: i % 3 ? 'ministry' : 'mission', q_attended: 'no', q_ratings: { relevant: '3', efficient: 'dk' } },
      });
      expect(saved.status).toBe(200);
      const { revision } = (await saved.json()) as { revision: number };
      expect((await json('POST', `/api/r/${token}/submit`, { revision })).status).toBe(200);
    }
  }

  const RECIPIENT = { recipient: 'Dr A. Researcher, Example University', purpose: 'Evaluation of the Forum, agreement of 1 March' };
  const exportForm = (fields: Record<string, string> = {}) => analyst.post('/admin/export', { survey: 'flow-gov', k: '5', ...RECIPIENT, ...fields });

  it('gives analysts and admins the page, refuses observers, and sends strangers to sign in', async () => {
    const observer = await TeamMember.signIn(fixture, 'observer', { now: new Date(WHILE_OPEN) });
    expect((await observer.get('/admin/export')).status).toBe(403);
    expect((await observer.post('/admin/export', { survey: 'flow-gov', k: '5' })).status).toBe(403);
    expect((await fixture.app.request('/admin/export')).status).toBe(302);
    const page = await analyst.get('/admin/export');
    expect(page.status).toBe(200);
    const text = visibleText(await page.text());
    expect(text).toContain('Smallest group (k)');
    expect(text).toContain('Download the restricted-use bundle (zip)');
    expect(text).toContain('Restricted use, never to be published.');
    expect(text).toContain('Recipient');
    expect(text).toContain('Purpose');
  });

  it('refuses a post without the CSRF token and writes nothing to the audit log', async () => {
    const res = await analyst.post('/admin/export', { survey: 'flow-gov', k: '5' }, { csrf: false });
    expect(res.status).toBe(403);
    const audit = await fixture.db.selectFrom('audit_log').select('action').where('action', '=', 'export.restricted').execute();
    expect(audit).toEqual([]);
  });

  it.each([
    ['2', 'k must be a whole number from 3 to 100, not 2.'],
    ['five', 'k must be a whole number from 3 to 100.'],
  ])('answers k = %s with the form again and the error beside the field', async (k, message) => {
    const res = await exportForm({ k });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(visibleText(html)).toContain(message);
    expect(html).toContain(`value="${k}"`);
  });

  it.each([
    ['recipient', 'A restricted-use file needs its recipient'],
    ['purpose', 'A restricted-use file needs its purpose'],
  ])('answers a form without %s with the form again and the error beside the field, exporting nothing', async (field, message) => {
    await submitGovernments(6);
    const res = await exportForm({ [field]: '  ' });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(visibleText(html)).toContain(message);
    expect(html).toContain(`id="${field}-error"`);
    expect(await fixture.db.selectFrom('audit_log').select('action').where('action', '=', 'export.restricted').execute()).toEqual([]);
    expect(await fixture.db.selectFrom('row_file_issue').selectAll().execute()).toEqual([]);
  });

  it('refuses a malformed seed by name', async () => {
    const res = await exportForm({ seed: 'not-a-seed' });
    expect(res.status).toBe(422);
    expect(visibleText(await res.text())).toContain('The seed must be 64 hexadecimal digits');
  });

  it('streams a zip of the five files whose checksums match the manifest, audited, leaving no temporary folder', async () => {
    await submitGovernments(6);
    const before = (await readdir(os.tmpdir())).filter((name) => name.startsWith('fat-export-')).length;
    const res = await exportForm({ reproducible: 'yes' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="flow-gov-restricted-\d{4}-\d{2}-\d{2}\.zip"$/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    expect(Object.keys(files).sort()).toEqual(FILES);

    const manifest = JSON.parse(strFromU8(files['manifest.json']!)) as {
      use: string;
      restricted_use: { recipient: string; purpose: string };
      files: { name: string; sha256: string }[];
      rows: { published: number };
      parameters: { seed?: string };
    };
    expect(manifest.use).toBe('restricted');
    expect(manifest.restricted_use).toMatchObject(RECIPIENT);
    const readme = strFromU8(files['README.txt']!);
    expect(readme.split('\r\n').slice(0, 3)).toEqual([
      'RESTRICTED USE - NOT FOR PUBLICATION',
      `Issued to: ${RECIPIENT.recipient}`,
      `Purpose:   ${RECIPIENT.purpose}`,
    ]);
    for (const file of manifest.files) {
      expect(createHash('sha256').update(files[file.name]!).digest('hex'), file.name).toBe(file.sha256);
    }
    expect(manifest.rows.published).toBe(6);
    expect(manifest.parameters.seed).toMatch(/^[0-9a-f]{64}$/);
    const rows = Papa.parse<Record<string, string>>(strFromU8(files['responses-restricted.csv']!).replace(/^\uFEFF/, ''), {
      header: true,
      skipEmptyLines: true,
    }).data;
    expect(rows).toHaveLength(6);
    expect(rows.map((r) => r['q_role']).sort()).toEqual(['ministry', 'ministry', 'ministry', 'ministry', 'mission', 'mission']);

    const audit = await fixture.db.selectFrom('audit_log').select(['actor', 'subject', 'details']).where('action', '=', 'export.restricted').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: analyst.email, subject: 'survey:flow-gov' });
    const details = typeof audit[0]!.details === 'string' ? JSON.parse(audit[0]!.details) : audit[0]!.details;
    expect(details).toMatchObject(RECIPIENT);
    const issues = await fixture.db.selectFrom('row_file_issue').select(['kind', 'recipient', 'purpose', 'rows', 'created_by', 'release_id']).execute();
    expect(issues).toEqual([{ kind: 'restricted', ...RECIPIENT, rows: 6, created_by: analyst.email, release_id: null }]);
    const after = (await readdir(os.tmpdir())).filter((name) => name.startsWith('fat-export-')).length;
    expect(after).toBeLessThanOrEqual(before);
  });

  it('answers an unknown questionnaire with 404', async () => {
    expect((await exportForm({ survey: 'no-such-survey' })).status).toBe(404);
  });
});
