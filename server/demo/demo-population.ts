/**
 * Who is invited and who answers, for the demo: every UN member state's government, with the GFMD
 * roles of the 2010 report, and several hundred (or, for large runs, as many as needed) invented
 * civil society organisations, weighted towards the regions the report names. Pure: the plan
 * depends only on its input and seed; answers are generated later, one respondent at a time.
 */
import { COUNTRIES, type Country } from '../../survey-definitions/countries.ts';
import type { RespondentSource } from '../db/schema.ts';
import type { GfmdRole } from '../respondents/invitee-csv.ts';
import type { RespondentProfile } from './opinion-model.ts';
import { likelyLanguage, organisationName } from './org-names.ts';
import { createRandom, type Random } from './random.ts';

/** Share of invited governments that answer when the demo is large enough. */
export const GOVERNMENT_RESPONSE_RATE = 0.65;
/** Share of responses that come from governments while their number allows it. */
const GOVERNMENT_SHARE = 0.25;
/** Share of invited civil society organisations that answer. */
const CIVIL_SOCIETY_RESPONSE_RATE = 0.6;
/** At least this many organisations are invited, however small the demo. */
const MIN_CIVIL_SOCIETY_INVITED = 400;
/** Share of responses submitted; the rest are in progress. */
export const SUBMITTED_SHARE = 0.8;

/** GFMD roles of governments in 2010 (ISO alpha-3), from the report of the Puerto Vallarta meeting. */
const ROLE_MEMBERS: Partial<Record<GfmdRole, readonly string[]>> = {
  // The 35 members of the Steering Group.
  steering_group:
    'ARG AUS BGD BEL BRA CAN ECU EGY FRA DEU GHA GRC IND IDN ISR JPN KEN MEX MAR NLD NOR PHL PRT QAT KOR SEN ZAF ESP SWE CHE THA TUN ARE GBR USA'.split(' '),
  troika: 'BEL PHL GRC MEX CHE SWE'.split(' '),
  // Greece withdrew from the Assessment Team in October 2010: 13 members remain.
  assessment_team: 'ARG BGD BRA CAN IND KEN MEX MAR NLD PHL SWE CHE ARE'.split(' '),
  chair_in_office_past: 'BEL PHL GRC MEX'.split(' '),
  chair_in_office_future: 'CHE SWE'.split(' '),
  roundtable_cochair: 'BRA FRA ECU NLD LKA SWE ARE MEX ARG KEN CHE BGD GBR IDN MAR ESP'.split(' '),
  working_group_cochair: 'PHL ARE MAR CHE'.split(' '),
  contributor: 'MEX NLD ESP CHE NOR DNK SWE USA BEL AUS CAN FRA GBR PRT ITA ISR ARG'.split(' '),
};
/** Roles spread at random over the other governments, with their share. */
const RANDOM_ROLES: [GfmdRole, number][] = [
  ['roundtable_team', 0.35],
  ['working_group_member', 0.1],
  ['pfp_partner', 0.06],
];

/** Where civil society organisations come from: weights of M49 sub-regions, as a whole. */
const SUBREGION_WEIGHTS: Record<string, number> = {
  'Central America': 9, // Mexico hosted the 2010 Civil Society Days
  'South America': 7,
  Caribbean: 3,
  'Northern America': 5,
  'Western Europe': 5,
  'Northern Europe': 3,
  'Southern Europe': 4,
  'Eastern Europe': 2,
  'Western Africa': 7,
  'Eastern Africa': 6,
  'Middle Africa': 3,
  'Southern Africa': 3,
  'Northern Africa': 4,
  'Southern Asia': 7,
  'South-Eastern Asia': 7,
  'Central Asia': 1.5,
  'Western Asia': 4,
  'Eastern Asia': 2,
  'Australia and New Zealand': 1.5,
  Melanesia: 0.5,
  Micronesia: 0.5,
  Polynesia: 0.5,
};
/** Countries with a large migrant civil society, more likely within their sub-region. */
const COUNTRY_BONUS: Record<string, number> = { MEX: 5, PHL: 4, USA: 2, IND: 2, SEN: 2, MAR: 2, BRA: 2, ESP: 2, KEN: 2, IDN: 2, BGD: 2 };
const ORG_TYPE_WEIGHTS: Record<string, number> = {
  ngo_human_rights_organisation: 22,
  migrant_hometown_association: 14,
  diaspora_organisation: 10,
  academia_think_tank: 10,
  trade_union: 8,
  faith_based_organisation: 8,
  youth_community_based_organisation: 8,
  private_sector_business: 5,
  foundation: 4,
  national_human_rights_institution: 2,
  media: 2,
};
const MIGRANT_LED_SHARE: Record<string, number> = {
  migrant_hometown_association: 0.9,
  diaspora_organisation: 0.85,
  youth_community_based_organisation: 0.5,
  trade_union: 0.3,
  ngo_human_rights_organisation: 0.3,
  faith_based_organisation: 0.2,
};

