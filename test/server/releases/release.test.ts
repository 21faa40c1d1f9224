/**
 * Releases made from stored responses, on small populations built to be attacked: a region of six
 * governments with one donor, a Steering Group member alone in a region, one more submission or one
 * amendment between two releases. Each release's published figures are attacked by an integer
 * program that sees everything published (test/support/release-attacker.ts, written from the
 * published JSON only); no hidden count may be pinned, none from 1 to 4 narrowed below 5 values.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { countryChoices } from '../../../survey-definitions/countries.ts';
import type { Answers } from '../../../survey-definitions/answers.ts';
import { createRelease, readRelease } from '../../../server/releases/release-service.ts';
import { releaseTableRows, RELEASE_TABLE_FIELDS } from '../../../server/export/release-bundle.ts';
import { saveAnswers, submitResponse } from '../../../server/responses/response-service.ts';
import { syncDefinitions } from '../../../server/surveys/sync-definitions.ts';
import { createApp } from '../../../server/app.ts';
import { createTestDatabase, TEST_DATABASE_KIND, type TestDatabase } from '../../support/database.ts';
import { attackReleases } from '../../support/release-attacker.ts';
import { elementById, visibleText } from '../support/html.ts';
import { TeamMember } from '../support/team-session.ts';
import { RELEASE_POPULATION, releaseAnswers, releaseRoles } from './support/release-population.ts';

const SURVEY = 'release-gov';
const FIXTURES = path.resolve('test/fixtures/surveys-release');
const NOW = new Date('2026-12-01T10:00:00Z');

describe(`releases (${TEST_DATABASE_KIND})`, { timeout: 300_000 }, () => {
  let handle: TestDatabase;
  const respondents: { id: number; region: string }[] = [];
  const spare: { id: number; region: string }[] = [];

  async function answer(respondentId: number, answers: Answers, baseRevision = 0) {
    await saveAnswers(handle.db, { respondentId, baseRevision, answers, scope: 'all', language: 'en', now: NOW });
    await submitResponse(handle.db, { respondentId, now: NOW });
  }

  beforeAll(async () => {
    handle = await createTestDatabase();
    expect((await syncDefinitions(handle.db, FIXTURES)).problems).toEqual([]);
    for (const { region, size } of RELEASE_POPULATION) {
      const places = countryChoices('un_members').filter((c) => c.region === region);
      for (const [i, place] of places.slice(0, size + 6).entries()) {
        const roles = releaseRoles(region, i);
        const { id } = await handle.db
          .insertInto('respondent')
          .values({
            survey_id: SURVEY,
            kind: 'government',
            name: place.names.en,
            country: place.code,
            region: place.region,
            subregion: place.subregion,
            roles,
            source: 'invitation',
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        if (i < size) {
          await answer(id, releaseAnswers(region, i));
          respondents.push({ id, region });
        } else spare.push({ id, region });
      }
    }
  });

  afterAll(async () => {
    await handle?.close();
  });

  let first: number;

  it('publishes a first release that the attacker cannot break', async () => {
    const made = await createRelease(handle.db, { surveyId: SURVEY, name: 'First look', actor: 'test' });
    first = made.id;
    const release = await readRelease(handle.db, made.id);
    expect(release.contentHash).toMatch(/^[0-9a-f]{64}$/);
    // The one donor of Africa and Oceania's three respondents are not shown.
    expect(release.tables.find((t) => t.questionId === 'g_contributed')!.cells['region:Africa']!['yes']!.count).toBeNull();
    expect(release.respondents['region:Oceania']).toEqual({ count: null, why: 'fewer_than_k' });
    // A second group is hidden with Oceania, or "all" minus the other regions would give it.
    expect(Object.entries(release.respondents).filter(([g, c]) => g.startsWith('region:') && c.count === null).length).toBeGreaterThan(1);
    const attack = await attackReleases([release]);
    expect(attack.violations).toEqual([]);
    expect(attack.ranges.length).toBeGreaterThan(0);
  });

  it('refuses a release one submission later, naming the groups that need more responses', async () => {
    const next = spare.find((s) => s.region === 'Europe')!;
    await answer(next.id, releaseAnswers('Europe', 20));
    await expect(createRelease(handle.db, { surveyId: SURVEY, name: 'One more', actor: 'test' })).rejects.toThrow(
      /All respondents changed by 1 response \(needs 4 more\)/,
    );
  });

  it('refuses a release after one amendment', async () => {
    // One submission is already pending; an amendment is a second change, still fewer than 5.
    const target = respondents.find((r) => r.region === 'Asia')!;
    const revision = (await handle.db.selectFrom('response').select('revision').where('respondent_id', '=', target.id).executeTakeFirstOrThrow()).revision;
    await answer(target.id, { ...releaseAnswers('Asia', 3), g_support: '5' }, revision);
    await expect(createRelease(handle.db, { surveyId: SURVEY, name: 'Amended', actor: 'test' })).rejects.toThrow(
      /All respondents changed by 2 responses \(needs 3 more\)/,
    );
  });

  it('publishes a second release once five responses changed, hiding again what the first hid', async () => {
    for (const s of spare.filter((x) => x.region === 'Asia').slice(0, 3)) await answer(s.id, releaseAnswers('Asia', s.id));
    const made = await createRelease(handle.db, { surveyId: SURVEY, name: 'Second look', actor: 'test' });
    const [r1, r2] = [await readRelease(handle.db, first), await readRelease(handle.db, made.id)];
    expect(r2.earlier).toEqual([first]);
    expect((await attackReleases([r2])).violations).toEqual([]);
    // Together, against a reader who knows in which finest group every added, amended or removed response is.
    const members = await handle.db.selectFrom('release_response').select(['release_id', 'response_id', 'revision', 'leaf']).execute();
    const held = new Map<string, { leaf: string; in: number[] }>();
    for (const m of members) {
      const key = `${m.response_id}:${m.revision}`;
      const entry = held.get(key) ?? { leaf: m.leaf, in: [] };
      entry.in.push(m.release_id === first ? 0 : 1);
      held.set(key, entry);
    }
    const segments: Record<string, Record<string, number> | null> = {};
    for (const { leaf, in: releases } of held.values()) {
      const signature = releases.sort().join(',');
      segments[signature] ??= {};
      segments[signature]![leaf] = (segments[signature]![leaf] ?? 0) + 1;
    }
    expect(Object.keys(segments).sort()).toEqual(['0', '0,1', '1']);
    // How many of the unchanged responses are in each finest group is not known to the reader.
    segments['0,1'] = null;
    // Such a reader knows each group's number of respondents anyway (the first release's plus the
    // changes): those counts are not what is protected here; every answer count is.
    const pair = await attackReleases([r1, r2], { segments });
    expect(pair.violations.filter((v) => !/, _respondents, /.test(v))).toEqual([]);
    expect(pair.ranges.filter((r) => r.table !== '_respondents').length).toBeGreaterThan(0);
    for (const [g, cell] of Object.entries(r1.respondents)) if (cell.count === null) expect(r2.respondents[g]!.count).toBeNull();
  });

  it('shows the same figures in the API, the page, the printed report and tables.csv; observers cannot make releases', async () => {
    const app = createApp({
      db: handle.db,
      databaseKind: handle.kind,
      publicUrl: 'https://assess.example.org',
      sessionDays: 1,
      trustProxy: false,
      surveysDir: FIXTURES,
      now: () => NOW,
    });
    const observer = await TeamMember.signIn({ app, db: handle.db }, 'observer', { now: NOW });
    const release = await readRelease(handle.db, first);
    const api = await observer.get(`/api/releases/${first}`);
    expect(api.status).toBe(200);
    expect(await api.json()).toEqual(release);
    const words = (cell: { count: number | null; why?: string } | undefined) =>
      !cell ? '' : cell.count === null ? (cell.why === 'withheld' ? 'withheld' : 'fewer than 5') : String(cell.count);
    const html = await (await observer.get(`/admin/releases/${first}?breakdown=region`)).text();
    expect(html).toContain('fewer than 5');
    expect(html).toContain('withheld');
    // The page: every cell of every table, region by region, as the release has it.
    const regions = release.breakdowns.find((b) => b.id === 'region')!.groups;
    for (const table of release.tables) {
      const shown = [...elementById(html, `t-${table.item ? `${table.questionId}.${table.item}` : table.questionId}`).matchAll(/<tr>([\s\S]*?)<\/tr>/g)].slice(
        1,
      );
      expect(shown.map((m) => [...m[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((td) => visibleText(td[1]!)))).toEqual(
        table.rows.map((row) => regions.map((g) => words(table.cells[g]?.[row]))),
      );
    }
    // The printed report of each region: the counts of the donors' question as the release has them.
    for (const g of regions) {
      const report = await (await observer.get(`/admin/releases/${first}/report?group=${encodeURIComponent(g)}`)).text();
      const cells = release.tables.find((t) => t.questionId === 'g_contributed')!.cells[g]!;
      const question = visibleText(elementById(report, 'r-g_contributed'));
      expect(question, g).toContain(`Yes ${words(cells['yes'])}`);
      expect(question, g).toContain(`No ${words(cells['no'])}`);
    }
    const csv = Papa.parse<Record<string, string>>(Papa.unparse({ fields: [...RELEASE_TABLE_FIELDS], data: releaseTableRows(release) }), { header: true }).data;
    for (const table of release.tables) {
      for (const [g, cells] of Object.entries(table.cells)) {
        for (const [row, cell] of Object.entries(cells)) {
          const line = csv.find((r) => r.question_id === table.questionId && r.item === table.item && r.group === g && r.code === row)!;
          expect(line.count).toBe(cell.count === null ? '' : String(cell.count));
          expect(line.hidden).toBe(cell.count === null ? (cell.why === 'withheld' ? 'withheld' : 'fewer than 5') : '');
        }
      }
    }
    expect((await observer.post('/admin/releases', { survey: SURVEY, name: 'Mine' })).status).toBe(403);
    // The public bundle as a download: analysts and admins, audit-logged; observers read, they do not export.
    expect((await observer.post(`/admin/releases/${first}/bundle`, {})).status).toBe(403);
    const analyst = await TeamMember.signIn({ app, db: handle.db }, 'analyst', { now: NOW, email: 'analyst@team.example.org' });
    const zip = await analyst.post(`/admin/releases/${first}/bundle`, {});
    expect(zip.status).toBe(200);
    expect(zip.headers.get('content-type')).toBe('application/zip');
    expect(zip.headers.get('content-disposition')).toBe(`attachment; filename="release-${first}.zip"`);
    const bytes = Buffer.from(await zip.arrayBuffer());
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    for (const name of ['tables.csv', 'release.json', 'risk-check.json', 'README.txt']) expect(bytes.includes(Buffer.from(name))).toBe(true);
    expect(bytes.includes(Buffer.from('responses.csv'))).toBe(false);
    const audit = await handle.db.selectFrom('audit_log').select(['actor', 'action']).where('action', '=', 'release.export').execute();
    expect(audit).toContainEqual({ actor: 'analyst@team.example.org', action: 'release.export' });
  });
});
