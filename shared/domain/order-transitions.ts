import { InvalidStateError } from './errors.js';
import type { RevealChannel } from './link.js';
import { type Money, subtract } from './money.js';
import {
  isReleasedUnrevealed,
  type Order,
  type OrderState,
  type RefundDue,
  type RefundReason,
  releasedBeforeReveal,
} from './order.js';
import type { Actor, OrderEvent } from './order-event.js';
import {
  buildTransition,
  ledgerMove,
  moveCards,
  type OrderTransition,
  penaltyFor,
  type RevealCheck,
  withRevealEvidence,
} from './order-transition.js';
import { activeStrikes, strikeSuspends } from './penalty-policy.js';
import { revealDeadlineOf } from './reveal-deadline.js';
import type { SellerStanding } from './seller-standing.js';
import { nextSortableId } from './sortable-id.js';
import type { TrailType } from './trail-type.js';
import { defaultSettings, type VaultSettings } from './vault-settings.js';

/** What a reveal needs besides the order and the time. */
export interface RevealParts {
  /** SHA-256 of the Idempotency-Key that wins the reveal. */
  readonly keyHash: string;
  readonly disputeWindowSeconds: number;
  /** The re-check's evidence, kept on the order's cards. */
  readonly checks?: readonly RevealCheck[];
  readonly channel?: RevealChannel;
  /** The salted digest of who revealed (`buyer-context.ts`): the context itself is kept apart, and erased. */
  readonly buyerContextDigest?: string;
}

/** Why and by whom an order is refunded before the buyer saw anything. */
export interface RefundParts {
  readonly actor: Actor;
  readonly reason: RefundReason;
  /** Cards found dead: voided, a penalty each. */
  readonly deadCardIds?: readonly string[];
  readonly checks?: readonly RevealCheck[];
}

/** A new, time-sortable audit event id for a change made at `at`. */
export type EventIdSource = (at: Date) => string;

/**
 * The order's state machine as pure builders: given the order as read, what the new order, its
 * cards, the seller's ledger, penalties and the audit event must become, all in one transaction.
 */
export class OrderTransitions {
  constructor(
    private readonly eventId: EventIdSource,
    private readonly settings: Pick<VaultSettings, 'revealDeadlineSeconds'> = defaultSettings,
  ) {}

