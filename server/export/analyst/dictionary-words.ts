/**
 * The toolkit's own words in the analysts' syntax files and workbook, in the questionnaires'
 * languages: the special codes, yes/no, the quasi-identifier columns and their values. Question
 * texts and option labels come from the questionnaire itself.
 */
import type { Language } from '../../../survey-definitions/schema.ts';
import { SPECIAL_CODES, type SpecialCode } from '../export-columns.ts';

type Words = Record<Language, string>;

/** Short labels of the special codes (the codebook has their full meaning in English). */
export const SPECIAL_CODE_WORDS: Record<SpecialCode, Words> = {
  '.h': { en: 'hidden by skip logic', fr: 'masquée par le filtrage', es: 'oculta por el filtro' },
  '.a': { en: 'not answered', fr: 'sans réponse', es: 'sin respuesta' },
  '.x': { en: 'not asked in this version', fr: 'non posée dans cette version', es: 'no formulada en esta versión' },
  '.o': { en: 'option no longer offered', fr: 'option retirée', es: 'opción retirada' },
  '.w': { en: 'free text withheld', fr: 'texte libre non publié', es: 'texto libre no publicado' },
  '.s': { en: 'suppressed (disclosure control)', fr: 'supprimée (contrôle de divulgation)', es: 'suprimida (control de divulgación)' },
  '.n': { en: 'not ranked', fr: 'non classée', es: 'no clasificada' },
};

/** Every special code, in a fixed order: its place gives its number in SPSS ({@link specialNumber}). */
export const SPECIAL_ORDER = Object.keys(SPECIAL_CODES) as SpecialCode[];

export const WORDS = {
  yes: { en: 'Yes', fr: 'Oui', es: 'Sí' },
  no: { en: 'No', fr: 'Non', es: 'No' },
  dontKnow: { en: 'Don’t know', fr: 'Ne sait pas', es: 'No sabe' },
  selected: { en: 'selected', fr: 'cochée', es: 'marcada' },
  notSelected: { en: 'not selected', fr: 'non cochée', es: 'no marcada' },
  ranked: { en: 'ranked', fr: 'classée', es: 'clasificada' },
  rankNote: { en: 'rank, 1 = first', fr: 'rang, 1 = premier', es: 'puesto, 1 = primero' },
  response: {
    en: 'Random identifier of the response (new in every file)',
    fr: 'Identifiant aléatoire de la réponse (nouveau dans chaque fichier)',
    es: 'Identificador aleatorio de la respuesta (nuevo en cada archivo)',
  },
  kind: { en: 'Stakeholder kind', fr: 'Type de partie prenante', es: 'Tipo de parte interesada' },
  region: { en: 'UN M49 region', fr: 'Région M49 des Nations Unies', es: 'Región M49 de las Naciones Unidas' },
  role_group: { en: 'GFMD role group', fr: 'Groupe de rôle au FMMD', es: 'Grupo de función en el FMMD' },
  org_type: { en: 'Organisation type', fr: 'Type d’organisation', es: 'Tipo de organización' },
  any: { en: 'generalised: not published in this file', fr: 'généralisé : non publié dans ce fichier', es: 'generalizado: no publicado en este archivo' },
} satisfies Record<string, Words>;

/** Values of the quasi-identifier columns other than organisation types. */
export const QUASI_IDENTIFIER_VALUES: Record<'kind' | 'region' | 'role_group', [string, Words][]> = {
  kind: [
    ['government', { en: 'Government', fr: 'Gouvernement', es: 'Gobierno' }],
    ['civil_society', { en: 'Civil society organisation', fr: 'Organisation de la société civile', es: 'Organización de la sociedad civil' }],
    ['international_org', { en: 'International organisation', fr: 'Organisation internationale', es: 'Organización internacional' }],
  ],
  region: [
    ['Africa', { en: 'Africa', fr: 'Afrique', es: 'África' }],
    ['Americas', { en: 'Americas', fr: 'Amériques', es: 'Américas' }],
    ['Asia', { en: 'Asia', fr: 'Asie', es: 'Asia' }],
    ['Europe', { en: 'Europe', fr: 'Europe', es: 'Europa' }],
    ['Oceania', { en: 'Oceania', fr: 'Océanie', es: 'Oceanía' }],
    ['unknown', { en: 'no country recorded', fr: 'pays non enregistré', es: 'país no registrado' }],
  ],
  role_group: [
    [
      'steering_group',
      {
        en: 'Chair, Troika, Steering Group or Assessment Team',
        fr: 'Présidence, troïka, groupe de pilotage ou équipe d’évaluation',
        es: 'Presidencia, troika, grupo directivo o equipo de evaluación',
      },
    ],
    ['other_role', { en: 'another GFMD role', fr: 'autre rôle au FMMD', es: 'otra función en el FMMD' }],
    ['no_role', { en: 'no GFMD role recorded', fr: 'aucun rôle au FMMD enregistré', es: 'ninguna función en el FMMD registrada' }],
    ['some_role', { en: 'some GFMD role', fr: 'un rôle au FMMD', es: 'alguna función en el FMMD' }],
  ],
};

/** "Not an organisation" for a government's org_type. */
export const NOT_APPLICABLE: Words = {
  en: 'not an organisation (government)',
  fr: 'pas une organisation (gouvernement)',
  es: 'no es una organización (gobierno)',
};
