import type { DomainErrorCode } from '../domain/errors.js';

/**
 * The one table from problem code to HTTP status and title. Domain errors carry the code;
 * only this layer knows HTTP. The problem `type` is `${PROBLEM_BASE}<code>` (RFC 9457).
 */
export const PROBLEM_BASE = 'https://card-vault.example/problems/';

/** Codes only the HTTP layer raises: body parsing and limits, and the catch-all fault. */
export const httpProblemCodes = [
  'malformed-json',
  'payload-too-large',
  'unsupported-media-type',
  'malformed-request',
  'request-timeout',
  'headers-too-large',
  'rate-limited',
  'internal',
] as const;

export type ProblemCode = DomainErrorCode | (typeof httpProblemCodes)[number];

export interface ProblemType {
  readonly status: number;
  readonly title: string;
  /**
   * A fault inside the vault, not something the client did or can retry: logged with its
   * cause and answered as a bare `internal` problem, so its code and message stay inside.
   */
  readonly internal?: true;
  /**
   * Sent as `Retry-After` (seconds): the answer is transient and the same request, with the
   * same Idempotency-Key, may be sent again after that long (RFC 9110 section 10.2.3).
   */
  readonly retryAfterSeconds?: number;
  /** Sent with a `Retry-After` of its own, computed by the code that refuses (a bucket's refill). */
  readonly retryAfterVaries?: true;
}

export const problemTypes = {
  validation: { status: 400, title: 'The request is not valid' },
  'malformed-json': { status: 400, title: 'The request body is not valid JSON' },
  // Node's HTTP parser refused the request (bad request line, duplicate Content-Length...).
  'malformed-request': { status: 400, title: 'The request is not valid HTTP' },
  'idempotency-key-missing': { status: 400, title: 'An Idempotency-Key header is required' },
  'idempotency-key-invalid': { status: 400, title: 'The Idempotency-Key header is not valid' },
  unauthorized: { status: 401, title: 'Missing or invalid API key' },
  'insufficient-scope': { status: 403, title: 'The API key lacks the scope this call needs' },
  'not-found': { status: 404, title: 'Not found' },
  'seller-suspended': { status: 409, title: 'The seller is suspended' },
  'card-not-available': { status: 409, title: 'The card is not available' },
  'out-of-stock': { status: 409, title: 'Out of stock' },
  'order-expired': { status: 409, title: 'The order has expired' },
  'already-paid': { status: 409, title: 'The order is already paid' },
  'payment-reference-reused': { status: 409, title: 'The payment reference belongs to another order' },
  'invalid-state': { status: 409, title: 'The order or seller is not in a state that allows this' },
  'payment-not-cleared': { status: 409, title: 'Payment has not cleared' },
  'already-revealed': { status: 409, title: 'The code was already revealed' },
  // 409, not 429: waiting does not help, the link's count of re-deliveries is spent for good.
  'redeliveries-exhausted': { status: 409, title: 'This link has shown the code again as often as it may' },
  'code-already-redeemed': { status: 409, title: 'The code was already redeemed; the order is refunded' },
  'not-revealed': { status: 409, title: 'Nothing was revealed on this order' },
  'dispute-window-closed': { status: 409, title: 'The dispute window is closed' },
  'already-reported': { status: 409, title: 'This card was already reported' },
  'report-not-open': { status: 409, title: 'The report is not an open escalation' },
  'webhook-endpoint-limit': { status: 409, title: 'The tenant has the most webhook endpoints allowed' },
  // The vault already retried 8 lost races with backoff; a second later the contention is gone.
  'concurrent-update': {
    status: 409,
    title: 'The resource changed concurrently; retry',
    retryAfterSeconds: 1,
  },
  // Deposit turns it into a per-card `duplicate` result; should it ever escape, it is the
  // client's conflict (the code is already in the vault), and its message names no code.
  duplicate: { status: 409, title: 'The code is already in the vault' },
  // The wait is the lock's own (the error's `retryAfterSeconds`); an hour is the fallback.
  'deposit-budget-exhausted': {
    status: 429,
    title: "The seller's budget of rejected codes is spent; retry later",
    retryAfterSeconds: 3600,
  },
  'request-timeout': { status: 408, title: 'The request was not received in time' },
  'payload-too-large': { status: 413, title: 'The request body is too large' },
  'unsupported-media-type': { status: 415, title: 'The request body must be application/json' },
  // Retry-After is the bucket's own (the seconds until a token is back), set with the headers.
  'rate-limited': {
    status: 429,
    title: 'Too many requests; retry after the time given',
    retryAfterVaries: true,
  },
  'headers-too-large': { status: 431, title: 'The request headers are too large' },
  'unknown-brand': { status: 422, title: 'Unknown brand' },
  'self-purchase': { status: 422, title: 'A seller cannot buy their own listing' },
  'amount-mismatch': { status: 422, title: 'The payment amount does not match the order' },
  'webhook-url-refused': { status: 422, title: 'The webhook URL is not allowed' },
  'idempotency-key-reused': { status: 422, title: 'The Idempotency-Key was used with another request' },
  // Long enough for the SDK's and the issuer circuit's own retries to have played out.
  'dependency-unavailable': {
    status: 503,
    title: 'A dependency is unavailable; retry later',
    retryAfterSeconds: 5,
  },
  // A stored ciphertext that does not open is an integrity fault (moved, tampered, wrong key):
  // nothing the client can fix or should learn about, so it answers as `internal`, deliberately.
  'ciphertext-rejected': { status: 500, title: 'Internal error', internal: true },
  internal: { status: 500, title: 'Internal error' },
} satisfies Record<ProblemCode, ProblemType>;