  event(
    order: Order,
    at: Date,
    type: TrailType,
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
    // Just after the penalties that caused it, so a receiver hears of them first (same millisecond).
    const after =
      t.penalties
        .map((p) => p.eventId)
        .sort()
        .at(-1) ?? '';
    const drawn = this.event(t.order, at, 'seller.suspended', 'vault', undefined, data);
    const event = drawn.eventId < after ? { ...drawn, eventId: nextSortableId(after) } : drawn;
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
      next: {
        paidAt: at.toISOString(),
        paymentRef,
        recheckAt: revealDeadlineOf(at.toISOString(), this.settings.revealDeadlineSeconds),
      },
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

  /**
   * The buyer sees the codes: the cards are sold and the dispute window opens. From `paid`; or,
   * for an order released unrevealed at its reveal deadline (the money already the seller's), a
   * late reveal that leaves it `released` (an upheld report is then refunded from available).
   */
  reveal(order: Order, at: Date, r: RevealParts): OrderTransition {
    const late = isReleasedUnrevealed(order);
    const from: OrderState = late ? 'released' : 'paid';
    const disputeDeadline = new Date(at.getTime() + r.disputeWindowSeconds * 1000).toISOString();
    return buildTransition(order, from, late ? 'released' : 'revealed', at, {
      next: {
        revealedAt: at.toISOString(),
        revealKeyHash: r.keyHash,
        disputeDeadline,
        cards: withRevealEvidence(order, r.checks ?? []),
      },
      cards: moveCards(order, 'reserved', 'sold', true),
      // A suspended seller's paid orders are refunded, never delivered.
      requireActiveSeller: true,
      events: [
        this.event(order, at, 'order.revealed', 'buyer', late ? 'released' : 'revealed', {
          cardIds: order.cards.map((c) => c.cardId),
          disputeDeadline,
          channel: r.channel ?? 'api',
          ...(late ? { afterRelease: true } : {}),
          ...(r.buyerContextDigest !== undefined ? { buyerContextDigest: r.buyerContextDigest } : {}),
        }),
      ],
    });
  }

  /**
   * A same-key retry given the code again: an audit line only. It is appended on its own (no
   * order write), so it never bumps the order's version or races a report or a release.
   */
  redelivered(
    order: Order,
    at: Date,
    channel: RevealChannel = 'api',
    buyerContextDigest?: string,
  ): OrderEvent {
    return this.event(order, at, 'order.redelivered', 'buyer', undefined, {
      cardIds: order.cards.map((c) => c.cardId),
      channel,
      ...(buyerContextDigest !== undefined ? { buyerContextDigest } : {}),
    });
  }

  /**
   * A PIN reveal link locked by its last wrong PIN: an audit line (and the `link.locked` webhook),
   * appended on its own like a re-delivery. It names the link, never the PIN tried.
   */
  linkLocked(order: Order, at: Date, linkId: string): OrderEvent {
    return this.event(order, at, 'link.locked', 'vault', undefined, { linkId, channel: 'hosted_page' });
  }

  /**
   * Refunded before the buyer saw anything: dead codes found by the re-check (each one a
   * penalty, F7) or the seller's suspension (no penalty). Dead cards are void; the others go back
   * on sale (a suspended seller's stock stays frozen by its status). From `paid` (out of escrow),
   * or from `released` unrevealed (the money was paid out: out of the seller's available
   * balance, which may go negative, a ledger line never lost).
   */
  refundUnrevealed(order: Order, at: Date, r: RefundParts): OrderTransition {
    const from = isReleasedUnrevealed(order) ? 'released' : 'paid';
    const [held, available] = from === 'paid' ? [-order.amount.amount, 0] : [0, -order.amount.amount];
    const dead = r.deadCardIds ?? [];
    return buildTransition(order, from, 'refunded', at, {
      next: {
        refunded: order.amount,
        refundReason: r.reason,
        closedAt: at.toISOString(),
        cards: withRevealEvidence(order, r.checks ?? []),
      },
      cards: order.cards.map((c) => ({
        listingId: order.listingId,
        cardId: c.cardId,
        from: 'reserved' as const,
        to: dead.includes(c.cardId) ? ('void' as const) : ('available' as const),
        linked: false,
      })),
      ledger: [ledgerMove(order, 'refund', 'refund', held, available)],
      penalties: dead.map((cardId) => penaltyFor(order, cardId, at, this.eventId(at))),
      events: [
        this.event(order, at, 'order.refunded', r.actor, 'refunded', {
          reason: r.reason,
          refund: order.amount,
          deadCardIds: dead,
        }),
      ],
    });
  }

  /**
   * paid -> released at the reveal deadline, never revealed, the code still live: the seller is
   * paid (held -> available, if still active) and the cards stay reserved and sealed for the
   * buyer, who may still reveal them (a late `reveal`). Not closed: `closedAt` stays unset.
   */
  releaseUnrevealed(order: Order, at: Date): OrderTransition {
    if (order.revealedAt !== undefined) {
      throw new InvalidStateError('the order was revealed; it is released by its dispute window', {});
    }
    return buildTransition(order, 'paid', 'released', at, {
      next: { releasedAt: at.toISOString() },
      cards: moveCards(order, 'reserved', 'reserved', true),
      ledger: [ledgerMove(order, 'release', 'release', -order.amount.amount, order.amount.amount)],
      // A suspended seller's paid orders are refunded by the cascade, never paid out.
      requireActiveSeller: true,
      events: [
        this.event(order, at, 'order.released', 'sweeper', 'released', {
          payout: order.amount,
          reason: 'reveal_deadline',
          revealed: false,
        }),
      ],
    });
  }

  /**
   * A report upheld on one revealed card: its price back to the buyer and, unless the refund is
   * without penalty (an operator's choice, or the escalation deadline default), a strike and a
   * fine to the seller. `closesEscalation`: the report was open, so the order's open count drops.
   */
  refundReportedCard(
    order: Order,
    cardId: string,
    reportId: string,
    at: Date,
    options: { penalty?: boolean; closesEscalation?: boolean; unproven?: boolean } = {},
  ): OrderTransition {
    const reported = order.cards.find((c) => c.cardId === cardId);
    if (!reported || reported.refunded) {
      throw new InvalidStateError('the card is not an unrefunded card of this order', { cardId });
    }
    const cards = order.cards.map((c) => (c.cardId === cardId ? { ...c, refunded: true } : c));
    const allRefunded = cards.every((c) => c.refunded);
    const refunded = { ...order.refunded, amount: order.refunded.amount + order.unitPrice.amount };
    const from = disputedState(order);
    const price = order.unitPrice.amount;
    // Before the payout the price comes out of escrow; after it (a late reveal), out of available.
    const [held, available] = from === 'revealed' ? [-price, 0] : [0, -price];
    return buildTransition(order, from, allRefunded ? 'refunded' : from, at, {
      next: {
        cards,
        refunded,
        ...(options.closesEscalation ? { openReports: openReportsAfterClose(order) } : {}),
        ...(allRefunded ? { closedAt: at.toISOString() } : {}),
      },
      cards: [{ listingId: order.listingId, cardId, from: 'sold', to: 'refunded', linked: true }],
      ledger: [ledgerMove(order, 'refund', `refund#${cardId}`, held, available)],
      penalties: options.penalty === false ? [] : [penaltyFor(order, cardId, at, this.eventId(at), reportId)],
      ...(options.unproven ? { unprovenRefund: true } : {}),
      events: allRefunded ? [this.event(order, at, 'order.refunded', 'vault', 'refunded', { reportId })] : [],
    });
  }

  /** An escalation closed without a refund (rejected): the order goes back on its release clock. */
  closeEscalation(order: Order, at: Date): OrderTransition {
    const from = disputedState(order);
    return buildTransition(order, from, from, at, {
      next: { openReports: openReportsAfterClose(order) },
      events: [],
    });
  }

  /**
   * A report that refunds nothing still changes the order: it is written on the order's
   * version, so it cannot land on an order released meanwhile; an escalated one holds the
   * release until it is settled.
   */
  noteReport(order: Order, at: Date, escalated: boolean): OrderTransition {
    const from = disputedState(order);
    return buildTransition(order, from, from, at, {
      next: escalated ? { openReports: (order.openReports ?? 0) + 1 } : {},
      events: [],
    });
  }

  /**
   * A report rejected as used after the reveal, reopened because its seller came under review:
   * it holds the release again, or, on an order already released, its refund comes out of the
   * seller's available balance.
   */
  reopenReport(order: Order, at: Date): OrderTransition {
    const from = order.state === 'released' ? 'released' : 'revealed';
    return buildTransition(order, from, from, at, {
      next: { openReports: (order.openReports ?? 0) + 1 },
      events: [],
    });
  }

  /** The issuer did not answer the reveal-deadline re-check: ask again at `nextAt` (backoff). */
  postponeRecheck(order: Order, at: Date, nextAt: string): OrderTransition {
    return buildTransition(order, 'paid', 'paid', at, {
      next: { recheckAt: nextAt, recheckAttempts: (order.recheckAttempts ?? 0) + 1 },
      events: [],
    });
  }

  /**
   * revealed -> released: what was not refunded moves from held to available. At the end of the
   * dispute window (`atWindowEnd`) only while the seller is not under review (`holdRelease`
   * otherwise); a buyer's confirmation is the buyer's own word and releases in any case.
   */
  release(order: Order, at: Date, actor: Actor, options: { atWindowEnd?: boolean } = {}): OrderTransition {
    if ((order.openReports ?? 0) > 0) {
      throw new InvalidStateError('a report on this order is under review; the money stays in escrow', {
        openReports: order.openReports,
      });
    }
    const payout = payoutOf(order).amount;
    return buildTransition(order, 'revealed', 'released', at, {
      next: { releasedAt: at.toISOString(), closedAt: at.toISOString(), releaseHeld: undefined },
      ledger: [ledgerMove(order, 'release', 'release', -payout, payout)],
      ...(options.atWindowEnd ? { sellerReview: 'none' as const } : {}),
      events: [
        this.event(order, at, 'order.released', actor, 'released', {
          payout: { ...order.amount, amount: payout },
        }),
      ],
    });
  }

  /**
   * The dispute window closed while the seller is under review: nothing is released, the order
   * leaves the due index and waits for the review to close (`liftReleaseHold`).
   */
  holdRelease(order: Order, at: Date): OrderTransition {
    return buildTransition(order, 'revealed', 'revealed', at, {
      next: { releaseHeld: true },
      sellerReview: 'open',
      events: [
        this.event(order, at, 'order.release_held', 'sweeper', undefined, { reason: 'seller_review' }),
      ],
    });
  }

  /** The seller's review closed: the order is back on its release clock (due at once if past). */
  liftReleaseHold(order: Order, at: Date): OrderTransition {
    return buildTransition(order, 'revealed', 'revealed', at, {
      next: { releaseHeld: undefined },
      sellerReview: 'none',
      events: [],
    });
  }
}

/**
 * The state a report applies to: revealed, or released when its window runs after the payout (a
 * late reveal) or a report reopened under a seller review holds it open after the payout.
 */
function disputedState(order: Order): 'revealed' | 'released' {
  return releasedBeforeReveal(order) || (order.state === 'released' && (order.openReports ?? 0) > 0)
    ? 'released'
    : 'revealed';
}

function openReportsAfterClose(order: Order): number {
  return Math.max(0, (order.openReports ?? 0) - 1);
}

/** What a release pays out: the amount less what was refunded. */
export function payoutOf(order: Pick<Order, 'amount' | 'refunded'>): Money {
  return subtract(order.amount, order.refunded);
}
