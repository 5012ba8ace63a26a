import { describe, expect, it } from 'vitest';
import { normalizeCode } from '../../shared/domain/brand.js';
import { expectProblem, orderOf, placeOrder, sellerOf, stockOf } from '../support/fraud-helpers.js';
import { aListing, anOrder, aPaidOrder, depositFresh, reveal } from '../support/scenario.js';
import { useTestStack } from '../support/test-stack.js';

const stack = useTestStack();

describe('F2: the seller takes the payment and never delivers', () => {
  it('refuses an order on a listing with no deposited cards: no validated stock, no sale', async () => {
    const s = stack.current;
    const { listingId } = await aListing(s);

    const res = await placeOrder(s, listingId);

    expectProblem(res, 409, 'out-of-stock');
    expect(res.body).toMatchObject({ available: 0, requested: 1 });
  });

  it('refuses an order once the only card was withdrawn or is reserved by another buyer', async () => {
    const s = stack.current;
    const { listingId } = await aListing(s);
    const [first, second] = await depositFresh(s, listingId, 2);
    const withdrawn = await s.request('DELETE', `/v1/listings/${listingId}/cards/${first?.cardId}`);
    expect(withdrawn.status, withdrawn.text).toBe(200);
    const { order } = await anOrder(s, listingId);
    expect(order.cards).toEqual([{ cardId: second?.cardId }]);

    expectProblem(await placeOrder(s, listingId), 409, 'out-of-stock');
    expectProblem(await placeOrder(s, listingId, undefined, 2), 409, 'out-of-stock');
  });

  it('delivers a paid order without the seller: the seller can neither withdraw the card nor stop the reveal', async () => {
    const s = stack.current;
    const { listingId, sellerId, card, orderId, buyerId } = await aPaidOrder(s, { price: 4500 });

    const withdraw = await s.request('DELETE', `/v1/listings/${listingId}/cards/${card.cardId}`);
    expectProblem(withdraw, 409, 'card-not-available');
    expect((await orderOf(s, orderId)).sellerMessage).toMatch(/do not send anything yourself/i);

    const res = await reveal(s, orderId, buyerId);

    expect(res.status, res.text).toBe(200);
    expect(res.body.cards.map((c: { code: string }) => c.code)).toEqual([normalizeCode(card.code)]);
    expect(await stockOf(s, listingId)).toMatchObject({ sold: 1, reserved: 0, available: 0 });
    // The money stays in escrow, not with the seller, until the dispute window closes.
    expect((await sellerOf(s, sellerId)).balance).toEqual({ EUR: { held: 4500, available: 0 } });
  });
});
