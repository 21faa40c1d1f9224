/**
 * The quasi-identifiers of a respondent in the published row file, coarsened before any
 * k-anonymity step: the country never appears (for a government it is the respondent), GFMD
 * roles become three groups, and each may be generalised further to "any".
 */
import type { QuasiIdentifier } from '../../analysis/disclosure/k-anonymity.ts';
import type { RespondentRow } from '../db/schema.ts';
import { roleGroup } from '../respondents/respondent-labels.ts';

/** The published value of a quasi-identifier generalised away. */
export const ANY = 'any';

const same = (v: string) => v;
const any = () => ANY;

/**
 * Column names and hierarchies, in the order of {@link quasiIdentifierValues}. The kind and the
 * region matter most to the analysis, so roles and organisation types are generalised first.
 */
export const QUASI_IDENTIFIERS: readonly QuasiIdentifier[] = [
  { name: 'kind', levels: [same, any], levelNames: ['stakeholder kind', 'not published'], cost: 4 },
  { name: 'region', levels: [same, any], levelNames: ['UN M49 region (country never published)', 'not published'], cost: 2 },
  {
    name: 'role_group',
    levels: [same, (v) => (v === 'no_role' ? 'no_role' : 'some_role'), any],
    levelNames: ['steering_group / other_role / no_role', 'some_role / no_role', 'not published'],
  },
  { name: 'org_type', levels: [same, any], levelNames: ['organisation type', 'not published'] },
];

/** The raw (level 0) quasi-identifier values of a respondent. */
export function quasiIdentifierValues(respondent: Pick<RespondentRow, 'kind' | 'region' | 'roles' | 'org_type'>): string[] {
  return [respondent.kind, respondent.region ?? 'unknown', roleGroup(respondent.roles ?? []), respondent.org_type ?? 'not_applicable'];
}
