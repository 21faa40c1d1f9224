/**
 * Who a synthetic respondent is and what they lean towards: the model that makes demo answers
 * differ by group, so that the dashboard's comparisons show something.
 *
 * Each respondent gets four leanings (numbers around 0, in "scale points"), set by group and
 * spread by individual noise. Answer codes (options, matrix rows) and question stems carry
 * tilts: how much each leaning pushes towards that code. The tilts are keyed by code, not by
 * question, so a question added to a questionnaire is answered without touching this file (with
 * neutral tilts) and the questions both questionnaires share get the same treatment.
 *
 * Designed differences (all before noise):
 * - civil society rates the Forum and its structures lower (the Support Unit most), finds its
 *   links with civil society too weak, and wants a larger civil-society role;
 * - Steering Group, Troika and Assessment Team members rate the structures higher;
 * - governments in Africa, Asia and Latin America weigh development more (topics, balance).
 */
import type { Language } from '../../survey-definitions/schema.ts';
import type { GfmdRole } from '../respondents/invitee-csv.ts';
import type { Random } from './random.ts';

export interface RespondentProfile {
  kind: 'government' | 'civil_society';
  /** ISO 3166-1 alpha-3. */
  country: string;
  /** UN M49 region and sub-region of the country. */
  region: string;
  subregion: string;
  /** GFMD roles as invitations store them (governments only). */
  roles: readonly GfmdRole[];
  /** An option code of the civil society questionnaire's organisation type question. */
  orgType: string | null;
  migrantLed: boolean;
  language: Language;
}

export interface Leanings {
  /** Regard for the Forum as a whole: shifts every rating on a scale of four points or more. */
  favour: number;
  /** Regard for its structures (Chair, Troika, Steering Group, Support Unit, ...). */
  structures: number;
  /** Wish for a larger role of civil society. */
  civilSociety: number;
  /** Weight given to development over migration management. */
  development: number;
}

/**
 * How a code responds to the leanings. `base` shifts a rating (in points) or a choice's utility;
 * `p` is the share of respondents who tick a multiple-choice option at neutral leanings; `fact`
 * makes a yes/no answer "yes" exactly when the respondent has that fact (see {@link profileFacts}).
 */
export type Tilt = Partial<Leanings> & { base?: number; p?: number; fact?: string };

/** The invitation roles, as the government questionnaire's role options name them. */
const ROLE_OPTIONS: Record<GfmdRole, string> = {
  chair_in_office_past: 'past_chair_in_office',
  chair_in_office_future: 'announced_future_chair',
  troika: 'troika_member',
  steering_group: 'steering_group_member',
  assessment_team: 'assessment_team_member',
  roundtable_cochair: 'roundtable_session_co_chair',
  roundtable_team: 'roundtable_session_team_member',
  working_group_cochair: 'ad_hoc_working_group_co_chair',
  working_group_member: 'ad_hoc_working_group_participant',
  pfp_partner: 'pfp_project_proponent_partner',
  contributor: 'financial_or_in_kind_contributor',
};

/** Answer codes that are facts about the respondent (its roles, type), not opinions. */
export function profileFacts(profile: RespondentProfile): Set<string> {
  const facts = new Set<string>(profile.roles.map((r) => ROLE_OPTIONS[r]));
  if (profile.orgType) facts.add(profile.orgType);
  if (profile.migrantLed) facts.add('migrant_led');
  return facts;
}

/** Development weight of governments by M49 sub-region, then region. */
const DEVELOPMENT_BY_AREA: Record<string, number> = {
  'Northern America': -0.5,
  'Australia and New Zealand': -0.5,
  'Western Asia': 0.2,
  Africa: 1.0,
  Asia: 0.8,
  Americas: 0.6,
  Europe: -0.6,
  Oceania: 0.4,
};
/** Openness of governments to a larger civil-society role by sub-region, then region. */
const OPENNESS_BY_AREA: Record<string, number> = {
  'Western Asia': -0.6,
  'Eastern Asia': -0.3,
  'South-Eastern Asia': -0.3,
  Europe: 0.3,
  Americas: 0.3,
};
/** Civil society: how organisation types depart from the group. */
const ORG_TYPE_LEANINGS: Record<string, Partial<Leanings>> = {
  trade_union: { favour: -0.3, civilSociety: 0.3 },
  private_sector_business: { favour: 0.4, civilSociety: -0.8, development: -0.3 },
  academia_think_tank: { favour: 0.1, civilSociety: -0.3 },
  foundation: { favour: 0.3 },
  national_human_rights_institution: { structures: 0.2 },
  migrant_hometown_association: { development: 0.4 },
  diaspora_organisation: { development: 0.5 },
};

