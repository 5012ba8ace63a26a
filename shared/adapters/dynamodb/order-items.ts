import { nextDueAt, nextRecheckAt, type Order } from '../../domain/order.js';
import type { OrderEvent } from '../../domain/order-event.js';
import type { LedgerMove, OrderTransition } from '../../domain/order-transition.js';
import { sellerStatuses } from '../../domain/seller-standing.js';
import { type Condition, equals, exists, expression, notExists } from './expression.js';
import { type Key, keys } from './keys.js';
import { sellerEventItem, sellerIs, withStrikeGuard } from './seller-strike-items.js';
import { putNew } from './table-context.js';
import { headIs, linkEvents } from './trail-chain-items.js';
import type { TaggedItem } from './transact.js';
import { words } from './vocabulary.js';

const SELLER = words(sellerStatuses);

/**
 * The condition a seller must meet to sell: active, or never seen before (a seller item appears
 * with the seller's first sale or strike).
 */
export const ACTIVE_SELLER: Condition = sellerIs('active');

/** The seller's review as a transition must find it (`OrderTransition.sellerReview`). */
const SELLER_REVIEW = {
  open: exists('reviewSince'),
  none: notExists('reviewSince'),
} as const satisfies Record<NonNullable<OrderTransition['sellerReview']>, Condition>;

/**
 * Builders for the transaction items shared by every order state change, so a payment,
 * a reveal, a refund and a release all write orders, cards, balances and events alike.
 */

/** The order item with its index keys derived from its state (due index, seller index). */
export function orderItem(order: Order): Record<string, unknown> & Key {
  const due = nextDueAt(order);
  // Never both: only a paid order is rechecked, and time alone changes nothing of a paid order.
  const recheck = due === undefined ? nextRecheckAt(order) : undefined;
  const open = order.state === 'pending_payment' || order.state === 'paid';
  const held = order.state === 'revealed' && order.releaseHeld === true;
  return {
    ...keys.order(order.tenantId, order.orderId),
    entity: 'Order',
    ...order,
    ...(due ? keys.due(order.orderId, due) : {}),
    ...(recheck ? keys.recheck(order.orderId, recheck) : {}),
    ...(open ? keys.sellerOrder(order.tenantId, order.sellerId, order.createdAt, order.orderId) : {}),
    ...(held ? keys.heldRelease(order.tenantId, order.sellerId, order.orderId) : {}),
  };
}

/**
 * Replaces the order if it is still in `expectedState` at the version and trail head it was read
 * with (a re-delivery moves the head without a new version), carrying the trail's new head.
 */
export function putOrderItem(
  tableName: string,
  t: Pick<OrderTransition, 'next' | 'expectedState' | 'order'>,
  trailHead: string | undefined,
): TaggedItem {
  const next = trailHead === undefined ? t.next : { ...t.next, trailHead };
  return {
    tag: 'order',
    item: {
      Put: {
        TableName: tableName,
        Item: orderItem(next),
        ...expression()
          .when(
            equals('state', t.expectedState),
            equals('version', t.order.version),
            headIs(t.order.trailHead),
          )
          .build(),
      },
    },
  };
}

/** An audit event as stored: immutable, under its order's partition. */
export function eventRecord(tenantId: string, event: OrderEvent): Record<string, unknown> & Key {
  return { ...keys.event(tenantId, event.orderId, event.eventId), entity: 'Event', ...event };
}

export function eventItem(tableName: string, tenantId: string, event: OrderEvent): TaggedItem {
  return { tag: `event:${event.eventId}`, item: putNew(tableName, eventRecord(tenantId, event)) };
}

export function cardItems(tableName: string, t: OrderTransition): TaggedItem[] {
  const { tenantId, orderId } = t.order;
  return t.cards.map((c) => {
    const update = expression().set('state', c.to).set('updatedAt', t.at);
    if (c.linked) update.set('orderId', orderId);
    else update.remove('orderId');
    // A reserved card says until when, so a buyer or a stock count can find reservations time has ended.
    if (c.from === 'available' && c.to === 'reserved') update.set('reservedUntil', t.next.expiresAt);
    else if (c.from === 'reserved') update.remove('reservedUntil');
    // The card pools' sparse keys follow the state: available, held on a payment clock, or neither.
    const pool =
      c.to === 'available'
        ? keys.availableCard(tenantId, c.listingId, c.cardId)
        : c.from === 'available' && c.to === 'reserved'
          ? keys.heldCard(tenantId, c.listingId, t.next.expiresAt, c.cardId)
          : undefined;
    if (pool) update.set('gsi2pk', pool.gsi2pk).set('gsi2sk', pool.gsi2sk);
    else update.remove('gsi2pk', 'gsi2sk');
    // A card reserved for this order must still be linked to it; an available one to none.
    update.when(equals('state', c.from), c.from !== 'available' && equals('orderId', orderId));
    return {
      tag: `card:${c.cardId}`,
      item: {
        Update: {
          TableName: tableName,
          Key: keys.card(tenantId, c.listingId, c.cardId),
          ...update.buildUpdate(),
        },
      },
    };
  });
}

