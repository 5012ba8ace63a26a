import { CiphertextRejectedError, DependencyUnavailableError } from '../../domain/errors.js';

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

/**
 * How every KMS adapter here calls KMS (the code cipher, the webhook secret cipher): retries and
 * the conversion of SDK errors to domain errors at the boundary, with the SDK error as `cause`.
 *
 * Retries: the SDK's standard strategy already retries throttling and 5xx with backoff, and records
 * how many attempts it made in `$metadata.attempts`. This adds its own bounded loop only up to the
 * same total budget, so throttling is still retried when the injected client does not retry
 * (maxAttempts 1, a stubbed `send`) while retries never multiply on a default client.
 */
export class KmsCalls {
  readonly #maxAttempts: number;
  readonly #baseDelayMs: number;

  constructor(retry: KmsRetryOptions = {}) {
    this.#maxAttempts = Math.max(1, retry.maxAttempts ?? 3);
    this.#baseDelayMs = Math.max(0, retry.baseDelayMs ?? 100);
  }

  async send<T>(operation: string, call: () => Promise<T>): Promise<T> {
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

function sdkAttempts(error: unknown): number {
  const attempts = (error as { $metadata?: { attempts?: number } } | undefined)?.$metadata?.attempts;
  return typeof attempts === 'number' && attempts > 0 ? attempts : 1;
}
