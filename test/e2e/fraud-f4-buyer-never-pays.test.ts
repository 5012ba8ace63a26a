import { describe, expect, it } from 'vitest';
import {
  EUR,
  eventsOf,
  expectProblem,
  findCodes,
  orderOf,
  placeOrder,
  stockOf,
} from '../support/fraud-helpers.js';
import { aListing, anOrder, depositFresh, reveal, unique } from '../support/scenario.js';
import { useTestStack } from '../support/test-stack.js';

const stack = useTestStack();
/** The default PAYMENT_TIMEOUT_SECONDS. */
const PAYMENT_TIMEOUT_SECONDS = 900;

describe('F4: the buyer orders but never pays', () => {
  it('tells the seller plainly that an unpaid order is NOT PAID and nothing must be sent', async () => {
    const s = stack.current;
    const { listingId } = await aListing(s);
    await depositFresh(s, listingId, 1);
    const { orderId } = await anOrder(s, listingId);

    const order = await orderOf(s, orderId);

    expect(order.state).toBe('pending_payment');
    expect(order.sellerMessage).toMatch(/NOT PAID/);
    expect(order.sellerMessage).toMatch(/do not send/i);
    expect(order.sellerMessage).not.toMatch(/\bpaid into\b|payment received/i);
    expect(order.buyerMessage).toMatch(/awaiting your payment/i);
  });

  it('refuses to reveal before the payment has cleared, and shows no code', async () => {
    const s = stack.current;
    const { listingId } = await aListing(s);
    const [card] = await depositFresh(s, listingId, 1);
    const { orderId, buyerId } = await anOrder(s, listingId);

    const res = await reveal(s, orderId, buyerId);

    expectProblem(res, 409, 'payment-not-cleared');
    expect(findCodes(res.text, [card?.code as string])).toEqual([]);
    expect((await orderOf(s, orderId)).state).toBe('pending_payment');
  });

  it('expires the order on read once the payment timeout passed, without the sweeper, and puts the card back', async () => {
    const s = stack.current;
    const { listingId } = await aListing(s);
    await depositFresh(s, listingId, 1);
    const { order, orderId } = await anOrder(s, listingId);
    expect(await stockOf(s, listingId)).toMatchObject({ available: 0, reserved: 1 });
    s.clock.advance(PAYMENT_TIMEOUT_SECONDS + 1);

    const read = await orderOf(s, orderId);

    expect(read.state).toBe('expired');
    expect(read.sellerMessage).toMatch(/do not send anything/i);
    expect(await stockOf(s, listingId)).toMatchObject({ available: 1, reserved: 0 });
    const expired = (await eventsOf(s, orderId)).at(-1);
    expect(expired).toMatchObject({ type: 'order.expired', from: 'pending_payment', to: 'expired' });
    // The card is for sale again.
    const again = await placeOrder(s, listingId);
    expect(again.status, again.text).toBe(201);
    expect(again.body.cards).toEqual(order.cards);
  });

  it('records a late payment as a refund due and answers order-expired', async () => {
    const s = stack.current;
    const { listingId } = await aListing(s, { price: 4500 });
    await depositFresh(s, listingId, 1);
    const { order, orderId } = await anOrder(s, listingId);
    s.clock.advance(PAYMENT_TIMEOUT_SECONDS + 1);
    const paymentRef = unique('late-pay');

    const res = await s.post(`/v1/orders/${orderId}/payment`, { paymentRef, amount: order.amount });

    expectProblem(res, 409, 'order-expired');
    expect(res.body.refundDue).toMatchObject({ paymentRef, amount: EUR(4500), reason: 'order_expired' });
    const read = await orderOf(s, orderId);
    expect(read.state).toBe('expired');
    expect(read.refundDue).toEqual([
      { paymentRef, amount: EUR(4500), reason: 'order_expired', recordedAt: expect.any(String) },
    ]);
    // The same callback again gets the same answer and is not recorded twice.
    const again = await s.post(`/v1/orders/${orderId}/payment`, { paymentRef, amount: order.amount });
    expectProblem(again, 409, 'order-expired');
    expect((await orderOf(s, orderId)).refundDue).toHaveLength(1);
  });

  it("puts an expired order's card back on sale even before anyone reads the order or the sweeper runs", async () => {
    // docs/design.md "Rules": results never depend on when the sweeper last ran.
    const s = stack.current;
    const { listingId } = await aListing(s);
    await depositFresh(s, listingId, 1);
    const { orderId } = await anOrder(s, listingId);
    s.clock.advance(PAYMENT_TIMEOUT_SECONDS + 1);

    const next = await placeOrder(s, listingId);

    expect(next.status, next.text).toBe(201);
    expect((await orderOf(s, orderId)).state).toBe('expired');
  });
});
