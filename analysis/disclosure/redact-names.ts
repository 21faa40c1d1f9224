/**
 * Removing names of people and organisations from a free-text answer before it is published in
 * the anonymised export. A heuristic in English, French and Spanish: see `redactNames`.
 */
import { createRequire } from 'node:module';
import type { Countries } from 'world-countries';

/** What replaces each passage removed. */
export const REMOVED_MARKER = '[removed]';

// The package is CommonJS with a JSON payload; require keeps its types without an interop shim
// (as in survey-definitions/countries.ts, which keeps only the common names).
const worldCountries = createRequire(import.meta.url)('world-countries') as Countries;

/** Letters, digits and combining marks: what a "whole word" must not touch on either side. */
const BEFORE = String.raw`(?<![\p{L}\p{M}\p{N}])`;
const AFTER = String.raw`(?![\p{L}\p{M}\p{N}])`;

/** A capitalised word with at least one lower-case letter (so "GFMD", "UN" are not names): Jean-Pierre, O'Brien, McDonald. */
const WORD = String.raw`(?=[\p{L}\p{M}'’-]*\p{Ll})\p{Lu}[\p{L}\p{M}]*(?:[-'’][\p{L}\p{M}]+)*`;
/** A capitalised word, possibly after initials ("J. F. Kennedy"); an initial never ends a run. */
const UNIT = String.raw`(?:\p{Lu}\.[ \t\u00A0]*)*${WORD}`;
/** Small words inside names: "Ministry of Labour", "Ortega de la Fuente", "van der Berg". */
const PARTICLE = '(?:of|for|on|the|de|des|du|del|la|le|les|los|las|el|pour|para|sur|sobre|van|von|der|den|da|di|do|dos|das)';
/** One or more units joined by spaces (not line breaks) and at most two particles. */
const RUN = String.raw`${UNIT}(?:[ \t\u00A0]+(?:${PARTICLE}[ \t\u00A0]+){0,2}${UNIT})*`;

/** Personal titles and offices written before a name. */
const TITLES = [
  'Mr',
  'Mrs',
  'Ms',
  'Mx',
  'Dr',
  'Dra',
  'Prof',
  'Pr',
  'Sir',
  'Dame',
  'M',
  'Mme',
  'Mmes',
  'Mlle',
  'Sr',
  'Sra',
  'Srta',
  'Dª',
  'Dña',
  'Don',
  'Doña',
  'H\\.\\s?E',
  'S\\.\\s?E',
  'Monsieur',
  'Madame',
  'Mademoiselle',
  'Señor',
  'Señora',
  'Señorita',
  'Ambassador',
  'Ambassadeur',
  'Ambassadrice',
  'Embajador',
  'Embajadora',
  'Minister',
  'Ministre',
  'Ministro',
  'Ministra',
  'President',
  'Président',
  'Présidente',
  'Presidente',
  'Director',
  'Directeur',
  'Directrice',
  'Directora',
  'Excellency',
  'Excellence',
  'Excelencia',
  'Senator',
  'Sénateur',
  'Senador',
  'Senadora',
  'Mayor',
  'Maire',
  'Alcalde',
  'Alcaldesa',
];
/** A title and the name after it, or a title before a name already removed ("Dr. [removed]": the title joins it). */
const TITLE_NAME = new RegExp(String.raw`${BEFORE}(?:${TITLES.join('|')})\.?[ \t\u00A0]+(?:${RUN}${AFTER}|\[removed\])`, 'gu');

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
/**
 * An address written to escape robots: `maria.gonzalez (at) mfa.gov`, `jean [at] ong [dot] org`,
 * `ana(arroba)ong.es`, with the domain left out or elided (`maria.gonzalez (at) …`).
 */
