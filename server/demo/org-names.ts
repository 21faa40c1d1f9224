/**
 * Invented but plausible names of civil society organisations ("Migrant Workers' Federation of
 * Kenya", "Fédération sénégalaise des associations de migrants"), built from templates per
 * organisation type in the organisation's language.
 */
import { createRequire } from 'node:module';
import type { Countries } from 'world-countries';
import type { Country } from '../../survey-definitions/countries.ts';
import type { Language } from '../../survey-definitions/schema.ts';
import type { Random } from './random.ts';

const worldCountries = createRequire(import.meta.url)('world-countries') as Countries;

interface CountryWords {
  /** Official languages, as ISO 639-3 codes. */
  languages: string[];
  demonymEn: string;
  /** French demonym, feminine (agrees with "association", "fédération"), lower case. */
  demonymFrF: string;
  capital: string;
}

const CITY_OVERRIDES: Record<string, string> = { ISR: 'Tel Aviv' };

const WORDS = new Map<string, CountryWords>(
  worldCountries.map((c) => [
    c.cca3,
    {
      languages: Object.keys(c.languages ?? {}),
      demonymEn: c.demonyms?.eng?.m ?? c.name.common,
      demonymFrF: (c.demonyms?.fra?.f ?? '').toLowerCase(),
      // The seat of government can be disputed; the demo names a city nobody will argue about.
      capital: CITY_OVERRIDES[c.cca3] ?? c.capital?.[0] ?? c.name.common,
    },
  ]),
);

/** Capitals whose English name reads oddly in a French or Spanish name. */
const LOCAL_CAPITALS: Record<string, string> = {
  'Mexico City': 'Ciudad de México',
  'Guatemala City': 'Ciudad de Guatemala',
  'Panama City': 'Ciudad de Panamá',
  Brussels: 'Bruxelles',
  Bern: 'Berne',
};

/**
 * The language a respondent from this country most likely uses: Spanish or French where it is an
 * official language (less often where English is one too), otherwise English.
 */
export function likelyLanguage(country: Country, random: Random): Language {
  const languages = WORDS.get(country.code)?.languages ?? [];
  const local: Language | undefined = languages.includes('spa') ? 'es' : languages.includes('fra') ? 'fr' : undefined;
  if (!local) return 'en';
  return random.chance(languages.includes('eng') ? 0.3 : 0.75) ? local : 'en';
}

/** "Kenya" -> "Kenya", "Philippines" -> "the Philippines". */
function englishName(name: string): string {
  return /^(United|Central African|Dominican|Czech|Marshall|Solomon)|(Islands|Philippines|Netherlands|Bahamas|Maldives|Comoros|Gambia|Emirates|Republic of the Congo)$/.test(name)
    ? `the ${name}`
    : name;
}

type Template = (w: { country: string; demonym: string; capital: string }) => string;

