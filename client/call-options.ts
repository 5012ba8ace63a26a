/**
 * The options of the client and of one call, and the transport's interface: the generated
 * operations (./generated.ts) depend on these types only, so the errors can depend on the
 * generated problem codes without a cycle.
 */

export interface CallOptions {
  /**
   * For operations that take one. By default the client makes one per call and keeps it across
   * its retries; `revealOrder` derives a stable one from the order and the buyer instead, so a
   * call repeated after a lost answer gets the codes again (docs/client.md "Retries of a reveal").
   */
  readonly idempotencyKey?: string;
  readonly signal?: AbortSignal;
  /** This call's deadline per attempt, instead of the client's `timeoutMs`. */
  readonly timeoutMs?: number;
}

export interface ClientOptions {
  /** The vault's base URL, e.g. `http://127.0.0.1:3000` or the API Gateway URL. */
  readonly baseUrl: string;
  /** The tenant's API key (`cv_...`). */
  readonly apiKey: string;
  /** Retries of a `concurrent-update` 409 or a 503 (and of a lost connection or a timeout where safe); default 3. */
  readonly maxRetries?: number;
  /** The longest wait between tries, whatever `Retry-After` says (milliseconds); default 10 s. */
  readonly maxRetryDelayMs?: number;
  /**
   * The deadline of one attempt, from sending to the whole answer read (milliseconds); default
   * 30 s. Past it the attempt is abandoned (`CardVaultTimeoutError` once no retry is left).
   */
  readonly timeoutMs?: number;
  /** Another fetch (tests, proxies, instrumentation). */
  readonly fetch?: typeof fetch;
}

export interface OperationSpec {
  readonly method: string;
  readonly path: string;
  /** The operation takes an Idempotency-Key: the client sends one and may retry after a 503. */
  readonly idempotencyKey: boolean;
}

export interface ApiRequest {
  path?: Record<string, string>;
  query?: Record<string, unknown>;
  body?: unknown;
}

export interface Transport {
  send<T>(spec: OperationSpec, request: ApiRequest, options?: CallOptions): Promise<T>;
}
