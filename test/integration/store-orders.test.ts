import { describe, expect, it } from 'vitest';
import { keys } from '../../shared/adapters/dynamodb/keys.js';
import type { Card } from '../../shared/domain/card.js';
import { SellerSuspendedError } from '../../shared/domain/errors.js';
import type { Order, RefundDue } from '../../shared/domain/order.js';
import type { OrderTransition } from '../../shared/domain/order-transition.js';
import { useTestTable } from '../support/dynamo.js';
import {
  anOrder,
  anOrderIn,
  aStockedCard,
  aStockedListing,
  ledgerEntries,
  placing,
  randomHex,
  rawItem,
  storeReads,
  storesOn,
  transitions,
  uniqueId,
} from '../support/store-builders.js';

const table = useTestTable();
const stores = storesOn(table);
const { orders, parties } = stores;

const { cardOf, orderOf, eventTypes } = storeReads(stores);
const balanceOf = async (o: Order) => (await parties.getSeller(o.tenantId, o.sellerId))?.balance;

/** An order as the store keeps it: with the trail's head the store computed (issue 22). */
const asStored = (order: Order) => ({ ...order, trailHead: expect.stringMatching(/^[0-9a-f]{64}$/) });

describe('placeOrder', () => {
  it('reserves the cards and writes the order, its idempotency record and its event', async () => {
    const { listing, cards } = await aStockedListing(stores, { count: 2 });
    const order = anOrder(listing, cards);
    const input = placing(order);

    expect(await orders.placeOrder(input)).toBe('placed');

    expect(await orderOf(order)).toEqual(asStored(order));
    for (const card of cards) {
      expect(await cardOf(card)).toMatchObject({ state: 'reserved', orderId: order.orderId });
    }
    const { keyHash } = input.idempotency;
    expect(await orders.getIdempotency(order.tenantId, 'orders', keyHash, new Date())).toEqual(
      input.idempotency.record,
    );
    expect(await orders.listEvents(order.tenantId, order.orderId)).toEqual([
      { ...input.event, hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
    ]);
  });

  it("answers 'cards-taken' when a card is no longer available, and writes nothing", async () => {
    const { listing, cards } = await aStockedListing(stores, { count: 2 });
    const [taken, free] = cards as [Card, Card];
    const first = anOrder(listing, [taken]);
    expect(await orders.placeOrder(placing(first))).toBe('placed');
    const late = anOrder(listing, [free, taken]);
    const input = placing(late);

    expect(await orders.placeOrder(input)).toBe('cards-taken');

    expect(await orderOf(late)).toBeUndefined();
    expect(
      await orders.getIdempotency(late.tenantId, 'orders', input.idempotency.keyHash, new Date()),
    ).toBeUndefined();
    expect(await orders.listEvents(late.tenantId, late.orderId)).toEqual([]);
    expect(await cardOf(free)).toEqual(free);
    expect(await cardOf(taken)).toMatchObject({ state: 'reserved', orderId: first.orderId });
  });

  it("answers 'idempotency-key-taken' for a key already used, reserving nothing", async () => {
    const { listing, cards } = await aStockedListing(stores, { count: 2 });
    const [one, other] = cards as [Card, Card];
    const first = placing(anOrder(listing, [one]));
    expect(await orders.placeOrder(first)).toBe('placed');
    const second = anOrder(listing, [other]);

    const outcome = await orders.placeOrder(placing(second, { keyHash: first.idempotency.keyHash }));

    expect(outcome).toBe('idempotency-key-taken');
    expect(await orderOf(second)).toBeUndefined();
    expect(await cardOf(other)).toEqual(other);
    expect(
      await orders.getIdempotency(listing.tenantId, 'orders', first.idempotency.keyHash, new Date()),
    ).toEqual(first.idempotency.record);
  });

  it('throws SellerSuspendedError when the seller is suspended, reserving nothing', async () => {
    const { listing, card } = await aStockedCard(stores);
    expect(await parties.suspendSeller(listing.tenantId, listing.sellerId, new Date().toISOString())).toBe(
      true,
    );
    const order = anOrder(listing, [card]);

    await expect(orders.placeOrder(placing(order))).rejects.toBeInstanceOf(SellerSuspendedError);
    expect(await orderOf(order)).toBeUndefined();
    expect(await cardOf(card)).toEqual(card);
  });

  it('takes over a key whose record has expired but is not deleted yet (TTL deletion lags)', async () => {
    const { listing, cards } = await aStockedListing(stores, { count: 2 });
    const [one, other] = cards as [Card, Card];
    const expired = placing(anOrder(listing, [one]), { ttlEpoch: Math.floor(Date.now() / 1000) - 60 });
    expect(await orders.placeOrder(expired)).toBe('placed');
    const { keyHash } = expired.idempotency;
    expect(await orders.getIdempotency(listing.tenantId, 'orders', keyHash, new Date())).toBeUndefined();

    const outcome = await orders.placeOrder(placing(anOrder(listing, [other]), { keyHash }));

    expect(outcome).toBe('placed');
  });
});

describe('getIdempotency', () => {
  it('returns a live record, and ignores one whose ttl is past even while the item remains', async () => {
    const { listing, cards } = await aStockedListing(stores, { count: 2 });
    const [one, other] = cards as [Card, Card];
    const live = placing(anOrder(listing, [one]));
    const expired = placing(anOrder(listing, [other]), { ttlEpoch: Math.floor(Date.now() / 1000) - 1 });
    expect(await orders.placeOrder(live)).toBe('placed');
    expect(await orders.placeOrder(expired)).toBe('placed');
    const { tenantId } = listing;

    expect(await orders.getIdempotency(tenantId, 'orders', live.idempotency.keyHash, new Date())).toEqual(
      live.idempotency.record,
    );
    expect(
      await orders.getIdempotency(tenantId, 'orders', expired.idempotency.keyHash, new Date()),
    ).toBeUndefined();
    expect(
      await rawItem(table, keys.idempotency(tenantId, 'orders', expired.idempotency.keyHash)),
    ).toBeDefined();
    expect(await orders.getIdempotency(tenantId, 'orders', randomHex(), new Date())).toBeUndefined();
  });
});

describe('transition', () => {
  it('applies the order, cards, ledger, penalties and events together', async () => {
    const { order, cards } = await anOrderIn(stores, 'paid', { quantity: 2 });
    const dead = (cards[0] as Card).cardId;
    const t = transitions.strike(
      transitions.refundUnrevealed(order, new Date(), {
        actor: 'vault',
        reason: 'code_dead_before_reveal',
        deadCardIds: [dead],
      }),
      undefined,
    );

    expect(await orders.transition(t)).toBe('done');

    expect(await orderOf(order)).toEqual(asStored(t.next));
    expect(t.next).toMatchObject({ state: 'refunded', version: order.version + 1 });
    // The dead card is void, the live one back on sale; neither is linked to the order any more.
    const [deadCard, liveCard] = [await cardOf(cards[0] as Card), await cardOf(cards[1] as Card)];
    expect(deadCard).toMatchObject({ state: 'void' });
    expect(liveCard).toMatchObject({ state: 'available' });
    expect(deadCard?.orderId).toBeUndefined();
    expect(liveCard?.orderId).toBeUndefined();
    const seller = await parties.getSeller(order.tenantId, order.sellerId);
    // 2 x 4500 held on payment, refunded; the fine is 10 % of the card's price.
    expect(seller).toMatchObject({ balance: { EUR: { held: 0, available: -450 } }, strikeTimes: [t.at] });
    expect(await parties.listPenalties(order.tenantId, order.sellerId)).toEqual([
      expect.objectContaining({
        cardId: dead,
        orderId: order.orderId,
        fine: { amount: 450, currency: 'EUR' },
      }),
    ]);
    const kinds = (await ledgerEntries(table, order.tenantId, order.sellerId)).map((e) => e.kind);
    expect(kinds.sort()).toEqual(['fine', 'refund', 'sale_held']);
    expect((await eventTypes(order)).at(-1)).toBe('order.refunded');
  });

  it("answers 'conflict' when the order's state changed since it was read, writing nothing", async () => {
    const { order, cards } = await anOrderIn(stores, 'pending_payment');
    const now = new Date();
    const paid = transitions.markPaid(order, uniqueId('pay'), now);
    const cancel = transitions.closeUnpaid(order, 'cancelled', 'marketplace', now);
    expect(await orders.transition(paid)).toBe('done');

    expect(await orders.transition(cancel)).toBe('conflict');

    expect(await orderOf(order)).toEqual(asStored(paid.next));
    expect(await cardOf(cards[0] as Card)).toMatchObject({ state: 'reserved', orderId: order.orderId });
    expect(await balanceOf(order)).toEqual({ EUR: { held: 4500, available: 0 } });
    expect(await eventTypes(order)).not.toContain('order.cancelled');
  });

  it("answers 'conflict' when only the order's version changed, writing nothing", async () => {
    const { order, cards } = await anOrderIn(stores, 'revealed', { quantity: 2 });
    const now = new Date();
    const refund = transitions.strike(
      transitions.refundReportedCard(order, (cards[0] as Card).cardId, 'rpt-1', now),
      undefined,
    );
    const release = transitions.release(order, now, 'sweeper');
    expect(await orders.transition(refund)).toBe('done');
    const before = await balanceOf(order);

    expect(await orders.transition(release)).toBe('conflict');

    expect(await orderOf(order)).toMatchObject({ state: 'revealed', version: refund.next.version });
    expect(await balanceOf(order)).toEqual(before);
    const kinds = (await ledgerEntries(table, order.tenantId, order.sellerId)).map((e) => e.kind);
    expect(kinds).not.toContain('release');
  });
});

describe('recordPayment', () => {
  const applied = (t: OrderTransition, paymentRef: string) => ({
    tenantId: t.order.tenantId,
    orderId: t.order.orderId,
    paymentRef,
    amount: t.order.amount,
    outcome: { kind: 'applied' as const },
    transition: t,
  });
  const refundDue = (order: Order, paymentRef: string) => {
    const at = new Date();
    const entry: RefundDue = {
      paymentRef,
      amount: order.amount,
      reason: 'duplicate_payment',
      recordedAt: at.toISOString(),
    };
    return {
      tenantId: order.tenantId,
      orderId: order.orderId,
      paymentRef,
      amount: order.amount,
      outcome: { kind: 'refund_due' as const, reason: entry.reason },
      transition: transitions.withRefundDue(transitions.touch(order, at), entry, at),
    };
  };

  it("applies a payment, and answers 'payment-exists' for the same reference, booking it once", async () => {
    const { order } = await anOrderIn(stores, 'pending_payment');
    const ref = uniqueId('pay');
    const first = transitions.markPaid(order, ref, new Date());
    // A duplicate callback that read the order before the first one was applied.
    const duplicate = transitions.markPaid(order, ref, new Date());

    expect(await orders.recordPayment(applied(first, ref))).toBe('recorded');
    expect(await orders.recordPayment(applied(duplicate, ref))).toBe('payment-exists');

    expect(await orderOf(order)).toEqual(asStored(first.next));
    expect(await orders.getPayment(order.tenantId, order.orderId, ref)).toEqual({
      amount: order.amount,
      outcome: { kind: 'applied' },
    });
    expect(await balanceOf(order)).toEqual({ EUR: { held: 4500, available: 0 } });
    expect(await ledgerEntries(table, order.tenantId, order.sellerId)).toHaveLength(1);
    expect((await eventTypes(order)).filter((t) => t === 'payment.received')).toHaveLength(1);
  });

  it('records a second reference on a paid order as a refund due, leaving the balance alone', async () => {
    const { order } = await anOrderIn(stores, 'paid');
    const input = refundDue(order, uniqueId('pay'));

    expect(await orders.recordPayment(input)).toBe('recorded');

    expect(await orderOf(order)).toEqual(asStored(input.transition.next));
    expect(await orders.getPayment(order.tenantId, order.orderId, input.paymentRef)).toEqual({
      amount: order.amount,
      outcome: { kind: 'refund_due', reason: 'duplicate_payment' },
    });
    expect(await balanceOf(order)).toEqual({ EUR: { held: 4500, available: 0 } });
    expect(await ledgerEntries(table, order.tenantId, order.sellerId)).toHaveLength(1);
    expect((await eventTypes(order)).at(-1)).toBe('payment.refund_due');
  });

  it("answers 'conflict' when the order changed since it was read, storing no payment", async () => {
    const { order } = await anOrderIn(stores, 'paid');
    const first = refundDue(order, uniqueId('pay'));
    const racing = refundDue(order, uniqueId('pay'));
    expect(await orders.recordPayment(first)).toBe('recorded');

    expect(await orders.recordPayment(racing)).toBe('conflict');

    expect(await orders.getPayment(order.tenantId, order.orderId, racing.paymentRef)).toBeUndefined();
    expect((await orderOf(order))?.refundsDue.map((r) => r.paymentRef)).toEqual([first.paymentRef]);
  });
});