/**
 * One update per seller (a transaction may touch an item once): balance deltas per
 * currency, and the strike of a penalty. The seller item is created on first use.
 */
export function sellerItems(tableName: string, t: OrderTransition): TaggedItem[] {
  const bySeller = new Map<string, LedgerMove[]>();
  for (const move of t.ledger) bySeller.set(move.sellerId, [...(bySeller.get(move.sellerId) ?? []), move]);
  for (const p of t.penalties) if (!bySeller.has(p.sellerId)) bySeller.set(p.sellerId, []);
  const items: TaggedItem[] = [];
  for (const [sellerId, moves] of bySeller) {
    const totals = new Map<string, { held: number; available: number }>();
    for (const m of moves) {
      const total = totals.get(m.currency) ?? { held: 0, available: 0 };
      totals.set(m.currency, { held: total.held + m.held, available: total.available + m.available });
    }
    const own = sellerId === t.order.sellerId;
    const update = expression()
      .setIfMissing('status', SELLER.active)
      .set('sellerId', sellerId)
      .set('entity', 'Seller');
    for (const [currency, total] of totals) {
      update.add(`balHeld_${currency}`, total.held).add(`balAvail_${currency}`, total.available);
    }
    const strikes = t.penalties.filter((p) => p.sellerId === sellerId).map((p) => p.at);
    if (strikes.length > 0) update.append('strikeTimes', strikes);
    if (t.unprovenRefund && own) update.add('unprovenRefunds', 1);
    if (own)
      update.when(
        t.requireActiveSeller === true && ACTIVE_SELLER,
        t.sellerReview && SELLER_REVIEW[t.sellerReview],
      );
    if (t.strikeGuard?.sellerId === sellerId) {
      withStrikeGuard(update, t.order.tenantId, t.strikeGuard);
    } else if (strikes.length > 0) {
      throw new Error('a transition with strikes must carry the seller as read (OrderTransitions.strike)');
    }
    items.push({
      tag: `seller:${sellerId}`,
      item: {
        Update: {
          TableName: tableName,
          Key: keys.seller(t.order.tenantId, sellerId),
          ...update.buildUpdate(),
        },
      },
    });
  }
  // The seller check rides on the seller's update when there is one (an item appears once per transaction).
  if (!bySeller.has(t.order.sellerId)) {
    const checks = [
      ...(t.requireActiveSeller ? [ACTIVE_SELLER] : []),
      ...(t.sellerReview ? [SELLER_REVIEW[t.sellerReview]] : []),
    ];
    if (checks.length > 0) items.push(sellerCheck(tableName, t.order.tenantId, t.order.sellerId, checks));
  }
  return items;
}

/** The seller check alone, for a transaction that changes nothing of the seller's. */
export function activeSellerCheck(tableName: string, tenantId: string, sellerId: string): TaggedItem {
  return sellerCheck(tableName, tenantId, sellerId, [ACTIVE_SELLER]);
}

function sellerCheck(
  tableName: string,
  tenantId: string,
  sellerId: string,
  conditions: readonly Condition[],
): TaggedItem {
  return {
    tag: `seller:${sellerId}`,
    item: {
      ConditionCheck: {
        TableName: tableName,
        Key: keys.seller(tenantId, sellerId),
        ...expression()
          .when(...conditions)
          .buildCondition(),
      },
    },
  };
}

/** Ledger entries are immutable, keyed so the same move cannot be booked twice. */
export function ledgerItems(tableName: string, t: OrderTransition): TaggedItem[] {
  return t.ledger.map((m) => ({
    tag: `ledger:${m.entryId}`,
    item: putNew(tableName, {
      ...keys.ledger(t.order.tenantId, m.sellerId, m.entryId),
      entity: 'LedgerEntry',
      ...m,
      at: t.at,
    }),
  }));
}

export function penaltyItems(tableName: string, t: OrderTransition): TaggedItem[] {
  return t.penalties.map(({ sellerId, ...penalty }) => ({
    tag: `penalty:${penalty.penaltyId}`,
    item: putNew(tableName, {
      ...keys.penalty(t.order.tenantId, sellerId, penalty.penaltyId),
      entity: 'Penalty',
      sellerId,
      ...penalty,
    }),
  }));
}

/**
 * Every item of one order transition, in one list for one transaction: its events, then `also`
 * (a command's own line, a report's), linked onto the trail's hash chain.
 */
export function transitionItems(
  tableName: string,
  t: OrderTransition,
  also: readonly OrderEvent[] = [],
): TaggedItem[] {
  const trail = linkEvents(t.order.trailHead, [...t.events, ...also]);
  return [
    putOrderItem(tableName, t, trail.head),
    ...cardItems(tableName, t),
    ...sellerItems(tableName, t),
    ...ledgerItems(tableName, t),
    ...penaltyItems(tableName, t),
    ...trail.events.map((e) => eventItem(tableName, t.order.tenantId, e)),
    ...(t.strikeGuard?.suspension
      ? [sellerEventItem(tableName, t.order.tenantId, t.strikeGuard.suspension)]
      : []),
  ];
}
