/**
 * A release of the 2012 phase that compares with a release of 2011: the trend tables repeat the two
 * releases' published counts and nothing else (a 2012 answer split in two is summed onto its 2011
 * answer only when both parts are shown), the change is computed only from shown shares, and the
 * report and trends.csv show the same figures (hidden cells: test/analysis/disclosure/release-trends.test.ts). Expected figures are counted here from the answers
 * the test gives, not read from the code under test.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublishedRelease } from '../../../analysis/disclosure/release-model.ts';
import { createApp } from '../../../server/app.ts';
import { exportRelease } from '../../../server/export/release-export.ts';
import { createRelease, readRelease } from '../../../server/releases/release-service.ts';
import { saveAnswers, submitResponse } from '../../../server/responses/response-service.ts';
import { syncDefinitions } from '../../../server/surveys/sync-definitions.ts';
import { countryChoices } from '../../../survey-definitions/countries.ts';
import type { Answers } from '../../../survey-definitions/answers.ts';
import { createTestDatabase, TEST_DATABASE_KIND, type TestDatabase } from '../../support/database.ts';
import { visibleText } from '../support/html.ts';
import { TeamMember } from '../support/team-session.ts';

const FIXTURES = path.resolve('test/fixtures/surveys-release-trends');
const NOW = new Date('2026-12-01T10:00:00Z');
/** Groups of 10 and 15 whose answers come in fives, so that the releases need hide nothing. */
const POPULATION = [
  { region: 'Africa', size: 10 },
  { region: 'Americas', size: 10 },
  { region: 'Asia', size: 10 },
  { region: 'Europe', size: 15 },
];

/** The answers of the i-th government of a region in a phase: ratings of the Support Unit rise by a point in 2012, more want a UN link. */
function answersOf(phase: 2011 | 2012, _region: string, i: number): Answers {
  if (phase === 2011) return { g_support: i < 5 ? '3' : '4', g_un_link: i < 5 ? 'yes' : 'no', g_channel: i < 5 ? 'chair' : 'support_unit' };
  return { s_support: i < 5 ? '4' : '5', s_un_link: i < 10 ? 'yes' : 'no', s_channel: i < 5 ? 'chair_alone' : i < 10 ? 'chair_troika' : 'support_unit' };
}

