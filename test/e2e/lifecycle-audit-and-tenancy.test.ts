import { describe, expect, it } from 'vitest';
import {
  anotherTenant,
  eventsOf,
  expectProblem,
  findCodes,
  redeemAtIssuer,
  redeemAtTime,
  report,
} from '../support/fraud-helpers.js';
import { aListing, anOrder, aPaidOrder, depositFresh, pay, reveal, unique } from '../support/scenario.js';
import { useTestStack } from '../support/test-stack.js';

const stack = useTestStack();

describe('lifecycle: tenant isolation', () => {
  it("answers 404 to another marketplace for this marketplace's orders and listings", async () => {
    const s = stack.current;
    const { listingId, card, orderId, buyerId } = await aPaidOrder(s);
    const other = await anotherTenant(s);

    const attempts = [
      await other.get(`/v1/orders/${orderId}`),
      await other.get(`/v1/orders/${orderId}/events`),
      await other.post(`/v1/orders/${orderId}/reveal`, { buyerId }, { 'idempotency-key': unique('k') }),
      await other.post(`/v1/orders/${orderId}/payment`, {
        paymentRef: unique('pay'),
        amount: { amount: 4500, currency: 'EUR' },
      }),
      await other.post(`/v1/orders/${orderId}/cancel`),
      await other.post(`/v1/orders/${orderId}/confirm`, { buyerId }),
      await other.post(`/v1/orders/${orderId}/reports`, {
        buyerId,
        cardId: card.cardId,
        reason: 'already_redeemed',
      }),
      await other.get(`/v1/listings/${listingId}`),
      await other.post(`/v1/listings/${listingId}/cards`, { cards: [{ code: 'DEMO-AAAA-BBBB-CCCC' }] }),
      await other.request('DELETE', `/v1/listings/${listingId}/cards/${card.cardId}`),
      await other.post('/v1/orders', { listingId, buyerId }, { 'idempotency-key': unique('k') }),
    ];

    for (const res of attempts) {
      expectProblem(res, 404, 'not-found');
      expect(findCodes(res.text, [card.code])).toEqual([]);
    }
    // Nothing they tried changed the order: its buyer still reveals it.
    expect((await reveal(s, orderId, buyerId)).status).toBe(200);
    expect((await eventsOf(s, orderId)).map((e) => e.actor)).toEqual(['buyer', 'marketplace', 'buyer']);
  });

  it('keeps seller standing and buyer credit per marketplace', async () => {
    const s = stack.current;
    const { orderId, buyerId, sellerId, card } = await aPaidOrder(s);
    const revealed = await reveal(s, orderId, buyerId);
    // Earlier than the reveal by more than the issuer clock skew (30 s): proof, refunded.
    await redeemAtTime(s, card.code, Date.parse(revealed.body.revealedAt) - 60_000);
    expect((await report(s, orderId, buyerId, card.cardId)).body.decision).toBe('refunded');
    const other = await anotherTenant(s);

    const seller = await other.get(`/v1/sellers/${sellerId}`);
    const buyer = await other.get(`/v1/buyers/${buyerId}`);

    expect(seller.body).toMatchObject({ status: 'active', strikes: 0, penalties: [], balance: {} });
    expect(buyer.body).toMatchObject({ reportsTotal: 0, upheld: 0 });
  });
});

describe('F9: the audit trail says who did what, and never shows a code', () => {
  it('records each state change of a sale with its actor, from and to', async () => {
    const s = stack.current;
    const { listingId } = await aListing(s);
    const [card] = await depositFresh(s, listingId, 1);
    const { order, orderId, buyerId } = await anOrder(s, listingId);
    const { paymentRef } = await pay(s, order);
    expect((await reveal(s, orderId, buyerId)).status).toBe(200);
    expect((await s.post(`/v1/orders/${orderId}/confirm`, { buyerId })).status).toBe(200);

    const res = await s.get(`/v1/orders/${orderId}/events`);

    expect(res.status).toBe(200);
    const events = res.body.events;
    expect(events[0]).toMatchObject({ type: 'order.placed', actor: 'buyer' });
    expect(events.slice(1).map((e: any) => [e.type, e.actor, e.from, e.to])).toEqual([
      ['payment.received', 'marketplace', 'pending_payment', 'paid'],
      ['order.revealed', 'buyer', 'paid', 'revealed'],
      ['order.released', 'buyer', 'revealed', 'released'],
    ]);
    expect(events[0].data).toMatchObject({ cardIds: [card?.cardId] });
    expect(events[1].data).toMatchObject({ paymentRef, amount: order.amount });
    const times = events.map((e: any) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(events.map((e: any) => e.eventId)).size).toBe(events.length);
    expect(findCodes(res.text, [card?.code as string])).toEqual([]);
  });

  it('records the refunds, reports and their decisions without the code', async () => {
    const s = stack.current;
    // F7: refunded by the pre-reveal re-check.
    const dead = await aListing(s);
    const [deadCard] = await depositFresh(s, dead.listingId, 1);
    await redeemAtIssuer(s, deadCard?.code as string);
    const deadOrder = await anOrder(s, dead.listingId);
    await pay(s, deadOrder.order);
    expect((await reveal(s, deadOrder.orderId, deadOrder.buyerId)).status).toBe(409);
    // A rejected report (the code works), then nothing else happens.
    const sale = await aPaidOrder(s);
    expect((await reveal(s, sale.orderId, sale.buyerId)).status).toBe(200);
    expect((await report(s, sale.orderId, sale.buyerId, sale.card.cardId)).body.decision).toBe('rejected');

    const refundTrail = await s.get(`/v1/orders/${deadOrder.orderId}/events`);
    const reportTrail = await s.get(`/v1/orders/${sale.orderId}/events`);

    expect(refundTrail.body.events.at(-1)).toMatchObject({
      type: 'order.refunded',
      actor: 'vault',
      from: 'paid',
      to: 'refunded',
    });
    expect(reportTrail.body.events.at(-1)).toMatchObject({
      type: 'report.rejected',
      actor: 'buyer',
      data: { cardId: sale.card.cardId, decision: 'rejected', issuerState: 'active' },
    });
    expect(findCodes(refundTrail.text, [deadCard?.code as string])).toEqual([]);
    expect(findCodes(reportTrail.text, [sale.card.code])).toEqual([]);
  });
});
