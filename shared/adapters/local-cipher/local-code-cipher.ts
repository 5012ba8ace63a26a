import { createHmac, randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { CodeCipher, EncryptionContext, SealedSecret } from '../../ports/code-cipher.js';
import { decodeSecret, encodeSecret } from '../secret-codec.js';
import { openAesGcm, sealAesGcm } from './aes-gcm-envelope.js';

const KEY_BYTES = 32;

/** Two independent 32-byte keys, so a leaked fingerprint key never opens a ciphertext. */
export interface LocalCipherKeys {
  readonly encryptionKey: Buffer;
  readonly fingerprintKey: Buffer;
}

/**
 * `CodeCipher` for the local stack and tests: AES-256-GCM with `{ tenantId, cardId }` as AAD, the
 * same binding KMS gives with an encryption context (aes-gcm-envelope.ts), and HMAC-SHA-256
 * fingerprints.
 */
export class LocalCodeCipher implements CodeCipher {
  readonly #keys: LocalCipherKeys;

  constructor(keys: LocalCipherKeys) {
    if (keys.encryptionKey.length !== KEY_BYTES || keys.fingerprintKey.length !== KEY_BYTES) {
      throw new RangeError(`Local cipher keys must be ${KEY_BYTES} bytes each`);
    }
    this.#keys = keys;
  }

  async encrypt(secret: SealedSecret, context: EncryptionContext): Promise<string> {
    return sealAesGcm(this.#keys.encryptionKey, encodeSecret(secret), aad(context));
  }

  async decrypt(ciphertext: string, context: EncryptionContext): Promise<SealedSecret> {
    return decodeSecret(openAesGcm(this.#keys.encryptionKey, ciphertext, aad(context)));
  }

  async fingerprint(normalizedCode: string): Promise<string> {
    return createHmac('sha256', this.#keys.fingerprintKey).update(normalizedCode, 'utf8').digest('hex');
  }
}

/**
 * Reads the key file at `path`, creating it (parent directory too) with fresh random keys and mode
 * 0600 on first use. Creation is atomic, so two processes starting together agree on one key pair.
 */
export async function loadOrCreateLocalKeys(path: string): Promise<LocalCipherKeys> {
  try {
    return parseKeyFile(await readFile(path, 'utf8'), path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const keys = { encryptionKey: randomBytes(KEY_BYTES), fingerprintKey: randomBytes(KEY_BYTES) };
  const json = JSON.stringify({
    encryptionKey: keys.encryptionKey.toString('base64'),
    fingerprintKey: keys.fingerprintKey.toString('base64'),
  });
  // Write a private temp file, then hard-link it into place: link fails if the file already exists,
  // so a concurrent creator can never overwrite keys that already encrypted something.
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, json, { mode: 0o600, flag: 'wx' });
  try {
    await link(temp, path);
    return keys;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return parseKeyFile(await readFile(path, 'utf8'), path);
  } finally {
    await rm(temp, { force: true });
  }
}

/** Builds a `LocalCodeCipher` from the key file at `keyFile` (created on first use). */
export async function createLocalCodeCipher(options: { keyFile: string }): Promise<LocalCodeCipher> {
  return new LocalCodeCipher(await loadOrCreateLocalKeys(options.keyFile));
}

/** Canonical JSON (sorted keys) so the AAD never depends on property order. */
function aad({ tenantId, cardId }: EncryptionContext): Buffer {
  return Buffer.from(JSON.stringify({ cardId, tenantId }), 'utf8');
}

function parseKeyFile(text: string, path: string): LocalCipherKeys {
  let value: Record<string, unknown>;
  try {
    value = (JSON.parse(text) ?? {}) as Record<string, unknown>;
  } catch {
    // No cause on purpose: a JSON.parse error message quotes its input, i.e. key material.
    throw new Error(`Key file ${path} is not valid JSON`);
  }
  const decode = (field: string): Buffer => {
    const raw = value[field];
    const key = typeof raw === 'string' ? Buffer.from(raw, 'base64') : Buffer.alloc(0);
    if (key.length !== KEY_BYTES)
      throw new Error(`Key file ${path}: ${field} is not ${KEY_BYTES} base64 bytes`);
    return key;
  };
  return { encryptionKey: decode('encryptionKey'), fingerprintKey: decode('fingerprintKey') };
}
