import { describe, expect, it } from 'vitest';
import { InvalidStateError } from '../../shared/domain/errors.js';
import {
  isReleasedUnrevealed,
  releasedBeforeReveal,
  revealCheckConfirmed,
} from '../../shared/domain/order.js';
import { OrderTransitions } from '../../shared/domain/order-transitions.js';
import { anOrder, at, balanceAfter, eur, plusSeconds } from '../support/builders.js';

/** A paid order never revealed, released at its reveal deadline (T0 + 30 days), then a late reveal. */
const DISPUTE_WINDOW_SECONDS = 86_400;
const DEADLINE = 30 * 86_400;

const transitions = new OrderTransitions((when) => `evt_${when.getTime()}`);
const paid = anOrder({ state: 'paid', quantity: 2, unitPrice: eur(4500) });
const released = transitions.releaseUnrevealed(paid, at(DEADLINE)).next;
const active = [
  { cardId: 'crd_1', issuerState: 'active' as const, balance: eur(5000) },
  { cardId: 'crd_2', issuerState: 'unreachable' as const },
];

describe('OrderTransitions.releaseUnrevealed', () => {
  it('pays the seller out of escrow, keeps the cards reserved and sealed, and leaves the order open to a reveal', () => {
    const t = transitions.releaseUnrevealed(paid, at(DEADLINE));
    expect(t.next).toMatchObject({ state: 'released', releasedAt: at(DEADLINE).toISOString() });
    expect(t.next).not.toHaveProperty('revealedAt');
    expect(t.next).not.toHaveProperty('closedAt');
    expect(isReleasedUnrevealed(t.next)).toBe(true);
    expect(t.ledger.map((l) => [l.kind, l.entryId, l.held, l.available])).toEqual([
      ['release', 'ord_test#release', -9000, 9000],
    ]);
    expect(t.cards.map((c) => [c.cardId, c.from, c.to, c.linked])).toEqual([
      ['crd_1', 'reserved', 'reserved', true],
      ['crd_2', 'reserved', 'reserved', true],
    ]);
    expect(t.requireActiveSeller).toBe(true);
    expect(t.events).toEqual([
      expect.objectContaining({
        type: 'order.released',
        actor: 'sweeper',
        from: 'paid',
        to: 'released',
        data: { payout: eur(9000), reason: 'reveal_deadline', revealed: false },
      }),
    ]);
  });

  it.each(['pending_payment', 'revealed', 'released', 'refunded'] as const)('refuses a %s order', (state) => {
    expect(() => transitions.releaseUnrevealed(anOrder({ state }), at(DEADLINE))).toThrow(InvalidStateError);
  });
});

describe('OrderTransitions.reveal (late, released unrevealed)', () => {
  const t = transitions.reveal(released, at(DEADLINE + 60), {
    keyHash: 'hash-1',
    disputeWindowSeconds: DISPUTE_WINDOW_SECONDS,
    checks: active,
  });

  it('keeps the order released, sets the reveal, sells the cards and opens a dispute window', () => {
    expect(t.expectedState).toBe('released');
    expect(t.next).toMatchObject({
      state: 'released',
      revealedAt: at(DEADLINE + 60).toISOString(),
      revealKeyHash: 'hash-1',
      disputeDeadline: plusSeconds(at(DEADLINE + 60).toISOString(), DISPUTE_WINDOW_SECONDS),
    });
    expect(releasedBeforeReveal(t.next)).toBe(true);
    expect(t.cards.map((c) => [c.cardId, c.from, c.to, c.linked])).toEqual([
      ['crd_1', 'reserved', 'sold', true],
      ['crd_2', 'reserved', 'sold', true],
    ]);
    expect(t.ledger).toEqual([]);
    expect(t.events).toEqual([
      expect.objectContaining({
        type: 'order.revealed',
        actor: 'buyer',
        data: expect.objectContaining({ afterRelease: true }),
      }),
    ]);
    expect(t.events[0]).not.toHaveProperty('from');
  });

  it("keeps the re-check's evidence on each card; only an active answer confirms it", () => {
    expect(t.next.cards.map(revealCheckConfirmed)).toEqual([true, false]);
    expect(t.next.cards).toEqual([
      { cardId: 'crd_1', last4: '1001', issuerStateAtReveal: 'active', balanceAtReveal: eur(5000) },
      { cardId: 'crd_2', last4: '1002', issuerStateAtReveal: 'unreachable' },
    ]);
  });

  it('refuses an order released after its reveal (a second reveal); a paid order is revealed as usual', () => {
    expect(() =>
      transitions.reveal(t.next, at(DEADLINE + 90), {
        keyHash: 'h',
        disputeWindowSeconds: DISPUTE_WINDOW_SECONDS,
      }),
    ).toThrow(InvalidStateError);
    expect(() =>
      transitions.reveal(anOrder({ state: 'released' }), at(1), { keyHash: 'h', disputeWindowSeconds: 1 }),
    ).toThrow(InvalidStateError);
    // A paid order takes the ordinary path: the domain decides which one applies.
    expect(transitions.reveal(paid, at(1), { keyHash: 'h', disputeWindowSeconds: 1 }).next.state).toBe(
      'revealed',
    );
  });

  it('refunds an upheld report from the available balance, and closes the order on its last card', () => {
    const first = transitions.refundReportedCard(t.next, 'crd_1', 'rpt_1', at(DEADLINE + 120));
    expect(first.expectedState).toBe('released');
    expect(first.next.state).toBe('released');
    expect(first.ledger.map((l) => [l.kind, l.held, l.available])).toEqual([
      ['refund', 0, -4500],
      ['fine', 0, -450],
    ]);
    const last = transitions.refundReportedCard(first.next, 'crd_2', 'rpt_2', at(DEADLINE + 130));
    expect(last.next).toMatchObject({ state: 'refunded', refunded: eur(9000) });
    const release = transitions.releaseUnrevealed(paid, at(DEADLINE));
    expect(
      balanceAfter(transitions.markPaid(anOrder({ quantity: 2 }), 'p', at(60)), release, first, last),
    ).toEqual({
      held: 0,
      available: -900,
    });
  });

  it('notes a report on it without leaving released', () => {
    const noted = transitions.noteReport(t.next, at(DEADLINE + 120), true);
    expect(noted.next).toMatchObject({ state: 'released', openReports: 1 });
  });

  it('still refuses reports on an order released after its dispute window', () => {
    expect(() => transitions.refundReportedCard(anOrder({ state: 'released' }), 'crd_1', 'r', at(1))).toThrow(
      InvalidStateError,
    );
  });
});

