import { describe, expect, it } from 'vitest';
import { FAULT_MODES } from '../support/fault-injector.js';
import {
  everyK,
  expectOrderExplainedByTrail,
  expectSellerLedgerBalanced,
  useFaultLanes,
} from '../support/fault-stack.js';
import { eventsOf, expectProblem, placeOrder, redeemAtTime } from '../support/fraud-helpers.js';
import { aPaidOrder, reveal } from '../support/scenario.js';
import { aSellerAboutToBeSuspended, expectCascadeConsistent } from '../support/suspension-scenario.js';

/**
 * Issue 8 item 3, the disputes: a report (re-check with the issuer, the decision table, refund
 * and seller penalty) and the suspension cascade a dead-code reveal sets off, each with the k-th
 * port call failing for every k, then the same request retried with faults off. The cascade's
 * retry is the request and then the next sweep (a cascade the fault interrupted is the sweeper's).
 * The k's run a few side by side, each lane on a stack and table of its own (fault-stack.ts).
 */
const lanes = useFaultLanes();

describe.each(FAULT_MODES)('a %s at every port call', { timeout: 180_000 }, (mode) => {
  it('report: decided once on the evidence, refund and penalty applied once, ledger balanced', async () => {
    await everyK(
      lanes,
      mode,
      async ({ stack }) => {
        const sale = await aPaidOrder(stack);
        const shown = await reveal(stack, sale.orderId, sale.buyerId);
        expect(shown.status, shown.text).toBe(200);
        // F1: the issuer says the code was spent ten minutes before the vault showed it.
        await redeemAtTime(stack, sale.card.code, Date.parse(shown.body.revealedAt) - 600_000);
        return { ...sale, code: sale.card.code.replace(/-/g, '') };
      },
      ({ orderId, buyerId, card }, { stack }) =>
        stack.post(`/v1/orders/${orderId}/reports`, {
          buyerId,
          cardId: card.cardId,
          reason: 'already_redeemed',
        }),
      201,
      async ({ orderId, sellerId, card, code, order }, faulted, retried, faults) => {
        const { stack } = faults;
        const stored = await faults.raw.reports.getReport(faults.tenantId, orderId, card.cardId);
        expect(stored, 'the report was recorded').toBeDefined();
        if (retried.status === 409) {
          // The retry met the report the faulted attempt recorded (its answer lost, or already given).
          expectProblem(retried, 409, 'already-reported');
          if (faulted.status === 201) expect(faulted.body.reportId).toBe(stored?.reportId);
        } else {
          expect(faulted.status, 'a faulted attempt that answered 201 recorded its report').toBe(503);
          expect(retried.body.reportId).toBe(stored?.reportId);
        }
        // Refunded on the evidence, or escalated when the injected fault hid the issuer's answer.
        expect(['refunded', 'escalated']).toContain(stored?.decision);
        const decisions = (await eventsOf(stack, orderId)).filter((e) =>
          String(e.type).startsWith('report.'),
        );
        expect(decisions.map((e) => e.type)).toEqual([`report.${stored?.decision}`]);
        const now = await faults.raw.orders.getOrder(faults.tenantId, orderId);
        const seller = await faults.raw.parties.getSeller(faults.tenantId, sellerId);
        if (stored?.decision === 'refunded') {
          expect(now?.refunded).toEqual(order.amount);
          expect(seller?.strikeTimes).toHaveLength(1);
        } else {
          expect(now?.openReports).toBe(1);
          expect(seller?.strikeTimes ?? []).toHaveLength(0);
        }
        expect(faulted.text + retried.text).not.toContain(code);
        await expectOrderExplainedByTrail(stack, orderId);
        await expectSellerLedgerBalanced(faults, sellerId, [orderId]);
      },
      [409],
    );
  });

  it('suspension cascade: a dead-code reveal suspends the seller; its open orders are closed, once', async () => {
    await everyK(
      lanes,
      mode,
      (faults) => aSellerAboutToBeSuspended(faults),
      (s, { stack }) => reveal(stack, s.a.orderId, s.a.buyerId, s.a.key),
      409,
      async (s, faulted, retried, faults) => {
        const { stack } = faults;
        expectProblem(retried, 409, 'code-already-redeemed');
        expect(faulted.text + retried.text).not.toMatch(new RegExp(s.codes.join('|')));
        // The inline cascade may have been cut short: the sweeper finishes it.
        await expectCascadeConsistent(faults, s);
        await stack.vault.sweeper.sweep();
        const { seller, open, orders } = await expectCascadeConsistent(faults, s);
        expect(orders.a.state).toBe('refunded');
        if (seller?.status === 'suspended') {
          expect(seller.cascadePending ?? false).toBe(false);
          expect(open).toEqual([]);
          expect([orders.b.state, orders.c.state]).toEqual(['refunded', 'cancelled']);
          expectProblem(await placeOrder(stack, s.listingId), 409, 'seller-suspended');
        }
        await expectSellerLedgerBalanced(faults, s.sellerId, [s.a.orderId, s.b, s.c]);
      },
    );
  });
});
