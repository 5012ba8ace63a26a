import { hkdfSync } from 'node:crypto';
import type { WebhookSecretCipher, WebhookSecretContext } from '../../ports/webhook-secret-cipher.js';
import { openAesGcm, sealAesGcm } from './aes-gcm-envelope.js';
import { type LocalCipherKeys, loadOrCreateLocalKeys } from './local-code-cipher.js';

/** HKDF `info`: the webhook key is its own, as in AWS, so no code ciphertext opens with it. */
const PURPOSE = 'card-vault webhook signing secrets v1';

/**
 * `WebhookSecretCipher` for the local stack and tests: the local code cipher's envelope
 * (AES-256-GCM, aes-gcm-envelope.ts) with `{ tenantId, endpointId }` as AAD, under a key derived
 * from the local key file's encryption key with HKDF, so the key file keeps its format.
 */
export class LocalWebhookSecretCipher implements WebhookSecretCipher {
  readonly #key: Buffer;

  constructor(keys: Pick<LocalCipherKeys, 'encryptionKey'>) {
    this.#key = Buffer.from(hkdfSync('sha256', keys.encryptionKey, Buffer.alloc(0), PURPOSE, 32));
  }

  async seal(secret: string, context: WebhookSecretContext): Promise<string> {
    return sealAesGcm(this.#key, Buffer.from(secret, 'utf8'), aad(context));
  }

  async open(sealed: string, context: WebhookSecretContext): Promise<string> {
    return openAesGcm(this.#key, sealed, aad(context)).toString('utf8');
  }
}

/** Builds a `LocalWebhookSecretCipher` from the key file at `keyFile` (created on first use). */
export async function createLocalWebhookSecretCipher(options: {
  keyFile: string;
}): Promise<LocalWebhookSecretCipher> {
  return new LocalWebhookSecretCipher(await loadOrCreateLocalKeys(options.keyFile));
}

/** Canonical JSON (sorted keys) so the AAD never depends on property order. */
function aad({ tenantId, endpointId }: WebhookSecretContext): Buffer {
  return Buffer.from(JSON.stringify({ endpointId, tenantId }), 'utf8');
}
