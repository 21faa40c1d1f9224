import { describe, expect, it } from 'vitest';
import { hasOtherScript, publicationProblems, redactNames, REMOVED_MARKER } from '../../../analysis/disclosure/redact-names.ts';

const KNOWN = { names: ['Ruritania Migrant Network', 'Ruritania', 'Asociación Puentes', 'Ligue des Droits'] };

describe('redactNames', () => {
  it.each([
    // [language, answer, expected text, passages removed]
    ['en', 'Write to maria.gonzalez@mfa.example.org for details.', 'Write to [removed] for details.', 1],
    ['en', 'See https://www.example.org/report?id=3. It helps.', 'See [removed]. It helps.', 1],
    ['en', 'Our site www.ngo-example.net and gfmd.org list it.', 'Our site [removed] and [removed] list it.', 2],
    ['en', 'Call +41 22 917 12 34 or (022) 917-1234.', 'Call [removed] or [removed].', 2],
    ['en', 'We work with the Ruritania Migrant Network on labour mobility.', 'We work with the [removed] on labour mobility.', 1],
    ['en', 'RURITANIA and ruritania agree.', '[removed] and [removed] agree.', 2],
    ['en', 'Maria Gonzalez said the forum helps.', '[removed] said the forum helps.', 1],
    ['en', 'We asked Maria Gonzalez about it.', 'We asked [removed] about it.', 1],
    ['en', 'The Ministry of Foreign Affairs of Kenya agreed.', 'The [removed] of [removed] agreed.', 2],
    ['en', 'Mr John Smith and Dr. Smith met H.E. Ana Lopez.', '[removed] and [removed] met [removed].', 3],
    ['en', 'Thanks to Dr. Maria Gonzalez Pérez and Prof. Lee.', 'Thanks to [removed] and [removed].', 2],
    ['en', 'Ambassador Osei spoke, as did Minister Tan.', '[removed] spoke, as did [removed].', 2],
    ['en', 'John F. Kennedy was quoted.', '[removed] was quoted.', 1],
    ['en', 'Turkey and the Republic of Chad sent experts; Ghanaian officials too.', '[removed] and the [removed] sent experts; [removed] officials too.', 3],
    ['fr', 'M. Dupont et Mme Martin ont aidé la France.', '[removed] et [removed] ont aidé la [removed].', 3],
    ['fr', "La délégation de Côte d’Ivoire et l'Organisation Internationale pour les Migrations.", "La délégation de [removed] et l'[removed].", 2],
    ['fr', 'La Ligue des Droits a participé. Les Français aussi.', 'La [removed] a participé. Les [removed] aussi.', 2],
    ['fr', 'Contactez le 01 45 67 89 10 ou jean@exemple.fr.', 'Contactez le [removed] ou [removed].', 2],
    ['es', 'La Sra. García y el Embajador Pérez visitaron México.', 'La [removed] y el [removed] visitaron [removed].', 3],
    ['es', 'Dª Carmen Ruiz habló por la Asociación Puentes.', '[removed] habló por la [removed].', 2],
    ['es', 'El Ministerio de Trabajo de Estados Unidos respondió.', 'El [removed] de [removed] respondió.', 2],
    ['en', 'Write to maria.gonzalez (at) … for details.', 'Write to [removed] for details.', 1],
    ['fr', 'Écrire à jean [at] ong [dot] org ou ana(arroba)ong.es.', 'Écrire à [removed] ou [removed].', 2],
    ['en', 'SENEGAL hosted it in Dakar.', '[removed] hosted it in [removed].', 2],
    ['fr', 'Les partenaires sénégalais et la délégation ghanéenne.', 'Les partenaires [removed] et la délégation [removed].', 2],
  ] as const)('%s: %s', (_language, answer, expected, count) => {
    expect(redactNames(answer, KNOWN)).toEqual({ text: expected, removed: count });
  });

  it.each([
    ['en', 'The forum should meet more often. Our government supports it.'],
    ['en', 'In Geneva, we met. Thanks to the GFMD, policies changed.'],
    ['en', 'The GFMD Steering Group and the United Nations should work with IOM.'],
    ['en', 'Island states and small economies face this.'],
    ['en', 'civil society organisations in rural areas need the forum'],
    ['en', 'Between 2019-2021 about 1 500 000 people moved; the meeting was on 2026-11-27.'],
    ['en', 'Labour mobility matters. Remittances matter more.'],
    ['fr', 'Le forum est utile. Nous souhaitons plus de réunions.'],
    ['fr', 'Réunion des ministres : les pays ont progressé.'],
    ['fr', 'Depuis 2018, le GFMD aide les gouvernements.'],
    ['es', 'El foro es útil. Nuestro gobierno participa.'],
    ['es', 'Reunión con la sociedad civil. ¿Por qué no más a menudo?'],
    ['es', 'Según el GFMD, la movilidad laboral mejoró.'],
  ] as const)('%s: keeps "%s"', (_language, answer) => {
    expect(redactNames(answer, KNOWN)).toEqual({ text: answer, removed: 0 });
  });

  it('removes the longest known name first, and ignores blank or one-letter names', () => {
    expect(redactNames('The Ruritania Migrant Network is in Ruritania.', { names: ['Ruritania', 'Ruritania Migrant Network', ' ', 'a'] })).toEqual({
      text: 'The [removed] is in [removed].',
      removed: 2,
    });
  });

  it('matches known names as whole words only', () => {
    expect(redactNames('Ruritanian plans for Ruritania', { names: ['Ruritania'] }).text).toBe('Ruritanian plans for [removed]');
  });

  it('leaves an empty answer empty', () => {
    expect(redactNames('', { names: [] })).toEqual({ text: '', removed: 0 });
  });

  it('never removes a marker it already wrote, so redacting twice changes nothing', () => {
    const once = redactNames('Maria Gonzalez of Ruritania wrote.', KNOWN);
    expect(once.text).toContain(REMOVED_MARKER);
    expect(redactNames(once.text, { names: [...KNOWN.names, 'removed'] })).toEqual({ text: once.text, removed: 0 });
  });
});

describe('hasOtherScript', () => {
  it.each([
    ['Merci à 王芳 pour son aide.', true],
    ['شكرا Ahmed', true],
    ['Спасибо', true],
    ['Ça a été très utile, señora; Ægir; ß', false],
    ['2026 — 12 000 €', false],
  ] as const)('%s: %s', (text, expected) => {
    expect(hasOtherScript(text)).toBe(expected);
  });
});

describe('publicationProblems', () => {
  it('names each address, phone number, known name and place left in a wording', () => {
    expect(publicationProblems('Ruritania (www.ruritania.org, +41 22 917 12 34) met in Dakar with Ghanaian experts.', KNOWN)).toEqual([
      'the web address "www.ruritania.org"',
      'the phone number "+41 22 917 12 34"',
      'the name "Ruritania"',
      'the place name "Dakar"',
      'the demonym "Ghanaian"',
    ]);
  });

  it('accepts a wording with none of them, capitalised public names included', () => {
    expect(publicationProblems('A diaspora organisation found the GFMD Steering Group and the United Nations helpful in 2011.', KNOWN)).toEqual([]);
  });
});
