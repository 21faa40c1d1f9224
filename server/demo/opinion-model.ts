/**
 * Who a synthetic respondent is and what they lean towards: the model that makes demo answers
 * differ by group, so that the dashboard's comparisons show something.
 *
 * Each respondent gets four leanings (numbers around 0, in "scale points"), set by group and
 * spread by individual noise. Answer codes (options, matrix rows) and question stems carry
 * tilts (`answer-tilts.ts`): how much each leaning pushes towards that code.
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

/** Option codes that name GFMD roles: a question offering them asks who the respondent is. */
export const ROLE_OPTION_CODES: ReadonlySet<string> = new Set(Object.values(ROLE_OPTIONS));

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
  return (
    (tilt.favour ?? 0) * l.favour + (tilt.structures ?? 0) * l.structures + (tilt.civilSociety ?? 0) * l.civilSociety + (tilt.development ?? 0) * l.development
  );
}

/** A question's id without its questionnaire prefix (`g_`, `cs_`): both ask `overall_value`. */
export function questionStem(questionId: string): string {
  return questionId.replace(/^(g|cs)_/, '');
}
