import { createHmac, hkdfSync } from 'node:crypto';
import type { LinkKeyMac } from '../../ports/link-key-mac.js';
import { loadOrCreateLocalKeys } from './local-code-cipher.js';

/** Domain separation: the link key is its own key, never the bytes that seal codes. */
const INFO = 'card-vault link keys v1';

/** `LinkKeyMac` for the local stack and tests: HMAC-SHA-256 under a key derived from the local key file. */
export class LocalLinkMac implements LinkKeyMac {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new RangeError('the local link key must be 32 bytes');
    this.#key = key;
  }

  async mac(message: string): Promise<string> {
    return createHmac('sha256', this.#key).update(message, 'utf8').digest('hex');
  }
}

/**
 * Derived (HKDF-SHA-256) from the key file's encryption key, so the file keeps its format and a
 * stack started before this key existed gets the same key on every start.
 */
export async function createLocalLinkMac(options: { keyFile: string }): Promise<LocalLinkMac> {
  const { encryptionKey } = await loadOrCreateLocalKeys(options.keyFile);
  return new LocalLinkMac(Buffer.from(hkdfSync('sha256', encryptionKey, Buffer.alloc(0), INFO, 32)));
}
