/**
 * The messages as written: every kind in every language, values escaped in HTML, the closing
 * date in the language's words, the contact address or the reply line, and the Message-ID.
 */
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../../survey-definitions/schema.ts';
import { composeMessage, formatClosingDate } from '../../../server/mail/compose-message.tsx';
import { messageIdFor } from '../../../server/mail/prepare-message.ts';
import type { MailKind } from '../../../server/db/schema.ts';

const LINK = 'https://assess.example.org/r/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcde';
const KINDS: MailKind[] = ['invitation', 'reminder', 'reminder_amended', 'lost_link'];

describe('composeMessage', () => {
  it('writes every kind in every language with the link, the deadline and the contact address', () => {
    const subjects = new Set<string>();
    for (const kind of KINDS) {
      for (const language of LANGUAGES) {
        const m = composeMessage({
          kind,
          language,
          name: 'Senegal',
          surveyTitle: 'Survey',
          closes: '2027-03-31',
          contactEmail: 'team@example.org',
          link: LINK,
        });
        expect(m.text).toContain(LINK);
        expect(m.html).toContain(`href="${LINK}"`);
        expect(m.text).toContain(formatClosingDate('2027-03-31', language));
        expect(m.text).toContain('team@example.org');
        expect(m.html).toContain(`lang="${language}"`);
        subjects.add(m.subject);
      }
    }
    // A subject of its own for each kind and language.
    expect(subjects.size).toBe(KINDS.length * LANGUAGES.length);
  });

  it('reads the closing date in each language', () => {
    expect(formatClosingDate('2027-03-31', 'en')).toBe('31 March 2027');
    expect(formatClosingDate('2027-03-31', 'fr')).toBe('31 mars 2027');
    expect(formatClosingDate('2027-03-31', 'es')).toBe('31 de marzo de 2027');
  });

  it('escapes names and titles in the HTML, keeping them as typed in the text', () => {
    const m = composeMessage({
      kind: 'invitation',
      language: 'en',
      name: '<script>alert(1)</script> & Co',
      surveyTitle: 'A "quoted" <b>title</b>',
      closes: '2027-03-31',
      link: LINK,
    });
    expect(m.html).not.toContain('<script>');
    expect(m.html).not.toContain('<b>title');
    expect(m.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co');
    expect(m.text).toContain('<script>alert(1)</script> & Co');
    // No contact address: the message says to reply.
    expect(m.text).toContain('Reply to this message');
  });

  it('says to use the invitation link when it has none', () => {
    const m = composeMessage({ kind: 'reminder', language: 'fr', name: 'Sénégal', surveyTitle: 'Évaluation', closes: '2027-03-31' });
    expect(m.text).toContain('Veuillez utiliser le lien reçu avec votre invitation.');
    expect(m.html).not.toContain('href=');
  });
});

describe('messageIdFor', () => {
  it('is the same for every attempt of one key, different between keys, in the sender domain', () => {
    const from = 'GFMD Assessment <assessment@example.org>';
    expect(messageIdFor('invitation:1:2', from)).toBe(messageIdFor('invitation:1:2', from));
    expect(messageIdFor('invitation:1:2', from)).not.toBe(messageIdFor('invitation:1:3', from));
    expect(messageIdFor('reminder:1:2', 'assessment@example.net')).toMatch(/^<[0-9a-f]{40}@example\.net>$/);
  });
});
