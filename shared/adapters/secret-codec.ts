import { CiphertextRejectedError } from '../domain/errors.js';
import type { SealedSecret } from '../ports/code-cipher.js';

/**
 * The plaintext every `CodeCipher` seals: UTF-8 JSON `{"code":…,"pin":…}`, the PIN only when the
 * brand has one. Stored ciphertexts hold these bytes, so changing the format strands them.
 */
export function encodeSecret({ code, pin }: SealedSecret): Buffer {
  return Buffer.from(JSON.stringify(pin === undefined ? { code } : { code, pin }), 'utf8');
}

/**
 * Reads back what `encodeSecret` wrote, keeping only `code` and `pin`. Anything else is refused
 * with a `CiphertextRejectedError` that carries no cause: a JSON.parse message quotes its input,
 * i.e. the plaintext.
 */
export function decodeSecret(bytes: Uint8Array): SealedSecret {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    value = undefined;
  }
  const { code, pin } = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  if (typeof code !== 'string' || (pin !== undefined && typeof pin !== 'string')) {
    throw new CiphertextRejectedError('Ciphertext did not open to a sealed secret');
  }
  return pin === undefined ? { code } : { code, pin };
}
