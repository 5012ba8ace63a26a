import { describe, expect, it } from 'vitest';
import { eventsOf, orderOf, sellerOf, stockOf, storedOrder } from '../support/fraud-helpers.js';
import { aListing, anOrder, depositFresh, pay, reveal } from '../support/scenario.js';
import { useTestStack } from '../support/test-stack.js';

const stack = useTestStack();

describe('lifecycle: the sweeper applies due transitions', () => {
  it('expires unpaid orders and releases closed dispute windows, in the table, before anyone reads them', async () => {
    const s = stack.current;
    const { listingId, sellerId } = await aListing(s, { price: 4500 });
    await depositFresh(s, listingId, 3);
    const unpaid = await anOrder(s, listingId);
    const revealed = await anOrder(s, listingId);
    await pay(s, revealed.order);
    expect((await reveal(s, revealed.orderId, revealed.buyerId)).status).toBe(200);
    const paid = await anOrder(s, listingId);
    await pay(s, paid.order);
    // Nothing is due yet.
    expect((await s.vault.sweeper.sweep()).examined).toBe(0);
    s.clock.advance(86_400 + 1);

    const result = await s.vault.sweeper.sweep();

    expect(result).toEqual({ examined: 2, failed: 0 });
    expect(await storedOrder(s, unpaid.orderId)).toMatchObject({ state: 'expired' });
    expect(await storedOrder(s, revealed.orderId)).toMatchObject({ state: 'released' });
    expect(await storedOrder(s, paid.orderId)).toMatchObject({ state: 'paid' });
    expect(await stockOf(s, listingId)).toMatchObject({ available: 1, reserved: 1, sold: 1 });
    expect((await sellerOf(s, sellerId)).balance).toEqual({ EUR: { held: 4500, available: 4500 } });
    expect((await eventsOf(s, unpaid.orderId)).at(-1)).toMatchObject({
      type: 'order.expired',
      actor: 'sweeper',
      from: 'pending_payment',
      to: 'expired',
    });
    expect((await eventsOf(s, revealed.orderId)).at(-1)).toMatchObject({
      type: 'order.released',
      actor: 'sweeper',
      from: 'revealed',
      to: 'released',
    });
    // Swept orders leave the due index; a read afterwards changes nothing.
    expect((await s.vault.sweeper.sweep()).examined).toBe(0);
    expect((await orderOf(s, unpaid.orderId)).state).toBe('expired');
    expect((await eventsOf(s, unpaid.orderId)).filter((e) => e.type === 'order.expired')).toHaveLength(1);
  });
});
