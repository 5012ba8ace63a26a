import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../shared/domain/vault-settings.js';
import { FAULT_MODES } from '../support/fault-injector.js';
import {
  drainSweeps,
  everyKSweep,
  expectSellerLedgerBalanced,
  expectStoredOrderExplained,
  type FaultStack,
  useFaultLanes,
} from '../support/fault-stack.js';
import { expectProblem, placeOrder } from '../support/fraud-helpers.js';
import { aListing, anOrder, aPaidOrder, depositFresh, reveal } from '../support/scenario.js';
import { aSellerAboutToBeSuspended, expectCascadeConsistent } from '../support/suspension-scenario.js';

/**
 * Issue 8 item 3, the sweeper's flows: expiry of an unpaid order, release after the dispute
 * window, and a suspension cascade the sweeper resumes. Each sweep runs with its k-th port call
 * failing, for every k; the "retry" is the next sweep. A failed sweep must leave nothing
 * half-done (checked on the table as stored: a GET would apply the due change itself), and the
 * next one must finish the work. Each run first drains what earlier runs left due, so a sweep
 * sees only its own flow's work. The k's run a few side by side, each lane on a stack and table
 * of its own (fault-stack.ts): a lane's sweeps and clock moves touch nothing of another's.
 */
const lanes = useFaultLanes();

describe.each(FAULT_MODES)('a %s at every port call of a sweep', { timeout: 180_000 }, (mode) => {
  it('expiry: the unpaid order expires once and its card is back in stock', async () => {
    const stockNow = ({ stack, raw, tenantId }: FaultStack, listingId: string) =>
      raw.catalog.stock(tenantId, listingId, stack.clock.now().toISOString());
    const calls = await everyKSweep(
      lanes,
      mode,
      async (faults) => {
        const { stack } = faults;
        await drainSweeps(faults);
        const listing = await aListing(stack);
        await depositFresh(stack, listing.listingId, 1);
        const { orderId } = await anOrder(stack, listing.listingId);
        stack.clock.advance(defaultSettings.paymentTimeoutSeconds + 1);
        return { ...listing, orderId };
      },
      async ({ orderId, listingId }, faults) => {
        const order = await expectStoredOrderExplained(faults, orderId);
        expect(['pending_payment', 'expired']).toContain(order.state);
        const { counts } = await stockNow(faults, listingId);
        // The card is reserved while the order is, and back in stock in the same write.
        expect(counts.available).toBe(order.state === 'expired' ? 1 : 0);
      },
      async ({ orderId, listingId, sellerId }, faults) => {
        expect((await expectStoredOrderExplained(faults, orderId)).state).toBe('expired');
        const { counts, lapsedOrderIds } = await stockNow(faults, listingId);
        expect(counts.available).toBe(1);
        expect(lapsedOrderIds).toEqual([]);
        await expectSellerLedgerBalanced(faults, sellerId, [orderId]);
      },
    );
    expect(calls).toBeGreaterThan(3);
  });

  it('release: the escrow moves to the seller once, after the dispute window', async () => {
    await everyKSweep(
      lanes,
      mode,
      async (faults) => {
        const { stack } = faults;
        await drainSweeps(faults);
        const sale = await aPaidOrder(stack);
        const shown = await reveal(stack, sale.orderId, sale.buyerId);
        expect(shown.status, shown.text).toBe(200);
        stack.clock.advance(defaultSettings.disputeWindowSeconds + 1);
        return sale;
      },
      async ({ orderId, sellerId }, faults) => {
        const order = await expectStoredOrderExplained(faults, orderId);
        expect(['revealed', 'released']).toContain(order.state);
        await expectSellerLedgerBalanced(faults, sellerId, [orderId]);
      },
      async ({ orderId, sellerId, order }, faults) => {
        expect((await expectStoredOrderExplained(faults, orderId)).state).toBe('released');
        const { balance } = await faults.stack.vault.standing.seller(faults.tenantId, sellerId);
        expect(balance[order.amount.currency]).toEqual({ held: 0, available: order.amount.amount });
        await expectSellerLedgerBalanced(faults, sellerId, [orderId]);
      },
    );
  });

  it('suspension cascade left pending: the sweep refunds and cancels the open orders, once', async () => {
    await everyKSweep(
      lanes,
      mode,
      async (faults) => {
        const { stack, plan } = faults;
        await drainSweeps(faults);
        const s = await aSellerAboutToBeSuspended(faults);
        // The inline cascade after the suspending reveal fails: the cascade is the sweeper's.
        plan.armOn('orders.listOpenSellerOrders', 'outage');
        expectProblem(await reveal(stack, s.a.orderId, s.a.buyerId, s.a.key), 409, 'code-already-redeemed');
        plan.off();
        const seller = await faults.raw.parties.getSeller(faults.tenantId, s.sellerId);
        expect(seller).toMatchObject({ status: 'suspended', cascadePending: true });
        return s;
      },
      async (s, faults) => {
        const { seller } = await expectCascadeConsistent(faults, s);
        expect(seller?.status).toBe('suspended');
        await expectSellerLedgerBalanced(faults, s.sellerId, [s.a.orderId, s.b, s.c]);
      },
      async (s, faults) => {
        const { seller, open, orders } = await expectCascadeConsistent(faults, s);
        expect(seller?.cascadePending ?? false).toBe(false);
        expect(open).toEqual([]);
        expect([orders.a.state, orders.b.state, orders.c.state]).toEqual([
          'refunded',
          'refunded',
          'cancelled',
        ]);
        expectProblem(await placeOrder(faults.stack, s.listingId), 409, 'seller-suspended');
        await expectSellerLedgerBalanced(faults, s.sellerId, [s.a.orderId, s.b, s.c]);
      },
    );
  });
});
