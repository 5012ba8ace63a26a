import { InvalidStateError } from './errors.js';
import { subtract } from './money.js';
import type { Order, OrderState, RefundDue, RefundReason } from './order.js';
import type { Actor, OrderEvent } from './order-event.js';
import {
  buildTransition,
  ledgerMove,
  moveCards,
  type OrderTransition,
  penaltyFor,
} from './order-transition.js';
import { activeStrikes, strikeSuspends } from './penalty-policy.js';
import type { SellerStanding } from './seller-standing.js';

/** A new, time-sortable audit event id for a change made at `at`. */
export type EventIdSource = (at: Date) => string;

/**
 * The order's state machine as pure builders: given the order as read, what the new order, its
 * cards, the seller's ledger, penalties and the audit event must become, all in one transaction.
 */
export class OrderTransitions {
  constructor(private readonly eventId: EventIdSource) {}

  event(
    order: Order,
    at: Date,
    type: string,
    actor: Actor,
    to?: OrderState,
    data?: Record<string, unknown>,
  ): OrderEvent {
    return {
      eventId: this.eventId(at),
      orderId: order.orderId,
      type,
      actor,
      ...(to && to !== order.state ? { from: order.state, to } : {}),
      at: at.toISOString(),
      ...(data ? { data } : {}),
    };
  }

  /** The first line of an order's trail: created, in `pending_payment`. */
  placed(order: Order, at: Date): OrderEvent {
    return {
      eventId: this.eventId(at),
      orderId: order.orderId,
      type: 'order.placed',
      actor: 'buyer',
      to: order.state,
      at: at.toISOString(),
      data: {
        quantity: order.quantity,
        amount: order.amount,
        cardIds: order.cards.map((c) => c.cardId),
        expiresAt: order.expiresAt,
      },
    };
  }

  /** The order as read, version bumped: a write that must not land on a changed order, and changes nothing else. */
  touch(order: Order, at: Date): OrderTransition {
    return buildTransition(order, order.state, order.state, at, { next: {}, events: [] });
  }

  /** Adds a payment that cannot apply to a transition: it stays on the order as a refund due, never lost. */
  withRefundDue(t: OrderTransition, entry: RefundDue, at: Date): OrderTransition {
    return {
      ...t,
      next: { ...t.next, refundsDue: [...t.next.refundsDue, entry] },
      events: [
        ...t.events,
        this.event(t.order, at, 'payment.refund_due', 'marketplace', undefined, { ...entry }),
      ],
    };
  }

  /**
   * Guards a transition's strikes with the seller as read (undefined: never seen, active with
   * none). The strike that reaches the limit also suspends the seller, on the order's trail.
   */
  strike(t: OrderTransition, seller: SellerStanding | undefined): OrderTransition {
    if (t.penalties.length === 0) return t;
    const { sellerId } = t.order;
    const asRead: Pick<SellerStanding, 'status' | 'strikeTimes' | 'reinstatedAt'> = seller ?? {
      status: 'active',
      strikeTimes: [],
    };
    const at = new Date(t.at);
    const newStrikes = t.penalties.map((p) => p.at);
    const guard = { sellerId, status: asRead.status, strikeCount: asRead.strikeTimes.length };
    if (!strikeSuspends(asRead, newStrikes, at)) return { ...t, strikeGuard: guard };
    const data = {
      sellerId,
      strikes: activeStrikes([...asRead.strikeTimes, ...newStrikes], at, asRead.reinstatedAt),
      orderId: t.order.orderId,
    };
    const event = this.event(t.order, at, 'seller.suspended', 'vault', undefined, data);
    const suspension = {
      eventId: event.eventId,
      sellerId,
      type: 'seller.suspended' as const,
      by: 'vault',
      at: t.at,
      data,
    };
    return { ...t, strikeGuard: { ...guard, suspension }, events: [...t.events, event] };
  }

  /** pending_payment -> expired | cancelled: the reserved cards go back on sale. */
  closeUnpaid(
    order: Order,
    to: 'expired' | 'cancelled',
    actor: Actor,
    at: Date,
    reason?: string,
  ): OrderTransition {
    const type = to === 'expired' ? 'order.expired' : 'order.cancelled';
    return buildTransition(order, 'pending_payment', to, at, {
      next: { closedAt: at.toISOString() },
      cards: moveCards(order, 'reserved', 'available', false),
      events: [this.event(order, at, type, actor, to, reason ? { reason } : undefined)],
    });
  }

  /**
   * pending_payment -> paid: the price is held in escrow for the seller, if the seller is
   * still active. The cards stay reserved, no longer on a payment clock.
   */
  markPaid(order: Order, paymentRef: string, at: Date): OrderTransition {
    return buildTransition(order, 'pending_payment', 'paid', at, {
      next: { paidAt: at.toISOString(), paymentRef },
      cards: moveCards(order, 'reserved', 'reserved', true),
      requireActiveSeller: true,
      ledger: [ledgerMove(order, 'sale_held', 'paid', order.amount.amount, 0)],
      events: [
        this.event(order, at, 'payment.received', 'marketplace', 'paid', {
          paymentRef,
          amount: order.amount,
        }),
      ],
    });
  }

