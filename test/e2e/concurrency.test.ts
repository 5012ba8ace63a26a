import { describe, expect, it } from 'vitest';
import { aListing, anOrder, aPaidOrder, depositFresh, unique } from '../support/scenario.js';
import { type HttpResult, type TestStack, useTestStack } from '../support/test-stack.js';

/**
 * F8 and the concurrency rules, proven with real concurrent HTTP requests against DynamoDB
 * Local (Promise.all of fetches), never by reasoning about interleavings. Each race is
 * bounded (at most a few dozen requests) so DynamoDB Local's throughput is not the subject.
 */
const stack = useTestStack();

const problemCode = (res: HttpResult) =>
  typeof res.body?.type === 'string' ? res.body.type.split('/').pop() : undefined;

/** `status code` per response, sorted: one line that shows the whole outcome of a race on failure. */
const outcomes = (responses: HttpResult[]) =>
  responses.map((r) => `${r.status} ${r.status < 300 ? 'ok' : problemCode(r)}`).sort();

async function eventTypes(s: TestStack, orderId: string): Promise<string[]> {
  const res = await s.get(`/v1/orders/${orderId}/events`);
  expect(res.status, res.text).toBe(200);
  return (res.body.events as Array<{ type: string }>).map((e) => e.type);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const count = (items: readonly string[], item: string) => items.filter((i) => i === item).length;

async function stockOf(s: TestStack, listingId: string): Promise<Record<string, number>> {
  const res = await s.get(`/v1/listings/${listingId}`);
  expect(res.status, res.text).toBe(200);
  return res.body.stock ?? {};
}

async function heldBalance(s: TestStack, sellerId: string, currency = 'EUR'): Promise<number> {
  const res = await s.get(`/v1/sellers/${sellerId}`);
  expect(res.status, res.text).toBe(200);
  return res.body.balance?.[currency]?.held ?? 0;
}

describe('concurrent requests (F8)', () => {
  it('reveals a paid order once when 16 reveals with distinct keys race', async () => {
    const s = stack.current;
    const { orderId, buyerId, card } = await aPaidOrder(s);

    const responses = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        s.post(`/v1/orders/${orderId}/reveal`, { buyerId }, { 'idempotency-key': unique(`reveal-${i}`) }),
      ),
    );

    const summary = outcomes(responses);
    const winners = responses.filter((r) => r.status === 200);
    expect(winners, summary.join(', ')).toHaveLength(1);
    expect(winners[0]?.body.cards[0].code.replace(/-/g, '')).toBe(card.code.replace(/-/g, ''));
    for (const loser of responses.filter((r) => r.status !== 200)) {
      expect(loser.status, summary.join(', ')).toBe(409);
      expect(problemCode(loser), summary.join(', ')).toBe('already-revealed');
      expect(loser.text).not.toContain(card.code);
    }
    expect(count(await eventTypes(s, orderId), 'order.revealed')).toBe(1);
  });

  it('sells the last card to exactly one of 10 racing buyers', async () => {
    const s = stack.current;
    const { listingId } = await aListing(s);
    await depositFresh(s, listingId, 1);

    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        s.post(
          '/v1/orders',
          { listingId, buyerId: unique(`buyer-${i}`) },
          { 'idempotency-key': unique(`order-${i}`) },
        ),
      ),
    );

    const summary = outcomes(responses);
    expect(
      responses.filter((r) => r.status === 201),
      summary.join(', '),
    ).toHaveLength(1);
    for (const loser of responses.filter((r) => r.status !== 201)) {
      expect(loser.status, summary.join(', ')).toBe(409);
      expect(problemCode(loser), summary.join(', ')).toBe('out-of-stock');
    }
    const stock = await stockOf(s, listingId);
    expect(stock.reserved ?? 0).toBe(1);
    expect(stock.available ?? 0).toBe(0);
  });

  // Three rounds, one order and seller each: a lost race shows up in almost every run, not some.
  it.each([1, 2, 3])(
    'books one payment when the same callback arrives 10 times at once (round %i)',
    async () => {
      const s = stack.current;
      const { listingId, sellerId } = await aListing(s, { price: 4321 });
      await depositFresh(s, listingId, 1);
      const { orderId, order } = await anOrder(s, listingId);
      const paymentRef = unique('pay');

      const responses = await Promise.all(
        Array.from({ length: 10 }, () =>
          s.post(`/v1/orders/${orderId}/payment`, { paymentRef, amount: order.amount }),
        ),
      );

      const summary = responses.map((r) => `${r.status} ${r.body?.state ?? problemCode(r)}`).join(', ');
      for (const res of responses) {
        expect(res.status, summary).toBe(200);
        // Every answer to the same reference is the same answer: the paid order.
        expect(res.body.state, summary).toBe('paid');
        expect(res.body.paymentRef, summary).toBe(paymentRef);
      }
      expect(count(await eventTypes(s, orderId), 'payment.received')).toBe(1);
      expect(await heldBalance(s, sellerId)).toBe(4321);
      const after = await s.get(`/v1/orders/${orderId}`);
      expect(after.body.state).toBe('paid');
      expect(after.body.refundDue).toBeUndefined();
    },
  );

  it('places one order when 10 requests share an Idempotency-Key and body', async () => {
    const s = stack.current;
    const { listingId } = await aListing(s);
    await depositFresh(s, listingId, 3);
    const body = { listingId, buyerId: unique('buyer') };
    const key = unique('same-key');

    const responses = await Promise.all(
      Array.from({ length: 10 }, () => s.post('/v1/orders', body, { 'idempotency-key': key })),
    );

    const summary = outcomes(responses);
    for (const res of responses) expect(res.status, summary.join(', ')).toBe(201);
    const orderIds = new Set(responses.map((r) => r.body.orderId));
    expect([...orderIds], summary.join(', ')).toHaveLength(1);
    const cardIds = new Set(responses.flatMap((r) => r.body.cards.map((c: { cardId: string }) => c.cardId)));
    expect(cardIds.size).toBe(1);
    const stock = await stockOf(s, listingId);
    expect(stock.reserved ?? 0).toBe(1);
    expect(stock.available ?? 0).toBe(2);
  });

  it('ends a cancel racing a payment in one consistent state: paid, or cancelled with a refund due', async () => {
    const s = stack.current;
    const { listingId, sellerId } = await aListing(s, { price: 1000 });
    const rounds = 8;
    await depositFresh(s, listingId, rounds);
    let paidOrders = 0;

    for (let round = 0; round < rounds; round++) {
      const { orderId, order } = await anOrder(s, listingId);
      const paymentRef = unique('pay');
      // Both requests are in flight together; the cancel leaves a little later each round, so
      // the rounds sweep the race window and both outcomes get exercised.
      const cancelAfter = round * 3;
      const [cancel, payment] = await Promise.all([
        sleep(cancelAfter).then(() => s.post(`/v1/orders/${orderId}/cancel`)),
        s.post(`/v1/orders/${orderId}/payment`, { paymentRef, amount: order.amount }),
      ]);
      const summary = `cancel ${cancel.status} ${problemCode(cancel) ?? ''}, payment ${payment.status} ${problemCode(payment) ?? ''}`;
      expect(cancel.status, summary).toBeLessThan(500);
      expect(payment.status, summary).toBeLessThan(500);

      const final = await s.get(`/v1/orders/${orderId}`);
      const types = await eventTypes(s, orderId);
      if (final.body.state === 'paid') {
        paidOrders++;
        expect(payment.status, summary).toBe(200);
        expect(cancel.status, summary).toBe(409);
        expect(problemCode(cancel), summary).toBe('invalid-state');
        expect(final.body.refundDue).toBeUndefined();
        expect(count(types, 'payment.received')).toBe(1);
        expect(count(types, 'order.cancelled')).toBe(0);
      } else {
        expect(final.body.state, summary).toBe('cancelled');
        expect(cancel.status, summary).toBe(200);
        expect(payment.status, summary).toBe(409);
        expect(final.body.refundDue).toEqual([
          expect.objectContaining({ paymentRef, amount: order.amount, reason: 'order_cancelled' }),
        ]);
        expect(count(types, 'payment.received')).toBe(0);
        expect(count(types, 'order.cancelled')).toBe(1);
        expect(count(types, 'payment.refund_due')).toBe(1);
      }
    }

    // Cards follow their orders: reserved for each paid one, back on sale after each cancel.
    const stock = await stockOf(s, listingId);
    expect(stock.reserved ?? 0).toBe(paidOrders);
    expect(stock.available ?? 0).toBe(rounds - paidOrders);
    expect(await heldBalance(s, sellerId)).toBe(1000 * paidOrders);
  });
});