const EMAIL_WRITTEN_OUT =
  /[\p{L}\p{N}._%+-]+[ \t\u00A0]*[([{][ \t\u00A0]*(?:at|arroba|chez|@)[ \t\u00A0]*[)\]}](?:[ \t\u00A0]*(?:[\p{L}\p{N}-]+(?:[ \t\u00A0]*(?:\.|[([{][ \t\u00A0]*(?:dot|punto|point)[ \t\u00A0]*[)\]}])[ \t\u00A0]*[\p{L}\p{N}-]+)*|…|\.\.\.))?/giu;
const URL_LIKE = /\b(?:https?:\/\/|www\.)[^\s<>"'«»]+|(?<![\p{L}\p{N}@.-])(?:[\p{L}\p{N}-]+\.)+(?:org|com|net|int|gov|edu|info|ngo)\b(?:\/[^\s<>"'«»]*)?/giu;
/** Digits with the separators phone numbers are written with; checked further in `phoneOrNot`. */
const PHONE_LIKE = /(?<![\p{L}\p{N}])(?:\+|\(\+?)?\d[\d \u00A0.()/-]{5,}\d(?![\p{L}\p{N}])/gu;

/**
 * Words that start sentences in EN/FR/ES: a run of capitalised words at the start of a sentence
 * that begins with one of them is judged without it ("The Ministry of Labour" keeps "The").
 */
const SENTENCE_STARTERS = new Set(
  (
    'A An The In On At For From To Of By With As Our We They It Its This That These Those Their My I If When While But And Or So Since Although However Also All Many Some Most Both Each Every No Not Only There Here What How Why Who Which Thanks Thank Please After Before During Under Through Without Within Between Among Regarding Dear Yes ' +
    'Le La Les Un Une Des Du De Au Aux En Dans Pour Par Sur Avec Sans Nous Notre Nos Il Elle Ils Elles Ce Cet Cette Ces Leur Leurs Mais Et Ou Donc Car Si Quand Depuis Selon Entre Chez Toutefois Cependant Aussi Merci Plusieurs Certains Chaque Oui Non ' +
    'El Los Las Una Unos Unas Con Por Para Desde Sobre Sin Según Nuestro Nuestra Nuestros Nuestras Nosotros Este Esta Estos Estas Ese Esa Su Sus Pero Y O Cuando Aunque También Gracias Además Durante Muchos Algunos Cada Hay Sí Al Del'
  ).split(' '),
);

/**
 * Public names that are not personal data and stay readable (the forum, its bodies, the UN);
 * matched case-insensitively as whole words and protected from the capitalised-run rule.
 */
const PUBLIC_TERMS = [
  'Global Forum on Migration and Development',
  'Forum mondial sur la migration et le développement',
  'Foro Mundial sobre Migración y Desarrollo',
  'Future of the Forum',
  'Steering Group',
  'Friends of the Forum',
  'Civil Society Mechanism',
  'Business Mechanism',
  'Mayors Mechanism',
  'Global Compact',
  'Pacte mondial',
  'Pacto Mundial',
  'United Nations',
  'Nations Unies',
  'Naciones Unidas',
  'High Level Dialogue',
  'High-Level Dialogue',
  'Dialogue de haut niveau',
  'Diálogo de Alto Nivel',
  'Sustainable Development Goals',
  'Common Space',
  'Espace commun',
  'Espacio Común',
  'Support Unit',
  'Unité de soutien',
  'Unidad de Apoyo',
  'Civil Society Days',
  'Journées de la société civile',
  'Días de la Sociedad Civil',
  'Platform for Partnerships',
  'Plateforme de partenariats',
  'Plataforma de Alianzas',
  'Amis du Forum',
  'Amigos del Foro',
  'Groupe de pilotage',
  'Grupo Directivo',
  'Assessment Team',
  'Working Group',
  'Working Groups',
  'Roundtable',
  'Roundtables',
  'Troika',
  'Chair-in-Office',
];

/** Country names that are also ordinary capitalised words at a sentence start ("Réunion des ministres", "Island states"). */
const NOT_COUNTRY_NAMES = new Set(['Réunion', 'Reunión', 'Reunion', 'Island']);
/** Names in everyday use that the data set no longer lists (it says "Türkiye"). */
const FORMER_COUNTRY_NAMES = ['Turkey'];

/** `'` and `’` alike, any run of spaces alike; everything else literal. */
function phrasePattern(phrase: string): string {
  return phrase
    .trim()
    .split(/\s+/)
    .map((word) => word.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&').replace(/['’]/g, "['’]"))
    .join('\\s+');
}

