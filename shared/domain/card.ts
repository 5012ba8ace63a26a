import type { DepositReason } from './deposit-outcome.js';
import { InvalidStateError } from './errors.js';
import type { AnswerSignature } from './issuer-answer.js';
import type { RecordedIssuerState } from './issuer-check.js';
import type { Money } from './money.js';

export const cardStates = [
  'pending_validation',
  'available',
  'reserved',
  'sold',
  'refunded',
  'withdrawn',
  'void',
] as const;
export type CardState = (typeof cardStates)[number];

/** What the issuer said about a code, and when. Never the code itself. */
export interface CardValidation {
  readonly issuerState: RecordedIssuerState;
  readonly balance?: Money;
  readonly redeemedAt?: string;
  readonly checkedAt: string;
  /** The issuer's signature over its answer, when its brand signs answers: proof of the above. */
  readonly answerSignature?: AnswerSignature;
}

export interface Card {
  readonly tenantId: string;
  readonly cardId: string;
  readonly listingId: string;
  readonly sellerId: string;
  readonly state: CardState;
  readonly last4: string;
  /** Opaque ciphertext (base64) bound to `{ tenantId, cardId }`. */
  readonly ciphertext: string;
  /** Keyed HMAC of the normalized code, unique across the deployment. */
  readonly fingerprint: string;
  readonly validation: CardValidation;
  readonly orderId?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

const cardTransitions: Record<CardState, readonly CardState[]> = {
  // A pending card becomes sellable once the issuer answers, or void if the code is dead.
  pending_validation: ['available', 'void', 'withdrawn'],
  available: ['reserved', 'withdrawn', 'void'],
  // Reserved cards go back to available when the order expires, is cancelled or refunded unrevealed;
  // a reserved card the pre-reveal re-check finds dead is void.
  reserved: ['available', 'sold', 'refunded', 'void'],
  sold: ['refunded'],
  refunded: [],
  withdrawn: [],
  void: [],
};

export function canTransitionCard(from: CardState, to: CardState): boolean {
  return cardTransitions[from].includes(to);
}

export function assertCardTransition(from: CardState, to: CardState): void {
  if (!canTransitionCard(from, to)) {
    throw new InvalidStateError(`card cannot go from ${from} to ${to}`, { from, to });
  }
}

/** A withdrawn card frees its fingerprint only if it was never sold. */
export function fingerprintFreedOnWithdraw(state: CardState): boolean {
  return state === 'available' || state === 'pending_validation';
}

/**
 * A pending card's deposit settled after the issuer answered at last: the webhook
 * `card.deposit_settled`, read off the card's own stream record (no write of its own).
 */
export interface DepositSettlement {
  /** A time-sortable `evt_` id, the webhook event's id. */
  readonly eventId: string;
  readonly outcome: 'accepted' | 'rejected';
  /** Why it was refused (`already_redeemed`, `invalid_code`, `value_mismatch`); none when accepted. */
  readonly reason?: DepositReason;
  readonly at: string;
}
