import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { CiphertextRejectedError } from '../../domain/errors.js';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + IV_BYTES + TAG_BYTES;

/**
 * The local ciphers' one mechanism (code cipher, webhook secret cipher): AES-256-GCM with the
 * context as AAD, the binding KMS gives with an encryption context. Output is base64 of
 * `version (1 byte) | iv (12) | tag (16) | ciphertext`.
 */
export function sealAesGcm(key: Buffer, plaintext: Buffer, aad: Buffer): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.of(VERSION), iv, cipher.getAuthTag(), body]).toString('base64');
}

/** Throws `CiphertextRejectedError` when the envelope does not open under `key` and `aad`. */
export function openAesGcm(key: Buffer, ciphertext: string, aad: Buffer): Buffer {
  const envelope = Buffer.from(ciphertext, 'base64');
  if (envelope.length <= HEADER_BYTES || envelope[0] !== VERSION) {
    throw new CiphertextRejectedError('Ciphertext is not a version 1 local envelope');
  }
  const iv = envelope.subarray(1, 1 + IV_BYTES);
  const tag = envelope.subarray(1 + IV_BYTES, HEADER_BYTES);
  // authTagLength pins the tag size, so a truncated tag cannot weaken the check.
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(envelope.subarray(HEADER_BYTES)), decipher.final()]);
  } catch (cause) {
    throw new CiphertextRejectedError('Ciphertext did not open under this context', {}, { cause });
  }
}
