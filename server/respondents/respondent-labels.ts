/**
 * The words for the codes stored with a respondent (GFMD roles, organisation types), so that no
 * page shows `pfp_partner` where a person should read "Proponent or partner of a Platform for
 * Partnerships (PfP) project". One place for every page, CSV and the export's codebook.
 */
import { GFMD_ROLES, type ORG_TYPES, type GfmdRole } from './invitee-csv.ts';

/** GFMD roles in the words of the government questionnaire's own question on roles (g_roles). */
export const GFMD_ROLE_LABELS: Record<GfmdRole, string> = {
  chair_in_office_past: 'Chair-in-Office (past)',
  chair_in_office_future: 'Announced future Chair',
  troika: 'Member of the Troika',
  steering_group: 'Member of the Steering Group',
  assessment_team: 'Member of the Assessment Team',
  roundtable_cochair: 'Co-chair of a Roundtable session',
  roundtable_team: 'Member of a Roundtable session team',
  working_group_cochair: 'Co-chair of an ad hoc Working Group',
  working_group_member: 'Participant in an ad hoc Working Group',
  pfp_partner: 'Proponent or partner of a Platform for Partnerships (PfP) project',
  contributor: 'Financial or in-kind contributor',
};

/** Organisation types in the words of the civil society questionnaire (cs_org_type). */
export const ORG_TYPE_LABELS: Record<(typeof ORG_TYPES)[number], string> = {
  migrant_association: 'Migrant association, hometown association or federation',
  diaspora_organisation: 'Diaspora organisation (including binational organisations)',
  trade_union: 'Trade union',
  ngo_human_rights: 'NGO or human-rights organisation',
  faith_based: 'Faith-based organisation',
  academia_think_tank: 'Academia or think tank',
  private_sector: 'Private sector, employer or business association',
  foundation: 'Foundation',
  youth_community: 'Youth or community-based organisation',
  national_human_rights_institution: 'National human-rights institution',
  media: 'Media',
  other: 'Other',
};

/**
 * A stored GFMD role in words; a code that is not a role (from older data) is shown with spaces
 * for its underscores rather than dropped.
 *
 * @example roleLabel('pfp_partner'); // 'Proponent or partner of a Platform for Partnerships (PfP) project'
 */
export function roleLabel(code: string): string {
  return (GFMD_ROLES as readonly string[]).includes(code) ? GFMD_ROLE_LABELS[code as GfmdRole] : code.replace(/_/g, ' ');
}

/** A stored organisation type in words (as {@link roleLabel}). */
export function orgTypeLabel(code: string): string {
  return code in ORG_TYPE_LABELS ? ORG_TYPE_LABELS[code as keyof typeof ORG_TYPE_LABELS] : code.replace(/_/g, ' ');
}

/** Roles that make a government part of the Forum's steering: a handful of states hold them. */
export const STEERING_ROLES: ReadonlySet<string> = new Set(['chair_in_office_past', 'chair_in_office_future', 'troika', 'steering_group', 'assessment_team']);

/**
 * The role group of a respondent, as releases and the row file publish it: `steering_group`
 * (Chair, Troika, Steering Group or Assessment Team), `other_role` (any other GFMD role) or `no_role`.
 */
export function roleGroup(roles: readonly string[]): 'steering_group' | 'other_role' | 'no_role' {
  if (roles.some((r) => STEERING_ROLES.has(r))) return 'steering_group';
  return roles.length > 0 ? 'other_role' : 'no_role';
}
