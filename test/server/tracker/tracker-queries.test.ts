/**
 * The tracker's SQL over hand-built respondents: every expected count below is written by hand
 * from the table of respondents in `seed()`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertUser } from '../../../server/accounts/users.queries.ts';
import { syncDefinitions } from '../../../server/surveys/sync-definitions.ts';
import { getDailySubmissions, getStateCounts, listNotSubmitted, listSubmittedResponses, type StateCounts } from '../../../server/tracker/tracker.queries.ts';
import { createTestDatabase, TEST_DATABASE_KIND, type TestDatabase } from '../../support/database.ts';
import { FLOW_SURVEYS } from '../support/app-fixture.ts';
import { addRespondent } from '../support/tracker-data.ts';

const SURVEY = 'flow-gov';

/** `[group, respondents, invited, opened, inProgress, submitted, excluded, analysed]` */
type Row = [string | null, number, number, number, number, number, number, number];
const counts = ([group, respondents, invited, opened, inProgress, submitted, excluded, analysed]: Row): StateCounts => ({
  group,
  respondents,
  invited,
  opened,
  inProgress,
  submitted,
  // No response of the seed was changed after its submission.
  amended: 0,
  excluded,
  analysed,
});

describe(`tracker queries (${TEST_DATABASE_KIND})`, () => {
  let handle: TestDatabase;
  const ids: Record<string, { respondentId: number; responseId?: number }> = {};
  let analystId: number;

  beforeAll(async () => {
    handle = await createTestDatabase();
    expect((await syncDefinitions(handle.db, FLOW_SURVEYS)).problems).toEqual([]);
    analystId = await insertUser(handle.db, { email: 'ana@example.org', role: 'analyst' });
    const db = handle.db;
    const opened = { openedAt: '2026-02-21T09:00:00Z' };
    //        name                kind     region    roles                      links                     response
    // R1     Kenya               gov      Africa    steering_group, troika     opened                    submitted 03-01 10:00
    // R2     France              gov      Europe    steering_group             opened                    saved (rev 2)
    // R3     Brazil              gov      Americas  —                          never opened              —
    // R4     IOM                 io       —         contributor                revoked + never opened    —
    // R5     Germany             gov      Europe    troika                     opened                    submitted 03-01 23:30, excluded
    // R6     Ghana               gov      Africa    —                          opened                    opened the form, never saved (rev 0)
    // R7     India               gov      Asia      —                          opened                    submitted 03-03 00:10
    // R8     Zambia              gov      Africa    —                          opened, then revoked      —
    // R9     Nowhere Institute   io       —         —                          no link                   —
    ids.kenya = await addRespondent(db, {
      surveyId: SURVEY,
      name: 'Kenya',
      country: 'KEN',
      region: 'Africa',
      roles: ['steering_group', 'troika'],
      email: 'ke@example.org',
      links: [opened],
      response: { revision: 3, status: 'submitted', firstSubmittedAt: '2026-03-01T10:00:00Z' },
    });
    ids.france = await addRespondent(db, {
      surveyId: SURVEY,
      name: 'France',
      country: 'FRA',
      region: 'Europe',
      roles: ['steering_group'],
      email: 'fr@example.org',
      links: [{ openedAt: '2026-02-21T09:00:00Z', lastOpenedAt: '2026-03-02T07:00:00Z' }],
      response: { revision: 2, status: 'in_progress', updatedAt: '2026-03-02T08:00:00Z' },
    });
    ids.brazil = await addRespondent(db, { surveyId: SURVEY, name: 'Brazil', country: 'BRA', region: 'Americas', email: 'br@example.org', links: [{}] });
    ids.iom = await addRespondent(db, { surveyId: SURVEY, name: 'IOM', kind: 'international_org', roles: ['contributor'], links: [{ revoked: true }, {}] });
    ids.germany = await addRespondent(db, {
      surveyId: SURVEY,
      name: 'Germany',
      country: 'DEU',
      region: 'Europe',
      roles: ['troika'],
      links: [opened],
      response: { revision: 1, status: 'submitted', firstSubmittedAt: '2026-03-01T23:30:00Z' },
      exclusion: { reason: 'duplicate of Kenya', by: analystId },
    });
    ids.ghana = await addRespondent(db, {
      surveyId: SURVEY,
      name: 'Ghana',
      country: 'GHA',
      region: 'Africa',
      links: [opened],
      response: { revision: 0, status: 'in_progress' },
    });
    ids.india = await addRespondent(db, {
      surveyId: SURVEY,
      name: 'India',
      country: 'IND',
      region: 'Asia',
      links: [opened],
      response: { revision: 4, status: 'submitted', firstSubmittedAt: '2026-03-03T00:10:00Z' },
    });
    ids.zambia = await addRespondent(db, { surveyId: SURVEY, name: 'Zambia', country: 'ZMB', region: 'Africa', links: [{ ...opened, revoked: true }] });
    ids.nowhere = await addRespondent(db, { surveyId: SURVEY, name: 'Nowhere Institute', kind: 'international_org' });
    // Another survey's respondents must not be counted.
    await addRespondent(db, {
      surveyId: 'flow-cs',
      name: 'Noise CSO',
      kind: 'civil_society',
      region: 'Africa',
      links: [opened],
      response: { revision: 1, status: 'submitted', firstSubmittedAt: '2026-03-01T11:00:00Z' },
    });
  });
  afterAll(() => handle.close());

  it('counts respondents by state overall', async () => {
    expect(await getStateCounts(handle.db, SURVEY, 'overall')).toEqual([counts([null, 9, 8, 6, 1, 3, 1, 2])]);
  });

  it('counts by kind', async () => {
    expect(await getStateCounts(handle.db, SURVEY, 'kind')).toEqual([
      counts(['government', 7, 7, 6, 1, 3, 1, 2]),
      counts(['international_org', 2, 1, 0, 0, 0, 0, 0]),
    ]);
  });

  it('counts by region, respondents without one last', async () => {
    expect(await getStateCounts(handle.db, SURVEY, 'region')).toEqual([
      counts(['Africa', 3, 3, 3, 0, 1, 0, 1]),
      counts(['Americas', 1, 1, 0, 0, 0, 0, 0]),
      counts(['Asia', 1, 1, 1, 0, 1, 0, 1]),
      counts(['Europe', 2, 2, 2, 1, 1, 1, 0]),
      counts([null, 2, 1, 0, 0, 0, 0, 0]),
    ]);
  });

  it('counts by role: a respondent counts once per role, those without one in a group of their own', async () => {
    expect(await getStateCounts(handle.db, SURVEY, 'role')).toEqual([
      counts(['contributor', 1, 1, 0, 0, 0, 0, 0]),
      counts(['steering_group', 2, 2, 2, 1, 1, 0, 1]),
      counts(['troika', 2, 2, 2, 0, 2, 1, 1]),
      counts([null, 5, 4, 3, 0, 1, 0, 1]),
    ]);
  });

  it('gives zeros, not an empty list, for a survey without respondents', async () => {
    expect(await getStateCounts(handle.db, 'no-such-survey', 'overall')).toEqual([counts([null, 0, 0, 0, 0, 0, 0, 0])]);
    expect(await getStateCounts(handle.db, 'no-such-survey', 'kind')).toEqual([]);
  });

  it('counts first submissions per UTC day, with the excluded ones and a running total', async () => {
    expect(await getDailySubmissions(handle.db, SURVEY)).toEqual([
      { day: '2026-03-01', submitted: 2, excluded: 1, cumulative: 2 },
      { day: '2026-03-03', submitted: 1, excluded: 0, cumulative: 3 },
    ]);
  });

  it('lists those who have not submitted, by name, with the state of their link', async () => {
    const rows = await listNotSubmitted(handle.db, SURVEY);
    expect(rows).toEqual([
      {
        respondentId: ids.brazil!.respondentId,
        name: 'Brazil',
        kind: 'government',
        country: 'BRA',
        email: 'br@example.org',
        linkState: 'never_opened',
        lastOpenedAt: null,
        lastSavedAt: null,
      },
      {
        respondentId: ids.france!.respondentId,
        name: 'France',
        kind: 'government',
        country: 'FRA',
        email: 'fr@example.org',
        linkState: 'working',
        lastOpenedAt: new Date('2026-03-02T07:00:00Z'),
        lastSavedAt: new Date('2026-03-02T08:00:00Z'),
      },
      {
        respondentId: ids.ghana!.respondentId,
        name: 'Ghana',
        kind: 'government',
        country: 'GHA',
        email: null,
        linkState: 'working',
        lastOpenedAt: new Date('2026-02-21T09:00:00Z'),
        lastSavedAt: null,
      },
      {
        respondentId: ids.iom!.respondentId,
        name: 'IOM',
        kind: 'international_org',
        country: null,
        email: null,
        linkState: 'never_opened',
        lastOpenedAt: null,
        lastSavedAt: null,
      },
      {
        respondentId: ids.nowhere!.respondentId,
        name: 'Nowhere Institute',
        kind: 'international_org',
        country: null,
        email: null,
        linkState: 'no_link',
        lastOpenedAt: null,
        lastSavedAt: null,
      },
      {
        respondentId: ids.zambia!.respondentId,
        name: 'Zambia',
        kind: 'government',
        country: 'ZMB',
        email: null,
        linkState: 'revoked',
        lastOpenedAt: new Date('2026-02-21T09:00:00Z'),
        lastSavedAt: null,
      },
    ]);
  });

  it('pages the not-submitted list', async () => {
    const rows = await listNotSubmitted(handle.db, SURVEY, { limit: 2, offset: 2 });
    expect(rows.map((r) => r.name)).toEqual(['Ghana', 'IOM']);
  });

  it('lists submitted responses first submitted first, with their exclusion', async () => {
    const rows = await listSubmittedResponses(handle.db, SURVEY, { limit: 10, offset: 0 });
    expect(rows.map((r) => [r.name, r.firstSubmittedAt.toISOString(), r.exclusion && { reason: r.exclusion.reason, by: r.exclusion.excludedBy }])).toEqual([
      ['Kenya', '2026-03-01T10:00:00.000Z', null],
      ['Germany', '2026-03-01T23:30:00.000Z', { reason: 'duplicate of Kenya', by: 'ana@example.org' }],
      ['India', '2026-03-03T00:10:00.000Z', null],
    ]);
    expect(rows[1]!.responseId).toBe(ids.germany!.responseId);
    expect((await listSubmittedResponses(handle.db, SURVEY, { limit: 1, offset: 2 })).map((r) => r.name)).toEqual(['India']);
  });
});
