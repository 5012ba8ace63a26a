import { describe, expect, it } from 'vitest';
import {
  aRevealedOrder,
  buyerOf,
  EUR,
  issuerOutage,
  orderOf,
  redeemAtIssuer,
  redeemAtTime,
  redeemWithoutTime,
  report,
  sellerOf,
} from '../support/fraud-helpers.js';
import { revealedFor, unique } from '../support/scenario.js';
import { useTestStack } from '../support/test-stack.js';

const stack = useTestStack();
/** The default RACE_WINDOW_SECONDS. */
const RACE_WINDOW_SECONDS = 120;

describe('F5: the buyer redeems the code, then claims it was already used', () => {
  it('rejects a report on a code redeemed after the reveal, outside the race window, and marks the buyer', async () => {
    const s = stack.current;
    const { orderId, buyerId, sellerId, card, revealedAt } = await aRevealedOrder(s);
    s.clock.advance(RACE_WINDOW_SECONDS + 180);
    const redeemedAt = await redeemAtIssuer(s, card.code);

    const res = await report(s, orderId, buyerId, card.cardId);

    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({
      decision: 'rejected',
      evidence: { issuerState: 'redeemed', redeemedAt, revealedAt },
    });
    expect(res.body.refund).toBeUndefined();
    expect(res.body.sellerPenalty).toBeUndefined();
    expect(await buyerOf(s, buyerId)).toMatchObject({ reportsTotal: 1, rejected: 1, upheld: 0 });
    expect(await sellerOf(s, sellerId)).toMatchObject({ strikes: 0, penalties: [] });
    expect((await orderOf(s, orderId)).state).toBe('revealed');
  });

  it('escalates, rather than refunds, a code redeemed within the race window after the reveal', async () => {
    const s = stack.current;
    const { orderId, buyerId, sellerId, card, revealedAt } = await aRevealedOrder(s);
    const redeemedAt = await redeemAtTime(s, card.code, Date.parse(revealedAt) + 30_000);

    const res = await report(s, orderId, buyerId, card.cardId);

    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({
      decision: 'escalated',
      evidence: { issuerState: 'redeemed', redeemedAt, revealedAt },
    });
    expect(res.body.refund).toBeUndefined();
    expect(await buyerOf(s, buyerId)).toMatchObject({ reportsTotal: 1, escalated: 1, rejected: 0 });
    expect((await sellerOf(s, sellerId)).strikes).toBe(0);
    expect((await orderOf(s, orderId)).state).toBe('revealed');
  });

  it('escalates a code redeemed at no given time when the buyer has 3 rejected reports in 90 days', async () => {
    const s = stack.current;
    const buyerId = unique('serial-reporter');
    for (let i = 0; i < 3; i++) {
      const earlier = await revealedFor(s, buyerId);
      const rejected = await report(s, earlier.orderId, buyerId, earlier.card.cardId);
      expect(rejected.body.decision, rejected.text).toBe('rejected'); // the code still works
    }
    expect(await buyerOf(s, buyerId)).toMatchObject({ rejected: 3, creditPoor: true });
    const { orderId, sellerId, card } = await revealedFor(s, buyerId);
    await redeemWithoutTime(s, card.code);

    const res = await report(s, orderId, buyerId, card.cardId);

    expect(res.status, res.text).toBe(201);
    expect(res.body.decision).toBe('escalated');
    expect(res.body.evidence.issuerState).toBe('redeemed');
    expect(res.body.evidence.redeemedAt).toBeUndefined();
    expect((await sellerOf(s, sellerId)).strikes).toBe(0);
    expect((await orderOf(s, orderId)).state).toBe('revealed');
  });

  it('refunds a buyer in good standing when the issuer gives no redemption time', async () => {
    const s = stack.current;
    const { orderId, buyerId, sellerId, card } = await aRevealedOrder(s, { price: 4500 });
    await redeemWithoutTime(s, card.code);

    const res = await report(s, orderId, buyerId, card.cardId);

    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({ decision: 'refunded', refund: EUR(4500), sellerPenalty: EUR(450) });
    expect(res.body.evidence.redeemedAt).toBeUndefined();
    expect(await buyerOf(s, buyerId)).toMatchObject({ upheld: 1, rejected: 0, creditPoor: false });
    expect((await sellerOf(s, sellerId)).strikes).toBe(1);
    expect((await orderOf(s, orderId)).state).toBe('refunded');
  });

  it('escalates a report when the issuer cannot be reached to re-check it', async () => {
    const s = stack.current;
    const { orderId, buyerId, sellerId, card, revealedAt } = await aRevealedOrder(s);
    await issuerOutage(s, true);
    try {
      const res = await report(s, orderId, buyerId, card.cardId);

      expect(res.status, res.text).toBe(201);
      expect(res.body).toMatchObject({
        decision: 'escalated',
        evidence: { issuerState: 'unreachable', revealedAt },
      });
    } finally {
      await issuerOutage(s, false);
    }
    expect((await sellerOf(s, sellerId)).strikes).toBe(0);
    expect((await orderOf(s, orderId)).state).toBe('revealed');
  });
});
