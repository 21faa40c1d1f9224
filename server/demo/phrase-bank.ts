/**
 * Short invented free-text answers for the demo, in English, French and Spanish, by question stem
 * and respondent group. A text answer is one or two of these sentences.
 */
import type { Language } from '../../survey-definitions/schema.ts';

type Bank = Record<Language, readonly string[]>;
type GroupBanks = { government: Bank; civil_society: Bank };

const TOP_CHANGE: GroupBanks = {
  government: {
    en: [
      'Agree a multi-year thematic programme so that each Chair builds on the previous one.',
      'Put the funding on a predictable footing, with an indicative budget when a Chair is offered.',
      'Follow up the Roundtable recommendations and report on them at the next meeting.',
      'Keep the Forum informal and state-led, but sharpen its focus on development.',
      'Give the Support Unit a stable mandate and enough staff.',
      'Shorter background papers, circulated at least six weeks before the meeting.',
      'Involve more governments from the South in the Roundtable teams.',
    ],
    fr: [
      'Adopter un programme thématique pluriannuel pour que chaque présidence s’appuie sur la précédente.',
      'Rendre le financement prévisible, avec un budget indicatif dès l’offre de présidence.',
      'Assurer le suivi des recommandations des Tables rondes et en rendre compte à la réunion suivante.',
      'Garder au Forum son caractère informel, mais renforcer l’accent sur le développement.',
      'Donner à l’Unité de soutien un mandat stable et des effectifs suffisants.',
      'Associer davantage de pays du Sud aux équipes des Tables rondes.',
    ],
    es: [
      'Acordar un programa temático plurianual para que cada Presidencia continúe el trabajo de la anterior.',
      'Dar previsibilidad a la financiación, con un presupuesto indicativo al ofrecer la Presidencia.',
      'Dar seguimiento a las recomendaciones de las Mesas redondas e informar en la reunión siguiente.',
      'Mantener el carácter informal del Foro, pero reforzar el enfoque de desarrollo.',
      'Dotar a la Unidad de Apoyo de un mandato estable y personal suficiente.',
      'Incluir a más países del Sur en los equipos de las Mesas redondas.',
    ],
  },
  civil_society: {
    en: [
      'Let civil society take part in the government Roundtables, not only in a separate space.',
      'Nothing about migrants without migrants: give migrant organisations a seat at the table.',
      'Circulate the conclusions of the Civil Society Days to every government delegation.',
      'Move migration out of the security agenda and speak about rights first.',
      'Hold governments to account on the recommendations they adopt.',
      'Fund the participation of community-based and youth groups from the South.',
      'Regulate recruitment agencies and reduce the costs migrants pay.',
    ],
    fr: [
      'Permettre à la société civile de participer aux Tables rondes gouvernementales, et pas seulement à un espace séparé.',
      'Rien sur les migrants sans les migrants : donner une place aux organisations de migrants.',
      'Diffuser les conclusions des Journées de la société civile à toutes les délégations.',
      'Sortir la migration de l’agenda sécuritaire et parler d’abord des droits.',
      'Demander des comptes aux gouvernements sur les recommandations adoptées.',
      'Financer la participation des associations de base et de jeunes du Sud.',
    ],
    es: [
      'Que la sociedad civil participe en las Mesas redondas gubernamentales, no solo en un espacio aparte.',
      'Nada sobre los migrantes sin los migrantes: un lugar en la mesa para sus organizaciones.',
      'Difundir las conclusiones de las Jornadas de la Sociedad Civil a todas las delegaciones.',
      'Sacar la migración de la agenda de seguridad y hablar primero de derechos.',
      'Exigir cuentas a los gobiernos sobre las recomendaciones que adoptan.',
      'Regular a las agencias de reclutamiento y reducir los costos que pagan los migrantes.',
    ],
  },
};

const COMMON_SPACE_CHANGES: Bank = {
  en: [
    'Fewer speeches from the podium and more time for questions from the floor.',
    'Smaller working sessions on two or three themes instead of one large plenary.',
    'Prepare the Common Space jointly with civil society, not only with the Chair.',
    'Report its conclusions to the closing plenary of the governments.',
  ],
  fr: [
    'Moins de discours à la tribune et davantage de temps pour les questions de la salle.',
    'Des séances de travail plus restreintes sur deux ou trois thèmes plutôt qu’une grande plénière.',
    'Préparer l’Espace commun avec la société civile, et pas seulement avec la présidence.',
  ],
  es: [
    'Menos discursos desde el estrado y más tiempo para preguntas del público.',
    'Sesiones de trabajo más pequeñas sobre dos o tres temas en lugar de un gran plenario.',
    'Preparar el Espacio Común junto con la sociedad civil, no solo con la Presidencia.',
  ],
};