describe('OrderTransitions.refundUnrevealed (released unrevealed)', () => {
  it('refunds the whole amount from the available balance, voids the dead cards and penalises each', () => {
    const t = transitions.refundUnrevealed(released, at(DEADLINE + 60), {
      actor: 'vault',
      reason: 'code_dead_before_reveal',
      deadCardIds: ['crd_2'],
    });
    expect(t.expectedState).toBe('released');
    expect(t.next).toMatchObject({
      state: 'refunded',
      refunded: eur(9000),
      refundReason: 'code_dead_before_reveal',
    });
    expect(t.ledger.map((l) => [l.kind, l.entryId, l.held, l.available])).toEqual([
      ['refund', 'ord_test#refund', 0, -9000],
      ['fine', 'ord_test#fine#crd_2', 0, -450],
    ]);
    expect(t.cards.map((c) => [c.cardId, c.from, c.to])).toEqual([
      ['crd_1', 'reserved', 'available'],
      ['crd_2', 'reserved', 'void'],
    ]);
    expect(t.penalties.map((p) => p.cardId)).toEqual(['crd_2']);
    expect(t.events).toEqual([
      expect.objectContaining({ type: 'order.refunded', from: 'released', to: 'refunded' }),
    ]);
    // Whole sale: paid, released, refunded: the seller is down exactly the fine, recorded, not lost.
    const paidStep = transitions.markPaid(anOrder({ quantity: 2 }), 'p', at(60));
    const releaseStep = transitions.releaseUnrevealed(paid, at(DEADLINE));
    expect(balanceAfter(paidStep, releaseStep, t)).toEqual({ held: 0, available: -450 });
  });

  it('refuses an order that was revealed; a paid one is refunded from escrow as usual', () => {
    expect(() =>
      transitions.refundUnrevealed(anOrder({ state: 'released' }), at(1), {
        actor: 'vault',
        reason: 'seller_suspended',
      }),
    ).toThrow(InvalidStateError);
    const fromPaid = transitions.refundUnrevealed(paid, at(1), {
      actor: 'vault',
      reason: 'seller_suspended',
    });
    expect(fromPaid.expectedState).toBe('paid');
    expect(fromPaid.ledger[0]).toMatchObject({ held: -paid.amount.amount, available: 0 });
  });
});

describe('OrderTransitions.reveal and refundUnrevealed with evidence', () => {
  it("keeps the re-check's evidence on the revealed order's cards", () => {
    const t = transitions.reveal(paid, at(120), {
      keyHash: 'h',
      disputeWindowSeconds: DISPUTE_WINDOW_SECONDS,
      checks: active,
    });
    expect(t.next.cards[0]).toEqual({
      cardId: 'crd_1',
      last4: '1001',
      issuerStateAtReveal: 'active',
      balanceAtReveal: eur(5000),
    });
  });

  it("keeps the dead card's answer on a refunded order", () => {
    const dead = [{ cardId: 'crd_1', issuerState: 'active' as const, balance: eur(500) }];
    const t = transitions.refundUnrevealed(paid, at(120), {
      actor: 'vault',
      reason: 'code_dead_before_reveal',
      deadCardIds: ['crd_1'],
      checks: dead,
    });
    expect(t.next.cards).toEqual([
      { cardId: 'crd_1', last4: '1001', issuerStateAtReveal: 'active', balanceAtReveal: eur(500) },
      { cardId: 'crd_2', last4: '1002' },
    ]);
  });

  it('records a re-delivery as a buyer event naming the cards and the channel, never the code', () => {
    const revealed = transitions.reveal(paid, at(120), {
      keyHash: 'h',
      disputeWindowSeconds: DISPUTE_WINDOW_SECONDS,
    }).next;
    expect(transitions.redelivered(revealed, at(1000), 'hosted_page')).toEqual({
      eventId: `evt_${at(1000).getTime()}`,
      orderId: 'ord_test',
      type: 'order.redelivered',
      actor: 'buyer',
      at: at(1000).toISOString(),
      data: { cardIds: ['crd_1', 'crd_2'], channel: 'hosted_page' },
    });
  });

  it('records the channel a reveal went through on order.revealed', () => {
    const [viaApi, viaPage] = (['api', 'hosted_page'] as const).map(
      (channel) =>
        transitions.reveal(paid, at(120), {
          keyHash: 'h',
          disputeWindowSeconds: DISPUTE_WINDOW_SECONDS,
          channel: channel,
        }).events[0],
    );
    expect(viaApi?.data?.channel).toBe('api');
    expect(viaPage?.data?.channel).toBe('hosted_page');
  });
});
