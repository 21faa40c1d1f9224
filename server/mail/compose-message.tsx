/**
 * A message's subject, plain text and HTML, from the template of its language. Pure: the values
 * (names, titles, addresses, links) come from the caller, and hono/jsx escapes every one of them in
 * the HTML, so a name such as `<b>Ministry & Co</b>` reads as typed and never becomes markup.
 */
import type { Language } from '../../survey-definitions/schema.ts';
import type { MailKind } from '../db/schema.ts';
import { TEMPLATES, type MessageTexts, type TemplateText } from './templates/index.ts';

export interface MessageValues {
  kind: MailKind;
  language: Language;
  /** The respondent's name (a government or an organisation). */
  name: string;
  /** The questionnaire's title in the message's language. */
  surveyTitle: string;
  /** The closing date (`YYYY-MM-DD`, the last day answers are accepted, UTC). */
  closes: string;
  contactEmail?: string;
  /** The personal link; without it the message says to use the invitation's link. */
  link?: string;
}

export interface ComposedMessage {
  subject: string;
  text: string;
  html: string;
}

/**
 * @example
 *   composeMessage({ kind: 'invitation', language: 'fr', name: 'Sénégal', surveyTitle: 'Évaluation', closes: '2027-03-31', link })
 *   // { subject: 'Invitation : Évaluation', text: 'Madame, Monsieur (Sénégal),\n\n…', html: '<!DOCTYPE html><html lang="fr">…' }
 */
export function composeMessage(values: MessageValues): ComposedMessage {
  const t = TEMPLATES[values.language];
  const fill = (template: string) =>
    template
      .replaceAll('{name}', values.name)
      .replaceAll('{survey}', values.surveyTitle)
      .replaceAll('{closes}', formatClosingDate(values.closes, values.language))
      .replaceAll('{contact}', values.contactEmail ?? '');
  const texts = messageTexts(t, values.kind);
  const intro = texts.intro.map(fill);
  const deadline = fill(t.deadline);
  const contact = values.contactEmail ? fill(t.contact) : t.contactNone;
  const greeting = fill(t.greeting);
  const text = [greeting, ...intro, values.link ? `${t.linkLabel}\n${values.link}` : t.noLink, deadline, t.usage, contact, t.signature].join('\n\n');
  const html = (
    <html lang={values.language}>
      <body>
        <p>{greeting}</p>
        {intro.map((p) => (
          <p>{p}</p>
        ))}
        {values.link ? (
          <p>
            {t.linkLabel}
            <br />
            <a href={values.link}>{values.link}</a>
          </p>
        ) : (
          <p>{t.noLink}</p>
        )}
        <p>{deadline}</p>
        <p>{t.usage}</p>
        <p>{values.contactEmail ? fill(t.contact) : t.contactNone}</p>
        <p>{t.signature}</p>
      </body>
    </html>
  );
  return { subject: fill(texts.subject), text: `${text}\n`, html: `<!DOCTYPE html>${html.toString()}` };
}

function messageTexts(t: TemplateText, kind: MailKind): MessageTexts {
  switch (kind) {
    case 'invitation':
      return t.invitation;
    case 'reminder':
      return t.reminder;
    case 'reminder_amended':
      return t.reminderAmended;
    case 'lost_link':
      return t.lostLink;
  }
}

/** "31 March 2027", "31 mars 2027", "31 de marzo de 2027" (English as the UN writes dates, day first). */
export function formatClosingDate(isoDate: string, language: Language): string {
  return new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : language, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${isoDate}T00:00:00Z`));
}