const POLICY_CHANGE_EXAMPLE: GroupBanks = {
  government: {
    en: [
      'We drew up our first Migration Profile after the Roundtable on policy coherence.',
      'A bilateral agreement on the portability of pensions was prepared with a partner country we met at the Forum.',
      'Our new diaspora policy borrows from practices presented in the Roundtables.',
      'An inter-ministerial committee on migration and development was set up.',
      'Recruitment fees charged to workers were capped by decree.',
    ],
    fr: [
      'Nous avons élaboré notre premier profil migratoire après la Table ronde sur la cohérence des politiques.',
      'Un comité interministériel sur la migration et le développement a été créé.',
      'Notre nouvelle politique envers la diaspora s’inspire de pratiques présentées aux Tables rondes.',
    ],
    es: [
      'Elaboramos nuestro primer Perfil Migratorio después de la Mesa redonda sobre coherencia de políticas.',
      'Se creó un comité interministerial sobre migración y desarrollo.',
      'Nuestra nueva política hacia la diáspora se inspira en prácticas presentadas en las Mesas redondas.',
    ],
  },
  civil_society: {
    en: [
      'The government consulted migrant associations on its new labour migration law.',
      'A pre-departure orientation programme was launched with our participation.',
      'Domestic workers were brought under the labour code after our campaign.',
    ],
    fr: [
      'Le gouvernement a consulté les associations de migrants sur sa nouvelle loi sur la migration de travail.',
      'Un programme d’orientation avant le départ a été lancé avec notre participation.',
    ],
    es: [
      'El gobierno consultó a las asociaciones de migrantes sobre su nueva ley de migración laboral.',
      'Se puso en marcha un programa de orientación previa a la partida con nuestra participación.',
    ],
  },
};

/** Texts of "Other (please specify)" options, by question stem. */
const SPECIFY: Record<string, Bank> = {
  lead_unit: {
    en: ['Office of the Prime Minister', 'Inter-ministerial committee on migration', 'Ministry of Social Affairs'],
    fr: ['Cabinet du Premier ministre', 'Comité interministériel des migrations', 'Ministère des Affaires sociales'],
    es: ['Oficina del Presidente', 'Comisión interministerial de migración', 'Ministerio de Desarrollo Social'],
  },
  org_type: {
    en: ['Cooperative of returning migrants', 'Lawyers’ association', 'Network of local authorities'],
    fr: ['Coopérative de migrants de retour', 'Association d’avocats', 'Réseau de collectivités locales'],
    es: ['Cooperativa de migrantes retornados', 'Colegio de abogados', 'Red de gobiernos locales'],
  },
};

const GENERIC: Bank = {
  en: ['See our written submission to the Assessment Team.', 'More follow-up between meetings.', 'Better coordination with regional processes.'],
  fr: [
    'Voir notre contribution écrite à l’Équipe d’évaluation.',
    'Davantage de suivi entre les réunions.',
    'Une meilleure coordination avec les processus régionaux.',
  ],
  es: ['Véase nuestra contribución escrita al Equipo de Evaluación.', 'Más seguimiento entre reuniones.', 'Mejor coordinación con los procesos regionales.'],
};

const GENERIC_SPECIFY: Bank = {
  en: ['Consular protection', 'Other body'],
  fr: ['Protection consulaire', 'Autre organisme'],
  es: ['Protección consular', 'Otro organismo'],
};

const BY_STEM: Record<string, GroupBanks | Bank> = {
  top_change: TOP_CHANGE,
  common_space_changes: COMMON_SPACE_CHANGES,
  policy_change_example: POLICY_CHANGE_EXAMPLE,
};

const isGrouped = (bank: GroupBanks | Bank): bank is GroupBanks => 'government' in bank;

/** The sentences a free-text answer to a question (by stem) may be made of. */
export function textPhrases(stem: string, group: 'government' | 'civil_society', language: Language): readonly string[] {
  const bank = BY_STEM[stem] ?? GENERIC;
  return (isGrouped(bank) ? bank[group] : bank)[language];
}

/** The texts an "Other (please specify)" answer of a question (by stem) may take. */
export function specifyPhrases(stem: string, language: Language): readonly string[] {
  return (SPECIFY[stem] ?? GENERIC_SPECIFY)[language];
}