const EN: Record<string, Template[]> = {
  migrant_hometown_association: [(w) => `Migrant Workers' Federation of ${w.country}`, (w) => `${w.demonym} Hometown Associations Council`, (w) => `Association of Returned Migrants, ${w.capital}`],
  diaspora_organisation: [(w) => `${w.demonym} Diaspora Network`, (w) => `${w.country} Diaspora Forum for Development`, (w) => `Global ${w.demonym} Professionals Association`],
  trade_union: [(w) => `${w.country} Federation of Labour`, (w) => `National Union of Domestic Workers of ${w.country}`, (w) => `${w.demonym} Seafarers' Union`],
  ngo_human_rights_organisation: [(w) => `Centre for Migrant Rights, ${w.capital}`, (w) => `${w.country} Migrant Rights Watch`, (w) => `Coalition for the Rights of Migrants in ${w.country}`, (w) => `${w.demonym} Council for Refugees and Migrants`],
  faith_based_organisation: [(w) => `${w.country} Catholic Commission for Migrants`, (w) => `Interfaith Migrant Solidarity Network, ${w.capital}`, (w) => `${w.demonym} Council of Churches – Migration Desk`],
  academia_think_tank: [(w) => `Institute for Migration and Development Studies, ${w.capital}`, (w) => `${w.country} Migration Policy Centre`, (w) => `Centre for Population and Mobility Research, ${w.capital}`],
  private_sector_business: [(w) => `${w.country} Remittance Providers Association`, (w) => `Association of Ethical Recruiters of ${w.country}`, (w) => `${w.demonym} Chamber of Commerce – Labour Mobility Committee`],
  foundation: [(w) => `${w.capital} Foundation for Human Mobility`, (w) => `${w.demonym} Migrant Families Foundation`],
  youth_community_based_organisation: [(w) => `Youth on the Move ${w.country}`, (w) => `${w.capital} Community Support Group for Migrants`, (w) => `${w.demonym} Young Migrants Network`],
  national_human_rights_institution: [(w) => `National Human Rights Commission of ${w.country}`, (w) => `Ombudsman's Office of ${w.country}`],
  media: [(w) => `Migrant Voices Radio, ${w.capital}`, (w) => `${w.country} Journalists' Network on Migration`],
};
const FR: Record<string, Template[]> = {
  migrant_hometown_association: [(w) => `Fédération ${w.demonym} des associations de migrants`, (w) => `Association des migrants de retour de ${w.capital}`],
  diaspora_organisation: [(w) => `Réseau de la diaspora ${w.demonym}`, (w) => `Forum de la diaspora pour le développement – ${w.country}`],
  trade_union: [(w) => `Confédération ${w.demonym} des travailleurs`, (w) => `Syndicat national des travailleurs domestiques – ${w.country}`],
  ngo_human_rights_organisation: [(w) => `Ligue ${w.demonym} des droits des migrants`, (w) => `Centre d’aide aux migrants de ${w.capital}`, (w) => `Collectif pour les droits des migrants – ${w.country}`],
  faith_based_organisation: [(w) => `Commission épiscopale pour les migrants – ${w.country}`, (w) => `Entraide interreligieuse pour les migrants de ${w.capital}`],
  academia_think_tank: [(w) => `Observatoire des migrations de ${w.capital}`, (w) => `Institut de recherche sur la mobilité et le développement – ${w.country}`],
  private_sector_business: [(w) => `Association ${w.demonym} des sociétés de transfert d’argent`, (w) => `Chambre de commerce de ${w.capital} – commission mobilité`],
  foundation: [(w) => `Fondation pour la mobilité humaine – ${w.country}`],
  youth_community_based_organisation: [(w) => `Jeunesse en mouvement – ${w.country}`, (w) => `Association de quartier d’accueil des migrants de ${w.capital}`],
  national_human_rights_institution: [(w) => `Commission nationale des droits de l’homme – ${w.country}`],
  media: [(w) => `Radio Voix des migrants – ${w.capital}`, (w) => `Réseau des journalistes sur les migrations – ${w.country}`],
};
const ES: Record<string, Template[]> = {
  migrant_hometown_association: [(w) => `Federación de Clubes de Migrantes de ${w.country}`, (w) => `Asociación de Migrantes Retornados de ${w.capital}`],
  diaspora_organisation: [(w) => `Red de la Diáspora de ${w.country}`, (w) => `Foro de la Diáspora para el Desarrollo – ${w.country}`],
  trade_union: [(w) => `Confederación de Trabajadores de ${w.country}`, (w) => `Sindicato Nacional de Trabajadoras del Hogar de ${w.country}`],
  ngo_human_rights_organisation: [(w) => `Centro de Derechos de los Migrantes de ${w.capital}`, (w) => `Coalición por los Derechos de las Personas Migrantes – ${w.country}`, (w) => `Casa del Migrante de ${w.capital}`],
  faith_based_organisation: [(w) => `Pastoral de Movilidad Humana de ${w.country}`, (w) => `Red Interreligiosa de Apoyo al Migrante – ${w.capital}`],
  academia_think_tank: [(w) => `Observatorio de Migraciones de ${w.capital}`, (w) => `Instituto de Estudios sobre Migración y Desarrollo de ${w.country}`],
  private_sector_business: [(w) => `Asociación de Empresas de Remesas de ${w.country}`, (w) => `Cámara de Comercio de ${w.capital} – Comité de Movilidad Laboral`],
  foundation: [(w) => `Fundación Movilidad Humana – ${w.country}`],
  youth_community_based_organisation: [(w) => `Jóvenes en Movimiento – ${w.country}`, (w) => `Colectivo Comunitario de Apoyo a Migrantes de ${w.capital}`],
  national_human_rights_institution: [(w) => `Defensoría del Pueblo de ${w.country}`, (w) => `Comisión Nacional de Derechos Humanos de ${w.country}`],
  media: [(w) => `Radio Voces Migrantes – ${w.capital}`, (w) => `Red de Periodistas sobre Migración de ${w.country}`],
};
const FALLBACK: Record<Language, Template[]> = {
  en: [(w) => `${w.country} Platform on Migration and Development`],
  fr: [(w) => `Plateforme migration et développement – ${w.country}`],
  es: [(w) => `Plataforma Migración y Desarrollo – ${w.country}`],
};

/** A name for an organisation of this type and country, in its language. */
export function organisationName(orgType: string, country: Country, language: Language, random: Random): string {
  const words = WORDS.get(country.code);
  // French templates agree with a feminine noun; without a French demonym, fall back to English.
  const lang: Language = language === 'fr' && !words?.demonymFrF ? 'en' : language;
  const templates = ({ en: EN, fr: FR, es: ES }[lang][orgType] ?? FALLBACK[lang]);
  const name = lang === 'en' ? englishName(country.names.en) : country.names[lang];
  const demonym = lang === 'fr' ? (words?.demonymFrF ?? '') : (words?.demonymEn ?? country.names.en);
  const capital = words?.capital ?? country.names.en;
  return random.pick(templates)({ country: name, demonym, capital: lang === 'en' ? capital : (LOCAL_CAPITALS[capital] ?? capital) });
}
