/**
 * With the shipped questionnaires of both phases published, the comparisons page set governments
 * against civil society of the same phase by default: the 2011 questionnaires together, never the
 * 2011 government questionnaire against the 2012 civil society stocktake (whose id sorts first).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_KIND } from '../../support/database.ts';
import { createAppFixture, SHIPPED_SURVEYS, type AppFixture } from '../support/app-fixture.ts';
import { TeamMember } from '../support/team-session.ts';

describe(`the default comparison of governments and civil society (${TEST_DATABASE_KIND})`, () => {
  let fixture: AppFixture;
  let analyst: TeamMember;

  beforeAll(async () => {
    fixture = await createAppFixture({ folder: SHIPPED_SURVEYS, now: '2026-12-01T10:00:00Z' });
    analyst = await TeamMember.signIn(fixture, 'analyst');
  });
  afterAll(() => fixture?.close());

  const fileOf = async (path: string) => {
    const res = await analyst.get(path);
    expect(res.status, await res.clone().text()).toBe(200);
    return res.headers.get('content-disposition');
  };

  it('compares the 2011 questionnaires when none is named', async () => {
    expect(await fileOf('/admin/comparisons.csv')).toContain('government-assessment-civil-society-survey-comparisons');
  });

  it('compares the 2012 stocktakes when the government stocktake is named', async () => {
    expect(await fileOf('/admin/comparisons.csv?a=government-stocktake')).toContain('government-stocktake-civil-society-stocktake-comparisons');
  });

  it('still compares the questionnaires named, whatever their phases', async () => {
    expect(await fileOf('/admin/comparisons.csv?a=government-assessment&b=civil-society-stocktake')).toContain(
      'government-assessment-civil-society-stocktake-comparisons',
    );
  });
});
