/** The messages in French. */
import type { TemplateText } from './template-text.ts';

export const fr: TemplateText = {
  greeting: 'Madame, Monsieur ({name}),',
  invitation: {
    subject: 'Invitation : {survey}',
    intro: [
      "Vous êtes invité(e) à répondre au questionnaire « {survey} » de l'évaluation du Forum mondial sur la migration et le développement (FMMD).",
      'Le lien ci-dessous vous est propre : il ouvre votre questionnaire, où vous pouvez enregistrer vos réponses et y revenir avant de les soumettre. Les collègues de votre organisation peuvent utiliser le même lien.',
    ],
  },
  reminder: {
    subject: 'Rappel : {survey}',
    intro: ["Nous n'avons pas encore reçu vos réponses au questionnaire « {survey} ». Votre lien ci-dessous l'ouvre là où vous vous étiez arrêté(e)."],
  },
  reminderAmended: {
    subject: 'Rappel : vos modifications de « {survey} » ne sont pas soumises',
    intro: [
      "Vous avez modifié vos réponses au questionnaire « {survey} » après les avoir soumises, sans les soumettre à nouveau : les modifications ne comptent qu'une fois soumises. Votre lien ci-dessous ouvre le questionnaire.",
    ],
  },
  lostLink: {
    subject: 'Votre lien vers « {survey} »',
    intro: [
      "Vous avez demandé le lien vers le questionnaire « {survey} ». Le voici ; c'est le même lien qu'auparavant, et les liens de vos collègues restent valables.",
    ],
  },
  linkLabel: 'Votre lien :',
  noLink: 'Veuillez utiliser le lien reçu avec votre invitation.',
  deadline: "Les réponses sont acceptées jusqu'au {closes}.",
  usage:
    "Vos réponses sont lues par l'équipe d'évaluation du FMMD pour son rapport au Dialogue de haut niveau des Nations Unies sur les migrations internationales et le développement ; les chiffres ne sont publiés que sous des formes qui ne vous identifient pas, et les citations seulement sans les noms.",
  contact: 'Une question, ou un lien qui ne fonctionne pas ? Écrivez à {contact}.',
  contactNone: 'Une question, ou un lien qui ne fonctionne pas ? Répondez à ce message.',
  signature: "L'équipe d'évaluation du FMMD",
};