/** One alternation of whole phrases, longest first (so "Guinea-Bissau" wins over "Guinea"). */
function phrasesRegExp(phrases: Iterable<string>, flags: string): RegExp | undefined {
  const unique = [...new Set([...phrases].map((p) => p.trim()).filter((p) => p.length >= 2))].sort((a, b) => b.length - a.length);
  if (!unique.length) return undefined;
  return new RegExp(`${BEFORE}(?:${unique.map(phrasePattern).join('|')})${AFTER}`, flags);
}

/** Country names (common, official and other spellings, EN/FR/ES) and capitals. */
function placeNames(): string[] {
  return worldCountries
    .flatMap((c) => [
      c.name.common,
      c.name.official,
      c.translations['fra']?.common,
      c.translations['fra']?.official,
      c.translations['spa']?.common,
      c.translations['spa']?.official,
      // Other spellings ("Ivory Coast", "Burma"), without codes such as "FR" or "USA" that may be acronyms of anything.
      ...c.altSpellings.filter((a) => a.length >= 4 && /\p{Ll}/u.test(a)),
      // A capital names its country as well as the country does ("the delegation from Dakar").
      ...(c.capital ?? []),
    ])
    .concat(FORMER_COUNTRY_NAMES)
    .filter((name): name is string => !!name && !NOT_COUNTRY_NAMES.has(name));
}

/** English and French demonyms ("Senegalese", "Sénégalaise"). */
function demonyms(): string[] {
  return worldCountries.flatMap((c) => Object.values(c.demonyms ?? {}).flatMap((d) => [d.m, d.f])).filter((name): name is string => !!name);
}

let countryPattern: RegExp | undefined;
let demonymPattern: RegExp | undefined;
/**
 * Country names and capitals as written ("Chad" and "Turkey" are countries, "chad" and "turkey"
 * are not) or in capitals ("SENEGAL", "DAKAR"); built on first use.
 */
function countries(): RegExp {
  countryPattern ??= phrasesRegExp(
    placeNames().flatMap((n) => [n, n.toLocaleUpperCase('en')]),
    'gu',
  )!;
  return countryPattern;
}

/** Demonyms in any case: French writes them in lower case as adjectives ("sénégalais"). */
function demonymsAnyCase(): RegExp {
  demonymPattern ??= phrasesRegExp(demonyms(), 'giu')!;
  return demonymPattern;
}

/** Letters of another script than the Latin one (Arabic, Chinese, Cyrillic…), where no name is found by these rules. */
const OTHER_SCRIPT = /(?=\p{L})\P{Script=Latin}/u;

/**
 * Does the text have words in another script than the Latin one? Names written in it are not
 * found by {@link redactNames}: such a text needs a person's reading before it is published.
 *
 * @example hasOtherScript('Merci à 王芳') // true
 */
export function hasOtherScript(text: string): boolean {
  return OTHER_SCRIPT.test(text);
}

// A page previews many answers with the same list of names: its pattern is built once.
const knownPatterns = new WeakMap<readonly string[], RegExp | undefined>();
function knownNamesRegExp(names: readonly string[]): RegExp | undefined {
  if (!knownPatterns.has(names))
    knownPatterns.set(
      names,
      phrasesRegExp(
        names.filter((n) => n.trim().toLowerCase() !== 'removed'),
        'giu',
      ),
    );
  return knownPatterns.get(names);
}