export interface PlannedResponse {
  status: 'submitted' | 'in_progress';
  startedAt: Date;
  savedAt: Date;
  /** In progress: the share of the questionnaire's sections done (0 to 1); 1 when submitted. */
  progress: number;
}

export interface DemoInvitee {
  /** Position in the plan; seeds this invitee's answers. */
  index: number;
  name: string;
  profile: RespondentProfile;
  source: RespondentSource;
  invitedAt: Date;
  response: PlannedResponse | null;
}

export interface DemoWindow {
  opens: string;
  closes: string;
}

export interface DemoPlanInput {
  responses: number;
  seed: string;
  windows: { government: DemoWindow; civil_society: DemoWindow };
  /** Option codes of the civil society questionnaire's organisation type question. */
  orgTypes: readonly string[];
  /** The civil society questionnaire accepts self-registration: some organisations come that way. */
  openRegistration: boolean;
  /** Countries that already have a government respondent (a forced second run): not invited again. */
  skipCountries?: ReadonlySet<string>;
}

export interface DemoCounts {
  governmentsInvited: number;
  governmentResponses: number;
  civilSocietyInvited: number;
  civilSocietyResponses: number;
}

/**
 * How many of each: governments answer at most once per country and at most 65% of them; civil
 * society takes the rest of the responses, with enough organisations invited that 60% answer.
 *
 * @example demoCounts(500, 193) // { governmentsInvited: 193, governmentResponses: 125, civilSocietyInvited: 625, civilSocietyResponses: 375 }
 */
export function demoCounts(responses: number, governmentsAvailable: number): DemoCounts {
  const governmentResponses = Math.min(Math.round(responses * GOVERNMENT_SHARE), Math.round(governmentsAvailable * GOVERNMENT_RESPONSE_RATE));
  const civilSocietyResponses = responses - governmentResponses;
  return {
    governmentsInvited: governmentsAvailable,
    governmentResponses,
    civilSocietyInvited: Math.max(MIN_CIVIL_SOCIETY_INVITED, Math.ceil(civilSocietyResponses / CIVIL_SOCIETY_RESPONSE_RATE)),
    civilSocietyResponses,
  };
}

/** The invitees of a demo, governments first, each with its planned response (or none). */
export function planDemo(input: DemoPlanInput): DemoInvitee[] {
  const random = createRandom(`${input.seed}:plan`);
  const states = COUNTRIES.filter((c) => c.unMember && !input.skipCountries?.has(c.code));
  const counts = demoCounts(input.responses, states.length);
  const governments = states.map((country, i) => governmentInvitee(i, country, input.windows.government, random));
  const answering = sampleWithoutReplacement(governments, counts.governmentResponses, (g) => governmentWeight(g.profile.roles), random);
  scheduleResponses(answering, input.windows.government, random, 'government');

  const orgTypes = Object.keys(ORG_TYPE_WEIGHTS).filter((t) => input.orgTypes.includes(t));
  const usable = orgTypes.length ? orgTypes : input.orgTypes;
  const pool = COUNTRIES.filter((c) => c.unMember);
  const perSubregion = new Map<string, number>();
  for (const c of pool) perSubregion.set(c.subregion, (perSubregion.get(c.subregion) ?? 0) + (COUNTRY_BONUS[c.code] ?? 1));
  const countryWeight = (c: Country) => ((SUBREGION_WEIGHTS[c.subregion] ?? 1) * (COUNTRY_BONUS[c.code] ?? 1)) / (perSubregion.get(c.subregion) ?? 1);
  const names = new Map<string, number>();
  const organisations: DemoInvitee[] = [];
  for (let i = 0; i < counts.civilSocietyInvited; i++) {
    const country = random.weighted(pool, countryWeight);
    const orgType = random.weighted(usable, (t) => ORG_TYPE_WEIGHTS[t] ?? 1);
    const language = likelyLanguage(country, random);
    organisations.push({
      index: governments.length + i,
      name: uniqueName(() => organisationName(orgType, country, language, random), names),
      profile: {
        kind: 'civil_society',
        country: country.code,
        region: country.region,
        subregion: country.subregion,
        roles: [],
        orgType,
        migrantLed: random.chance(MIGRANT_LED_SHARE[orgType] ?? 0.1),
        language,
      },
      source: 'invitation',
      invitedAt: invitationDay(input.windows.civil_society, random),
      response: null,
    });
  }
  const answeringOrganisations = sampleWithoutReplacement(organisations, counts.civilSocietyResponses, () => 1, random);
  scheduleResponses(answeringOrganisations, input.windows.civil_society, random, 'civil_society');
  if (input.openRegistration) {
    for (const o of answeringOrganisations) {
      if (!random.chance(0.15)) continue;
      // Registered themselves on the open questionnaire a few minutes before starting.
      o.source = 'open_registration';
      o.invitedAt = new Date(o.response!.startedAt.getTime() - random.int(1, 10) * 60_000);
    }
  }
  return [...governments, ...organisations];
}

