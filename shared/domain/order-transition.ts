import type { CardState } from './card.js';
import { InvalidStateError } from './errors.js';
import type { AnswerSignature } from './issuer-answer.js';
import type { RecordedIssuerState } from './issuer-check.js';
import type { Money } from './money.js';
import { assertOrderTransition, type Order, type OrderCard, type OrderState } from './order.js';
import type { OrderEvent } from './order-event.js';
import { fineFor } from './penalty-policy.js';
import type { Penalty, SellerEvent, SellerStatus } from './seller-standing.js';

/** A signed change to one seller's balances, booked once per order (its id is deterministic). */
export interface LedgerMove {
  readonly sellerId: string;
  readonly currency: string;
  /** Signed minor-unit changes to the seller's balances. */
  readonly held: number;
  readonly available: number;
  readonly entryId: string;
  readonly kind: 'sale_held' | 'refund' | 'release' | 'fine';
  readonly orderId: string;
}

/** One card of the order changing state, with its condition (`from`). */
export interface CardMove {
  readonly listingId: string;
  readonly cardId: string;
  readonly from: CardState;
  readonly to: CardState;
  /** Keep (true) or clear (false) the card's link to this order. */
  readonly linked: boolean;
}

/** A penalty as a transition writes it: every new one carries its webhook event id. */
export type SellerPenalty = Penalty & { readonly sellerId: string; readonly eventId: string };

/**
 * The seller as read by a transition that strikes: it commits only while the seller is still
 * so (same status, same number of strikes), so two concurrent strikes cannot both count from
 * the same reading and slip past the limit. `suspension`: this strike reaches the limit, and
 * the seller is suspended in the same transaction, with the seller's own event.
 */
export interface StrikeGuard {
  readonly sellerId: string;
  readonly status: SellerStatus;
  readonly strikeCount: number;
  readonly suspension?: SellerEvent;
}

/**
 * One change of an order's state, with everything that must change with it atomically: what
 * the domain decides and the order store persists in one transaction.
 */
export interface OrderTransition {
  /** When the change happens (the clock's now). */
  readonly at: string;
  readonly order: Order;
  /** The state the order must still be in (the condition). */
  readonly expectedState: OrderState;
  readonly next: Order;
  readonly cards: readonly CardMove[];
  readonly ledger: readonly LedgerMove[];
  readonly penalties: readonly SellerPenalty[];
  /** The seller must still be active when this commits (payment and reveal); a lost check is a conflict. */
  readonly requireActiveSeller?: boolean;
  /** A refund by the escalation deadline default: counted on the seller's `unprovenRefunds`, no strike. */
  readonly unprovenRefund?: boolean;
  /**
   * The seller's review as this must find it when it commits: `none` for the release at the end
   * of a dispute window, `open` for holding that release. A review opened or closed meanwhile
   * makes the write a conflict, and the runner decides again.
   */
  readonly sellerReview?: 'open' | 'none';
  /** Set on every transition with penalties before it is written (see `OrderTransitions.strike`). */
  readonly strikeGuard?: StrikeGuard;
  readonly events: readonly OrderEvent[];
}

export interface TransitionParts {
  readonly next: Partial<Order>;
  readonly cards?: readonly CardMove[];
  readonly ledger?: readonly LedgerMove[];
  readonly penalties?: readonly SellerPenalty[];
  readonly requireActiveSeller?: boolean;
  readonly unprovenRefund?: boolean;
  readonly sellerReview?: 'open' | 'none';
  readonly events: readonly OrderEvent[];
}

/** Every transition names the state it starts from: it never applies to an order in another state. */
export function buildTransition(
  order: Order,
  from: OrderState,
  to: OrderState,
  at: Date,
  parts: TransitionParts,
): OrderTransition {
  if (order.state !== from) {
    throw new InvalidStateError(`expected a ${from} order, got ${order.state}`, { from: order.state, to });
  }
  if (to !== from) assertOrderTransition(from, to);
  const penalties = parts.penalties ?? [];
  // Each fine is its own ledger line, beside the refund it comes with.
  const fines = penalties.map((p) => ledgerMove(order, 'fine', `fine#${p.cardId}`, 0, -p.fine.amount));
  return {
    at: at.toISOString(),
    order,
    expectedState: order.state,
    next: { ...order, ...parts.next, state: to, version: order.version + 1 },
    cards: parts.cards ?? [],
    ledger: [...(parts.ledger ?? []), ...fines],
    penalties,
    ...(parts.requireActiveSeller ? { requireActiveSeller: true } : {}),
    ...(parts.unprovenRefund ? { unprovenRefund: true } : {}),
    ...(parts.sellerReview ? { sellerReview: parts.sellerReview } : {}),
    events: parts.events,
  };
}

/** What the re-check before reveal found for one card, kept on the order's card as evidence. */
export interface RevealCheck {
  readonly cardId: string;
  readonly issuerState: RecordedIssuerState;
  readonly balance?: Money;
  readonly signature?: AnswerSignature;
}

/** The order's cards with the re-check's evidence; a card the re-check did not reach keeps none. */
export function withRevealEvidence(order: Order, checks: readonly RevealCheck[]): OrderCard[] {
  return order.cards.map((c) => {
    const check = checks.find((k) => k.cardId === c.cardId);
    if (!check) return c;
    return {
      ...c,
      issuerStateAtReveal: check.issuerState,
      ...(check.balance ? { balanceAtReveal: check.balance } : {}),
      ...(check.signature ? { answerSignatureAtReveal: check.signature } : {}),
    };
  });
}

/** Every card of the order, from one state to another. */
export function moveCards(order: Order, from: CardState, to: CardState, linked: boolean): CardMove[] {
  return order.cards.map((c) => ({ listingId: order.listingId, cardId: c.cardId, from, to, linked }));
}

export function ledgerMove(
  order: Order,
  kind: LedgerMove['kind'],
  suffix: string,
  held: number,
  available: number,
): LedgerMove {
  // Deterministic ids: the same move can never be booked twice for one order.
  return {
    sellerId: order.sellerId,
    currency: order.amount.currency,
    held,
    available,
    entryId: `${order.orderId}#${suffix}`,
    kind,
    orderId: order.orderId,
  };
}

/**
 * A strike and a fine for one dead card; without a report, the vault's own issuer check found it.
 * `eventId` is the `seller.penalised` webhook's id, read off the penalty's own stream record.
 */
export function penaltyFor(
  order: Order,
  cardId: string,
  at: Date,
  eventId: string,
  reportId?: string,
): SellerPenalty {
  return {
    penaltyId: `${order.orderId}#${cardId}`,
    eventId,
    sellerId: order.sellerId,
    orderId: order.orderId,
    ...(reportId !== undefined && { reportId }),
    cardId,
    fine: fineFor(order.unitPrice),
    at: at.toISOString(),
  };
}
