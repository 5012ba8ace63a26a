import { afterEach, describe, expect, it } from 'vitest';
import { normalizeCode } from '../../shared/domain/brand.js';
import {
  EUR,
  eventsOf,
  expectProblem,
  findCodes,
  issuerOutage,
  orderOf,
  redeemAtIssuer,
  sellerOf,
  stockOf,
} from '../support/fraud-helpers.js';
import { aListing, anOrder, depositFresh, pay, reveal } from '../support/scenario.js';
import { useTestStack } from '../support/test-stack.js';

const stack = useTestStack();

describe('F7: the seller redeems the code after depositing it', () => {
  afterEach(async () => {
    await issuerOutage(stack.current, false);
  });

  it('never shows the dead code: the reveal refunds the buyer at once and penalises the seller', async () => {
    const s = stack.current;
    const { listingId, sellerId } = await aListing(s, { price: 4500 });
    const [card] = await depositFresh(s, listingId, 1);
    const code = card?.code as string;
    await redeemAtIssuer(s, code);
    const { order, orderId, buyerId } = await anOrder(s, listingId);
    await pay(s, order);

    const res = await reveal(s, orderId, buyerId);

    expectProblem(res, 409, 'code-already-redeemed');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(findCodes(res.text, [code])).toEqual([]);
    expect(res.body.cards).toBeUndefined();
    const refunded = await orderOf(s, orderId);
    expect(refunded).toMatchObject({ state: 'refunded', refunded: EUR(4500) });
    expect(refunded.revealedAt).toBeUndefined();
    const seller = await sellerOf(s, sellerId);
    expect(seller).toMatchObject({ status: 'active', strikes: 1 });
    expect(seller.penalties).toEqual([
      expect.objectContaining({ orderId, cardId: card?.cardId, fine: EUR(450), foundBy: 'issuer_check' }),
    ]);
    // Issue 23: no report proved it, so none is named (it once read "pre-reveal-check").
    expect(seller.penalties[0]).not.toHaveProperty('reportId');
    expect(seller.balance).toEqual({ EUR: { held: 0, available: -450 } });
    // The dead code is void: never sold again, its fingerprint kept taken.
    expect(await stockOf(s, listingId)).toMatchObject({
      void: 1,
      refunded: 0,
      reserved: 0,
      sold: 0,
      available: 0,
    });
    expect((await eventsOf(s, orderId)).at(-1)).toMatchObject({
      type: 'order.refunded',
      actor: 'vault',
      from: 'paid',
      to: 'refunded',
      data: { reason: 'code_dead_before_reveal', deadCardIds: [card?.cardId] },
    });
    // Asking again changes nothing and still shows nothing.
    const again = await reveal(s, orderId, buyerId);
    expectProblem(again, 409, 'code-already-redeemed');
    expect(findCodes(again.text, [code])).toEqual([]);
    expect((await sellerOf(s, sellerId)).strikes).toBe(1);
  });

  it('refunds the whole order when one of its cards is dead, and shows none of them', async () => {
    const s = stack.current;
    const { listingId, sellerId } = await aListing(s, { price: 4500 });
    const cards = await depositFresh(s, listingId, 2);
    await redeemAtIssuer(s, cards[1]?.code as string);
    const { order, orderId, buyerId } = await anOrder(s, listingId, undefined, 2);
    await pay(s, order);

    const res = await reveal(s, orderId, buyerId);

    expectProblem(res, 409, 'code-already-redeemed');
    expect(
      findCodes(
        res.text,
        cards.map((c) => c.code),
      ),
    ).toEqual([]);
    expect(await orderOf(s, orderId)).toMatchObject({ state: 'refunded', refunded: EUR(9000) });
    expect((await sellerOf(s, sellerId)).strikes).toBe(1);
  });

  it('still reveals when the issuer is unreachable (best-effort re-check)', async () => {
    const s = stack.current;
    const { listingId } = await aListing(s);
    const [card] = await depositFresh(s, listingId, 1);
    const { order, orderId, buyerId } = await anOrder(s, listingId);
    await pay(s, order);
    await issuerOutage(s, true);

    const res = await reveal(s, orderId, buyerId);

    expect(res.status, res.text).toBe(200);
    expect(res.body.cards).toEqual([{ cardId: card?.cardId, code: normalizeCode(card?.code as string) }]);
    expect((await orderOf(s, orderId)).state).toBe('revealed');
  });
});
