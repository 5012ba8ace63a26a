import { describe, expect, it } from 'vitest';
import { FAULT_MODES } from '../support/fault-injector.js';
import {
  everyK,
  expectOrderExplainedByTrail,
  type FaultStack,
  useFaultLanes,
} from '../support/fault-stack.js';
import { expectLedgerInvariant } from '../support/ledger-invariant.js';
import { aListing, anOrder, depositFresh, mintCode, pay, unique } from '../support/scenario.js';

/**
 * Issue 8 item 3: every port call of a flow fails in turn (k = 1, 2, … until the flow makes fewer
 * than k calls), as an outage or as a committed write whose answer was lost; the same request is
 * then retried with faults off and the invariants must hold. Real composition (createVault) over
 * DynamoDB Local, the local cipher and the simulated issuer; the routes through app.request.
 * Reports and the suspension cascade: faults-disputes.test.ts; the sweeper's flows: faults-sweeper.test.ts.
 */
const lanes = useFaultLanes();
const expectOrderExplained = (f: FaultStack, orderId: string) =>
  expectOrderExplainedByTrail(f.stack, orderId);

// Each test replays its flow once per port call (k = 1..n, a few lanes side by side), so it needs more than the default 20 s on a busy machine.
describe.each(FAULT_MODES)('a %s at every port call', { timeout: 180_000 }, (mode) => {
  it('deposit: each code stored once, available, its fingerprint held', async () => {
    const calls = await everyK(
      lanes,
      mode,
      async (f) => ({ listing: await aListing(f.stack), minted: await mintCode(f.stack) }),
      ({ listing, minted }, f) =>
        f.stack.post(`/v1/listings/${listing.listingId}/cards`, { cards: [{ code: minted.code }] }),
      200,
      async ({ listing, minted }, _faulted, retried, f) => {
        const result = retried.body.results[0];
        // A lost answer may have stored the card: the retry then meets its own fingerprint.
        expect(result.outcome === 'accepted' || result.reason === 'duplicate', retried.text).toBe(true);
        const stock = (await f.stack.get(`/v1/listings/${listing.listingId}`)).body.stock;
        expect(stock.available, JSON.stringify(stock)).toBe(1);
        // The fingerprint is held: the same code on another listing is refused.
        const other = await aListing(f.stack);
        const again = await f.stack.post(`/v1/listings/${other.listingId}/cards`, {
          cards: [{ code: minted.code }],
        });
        expect(again.body.results[0].reason, again.text).toBe('duplicate');
      },
    );
    expect(calls).toBeGreaterThan(3);
  });

  it('order: one order per Idempotency-Key, one card reserved, trail explains state', async () => {
    await everyK(
      lanes,
      mode,
      async (f) => {
        const listing = await aListing(f.stack);
        await depositFresh(f.stack, listing.listingId, 2);
        return { listing, buyerId: unique('buyer'), key: unique('order') };
      },
      ({ listing, buyerId, key }, f) =>
        f.stack.post(
          '/v1/orders',
          { listingId: listing.listingId, buyerId, quantity: 1 },
          { 'idempotency-key': key },
        ),
      201,
      async ({ listing }, faulted, retried, f) => {
        if (faulted.status === 201) expect(retried.body.orderId).toBe(faulted.body.orderId);
        const stock = (await f.stack.get(`/v1/listings/${listing.listingId}`)).body.stock;
        expect(stock.available, JSON.stringify(stock)).toBe(1);
        await expectOrderExplained(f, retried.body.orderId);
      },
    );
    for (const f of lanes) await expectLedgerInvariant(f.stack);
  });

  it('payment: applied once per paymentRef, ledger balanced', async () => {
    await everyK(
      lanes,
      mode,
      async (f) => {
        const listing = await aListing(f.stack);
        await depositFresh(f.stack, listing.listingId, 1);
        const { order } = await anOrder(f.stack, listing.listingId);
        return { order, paymentRef: unique('pay') };
      },
      ({ order, paymentRef }, f) =>
        f.stack.post(`/v1/orders/${order.orderId}/payment`, { paymentRef, amount: order.amount }),
      200,
      async ({ order }, _faulted, _retried, f) => {
        const now = (await f.stack.get(`/v1/orders/${order.orderId}`)).body;
        expect(now.state).toBe('paid');
        await expectOrderExplained(f, order.orderId);
        await expectLedgerInvariant(f.stack);
      },
    );
  });

  it('reveal: the code goes to the buyer with the winning key only, never to another key', async () => {
    await everyK(
      lanes,
      mode,
      async (f) => {
        const listing = await aListing(f.stack);
        const [card] = await depositFresh(f.stack, listing.listingId, 1);
        const { order, buyerId } = await anOrder(f.stack, listing.listingId);
        await pay(f.stack, order);
        // The reveal answers the code normalized (no separators).
        const code = String(card?.code).replace(/-/g, '');
        return { orderId: order.orderId as string, buyerId, code, key: unique('reveal') };
      },
      ({ orderId, buyerId, key }, f) =>
        f.stack.post(`/v1/orders/${orderId}/reveal`, { buyerId }, { 'idempotency-key': key }),
      200,
      async ({ orderId, buyerId, code }, faulted, retried, f) => {
        expect(retried.text).toContain(code);
        if (faulted.status === 200) expect(faulted.text).toContain(code);
        const other = await f.stack.post(
          `/v1/orders/${orderId}/reveal`,
          { buyerId },
          { 'idempotency-key': unique('r') },
        );
        expect(other.text).not.toContain(code);
        expect(other.status).toBeGreaterThanOrEqual(400);
        await expectOrderExplained(f, orderId);
        await expectLedgerInvariant(f.stack);
      },
    );
  });

  it('confirm: the order completes once, ledger balanced', async () => {
    await everyK(
      lanes,
      mode,
      async (f) => {
        const listing = await aListing(f.stack);
        await depositFresh(f.stack, listing.listingId, 1);
        const { order, buyerId } = await anOrder(f.stack, listing.listingId);
        await pay(f.stack, order);
        const shown = await f.stack.post(
          `/v1/orders/${order.orderId}/reveal`,
          { buyerId },
          { 'idempotency-key': unique('r') },
        );
        expect(shown.status, shown.text).toBe(200);
        return { orderId: order.orderId as string, buyerId };
      },
      ({ orderId, buyerId }, f) => f.stack.post(`/v1/orders/${orderId}/confirm`, { buyerId }),
      200,
      async ({ orderId }, _faulted, _retried, f) => {
        await expectOrderExplained(f, orderId);
        await expectLedgerInvariant(f.stack);
      },
    );
  });
});
