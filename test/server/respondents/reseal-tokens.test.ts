/**
 * Key rotation: after `resealTokens` with a new key first and the old one second, every stored
 * link opens with the new key alone, and the links themselves are unchanged.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resealTokens } from '../../../server/respondents/reseal-tokens.ts';
import { openToken, tokenKeyring } from '../../../server/respondents/sealed-tokens.ts';
import { createTestDatabase, TEST_DATABASE_KIND, type TestDatabase } from '../../support/database.ts';
import { inviteWithEmail } from '../mail/support/mail-fixture.ts';

describe(`resealing tokens with a new key (${TEST_DATABASE_KIND})`, () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(() => database.close());

  it('moves every sealed token to the first key of the file', async () => {
    const [oldSecret, newSecret] = [randomBytes(32), randomBytes(32)];
    const invitees = await inviteWithEmail(database.db, tokenKeyring([oldSecret]), 3);
    const rotated = tokenKeyring([newSecret, oldSecret]);
    expect(await resealTokens(database.db, rotated)).toEqual({ resealed: 3, unreadable: 0 });
    // Run again: nothing left to move.
    expect(await resealTokens(database.db, rotated)).toEqual({ resealed: 0, unreadable: 0 });
    const newOnly = tokenKeyring([newSecret]);
    const rows = await database.db.selectFrom('invitation').select(['token_hash', 'token_sealed']).orderBy('id').execute();
    const opened = rows.map((r) => openToken(newOnly, r.token_sealed!, r.token_hash));
    expect(opened).toEqual(invitees.map((i) => i.link.split('/r/')[1]));
    // A key file that lost the key in use cannot open the tokens: they are counted, left as they are.
    expect(await resealTokens(database.db, tokenKeyring([randomBytes(32)]))).toEqual({ resealed: 0, unreadable: 3 });
    const after = await database.db.selectFrom('invitation').select('token_sealed').orderBy('id').execute();
    expect(after.map((r) => r.token_sealed)).toEqual(rows.map((r) => r.token_sealed));
  });
});
