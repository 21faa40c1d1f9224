/** The messages in English. */
import type { TemplateText } from './template-text.ts';

export const en: TemplateText = {
  greeting: 'Dear {name},',
  invitation: {
    subject: 'Invitation: {survey}',
    intro: [
      'You are invited to answer the questionnaire "{survey}" of the assessment of the Global Forum on Migration and Development (GFMD).',
      'The link below is yours: it opens your questionnaire, where you can save your answers and come back to them before you submit. Colleagues of your organisation may use the same link.',
    ],
  },
  reminder: {
    subject: 'Reminder: {survey}',
    intro: ['We have not yet received your answers to the questionnaire "{survey}". Your link below opens it where you left off.'],
  },
  reminderAmended: {
    subject: 'Reminder: your changes to {survey} are not submitted',
    intro: [
      'You changed your answers to the questionnaire "{survey}" after submitting them, and have not submitted them again: the changes count only once they are submitted. Your link below opens the questionnaire.',
    ],
  },
  lostLink: {
    subject: 'Your link to {survey}',
    intro: ['You asked for the link to the questionnaire "{survey}". Here it is; it is the same link as before, and your colleagues\' links keep working.'],
  },
  linkLabel: 'Your link:',
  noLink: 'Please use the link you received with your invitation.',
  deadline: 'Answers are accepted until {closes}.',
  usage:
    'Your answers are read by the GFMD Assessment Team for its report to the UN High Level Dialogue on Migration and Development; figures are published only in forms that do not identify you, and quotations only with names removed.',
  contact: 'Questions, or a link that does not work? Write to {contact}.',
  contactNone: 'Questions, or a link that does not work? Reply to this message.',
  signature: 'The GFMD Assessment Team',
};
