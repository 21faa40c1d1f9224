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

/** After "of" or "in": "Kenya" -> "Kenya", "Philippines" -> "the Philippines". */
function englishName(name: string): string {
  return /^(United|Central African|Dominican|Czech|Marshall|Solomon)|(Islands|Philippines|Netherlands|Bahamas|Maldives|Comoros|Gambia|Emirates|Republic of the Congo)$/.test(
    name,
  )
    ? `the ${name}`
    : name;
}

/**
 * A name pattern: `{country}`, `{demonym}` and `{city}` are filled in, and `[a|b|c]` takes one of
 * its alternatives, so that a few patterns give thousands of distinct names.
 */
type Pattern = string;

const EN: Record<string, Pattern[]> = {
  migrant_hometown_association: [
    "Migrant Workers' [Federation|Association|Alliance] of {country}",
    '{demonym} Hometown Associations [Council|Federation|Network]',
    '[Association|Society|Circle] of Returned Migrants, {city}',
  ],
  diaspora_organisation: [
    '{demonym} Diaspora [Network|Council|Alliance|Forum]',
    '{country} Diaspora [Forum|Platform|Initiative] for Development',
    'Global {demonym} [Professionals|Entrepreneurs|Women] [Association|Network]',
  ],
  trade_union: [
    '{country} [Federation|Congress|Confederation] of [Labour|Trade Unions|Workers]',
    'National Union of [Domestic|Construction|Agricultural|Health] Workers of {country}',
    "{demonym} [Seafarers'|Transport Workers'|Plantation Workers'] Union",
  ],
  ngo_human_rights_organisation: [
    '[Centre|Institute|House|Office] for Migrant [Rights|Justice|Dignity], {city}',
    '{country} Migrant [Rights Watch|Rights Centre|Solidarity Network]',
    '[Coalition|Alliance|Campaign] for the Rights of [Migrants|Migrant Workers|Refugees and Migrants] in {country}',
    '{demonym} Council for [Refugees and Migrants|Migrant Rights|Human Mobility]',
  ],
  faith_based_organisation: [
    '{country} [Catholic|Christian|Muslim|Ecumenical] [Commission|Council|Mission] for Migrants',
    'Interfaith Migrant [Solidarity|Support|Welcome] Network, {city}',
    '{demonym} Council of [Churches|Imams|Faiths] – Migration Desk',
  ],
  academia_think_tank: [
    '[Institute|Centre|School] for Migration and Development Studies, {city}',
    '{country} Migration [Policy Centre|Research Institute|Observatory]',
    'Centre for [Population|Diaspora|Labour] and Mobility Research, {city}',
  ],
  private_sector_business: [
    '{country} [Remittance Providers|Money Transfer Operators|Microfinance] Association',
    'Association of [Ethical|Licensed|Fair] Recruiters of {country}',
    '{demonym} [Chamber of Commerce|Employers’ Federation|Business Council] – Labour Mobility [Committee|Desk]',
  ],
  foundation: [
    '{city} Foundation for [Human Mobility|Migrant Families|Development]',
    '{demonym} [Migrant Families|Remittances and Development|Open Doors] Foundation',
  ],
  youth_community_based_organisation: [
    'Youth on the Move {country}',
    '{city} [Community Support Group|Neighbourhood Network|Welcome Centre] for Migrants',
    '{demonym} Young [Migrants|Returnees|Leaders] Network',
  ],
  national_human_rights_institution: ['National Human Rights Commission of {country}', "Ombudsman's Office of {country}"],
  media: ['Migrant [Voices|Stories|Radio] [Radio|Network|Collective], {city}', "{country} Journalists' Network on [Migration|Human Mobility]"],
};
const FR: Record<string, Pattern[]> = {
  migrant_hometown_association: [
    '[Fédération|Union|Coordination] {demonym} des associations de migrants',
    '[Association|Amicale|Maison] des migrants de retour de {city}',
  ],
  diaspora_organisation: ['Réseau de la diaspora {demonym}', '[Forum|Conseil|Plateforme] de la diaspora pour le développement – {country}'],
  trade_union: [
    '[Confédération|Union|Fédération] {demonym} des travailleurs',
    'Syndicat national des [travailleurs domestiques|travailleurs agricoles|gens de mer] – {country}',
  ],
  ngo_human_rights_organisation: [
    '[Ligue|Association|Coordination] {demonym} des droits des migrants',
    '[Centre|Maison|Bureau] d’aide aux migrants de {city}',
    '[Collectif|Comité|Réseau] pour les droits des migrants – {country}',
  ],
  faith_based_organisation: [
    '[Commission épiscopale|Conseil œcuménique|Entraide protestante] pour les migrants – {country}',
    'Entraide interreligieuse pour les migrants de {city}',
  ],
  academia_think_tank: [
    '[Observatoire|Laboratoire|Centre d’études] des migrations de {city}',
    'Institut de recherche sur la mobilité et le développement – {country}',
  ],
  private_sector_business: [
    'Association {demonym} des [sociétés de transfert d’argent|agences de recrutement|institutions de microfinance]',
    'Chambre de commerce de {city} – commission mobilité',
  ],
  foundation: ['Fondation pour la [mobilité humaine|famille migrante|solidarité] – {country}'],
  youth_community_based_organisation: [
    'Jeunesse en mouvement – {country}',
    '[Association de quartier|Collectif citoyen|Maison communautaire] d’accueil des migrants de {city}',
  ],
  national_human_rights_institution: ['Commission nationale des droits de l’homme – {country}'],
  media: ['Radio [Voix|Échos|Paroles] des migrants – {city}', 'Réseau des journalistes sur les migrations – {country}'],
};
const ES: Record<string, Pattern[]> = {
  migrant_hometown_association: [
    '[Federación|Unión|Coordinadora] de Clubes de Migrantes de {country}',
    '[Asociación|Casa|Red] de Migrantes Retornados de {city}',
  ],
  diaspora_organisation: ['[Red|Consejo|Alianza] de la Diáspora de {country}', '[Foro|Plataforma] de la Diáspora para el Desarrollo – {country}'],
  trade_union: [
    '[Confederación|Central|Federación] de Trabajadores de {country}',
    'Sindicato Nacional de [Trabajadoras del Hogar|Trabajadores Agrícolas|Jornaleros] de {country}',
  ],
  ngo_human_rights_organisation: [
    '[Centro|Instituto|Casa] de Derechos de los Migrantes de {city}',
    '[Coalición|Alianza|Colectivo] por los Derechos de las Personas Migrantes – {country}',
    'Casa del Migrante de {city}',
  ],
  faith_based_organisation: [
    '[Pastoral de Movilidad Humana|Comisión Episcopal de Migraciones|Servicio Cristiano al Migrante] de {country}',
    'Red Interreligiosa de Apoyo al Migrante – {city}',
  ],
  academia_think_tank: [
    '[Observatorio|Centro de Estudios|Laboratorio] de Migraciones de {city}',
    'Instituto de Estudios sobre Migración y Desarrollo de {country}',
  ],
  private_sector_business: [
    'Asociación de [Empresas de Remesas|Agencias de Empleo|Microfinancieras] de {country}',
    'Cámara de Comercio de {city} – Comité de Movilidad Laboral',
  ],
  foundation: ['Fundación [Movilidad Humana|Familias Migrantes|Puentes] – {country}'],
  youth_community_based_organisation: [
    'Jóvenes en Movimiento – {country}',
    '[Colectivo Comunitario|Red Vecinal|Casa Comunitaria] de Apoyo a Migrantes de {city}',
  ],
  national_human_rights_institution: ['Defensoría del Pueblo de {country}', 'Comisión Nacional de Derechos Humanos de {country}'],
  media: ['Radio [Voces|Ecos|Rutas] Migrantes – {city}', 'Red de Periodistas sobre Migración de {country}'],
};
const FALLBACK: Record<Language, Pattern[]> = {
  en: ['{country} [Platform|Network|Forum] on Migration and Development'],
  fr: ['[Plateforme|Réseau|Forum] migration et développement – {country}'],
  es: ['[Plataforma|Red|Foro] Migración y Desarrollo – {country}'],
};

