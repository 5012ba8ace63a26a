import { describe, expect, it } from 'vitest';
import { ulidIdGenerator } from '../../shared/adapters/ids/ulid-id-generator.js';
import type { Card } from '../../shared/domain/card.js';
import type { Order } from '../../shared/domain/order.js';
import type { SellerEvent } from '../../shared/domain/seller-standing.js';
import { useTestTable } from '../support/dynamo.js';
import { anOrderIn, storesOn, transitions } from '../support/store-builders.js';

const table = useTestTable();
const stores = storesOn(table);
const { orders, parties } = stores;

/** A refund of one reported card of `order`, its strike guarded with the seller as now. */
async function strikeOn(order: Order, cardId: string, at = new Date()) {
  const seller = await parties.getSeller(order.tenantId, order.sellerId);
  return transitions.strike(transitions.refundReportedCard(order, cardId, `rpt-${cardId}`, at), seller);
}

type Sale = { order: Order; cardId: string };

async function revealedOrders(count: number): Promise<Sale[]> {
  const first = await anOrderIn(stores, 'revealed');
  const seller = { tenantId: first.order.tenantId, sellerId: first.order.sellerId };
  const rest = [];
  for (let i = 1; i < count; i++) rest.push(await anOrderIn(stores, 'revealed', { listing: seller }));
  return [first, ...rest].map(({ order, cards }) => ({ order, cardId: (cards[0] as Card).cardId }));
}

describe('a strike and the suspension it brings', () => {
  it('writes the third strike and the suspension in one transaction, with the cascade pending on the due index', async () => {
    const sales = await revealedOrders(3);
    for (const sale of sales.slice(0, 2))
      expect(await orders.transition(await strikeOn(sale.order, sale.cardId))).toBe('done');
    const third = sales[2] as (typeof sales)[number];

    const t = await strikeOn(third.order, third.cardId);
    expect(t.strikeGuard?.suspension).toBeDefined();
    expect(await orders.transition(t)).toBe('done');

    const { tenantId, sellerId } = third.order;
    expect(await parties.getSeller(tenantId, sellerId)).toMatchObject({
      status: 'suspended',
      suspendedAt: t.at,
      cascadePending: true,
    });
    expect(await parties.listPendingCascades(100)).toContainEqual({ tenantId, sellerId, suspendedAt: t.at });
    expect((await orders.listEvents(tenantId, third.order.orderId)).map((e) => e.type)).toContain(
      'seller.suspended',
    );
    expect(await parties.listSellerEvents(tenantId, sellerId)).toEqual([
      expect.objectContaining({ type: 'seller.suspended', by: 'vault', at: t.at }),
    ]);
  });

  it('refuses a strike counted from a stale reading of the seller: a concurrent strike cannot slip past the limit', async () => {
    const [a, b, c] = (await revealedOrders(3)) as [Sale, Sale, Sale];
    expect(await orders.transition(await strikeOn(a.order, a.cardId))).toBe('done');
    // Both read the seller with one strike: neither alone reaches 3.
    const second = await strikeOn(b.order, b.cardId);
    const concurrent = await strikeOn(c.order, c.cardId);
    expect(await orders.transition(second)).toBe('done');

    expect(await orders.transition(concurrent)).toBe('conflict');

    // Decided again on the seller as it now is, the same strike suspends.
    const again = await strikeOn(c.order, c.cardId);
    expect(again.strikeGuard?.suspension).toBeDefined();
    expect(await orders.transition(again)).toBe('done');
    expect(await parties.getSeller(a.order.tenantId, a.order.sellerId)).toMatchObject({
      status: 'suspended',
    });
  });

  it('refuses a transition with a strike and no guard, writing nothing', async () => {
    const [sale] = (await revealedOrders(1)) as [Sale];
    const unguarded = transitions.refundReportedCard(sale.order, sale.cardId, 'rpt-x', new Date());
    await expect(orders.transition(unguarded)).rejects.toThrow(/seller as read/);
  });
});

describe('finishCascade and reinstateSeller', () => {
  it('takes a finished cascade off the due index, once, and reinstates with an event, keeping the strikes', async () => {
    const sales = await revealedOrders(3);
    for (const sale of sales)
      expect(await orders.transition(await strikeOn(sale.order, sale.cardId))).toBe('done');
    const { tenantId, sellerId } = (sales[0] as (typeof sales)[number]).order;
    const { suspendedAt } = (await parties.getSeller(tenantId, sellerId)) as { suspendedAt: string };

    expect(await parties.finishCascade(tenantId, sellerId, '2000-01-01T00:00:00.000Z')).toBe(false);
    expect(await parties.finishCascade(tenantId, sellerId, suspendedAt)).toBe(true);
    expect(await parties.listPendingCascades(100)).not.toContainEqual(expect.objectContaining({ sellerId }));

    const event: SellerEvent = {
      eventId: ulidIdGenerator.next('evt', new Date()),
      sellerId,
      type: 'seller.reinstated',
      by: 'ops-1',
      at: new Date().toISOString(),
      data: { note: 'verified' },
    };
    expect(await parties.reinstateSeller(tenantId, event)).toBe(true);
    expect(
      await parties.reinstateSeller(tenantId, { ...event, eventId: ulidIdGenerator.next('evt', new Date()) }),
    ).toBe(false);

    const seller = await parties.getSeller(tenantId, sellerId);
    expect(seller).toMatchObject({ status: 'active', reinstatedAt: event.at });
    expect(seller?.strikeTimes).toHaveLength(3);
    expect(seller?.suspendedAt).toBeUndefined();
    expect((await parties.listSellerEvents(tenantId, sellerId)).map((e) => e.type)).toEqual([
      'seller.suspended',
      'seller.reinstated',
    ]);
  });
});
