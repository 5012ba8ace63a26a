import { InvalidStateError } from './errors.js';
import type { AnswerSignature } from './issuer-answer.js';
import type { RecordedIssuerState } from './issuer-check.js';
import type { Money } from './money.js';

/**
 * Cards per order. A dead-code refund touches every card, a penalty and a fine line per dead
 * card (4 + 3n items) and must fit one DynamoDB transaction (100 items).
 */
export const MAX_CARDS_PER_ORDER = 20;

export const orderStates = [
  'pending_payment',
  'paid',
  'revealed',
  'released',
  'expired',
  'cancelled',
  'refunded',
] as const;
export type OrderState = (typeof orderStates)[number];

export interface OrderCard {
  readonly cardId: string;
  readonly last4: string;
  /** Set once a report on this card was upheld and its price refunded. */
  readonly refunded?: boolean;
  /**
   * Evidence of the re-check before reveal: what the issuer said (`active` = the re-check
   * confirmed the card; `unreachable` = revealed anyway under `best-effort`; a dead state =
   * refunded instead). Absent when no re-check ran (`off`, or an unknown brand).
   */
  readonly issuerStateAtReveal?: RecordedIssuerState;
  /** The balance the issuer gave at that re-check, if it gave one: a report compares against it. */
  readonly balanceAtReveal?: Money;
  /** The issuer's signature over that re-check's answer, when its brand signs answers. */
  readonly answerSignatureAtReveal?: AnswerSignature;
}

/** Why a payment could not be applied to its order. */
export const refundDueReasons = [
  'order_expired',
  'order_cancelled',
  'duplicate_payment',
  'order_not_payable',
  'amount_mismatch',
] as const;
export type RefundDueReason = (typeof refundDueReasons)[number];

/** A payment the vault received but could not apply: it is owed back to the buyer. */
export interface RefundDue {
  readonly paymentRef: string;
  readonly amount: Money;
  readonly reason: RefundDueReason;
  readonly recordedAt: string;
}

/** Why a paid order was refunded before reveal: its codes were found dead, or its seller was suspended. */
export const refundReasons = ['code_dead_before_reveal', 'seller_suspended'] as const;
export type RefundReason = (typeof refundReasons)[number];

export interface Order {
  readonly tenantId: string;
  readonly orderId: string;
  readonly listingId: string;
  readonly sellerId: string;
  readonly buyerId: string;
  readonly brand: string;
  readonly quantity: number;
  readonly unitPrice: Money;
  /** The listing's face value at placement (listings never change it): the reveal re-check compares against it without reading the listing. Absent on orders placed before it was kept. */
  readonly faceValue?: Money;
  readonly amount: Money;
  readonly state: OrderState;
  readonly cards: readonly OrderCard[];
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly paidAt?: string;
  readonly paymentRef?: string;
  readonly revealedAt?: string;
  /**
   * A paid order not revealed is re-checked with the issuer from then on (paidAt +
   * REVEAL_DEADLINE_SECONDS, moved by the backoff while the issuer does not answer).
   */
  readonly recheckAt?: string;
  /** Re-checks the issuer left unanswered so far. */
  readonly recheckAttempts?: number;
  /** SHA-256 of the Idempotency-Key that won the reveal; a retry with it may decrypt again. */
  readonly revealKeyHash?: string;
  readonly disputeDeadline?: string;
  readonly releasedAt?: string;
  readonly closedAt?: string;
  readonly refundReason?: RefundReason;
  /** Reports escalated for review and not yet settled: the money is not released while any is open. */
  readonly openReports?: number;
  /**
   * Its dispute window closed while the seller was under review: the money stays in escrow, off
   * the due index, until the review closes (seller-review-service.ts lifts the hold).
   */
  readonly releaseHeld?: boolean;
  /** Sum refunded to the buyer through upheld reports or refunds. */
  readonly refunded: Money;
  readonly refundsDue: readonly RefundDue[];
  /**
   * The `hash` of the trail's last event, written with it in one transaction: removing or
   * rewriting the trail's end shows against it. Absent on orders placed before the chain.
   */
  readonly trailHead?: string;
  readonly version: number;
}

const orderTransitions: Record<OrderState, readonly OrderState[]> = {
  pending_payment: ['paid', 'expired', 'cancelled'],
  // paid -> refunded: the pre-reveal re-check found a dead code, or the seller was suspended.
  // paid -> released: never revealed by its reveal deadline, the code still live; the seller is
  // paid and the code stays sealed for the buyer.
  paid: ['revealed', 'refunded', 'released'],
  // revealed -> refunded: every card of the order was reported and upheld.
  revealed: ['released', 'refunded'],
  // released -> refunded: released unrevealed, then found dead at the buyer's late reveal, or
  // every card of a late reveal reported and upheld (see `releasedBeforeReveal`).
  released: ['refunded'],
  expired: [],
  cancelled: [],
  refunded: [],
};

export function canTransitionOrder(from: OrderState, to: OrderState): boolean {
  return orderTransitions[from].includes(to);
}

export function assertOrderTransition(from: OrderState, to: OrderState): void {
  if (!canTransitionOrder(from, to)) {
    throw new InvalidStateError(`order cannot go from ${from} to ${to}`, { from, to });
  }
}

/** Whether the re-check before reveal confirmed this card live (the report table's `revealSucceeded`). */
export function revealCheckConfirmed(card: Pick<OrderCard, 'issuerStateAtReveal'>): boolean {
  return card.issuerStateAtReveal === 'active';
}

/** Released at its reveal deadline and never revealed since: the buyer may still reveal it. */
export function isReleasedUnrevealed(order: Pick<Order, 'state' | 'revealedAt'>): boolean {
  return order.state === 'released' && order.revealedAt === undefined;
}

/**
 * Released at its reveal deadline, then revealed late: its dispute window runs after the payout,
 * so an upheld report is refunded from the seller's available balance instead of escrow.
 */
export function releasedBeforeReveal(order: Pick<Order, 'state' | 'revealedAt' | 'releasedAt'>): boolean {
  return (
    order.state === 'released' &&
    order.revealedAt !== undefined &&
    order.releasedAt !== undefined &&
    Date.parse(order.releasedAt) <= Date.parse(order.revealedAt)
  );
}

/** The transition that time alone makes due on this order, if any. */
export function dueTransition(order: Order, now: Date): 'expire' | 'release' | undefined {
  const dueAt = nextDueAt(order);
  if (dueAt === undefined || Date.parse(dueAt) > now.getTime()) return undefined;
  return order.state === 'pending_payment' ? 'expire' : 'release';
}

/**
 * When the recheck job (which may open codes) should next look at this order: a paid order
 * never revealed, from its reveal deadline on.
 */
export function nextRecheckAt(order: Pick<Order, 'state' | 'revealedAt' | 'recheckAt'>): string | undefined {
  return order.state === 'paid' && order.revealedAt === undefined ? order.recheckAt : undefined;
}

/** When the sweeper should next look at this order, or undefined if time changes nothing. */
export function nextDueAt(
  order: Pick<Order, 'state' | 'expiresAt' | 'disputeDeadline' | 'openReports' | 'releaseHeld'>,
): string | undefined {
  if (order.state === 'pending_payment') return order.expiresAt;
  // An escalated report, or the seller's review, holds the release; time alone changes nothing then.
  if (order.state === 'revealed' && (order.openReports ?? 0) === 0 && order.releaseHeld !== true)
    return order.disputeDeadline;
  return undefined;
}