describe(`releases that compare phases (${TEST_DATABASE_KIND})`, { timeout: 300_000 }, () => {
  let handle: TestDatabase;
  let release2011: PublishedRelease;
  let release2012: PublishedRelease;

  async function answer(respondentId: number, answers: Answers) {
    await saveAnswers(handle.db, { respondentId, baseRevision: 0, answers, scope: 'all', language: 'en', now: NOW });
    await submitResponse(handle.db, { respondentId, now: NOW });
  }

  beforeAll(async () => {
    handle = await createTestDatabase();
    expect((await syncDefinitions(handle.db, FIXTURES)).problems).toEqual([]);
    for (const { region, size } of POPULATION) {
      for (const [i, place] of countryChoices('un_members')
        .filter((c) => c.region === region)
        .slice(0, size)
        .entries()) {
        const person = {
          kind: 'government' as const,
          name: place.names.en,
          country: place.code,
          region: place.region,
          subregion: place.subregion,
          roles: [],
          source: 'invitation' as const,
        };
        const earlier = await handle.db
          .insertInto('respondent')
          .values({ ...person, survey_id: 'trend-2011' })
          .returning('id')
          .executeTakeFirstOrThrow();
        await answer(earlier.id, answersOf(2011, region, i));
        const later = await handle.db
          .insertInto('respondent')
          .values({ ...person, survey_id: 'trend-2012', previous_respondent_id: earlier.id })
          .returning('id')
          .executeTakeFirstOrThrow();
        await answer(later.id, answersOf(2012, region, i));
      }
    }
    const a = await createRelease(handle.db, { surveyId: 'trend-2011', name: '2011', actor: 'test' });
    release2011 = await readRelease(handle.db, a.id);
    const b = await createRelease(handle.db, { surveyId: 'trend-2012', name: '2012 with the change since 2011', actor: 'test', trendFrom: a.id });
    expect(b.trendTables).toBe(3);
    release2012 = await readRelease(handle.db, b.id);
  }, 300_000);

  afterAll(async () => {
    await handle?.close();
  });

  const trend = (key: string) => release2012.trends!.find((t) => t.trendKey === key)!;
  const tableOf = (release: PublishedRelease, questionId: string) => release.tables.find((t) => t.questionId === questionId)!;
  /** Everyone's answers to one question of one phase, counted here. */
  const countAll = (phase: 2011 | 2012, question: string, code: string) =>
    POPULATION.reduce(
      (n, { region, size }) => n + Array.from({ length: size }, (_, i) => answersOf(phase, region, i)[question]).filter((v) => v === code).length,
      0,
    );

  it('names the earlier release and holds a table per tied question', () => {
    expect(release2012.trendFrom).toEqual({ releaseId: release2011.id, surveyId: 'trend-2011', phases: [2011, 2012], contentHash: release2011.contentHash });
    expect(release2012.trends!.map((t) => [t.trendKey, t.earlier.questionId, t.later.questionId]).sort()).toEqual([
      ['channel', 'g_channel', 's_channel'],
      ['support_unit', 'g_support', 's_support'],
      ['un_link', 'g_un_link', 's_un_link'],
    ]);
  });

  it('repeats the published counts of both releases, cell for cell', () => {
    for (const t of release2012.trends!) {
      const before = tableOf(release2011, t.earlier.questionId);
      const after = tableOf(release2012, t.later.questionId);
      for (const [group, rows] of Object.entries(t.cells)) {
        for (const [row, pair] of Object.entries(rows)) {
          expect(pair.earlier).toEqual(before.cells[group]![row]);
          if (t.trendKey !== 'channel' || row !== 'chair') expect(pair.later).toEqual(after.cells[group]![row]);
        }
      }
    }
  });

  it('sums a 2012 answer split in two onto its 2011 answer', () => {
    const t = trend('channel');
    for (const group of Object.keys(t.cells)) {
      const after = tableOf(release2012, 's_channel').cells[group]!;
      expect(after['chair_alone']!.count, group).not.toBeNull();
      expect(t.cells[group]!['chair']!.later).toEqual({ count: after['chair_alone']!.count! + after['chair_troika']!.count! });
    }
    expect(t.cells['all']!['chair']!.later).toEqual({ count: countAll(2012, 's_channel', 'chair_alone') + countAll(2012, 's_channel', 'chair_troika') });
    expect(t.cells['all']!['chair']!.earlier).toEqual({ count: countAll(2011, 'g_channel', 'chair') });
  });

  it('gives the change of each share, equal to the shares counted from the answers', async () => {
    const { trendChange } = await import('../../../analysis/disclosure/release-trends.ts');
    const n = POPULATION.reduce((s, p) => s + p.size, 0);
    const expected = ((countAll(2012, 's_un_link', 'yes') - countAll(2011, 'g_un_link', 'yes')) / n) * 100;
    expect(trendChange(trend('un_link'), 'all', 'yes')).toBeCloseTo(expected, 10);
    // Europe: the Chair (alone or with the Troika) went from 5 of 15 to 10 of 15.
    expect(trendChange(trend('channel'), 'region:Europe', 'chair')).toBeCloseTo((10 / 15 - 5 / 15) * 100, 10);
  });

  it('refuses to compare with a release of the same or a later phase', async () => {
    await expect(createRelease(handle.db, { surveyId: 'trend-2012', name: 'same phase', actor: 'test', trendFrom: release2012.id })).rejects.toThrow(
      /not of a phase before/,
    );
    await expect(createRelease(handle.db, { surveyId: 'trend-2011', name: 'backwards', actor: 'test', trendFrom: release2012.id })).rejects.toThrow(
      /not of a phase before/,
    );
    await expect(createRelease(handle.db, { surveyId: 'trend-2012', name: 'no such', actor: 'test', trendFrom: 999_999 })).rejects.toThrow(/no release 999999/);
  });

  it('prints "Change since 2011" in the release report and writes the same figures to trends.csv', async () => {
    const app = createApp({
      db: handle.db,
      databaseKind: handle.kind,
      publicUrl: 'https://assess.example.org',
      sessionDays: 1,
      trustProxy: false,
      surveysDir: FIXTURES,
      now: () => NOW,
    });
    const analyst = await TeamMember.signIn({ app, db: handle.db }, 'analyst', { now: NOW });
    const res = await analyst.get(`/admin/releases/${release2012.id}/report?group=all`);
    expect(res.status).toBe(200);
    const text = visibleText(await res.text());
    expect(text).toContain('Change since 2011');
    const yes2011 = countAll(2011, 'g_un_link', 'yes');
    const yes2012 = countAll(2012, 's_un_link', 'yes');
    const n = POPULATION.reduce((s, p) => s + p.size, 0);
    const points = ((yes2012 - yes2011) / n) * 100;
    expect(text).toContain(`Yes ${yes2011} ${((yes2011 / n) * 100).toFixed(1)}% ${yes2012} ${((yes2012 / n) * 100).toFixed(1)}% +${points.toFixed(1)}`);

    // The releases page of the 2012 questionnaire offers the 2011 release to compare with.
    const page = await analyst.get('/admin/releases?survey=trend-2012');
    const html = await page.text();
    expect(html).toContain(`<option value="${release2011.id}">2011: release ${release2011.id}, “2011” (Trend test 2011)</option>`);
    const made = await analyst.post('/admin/releases', { survey: 'trend-2012', name: 'From the page', trend_from: String(release2011.id) });
    expect(made.status).toBe(303);
    const madeId = Number(new URL(made.headers.get('location')!, 'https://x').searchParams.get('made'));
    expect((await readRelease(handle.db, madeId)).trendFrom?.releaseId).toBe(release2011.id);

    const folder = await mkdtemp(path.join(os.tmpdir(), 'trend-bundle-'));
    try {
      const written = await exportRelease(handle.db, { releaseId: release2012.id, actor: 'test' }, folder);
      expect(written.files.map((f) => f.name)).toContain('trends.csv');
      const csv = Papa.parse<Record<string, string>>((await readFile(path.join(folder, 'trends.csv'), 'utf8')).replace(/^\uFEFF/, ''), {
        header: true,
        skipEmptyLines: true,
      }).data;
      const yesAll = csv.find((r) => r['trend_key'] === 'un_link' && r['group'] === 'all' && r['code'] === 'yes')!;
      expect(yesAll).toMatchObject({ count_earlier: String(yes2011), count_later: String(yes2012), change_points: points.toFixed(1) });
      const europeChair = csv.find((r) => r['trend_key'] === 'channel' && r['group'] === 'region:Europe' && r['code'] === 'chair')!;
      expect(europeChair).toMatchObject({ count_earlier: '5', count_later: '10', change_points: ((10 / 15 - 5 / 15) * 100).toFixed(1) });
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
