import { DecryptCommand, EncryptCommand, GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import { DependencyUnavailableError } from '../../domain/errors.js';
import type { CodeCipher, EncryptionContext, SealedSecret } from '../../ports/code-cipher.js';
import { decodeSecret, encodeSecret } from '../secret-codec.js';
import { KmsCalls, type KmsRetryOptions } from './kms-calls.js';

export type { KmsRetryOptions };

export interface KmsCodeCipherOptions {
  readonly client: KMSClient;
  /** Symmetric ENCRYPT_DECRYPT key; pinned on Decrypt so a ciphertext from another key is rejected. */
  readonly codeKeyId: string;
  /** HMAC_256 key used by GenerateMac for fingerprints; absent in functions that never fingerprint (reveal). */
  readonly fingerprintKeyId?: string;
  readonly retry?: KmsRetryOptions;
}

/**
 * `CodeCipher` on AWS KMS: Encrypt/Decrypt bound to `{ tenantId, cardId }` as encryption context,
 * GenerateMac (HMAC_SHA_256) for fingerprints.
 *
 * Retries and error mapping: `KmsCalls` (kms-calls.ts), shared with the webhook secret cipher.
 */
export class KmsCodeCipher implements CodeCipher {
  readonly #client: KMSClient;
  readonly #codeKeyId: string;
  readonly #fingerprintKeyId: string | undefined;
  readonly #kms: KmsCalls;

  constructor({ client, codeKeyId, fingerprintKeyId, retry = {} }: KmsCodeCipherOptions) {
    this.#client = client;
    this.#codeKeyId = codeKeyId;
    this.#fingerprintKeyId = fingerprintKeyId;
    this.#kms = new KmsCalls(retry);
  }

  async encrypt(secret: SealedSecret, context: EncryptionContext): Promise<string> {
    const { CiphertextBlob } = await this.#kms.send('Encrypt', () =>
      this.#client.send(
        new EncryptCommand({
          KeyId: this.#codeKeyId,
          Plaintext: encodeSecret(secret),
          EncryptionContext: kmsContext(context),
        }),
      ),
    );
    if (!CiphertextBlob) throw new DependencyUnavailableError('KMS Encrypt returned no ciphertext');
    return Buffer.from(CiphertextBlob).toString('base64');
  }

  async decrypt(ciphertext: string, context: EncryptionContext): Promise<SealedSecret> {
    const { Plaintext } = await this.#kms.send('Decrypt', () =>
      this.#client.send(
        new DecryptCommand({
          KeyId: this.#codeKeyId,
          CiphertextBlob: Buffer.from(ciphertext, 'base64'),
          EncryptionContext: kmsContext(context),
        }),
      ),
    );
    if (!Plaintext) throw new DependencyUnavailableError('KMS Decrypt returned no plaintext');
    return decodeSecret(Plaintext);
  }

  async fingerprint(normalizedCode: string): Promise<string> {
    const keyId = this.#fingerprintKeyId;
    if (keyId === undefined) throw new DependencyUnavailableError('this function has no fingerprint key');
    const { Mac } = await this.#kms.send('GenerateMac', () =>
      this.#client.send(
        new GenerateMacCommand({
          KeyId: keyId,
          MacAlgorithm: 'HMAC_SHA_256',
          Message: Buffer.from(normalizedCode, 'utf8'),
        }),
      ),
    );
    if (!Mac) throw new DependencyUnavailableError('KMS GenerateMac returned no MAC');
    return Buffer.from(Mac).toString('hex');
  }
}

/**
 * Builds a KMS client with the SDK's standard retry mode (throttling and 5xx retried with jittered
 * backoff, 3 attempts) and the cipher on top. Create it once per cold start, not per request.
 */
export function createKmsCodeCipher(options: {
  codeKeyId: string;
  fingerprintKeyId?: string;
  region?: string;
}): KmsCodeCipher {
  const { codeKeyId, fingerprintKeyId, region } = options;
  const client = new KMSClient({ ...(region ? { region } : {}), retryMode: 'standard', maxAttempts: 3 });
  return new KmsCodeCipher({
    client,
    codeKeyId,
    ...(fingerprintKeyId ? { fingerprintKeyId } : {}),
    retry: { maxAttempts: 3 },
  });
}

/** A fresh object so no extra property of the caller's context ever reaches KMS. */
function kmsContext({ tenantId, cardId }: EncryptionContext): Record<string, string> {
  return { tenantId, cardId };
}
