/**
 * What an answer problem says to the respondent, in their language.
 */
import type { Language } from './schema.ts';
import type { AnswerProblem, AnswerProblemCode } from './validate-answers.ts';

type Template = (p: Record<string, string | number>) => string;

/** "1 option", "2 options" (the same rule serves English, French and Spanish for counts of 1 and more). */
const plural = (n: string | number | undefined, one: string, many: string) => (Number(n) === 1 ? one : many);

/** A number as the language writes it: 20,000,000 / 20 000 000 / 20.000.000. */
const written = (n: string | number | undefined, language: Language) =>
  typeof n === 'number' || (typeof n === 'string' && n.trim() !== '' && Number.isFinite(Number(n)))
    ? new Intl.NumberFormat(language, { maximumFractionDigits: 20 }).format(Number(n))
    : String(n);

/** The readings of an ambiguous number (`"12 12000"`), written in the language. */
const readings = (p: Record<string, string | number>, language: Language) =>
  String(p.readings ?? '')
    .split(' ')
    .filter(Boolean)
    .map((v) => written(v, language));

const MESSAGES: Record<AnswerProblemCode, Record<Language, Template>> = {
  not_an_object: {
    en: () => 'The answers must be sent as an object keyed by question id.',
    fr: () => 'Les réponses doivent être envoyées sous forme d’objet indexé par identifiant de question.',
    es: () => 'Las respuestas deben enviarse como un objeto indexado por identificador de pregunta.',
  },
  unknown_question: {
    en: () => 'This questionnaire has no such question.',
    fr: () => 'Ce questionnaire ne contient pas cette question.',
    es: () => 'Este cuestionario no contiene esta pregunta.',
  },
  invalid_type: {
    en: (p) => ({ number: 'Please enter a number.', text: 'Please enter text.' })[String(p.expected)] ?? 'This answer is not in the expected form.',
    fr: (p) => ({ number: 'Veuillez saisir un nombre.', text: 'Veuillez saisir un texte.' })[String(p.expected)] ?? 'Cette réponse n’a pas la forme attendue.',
    es: (p) => ({ number: 'Introduzca un número.', text: 'Introduzca un texto.' })[String(p.expected)] ?? 'Esta respuesta no tiene la forma esperada.',
  },
  invalid_option: {
    en: () => 'Please choose one of the options offered.',
    fr: () => 'Veuillez choisir l’une des options proposées.',
    es: () => 'Elija una de las opciones propuestas.',
  },
  invalid_row: {
    en: () => 'This question has no such row.',
    fr: () => 'Cette question ne comporte pas cette ligne.',
    es: () => 'Esta pregunta no tiene esta fila.',
  },
  duplicate_option: {
    en: () => 'An option was given more than once.',
    fr: () => 'Une option a été donnée plusieurs fois.',
    es: () => 'Una opción se ha indicado más de una vez.',
  },
  duplicate_rank: {
    en: () => 'Two items have the same rank; please give each rank only once.',
    fr: () => 'Deux éléments ont le même rang ; veuillez n’attribuer chaque rang qu’une fois.',
    es: () => 'Dos elementos tienen la misma posición; asigne cada posición una sola vez.',
  },
  exclusive_option: {
    en: () => 'This option cannot be combined with the others you selected.',
    fr: () => 'Cette option ne peut pas être combinée avec les autres options choisies.',
    es: () => 'Esta opción no puede combinarse con las demás opciones elegidas.',
  },
  too_few_selections: {
    en: (p) => `Please select at least ${p.min} ${plural(p.min, 'option', 'options')}.`,
    fr: (p) => `Veuillez choisir au moins ${p.min} ${plural(p.min, 'option', 'options')}.`,
    es: (p) => `Elija al menos ${p.min} ${plural(p.min, 'opción', 'opciones')}.`,
  },
  too_many_selections: {
    en: (p) => `Please select at most ${p.max} ${plural(p.max, 'option', 'options')}.`,
    fr: (p) => `Veuillez choisir au plus ${p.max} ${plural(p.max, 'option', 'options')}.`,
    es: (p) => `Elija como máximo ${p.max} ${plural(p.max, 'opción', 'opciones')}.`,
  },
  too_few_ranked: {
    en: (p) => `Please rank at least ${p.min} ${plural(p.min, 'item', 'items')}.`,
    fr: (p) => `Veuillez classer au moins ${p.min} ${plural(p.min, 'élément', 'éléments')}.`,
    es: (p) => `Clasifique al menos ${p.min} ${plural(p.min, 'elemento', 'elementos')}.`,
  },
  too_many_ranked: {
    en: (p) => `Please rank at most ${p.max} ${plural(p.max, 'item', 'items')}.`,
    fr: (p) => `Veuillez classer au plus ${p.max} ${plural(p.max, 'élément', 'éléments')}.`,
    es: (p) => `Clasifique como máximo ${p.max} ${plural(p.max, 'elemento', 'elementos')}.`,
  },
  below_min: {
    en: (p) => `Please enter a number of at least ${written(p.min, 'en')}.`,
    fr: (p) => `Veuillez saisir un nombre supérieur ou égal à ${written(p.min, 'fr')}.`,
    es: (p) => `Introduzca un número mayor o igual que ${written(p.min, 'es')}.`,
  },
  above_max: {
    en: (p) => `Please enter a number of at most ${written(p.max, 'en')}.`,
    fr: (p) => `Veuillez saisir un nombre inférieur ou égal à ${written(p.max, 'fr')}.`,
    es: (p) => `Introduzca un número menor o igual que ${written(p.max, 'es')}.`,
  },
  not_integer: {
    en: () => 'Please enter a whole number.',
    fr: () => 'Veuillez saisir un nombre entier.',
    es: () => 'Introduzca un número entero.',
  },
  ambiguous_number: {
    en: (p) => {
      const values = readings(p, 'en');
      return values.length > 1
        ? `“${p.text}” could mean ${values.join(' or ')}. Please confirm the number you mean.`
        : `“${p.text}” is not written the usual English way: do you mean ${values[0]}? Please confirm the number.`;
    },
    fr: (p) => {
      const values = readings(p, 'fr');
      return values.length > 1
        ? `« ${p.text} » peut se lire ${values.join(' ou ')}. Veuillez confirmer le nombre voulu.`
        : `« ${p.text} » n’est pas écrit à la française : s’agit-il de ${values[0]} ? Veuillez confirmer le nombre.`;
    },
    es: (p) => {
      const values = readings(p, 'es');
      return values.length > 1
        ? `«${p.text}» puede leerse como ${values.join(' o ')}. Confirme el número que quiere indicar.`
        : `«${p.text}» no sigue la escritura habitual en español: ¿quiere decir ${values[0]}? Confirme el número.`;
    },
  },
  unsafe_number: {
    en: (p) => `This number is too large to be kept exactly (at most ${written(p.limit, 'en')}); please check it.`,
    fr: (p) => `Ce nombre est trop grand pour être conservé exactement (au plus ${written(p.limit, 'fr')}) ; veuillez le vérifier.`,
    es: (p) => `Este número es demasiado grande para conservarse con exactitud (como máximo ${written(p.limit, 'es')}); revíselo.`,
  },
  too_long: {
    en: (p) => `Please shorten this answer to ${p.max} characters.`,
    fr: (p) => `Veuillez raccourcir cette réponse à ${p.max} caractères.`,
    es: (p) => `Acorte esta respuesta a ${p.max} caracteres.`,
  },
  specify_without_option: {
    en: () => 'Please select “Other” to give this text, or clear it.',
    fr: () => 'Veuillez choisir « Autre » pour donner ce texte, ou l’effacer.',
    es: () => 'Elija «Otro» para dar este texto, o bórrelo.',
  },
  specify_required: {
    en: () => 'Please specify your “Other” answer.',
    fr: () => 'Veuillez préciser votre réponse « Autre ».',
    es: () => 'Especifique su respuesta «Otro».',
  },
  required: {
    en: () => 'This question requires an answer.',
    fr: () => 'Cette question demande une réponse.',
    es: () => 'Esta pregunta requiere una respuesta.',
  },
  incomplete_matrix: {
    en: (p) => `Please answer every row (${p.count} missing).`,
    fr: (p) => `Veuillez répondre à chaque ligne (${p.count} manquante${Number(p.count) > 1 ? 's' : ''}).`,
    es: (p) => `Responda a todas las filas (falta${Number(p.count) > 1 ? 'n' : ''} ${p.count}).`,
  },
};

/** The message for an answer problem in the respondent's language. */
export function answerProblemMessage(problem: Pick<AnswerProblem, 'code' | 'params'>, language: Language): string {
  return MESSAGES[problem.code][language](problem.params ?? {});
}
