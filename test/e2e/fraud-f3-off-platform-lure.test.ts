import { describe, expect, it } from 'vitest';
import { eventsOf, expectProblem, findCodes, orderOf } from '../support/fraud-helpers.js';
import { aListing, anOrder, depositFresh, pay, reveal } from '../support/scenario.js';
import { useTestStack } from '../support/test-stack.js';

const stack = useTestStack();

describe('F3: the off-platform lure, and the evidence that must survive it', () => {
  it('has no way to hard-delete a listing', async () => {
    const s = stack.current;
    const { listingId } = await aListing(s);

    const res = await s.request('DELETE', `/v1/listings/${listingId}`);

    expect([404, 405]).toContain(res.status);
    expectProblem(res, res.status, res.status === 404 ? 'not-found' : 'method-not-allowed');
    expect((await s.get(`/v1/listings/${listingId}`)).status).toBe(200);
  });

  it('keeps the listing, the sold order and its audit trail after the seller withdraws every card', async () => {
    const s = stack.current;
    const { listingId, sellerId } = await aListing(s);
    const cards = await depositFresh(s, listingId, 3);
    const { order, orderId, buyerId } = await anOrder(s, listingId);
    await pay(s, order);
    expect((await reveal(s, orderId, buyerId)).status).toBe(200);
    const trail = await eventsOf(s, orderId);
    const sold = order.cards[0].cardId;

    for (const { cardId } of cards.filter((c) => c.cardId !== sold)) {
      const res = await s.request('DELETE', `/v1/listings/${listingId}/cards/${cardId}`);
      expect(res.status, res.text).toBe(200);
      expect(res.body.state).toBe('withdrawn');
    }

    const listing = await s.get(`/v1/listings/${listingId}`);
    expect(listing.status).toBe(200);
    expect(listing.body).toMatchObject({ listingId, sellerId, brand: 'demo-gift' });
    expect(listing.body.stock).toMatchObject({ withdrawn: 2, sold: 1, available: 0 });
    expect((await orderOf(s, orderId)).state).toBe('revealed');
    expect(await eventsOf(s, orderId)).toEqual(trail);
    expect(
      findCodes(
        listing.text,
        cards.map((c) => c.code),
      ),
    ).toEqual([]);
  });

  it('shows a code only on the vault order it was sold in, and to that buyer only', async () => {
    const s = stack.current;
    const { listingId } = await aListing(s);
    const [card] = await depositFresh(s, listingId, 1);
    const { order, orderId, buyerId } = await anOrder(s, listingId);
    await pay(s, order);

    expectProblem(await reveal(s, orderId, 'someone-else'), 404, 'not-found');
    expectProblem(await reveal(s, 'ord_00000000000000000000000000', buyerId), 404, 'not-found');
    // Sellers can never read a code back: there is no card read endpoint.
    const readBack = await s.get(`/v1/listings/${listingId}/cards/${card?.cardId}`);
    expect([404, 405]).toContain(readBack.status);
    expect(findCodes(readBack.text, [card?.code as string])).toEqual([]);
    expect((await reveal(s, orderId, buyerId)).status).toBe(200);
  });
});