type Words = Record<'country' | 'countryAfterPreposition' | 'demonym' | 'city', string>;

function fill(pattern: Pattern, words: Words, random: Random): string {
  return pattern
    .replace(/\b(of|in) \{country\}/g, (_, preposition: string) => `${preposition} ${words.countryAfterPreposition}`)
    .replace(/\[([^\]]+)\]/g, (_, alternatives: string) => random.pick(alternatives.split('|')))
    .replace(/\{(country|demonym|city)\}/g, (_, key: 'country' | 'demonym' | 'city') => words[key]);
}

/** A name for an organisation of this type and country, in its language. */
export function organisationName(orgType: string, country: Country, language: Language, random: Random): string {
  const words = WORDS.get(country.code);
  // French templates agree with a feminine noun; without a French demonym, fall back to English.
  const lang: Language = language === 'fr' && !words?.demonymFrF ? 'en' : language;
  const templates = { en: EN, fr: FR, es: ES }[lang][orgType] ?? FALLBACK[lang];
  const name = country.names[lang];
  const demonym = lang === 'fr' ? (words?.demonymFrF ?? '') : (words?.demonymEn ?? country.names.en);
  const capital = words?.capital ?? country.names.en;
  const city = lang === 'en' ? capital : (LOCAL_CAPITALS[capital] ?? capital);
  return fill(random.pick(templates), { country: name, countryAfterPreposition: lang === 'en' ? englishName(name) : name, demonym, city }, random);
}
