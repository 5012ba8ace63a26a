import { describe, expect, it } from 'vitest';
import { createDynamoClients } from '../../shared/adapters/dynamodb/dynamodb-clients.js';
import { createDynamoStores } from '../../shared/adapters/dynamodb/dynamodb-stores.js';
import {
  aRevealedOrder,
  expectProblem,
  orderOf,
  redeemAtIssuer,
  redeemAtTime,
  report,
  sellerOf,
  stockOf,
} from '../support/fraud-helpers.js';
import { aListing, anOrder, depositFresh, pay, reveal, unique } from '../support/scenario.js';
import { useTestStack } from '../support/test-stack.js';

const stack = useTestStack();
const DISPUTE_WINDOW_SECONDS = 86_400;

describe('what holds the money or the stock', () => {
  it('keeps an escalated report from being paid out: no release at the deadline, no early confirm', async () => {
    const s = stack.current;
    const { orderId, buyerId, sellerId, card, revealedAt } = await aRevealedOrder(s);
    // Redeemed 30 s after the reveal: inside the race window, so escalated for review.
    await redeemAtTime(s, card.code, Date.parse(revealedAt) + 30_000);
    const decided = await report(s, orderId, buyerId, card.cardId);
    expect(decided.body.decision, decided.text).toBe('escalated');

    expectProblem(await s.post(`/v1/orders/${orderId}/confirm`, { buyerId }), 409, 'invalid-state');
    s.clock.advance(DISPUTE_WINDOW_SECONDS + 60);
    await s.vault.sweeper.sweep();
    expect(await orderOf(s, orderId)).toMatchObject({ state: 'revealed' });
    expect((await sellerOf(s, sellerId)).balance).toEqual({ EUR: { held: 4500, available: 0 } });
  });

  it('puts the live cards of a refunded order back on sale and voids only the dead one', async () => {
    const s = stack.current;
    const { listingId } = await aListing(s);
    const [dead, live] = await depositFresh(s, listingId, 2);
    const { order, orderId, buyerId } = await anOrder(s, listingId, unique('buyer'), 2);
    await pay(s, order);
    await redeemAtIssuer(s, (dead as { code: string }).code);

    expectProblem(await reveal(s, orderId, buyerId), 409, 'code-already-redeemed');

    expect(await stockOf(s, listingId)).toMatchObject({ void: 1, available: 1, reserved: 0 });
    // The live code can be sold again at once.
    const again = await anOrder(s, listingId);
    expect(again.order.cards).toEqual([{ cardId: (live as { cardId: string }).cardId }]);
  });

  it('lets the seller withdraw a card whose unpaid order ran out of time, without waiting for the sweeper', async () => {
    const s = stack.current;
    const { listingId } = await aListing(s);
    const [card] = await depositFresh(s, listingId, 1);
    const { orderId } = await anOrder(s, listingId);
    const cardId = (card as { cardId: string }).cardId;
    expectProblem(
      await s.request('DELETE', `/v1/listings/${listingId}/cards/${cardId}`),
      409,
      'card-not-available',
    );

    s.clock.advance(900 + 1);

    const withdrawn = await s.request('DELETE', `/v1/listings/${listingId}/cards/${cardId}`);
    expect(withdrawn.status, withdrawn.text).toBe(200);
    expect(withdrawn.body.state).toBe('withdrawn');
    expect(await orderOf(s, orderId)).toMatchObject({ state: 'expired' });
  });

  it('never takes payment or delivers for a suspended seller, even on an order the cascade has not reached', async () => {
    const s = stack.current;
    const { listingId, sellerId } = await aListing(s);
    await depositFresh(s, listingId, 2);
    const unpaid = await anOrder(s, listingId);
    const paid = await anOrder(s, listingId);
    await pay(s, paid.order);
    // Suspended behind the cascade's back, as a cascade cut short (or a lagging index) would leave it.
    const tenantId = await s.vault.tenants.authenticate(s.devApiKey);
    const { client, doc } = createDynamoClients({ endpoint: s.dynamodbEndpoint });
    await createDynamoStores({ doc, tableName: s.tableName }).parties.suspendSeller(
      tenantId,
      sellerId,
      new Date().toISOString(),
    );
    client.destroy();

    const payment = await s.post(`/v1/orders/${unpaid.orderId}/payment`, {
      paymentRef: unique('pay'),
      amount: unpaid.order.amount,
    });
    expectProblem(payment, 409, 'invalid-state');
    expect(await orderOf(s, unpaid.orderId)).toMatchObject({
      state: 'cancelled',
      refundDue: [expect.objectContaining({ amount: unpaid.order.amount, reason: 'order_cancelled' })],
    });

    const delivery = await reveal(s, paid.orderId, paid.buyerId);
    expectProblem(delivery, 409, 'invalid-state');
    expect(delivery.body.cards).toBeUndefined();
    expect(await orderOf(s, paid.orderId)).toMatchObject({ state: 'refunded', refunded: paid.order.amount });
    expect((await sellerOf(s, sellerId)).balance).toEqual({ EUR: { held: 0, available: 0 } });
  });
});
