/**
 * Sealed tokens: AES-256-GCM round trip, refused with another key, on another invitation's hash or
 * when altered; the key file created once with mode 0600; rotation with `resealTokens`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadTokenKeyring, openToken, sealToken, tokenKeyring, isSealedWithCurrentKey } from '../../../server/respondents/sealed-tokens.ts';
import { hashToken, newInvitationToken } from '../../../server/respondents/tokens.ts';

describe('sealed tokens', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'fat-seal-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('opens what it sealed, and nothing sealed with another key, for another hash, or altered', () => {
    const keyring = tokenKeyring([randomBytes(32)]);
    const { token, hash } = newInvitationToken();
    const sealed = sealToken(keyring, token, hash);
    expect(sealed).not.toContain(token);
    expect(openToken(keyring, sealed, hash)).toBe(token);
    // A fresh nonce each time: the same token never seals the same way twice.
    expect(sealToken(keyring, token, hash)).not.toBe(sealed);
    expect(openToken(tokenKeyring([randomBytes(32)]), sealed, hash)).toBeUndefined();
    expect(openToken(keyring, sealed, hashToken('another token'))).toBeUndefined();
    const body = sealed.split('.')[3]!;
    const flipped = `${body.slice(0, 5)}${body[5] === 'A' ? 'B' : 'A'}${body.slice(6)}`;
    expect(openToken(keyring, sealed.replace(body, flipped), hash)).toBeUndefined();
  });

  it('creates the key file once (mode 0600) and reads older keys after the first for rotation', async () => {
    const file = path.join(dir, 'keys', 'mail-token.key');
    const first = await loadTokenKeyring(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect((await loadTokenKeyring(file)).current.id).toBe(first.current.id);
    const { token, hash } = newInvitationToken();
    const sealed = sealToken(first, token, hash);
    writeFileSync(file, `${randomBytes(32).toString('hex')}\n${readFileSync(file, 'utf8')}`);
    const rotated = await loadTokenKeyring(file);
    expect(rotated.current.id).not.toBe(first.current.id);
    expect(isSealedWithCurrentKey(rotated, sealed)).toBe(false);
    expect(openToken(rotated, sealed, hash)).toBe(token);
    writeFileSync(file, 'not a key\n');
    await expect(loadTokenKeyring(file)).rejects.toThrow(/64 hexadecimal digits/);
  });
});
