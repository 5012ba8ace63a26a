import { afterEach, describe, expect, it } from 'vitest';
import {
  buyerOf,
  EUR,
  orderOf,
  redeemAtTime,
  redeemWithoutTime,
  report,
  sellerOf,
} from '../support/fraud-helpers.js';
import { expectLedgerInvariant } from '../support/ledger-invariant.js';
import { revealedFor, unique } from '../support/scenario.js';
import { useTestStack } from '../support/test-stack.js';

const stack = useTestStack();
afterEach(() => expectLedgerInvariant(stack.current));

describe('disputes: time evidence and the buyer history', () => {
  it('escalates the second report without a redemption time from the same buyer (unproven_history)', async () => {
    const s = stack.current;
    const buyerId = unique('redeem-then-report');
    const first = await revealedFor(s, buyerId);
    await redeemWithoutTime(s, first.card.code);
    const upheld = await report(s, first.orderId, buyerId, first.card.cardId);
    expect(upheld.body, upheld.text).toMatchObject({ decision: 'refunded', refund: EUR(4500) });
    expect(await buyerOf(s, buyerId)).toMatchObject({ upheld: 1, unproven: 1 });

    const second = await revealedFor(s, buyerId);
    await redeemWithoutTime(s, second.card.code);
    const res = await report(s, second.orderId, buyerId, second.card.cardId);

    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({
      decision: 'escalated',
      status: 'open',
      escalation: { reason: 'unproven_history' },
    });
    expect(res.body.refund).toBeUndefined();
    expect(await sellerOf(s, second.sellerId)).toMatchObject({ strikes: 0, penalties: [] });
    expect(await orderOf(s, second.orderId)).toMatchObject({ state: 'revealed', refunded: EUR(0) });
  });

  it('treats a redemption 10 s before the reveal as the race window (issuer clock skew), 60 s before as proof', async () => {
    const s = stack.current;
    const close = await revealedFor(s);
    await redeemAtTime(s, close.card.code, Date.parse(close.revealedAt) - 10_000);
    const early = await revealedFor(s);
    await redeemAtTime(s, early.card.code, Date.parse(early.revealedAt) - 60_000);

    const skewed = await report(s, close.orderId, close.buyerId, close.card.cardId);
    const proven = await report(s, early.orderId, early.buyerId, early.card.cardId);

    expect(skewed.status, skewed.text).toBe(201);
    expect(skewed.body).toMatchObject({ decision: 'escalated', escalation: { reason: 'race_window' } });
    expect(await sellerOf(s, close.sellerId)).toMatchObject({ strikes: 0 });
    expect(await orderOf(s, close.orderId)).toMatchObject({ state: 'revealed', refunded: EUR(0) });
    expect(proven.status, proven.text).toBe(201);
    expect(proven.body).toMatchObject({ decision: 'refunded', refund: EUR(4500), sellerPenalty: EUR(450) });
    expect(await sellerOf(s, early.sellerId)).toMatchObject({ strikes: 1 });
    expect(await orderOf(s, early.orderId)).toMatchObject({ state: 'refunded', refunded: EUR(4500) });
  });

  it('escalates, not refunds, a code the issuer calls invalid after it worked at the reveal', async () => {
    const s = stack.current;
    const { orderId, buyerId, sellerId, card } = await revealedFor(s);
    // The issuer forgets the card: its /check now answers `invalid`.
    const forgotten = await s.issuer('/_sim/cards/invalidate', { code: card.code });
    expect(forgotten.status, forgotten.text).toBe(200);

    const res = await report(s, orderId, buyerId, card.cardId);

    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({
      decision: 'escalated',
      status: 'open',
      evidence: { issuerState: 'invalid' },
      escalation: { reason: 'invalid_after_reveal' },
    });
    expect(res.body.refund).toBeUndefined();
    expect(await sellerOf(s, sellerId)).toMatchObject({ strikes: 0, penalties: [] });
    expect(await orderOf(s, orderId)).toMatchObject({ state: 'revealed', refunded: EUR(0) });
  });
});