const PUBLIC_PATTERN = phrasesRegExp(PUBLIC_TERMS, 'giu')!;

const RUN_PATTERN = new RegExp(`${BEFORE}${RUN}${AFTER}`, 'gu');
/** The words and initials of a run that count towards "two or more". */
const NAME_TOKEN = new RegExp(String.raw`\p{Lu}\.|${WORD}`, 'gu');
const SPACES_AND_PARTICLES = new RegExp(String.raw`^[ \t\u00A0]+(?:${PARTICLE}[ \t\u00A0]+)*`, 'u');

/** How much of a run at the start of a sentence is the sentence's own first word ("The "), 0 if its first word may be a name. */
function starterLength(run: string): number {
  const first = /^\S+/.exec(run)![0];
  if (!SENTENCE_STARTERS.has(first)) return 0;
  return first.length + (SPACES_AND_PARTICLES.exec(run.slice(first.length))?.[0].length ?? 0);
}

/** Does `offset` start a sentence (start of text, or after `.`, `!`, `?`, `:`, a line break, a bullet or an opening quote)? */
function startsSentence(text: string, offset: number): boolean {
  const before = text.slice(0, offset).replace(/[\s"'“‘«¿¡([*•–—-]+$/u, '');
  return before === '' || /[.!?…:]$/.test(before) || /\n\s*$/.test(text.slice(0, offset));
}

/** Is a digit run a phone number, rather than a year range, a date or a number with thousands separators? */
function isPhoneNumber(run: string): boolean {
  const digits = run.replace(/\D/g, '').length;
  if (digits < 7) return false;
  if (/^\d{4}\s*[-/]\s*\d{4}$/.test(run)) return false;
  if (/^\d{4}-\d{2}-\d{2}$/.test(run) || /^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$/.test(run)) return false;
  if (/^[1-9]\d{0,2}(?:[ \u00A0.]\d{3})+$/.test(run)) return false;
  return true;
}

/**
 * Removes what may name a person or an organisation from a free-text answer, replacing each
 * passage with `[removed]`, in this order:
 *
 * 1. e-mail addresses, also written out (`name (at) domain [dot] org`, `name [at] …`), web
 *    addresses (`https://…`, `www.…`, `name.org`) and phone numbers (7 or more digits; years,
 *    year ranges, dates and numbers with thousands separators are kept);
 * 2. every name in `known.names`, case-insensitively, as whole words, longest first (the caller
 *    passes the names of all respondents and organisations of the survey);
 * 3. country names in English, French and Spanish (common, official and other spellings such as
 *    "Ivory Coast") and capitals, as written or in capitals ("Chad", "CHAD" and "Dakar" go,
 *    "chad" stays), and English and French demonyms in any case ("Senegalese", "sénégalais";
 *    "French" as a language goes too). Their pattern is built on first use;
 * 4. runs of two or more capitalised words ("Maria Gonzalez", "Ministry of Foreign Affairs"),
 *    joined by spaces and small particles (of, de, la, del, van…). A run at the start of a
 *    sentence that begins with a common sentence-starting word ("The", "Les", "Nuestro") is judged
 *    without that word, which stays; public names (GFMD bodies, the United Nations, the Global
 *    Compact) and all-capital acronyms ("GFMD", "IOM") are kept;
 * 5. personal titles and offices followed by a capitalised name: Mr, Mrs, Ms, Dr, Prof, H.E.,
 *    Ambassador, Minister, M., Mme, Sr., Sra., Dª and the like, with the name.
 *
 * This is a heuristic, not a guarantee: it misses names written in lower case, single
 * capitalised words (a first name alone, a city other than a capital), names in other scripts
 * (see {@link hasOtherScript}), Spanish demonyms ("senegalés"), acronyms of organisations and
 * indirect identification ("the only woman minister in the region"), and it removes some
 * harmless words.
 * The safeguard is the analyst, who reads the preview of the published text before approving it.
 *
 * @param text The answer as the respondent wrote it.
 * @param known.names Names to remove wherever they appear (blank and one-letter names are ignored).
 * @returns The text with `[removed]` markers, and how many passages were removed (0 when none).
 *
 * @example
 *   redactNames('Maria Gonzalez (maria@mfa.gov.xx) said the GFMD helped Ruritania.', { names: ['Ruritania'] })
 *   // → { text: '[removed] ([removed]) said the GFMD helped [removed].', removed: 3 }
 */
export function redactNames(text: string, known: { names: readonly string[] }): { text: string; removed: number } {
  let removed = 0;
  const remove = (): string => {
    removed += 1;
    return REMOVED_MARKER;
  };
  let out = text.replace(EMAIL, remove).replace(EMAIL_WRITTEN_OUT, remove);
  out = out.replace(URL_LIKE, (url) => {
    // A sentence may end just after an address: its full stop is not part of it.
    const trailing = /[.,;:!?)]+$/.exec(url)?.[0] ?? '';
    return remove() + trailing;
  });
  out = out.replace(PHONE_LIKE, (run) => (isPhoneNumber(run) ? remove() : run));
  const names = knownNamesRegExp(known.names);
  if (names) out = out.replace(names, remove);
  out = out.replace(countries(), remove).replace(demonymsAnyCase(), remove);

  // Public terms are set aside (as numbered placeholders without letters) while runs are sought.
  const kept: string[] = [];
  out = out.replace(PUBLIC_PATTERN, (term) => `\u0000${kept.push(term) - 1}\u0000`);
  out = out.replace(RUN_PATTERN, (run: string, offset: number, whole: string) => {
    const from = startsSentence(whole, offset) ? starterLength(run) : 0;
    return (run.slice(from).match(NAME_TOKEN) ?? []).length >= 2 ? run.slice(0, from) + remove() : run;
  });
  out = out.replace(TITLE_NAME, (match) => (match.endsWith(REMOVED_MARKER) ? REMOVED_MARKER : remove()));
  return { text: out.replace(/\u0000(\d+)\u0000/g, (_, i: string) => kept[Number(i)]!), removed };
}

/**
 * What a text an analyst wrote for publication still holds that {@link redactNames} would remove
 * for certain: e-mail and web addresses, phone numbers, the known names, and country names,
 * capitals and demonyms. Capitalised runs and titles are left to the analyst's judgement (the
 * analyst may keep a public name the rules do not know). Each problem names what was found.
 *
 * @returns Problems in the order found; empty when the text may be published.
 * @example publicationProblems('Thanks to Ruritania.', { names: ['Ruritania'] }) // ['the name "Ruritania"']
 */
export function publicationProblems(text: string, known: { names: readonly string[] }): string[] {
  const problems: string[] = [];
  const found = (pattern: RegExp | undefined, describe: (match: string) => string) => {
    if (pattern) for (const match of text.match(pattern) ?? []) problems.push(describe(match.trim()));
  };
  found(EMAIL, (m) => `the e-mail address "${m}"`);
  found(EMAIL_WRITTEN_OUT, (m) => `the e-mail address "${m}"`);
  found(URL_LIKE, (m) => `the web address "${m.replace(/[.,;:!?)]+$/, '')}"`);
  for (const run of text.match(PHONE_LIKE) ?? []) if (isPhoneNumber(run)) problems.push(`the phone number "${run.trim()}"`);
  found(knownNamesRegExp(known.names), (m) => `the name "${m}"`);
  found(countries(), (m) => `the place name "${m}"`);
  found(demonymsAnyCase(), (m) => `the demonym "${m}"`);
  // Each thing once, whatever its case ("Ruritania", and "ruritania" inside its web address).
  const seen = new Set<string>();
  return problems.filter((p) => !seen.has(p.toLowerCase()) && seen.add(p.toLowerCase()));
}
