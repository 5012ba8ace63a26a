import { describe, expect, it } from 'vitest';
import { EUR, eventsOf, expectProblem, orderOf, sellerOf, stockOf } from '../support/fraud-helpers.js';
import { aListing, anOrder, depositFresh, unique } from '../support/scenario.js';
import { useTestStack } from '../support/test-stack.js';

const stack = useTestStack();

describe('F8: duplicate payment callbacks and replayed orders (sequential)', () => {
  it('answers the same paymentRef twice with the same 200 and books the money once', async () => {
    const s = stack.current;
    const { listingId, sellerId } = await aListing(s, { price: 4500 });
    await depositFresh(s, listingId, 1);
    const { order, orderId } = await anOrder(s, listingId);
    const callback = { paymentRef: unique('pay'), amount: order.amount };

    const first = await s.post(`/v1/orders/${orderId}/payment`, callback);
    const second = await s.post(`/v1/orders/${orderId}/payment`, callback);

    expect(first.status, first.text).toBe(200);
    expect(second.status, second.text).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(first.body).toMatchObject({ state: 'paid', paymentRef: callback.paymentRef });
    expect(first.body.refundDue).toBeUndefined();
    expect((await sellerOf(s, sellerId)).balance).toEqual({ EUR: { held: 4500, available: 0 } });
    const payments = (await eventsOf(s, orderId)).filter((e) => e.type.startsWith('payment.'));
    expect(payments).toHaveLength(1);
  });

  it('records a second payment with another reference as a refund due and answers already-paid', async () => {
    const s = stack.current;
    const { listingId, sellerId } = await aListing(s, { price: 4500 });
    await depositFresh(s, listingId, 1);
    const { order, orderId } = await anOrder(s, listingId);
    const paid = await s.post(`/v1/orders/${orderId}/payment`, {
      paymentRef: unique('pay'),
      amount: order.amount,
    });
    expect(paid.status, paid.text).toBe(200);
    const duplicate = { paymentRef: unique('pay-again'), amount: order.amount };

    const res = await s.post(`/v1/orders/${orderId}/payment`, duplicate);

    expectProblem(res, 409, 'already-paid');
    expect(res.body.refundDue).toMatchObject({ ...duplicate, reason: 'duplicate_payment' });
    const read = await orderOf(s, orderId);
    expect(read.state).toBe('paid');
    expect(read.paymentRef).toBe(paid.body.paymentRef);
    expect(read.refundDue).toEqual([
      { ...duplicate, amount: EUR(4500), reason: 'duplicate_payment', recordedAt: expect.any(String) },
    ]);
    // The seller's escrow holds one price, not two.
    expect((await sellerOf(s, sellerId)).balance).toEqual({ EUR: { held: 4500, available: 0 } });
    // The duplicate callback retried: same answer, still one refund due.
    expectProblem(await s.post(`/v1/orders/${orderId}/payment`, duplicate), 409, 'already-paid');
    expect((await orderOf(s, orderId)).refundDue).toHaveLength(1);
  });

  it('does not let one payment reference pay two orders (two codes for one price)', async () => {
    // docs/design.md F8: payments are idempotent by payment reference; a reference already applied
    // to one order is the same payment, so it must not clear a second order too.
    const s = stack.current;
    const { listingId } = await aListing(s, { price: 4500 });
    await depositFresh(s, listingId, 2);
    const first = await anOrder(s, listingId);
    const second = await anOrder(s, listingId);
    const paymentRef = unique('pay');
    const paid = await s.post(`/v1/orders/${first.orderId}/payment`, {
      paymentRef,
      amount: first.order.amount,
    });
    expect(paid.status, paid.text).toBe(200);

    const res = await s.post(`/v1/orders/${second.orderId}/payment`, {
      paymentRef,
      amount: second.order.amount,
    });

    expect(res.status, res.text).toBe(409);
    expect(res.body.type).toMatch(/\/problems\/payment-reference-reused$/);
    expect((await orderOf(s, second.orderId)).state).toBe('pending_payment');
  });

  it('refuses a payment of the wrong amount, keeping it as a refund due', async () => {
    const s = stack.current;
    const { listingId } = await aListing(s, { price: 4500 });
    await depositFresh(s, listingId, 1);
    const { orderId } = await anOrder(s, listingId);

    const res = await s.post(`/v1/orders/${orderId}/payment`, {
      paymentRef: unique('pay'),
      amount: EUR(1),
    });

    expectProblem(res, 422, 'amount-mismatch');
    const read = await orderOf(s, orderId);
    expect(read.state).toBe('pending_payment');
    // Never lost: kept as a refund due (issue 7), the order still payable with the right amount.
    expect(read.refundDue).toEqual([expect.objectContaining({ amount: EUR(1), reason: 'amount_mismatch' })]);
  });

  it('replays an order placed again with the same Idempotency-Key and body, reserving once', async () => {
    const s = stack.current;
    const { listingId } = await aListing(s);
    await depositFresh(s, listingId, 3);
    const body = { listingId, buyerId: unique('buyer'), quantity: 1 };
    const headers = { 'idempotency-key': unique('order-key') };

    const first = await s.post('/v1/orders', body, headers);
    const second = await s.post('/v1/orders', body, headers);

    expect(first.status, first.text).toBe(201);
    expect(second.status, second.text).toBe(201);
    expect(second.body.orderId).toBe(first.body.orderId);
    expect(second.body.cards).toEqual(first.body.cards);
    expect(await stockOf(s, listingId)).toMatchObject({ reserved: 1, available: 2 });
  });

  it('refuses the same Idempotency-Key with another body: 422 idempotency-key-reused', async () => {
    const s = stack.current;
    const { listingId } = await aListing(s);
    await depositFresh(s, listingId, 3);
    const buyerId = unique('buyer');
    const headers = { 'idempotency-key': unique('order-key') };
    const first = await s.post('/v1/orders', { listingId, buyerId, quantity: 1 }, headers);
    expect(first.status, first.text).toBe(201);

    const res = await s.post('/v1/orders', { listingId, buyerId, quantity: 2 }, headers);

    expectProblem(res, 422, 'idempotency-key-reused');
    expect(await stockOf(s, listingId)).toMatchObject({ reserved: 1, available: 2 });
  });

  it('requires an Idempotency-Key to place an order', async () => {
    const s = stack.current;
    const { listingId } = await aListing(s);
    await depositFresh(s, listingId, 1);

    const res = await s.post('/v1/orders', { listingId, buyerId: unique('buyer') });

    expect(res.status, res.text).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    expect(await stockOf(s, listingId)).toMatchObject({ reserved: 0, available: 1 });
  });
});
