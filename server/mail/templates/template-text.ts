/**
 * The wording of every message in one language. `{name}`, `{survey}`, `{closes}` and `{contact}`
 * are replaced by the respondent's name, the questionnaire's title, its closing date and its
 * contact address; nothing else is read from the template, and the values are escaped in HTML.
 */
export interface MessageTexts {
  subject: string;
  /** Paragraphs before the link. */
  intro: string[];
}

export interface TemplateText {
  greeting: string;
  invitation: MessageTexts;
  reminder: MessageTexts;
  /** A reminder to a respondent who changed submitted answers and has not submitted them again. */
  reminderAmended: MessageTexts;
  lostLink: MessageTexts;
  linkLabel: string;
  /** Said instead of the link when the message cannot carry one. */
  noLink: string;
  deadline: string;
  usage: string;
  contact: string;
  /** When the questionnaire gives no contact address. */
  contactNone: string;
  signature: string;
}
