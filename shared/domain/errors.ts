/**
 * Domain errors. Each carries a stable `code`; the HTTP layer maps codes to statuses
 * (shared/http/problem-types.ts) and nothing else needs to know about HTTP.
 * Messages never contain a card code.
 */
/** Every domain error's code, once: the HTTP problem table must map each (a missing one fails tsc). */
export const domainErrorCodes = [
  'validation',
  'not-found',
  'unknown-brand',
  'seller-suspended',
  'card-not-available',
  'out-of-stock',
  'self-purchase',
  'amount-mismatch',
  'order-expired',
  'already-paid',
  'payment-reference-reused',
  'invalid-state',
  'payment-not-cleared',
  'already-revealed',
  'redeliveries-exhausted',
  'code-already-redeemed',
  'not-revealed',
  'dispute-window-closed',
  'already-reported',
  'report-not-open',
  'idempotency-key-reused',
  'idempotency-key-missing',
  'idempotency-key-invalid',
  'unauthorized',
  'insufficient-scope',
  'ciphertext-rejected',
  'concurrent-update',
  'dependency-unavailable',
  'duplicate',
  'webhook-url-refused',
  'webhook-endpoint-limit',
  'deposit-budget-exhausted',
] as const;
export type DomainErrorCode = (typeof domainErrorCodes)[number];

export abstract class DomainError extends Error {
  abstract readonly code: DomainErrorCode;
  /** Extra, safe-to-publish fields for the problem document. */
  readonly details: Record<string, unknown>;

  /** Sent as `Retry-After` instead of the problem type's fixed one, when the wait is known. */
  retryAfterSeconds?: number;

  constructor(message: string, details: Record<string, unknown> = {}, options?: ErrorOptions) {
    super(message, options);
    this.details = details;
  }
}

function domainError(code: DomainErrorCode, name: string) {
  const cls = class extends DomainError {
    readonly code: DomainErrorCode = code;
  };
  Object.defineProperty(cls, 'name', { value: name });
  Object.defineProperty(cls.prototype, 'name', { value: name });
  return cls;
}

export class ValidationError extends domainError('validation', 'ValidationError') {}
export class NotFoundError extends domainError('not-found', 'NotFoundError') {}
export class UnknownBrandError extends domainError('unknown-brand', 'UnknownBrandError') {}
export class SellerSuspendedError extends domainError('seller-suspended', 'SellerSuspendedError') {}
export class CardNotAvailableError extends domainError('card-not-available', 'CardNotAvailableError') {}
export class OutOfStockError extends domainError('out-of-stock', 'OutOfStockError') {}
export class SelfPurchaseError extends domainError('self-purchase', 'SelfPurchaseError') {}
export class AmountMismatchError extends domainError('amount-mismatch', 'AmountMismatchError') {}
export class OrderExpiredError extends domainError('order-expired', 'OrderExpiredError') {}
export class AlreadyPaidError extends domainError('already-paid', 'AlreadyPaidError') {}
/** A payment reference already used for another order: one payment never pays two orders (F8). */
export class PaymentReferenceReusedError extends domainError(
  'payment-reference-reused',
  'PaymentReferenceReusedError',
) {}
export class InvalidStateError extends domainError('invalid-state', 'InvalidStateError') {}
export class PaymentNotClearedError extends domainError('payment-not-cleared', 'PaymentNotClearedError') {}
export class AlreadyRevealedError extends domainError('already-revealed', 'AlreadyRevealedError') {}
/** A hosted reveal link has shown the code again LINK_REDELIVERIES times: it shows it no more. */
export class RedeliveriesExhaustedError extends domainError(
  'redeliveries-exhausted',
  'RedeliveriesExhaustedError',
) {}
export class CodeAlreadyRedeemedError extends domainError(
  'code-already-redeemed',
  'CodeAlreadyRedeemedError',
) {}
export class NotRevealedError extends domainError('not-revealed', 'NotRevealedError') {}
export class DisputeWindowClosedError extends domainError(
  'dispute-window-closed',
  'DisputeWindowClosedError',
) {}
export class AlreadyReportedError extends domainError('already-reported', 'AlreadyReportedError') {}
/** Settling a report that is not an open escalation (settled already, or decided at once). */
export class ReportNotOpenError extends domainError('report-not-open', 'ReportNotOpenError') {}
export class IdempotencyKeyReusedError extends domainError(
  'idempotency-key-reused',
  'IdempotencyKeyReusedError',
) {}
export class IdempotencyKeyMissingError extends domainError(
  'idempotency-key-missing',
  'IdempotencyKeyMissingError',
) {}
/** An Idempotency-Key header that is present but not 1-255 visible ASCII characters. */
export class IdempotencyKeyInvalidError extends domainError(
  'idempotency-key-invalid',
  'IdempotencyKeyInvalidError',
) {}
export class UnauthorizedError extends domainError('unauthorized', 'UnauthorizedError') {}
/** A valid API key without the scope the call needs; `details.scope` names it. */
export class InsufficientScopeError extends domainError('insufficient-scope', 'InsufficientScopeError') {}
/** A ciphertext that does not open under the given context (moved, tampered or wrong key). */
export class CiphertextRejectedError extends domainError('ciphertext-rejected', 'CiphertextRejectedError') {}
/** A lost race on a conditional write that the caller may retry with fresh state. */
export class ConcurrentUpdateError extends domainError('concurrent-update', 'ConcurrentUpdateError') {}
/** A dependency (KMS, issuer) failed in a way the client cannot fix. */
export class DependencyUnavailableError extends domainError(
  'dependency-unavailable',
  'DependencyUnavailableError',
) {}
/**
 * A dependency answered, but not as its protocol says (an issuer's 4xx, a redirect, a malformed
 * answer): it is up and misbehaving, which a caller may treat more strictly than an outage.
 */
export class DependencyProtocolError extends DependencyUnavailableError {
  override readonly name = 'DependencyProtocolError';
}
/** The code's fingerprint is already taken by another card (F6). Internal: deposit reports it per card. */
export class DuplicateCardError extends domainError('duplicate', 'DuplicateCardError') {}
/** A webhook URL that is not https on a public address (issue 9): never a private or metadata address. */
export class WebhookUrlRefusedError extends domainError('webhook-url-refused', 'WebhookUrlRefusedError') {}
/** The tenant already has the most webhook endpoints allowed (`MAX_ENDPOINTS_PER_TENANT`). */
export class WebhookEndpointLimitError extends domainError(
  'webhook-endpoint-limit',
  'WebhookEndpointLimitError',
) {}
/**
 * The seller's budget of rejected codes is spent (deposit-budget.ts): no code is sent to the
 * issuer until `retryAfterSeconds` have passed, or, after the third lock in 7 days, until an
 * operator unlocks the seller.
 */
export class DepositBudgetExhaustedError extends domainError(
  'deposit-budget-exhausted',
  'DepositBudgetExhaustedError',
) {
  /** The refusal of a locked seller's deposit, with the lock's end and wait. */
  static of(lock: {
    lockedUntil?: string;
    operatorUnlockRequired: boolean;
    retryAfterSeconds: number;
  }): DepositBudgetExhaustedError {
    const error = new DepositBudgetExhaustedError(
      lock.operatorUnlockRequired
        ? "the seller's deposits are locked until an operator unlocks them"
        : "the seller's budget of rejected codes for the hour is spent",
      {
        ...(lock.lockedUntil !== undefined ? { lockedUntil: lock.lockedUntil } : {}),
        operatorUnlockRequired: lock.operatorUnlockRequired,
      },
    );
    error.retryAfterSeconds = lock.retryAfterSeconds;
    return error;
  }
}
