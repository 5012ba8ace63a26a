import { describe, expect, it } from 'vitest';
import type { Card } from '../../shared/domain/card.js';
import type { Order } from '../../shared/domain/order.js';
import { useTestTable } from '../support/dynamo.js';
import { anOrderIn, reporting, storeReads, storesOn, transitions } from '../support/store-builders.js';

const table = useTestTable();
const stores = storesOn(table);
const { orders, reports, parties } = stores;

const { orderOf, cardOf, eventTypes } = storeReads(stores);
const buyerOf = (o: Order) => parties.getBuyer(o.tenantId, o.buyerId);
const sellerOf = (o: Order) => parties.getSeller(o.tenantId, o.sellerId);

describe('recordReport', () => {
  it('stores a rejected report, counts it on the buyer with its time, and appends its event', async () => {
    const { order, cards } = await anOrderIn(stores, 'revealed');
    const input = reporting(order, (cards[0] as Card).cardId, 'rejected');

    expect(await reports.recordReport(input)).toBe('recorded');

    const { report } = input;
    expect(await reports.getReport(order.tenantId, order.orderId, report.cardId)).toEqual(report);
    expect(await buyerOf(order)).toEqual({
      buyerId: order.buyerId,
      reportsTotal: 1,
      upheld: 0,
      rejected: 1,
      escalated: 0,
      unproven: 0,
      rejectionTimes: [report.createdAt],
      unprovenTimes: [],
    });
    expect((await eventTypes(order)).at(-1)).toBe('report.rejected');
    // Noted on the order's version (so it could not land on a released order) and its trail's
    // head (the event is chained), nothing else.
    const stored = await orderOf(order);
    expect(stored).toEqual({
      ...order,
      version: order.version + 1,
      trailHead: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(stored?.trailHead).not.toBe(order.trailHead);
  });

  it('holds the release with an escalated report: the order leaves the due index until it is settled', async () => {
    const { order, cards } = await anOrderIn(stores, 'revealed');
    const input = reporting(order, (cards[0] as Card).cardId, 'escalated');

    expect(await reports.recordReport(input)).toBe('recorded');

    expect(await orderOf(order)).toMatchObject({ state: 'revealed', openReports: 1 });
    const farFuture = new Date(Date.now() + 400 * 86_400_000).toISOString();
    expect(await orders.listDueOrders(farFuture, 1000)).not.toContainEqual({
      tenantId: order.tenantId,
      orderId: order.orderId,
    });
  });

  it("answers 'already-reported' for a second report on the same card, counting nothing", async () => {
    const { order, cards } = await anOrderIn(stores, 'revealed');
    const cardId = (cards[0] as Card).cardId;
    const first = reporting(order, cardId, 'rejected');
    expect(await reports.recordReport(first)).toBe('recorded');
    const buyerBefore = await buyerOf(order);

    expect(await reports.recordReport(reporting(order, cardId, 'escalated'))).toBe('already-reported');

    expect(await reports.getReport(order.tenantId, order.orderId, cardId)).toEqual(first.report);
    expect(await buyerOf(order)).toEqual(buyerBefore);
    expect(await eventTypes(order)).not.toContain('report.escalated');
  });

  it("applies an upheld report's refund and penalty to order, card and seller in the same transaction", async () => {
    const { order, cards } = await anOrderIn(stores, 'revealed', { quantity: 2 });
    const [reported, kept] = cards as [Card, Card];
    const at = new Date();
    const input = reporting(order, reported.cardId, 'refunded', at);

    expect(await reports.recordReport(input)).toBe('recorded');

    expect(await orderOf(order)).toMatchObject({
      state: 'revealed',
      version: order.version + 1,
      refunded: { amount: 4500, currency: 'EUR' },
      cards: [
        { cardId: reported.cardId, refunded: true },
        { cardId: kept.cardId, last4: kept.last4 },
      ],
    });
    expect(await cardOf(reported)).toMatchObject({ state: 'refunded', orderId: order.orderId });
    expect(await cardOf(kept)).toMatchObject({ state: 'sold' });
    // 9000 held on payment, 4500 refunded; a 450 fine off the available balance; one strike.
    expect(await sellerOf(order)).toMatchObject({
      balance: { EUR: { held: 4500, available: -450 } },
      strikeTimes: [at.toISOString()],
    });
    expect(await parties.listPenalties(order.tenantId, order.sellerId)).toEqual([
      expect.objectContaining({ reportId: input.report.reportId, cardId: reported.cardId }),
    ]);
    expect(await buyerOf(order)).toMatchObject({
      reportsTotal: 1,
      upheld: 1,
      rejected: 0,
      rejectionTimes: [],
    });
  });

  it("answers 'conflict' when the order changed since it was read, writing neither report nor counters", async () => {
    const { order, cards } = await anOrderIn(stores, 'revealed');
    const card = cards[0] as Card;
    const input = reporting(order, card.cardId, 'refunded');
    expect(await orders.transition(transitions.release(order, new Date(), 'buyer'))).toBe('done');
    const sellerBefore = await sellerOf(order);

    expect(await reports.recordReport(input)).toBe('conflict');

    expect(await reports.getReport(order.tenantId, order.orderId, card.cardId)).toBeUndefined();
    expect(await buyerOf(order)).toBeUndefined();
    expect(await sellerOf(order)).toEqual(sellerBefore);
    expect(await cardOf(card)).toMatchObject({ state: 'sold' });
    expect(await orderOf(order)).toMatchObject({ state: 'released' });
  });
});
