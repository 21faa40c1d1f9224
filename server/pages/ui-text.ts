/**
 * The words of the respondent's pages, in English, French and Spanish. Questionnaire texts come
 * from the definitions; these are the buttons, notices and headings around them.
 */
import type { Language } from '../../survey-definitions/schema.ts';

const TEXT = {
  language: { en: 'Language', fr: 'Langue', es: 'Idioma' },
  brand: { en: 'GFMD · Future of the Forum', fr: 'FMMD · Avenir du Forum', es: 'FMMD · Futuro del Foro' },
  skipToContent: { en: 'Skip to the questions', fr: 'Aller aux questions', es: 'Ir a las preguntas' },
  sectionOf: { en: 'Section {n} of {total}', fr: 'Section {n} sur {total}', es: 'Sección {n} de {total}' },
  progress: { en: 'Progress', fr: 'Progression', es: 'Progreso' },
  required: { en: 'required', fr: 'obligatoire', es: 'obligatoria' },
  optional: { en: 'optional', fr: 'facultative', es: 'opcional' },
  previous: { en: 'Save and go back', fr: 'Enregistrer et revenir', es: 'Guardar y volver' },
  next: { en: 'Save and continue', fr: 'Enregistrer et continuer', es: 'Guardar y continuar' },
  saveLater: { en: 'Save and finish later', fr: 'Enregistrer et terminer plus tard', es: 'Guardar y terminar más tarde' },
  review: { en: 'Review your answers', fr: 'Vérifier vos réponses', es: 'Revisar sus respuestas' },
  submit: { en: 'Submit the answers', fr: 'Envoyer les réponses', es: 'Enviar las respuestas' },
  resubmit: { en: 'Submit the amended answers', fr: 'Envoyer les réponses modifiées', es: 'Enviar las respuestas modificadas' },
  start: { en: 'Start', fr: 'Commencer', es: 'Comenzar' },
  continue: { en: 'Continue', fr: 'Continuer', es: 'Continuar' },
  edit: { en: 'Change', fr: 'Modifier', es: 'Cambiar' },
  noAnswer: { en: 'No answer', fr: 'Pas de réponse', es: 'Sin respuesta' },
  hiddenBySkip: { en: 'Not asked (does not apply)', fr: 'Non posée (ne s’applique pas)', es: 'No formulada (no procede)' },
  dontKnowNote: { en: 'or', fr: 'ou', es: 'o' },
  pleaseSpecify: { en: 'Please specify', fr: 'Veuillez préciser', es: 'Especifique' },
  chooseCountry: { en: 'Choose a country', fr: 'Choisissez un pays', es: 'Elija un país' },
  rank: { en: 'Rank', fr: 'Rang', es: 'Posición' },
  notRanked: { en: 'not ranked', fr: 'non classé', es: 'sin clasificar' },
  rankHelp: {
    en: 'Give rank 1 to the most important; leave the others as “not ranked”.',
    fr: 'Donnez le rang 1 au plus important ; laissez les autres « non classé ».',
    es: 'Dé la posición 1 al más importante; deje los demás «sin clasificar».',
  },
  numberWhich: {
    en: 'Which number do you mean by “{text}”?',
    fr: 'Quel nombre voulez-vous dire par « {text} » ?',
    es: '¿Qué número quiere decir con «{text}»?',
  },
  // The form's script puts the number(s) after these words: "Read as 12,000", "Could mean 12 / 12,000."
  numberReadAs: { en: 'Read as', fr: 'Lu comme', es: 'Se lee como' },
  numberMayMean: { en: 'Could mean', fr: 'Peut se lire', es: 'Puede leerse como' },
  numberWillAsk: {
    en: 'You will be asked which one when you save.',
    fr: 'Il vous sera demandé lequel à l’enregistrement.',
    es: 'Se le preguntará cuál al guardar.',
  },
  numberConfirmHint: {
    en: 'Choose one and save again, or change the number above.',
    fr: 'Choisissez-en un et enregistrez à nouveau, ou modifiez le nombre ci-dessus.',
    es: 'Elija uno y vuelva a guardar, o cambie el número de arriba.',
  },
  charactersMax: { en: 'at most {max} characters', fr: '{max} caractères au maximum', es: '{max} caracteres como máximo' },
  errorsTitle: { en: 'Some answers need attention', fr: 'Certaines réponses demandent votre attention', es: 'Algunas respuestas requieren su atención' },
  errorsIntro: {
    en: 'Nothing on this page was saved yet. Please correct:',
    fr: 'Rien n’a encore été enregistré sur cette page. Veuillez corriger :',
    es: 'Todavía no se ha guardado nada en esta página. Corrija:',
  },
  saved: { en: 'Your answers are saved.', fr: 'Vos réponses sont enregistrées.', es: 'Sus respuestas se han guardado.' },
  savedAt: { en: 'Saved at {time}', fr: 'Enregistré à {time}', es: 'Guardado a las {time}' },
  savingFailed: { en: 'Not saved yet', fr: 'Pas encore enregistré', es: 'Aún no guardado' },
  newQuestions: {
    en: 'Your answers opened further questions on this page. Please answer them, then continue.',
    fr: 'Vos réponses ont ouvert d’autres questions sur cette page. Veuillez y répondre, puis continuer.',
    es: 'Sus respuestas han abierto otras preguntas en esta página. Respóndalas y luego continúe.',
  },
  conflictTitle: { en: 'A colleague changed these answers', fr: 'Un collègue a modifié ces réponses', es: 'Un colega ha modificado estas respuestas' },
  conflictIntro: {
    en: 'Since you opened this page, someone else using the same link saved changes. Your entries below were not saved. Compare them with the changes listed, then save again to keep yours.',
    fr: 'Depuis que vous avez ouvert cette page, une autre personne utilisant le même lien a enregistré des modifications. Vos saisies ci-dessous n’ont pas été enregistrées. Comparez-les aux modifications indiquées, puis enregistrez de nouveau pour conserver les vôtres.',
    es: 'Desde que abrió esta página, otra persona que usa el mismo enlace guardó cambios. Sus entradas de abajo no se han guardado. Compárelas con los cambios indicados y guarde de nuevo para conservar las suyas.',
  },
  conflictNow: { en: 'now', fr: 'maintenant', es: 'ahora' },
  conflictBefore: { en: 'before', fr: 'avant', es: 'antes' },
  statusNotStarted: { en: 'Not started', fr: 'Pas commencé', es: 'Sin comenzar' },
  statusInProgress: { en: 'In progress (saved as a draft)', fr: 'En cours (enregistré comme brouillon)', es: 'En curso (guardado como borrador)' },
  statusSubmitted: { en: 'Submitted on {time}', fr: 'Envoyé le {time}', es: 'Enviado el {time}' },
  unsubmittedChanges: {
    en: 'You have changed answers since you submitted them. Submit again so that the Assessment Team receives the changes.',
    fr: 'Vous avez modifié des réponses depuis leur envoi. Envoyez-les de nouveau pour que l’Équipe d’évaluation reçoive les modifications.',
    es: 'Ha modificado respuestas después de enviarlas. Envíelas de nuevo para que el Equipo de Evaluación reciba los cambios.',
  },
  closesOn: { en: 'Answers accepted until {date} (UTC).', fr: 'Réponses acceptées jusqu’au {date} (UTC).', es: 'Se aceptan respuestas hasta el {date} (UTC).' },
  closed: {
    en: 'This questionnaire closed on {date}. You can read your answers but no longer change them.',
    fr: 'Ce questionnaire a été clos le {date}. Vous pouvez lire vos réponses, mais plus les modifier.',
    es: 'Este cuestionario se cerró el {date}. Puede leer sus respuestas, pero ya no modificarlas.',
  },
  notYetOpen: { en: 'This questionnaire opens on {date}.', fr: 'Ce questionnaire ouvre le {date}.', es: 'Este cuestionario se abre el {date}.' },
  answeringFor: { en: 'Answering for', fr: 'Réponse au nom de', es: 'Respuesta en nombre de' },
  sharedLink: {
    en: 'Colleagues may use the same link; if two people change the same page, the second is shown what changed before anything is overwritten.',
    fr: 'Vos collègues peuvent utiliser le même lien ; si deux personnes modifient la même page, la seconde voit ce qui a changé avant que quoi que ce soit ne soit remplacé.',
    es: 'Sus colegas pueden usar el mismo enlace; si dos personas modifican la misma página, la segunda ve lo que cambió antes de que se sustituya nada.',
  },
  privacy: { en: 'Privacy notice', fr: 'Avis de confidentialité', es: 'Aviso de privacidad' },
  contactLine: {
    en: 'Questions about this questionnaire? Write to',
    fr: 'Des questions sur ce questionnaire ? Écrivez à',
    es: '¿Preguntas sobre este cuestionario? Escriba a',
  },
  lostLinkAsk: {
    en: 'Lost your link? Have it sent again to your invited address.',
    fr: 'Lien perdu ? Recevez-le de nouveau à votre adresse d’invitation.',
    es: '¿Perdió su enlace? Reciba de nuevo el enlace en su dirección de invitación.',
  },
  lostLinkTitle: { en: 'Lost your link?', fr: 'Lien perdu ?', es: '¿Perdió su enlace?' },
  lostLinkIntro: {
    en: 'Give the e-mail address your invitation was sent to. If it was invited to the questionnaire, your link is sent to it again; the link stays the same and your colleagues’ links keep working.',
    fr: 'Indiquez l’adresse à laquelle votre invitation a été envoyée. Si elle a été invitée au questionnaire, votre lien lui est envoyé de nouveau ; le lien reste le même et ceux de vos collègues restent valables.',
    es: 'Indique la dirección a la que se envió su invitación. Si fue invitada al cuestionario, se le envía de nuevo su enlace; el enlace no cambia y los de sus colegas siguen funcionando.',
  },
  lostLinkSurvey: { en: 'Questionnaire', fr: 'Questionnaire', es: 'Cuestionario' },
  lostLinkEmail: { en: 'Invited e-mail address', fr: 'Adresse électronique invitée', es: 'Correo electrónico invitado' },
  lostLinkSubmit: { en: 'Send my link', fr: 'Envoyer mon lien', es: 'Enviar mi enlace' },
  lostLinkSent: {
    en: 'If this address was invited to the questionnaire, a message with the link is on its way to it. Nothing arrives within an hour? Write to the contact address below.',
    fr: 'Si cette adresse a été invitée au questionnaire, un message avec le lien est en route. Rien reçu dans l’heure ? Écrivez à l’adresse de contact ci-dessous.',
    es: 'Si esta dirección fue invitada al cuestionario, un mensaje con el enlace está en camino. ¿No llega nada en una hora? Escriba a la dirección de contacto indicada abajo.',
  },
  contacts: { en: 'Contact addresses', fr: 'Adresses de contact', es: 'Direcciones de contacto' },
  sections: { en: 'Sections', fr: 'Sections', es: 'Secciones' },
  answeredCount: { en: '{answered} of {total} answered', fr: '{answered} sur {total} répondues', es: '{answered} de {total} respondidas' },
  reviewIntro: {
    en: 'Check your answers. You can change any section before submitting.',
    fr: 'Vérifiez vos réponses. Vous pouvez modifier chaque section avant l’envoi.',
    es: 'Revise sus respuestas. Puede cambiar cualquier sección antes de enviarlas.',
  },
  missingRequired: { en: 'Still to answer before you can submit:', fr: 'Reste à répondre avant l’envoi :', es: 'Falta responder antes de enviar:' },
  submitNote: {
    en: 'After submitting you can still amend your answers until the closing date; each submission is kept.',
    fr: 'Après l’envoi, vous pourrez encore modifier vos réponses jusqu’à la date de clôture ; chaque envoi est conservé.',
    es: 'Después del envío podrá modificar sus respuestas hasta la fecha de cierre; se conserva cada envío.',
  },
  receiptTitle: { en: 'Receipt', fr: 'Accusé de réception', es: 'Acuse de recibo' },
  receiptIntro: {
    en: 'Thank you. Your answers were received on {time} (UTC).',
    fr: 'Merci. Vos réponses ont été reçues le {time} (UTC).',
    es: 'Gracias. Sus respuestas se recibieron el {time} (UTC).',
  },
  receiptReference: { en: 'Reference', fr: 'Référence', es: 'Referencia' },
  questionnaireVersion: { en: 'Questionnaire version', fr: 'Version du questionnaire', es: 'Versión del cuestionario' },
  print: { en: 'Print or save as PDF', fr: 'Imprimer ou enregistrer en PDF', es: 'Imprimir o guardar en PDF' },
  amend: { en: 'Amend the answers', fr: 'Modifier les réponses', es: 'Modificar las respuestas' },
  savedComeBack: {
    en: 'Your answers are saved. To come back, open your link again; you will continue where you left off.',
    fr: 'Vos réponses sont enregistrées. Pour revenir, ouvrez de nouveau votre lien ; vous reprendrez là où vous vous êtes arrêté.',
    es: 'Sus respuestas se han guardado. Para volver, abra de nuevo su enlace; continuará donde lo dejó.',
  },
  invalidLinkTitle: { en: 'This link does not work', fr: 'Ce lien ne fonctionne pas', es: 'Este enlace no funciona' },
  invalidLink: {
    en: 'The link is incomplete, was replaced by a newer one, or was withdrawn. Please use the latest link you received, or ask the GFMD Assessment Team for a new one.',
    fr: 'Le lien est incomplet, a été remplacé par un lien plus récent ou a été retiré. Utilisez le dernier lien reçu, ou demandez-en un nouveau à l’Équipe d’évaluation du FMMD.',
    es: 'El enlace está incompleto, fue sustituido por uno más reciente o se retiró. Use el último enlace recibido o pida uno nuevo al Equipo de Evaluación del FMMD.',
  },
  sessionEndedTitle: { en: 'Please open your link again', fr: 'Veuillez rouvrir votre lien', es: 'Abra de nuevo su enlace' },
  sessionEnded: {
    en: 'For your security this page needs your personal link. Open the link you received by e-mail; your saved answers are kept.',
    fr: 'Pour votre sécurité, cette page a besoin de votre lien personnel. Ouvrez le lien reçu par courriel ; vos réponses enregistrées sont conservées.',
    es: 'Por su seguridad, esta página necesita su enlace personal. Abra el enlace recibido por correo electrónico; sus respuestas guardadas se conservan.',
  },
  errorTitle: { en: 'Something went wrong', fr: 'Une erreur s’est produite', es: 'Se produjo un error' },
  tooManyRequests: {
    en: 'Too many attempts from your network. Please wait a few minutes and try again.',
    fr: 'Trop de tentatives depuis votre réseau. Veuillez patienter quelques minutes et réessayer.',
    es: 'Demasiados intentos desde su red. Espere unos minutos y vuelva a intentarlo.',
  },
  home: { en: 'Questionnaires', fr: 'Questionnaires', es: 'Cuestionarios' },
  preview: {
    en: 'Preview — nothing you enter is stored',
    fr: 'Aperçu — rien de ce que vous saisissez n’est enregistré',
    es: 'Vista previa — no se guarda nada de lo que introduzca',
  },
  registerTitle: {
    en: 'Take part as a civil society organisation',
    fr: 'Participer en tant qu’organisation de la société civile',
    es: 'Participar como organización de la sociedad civil',
  },
  registerIntro: {
    en: 'Tell us which organisation you represent. You will receive a personal link to answer, save and come back later.',
    fr: 'Indiquez l’organisation que vous représentez. Vous recevrez un lien personnel pour répondre, enregistrer et revenir plus tard.',
    es: 'Indique qué organización representa. Recibirá un enlace personal para responder, guardar y volver más tarde.',
  },
  orgName: { en: 'Name of your organisation', fr: 'Nom de votre organisation', es: 'Nombre de su organización' },
  orgCountry: { en: 'Country where it is based', fr: 'Pays où elle est établie', es: 'País donde tiene su sede' },
  orgType: { en: 'Type of organisation', fr: 'Type d’organisation', es: 'Tipo de organización' },
  orgEmail: { en: 'Contact e-mail (optional)', fr: 'Courriel de contact (facultatif)', es: 'Correo de contacto (opcional)' },
  register: { en: 'Get my link', fr: 'Obtenir mon lien', es: 'Obtener mi enlace' },
  yourLinkTitle: { en: 'Your personal link', fr: 'Votre lien personnel', es: 'Su enlace personal' },
  yourLink: {
    en: 'Keep this link: it is the only way back to your answers, and it cannot be shown again. Do not share it outside your organisation.',
    fr: 'Conservez ce lien : c’est le seul moyen de retrouver vos réponses, et il ne pourra pas être affiché de nouveau. Ne le partagez pas hors de votre organisation.',
    es: 'Guarde este enlace: es la única forma de volver a sus respuestas y no podrá mostrarse de nuevo. No lo comparta fuera de su organización.',
  },
  fromRegistration: {
    en: 'As given when your organisation registered.',
    fr: 'Tel qu’indiqué lors de l’inscription de votre organisation.',
    es: 'Tal como se indicó al inscribir su organización.',
  },
  alreadyRegistered: {
    en: 'This organisation is already registered for this questionnaire in this country. Please use the personal link it received when it registered, or contact the GFMD Assessment Team.',
    fr: 'Cette organisation est déjà inscrite à ce questionnaire pour ce pays. Veuillez utiliser le lien personnel reçu lors de son inscription, ou contacter l’Équipe d’évaluation du FMMD.',
    es: 'Esta organización ya está inscrita en este cuestionario para este país. Utilice el enlace personal que recibió al inscribirse o póngase en contacto con el Equipo de Evaluación del FMMD.',
  },
  fieldRequired: { en: 'Please fill in this field.', fr: 'Veuillez remplir ce champ.', es: 'Complete este campo.' },
  fieldInvalidEmail: {
    en: 'Please enter a valid e-mail address.',
    fr: 'Veuillez saisir une adresse électronique valide.',
    es: 'Introduzca una dirección de correo válida.',
  },
  yes: { en: 'Yes', fr: 'Oui', es: 'Sí' },
  no: { en: 'No', fr: 'Non', es: 'No' },
  dontKnow: { en: 'Don’t know', fr: 'Ne sait pas', es: 'No sabe' },
  opensCloses: { en: 'Open from {opens} to {closes}', fr: 'Ouvert du {opens} au {closes}', es: 'Abierto del {opens} al {closes}' },
  byInvitation: {
    en: 'Governments answer through the personal link sent to their focal point.',
    fr: 'Les gouvernements répondent au moyen du lien personnel envoyé à leur point focal.',
    es: 'Los gobiernos responden mediante el enlace personal enviado a su punto focal.',
  },
} as const satisfies Record<string, Record<Language, string>>;

export type TextKey = keyof typeof TEXT;

/**
 * A page text in one language, with `{name}` placeholders filled in.
 *
 * @example t('fr', 'sectionOf', { n: 2, total: 9 }) // "Section 2 sur 9"
 */
export function t(language: Language, key: TextKey, params: Record<string, string | number> = {}): string {
  return TEXT[key][language].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** A colon as each language writes it: French puts a (non-breaking) space before it. */
export function colon(language: Language): string {
  return language === 'fr' ? '\u00a0: ' : ': ';
}

/** A translator bound to one language. */
export type Translate = (key: TextKey, params?: Record<string, string | number>) => string;
export function translator(language: Language): Translate {
  return (key, params) => t(language, key, params);
}
