import { describe, expect, it } from 'vitest';
import type { Card } from '../../shared/domain/card.js';
import type { Order } from '../../shared/domain/order.js';
import { useTestTable } from '../support/dynamo.js';
import { anOrderIn, aTenant, reporting, storesOn, transitions, uniqueId } from '../support/store-builders.js';

const table = useTestTable();
const stores = storesOn(table);
const { orders, reports, parties } = stores;

describe('getSeller', () => {
  it('knows no seller that never sold', async () => {
    expect(await parties.getSeller(aTenant().tenantId, uniqueId('seller'))).toBeUndefined();
  });

  it('sums the ledger moves into held and available balances per currency', async () => {
    const seller = { tenantId: aTenant().tenantId, sellerId: uniqueId('seller') };
    const released = await anOrderIn(stores, 'revealed', { listing: seller });
    expect(await orders.transition(transitions.release(released.order, new Date(), 'buyer'))).toBe('done');
    await anOrderIn(stores, 'paid', { listing: seller });
    const usd = { amount: 2000, currency: 'USD' };
    await anOrderIn(stores, 'paid', { listing: { ...seller, faceValue: usd, price: usd } });

    expect(await parties.getSeller(seller.tenantId, seller.sellerId)).toEqual({
      sellerId: seller.sellerId,
      status: 'active',
      strikeTimes: [],
      balance: { EUR: { held: 4500, available: 4500 }, USD: { held: 2000, available: 0 } },
      unprovenRefunds: 0,
      usedAfterReveal: [],
    });
  });
});

describe('suspendSeller', () => {
  it('suspends an active seller once (true, then false), keeping the balances', async () => {
    const { order } = await anOrderIn(stores, 'paid');
    const first = new Date().toISOString();

    expect(await parties.suspendSeller(order.tenantId, order.sellerId, first)).toBe(true);
    expect(
      await parties.suspendSeller(order.tenantId, order.sellerId, new Date(Date.now() + 1000).toISOString()),
    ).toBe(false);

    expect(await parties.getSeller(order.tenantId, order.sellerId)).toMatchObject({
      status: 'suspended',
      suspendedAt: first,
      balance: { EUR: { held: 4500, available: 0 } },
    });
  });

  it('suspends a seller the vault has not seen yet', async () => {
    const tenantId = aTenant().tenantId;
    const sellerId = uniqueId('seller');

    expect(await parties.suspendSeller(tenantId, sellerId, new Date().toISOString())).toBe(true);

    expect(await parties.getSeller(tenantId, sellerId)).toMatchObject({ status: 'suspended', balance: {} });
  });
});

describe('getBuyer', () => {
  it('knows no buyer that never reported', async () => {
    expect(await parties.getBuyer(aTenant().tenantId, uniqueId('buyer'))).toBeUndefined();
  });

  it('counts reports by decision and keeps the rejection times', async () => {
    const { order, cards } = await anOrderIn(stores, 'revealed', { quantity: 3 });
    const [a, b, c] = cards as [Card, Card, Card];
    const rejectedAt = new Date();
    // Each report is written on the order's version: read the order again before the next one.
    const current = async () => (await orders.getOrder(order.tenantId, order.orderId)) as Order;
    expect(await reports.recordReport(reporting(order, a.cardId, 'rejected', rejectedAt))).toBe('recorded');
    expect(await reports.recordReport(reporting(await current(), b.cardId, 'escalated'))).toBe('recorded');
    expect(await reports.recordReport(reporting(await current(), c.cardId, 'refunded'))).toBe('recorded');

    expect(await parties.getBuyer(order.tenantId, order.buyerId)).toEqual({
      buyerId: order.buyerId,
      reportsTotal: 3,
      upheld: 1,
      rejected: 1,
      escalated: 1,
      unproven: 0,
      rejectionTimes: [rejectedAt.toISOString()],
      unprovenTimes: [],
    });
  });
});
