import { beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../shared/adapters/dynamodb/keys.js';
import { newId } from '../../shared/adapters/ids/ulid-id-generator.js';
import type { Order } from '../../shared/domain/order.js';
import { useTestTable } from '../support/dynamo.js';
import { anOrderIn, aTenant, later, storesOn, transitions, uniqueId } from '../support/store-builders.js';

const table = useTestTable();
const stores = storesOn(table);
const { orders } = stores;

const ref = (o: Order) => ({ tenantId: o.tenantId, orderId: o.orderId });

/** An order id that the due index puts in shard `shard`. */
function orderIdInShard(shard: number, at: Date): string {
  for (;;) {
    const id = newId('ord', at);
    if (keys.due(id, '').gsi1pk === `DUE#${shard}`) return id;
  }
}

describe('listEvents', () => {
  it("returns the order's trail in time order, and only that order's", async () => {
    const { order } = await anOrderIn(stores, 'revealed');
    await anOrderIn(stores, 'paid', { listing: { tenantId: order.tenantId } });

    const events = await orders.listEvents(order.tenantId, order.orderId);

    expect(events.map((e) => e.type)).toEqual(['order.placed', 'payment.received', 'order.revealed']);
    expect(events.every((e) => e.orderId === order.orderId)).toBe(true);
    expect(events.map((e) => e.at)).toEqual(events.map((e) => e.at).sort());
  });
});

describe('listDueOrders', () => {
  // A past era of its own, so the orders other tests create now are not due yet.
  const base = new Date('2001-02-03T04:05:06.000Z');
  const now = later(base, 300).toISOString();
  const due: Order[] = [];
  const notDue: Order[] = [];

  beforeAll(async () => {
    const pending = (shard: number, expiresIn: number) =>
      anOrderIn(stores, 'pending_payment', {
        at: base,
        order: { orderId: orderIdInShard(shard, base), expiresAt: later(base, expiresIn).toISOString() },
      });
    // Due: payment timed out at +60 s (shard 2), dispute window over at +122 s (shard 1), exactly now (shard 0).
    const expiring = await pending(2, 60);
    const releasing = await anOrderIn(stores, 'revealed', {
      at: base,
      order: { orderId: orderIdInShard(1, base) },
      disputeWindowSeconds: 120,
    });
    const atNow = await pending(0, 300);
    due.push(expiring.order, releasing.order, atNow.order);

    // Not due: still time to pay; paid (no timeout any more); released (window over, nothing left to do).
    const notYet = await pending(3, 301);
    const paid = await anOrderIn(stores, 'paid', {
      at: base,
      order: { expiresAt: later(base, 30).toISOString() },
    });
    const revealed = await anOrderIn(stores, 'revealed', { at: base, disputeWindowSeconds: 10 });
    const released = transitions.release(revealed.order, later(base, 20), 'buyer');
    expect(await orders.transition(released)).toBe('done');
    notDue.push(notYet.order, paid.order, released.next);
  });

  it('returns the orders whose payment timeout or dispute deadline is past, across shards, and no others', async () => {
    const shards = new Set(due.map((o) => keys.due(o.orderId, '').gsi1pk));
    expect(shards.size).toBe(3);

    const found = await orders.listDueOrders(now, 10);

    const byId = (a: { orderId: string }, b: { orderId: string }) => a.orderId.localeCompare(b.orderId);
    expect([...found].sort(byId)).toEqual(due.map(ref).sort(byId));
    for (const order of notDue) expect(found).not.toContainEqual(ref(order));
  });

  it('returns at most `limit` orders, the longest due first', async () => {
    const [expiring, releasing] = due as [Order, Order];

    expect(await orders.listDueOrders(now, 2)).toEqual([ref(expiring), ref(releasing)]);
  });
});

describe('listOpenSellerOrders', () => {
  it("lists only the seller's pending_payment and paid orders", async () => {
    const listing = { tenantId: aTenant().tenantId, sellerId: uniqueId('seller') };
    const pending = await anOrderIn(stores, 'pending_payment', { listing });
    const paid = await anOrderIn(stores, 'paid', { listing });
    await anOrderIn(stores, 'revealed', { listing });
    const cancelled = await anOrderIn(stores, 'pending_payment', { listing });
    const cancel = transitions.closeUnpaid(cancelled.order, 'cancelled', 'marketplace', new Date());
    expect(await orders.transition(cancel)).toBe('done');
    // Other sellers: another one of the same tenant, the same seller id in another tenant.
    await anOrderIn(stores, 'pending_payment', { listing: { tenantId: listing.tenantId } });
    await anOrderIn(stores, 'paid', { listing: { sellerId: listing.sellerId } });

    const open = await orders.listOpenSellerOrders(listing.tenantId, listing.sellerId);

    expect(open.map((o) => o.orderId).sort()).toEqual([pending.order.orderId, paid.order.orderId].sort());
  });
});
