import { DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { DependencyUnavailableError } from '../../domain/errors.js';
import type { WebhookSecretCipher, WebhookSecretContext } from '../../ports/webhook-secret-cipher.js';
import { KmsCalls, type KmsRetryOptions } from './kms-calls.js';

export interface KmsWebhookSecretCipherOptions {
  readonly client: KMSClient;
  /** Symmetric ENCRYPT_DECRYPT key of its own; pinned on Decrypt so a ciphertext from another key is rejected. */
  readonly keyId: string;
  readonly retry?: KmsRetryOptions;
}

/**
 * `WebhookSecretCipher` on AWS KMS: the code cipher's mechanism (Encrypt/Decrypt with an
 * encryption context, `KmsCalls` for retries and errors) on the webhook secret key, bound to
 * `{ tenantId, endpointId }`. IAM gives the api function Encrypt and the dispatcher Decrypt on it.
 */
export class KmsWebhookSecretCipher implements WebhookSecretCipher {
  readonly #client: KMSClient;
  readonly #keyId: string;
  readonly #kms: KmsCalls;

  constructor({ client, keyId, retry = {} }: KmsWebhookSecretCipherOptions) {
    this.#client = client;
    this.#keyId = keyId;
    this.#kms = new KmsCalls(retry);
  }

  async seal(secret: string, context: WebhookSecretContext): Promise<string> {
    const { CiphertextBlob } = await this.#kms.send('Encrypt', () =>
      this.#client.send(
        new EncryptCommand({
          KeyId: this.#keyId,
          Plaintext: Buffer.from(secret, 'utf8'),
          EncryptionContext: kmsContext(context),
        }),
      ),
    );
    if (!CiphertextBlob) throw new DependencyUnavailableError('KMS Encrypt returned no ciphertext');
    return Buffer.from(CiphertextBlob).toString('base64');
  }

  async open(sealed: string, context: WebhookSecretContext): Promise<string> {
    const { Plaintext } = await this.#kms.send('Decrypt', () =>
      this.#client.send(
        new DecryptCommand({
          KeyId: this.#keyId,
          CiphertextBlob: Buffer.from(sealed, 'base64'),
          EncryptionContext: kmsContext(context),
        }),
      ),
    );
    if (!Plaintext) throw new DependencyUnavailableError('KMS Decrypt returned no plaintext');
    return Buffer.from(Plaintext).toString('utf8');
  }
}

/** One client per cold start, the SDK's standard retries (3 attempts), as `createKmsCodeCipher`. */
export function createKmsWebhookSecretCipher(options: {
  keyId: string;
  region?: string;
}): KmsWebhookSecretCipher {
  const client = new KMSClient({
    ...(options.region ? { region: options.region } : {}),
    retryMode: 'standard',
    maxAttempts: 3,
  });
  return new KmsWebhookSecretCipher({ client, keyId: options.keyId, retry: { maxAttempts: 3 } });
}

/** A fresh object so no extra property of the caller's context ever reaches KMS. */
function kmsContext({ tenantId, endpointId }: WebhookSecretContext): Record<string, string> {
  return { tenantId, endpointId };
}