const byArea = (table: Record<string, number>, profile: RespondentProfile) => table[profile.subregion] ?? table[profile.region] ?? 0;

/** A respondent's leanings: the group's position plus individual noise (sd 0.5 each). */
export function respondentLeanings(profile: RespondentProfile, random: Random): Leanings {
  const l: Leanings = { favour: 0, structures: 0, civilSociety: 0, development: 0 };
  const add = (shift: Partial<Leanings>) => {
    for (const key of Object.keys(shift) as (keyof Leanings)[]) l[key] += shift[key] ?? 0;
  };
  if (profile.kind === 'government') {
    const roles = new Set<GfmdRole>(profile.roles);
    add({ favour: 0.3, development: byArea(DEVELOPMENT_BY_AREA, profile), civilSociety: byArea(OPENNESS_BY_AREA, profile) });
    if (roles.has('steering_group')) add({ favour: 0.2, structures: 0.6 });
    if (roles.has('troika')) add({ favour: 0.2, structures: 0.4 });
    if (roles.has('assessment_team')) add({ structures: 0.3, civilSociety: 0.2 });
    if (roles.has('contributor')) add({ favour: 0.2 });
    // Friends of the Forum only: further from the process, a little cooler.
    if (!roles.size) add({ favour: -0.2, structures: -0.2 });
  } else {
    add({ favour: -0.2, structures: -0.3, civilSociety: 1.3, development: 0.5 });
    add(ORG_TYPE_LEANINGS[profile.orgType ?? ''] ?? {});
    if (profile.migrantLed) add({ civilSociety: 0.3 });
  }
  return {
    favour: l.favour + random.normal(0, 0.5),
    structures: l.structures + random.normal(0, 0.5),
    civilSociety: l.civilSociety + random.normal(0, 0.5),
    development: l.development + random.normal(0, 0.5),
  };
}

/** The pull of the leanings on a code (without `base`). */
export function leaningScore(tilt: Tilt | undefined, l: Leanings): number {
  if (!tilt) return 0;
  return (tilt.favour ?? 0) * l.favour + (tilt.structures ?? 0) * l.structures + (tilt.civilSociety ?? 0) * l.civilSociety + (tilt.development ?? 0) * l.development;
}

/** A question's id without its questionnaire prefix (`g_`, `cs_`): both ask `overall_value`. */
export function questionStem(questionId: string): string {
  return questionId.replace(/^(g|cs)_/, '');
}

/** Tilts of whole questions (scales, yes/no), by stem. */
export const QUESTION_TILTS: Record<string, Tilt> = {
  overall_value: { favour: 0.8, base: 0.2 },
  funding_predictable: { base: -1.3, structures: 0.3 },
  policy_change: { favour: 0.8, base: -0.3 },
  contributed: { fact: 'financial_or_in_kind_contributor', p: 0.12 },
  migrant_led: { fact: 'migrant_led', p: 0 },
  interview: { favour: 0.3, base: -0.3 },
};

const TOPIC_TILTS: Record<string, Tilt> = {
  mainstreaming_development_planning: { development: 0.9 },
  reducing_need_to_migrate: { development: 0.8, civilSociety: 0.3 },
  diaspora_remittances: { development: 0.9, base: 0.3 },
  migration_costs_recruitment: { development: 0.6, civilSociety: 0.3, base: 0.3 },
  social_protection_portability: { development: 0.3, civilSociety: 0.4 },
  human_rights_protection: { civilSociety: 1.0 },
  migrants_in_transit: { civilSociety: 0.6, base: -0.3 },
  irregular_migration: { development: -0.8, base: 0.3 },
  return_reintegration: { development: -0.5 },
  regular_channels: { development: 0.3, base: 0.2 },
  temporary_circular_migration: { development: -0.3, civilSociety: -0.4 },
  climate_change: { base: -0.4 },
  data_impact_assessment_profiles: { development: -0.2 },
  private_sector_partnerships: { civilSociety: -0.5, base: -0.3 },
  public_perceptions: { civilSociety: 0.3 },
  gender_women_migrants: { civilSociety: 0.5 },
  family_children: { civilSociety: 0.3, base: -0.2 },
  migrant_health: { base: -0.5 },
  rcps_regional: { base: -0.4 },
};

