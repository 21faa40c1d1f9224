/**
 * Countries (ISO 3166-1) with their UN M49 region and sub-region, and names in English, French
 * and Spanish, from the `world-countries` package.
 */
import { createRequire } from 'node:module';
import type { Countries } from 'world-countries';
import type { Language } from './schema.ts';

export interface Country {
  /** ISO 3166-1 alpha-3, the code stored in answers and respondent records. */
  code: string;
  /** ISO 3166-1 alpha-2. */
  alpha2: string;
  /** UN M49 numeric code. */
  m49: string;
  names: Record<Language, string>;
  /** UN M49 region: Africa, Americas, Asia, Europe or Oceania. */
  region: string;
  /** UN M49 sub-region, e.g. "Western Africa". */
  subregion: string;
  unMember: boolean;
  /** UN regional group, e.g. "African Group"; empty for states outside the groups. */
  unRegionalGroup: string;
}

// The package is CommonJS with a JSON payload; require keeps its types without an interop shim.
const worldCountries = createRequire(import.meta.url)('world-countries') as Countries;

/** The Holy See is flagged as a member by the data set but is a UN observer state. */
const NOT_UN_MEMBERS = new Set(['VAT']);
/** The UN's two non-member observer states (Holy See, State of Palestine): they take part in the GFMD as states. */
export const UN_OBSERVER_STATES: ReadonlySet<string> = new Set(['VAT', 'PSE']);

/**
 * Where the data set's regions depart from UN M49 (it has "Central Europe", "Southeast Europe"
 * and "North America", puts Cyprus in Europe and South Sudan in Middle Africa): the M49 region
 * and sub-region (for Latin America and Sub-Saharan Africa, the intermediate region).
 */
const M49_REGIONS: Record<string, [region: string, subregion: string]> = {
  AUT: ['Europe', 'Western Europe'],
  CZE: ['Europe', 'Eastern Europe'],
  HUN: ['Europe', 'Eastern Europe'],
  POL: ['Europe', 'Eastern Europe'],
  SVK: ['Europe', 'Eastern Europe'],
  BGR: ['Europe', 'Eastern Europe'],
  ROU: ['Europe', 'Eastern Europe'],
  SVN: ['Europe', 'Southern Europe'],
  ALB: ['Europe', 'Southern Europe'],
  BIH: ['Europe', 'Southern Europe'],
  HRV: ['Europe', 'Southern Europe'],
  MNE: ['Europe', 'Southern Europe'],
  MKD: ['Europe', 'Southern Europe'],
  SRB: ['Europe', 'Southern Europe'],
  UNK: ['Europe', 'Southern Europe'],
  CYP: ['Asia', 'Western Asia'],
  SSD: ['Africa', 'Eastern Africa'],
  CAN: ['Americas', 'Northern America'],
  USA: ['Americas', 'Northern America'],
  BMU: ['Americas', 'Northern America'],
  GRL: ['Americas', 'Northern America'],
  SPM: ['Americas', 'Northern America'],
  MEX: ['Americas', 'Central America'],
  UMI: ['Oceania', 'Micronesia'],
  ATF: ['Africa', 'Eastern Africa'],
  BVT: ['Americas', 'South America'],
  SGS: ['Americas', 'South America'],
  HMD: ['Oceania', 'Australia and New Zealand'],
};

export const COUNTRIES: readonly Country[] = worldCountries
  .map((c) => ({
    code: c.cca3,
    alpha2: c.cca2,
    m49: c.ccn3,
    names: { en: c.name.common, fr: c.translations['fra']?.common ?? c.name.common, es: c.translations['spa']?.common ?? c.name.common },
    region: M49_REGIONS[c.cca3]?.[0] ?? c.region,
    subregion: M49_REGIONS[c.cca3]?.[1] ?? c.subregion,
    unMember: c.unMember && !NOT_UN_MEMBERS.has(c.cca3),
    unRegionalGroup: c.unRegionalGroup,
  }))
  .sort((a, b) => a.names.en.localeCompare(b.names.en));

const byCode = new Map<string, Country>();
for (const c of COUNTRIES) {
  byCode.set(c.code, c);
  byCode.set(c.alpha2, c);
}

/** Finds a country by its ISO alpha-3 or alpha-2 code (any case). */
export function findCountry(code: string): Country | undefined {
  return byCode.get(code.trim().toUpperCase());
}

/** The scopes a `country` question may offer: UN members, UN members and observer states, every ISO country. */
export type CountryScope = 'un_members' | 'un_states' | 'all';

/** The countries a `country` question offers. */
export function countryChoices(scope: CountryScope): readonly Country[] {
  if (scope === 'all') return COUNTRIES;
  return COUNTRIES.filter((c) => c.unMember || (scope === 'un_states' && UN_OBSERVER_STATES.has(c.code)));
}

/** Countries sorted by their name in one language (for select lists). */
export function countriesByName(scope: CountryScope, language: Language): Country[] {
  return [...countryChoices(scope)].sort((a, b) => a.names[language].localeCompare(b.names[language], language));
}

/** The five UN M49 regions respondents are grouped by. */
export const REGIONS = ['Africa', 'Americas', 'Asia', 'Europe', 'Oceania'] as const;