  /** paid -> revealed: the cards are sold and the dispute window opens. */
  reveal(order: Order, keyHash: string, at: Date, disputeWindowSeconds: number): OrderTransition {
    const disputeDeadline = new Date(at.getTime() + disputeWindowSeconds * 1000).toISOString();
    return buildTransition(order, 'paid', 'revealed', at, {
      next: { revealedAt: at.toISOString(), revealKeyHash: keyHash, disputeDeadline },
      cards: moveCards(order, 'reserved', 'sold', true),
      // A suspended seller's paid orders are refunded, never delivered.
      requireActiveSeller: true,
      events: [
        this.event(order, at, 'order.revealed', 'buyer', 'revealed', {
          cardIds: order.cards.map((c) => c.cardId),
          disputeDeadline,
        }),
      ],
    });
  }

  /**
   * paid -> refunded before the buyer saw anything: dead codes found by the pre-reveal
   * re-check (each one a penalty, F7) or the seller's suspension (no penalty). Dead cards are
   * void; the others go back on sale (a suspended seller's stock stays frozen by its status).
   */
  refundPaid(
    order: Order,
    at: Date,
    actor: Actor,
    reason: RefundReason,
    deadCardIds: readonly string[],
  ): OrderTransition {
    return buildTransition(order, 'paid', 'refunded', at, {
      next: { refunded: order.amount, refundReason: reason, closedAt: at.toISOString() },
      cards: order.cards.map((c) => ({
        listingId: order.listingId,
        cardId: c.cardId,
        from: 'reserved' as const,
        to: deadCardIds.includes(c.cardId) ? ('void' as const) : ('available' as const),
        linked: false,
      })),
      ledger: [ledgerMove(order, 'refund', 'refund', -order.amount.amount, 0)],
      penalties: deadCardIds.map((cardId) => penaltyFor(order, cardId, at)),
      events: [
        this.event(order, at, 'order.refunded', actor, 'refunded', {
          reason,
          refund: order.amount,
          deadCardIds,
        }),
      ],
    });
  }

  /** An upheld report on one revealed card: its price back to the buyer, a penalty to the seller. */
  refundReportedCard(order: Order, cardId: string, reportId: string, at: Date): OrderTransition {
    const reported = order.cards.find((c) => c.cardId === cardId);
    if (!reported || reported.refunded) {
      throw new InvalidStateError('the card is not an unrefunded card of this order', { cardId });
    }
    const cards = order.cards.map((c) => (c.cardId === cardId ? { ...c, refunded: true } : c));
    const allRefunded = cards.every((c) => c.refunded);
    const refunded = { ...order.refunded, amount: order.refunded.amount + order.unitPrice.amount };
    return buildTransition(order, 'revealed', allRefunded ? 'refunded' : 'revealed', at, {
      next: { cards, refunded, ...(allRefunded ? { closedAt: at.toISOString() } : {}) },
      cards: [{ listingId: order.listingId, cardId, from: 'sold', to: 'refunded', linked: true }],
      ledger: [ledgerMove(order, 'refund', `refund#${cardId}`, -order.unitPrice.amount, 0)],
      penalties: [penaltyFor(order, cardId, at, reportId)],
      events: allRefunded ? [this.event(order, at, 'order.refunded', 'vault', 'refunded', { reportId })] : [],
    });
  }

  /**
   * A report that refunds nothing still changes the order: it is written on the order's
   * version, so it cannot land on an order released meanwhile; an escalated one holds the
   * release until it is settled.
   */
  noteReport(order: Order, at: Date, escalated: boolean): OrderTransition {
    return buildTransition(order, 'revealed', 'revealed', at, {
      next: escalated ? { openReports: (order.openReports ?? 0) + 1 } : {},
      events: [],
    });
  }

  /** revealed -> released: what was not refunded moves from held to available. */
  release(order: Order, at: Date, actor: Actor): OrderTransition {
    if ((order.openReports ?? 0) > 0) {
      throw new InvalidStateError('a report on this order is under review; the money stays in escrow', {
        openReports: order.openReports,
      });
    }
    const payout = subtract(order.amount, order.refunded).amount;
    return buildTransition(order, 'revealed', 'released', at, {
      next: { releasedAt: at.toISOString(), closedAt: at.toISOString() },
      ledger: [ledgerMove(order, 'release', 'release', -payout, payout)],
      events: [
        this.event(order, at, 'order.released', actor, 'released', {
          payout: { ...order.amount, amount: payout },
        }),
      ],
    });
  }
}
