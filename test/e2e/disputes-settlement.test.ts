import { afterEach, describe, expect, it } from 'vitest';
import {
  anotherTenant,
  aRevealedOrder,
  buyerOf,
  codeOfCard,
  EUR,
  eventsOf,
  expectProblem,
  orderOf,
  redeemAtTime,
  report,
  sellerOf,
} from '../support/fraud-helpers.js';
import { expectLedgerInvariant } from '../support/ledger-invariant.js';
import { aListing, anOrder, depositFresh, pay, reveal } from '../support/scenario.js';
import { useTestStack } from '../support/test-stack.js';

const stack = useTestStack();
afterEach(() => expectLedgerInvariant(stack.current));

/** The default DISPUTE_WINDOW_SECONDS. */
const DISPUTE_WINDOW_SECONDS = 86_400;

const settlement = {
  outcome: 'refund_without_penalty',
  note: 'shop log shows a redemption at 14:02',
  decidedBy: 'agent-17',
};

describe('disputes: the marketplace settles escalations', () => {
  it('lists open escalations oldest first, settles one, and puts the order back on its clock', async () => {
    const s = stack.current;
    // An older escalation on another order, to see the order of the list.
    const older = await aRevealedOrder(s);
    await redeemAtTime(s, older.card.code, Date.parse(older.revealedAt) + 20_000);
    const olderReport = await report(s, older.orderId, older.buyerId, older.card.cardId);
    expect(olderReport.body.decision, olderReport.text).toBe('escalated');
    s.clock.advance(5);

    const { listingId, sellerId } = await aListing(s, { price: 4500 });
    const cards = await depositFresh(s, listingId, 2);
    const { order, orderId, buyerId } = await anOrder(s, listingId, undefined, 2);
    await pay(s, order);
    const revealed = await reveal(s, orderId, buyerId);
    expect(revealed.status, revealed.text).toBe(200);
    const [first, second] = order.cards.map((c: { cardId: string }) => c.cardId) as [string, string];
    await redeemAtTime(s, codeOfCard(cards, first), Date.parse(revealed.body.revealedAt) + 30_000);
    const escalated = await report(s, orderId, buyerId, first);
    expect(escalated.body, escalated.text).toMatchObject({ decision: 'escalated', status: 'open' });
    const { reportId } = escalated.body;

    const listed = await s.get('/v1/escalations');
    expect(listed.status, listed.text).toBe(200);
    const mine = (listed.body.escalations as any[]).filter((e) =>
      [olderReport.body.reportId, reportId].includes(e.reportId),
    );
    expect(mine.map((e) => e.reportId)).toEqual([olderReport.body.reportId, reportId]);
    expect(mine[1]).toMatchObject({
      orderId,
      cardId: first,
      status: 'open',
      evidence: { issuerState: 'redeemed', revealedAt: revealed.body.revealedAt },
      escalation: { reason: 'race_window', deadline: expect.any(String) },
    });

    const settled = await s.post(`/v1/escalations/${reportId}/settle`, settlement);

    expect(settled.status, settled.text).toBe(200);
    expect(settled.body).toMatchObject({
      reportId,
      status: 'closed',
      decision: 'refunded',
      settlement: {
        outcome: 'refund_without_penalty',
        by: 'agent-17',
        note: settlement.note,
        at: expect.any(String),
      },
    });
    const after = await orderOf(s, orderId);
    expect(after).toMatchObject({ state: 'revealed', refunded: EUR(4500) });
    expect(after.cards.find((c: { cardId: string }) => c.cardId === first).refunded).toBe(true);
    expect(await sellerOf(s, sellerId)).toMatchObject({ strikes: 0, penalties: [] });
    expect((await eventsOf(s, orderId)).filter((e) => e.type === 'report.settled')).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({
          reportId,
          outcome: 'refund_without_penalty',
          decidedBy: 'agent-17',
          note: settlement.note,
        }),
      }),
    ]);
    const relisted = await s.get('/v1/escalations');
    expect((relisted.body.escalations as any[]).map((e) => e.reportId)).not.toContain(reportId);

    // The buyer may report the order's other card; it works, so the report is rejected.
    const other = await report(s, orderId, buyerId, second);
    expect(other.status, other.text).toBe(201);
    expect(other.body.decision).toBe('rejected');
    expect(await buyerOf(s, buyerId)).toMatchObject({ rejected: 1 });

    // Settled twice, or a report that was never escalated: not open.
    expectProblem(await s.post(`/v1/escalations/${reportId}/settle`, settlement), 409, 'report-not-open');
    expectProblem(
      await s.post(`/v1/escalations/${other.body.reportId}/settle`, settlement),
      409,
      'report-not-open',
    );

    // Back on its release clock: the dispute deadline did not move.
    expect(after.disputeDeadline).toBe(
      new Date(Date.parse(revealed.body.revealedAt) + DISPUTE_WINDOW_SECONDS * 1000).toISOString(),
    );
    s.clock.advance(DISPUTE_WINDOW_SECONDS + 1);
    await s.vault.sweeper.sweep();
    expect(await orderOf(s, orderId)).toMatchObject({ state: 'released' });
    expect((await sellerOf(s, sellerId)).balance).toEqual({ EUR: { held: 0, available: 4500 } });
  });

  it('hides a tenant’s escalations from another tenant and refuses bad settlements', async () => {
    const s = stack.current;
    const { orderId, buyerId, card, revealedAt } = await aRevealedOrder(s);
    await redeemAtTime(s, card.code, Date.parse(revealedAt) + 10_000);
    const escalated = await report(s, orderId, buyerId, card.cardId);
    expect(escalated.body.decision, escalated.text).toBe('escalated');
    const { reportId } = escalated.body;
    const stranger = await anotherTenant(s);

    const theirList = await stranger.get('/v1/escalations');
    expect(theirList.status, theirList.text).toBe(200);
    expect(theirList.body.escalations).toEqual([]);
    expectProblem(await stranger.post(`/v1/escalations/${reportId}/settle`, settlement), 404, 'not-found');
    expectProblem(
      await s.post('/v1/escalations/rpt_00000000000000000000000000/settle', settlement),
      404,
      'not-found',
    );
    expectProblem(
      await s.post(`/v1/escalations/${reportId}/settle`, { ...settlement, outcome: 'split_the_difference' }),
      400,
      'validation',
    );
    expectProblem(
      await s.post(`/v1/escalations/${reportId}/settle`, { ...settlement, note: '' }),
      400,
      'validation',
    );

    // A rejection settles it against the buyer: it counts as a rejected report.
    const rejected = await s.post(`/v1/escalations/${reportId}/settle`, { ...settlement, outcome: 'reject' });
    expect(rejected.status, rejected.text).toBe(200);
    expect(rejected.body).toMatchObject({
      status: 'closed',
      decision: 'rejected',
      settlement: { outcome: 'reject' },
    });
    expect(await buyerOf(s, buyerId)).toMatchObject({ rejected: 1 });
    expect((await orderOf(s, orderId)).refunded).toEqual(EUR(0));
  });
});
