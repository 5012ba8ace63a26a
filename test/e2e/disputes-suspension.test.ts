import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  codeOfCard,
  EUR,
  eventsOf,
  expectProblem,
  redeemAtTime,
  report,
  sellerOf,
  storedOrder,
} from '../support/fraud-helpers.js';
import { expectLedgerInvariant } from '../support/ledger-invariant.js';
import { aListing, anOrder, depositFresh, pay, reveal } from '../support/scenario.js';
import { useTestStack } from '../support/test-stack.js';

const stack = useTestStack();
afterEach(async () => {
  vi.restoreAllMocks();
  await expectLedgerInvariant(stack.current);
});

describe('disputes: suspension is atomic and its cascade always finishes', () => {
  it('suspends in the third strike’s transaction; the sweeper finishes a failed cascade; an operator reinstates', async () => {
    const s = stack.current;
    const { listingId, sellerId } = await aListing(s, { price: 4500 });
    const cards = await depositFresh(s, listingId, 5);
    const sold = [];
    for (let i = 0; i < 3; i++) {
      const { order, orderId, buyerId } = await anOrder(s, listingId);
      await pay(s, order);
      const revealed = await reveal(s, orderId, buyerId);
      expect(revealed.status, revealed.text).toBe(200);
      sold.push({ orderId, buyerId, cardId: order.cards[0].cardId, revealedAt: revealed.body.revealedAt });
    }
    const unpaid = await anOrder(s, listingId);
    const paidUnrevealed = await anOrder(s, listingId);
    await pay(s, paidUnrevealed.order);
    for (const sale of sold) {
      await redeemAtTime(s, codeOfCard(cards, sale.cardId), Date.parse(sale.revealedAt) - 3_600_000);
    }
    for (const sale of sold.slice(0, 2)) {
      expect((await report(s, sale.orderId, sale.buyerId, sale.cardId)).body.decision).toBe('refunded');
    }
    // Fault injection: the inline cascade after the third strike fails once.
    const cascade = vi
      .spyOn(s.vault.suspension, 'cascade')
      .mockRejectedValueOnce(new Error('injected cascade failure'));
    const third = sold[2] as (typeof sold)[number];

    const res = await report(s, third.orderId, third.buyerId, third.cardId);

    expect(res.status, res.text).toBe(201);
    expect(res.body.decision).toBe('refunded');
    expect(cascade).toHaveBeenCalled();
    expect(await sellerOf(s, sellerId)).toMatchObject({ status: 'suspended', strikes: 3, payoutsHeld: true });
    // The suspension is on the trail of the order whose report struck the third time, at the same instant.
    const trail = await eventsOf(s, third.orderId);
    const suspended = trail.find((e) => e.type === 'seller.suspended');
    const decided = trail.find((e) => e.type === 'report.refunded');
    expect(suspended).toBeDefined();
    expect(suspended.at).toBe(decided.at);
    // The cascade failed: these orders are still open in the table.
    expect(await storedOrder(s, unpaid.orderId)).toMatchObject({ state: 'pending_payment' });
    expect(await storedOrder(s, paidUnrevealed.orderId)).toMatchObject({ state: 'paid' });

    await s.vault.sweeper.sweep();

    expect(await storedOrder(s, unpaid.orderId)).toMatchObject({ state: 'cancelled' });
    expect(await storedOrder(s, paidUnrevealed.orderId)).toMatchObject({
      state: 'refunded',
      refunded: EUR(4500),
      refundReason: 'seller_suspended',
    });
    expect((await eventsOf(s, paidUnrevealed.orderId)).at(-1)).toMatchObject({
      type: 'order.refunded',
      from: 'paid',
      to: 'refunded',
      data: { reason: 'seller_suspended' },
    });

    const reinstated = await s.post(`/v1/sellers/${sellerId}/reinstate`, {
      note: 'identity re-verified; fines paid',
      decidedBy: 'ops-3',
    });

    expect(reinstated.status, reinstated.text).toBe(200);
    expect(reinstated.body).toMatchObject({
      sellerId,
      status: 'active',
      payoutsHeld: false,
      strikesTotal: 3,
    });
    expect(reinstated.body.penalties).toHaveLength(3);
    const listing = await s.post('/v1/listings', {
      sellerId,
      brand: 'demo-gift',
      faceValue: EUR(5000),
      price: EUR(4500),
    });
    expect(listing.status, listing.text).toBe(201);
    expectProblem(await s.post(`/v1/sellers/${sellerId}/reinstate`, { note: '' }), 400, 'validation');
    // Twelve requests and a sweep: more room than the default under a loaded machine.
  }, 40_000);
});
