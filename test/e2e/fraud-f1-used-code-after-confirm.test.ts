import { describe, expect, it } from 'vitest';
import { normalizeCode } from '../../shared/domain/brand.js';
import {
  aRevealedOrder,
  buyerOf,
  deposit,
  EUR,
  eventsOf,
  expectProblem,
  findCodes,
  orderOf,
  placeOrder,
  redeemAtIssuer,
  redeemAtTime,
  report,
  sellerOf,
  stockOf,
} from '../support/fraud-helpers.js';
import { aListing, aPaidOrder, depositFresh, mintCode, reveal } from '../support/scenario.js';
import { useTestStack } from '../support/test-stack.js';

const stack = useTestStack();

describe('F1: the seller sends an already-used code after the buyer "confirms receipt"', () => {
  it('rejects at deposit a code already redeemed at the issuer, so it is never for sale', async () => {
    const s = stack.current;
    const { listingId } = await aListing(s);
    const used = await mintCode(s);
    await redeemAtIssuer(s, used.code);

    const res = await deposit(s, listingId, [{ code: used.code }]);

    expect(res.status, res.text).toBe(200);
    expect(res.body.results).toEqual([
      { index: 0, outcome: 'rejected', last4: used.code.slice(-4), reason: 'already_redeemed' },
    ]);
    const stock = await stockOf(s, listingId);
    expect(Object.values(stock).every((n) => n === 0)).toBe(true);
    expectProblem(await placeOrder(s, listingId), 409, 'out-of-stock');
  });

  it('delivers on payment alone: the buyer reveals without confirming anything first', async () => {
    const s = stack.current;
    const { orderId, buyerId, card } = await aPaidOrder(s);

    const res = await reveal(s, orderId, buyerId);

    expect(res.status, res.text).toBe(200);
    expect(res.body.cards).toEqual([{ cardId: card.cardId, code: normalizeCode(card.code) }]);
    const order = await orderOf(s, orderId);
    expect(order.state).toBe('revealed');
    expect(order.releasedAt).toBeUndefined();
    const types = (await eventsOf(s, orderId)).map((e) => e.type);
    expect(types).toEqual(['order.placed', 'payment.received', 'order.revealed']);
  });

  it('catches a code redeemed after deposit with the pre-reveal re-check (see F7)', async () => {
    const s = stack.current;
    const { listingId } = await aListing(s);
    const [card] = await depositFresh(s, listingId, 1);
    await redeemAtIssuer(s, card?.code as string);
    const placed = await placeOrder(s, listingId);
    expect(placed.status, placed.text).toBe(201);
    const paid = await s.post(`/v1/orders/${placed.body.orderId}/payment`, {
      paymentRef: `pay-${placed.body.orderId}`,
      amount: placed.body.amount,
    });
    expect(paid.status, paid.text).toBe(200);

    const res = await reveal(s, placed.body.orderId, placed.body.buyerId);

    expectProblem(res, 409, 'code-already-redeemed');
    expect(findCodes(res.text, [card?.code as string])).toEqual([]);
    expect((await orderOf(s, placed.body.orderId)).state).toBe('refunded');
  });

  it('refunds the buyer and penalises the seller when a report shows the code was redeemed before the reveal', async () => {
    const s = stack.current;
    const { orderId, buyerId, sellerId, card, revealedAt } = await aRevealedOrder(s, { price: 4500 });
    expect((await sellerOf(s, sellerId)).balance).toEqual({ EUR: { held: 4500, available: 0 } });
    const redeemedAt = await redeemAtTime(s, card.code, Date.parse(revealedAt) - 60_000);

    const res = await report(s, orderId, buyerId, card.cardId);

    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({
      orderId,
      cardId: card.cardId,
      buyerId,
      decision: 'refunded',
      evidence: { issuerState: 'redeemed', redeemedAt, revealedAt },
      refund: EUR(4500),
      sellerPenalty: EUR(450),
    });
    const seller = await sellerOf(s, sellerId);
    expect(seller).toMatchObject({ status: 'active', strikes: 1 });
    expect(seller.penalties).toEqual([
      expect.objectContaining({ orderId, cardId: card.cardId, reportId: res.body.reportId, fine: EUR(450) }),
    ]);
    // The sale's escrow went back to the buyer; the fine is debited from the available balance.
    expect(seller.balance).toEqual({ EUR: { held: 0, available: -450 } });
    const order = await orderOf(s, orderId);
    expect(order).toMatchObject({ state: 'refunded', refunded: EUR(4500) });
    expect(await buyerOf(s, buyerId)).toMatchObject({ reportsTotal: 1, upheld: 1, rejected: 0 });
    expectProblem(await report(s, orderId, buyerId, card.cardId), 409, 'already-reported');
  });
});
