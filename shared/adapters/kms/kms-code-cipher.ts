import { DecryptCommand, EncryptCommand, GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import { CiphertextRejectedError, DependencyUnavailableError } from '../../domain/errors.js';
import type { CodeCipher, EncryptionContext, SealedSecret } from '../../ports/code-cipher.js';
import { decodeSecret, encodeSecret } from '../secret-codec.js';

/**
 * Faults worth another attempt. Request-rate limits surface as ThrottlingException; the others are
 * documented by KMS as transient. LimitExceededException is deliberately absent: in KMS it means a
 * resource quota (keys, grants, aliases) was hit, which no retry fixes.
 */
const RETRYABLE = new Set([
  'ThrottlingException',
  'KMSInternalException',
  'DependencyTimeoutException',
  'KeyUnavailableException',
]);
/** The ciphertext does not open under this key and context: moved, tampered or from another key. */
const REJECTED = new Set(['InvalidCiphertextException', 'IncorrectKeyException']);
const MAX_DELAY_MS = 2_000;

export interface KmsRetryOptions {
  /** KMS attempts per operation, counting those the SDK already made. Default 3. */
  readonly maxAttempts?: number;
  /** Base of the full-jitter exponential backoff. Default 100 ms. */
  readonly baseDelayMs?: number;
}

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
 * Retries: the SDK's standard strategy already retries throttling and 5xx with backoff, and records
 * how many attempts it made in `$metadata.attempts`. The adapter adds its own bounded loop only up to
 * the same total budget, so throttling is still retried when the injected client does not retry
 * (maxAttempts 1, a stubbed `send`) while retries never multiply on a default client.
 */
export class KmsCodeCipher implements CodeCipher {
  readonly #client: KMSClient;
  readonly #codeKeyId: string;
  readonly #fingerprintKeyId: string | undefined;
  readonly #maxAttempts: number;
  readonly #baseDelayMs: number;

  constructor({ client, codeKeyId, fingerprintKeyId, retry = {} }: KmsCodeCipherOptions) {
    this.#client = client;
    this.#codeKeyId = codeKeyId;
    this.#fingerprintKeyId = fingerprintKeyId;
    this.#maxAttempts = Math.max(1, retry.maxAttempts ?? 3);
    this.#baseDelayMs = Math.max(0, retry.baseDelayMs ?? 100);
  }

  async encrypt(secret: SealedSecret, context: EncryptionContext): Promise<string> {
    const { CiphertextBlob } = await this.#send('Encrypt', () =>
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
    const { Plaintext } = await this.#send('Decrypt', () =>
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
    const { Mac } = await this.#send('GenerateMac', () =>
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

  async #send<T>(operation: string, call: () => Promise<T>): Promise<T> {
    let attempts = 0;
    for (let retry = 0; ; retry++) {
      try {
        return await call();
      } catch (error) {
        const name = error instanceof Error ? error.name : 'UnknownError';
        attempts += sdkAttempts(error);
        if (REJECTED.has(name)) {
          throw new CiphertextRejectedError(
            `KMS ${operation} rejected the ciphertext (${name})`,
            {},
            { cause: error },
          );
        }
        if (!RETRYABLE.has(name) || attempts >= this.#maxAttempts) {
          throw new DependencyUnavailableError(`KMS ${operation} failed (${name})`, {}, { cause: error });
        }
        const delay = Math.random() * Math.min(MAX_DELAY_MS, this.#baseDelayMs * 2 ** retry);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
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

function sdkAttempts(error: unknown): number {
  const attempts = (error as { $metadata?: { attempts?: number } } | undefined)?.$metadata?.attempts;
  return typeof attempts === 'number' && attempts > 0 ? attempts : 1;
}
