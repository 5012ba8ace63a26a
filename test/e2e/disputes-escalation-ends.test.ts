import { afterEach, describe, expect, it } from 'vitest';
import {
  aRevealedOrder,
  buyerOf,
  EUR,
  eventsOf,
  issuerOutage,
  orderOf,
  redeemAtTime,
  report,
  sellerOf,
} from '../support/fraud-helpers.js';
import { expectLedgerInvariant } from '../support/ledger-invariant.js';
import type { TestStack } from '../support/test-stack.js';
import { useTestStack } from '../support/test-stack.js';

const stack = useTestStack();
afterEach(() => expectLedgerInvariant(stack.current));

/** Defaults of ESCALATION_RETRY_SECONDS and ESCALATION_DEADLINE_SECONDS. */
const ESCALATION_RETRY_SECONDS = 30;
const ESCALATION_DEADLINE_SECONDS = 604_800;

async function openEscalation(s: TestStack, reportId: string) {
  const res = await s.get('/v1/escalations');
  expect(res.status, res.text).toBe(200);
  return (res.body.escalations as any[]).find((e) => e.reportId === reportId);
}

describe('disputes: every escalation ends', () => {
  it('re-asks an unreachable issuer after the backoff and decides the report when it answers', async () => {
    const s = stack.current;
    const { orderId, buyerId, sellerId, card, revealedAt } = await aRevealedOrder(s, { price: 4500 });
    await issuerOutage(s, true);
    let escalated: any;
    try {
      escalated = await report(s, orderId, buyerId, card.cardId);
    } finally {
      await issuerOutage(s, false);
    }
    expect(escalated.status, escalated.text).toBe(201);
    const checkedAt = Date.parse(escalated.body.evidence.checkedAt);
    expect(escalated.body).toMatchObject({
      decision: 'escalated',
      status: 'open',
      escalation: {
        reason: 'issuer_unavailable',
        deadline: new Date(checkedAt + ESCALATION_DEADLINE_SECONDS * 1000).toISOString(),
        nextCheckAt: new Date(checkedAt + ESCALATION_RETRY_SECONDS * 1000).toISOString(),
        attempts: expect.any(Number),
      },
    });
    const { reportId } = escalated.body;
    // Meanwhile the shop says the code was redeemed an hour before the reveal.
    await redeemAtTime(s, card.code, Date.parse(revealedAt) - 3_600_000);

    // Before the backoff nothing is asked again, even with the issuer back.
    await s.vault.sweeper.sweep();
    expect(await openEscalation(s, reportId)).toMatchObject({ status: 'open' });
    s.clock.advance(ESCALATION_RETRY_SECONDS + 1);
    await s.vault.sweeper.sweep();

    expect(await openEscalation(s, reportId)).toBeUndefined();
    expect(await orderOf(s, orderId)).toMatchObject({ state: 'refunded', refunded: EUR(4500) });
    const seller = await sellerOf(s, sellerId);
    expect(seller.strikes).toBe(1);
    expect(seller.penalties).toEqual([
      expect.objectContaining({ reportId, foundBy: 'report', fine: EUR(450) }),
    ]);
    expect(await buyerOf(s, buyerId)).toMatchObject({ upheld: 1, rejected: 0 });
    const decided = (await eventsOf(s, orderId)).filter((e) => e.type === 'report.decided');
    expect(decided).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ reportId, decision: 'refunded' }) }),
    ]);
  });

  it('applies the default at the deadline: buyer refunded, no seller penalty, refunded_unproven on both records', async () => {
    const s = stack.current;
    const { orderId, buyerId, sellerId, card, revealedAt } = await aRevealedOrder(s, { price: 4500 });
    await redeemAtTime(s, card.code, Date.parse(revealedAt) + 30_000);
    const escalated = await report(s, orderId, buyerId, card.cardId);
    expect(escalated.status, escalated.text).toBe(201);
    expect(escalated.body).toMatchObject({
      decision: 'escalated',
      status: 'open',
      escalation: { reason: 'race_window' },
    });
    const { reportId } = escalated.body;
    const deadline = Date.parse(escalated.body.escalation.deadline);
    expect(deadline - Date.parse(escalated.body.createdAt)).toBe(ESCALATION_DEADLINE_SECONDS * 1000);

    // Past the dispute window but before the deadline: the money stays held, the report open.
    s.clock.advance(ESCALATION_DEADLINE_SECONDS - 60);
    await s.vault.sweeper.sweep();
    expect(await openEscalation(s, reportId)).toBeDefined();
    expect((await sellerOf(s, sellerId)).balance).toEqual({ EUR: { held: 4500, available: 0 } });
    s.clock.advance(61);
    await s.vault.sweeper.sweep();

    expect(await openEscalation(s, reportId)).toBeUndefined();
    expect(await orderOf(s, orderId)).toMatchObject({ state: 'refunded', refunded: EUR(4500) });
    expect(await sellerOf(s, sellerId)).toMatchObject({
      strikes: 0,
      penalties: [],
      unprovenRefunds: 1,
      balance: { EUR: { held: 0, available: 0 } },
    });
    expect(await buyerOf(s, buyerId)).toMatchObject({ unproven: 1, upheld: 0, rejected: 0 });
    const applied = (await eventsOf(s, orderId)).filter((e) => e.type === 'report.default_applied');
    expect(applied).toEqual([
      expect.objectContaining({
        actor: 'sweeper',
        data: expect.objectContaining({ reportId, decision: 'refunded_unproven' }),
      }),
    ]);
  });
});
