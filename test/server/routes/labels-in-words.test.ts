/**
 * Labels in words: GFMD roles and stakeholder kinds read as the questionnaire words them on the
 * dashboard's filters, the tracker, the comparisons and the export's codebook, never as a stored
 * code ("pfp_partner") or a lower-cased one ("pfp partner").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GFMD_ROLES } from '../../../server/respondents/invitee-csv.ts';
import { GFMD_ROLE_LABELS, ORG_TYPE_LABELS, orgTypeLabel, roleLabel } from '../../../server/respondents/respondent-labels.ts';
import { TEST_DATABASE_KIND } from '../../support/database.ts';
import { ANALYSIS_SURVEYS, seedResponses } from '../support/analysis-data.ts';
import { createAppFixture, type AppFixture } from '../support/app-fixture.ts';
import { exportBundle, removeBundles } from '../export/support/bundle.ts';
import { visibleText } from '../support/html.ts';
import { TeamMember } from '../support/team-session.ts';

const PFP = 'Proponent or partner of a Platform for Partnerships (PfP) project';

describe('roleLabel and orgTypeLabel', () => {
  it.each([
    ['pfp_partner', PFP],
    ['troika', 'Member of the Troika'],
    ['a_role_of_old', 'a role of old'],
  ])('roleLabel(%j) = %j', (code, label) => {
    expect(roleLabel(code)).toBe(label);
  });

  it('words every role and organisation type, with no underscore', () => {
    for (const role of GFMD_ROLES) expect(GFMD_ROLE_LABELS[role]).not.toMatch(/_/);
    for (const label of Object.values(ORG_TYPE_LABELS)) expect(label).not.toMatch(/_/);
    expect(orgTypeLabel('trade_union')).toBe('Trade union');
  });
});

describe(`roles in words on the Assessment Team's pages (${TEST_DATABASE_KIND})`, () => {
  let fixture: AppFixture;
  let analyst: TeamMember;
  const codes = /\bpfp[ _]partner\b|\bsteering_group\b|\bcivil_society\b/;

  beforeAll(async () => {
    fixture = await createAppFixture({ folder: ANALYSIS_SURVEYS });
    const answers = { g_attended: 'yes', g_chair: 'rotating', g_support: '4' };
    await seedResponses(fixture.db, 'analysis-gov', [
      ...Array.from({ length: 6 }, (_, i) => ({ name: `PfP ${i}`, kind: 'government' as const, region: 'Africa', roles: ['pfp_partner'], answers })),
      ...Array.from({ length: 6 }, (_, i) => ({
        name: `Troika ${i}`,
        kind: 'government' as const,
        region: 'Asia',
        roles: ['troika'],
        answers: { ...answers, g_support: '2' },
      })),
    ]);
    analyst = await TeamMember.signIn(fixture, 'analyst');
  });
  afterAll(async () => {
    removeBundles();
    await fixture?.close();
  });

  it.each([
    ['the dashboard’s filters', '/admin/dashboard?survey=analysis-gov'],
    ['the tracker’s counts by role', '/admin/tracker?survey=analysis-gov'],
    ['the comparisons by role', '/admin/comparisons?survey=analysis-gov&by=role'],
  ])('%s', async (_, path) => {
    const text = visibleText(await (await analyst.get(path)).text());
    expect(text).toContain(PFP);
    expect(text).toContain('Member of the Troika');
    expect(text).not.toMatch(codes);
  });

  it('the export’s codebook', async () => {
    const bundle = await exportBundle(fixture.db, { surveyId: 'analysis-gov', k: 5 });
    const roleGroup = bundle.csv('codebook-restricted.csv').rows.find((r) => r.column === 'role_group')!;
    expect(roleGroup.question).toContain(PFP);
    expect(roleGroup.question).not.toMatch(codes);
  });
});
