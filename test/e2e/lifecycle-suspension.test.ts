import { describe, expect, it } from 'vitest';
import {
  codeOfCard,
  deposit,
  eventsOf,
  expectProblem,
  findCodes,
  orderOf,
  placeOrder,
  redeemAtTime,
  report,
  sellerOf,
} from '../support/fraud-helpers.js';
import { aListing, anOrder, depositFresh, mintCode, pay, reveal, unique } from '../support/scenario.js';
import { useTestStack } from '../support/test-stack.js';

const stack = useTestStack();

describe('lifecycle: suspension at 3 upheld reports', () => {
  it('suspends the seller at the third strike and freezes everything they sell', async () => {
    const s = stack.current;
    const { listingId, sellerId } = await aListing(s, { price: 4500 });
    const cards = await depositFresh(s, listingId, 6);
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

    for (const [i, sale] of sold.entries()) {
      await redeemAtTime(s, codeOfCard(cards, sale.cardId), Date.parse(sale.revealedAt) - 60_000);
      const res = await report(s, sale.orderId, sale.buyerId, sale.cardId);
      expect(res.body.decision, res.text).toBe('refunded');
      expect(await sellerOf(s, sellerId)).toMatchObject({
        strikes: i + 1,
        status: i < 2 ? 'active' : 'suspended',
      });
    }

    const seller = await sellerOf(s, sellerId);
    expect(seller).toMatchObject({ status: 'suspended', strikes: 3, payoutsHeld: true });
    expect(seller.suspendedAt).toEqual(expect.any(String));
    expect(seller.penalties).toHaveLength(3);
    // Three sales refunded and fined; the paid but unrevealed sale refunded without a fine.
    expect(seller.balance).toEqual({ EUR: { held: 0, available: -1350 } });

    // No new listings, no deposits, no sale of the remaining stock.
    const listing = await s.post('/v1/listings', {
      sellerId,
      brand: 'demo-gift',
      faceValue: { amount: 5000, currency: 'EUR' },
      price: { amount: 4500, currency: 'EUR' },
    });
    expectProblem(listing, 409, 'seller-suspended');
    const fresh = await mintCode(s);
    const deposited = await deposit(s, listingId, [{ code: fresh.code }]);
    expectProblem(deposited, 409, 'seller-suspended');
    expect(findCodes(deposited.text, [fresh.code])).toEqual([]);
    expectProblem(await placeOrder(s, listingId), 409, 'seller-suspended');

    // Unpaid orders cancelled, paid-unrevealed orders refunded, by the vault, with the reason.
    const cancelled = await orderOf(s, unpaid.orderId);
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.sellerMessage).toMatch(/do not send anything/i);
    expect((await eventsOf(s, unpaid.orderId)).at(-1)).toMatchObject({
      type: 'order.cancelled',
      actor: 'vault',
      from: 'pending_payment',
      to: 'cancelled',
      data: { reason: 'seller_suspended' },
    });
    expect(await orderOf(s, paidUnrevealed.orderId)).toMatchObject({
      state: 'refunded',
      refunded: { amount: 4500, currency: 'EUR' },
    });
    expect((await eventsOf(s, paidUnrevealed.orderId)).at(-1)).toMatchObject({
      type: 'order.refunded',
      actor: 'vault',
      from: 'paid',
      to: 'refunded',
      data: { reason: 'seller_suspended', deadCardIds: [] },
    });
    const late = await reveal(s, paidUnrevealed.orderId, paidUnrevealed.buyerId);
    expect(late.status, late.text).toBe(409);
    expect(
      findCodes(
        late.text,
        cards.map((c) => c.code),
      ),
    ).toEqual([]);
    // A payment arriving for the cancelled order is kept as a refund due.
    const payment = { paymentRef: unique('pay'), amount: unpaid.order.amount };
    const refused = await s.post(`/v1/orders/${unpaid.orderId}/payment`, payment);
    expectProblem(refused, 409, 'invalid-state');
    expect((await orderOf(s, unpaid.orderId)).refundDue).toEqual([
      expect.objectContaining({ ...payment, reason: 'order_cancelled' }),
    ]);
  });

  it('leaves other sellers of the same marketplace trading', async () => {
    const s = stack.current;
    const { listingId } = await aListing(s);
    await depositFresh(s, listingId, 1);

    const res = await placeOrder(s, listingId, unique('buyer'));

    expect(res.status, res.text).toBe(201);
  });
});
