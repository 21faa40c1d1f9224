/**
 * Open registration e-mails the organisation its personal link, in the language it registered in,
 * when it gives an address, and stores no e-mail when it gives none.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../../server/app.ts';
import { sendDueMessages } from '../../../server/mail/mail-sender.ts';
import { syncDefinitions } from '../../../server/surveys/sync-definitions.ts';
import { createTestDatabase, TEST_DATABASE_KIND, type TestDatabase } from '../../support/database.ts';
import { FLOW_SURVEYS, PUBLIC_URL, WHILE_OPEN } from '../support/app-fixture.ts';
import { newKeyring, smtpSettings } from './support/mail-fixture.ts';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink.ts';

describe(`open registration by e-mail (${TEST_DATABASE_KIND})`, () => {
  let database: TestDatabase;
  let sink: SmtpSink;
  const keyring = newKeyring();

  beforeEach(async () => {
    database = await createTestDatabase();
    sink = await startSmtpSink();
  });
  afterEach(async () => {
    await sink.close();
    await database.close();
  });

  it('sends the link shown on screen to the address given, in the registration language', async () => {
    expect((await syncDefinitions(database.db, FLOW_SURVEYS)).problems).toEqual([]);
    const app = createApp({
      db: database.db,
      databaseKind: database.kind,
      publicUrl: PUBLIC_URL,
      sessionDays: 30,
      trustProxy: false,
      now: () => new Date(WHILE_OPEN),
      tokenKeyring: keyring,
    });
    const register = (fields: Record<string, string>) =>
      app.request('/open/flow-cs?lang=es', {
        method: 'POST',
        headers: { Origin: PUBLIC_URL, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      });
    const page = await register({ name: 'Voces Migrantes', country: 'MEX', org_type: 'migrant_association', email: 'contacto@voces.example.org' });
    expect(page.status).toBe(200);
    const shown = /https:\/\/assess\.example\.org\/r\/[A-Za-z0-9_-]{43}/.exec(await page.text())?.[0];
    expect(shown).toBeDefined();
    expect((await register({ name: 'Sin Correo', country: 'MEX', org_type: 'migrant_association', email: '' })).status).toBe(200);

    const queued = await database.db.selectFrom('mail_message').select(['kind', 'recipient', 'language', 'queued_by']).execute();
    expect(queued).toEqual([{ kind: 'invitation', recipient: 'contacto@voces.example.org', language: 'es', queued_by: 'open_registration' }]);
    expect(await sendDueMessages(database.db, smtpSettings(sink.url, keyring))).toMatchObject({ sent: 1 });
    expect(sink.received[0]!.link).toBe(shown);
    expect(sink.received[0]!.text).toContain('Le invitamos a responder');
  });
});