function governmentInvitee(index: number, country: Country, window: DemoWindow, random: Random): DemoInvitee {
  const roles = (Object.keys(ROLE_MEMBERS) as GfmdRole[]).filter((role) => ROLE_MEMBERS[role]!.includes(country.code));
  for (const [role, share] of RANDOM_ROLES) if (random.chance(share)) roles.push(role);
  return {
    index,
    name: country.names.en,
    profile: {
      kind: 'government',
      country: country.code,
      region: country.region,
      subregion: country.subregion,
      roles,
      orgType: null,
      migrantLed: false,
      language: likelyLanguage(country, random),
    },
    source: 'invitation',
    invitedAt: invitationDay(window, random),
    response: null,
  };
}

/** Governments with a formal role answer more often (Steering Group, Troika, Assessment Team). */
function governmentWeight(roles: readonly GfmdRole[]): number {
  if (roles.some((r) => r === 'steering_group' || r === 'troika' || r === 'assessment_team')) return 4;
  return roles.length ? 1.5 : 1;
}

/** Weighted sampling without replacement (Efraimidis-Spirakis: the k largest u^(1/w)). */
function sampleWithoutReplacement<T>(items: readonly T[], k: number, weight: (item: T) => number, random: Random): T[] {
  return items
    .map((item) => ({ item, key: Math.log(random.next() || 2 ** -32) / weight(item) }))
    .sort((a, b) => b.key - a.key)
    .slice(0, k)
    .map((x) => x.item);
}

const DAY_MS = 24 * 60 * 60 * 1000;
const windowStart = (w: DemoWindow) => Date.parse(`${w.opens}T00:00:00Z`);
const windowEnd = (w: DemoWindow) => Date.parse(`${w.closes}T00:00:00Z`) + DAY_MS - 1;

/** Invitations go out in the fortnight before the questionnaire opens. */
function invitationDay(window: DemoWindow, random: Random): Date {
  return new Date(windowStart(window) - random.int(1, 14) * DAY_MS + random.int(8 * 60, 18 * 60) * 60_000);
}

/**
 * When answers arrive, as a share of the open window: a wave after the opening, one after each of
 * two reminders, a last-minute rush and a steady trickle.
 */
function arrival(random: Random): number {
  const wave = (at: number, meanGap: number) => at + -Math.log(random.next() || 2 ** -32) * meanGap;
  const r = random.next();
  const t = r < 0.3 ? wave(0, 0.06) : r < 0.5 ? wave(0.35, 0.04) : r < 0.7 ? wave(0.7, 0.04) : r < 0.85 ? 1 - wave(0, 0.03) : random.next();
  return Math.min(0.999, Math.max(0, t));
}

function scheduleResponses(invitees: DemoInvitee[], window: DemoWindow, random: Random, kind: 'government' | 'civil_society'): void {
  const start = windowStart(window);
  const span = windowEnd(window) - start;
  const submitted = Math.round(invitees.length * SUBMITTED_SHARE);
  invitees.forEach((invitee, i) => {
    const savedAt = start + arrival(random) * span;
    // A government's coordinated reply takes days; an organisation's, an hour or so.
    const minutes = Math.exp(random.normal(kind === 'government' ? Math.log(2 * 24 * 60) : Math.log(45), 1));
    const startedAt = Math.max(start, savedAt - minutes * 60_000);
    invitee.response = {
      status: i < submitted ? 'submitted' : 'in_progress',
      startedAt: new Date(startedAt),
      savedAt: new Date(savedAt),
      progress: i < submitted ? 1 : 0.15 + 0.8 * random.next(),
    };
  });
}

/**
 * A name not taken yet: up to five draws, then "name (2)", "name (3)"... (large demos run out of
 * distinct names). `taken` counts the uses of each name.
 */
function uniqueName(draw: () => string, taken: Map<string, number>): string {
  let name = draw();
  for (let attempt = 1; attempt < 5 && taken.has(name); attempt++) name = draw();
  const uses = (taken.get(name) ?? 0) + 1;
  taken.set(name, uses);
  return uses === 1 ? name : `${name} (${uses})`;
}
