/**
 * Invitees with e-mail addresses for the mail tests: the `flow-gov` questionnaire (open around
 * today, with a contact address) published in a test database, and `count` governments imported
 * with addresses, languages and sealed tokens.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { countryChoices } from '../../../../survey-definitions/countries.ts';
import type { Database } from '../../../../server/db/schema.ts';
import { importInvitees } from '../../../../server/respondents/import-invitees.ts';
import { tokenKeyring, type TokenKeyring } from '../../../../server/respondents/sealed-tokens.ts';
import { syncDefinitions } from '../../../../server/surveys/sync-definitions.ts';
import type { SenderSettings } from '../../../../server/mail/mail-sender.ts';
import { createMailTransport } from '../../../../server/mail/mail-transport.ts';
import { writeOpenQuestionnaire } from '../../resilience/support/open-questionnaire.ts';

export const PUBLIC_URL = 'https://assess.example.org';
export const CONTACT = 'assessment-team@example.org';
const LANGUAGES = ['en', 'fr', 'es'] as const;

export interface Invitee {
  country: string;
  email: string;
  language: (typeof LANGUAGES)[number];
  /** The link of the links file (the token in plain text, known only to the test). */
  link: string;
}

/** Writes `flow-gov` (open now, with `contact_email`) into a new folder; remove it when done. */
export function writeMailQuestionnaire(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'fat-mail-'));
  writeOpenQuestionnaire(dir);
  const file = path.join(dir, 'flow-gov.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^privacy_notice:/m, `contact_email: ${CONTACT}\nprivacy_notice:`));
  return dir;
}

/** Publishes `flow-gov` and imports `count` governments, each with an address and a language. */
export async function inviteWithEmail(db: Kysely<Database>, keyring: TokenKeyring, count: number): Promise<Invitee[]> {
  const dir = writeMailQuestionnaire();
  try {
    const sync = await syncDefinitions(db, dir);
    if (sync.problems.length) throw new Error(JSON.stringify(sync.problems));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const countries = countryChoices('un_members')
    .slice(0, count)
    .map((c) => c.code);
  const csvText = `name,kind,country,email,language\n${countries.map((c, i) => `Government of ${c},government,${c},focal.${c.toLowerCase()}@example.org,${LANGUAGES[i % 3]}`).join('\n')}\n`;
  const result = await importInvitees(db, { surveyId: 'flow-gov', csvText, publicUrl: PUBLIC_URL, actor: 'test', tokenKeyring: keyring });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.rows.map((r) => ({ country: r.country!, email: r.email!, language: r.language, link: r.link }));
}

export function newKeyring(): TokenKeyring {
  return tokenKeyring([randomBytes(32)]);
}

/** Sender settings for a test SMTP server: fast retries, no pacing to speak of. */
export function smtpSettings(smtpUrl: string, keyring: TokenKeyring, overrides: Partial<SenderSettings> = {}): SenderSettings {
  return {
    transport: createMailTransport({ smtpUrl, outboxDir: '/nonexistent' }),
    keyring,
    publicUrl: PUBLIC_URL,
    from: 'GFMD Assessment <assessment@example.org>',
    replyTo: CONTACT,
    ratePerMinute: 100_000,
    retrySeconds: 0.05,
    maxAttempts: 5,
    leaseSeconds: 300,
    ...overrides,
  };
}