/** Tilts of options and matrix rows, by code. Codes without an entry are neutral. */
export const CODE_TILTS: Record<string, Tilt> = {
  ...TOPIC_TILTS,
  // Structures (effectiveness matrix).
  chair_in_office: { structures: 0.6, base: 0.3 },
  troika: { structures: 0.7 },
  steering_group: { structures: 0.9 },
  friends_of_forum: { structures: 0.3, base: -0.2 },
  support_unit: { structures: 0.5, civilSociety: -0.3 },
  ad_hoc_working_groups: { base: -0.4 },
  roundtable_format: { base: 0.5 },
  platform_for_partnerships: { base: -0.3, development: 0.2 },
  srsg: { base: 0.3 },
  civil_society_days: { civilSociety: 0.3 },
  // Dialogue and outcomes.
  implementation_with_civil_society: { civilSociety: -0.7 },
  recommendations_followed_up: { base: -0.6 },
  all_countries_heard_equally: { development: -0.3 },
  sensitive_issues_discussed_openly: { civilSociety: -0.3 },
  // The five subjects civil society raised: it finds them insufficiently addressed.
  temp_circular_pitfalls: { civilSociety: -0.6 },
  transit_protection: { civilSociety: -0.6 },
  rights_based_labour: { civilSociety: -0.7 },
  reduce_need_and_costs: { civilSociety: -0.5, development: -0.2 },
  private_sector_integration: { base: -0.3 },
  // Links (3 points: too weak, about right, too strong).
  civil_society_ngos: { civilSociety: -1.0 },
  migrant_diaspora_orgs: { civilSociety: -1.0 },
  trade_unions: { civilSociety: -0.9 },
  cs_inside_rcps: { civilSociety: -0.9 },
  private_sector: { base: -0.4 },
  un_system: { development: -0.2, base: -0.2 },
  // Civil society's role and the Common Space.
  smaller_than_2010: { civilSociety: -1.2, base: -1.0 },
  as_in_2010: { civilSociety: -0.5, base: 0.6 },
  larger_selected_sessions: { civilSociety: 0.6, base: 0.3 },
  larger_all_sessions: { civilSociety: 1.4, base: -0.6 },
  yes_as_in_2010: { favour: 0.5, civilSociety: -0.3 },
  yes_with_changes: { civilSociety: 0.6, base: 0.3 },
  no: { civilSociety: -0.8, base: -1.0 },
  // Focus and balance.
  too_focused_on_migration_management: { development: 1.0, civilSociety: 0.4 },
  balanced: { favour: 0.6, base: 0.4 },
  too_focused_on_development: { development: -1.0, base: -0.8 },
  narrower: { structures: 0.3 },
  about_the_same: { favour: 0.5 },
  broader: { civilSociety: 0.6 },
  // The future.
  exchange_space: { structures: 0.3, civilSociety: -0.5 },
  exchange_plus_policy_influence: { base: 0.5 },
  action_oriented_process: { development: 0.4 },
  operational_body: { civilSociety: 0.7, base: -0.8 },
  continue_as_now: { structures: 0.6, favour: 0.4, civilSociety: -0.4 },
  continue_reformed_structure: { civilSociety: 0.3, base: 0.3 },
  continue_closer_un_link: { development: 0.4, civilSociety: 0.5 },
  replaced_by_un_mechanism: { civilSociety: 0.4, favour: -0.6, base: -1.0 },
  end: { favour: -1.2, base: -2.5 },
  voluntary_annual_offers: { structures: 0.5 },
  co_chairing: { base: 0.2 },
  permanent_secretariat_rotating_chairs: { civilSociety: 0.4, development: 0.2 },
  policy_change_only: { base: -0.5 },
  policy_and_operational_action: { development: 0.4 },
  also_dialogue_and_trust: { structures: 0.4, base: 0.4 },
  // Principles (importance).
  informal: { structures: 0.5, civilSociety: -0.4, base: 0.3 },
  voluntary: { structures: 0.5, civilSociety: -0.3, base: 0.4 },
  non_binding: { structures: 0.5, civilSociety: -0.5 },
  state_led: { structures: 0.6, civilSociety: -0.6, base: 0.3 },
  open_to_all_un_member_states: { base: 0.6 },
  separate_civil_society_days: { civilSociety: 0.4, base: -0.2 },
  transparent: { base: 0.6 },
  consensual: { structures: 0.4 },
  step_by_step: { structures: 0.3, civilSociety: -0.3 },
  reflects_regional_diversity: { development: 0.5 },
  open_and_inclusive: { civilSociety: 0.8 },
  // Funding options (oppose, neutral, support).
  indicative_budget_with_chair_offer: { base: 0.5 },
  annual_pledging_session: { base: 0.2 },
  shared_core_budget_support_unit: { structures: 0.3 },
  agreed_contribution_key: { development: 0.6, base: -0.5 },
  ad_hoc_voluntary_contributions: { development: -0.5 },
  foundation_private_funding_csd: { civilSociety: 0.3 },
  // Preparation and the Civil Society Days.
  travel_support_developing_countries: { development: -0.5 },
  gfmd_website_information: { base: -0.4 },
  timeliness_of_background_papers: { base: -0.5 },
  delegate_selection: { base: -0.4 },
  link_to_government_programme: { base: -0.6 },
  conclusions_circulated: { base: -0.5 },
  final_statement_reflects_views: { base: 0.2 },
  // The 2010 sessions (relevance).
  rt_1_2: { development: -0.6 },
  rt_2_1: { development: 0.5, civilSociety: 0.3 },
  rt_2_2: { civilSociety: 0.4 },
  rt_3_1: { development: 0.4 },
  rt_3_2: { base: -0.3 },
  // Who coordinated the reply; the organisation's scope; use of answers.
  foreign_affairs: { base: 1.2 },
  interior_or_migration_authority: { base: 0.4, development: -0.5 },
  labour_employment: { development: 0.4 },
  development_cooperation_planning: { development: -0.3 },
  diaspora_expatriate_affairs: { development: 0.8, base: -0.3 },
  permanent_mission: { base: 0.5 },
  national: { base: 0.8 },
  international_global: { base: -0.3 },
  aggregated_only: { base: 0.8 },
  quoted_with_attribution: { favour: 0.3 },
  name_listed_among_respondents: { civilSociety: 0.3 },
  standing_international_committee: { civilSociety: 0.8 },
  host_country_organisation: { structures: 0.3 },
  support_unit_with_advisory_committee: { base: 0.2 },
  // Multiple choice: how often each is ticked.
  '2007_brussels': { p: 0.5, structures: 0.8, development: -0.2 },
  '2008_manila': { p: 0.55, structures: 0.8 },
  '2009_athens': { p: 0.6, structures: 0.8 },
  '2010_puerto_vallarta': { p: 0.75, structures: 0.8 },
  none: { p: 0.03 },
  origin: { p: 0.5, development: 1.5 },
  transit: { p: 0.2, development: 0.3 },
  destination: { p: 0.4, development: -1.5 },
  csd_2007: { p: 0.2 },
  csd_2008: { p: 0.25 },
  csd_2009: { p: 0.3 },
  csd_2010: { p: 0.6, civilSociety: 0.3 },
  common_space_2010: { p: 0.4 },
  gov_sessions_2010: { p: 0.2 },
  pga: { p: 0.3, civilSociety: 0.5 },
  rt_team_or_paper: { p: 0.1 },
  survey_2010: { p: 0.3 },
  learned_good_practices: { p: 0.7 },
  new_bilateral_or_regional_partnership: { p: 0.3 },
  informed_policy_or_programme: { p: 0.35, favour: 0.5 },
  informed_new_legislation: { p: 0.1, favour: 0.4 },
  migration_profile_started_or_updated: { p: 0.25, development: 0.6 },
  pfp_project_joined_or_proposed: { p: 0.15, structures: 0.4 },
  better_diaspora_engagement: { p: 0.25, development: 0.6 },
  no_noticeable_benefit: { p: 0.04, favour: -1.2 },
  keep_as_they_are: { p: 0.15, structures: 0.4 },
  revitalise_with_clearer_mandates: { p: 0.45 },
  open_to_more_governments: { development: 0.4 },
  create_gender_family_working_group: { civilSociety: 0.3 },
  reduce_merge: { p: 0.1, favour: -0.5 },
  input_from_civil_society: { civilSociety: 0.8 },
  multi_year_thematic_programme: { p: 0.45 },
  carry_forward_earlier_outcomes: { p: 0.4 },
  input_from_rcps: { development: 0.3 },
  no_change: { p: 0.04, structures: 0.3 },
  unearmarked_funds: { p: 0.5 },
};

/** Log-normal amounts for numeric questions, by stem (median, spread as sd of the log, rounding). */
export const NUMBER_HINTS: Record<string, { median: number; spread: number; step: number }> = {
  contribution_eur: { median: 40_000, spread: 1.0, step: 500 },
};
