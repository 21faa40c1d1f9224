/**
 * One base per column of shares, on a real database, through the app: the options' shares add to
 * 100% of those who gave a view, and "don't know" is set apart with its own base, said in words on
 * the dashboard and in the report, and carried as a column in the question CSV and tables.csv.
 *
 * 100 governments, 25 in each of four regions:
 * | question   | answers                                   | gave a view | answered |
 * |------------|-------------------------------------------|-------------|----------|
 * | g_attended | yes 52, no 42, don't know 6 (all in Africa) | 94        | 100      |
 * | g_chair    | rotating 48, permanent 48, don't know 4 (one per region) | 96 | 100 |
 *
 * Every count by region is 0 or at least 5, except g_chair's "don't know".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_KIND } from '../../support/database.ts';
import { ANALYSIS_SURVEYS, seedResponses, type Respondent } from '../support/analysis-data.ts';
import { createAppFixture, type AppFixture } from '../support/app-fixture.ts';
import { exportBundle, parseCsv, removeBundles } from '../export/support/bundle.ts';
import { elementById, visibleText } from '../support/html.ts';
import { TeamMember } from '../support/team-session.ts';

const REGIONS = ['Africa', 'Americas', 'Asia', 'Europe'];
const RESPONDENTS: Respondent[] = Array.from({ length: 100 }, (_, i) => ({
  name: `Government ${i}`,
  kind: 'government',
  region: REGIONS[i % 4]!,
  answers: { g_attended: i < 52 ? 'yes' : i >= 76 && i % 4 === 0 ? 'dk' : 'no', g_chair: i < 48 ? 'rotating' : i < 96 ? 'permanent' : 'dk' },
}));

/** The share cells ("50.0%") of the options (the table body) in a question's section. */
function optionShares(section: string): number[] {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(section)![1]!;
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) => Number(/<td[^>]*>([\d.]+)%<\/td>/.exec(row[1]!)![1]));
}

describe(`one base per column of shares (${TEST_DATABASE_KIND})`, { timeout: 120_000 }, () => {
  let fixture: AppFixture;
  let analyst: TeamMember;

  beforeAll(async () => {
    fixture = await createAppFixture({ folder: ANALYSIS_SURVEYS });
    await seedResponses(fixture.db, 'analysis-gov', RESPONDENTS);
    analyst = await TeamMember.signIn(fixture, 'analyst');
  });
  afterAll(async () => {
    removeBundles();
    await fixture?.close();
  });

  it('the dashboard: the options add to 100% of those who gave a view, and "don’t know" states its own base', async () => {
    const html = await (await analyst.get('/admin/dashboard?survey=analysis-gov')).text();
    for (const [id, gaveView, dk] of [
      ['g_attended', 94, 6],
      ['g_chair', 96, 4],
    ] as const) {
      const section = elementById(html, `r-${id}`);
      const shares = optionShares(section);
      expect(Math.abs(shares.reduce((a, b) => a + b, 0) - 100), `${id}: ${shares.join(' + ')}`).toBeLessThanOrEqual(0.1);
      const text = visibleText(section);
      expect(text).toContain(`Gave a view ${gaveView} 100%`);
      expect(text).toContain(`Apart from the shares above, as a share of all 100 who answered Don’t know ${dk} ${dk}.0%`);
      expect(text).toContain(`Shares of the ${gaveView} who gave a view (they add to 100%). Apart: “Don’t know”, ${dk} of the 100 who answered (${dk}.0%).`);
    }
    // 48 of 96, not 48 of 100: the case of the issue.
    expect(optionShares(elementById(html, 'r-g_chair'))).toEqual([50, 50]);
  });

  it('the live report: the same bases, exact', async () => {
    const html = await (await analyst.get('/admin/report?survey=analysis-gov')).text();
    const attended = visibleText(elementById(html, 'r-g_attended'));
    expect(attended).toContain('Shares of the 94 who gave a view (they add to 100%). Apart: “Don’t know”, 6 of the 100 who answered (6.0%).');
    expect(attended).toContain('Gave a view 94 100%');
    // 4 "don't know": the live report, for the Assessment Team, hides nothing.
    const chair = visibleText(elementById(html, 'r-g_chair'));
    expect(chair).toContain('“Don’t know”, 4 of the 100 who answered (4.0%)');
    expect(chair).toContain('Gave a view 96 100%');
  });

  it('the question CSV carries each share’s base', async () => {
    const res = await analyst.get('/admin/dashboard/analysis-gov/g_attended.csv');
    const { rows } = parseCsv(Buffer.from(await res.arrayBuffer()));
    expect(rows.map((r) => [r.option, r.respondents, r.base, r.base_is])).toEqual([
      ['yes', '52', '94', 'gave a view'],
      ['no', '42', '94', 'gave a view'],
      ['dk', '6', '100', 'answered'],
    ]);
  });

  it('tables-restricted.csv: a _substantive row and a base column; the options add up to _substantive, and it with "don’t know" to _answered', async () => {
    const bundle = await exportBundle(fixture.db, { surveyId: 'analysis-gov', k: 5 });
    const { header, rows } = bundle.csv('tables-restricted.csv');
    expect(header).toContain('base');
    const inAll = (id: string) =>
      new Map(rows.filter((r) => r.question_id === id && r.kind === 'all' && r.region === 'all').map((r) => [r.code!, [r.count!, r.base!]]));
    expect(Object.fromEntries(inAll('g_attended'))).toEqual({
      yes: ['52', '_substantive'],
      no: ['42', '_substantive'],
      dk: ['6', '_answered'],
      _substantive: ['94', '_answered'],
      _answered: ['100', ''],
    });
    const africa = new Map(rows.filter((r) => r.question_id === 'g_attended' && r.region === 'Africa').map((r) => [r.code!, r.count!]));
    expect(Object.fromEntries(africa)).toEqual({ yes: '13', no: '6', dk: '6', _substantive: '19', _answered: '25' });
    // Four "don't know": hidden, and the number who gave a view with them (it is 100 − 4).
    const chair = inAll('g_chair');
    expect(chair.get('dk')![0]).toBe('.s');
    expect(chair.get('_substantive')![0]).toBe('.s');
    expect(chair.get('_answered')![0]).toBe('100');
    const codebook = bundle.csv('codebook-restricted.csv').rows;
    expect(codebook.some((r) => r.column === 'tables-restricted.csv: code' && r.code === '_substantive')).toBe(true);
    expect(codebook.some((r) => r.column === 'tables-restricted.csv: base' && r.code === '_substantive')).toBe(true);
  });
});
