/**
 * The response tracker through the app: who may see it, excluding a response and taking it back
 * (audited, the response untouched), and the reminders file.
 */
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TEST_DATABASE_KIND } from '../../support/database.ts';
import { createAppFixture, WHILE_OPEN, type AppFixture } from '../support/app-fixture.ts';
import { elementById, visibleText } from '../support/html.ts';
import { Browser } from '../support/browser.ts';
import { TeamMember } from '../support/team-session.ts';
import { addRespondent } from '../support/tracker-data.ts';

describe(`response tracker routes (${TEST_DATABASE_KIND})`, () => {
  let fixture: AppFixture;
  let analyst: TeamMember;
  beforeEach(async () => {
    fixture = await createAppFixture();
    analyst = await TeamMember.signIn(fixture, 'analyst', { now: new Date(WHILE_OPEN) });
  });
  afterEach(() => fixture.close());

  const auditOf = (action: string) =>
    fixture.db.selectFrom('audit_log').select(['actor', 'action', 'subject', 'details']).where('action', '=', action).orderBy('id').execute();

  async function submittedResponse(name = 'Kenya', country = 'KEN'): Promise<number> {
    const { responseId } = await addRespondent(fixture.db, {
      surveyId: 'flow-gov',
      name,
      country,
      region: 'Africa',
      links: [{ openedAt: '2026-03-01T08:00:00Z' }],
      response: { revision: 2, status: 'submitted', firstSubmittedAt: '2026-03-01T09:00:00Z' },
    });
    return responseId!;
  }

  it('lets analysts and admins in, refuses observers, and sends strangers to the login page', async () => {
    const observer = await TeamMember.signIn(fixture, 'observer', { now: new Date(WHILE_OPEN) });
    const admin = await TeamMember.signIn(fixture, 'admin', { now: new Date(WHILE_OPEN) });
    expect((await observer.get('/admin/tracker?survey=flow-gov')).status).toBe(403);
    expect((await observer.get('/admin/tracker/reminders.csv?survey=flow-gov')).status).toBe(403);
    expect((await analyst.get('/admin/tracker?survey=flow-gov')).status).toBe(200);
    expect((await admin.get('/admin/tracker?survey=flow-gov')).status).toBe(200);
    const stranger = await fixture.app.request('/admin/tracker?survey=flow-gov');
    expect(stranger.status).toBe(302);
    expect(stranger.headers.get('location')).toBe('/admin/login?next=%2Fadmin%2Ftracker');
    expect((await analyst.get('/admin/tracker?survey=no-such-survey')).status).toBe(404);
  });

  it('offers a choice of questionnaire when none is given', async () => {
    const html = await (await analyst.get('/admin/tracker')).text();
    expect(html).toContain('href="/admin/tracker?survey=flow-gov"');
    expect(html).toContain('href="/admin/tracker?survey=flow-cs"');
  });

  it('shows the counts in captioned tables with header cells, and who has not submitted', async () => {
    await submittedResponse();
    await addRespondent(fixture.db, { surveyId: 'flow-gov', name: 'Brazil', country: 'BRA', region: 'Americas', email: 'br@example.org', links: [{}] });
    const res = await analyst.get('/admin/tracker?survey=flow-gov');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    const overall = elementById(html, 'counts-overall');
    expect(overall).toContain('<caption>All respondents (n = 2)</caption>');
    expect(overall).toContain('<th scope="col" class="num">Submitted</th>');
    // All, respondents, invited, opened, in progress, submitted, %, amended not resubmitted, excluded, analysed
    expect(visibleText(overall)).toContain('All 2 2 1 0 1 50% 0 0 1');
    expect(visibleText(elementById(html, 'counts-region'))).toContain('Americas 1 1 0 0 0 0% 0 0 0');
    expect(visibleText(elementById(html, 'daily'))).toContain('2026-03-01 1 0 1');
    const notSubmitted = visibleText(elementById(html, 'not-submitted-list'));
    expect(notSubmitted).toContain('Brazil Government BRA br@example.org never opened not started');
    expect(notSubmitted).not.toContain('Kenya');
    expect(html).toContain('href="/admin/tracker/reminders.csv?survey=flow-gov"');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(html).not.toContain('style=');
  });

  it('shows a submitted response amended and not submitted again, until it is submitted', async () => {
    const { token } = await fixture.invite({ name: 'Kenya', country: 'KEN' });
    const browser = new Browser(fixture.app);
    await browser.openLink(token);
    expect((await browser.saveSection(1, { q_role: 'ministry', q_attended: 'no' })).status).toBe(303);
    expect((await browser.saveSection(2, { 'q_ratings[relevant]': '2', 'q_ratings[efficient]': '3' })).status).toBe(303);
    expect((await browser.submit()).status).toBe(303);
    const submitted = await (await analyst.get('/admin/tracker?survey=flow-gov')).text();
    expect(visibleText(elementById(submitted, 'counts-overall'))).toContain('All 1 1 1 0 1 100% 0 0 1');
    expect(visibleText(elementById(submitted, 'submitted-list'))).not.toContain('amended');

    expect((await browser.saveSection(1, { q_role: 'mission', q_attended: 'no' })).status).toBe(303);
    expect(visibleText((await browser.page('/form/review')).html)).toContain('Submit again so that the Assessment Team receives the changes.');
    const amended = await (await analyst.get('/admin/tracker?survey=flow-gov')).text();
    expect(visibleText(elementById(amended, 'counts-overall'))).toContain('All 1 1 1 0 1 100% 1 0 1');
    expect(visibleText(elementById(amended, 'submitted-list'))).toContain('; amended, not resubmitted');

    expect((await browser.submit()).status).toBe(303);
    const resubmitted = await (await analyst.get('/admin/tracker?survey=flow-gov')).text();
    expect(visibleText(elementById(resubmitted, 'counts-overall'))).toContain('All 1 1 1 0 1 100% 0 0 1');
    expect(visibleText(elementById(resubmitted, 'submitted-list'))).not.toContain('amended');
  });

  it('excludes a response with a reason and includes it again, audited, leaving the response untouched', async () => {
    const responseId = await submittedResponse();
    const before = await fixture.db.selectFrom('response').selectAll().where('id', '=', responseId).executeTakeFirstOrThrow();

    const excluded = await analyst.post('/admin/tracker/exclusions', {
      survey: 'flow-gov',
      response: String(responseId),
      action: 'exclude',
      reason: '  duplicate of 12 ',
    });
    expect(excluded.status).toBe(303);
    expect(excluded.headers.get('location')).toBe('/admin/tracker?survey=flow-gov&done=excluded#responses');
    const exclusion = await fixture.db.selectFrom('response_exclusion').selectAll().where('response_id', '=', responseId).executeTakeFirstOrThrow();
    expect(exclusion).toMatchObject({ reason: 'duplicate of 12', excluded_by: analyst.userId });
    expect(await auditOf('response.exclude')).toEqual([
      {
        actor: analyst.email,
        action: 'response.exclude',
        subject: `response:${responseId}`,
        details: expect.objectContaining({ surveyId: 'flow-gov', reason: 'duplicate of 12' }),
      },
    ]);

    const page = await (await analyst.get('/admin/tracker?survey=flow-gov&done=excluded')).text();
    expect(visibleText(page)).toContain('The response is excluded from the analysis.');
    expect(visibleText(elementById(page, 'counts-overall'))).toContain('All 1 1 1 0 1 100% 0 1 0');
    expect(visibleText(elementById(page, 'submitted-list'))).toContain('Excluded: duplicate of 12');
    expect(page).toContain('Include again');

    // Excluding twice is refused and changes nothing.
    const again = await analyst.post('/admin/tracker/exclusions', { survey: 'flow-gov', response: String(responseId), action: 'exclude', reason: 'spam' });
    expect(again.status).toBe(409);
    expect(await auditOf('response.exclude')).toHaveLength(1);

    const included = await analyst.post('/admin/tracker/exclusions', { survey: 'flow-gov', response: String(responseId), action: 'include' });
    expect(included.status).toBe(303);
    expect(await fixture.db.selectFrom('response_exclusion').selectAll().execute()).toEqual([]);
    expect(await auditOf('response.include')).toEqual([
      {
        actor: analyst.email,
        action: 'response.include',
        subject: `response:${responseId}`,
        details: expect.objectContaining({ surveyId: 'flow-gov', reason: 'duplicate of 12' }),
      },
    ]);
    const after = await fixture.db.selectFrom('response').selectAll().where('id', '=', responseId).executeTakeFirstOrThrow();
    expect(after).toEqual(before);
  });

  it('requires a reason, the CSRF token and the analyst or admin role to exclude', async () => {
    const responseId = await submittedResponse();
    const noReason = await analyst.post('/admin/tracker/exclusions', { survey: 'flow-gov', response: String(responseId), action: 'exclude', reason: '   ' });
    expect(noReason.status).toBe(422);
    expect(visibleText(await noReason.text())).toContain('Give a reason for excluding the response.');
    const noCsrf = await analyst.post(
      '/admin/tracker/exclusions',
      { survey: 'flow-gov', response: String(responseId), action: 'exclude', reason: 'spam' },
      { csrf: false },
    );
    expect(noCsrf.status).toBe(403);
    const wrongCsrf = await analyst.post(
      '/admin/tracker/exclusions',
      { survey: 'flow-gov', response: String(responseId), action: 'exclude', reason: 'spam' },
      { csrf: 'x'.repeat(43) },
    );
    expect(wrongCsrf.status).toBe(403);
    const observer = await TeamMember.signIn(fixture, 'observer', { now: new Date(WHILE_OPEN) });
    expect(
      (await observer.post('/admin/tracker/exclusions', { survey: 'flow-gov', response: String(responseId), action: 'exclude', reason: 'spam' })).status,
    ).toBe(403);
    expect((await analyst.post('/admin/tracker/exclusions', { survey: 'flow-gov', response: '999999', action: 'exclude', reason: 'spam' })).status).toBe(404);
    expect(await fixture.db.selectFrom('response_exclusion').selectAll().execute()).toEqual([]);
    expect(await auditOf('response.exclude')).toEqual([]);
  });

  it('downloads the reminders file: BOM, names, e-mails and link states, no token, formulas neutralised, audited', async () => {
    const { token } = await fixture.invite({ name: 'Kenya', country: 'KEN' });
    await addRespondent(fixture.db, {
      surveyId: 'flow-gov',
      name: '=HYPERLINK("http://evil.example")',
      country: 'FRA',
      email: '+33@example.org',
      links: [{ revoked: true }],
    });
    await submittedResponse('India', 'IND');

    const res = await analyst.get('/admin/tracker/reminders.csv?survey=flow-gov');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="reminders-flow-gov.csv"');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text).not.toContain(token);
    expect(text).not.toContain('/r/');
    const { data } = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { delimiter: ',', skipEmptyLines: true });
    expect(data).toEqual([
      ['name', 'kind', 'country', 'email', 'progress', 'link_state', 'last_opened_utc', 'last_saved_utc'],
      ['\'=HYPERLINK("http://evil.example")', 'government', 'FRA', "'+33@example.org", 'not started', 'revoked', '', ''],
      ['Kenya', 'government', 'KEN', '', 'not started', 'never opened', '', ''],
    ]);
    expect(await auditOf('export.reminders')).toEqual([
      { actor: analyst.email, action: 'export.reminders', subject: 'survey:flow-gov', details: { surveyId: 'flow-gov', rows: 2 } },
    ]);
  });
});
