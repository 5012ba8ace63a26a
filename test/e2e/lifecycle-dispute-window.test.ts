import { describe, expect, it } from 'vitest';
import {
  aRevealedOrder,
  codeOfCard,
  eventsOf,
  expectProblem,
  orderOf,
  redeemAtTime,
  report,
  sellerOf,
} from '../support/fraud-helpers.js';
import { aListing, anOrder, aPaidOrder, depositFresh, pay, reveal } from '../support/scenario.js';
import { useTestStack } from '../support/test-stack.js';

const stack = useTestStack();
/** The default DISPUTE_WINDOW_SECONDS. */
const DISPUTE_WINDOW_SECONDS = 86_400;

describe('lifecycle: escrow and the dispute window', () => {
  it('confirming before the reveal is refused: there is nothing to confirm yet', async () => {
    const s = stack.current;
    const { orderId, buyerId, sellerId } = await aPaidOrder(s);

    expectProblem(await s.post(`/v1/orders/${orderId}/confirm`, { buyerId }), 409, 'invalid-state');
    expect((await orderOf(s, orderId)).state).toBe('paid');
    expect((await sellerOf(s, sellerId)).balance.EUR.available).toBe(0);
  });

  it('releases early when the buyer confirms the code works', async () => {
    const s = stack.current;
    const { orderId, buyerId, sellerId } = await aRevealedOrder(s, { price: 4500 });
    expect((await sellerOf(s, sellerId)).balance).toEqual({ EUR: { held: 4500, available: 0 } });

    const res = await s.post(`/v1/orders/${orderId}/confirm`, { buyerId });

    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ state: 'released', releasedAt: expect.any(String) });
    expect((await sellerOf(s, sellerId)).balance).toEqual({ EUR: { held: 0, available: 4500 } });
    expect((await eventsOf(s, orderId)).at(-1)).toMatchObject({
      type: 'order.released',
      actor: 'buyer',
      from: 'revealed',
      to: 'released',
    });
    // Confirming twice is harmless; a stranger cannot confirm.
    expect((await s.post(`/v1/orders/${orderId}/confirm`, { buyerId })).status).toBe(200);
    expectProblem(await s.post(`/v1/orders/${orderId}/confirm`, { buyerId: 'stranger' }), 404, 'not-found');
    expect((await sellerOf(s, sellerId)).balance).toEqual({ EUR: { held: 0, available: 4500 } });
  });

  it('releases the money when the window closes, on read, and then refuses reports', async () => {
    const s = stack.current;
    const { orderId, buyerId, sellerId, card, revealedAt } = await aRevealedOrder(s, { price: 4500 });
    const open = await orderOf(s, orderId);
    expect(Date.parse(open.disputeDeadline) - Date.parse(revealedAt)).toBe(DISPUTE_WINDOW_SECONDS * 1000);
    s.clock.advance(DISPUTE_WINDOW_SECONDS + 1);

    const read = await orderOf(s, orderId);

    expect(read).toMatchObject({ state: 'released', releasedAt: expect.any(String) });
    expect(read.sellerMessage).toMatch(/released/i);
    expect((await sellerOf(s, sellerId)).balance).toEqual({ EUR: { held: 0, available: 4500 } });
    expect((await eventsOf(s, orderId)).at(-1)).toMatchObject({
      type: 'order.released',
      actor: 'sweeper',
      from: 'revealed',
      to: 'released',
    });
    expectProblem(await report(s, orderId, buyerId, card.cardId), 409, 'dispute-window-closed');
  });

  it('refuses a report sent just after the deadline even if nothing read the order since', async () => {
    const s = stack.current;
    const { orderId, buyerId, sellerId, card } = await aRevealedOrder(s, { price: 4500 });
    s.clock.advance(DISPUTE_WINDOW_SECONDS + 1);

    expectProblem(await report(s, orderId, buyerId, card.cardId), 409, 'dispute-window-closed');
    expect((await orderOf(s, orderId)).state).toBe('released');
    expect((await sellerOf(s, sellerId)).balance).toEqual({ EUR: { held: 0, available: 4500 } });
  });

  it('releases only what was not refunded when one card of a two-card order was reported', async () => {
    const s = stack.current;
    const { listingId, sellerId } = await aListing(s, { price: 4500 });
    const cards = await depositFresh(s, listingId, 2);
    const { order, orderId, buyerId } = await anOrder(s, listingId, undefined, 2);
    await pay(s, order);
    const revealed = await reveal(s, orderId, buyerId);
    expect(revealed.status, revealed.text).toBe(200);
    const bad = order.cards[0].cardId;
    await redeemAtTime(s, codeOfCard(cards, bad), Date.parse(revealed.body.revealedAt) - 60_000);
    expect((await report(s, orderId, buyerId, bad)).body.decision).toBe('refunded');
    const partly = await orderOf(s, orderId);
    expect(partly).toMatchObject({ state: 'revealed', refunded: { amount: 4500, currency: 'EUR' } });
    expect(partly.cards.find((c: { cardId: string }) => c.cardId === bad).refunded).toBe(true);
    s.clock.advance(DISPUTE_WINDOW_SECONDS + 1);

    expect((await orderOf(s, orderId)).state).toBe('released');

    // 9000 paid, 4500 refunded, 450 fined: 4500 released, minus the fine.
    expect((await sellerOf(s, sellerId)).balance).toEqual({ EUR: { held: 0, available: 4050 } });
  });
});
