import { afterEach, describe, expect, it } from 'vitest';
import {
  aRevealedOrder,
  buyerOf,
  EUR,
  eventsOf,
  expectProblem,
  findCodes,
  orderOf,
  report,
  sellerOf,
  storedOrder,
} from '../support/fraud-helpers.js';
import { expectLedgerInvariant } from '../support/ledger-invariant.js';
import { aPaidOrder, reveal } from '../support/scenario.js';
import type { TestStack } from '../support/test-stack.js';
import { useTestStack } from '../support/test-stack.js';

const stack = useTestStack();
afterEach(() => expectLedgerInvariant(stack.current));

/** Spends part of a card at the shop (the simulated issuer), as a person would. */
async function spend(s: TestStack, code: string, amount: number) {
  const res = await s.issuer('/cards/spend', { code, amount });
  expect(res.status, res.text).toBe(200);
  return res.body;
}

describe('disputes: the issuer balance is evidence', () => {
  it('refunds at reveal, and penalises, a card the seller spent part of before the sale', async () => {
    const s = stack.current;
    const { orderId, buyerId, sellerId, card } = await aPaidOrder(s, { price: 4500, faceValue: 5000 });
    expect(await spend(s, card.code, 4500)).toMatchObject({ state: 'active', balance: EUR(500) });

    const res = await reveal(s, orderId, buyerId);

    expectProblem(res, 409, 'code-already-redeemed');
    expect(findCodes(res.text, [card.code])).toEqual([]);
    expect(await orderOf(s, orderId)).toMatchObject({ state: 'refunded', refunded: EUR(4500) });
    expect(await sellerOf(s, sellerId)).toMatchObject({
      strikes: 1,
      penalties: [expect.objectContaining({ cardId: card.cardId, fine: EUR(450) })],
    });
    expect((await eventsOf(s, orderId)).at(-1)).toMatchObject({
      type: 'order.refunded',
      from: 'paid',
      to: 'refunded',
      data: { reason: 'code_dead_before_reveal', deadCardIds: [card.cardId] },
    });
  });

  it('rejects the report of a buyer who spent part of the card after the reveal', async () => {
    const s = stack.current;
    const { orderId, buyerId, sellerId, card } = await aRevealedOrder(s, { price: 4500, faceValue: 5000 });
    // The balance the issuer gave at the reveal is kept on the order's card.
    const stored = (await storedOrder(s, orderId)) as any;
    expect(stored.cards[0].balanceAtReveal).toEqual(EUR(5000));
    // Spent three minutes later: past the race window, so the spend is the buyer's.
    s.clock.advance(180);
    expect(await spend(s, card.code, 2000)).toMatchObject({ state: 'active', balance: EUR(3000) });

    const res = await report(s, orderId, buyerId, card.cardId);

    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({ decision: 'rejected', evidence: { issuerState: 'active' } });
    expect(res.body.evidence.rationale).toMatch(/spent|balance/i);
    expect(res.body.refund).toBeUndefined();
    expect(await buyerOf(s, buyerId)).toMatchObject({ rejected: 1, upheld: 0 });
    expect(await sellerOf(s, sellerId)).toMatchObject({ strikes: 0, penalties: [] });
    expect(await orderOf(s, orderId)).toMatchObject({ state: 'revealed', refunded: EUR(0) });
  });

  it('lets the simulated issuer spend part of a card, answer the rest at /check, and redeem it at zero', async () => {
    const s = stack.current;
    const check = async (code: string) => (await s.issuer('/check', { brand: 'demo-gift', code })).body;
    const mint = async () =>
      (await s.issuer('/cards', { brand: 'demo-gift', amount: 5000, currency: 'EUR' })).body.code;
    const code = await mint();

    expect(await spend(s, code, 1000)).toEqual({
      state: 'active',
      balance: EUR(4000),
      lastUsedAt: expect.any(String),
    });
    expect(await check(code)).toEqual({
      state: 'active',
      balance: EUR(4000),
      lastUsedAt: expect.any(String),
    });
    const tooMuch = await s.issuer('/cards/spend', { code, amount: 6000 });
    expect(tooMuch.status, tooMuch.text).toBe(409);
    expect(tooMuch.body.type).toMatch(/insufficient-balance$/);
    expect(await spend(s, code, 4000)).toMatchObject({ state: 'redeemed', balance: EUR(0) });
    const spent = await check(code);
    expect(spent).toEqual({
      state: 'redeemed',
      balance: EUR(0),
      redeemedAt: expect.any(String),
      lastUsedAt: spent.redeemedAt,
    });
    expect(Math.abs(Date.parse(spent.redeemedAt) - s.clock.now().getTime())).toBeLessThan(5000);

    const other = await mint();
    const set = await s.issuer('/_sim/cards/set-balance', { code: other, amount: 2500 });
    expect(set.status, set.text).toBe(200);
    expect(await check(other)).toEqual({ state: 'active', balance: EUR(2500) });
  });
});
