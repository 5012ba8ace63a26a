import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type LocalCipherKeys,
  LocalCodeCipher,
  loadOrCreateLocalKeys,
} from '../../shared/adapters/local-cipher/local-code-cipher.js';
import { CiphertextRejectedError } from '../../shared/domain/errors.js';
import type { EncryptionContext } from '../../shared/ports/code-cipher.js';

const CODE = 'GIFT-7Q4M-XK2P-99ZA';
const card1: EncryptionContext = { tenantId: 'tenant-1', cardId: 'card-1' };

function someKeys(): LocalCipherKeys {
  return { encryptionKey: randomBytes(32), fingerprintKey: randomBytes(32) };
}

describe('LocalCodeCipher', () => {
  const cipher = new LocalCodeCipher(someKeys());

  it('opens what it sealed, with and without a PIN', async () => {
    const withPin = await cipher.encrypt({ code: CODE, pin: '1234' }, card1);
    const withoutPin = await cipher.encrypt({ code: CODE }, card1);

    await expect(cipher.decrypt(withPin, card1)).resolves.toEqual({ code: CODE, pin: '1234' });
    await expect(cipher.decrypt(withoutPin, card1)).resolves.toEqual({ code: CODE });
  });

  it('produces a versioned envelope that never shows the code and differs on every call', async () => {
    const first = await cipher.encrypt({ code: CODE }, card1);
    const second = await cipher.encrypt({ code: CODE }, card1);

    expect(first).not.toBe(second);
    expect(Buffer.from(first, 'base64')[0]).toBe(1);
    expect(Buffer.from(first, 'base64').toString('latin1')).not.toContain(CODE);
  });

  it('accepts the context whatever the order of its properties', async () => {
    const ciphertext = await cipher.encrypt({ code: CODE }, { cardId: 'card-1', tenantId: 'tenant-1' });
    await expect(cipher.decrypt(ciphertext, card1)).resolves.toEqual({ code: CODE });
  });

  it('rejects a ciphertext moved to another card or another tenant', async () => {
    const ciphertext = await cipher.encrypt({ code: CODE }, card1);

    await expect(cipher.decrypt(ciphertext, { ...card1, cardId: 'card-2' })).rejects.toBeInstanceOf(
      CiphertextRejectedError,
    );
    await expect(cipher.decrypt(ciphertext, { ...card1, tenantId: 'tenant-2' })).rejects.toBeInstanceOf(
      CiphertextRejectedError,
    );
  });

  it('rejects a ciphertext with any byte tampered with', async () => {
    const envelope = Buffer.from(await cipher.encrypt({ code: CODE }, card1), 'base64');

    for (let index = 0; index < envelope.length; index += 1) {
      const tampered = Buffer.from(envelope);
      tampered[index] = (tampered[index] ?? 0) ^ 0x01;
      await expect(cipher.decrypt(tampered.toString('base64'), card1)).rejects.toBeInstanceOf(
        CiphertextRejectedError,
      );
    }
  });

  it('rejects a truncated ciphertext and one sealed under another key', async () => {
    const ciphertext = await cipher.encrypt({ code: CODE }, card1);
    const truncated = Buffer.from(ciphertext, 'base64').subarray(0, 29).toString('base64');

    await expect(cipher.decrypt(truncated, card1)).rejects.toBeInstanceOf(CiphertextRejectedError);
    await expect(new LocalCodeCipher(someKeys()).decrypt(ciphertext, card1)).rejects.toBeInstanceOf(
      CiphertextRejectedError,
    );
  });

  it('never puts the plaintext code in an error message', async () => {
    const ciphertext = await cipher.encrypt({ code: CODE }, card1);
    const error = await cipher.decrypt(ciphertext, { ...card1, cardId: 'card-2' }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(CiphertextRejectedError);
    for (let e: unknown = error; e instanceof Error; e = e.cause) {
      expect(`${e.message}\n${e.stack}`).not.toContain(CODE);
    }
  });

  it('gives the same code the same fingerprint and different codes different ones', async () => {
    const fingerprint = await cipher.fingerprint(CODE);

    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    await expect(cipher.fingerprint(CODE)).resolves.toBe(fingerprint);
    await expect(cipher.fingerprint(`${CODE}X`)).resolves.not.toBe(fingerprint);
    await expect(new LocalCodeCipher(someKeys()).fingerprint(CODE)).resolves.not.toBe(fingerprint);
  });

  it('refuses keys that are not 32 bytes', () => {
    expect(
      () => new LocalCodeCipher({ encryptionKey: randomBytes(16), fingerprintKey: randomBytes(32) }),
    ).toThrow(RangeError);
  });
});

describe('loadOrCreateLocalKeys', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'card-vault-keys-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates the key file and its directory with mode 0600 on first use', async () => {
    const path = join(dir, 'nested', 'keys.json');
    const keys = await loadOrCreateLocalKeys(path);

    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const file = JSON.parse(await readFile(path, 'utf8'));
    expect(Buffer.from(file.encryptionKey, 'base64')).toEqual(keys.encryptionKey);
    expect(Buffer.from(file.fingerprintKey, 'base64')).toEqual(keys.fingerprintKey);
    expect(keys.encryptionKey).toHaveLength(32);
    expect(keys.encryptionKey.equals(keys.fingerprintKey)).toBe(false);
  });

  it('reuses the same keys on a second load, so old ciphertexts still open', async () => {
    const path = join(dir, 'keys.json');
    const ciphertext = await new LocalCodeCipher(await loadOrCreateLocalKeys(path)).encrypt(
      { code: CODE },
      card1,
    );

    const reloaded = new LocalCodeCipher(await loadOrCreateLocalKeys(path));
    await expect(reloaded.decrypt(ciphertext, card1)).resolves.toEqual({ code: CODE });
  });

  it('agrees on one key pair when two loads race to create the file', async () => {
    const path = join(dir, 'keys.json');
    const [first, second] = await Promise.all([loadOrCreateLocalKeys(path), loadOrCreateLocalKeys(path)]);

    expect(first.encryptionKey).toEqual(second.encryptionKey);
    expect(first.fingerprintKey).toEqual(second.fingerprintKey);
  });

  it('refuses a corrupt key file without echoing its content', async () => {
    const path = join(dir, 'keys.json');
    await writeFile(path, '{"encryptionKey": "c2VjcmV0LWtleS1tYXRlcmlhbA==", broken', { mode: 0o600 });

    const error = await loadOrCreateLocalKeys(path).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).not.toContain('c2VjcmV0');
  });
});
