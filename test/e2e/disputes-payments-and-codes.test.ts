import { afterEach, describe, expect, it } from 'vitest';
import { deposit, EUR, eventsOf, expectProblem, orderOf } from '../support/fraud-helpers.js';
import { expectLedgerInvariant } from '../support/ledger-invariant.js';
import { aListing, anOrder, depositFresh, mintCode, pay, unique } from '../support/scenario.js';
import { useTestStack } from '../support/test-stack.js';

const stack = useTestStack();
afterEach(() => expectLedgerInvariant(stack.current));

/** The default PAYMENT_TIMEOUT_SECONDS. */
const PAYMENT_TIMEOUT_SECONDS = 900;

/** Full-width forms of ASCII letters and digits (U+FF01..U+FF5E), which NFKC folds back. */
const fullWidth = (code: string) =>
  code.replace(/[A-Za-z0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

describe('disputes: no payment lost, one code one fingerprint, no last4 before payment', () => {
  it('records a wrong-amount payment as a refund due, once, answers amount-mismatch, and still takes the right one', async () => {
    const s = stack.current;
    const { listingId, sellerId } = await aListing(s, { price: 4500 });
    await depositFresh(s, listingId, 1);
    const { order, orderId } = await anOrder(s, listingId);
    const wrong = { paymentRef: unique('pay'), amount: EUR(4000) };

    const first = await s.post(`/v1/orders/${orderId}/payment`, wrong);
    const again = await s.post(`/v1/orders/${orderId}/payment`, wrong);

    expectProblem(first, 422, 'amount-mismatch');
    expectProblem(again, 422, 'amount-mismatch');
    const recorded = await orderOf(s, orderId);
    expect(recorded.state).toBe('pending_payment');
    expect(recorded.refundDue).toEqual([
      {
        paymentRef: wrong.paymentRef,
        amount: EUR(4000),
        reason: 'amount_mismatch',
        recordedAt: expect.any(String),
      },
    ]);
    const dueEvents = (await eventsOf(s, orderId)).filter((e) => e.type === 'payment.refund_due');
    expect(dueEvents).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({ paymentRef: wrong.paymentRef, reason: 'amount_mismatch' }),
      }),
    ]);

    await pay(s, order);
    expect(await orderOf(s, orderId)).toMatchObject({
      state: 'paid',
      refundDue: [expect.objectContaining(wrong)],
    });
    expect((await s.get(`/v1/sellers/${sellerId}`)).body.balance).toEqual({
      EUR: { held: 4500, available: 0 },
    });
  });

  it.each([
    ['a zero-width space inside', (code: string) => `${code.slice(0, 7)}\u200b${code.slice(7)}`],
    ['U+2013 dashes', (code: string) => code.replaceAll('-', '\u2013')],
    ['full-width letters and digits', fullWidth],
  ])('refuses a look-alike spelling (%s) of a deposited code as a duplicate', async (_label, lookAlike) => {
    const s = stack.current;
    const { code } = await mintCode(s);
    const first = await aListing(s);
    expect((await deposit(s, first.listingId, [{ code }])).body.results[0].outcome).toBe('accepted');
    const other = await aListing(s);

    const res = await deposit(s, other.listingId, [{ code: lookAlike(code) }]);

    expect(res.status, res.text).toBe(200);
    expect(res.body.results).toEqual([
      expect.objectContaining({ index: 0, outcome: 'rejected', reason: 'duplicate' }),
    ]);
    expect(res.body.results[0].cardId).toBeUndefined();
  });

  it('shows no last4 on an unpaid, cancelled or expired order, and shows it once paid', async () => {
    const s = stack.current;
    const { listingId } = await aListing(s);
    await depositFresh(s, listingId, 3);
    const placed = await anOrder(s, listingId);
    const toCancel = await anOrder(s, listingId);
    const toPay = await anOrder(s, listingId);
    const noLast4 = (order: any) => {
      expect(order.cards.length).toBe(1);
      for (const card of order.cards) expect(card).not.toHaveProperty('last4');
    };

    noLast4(placed.order);
    noLast4(await orderOf(s, placed.orderId));
    const cancelled = await s.post(`/v1/orders/${toCancel.orderId}/cancel`);
    expect(cancelled.status, cancelled.text).toBe(200);
    noLast4(cancelled.body);
    const paid = await pay(s, toPay.order);
    expect(paid.cards[0].last4).toMatch(/^[A-Z0-9]{4}$/);
    s.clock.advance(PAYMENT_TIMEOUT_SECONDS + 1);
    const expired = await orderOf(s, placed.orderId);
    expect(expired.state).toBe('expired');
    noLast4(expired);
    expect((await orderOf(s, toPay.orderId)).cards[0].last4).toMatch(/^[A-Z0-9]{4}$/);
  });
});
