import { describe, expect, it } from 'vitest';
import { InvalidStateError } from '../../shared/domain/errors.js';
import { nextRecheckAt } from '../../shared/domain/order.js';
import { OrderTransitions } from '../../shared/domain/order-transitions.js';
import { anOrder, at, eur } from '../support/builders.js';

const REVEAL_DEADLINE_SECONDS = 2_592_000;
const transitions = new OrderTransitions((a) => `evt_${a.getTime()}`, {
  revealDeadlineSeconds: REVEAL_DEADLINE_SECONDS,
});

describe('OrderTransitions: paid orders end', () => {
  it('puts a paid order on its reveal deadline: paidAt + REVEAL_DEADLINE_SECONDS, rechecked from then', () => {
    const t = transitions.markPaid(anOrder({ state: 'pending_payment' }), 'pay-1', at(60));
    const deadline = new Date(at(60).getTime() + REVEAL_DEADLINE_SECONDS * 1000).toISOString();
    expect(t.next.recheckAt).toBe(deadline);
    expect(nextRecheckAt(t.next)).toBe(deadline);
    expect(nextRecheckAt({ ...t.next, state: 'revealed', revealedAt: at(90).toISOString() })).toBeUndefined();
  });

  it('refuses to release at the reveal deadline an order that is not paid', () => {
    for (const state of ['revealed', 'refunded', 'pending_payment'] as const) {
      expect(() => transitions.releaseUnrevealed(anOrder({ state }), at(1))).toThrow(InvalidStateError);
    }
  });

  it('postpones an unanswered re-check and counts the attempt', () => {
    const order = anOrder({ state: 'paid', recheckAttempts: 2 });
    const t = transitions.postponeRecheck(order, at(5), at(65).toISOString());
    expect(t.next).toMatchObject({ state: 'paid', recheckAt: at(65).toISOString(), recheckAttempts: 3 });
    expect(t.ledger).toEqual([]);
  });
});

describe('OrderTransitions: escalations end', () => {
  const open = anOrder({ state: 'revealed', quantity: 2, openReports: 1, revealedAt: at(10).toISOString() });

  it('refunds a card without a penalty and closes the escalation (deadline default counts as unproven)', () => {
    const t = transitions.refundReportedCard(open, 'crd_1', 'rpt_1', at(20), {
      penalty: false,
      closesEscalation: true,
      unproven: true,
    });
    expect(t.next).toMatchObject({ state: 'revealed', openReports: 0, refunded: eur(4500) });
    expect(t.penalties).toEqual([]);
    expect(t.unprovenRefund).toBe(true);
    expect(t.ledger).toEqual([expect.objectContaining({ kind: 'refund', held: -4500, available: 0 })]);
  });

  it('refunds with a penalty by default, as an upheld report', () => {
    const t = transitions.refundReportedCard(open, 'crd_1', 'rpt_1', at(20), { closesEscalation: true });
    expect(t.penalties).toEqual([expect.objectContaining({ cardId: 'crd_1', reportId: 'rpt_1' })]);
    expect(t.unprovenRefund).toBeUndefined();
  });

  it('closes a rejected escalation: the order goes back on its release clock, money unchanged', () => {
    const t = transitions.closeEscalation(open, at(20));
    expect(t.next).toMatchObject({ state: 'revealed', openReports: 0 });
    expect(t.ledger).toEqual([]);
    expect(() => transitions.closeEscalation(anOrder({ state: 'paid' }), at(20))).toThrow(InvalidStateError);
  });
});
