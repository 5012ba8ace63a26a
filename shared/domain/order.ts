import { InvalidStateError } from './errors.js';
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
  readonly amount: Money;
  readonly state: OrderState;
  readonly cards: readonly OrderCard[];
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly paidAt?: string;
  readonly paymentRef?: string;
  readonly revealedAt?: string;
  /** SHA-256 of the Idempotency-Key that won the reveal; a retry with it may decrypt again. */
  readonly revealKeyHash?: string;
  readonly disputeDeadline?: string;
  readonly releasedAt?: string;
  readonly closedAt?: string;
  readonly refundReason?: RefundReason;
  /** Reports escalated for review and not yet settled: the money is not released while any is open. */
  readonly openReports?: number;
  /** Sum refunded to the buyer through upheld reports or refunds. */
  readonly refunded: Money;
  readonly refundsDue: readonly RefundDue[];
  readonly version: number;
}

const orderTransitions: Record<OrderState, readonly OrderState[]> = {
  pending_payment: ['paid', 'expired', 'cancelled'],
  // paid -> refunded: the pre-reveal re-check found a dead code, or the seller was suspended.
  paid: ['revealed', 'refunded'],
  // revealed -> refunded: every card of the order was reported and upheld.
  revealed: ['released', 'refunded'],
  released: [],
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

/** The transition that time alone makes due on this order, if any. */
export function dueTransition(order: Order, now: Date): 'expire' | 'release' | undefined {
  if (order.state === 'pending_payment' && Date.parse(order.expiresAt) <= now.getTime()) return 'expire';
  if (
    order.state === 'revealed' &&
    (order.openReports ?? 0) === 0 &&
    order.disputeDeadline !== undefined &&
    Date.parse(order.disputeDeadline) <= now.getTime()
  ) {
    return 'release';
  }
  return undefined;
}

/** When the sweeper should next look at this order, or undefined if time changes nothing. */
export function nextDueAt(
  order: Pick<Order, 'state' | 'expiresAt' | 'disputeDeadline' | 'openReports'>,
): string | undefined {
  if (order.state === 'pending_payment') return order.expiresAt;
  // An escalated report holds the release until it is settled; time alone changes nothing then.
  if (order.state === 'revealed' && (order.openReports ?? 0) === 0) return order.disputeDeadline;
  return undefined;
}
