import { describe, expect, it } from 'vitest';
import { InvalidStateError } from '../../shared/domain/errors.js';
import type { Order, OrderState } from '../../shared/domain/order.js';
import type { OrderTransition } from '../../shared/domain/order-transition.js';
import { OrderTransitions } from '../../shared/domain/order-transitions.js';
import { anOrder, at, balanceAfter, eur, plusSeconds, T0 } from '../support/builders.js';

const DISPUTE_WINDOW_SECONDS = 86_400;

function setup() {
  const eventTimes: Date[] = [];
  const transitions = new OrderTransitions((at) => {
    eventTimes.push(at);
    return `evt_${eventTimes.length}`;
  });
  return { eventTimes, transitions };
}

describe('OrderTransitions.closeUnpaid', () => {
  const order = anOrder({ state: 'pending_payment', quantity: 2 });

  it('expires an unpaid order and puts its reserved cards back on sale, unlinked', () => {
    const { transitions } = setup();
    const t = transitions.closeUnpaid(order, 'expired', 'sweeper', at(900), 'payment_timeout');
    expect(t.next.state).toBe('expired');
    expect(t.next.closedAt).toBe(at(900).toISOString());
    expect(t.cards).toEqual([
      { listingId: 'lst_test', cardId: 'crd_1', from: 'reserved', to: 'available', linked: false },
      { listingId: 'lst_test', cardId: 'crd_2', from: 'reserved', to: 'available', linked: false },
    ]);
  });

  it('moves no money and fines no one', () => {
    const { transitions } = setup();
    const t = transitions.closeUnpaid(order, 'cancelled', 'marketplace', at(10));
    expect(t.ledger).toEqual([]);
    expect(t.penalties).toEqual([]);
  });

  it('appends an order.expired event with the actor, the states and the reason (F9)', () => {
    const { transitions } = setup();
    const t = transitions.closeUnpaid(order, 'expired', 'sweeper', at(900), 'payment_timeout');
    expect(t.events).toEqual([
      {
        eventId: 'evt_1',
        orderId: 'ord_test',
        type: 'order.expired',
        actor: 'sweeper',
        from: 'pending_payment',
        to: 'expired',
        at: at(900).toISOString(),
        data: { reason: 'payment_timeout' },
      },
    ]);
  });

  it('appends an order.cancelled event, without data when no reason is given', () => {
    const { transitions } = setup();
    const [event] = transitions.closeUnpaid(order, 'cancelled', 'marketplace', at(10)).events;
    expect(event).toMatchObject({ type: 'order.cancelled', actor: 'marketplace', to: 'cancelled' });
    expect(event).not.toHaveProperty('data');
  });

  it.each(['paid', 'revealed', 'released', 'refunded', 'expired', 'cancelled'] as const)(
    'refuses to close a %s order',
    (state) => {
      const { transitions } = setup();
      expect(() => transitions.closeUnpaid(anOrder({ state }), 'cancelled', 'marketplace', at(10))).toThrow(
        InvalidStateError,
      );
    },
  );
});

describe('OrderTransitions.markPaid', () => {
  const order = anOrder({ state: 'pending_payment', quantity: 2 });

  it('marks the order paid with the payment reference and time', () => {
    const { transitions } = setup();
    const t = transitions.markPaid(order, 'pay-42', at(60));
    expect(t.next).toMatchObject({ state: 'paid', paymentRef: 'pay-42', paidAt: at(60).toISOString() });
  });

  it('holds the full amount in escrow for the seller: held += amount, available unchanged', () => {
    const { transitions } = setup();
    const t = transitions.markPaid(order, 'pay-42', at(60));
    expect(t.ledger).toEqual([
      {
        sellerId: 'seller-1',
        currency: 'EUR',
        held: 9000,
        available: 0,
        entryId: 'ord_test#paid',
        kind: 'sale_held',
        orderId: 'ord_test',
      },
    ]);
  });

  it('keeps the cards reserved (off the payment clock), requires an active seller, and records a payment.received event', () => {
    const { transitions } = setup();
    const t = transitions.markPaid(order, 'pay-42', at(60));
    expect(t.cards.map((c) => [c.cardId, c.from, c.to, c.linked])).toEqual([
      ['crd_1', 'reserved', 'reserved', true],
      ['crd_2', 'reserved', 'reserved', true],
    ]);
    expect(t.requireActiveSeller).toBe(true);
    expect(t.events).toEqual([
      expect.objectContaining({
        type: 'payment.received',
        actor: 'marketplace',
        from: 'pending_payment',
        to: 'paid',
        data: { paymentRef: 'pay-42', amount: eur(9000) },
      }),
    ]);
  });

  it.each(['paid', 'revealed', 'released', 'expired', 'cancelled', 'refunded'] as const)(
    'refuses to mark a %s order paid',
    (state) => {
      const { transitions } = setup();
      expect(() => transitions.markPaid(anOrder({ state }), 'pay-42', at(60))).toThrow(InvalidStateError);
    },
  );
});

describe('OrderTransitions.reveal', () => {
  const order = anOrder({ state: 'paid', quantity: 2 });

  it('sells the cards (kept linked) and opens the dispute window from the reveal', () => {
    const { transitions } = setup();
    const t = transitions.reveal(order, at(120), {
      keyHash: 'hash-1',
      disputeWindowSeconds: DISPUTE_WINDOW_SECONDS,
    });
    expect(t.next).toMatchObject({
      state: 'revealed',
      revealedAt: at(120).toISOString(),
      revealKeyHash: 'hash-1',
      disputeDeadline: plusSeconds(at(120).toISOString(), DISPUTE_WINDOW_SECONDS),
    });
    expect(t.cards.map((c) => [c.cardId, c.from, c.to, c.linked])).toEqual([
      ['crd_1', 'reserved', 'sold', true],
      ['crd_2', 'reserved', 'sold', true],
    ]);
    expect(t.ledger).toEqual([]);
  });

  it.each(['pending_payment', 'revealed', 'released', 'expired', 'cancelled', 'refunded'] as const)(
    'refuses to reveal a %s order',
    (state) => {
      const { transitions } = setup();
      expect(() =>
        transitions.reveal(anOrder({ state }), at(120), {
          keyHash: 'hash-1',
          disputeWindowSeconds: DISPUTE_WINDOW_SECONDS,
        }),
      ).toThrow(InvalidStateError);
    },
  );
});

describe('OrderTransitions.refundUnrevealed (paid)', () => {
  const order = anOrder({ state: 'paid', quantity: 2, unitPrice: eur(4500) });

  it('refunds the full amount and closes the order', () => {
    const { transitions } = setup();
    const t = transitions.refundUnrevealed(order, at(100), {
      actor: 'vault',
      reason: 'code_dead_before_reveal',
      deadCardIds: ['crd_2'],
    });
    expect(t.next).toMatchObject({ state: 'refunded', refunded: eur(9000), closedAt: at(100).toISOString() });
    expect(t.ledger[0]).toEqual({
      sellerId: 'seller-1',
      currency: 'EUR',
      held: -9000,
      available: 0,
      entryId: 'ord_test#refund',
      kind: 'refund',
      orderId: 'ord_test',
    });
  });

  it('voids the dead cards and puts the live ones back on sale, unlinked', () => {
    const { transitions } = setup();
    const t = transitions.refundUnrevealed(order, at(100), {
      actor: 'vault',
      reason: 'code_dead_before_reveal',
      deadCardIds: ['crd_2'],
    });
    expect(t.cards.map((c) => [c.cardId, c.from, c.to, c.linked])).toEqual([
      ['crd_1', 'reserved', 'available', false],
      ['crd_2', 'reserved', 'void', false],
    ]);
  });

  it('penalises the seller once per dead card, with a fine ledger line each (F7)', () => {
    const { transitions } = setup();
    const t = transitions.refundUnrevealed(order, at(100), {
      actor: 'vault',
      reason: 'code_dead_before_reveal',
      deadCardIds: ['crd_1', 'crd_2'],
    });
    expect(t.penalties).toEqual([
      {
        penaltyId: 'ord_test#crd_1',
        // The seller.penalised webhook's id, drawn from the same source as the trail's.
        eventId: 'evt_1',
        sellerId: 'seller-1',
        orderId: 'ord_test',
        cardId: 'crd_1',
        fine: eur(450),
        at: at(100).toISOString(),
      },
      expect.objectContaining({ penaltyId: 'ord_test#crd_2', cardId: 'crd_2', fine: eur(450) }),
    ]);
    expect(t.ledger.filter((l) => l.kind === 'fine')).toEqual([
      expect.objectContaining({ entryId: 'ord_test#fine#crd_1', held: 0, available: -450 }),
      expect.objectContaining({ entryId: 'ord_test#fine#crd_2', held: 0, available: -450 }),
    ]);
  });

  it('fines only the dead cards, at least 100 minor units each', () => {
    const { transitions } = setup();
    const cheap = anOrder({ state: 'paid', quantity: 3, unitPrice: eur(500) });
    const t = transitions.refundUnrevealed(cheap, at(100), {
      actor: 'vault',
      reason: 'code_dead_before_reveal',
      deadCardIds: ['crd_3'],
    });
    expect(t.penalties.map((p) => [p.cardId, p.fine.amount])).toEqual([['crd_3', 100]]);
    expect(t.ledger.map((l) => [l.kind, l.held, l.available])).toEqual([
      ['refund', -1500, 0],
      ['fine', 0, -100],
    ]);
  });

  it('refunds without penalty when no card is dead (seller suspended)', () => {
    const { transitions } = setup();
    const t = transitions.refundUnrevealed(order, at(100), { actor: 'vault', reason: 'seller_suspended' });
    expect(t.penalties).toEqual([]);
    expect(t.ledger.map((l) => l.kind)).toEqual(['refund']);
  });

  it('leaves the escrow for this order at zero', () => {
    const { transitions } = setup();
    const paid = transitions.markPaid(anOrder({ quantity: 2 }), 'pay-1', at(60));
    const refund = transitions.refundUnrevealed(paid.next, at(100), {
      actor: 'vault',
      reason: 'code_dead_before_reveal',
      deadCardIds: ['crd_1'],
    });
    expect(balanceAfter(paid, refund)).toEqual({ held: 0, available: -450 });
  });

  it('records an order.refunded event with the reason, the refund and the dead cards', () => {
    const { transitions } = setup();
    const t = transitions.refundUnrevealed(order, at(100), {
      actor: 'vault',
      reason: 'code_dead_before_reveal',
      deadCardIds: ['crd_2'],
    });
    expect(t.events).toEqual([
      expect.objectContaining({
        type: 'order.refunded',
        actor: 'vault',
        from: 'paid',
        to: 'refunded',
        data: { reason: 'code_dead_before_reveal', refund: eur(9000), deadCardIds: ['crd_2'] },
      }),
    ]);
  });

  it.each(['pending_payment', 'revealed', 'released', 'expired', 'cancelled', 'refunded'] as const)(
    'refuses to refund a %s order as paid',
    (state) => {
      const { transitions } = setup();
      expect(() =>
        transitions.refundUnrevealed(anOrder({ state }), at(100), {
          actor: 'vault',
          reason: 'seller_suspended',
        }),
      ).toThrow(InvalidStateError);
    },
  );
});

describe('OrderTransitions.refundReportedCard', () => {
  const order = anOrder({ state: 'revealed', quantity: 2, unitPrice: eur(4500) });

  it('refunds one card of several and leaves the order revealed', () => {
    const { transitions } = setup();
    const t = transitions.refundReportedCard(order, 'crd_1', 'rpt_1', at(300));
    expect(t.next.state).toBe('revealed');
    expect(t.next.cards).toEqual([
      { cardId: 'crd_1', last4: '1001', refunded: true },
      { cardId: 'crd_2', last4: '1002' },
    ]);
    expect(t.next.refunded).toEqual(eur(4500));
    expect(t.next).not.toHaveProperty('closedAt');
    expect(t.cards).toEqual([
      { listingId: 'lst_test', cardId: 'crd_1', from: 'sold', to: 'refunded', linked: true },
    ]);
  });

  it("moves the card's price out of escrow and fines the seller for it", () => {
    const { transitions } = setup();
    const t = transitions.refundReportedCard(order, 'crd_1', 'rpt_1', at(300));
    expect(t.ledger.map((l) => [l.kind, l.entryId, l.held, l.available])).toEqual([
      ['refund', 'ord_test#refund#crd_1', -4500, 0],
      ['fine', 'ord_test#fine#crd_1', 0, -450],
    ]);
    expect(t.penalties).toEqual([
      expect.objectContaining({ cardId: 'crd_1', reportId: 'rpt_1', fine: eur(450), sellerId: 'seller-1' }),
    ]);
  });

  it('appends no order event of its own while the order stays revealed', () => {
    const { transitions } = setup();
    expect(transitions.refundReportedCard(order, 'crd_1', 'rpt_1', at(300)).events).toEqual([]);
  });

  it('refunds the order once its last card is refunded', () => {
    const { transitions } = setup();
    const first = transitions.refundReportedCard(order, 'crd_1', 'rpt_1', at(300));
    const second = transitions.refundReportedCard(first.next, 'crd_2', 'rpt_2', at(400));
    expect(second.expectedState).toBe('revealed');
    expect(second.next).toMatchObject({
      state: 'refunded',
      refunded: eur(9000),
      closedAt: at(400).toISOString(),
      version: 3,
    });
    expect(second.next.cards.every((c) => c.refunded)).toBe(true);
    expect(second.events).toEqual([
      expect.objectContaining({
        type: 'order.refunded',
        actor: 'vault',
        from: 'revealed',
        to: 'refunded',
        data: { reportId: 'rpt_2' },
      }),
    ]);
  });

  it('refunds a single-card order at once', () => {
    const { transitions } = setup();
    const t = transitions.refundReportedCard(anOrder({ state: 'revealed' }), 'crd_1', 'rpt_1', at(300));
    expect(t.next.state).toBe('refunded');
    expect(t.next.refunded).toEqual(eur(4500));
  });

  it.each(['released', 'expired', 'cancelled', 'pending_payment', 'paid', 'refunded'] as const)(
    'refuses to refund the last card of a %s order',
    (state) => {
      const { transitions } = setup();
      expect(() => transitions.refundReportedCard(anOrder({ state }), 'crd_1', 'rpt_1', at(300))).toThrow(
        InvalidStateError,
      );
    },
  );
});

describe('OrderTransitions.release', () => {
  it('moves the whole amount from held to available when nothing was refunded', () => {
    const { transitions } = setup();
    const t = transitions.release(anOrder({ state: 'revealed', quantity: 2 }), at(90_000), 'sweeper');
    expect(t.next).toMatchObject({
      state: 'released',
      releasedAt: at(90_000).toISOString(),
      closedAt: at(90_000).toISOString(),
    });
    expect(t.ledger).toEqual([
      {
        sellerId: 'seller-1',
        currency: 'EUR',
        held: -9000,
        available: 9000,
        entryId: 'ord_test#release',
        kind: 'release',
        orderId: 'ord_test',
      },
    ]);
    expect(t.events).toEqual([
      expect.objectContaining({
        type: 'order.released',
        actor: 'sweeper',
        from: 'revealed',
        to: 'released',
        data: { payout: eur(9000) },
      }),
    ]);
  });

  it('pays out only the amount minus what was refunded', () => {
    const { transitions } = setup();
    const order = anOrder({ state: 'revealed', quantity: 3, unitPrice: eur(1000), refunded: eur(1000) });
    const t = transitions.release(order, at(90_000), 'buyer');
    expect(t.ledger.map((l) => [l.held, l.available])).toEqual([[-2000, 2000]]);
    expect(t.events[0]?.data).toEqual({ payout: eur(2000) });
  });

  it('over a whole sale with one upheld report, empties the escrow and credits price minus refund minus fine', () => {
    const { transitions } = setup();
    const paid = transitions.markPaid(anOrder({ quantity: 2, unitPrice: eur(4500) }), 'pay-1', at(60));
    const revealed = transitions.reveal(paid.next, at(120), {
      keyHash: 'hash',
      disputeWindowSeconds: DISPUTE_WINDOW_SECONDS,
    });
    const reported = transitions.refundReportedCard(revealed.next, 'crd_2', 'rpt_1', at(300));
    const released = transitions.release(reported.next, at(90_000), 'sweeper');
    expect(balanceAfter(paid, revealed, reported, released)).toEqual({ held: 0, available: 4500 - 450 });
    expect(released.next.version).toBe(5);
  });

  it.each(['pending_payment', 'paid', 'released', 'expired', 'cancelled', 'refunded'] as const)(
    'refuses to release a %s order',
    (state) => {
      const { transitions } = setup();
      expect(() => transitions.release(anOrder({ state }), at(90_000), 'sweeper')).toThrow(InvalidStateError);
    },
  );
});

describe('OrderTransitions (every builder)', () => {
  const cases: Array<{
    name: string;
    from: OrderState;
    run: (t: OrderTransitions, o: Order) => OrderTransition;
  }> = [
    {
      name: 'closeUnpaid',
      from: 'pending_payment',
      run: (t, o) => t.closeUnpaid(o, 'expired', 'sweeper', at(1)),
    },
    { name: 'markPaid', from: 'pending_payment', run: (t, o) => t.markPaid(o, 'pay-1', at(1)) },
    {
      name: 'reveal',
      from: 'paid',
      run: (t, o) => t.reveal(o, at(1), { keyHash: 'h', disputeWindowSeconds: DISPUTE_WINDOW_SECONDS }),
    },
    {
      name: 'refundUnrevealed',
      from: 'paid',
      run: (t, o) => t.refundUnrevealed(o, at(1), { actor: 'vault', reason: 'seller_suspended' }),
    },
    {
      name: 'refundReportedCard',
      from: 'revealed',
      run: (t, o) => t.refundReportedCard(o, 'crd_1', 'rpt', at(1)),
    },
    { name: 'release', from: 'revealed', run: (t, o) => t.release(o, at(1), 'buyer') },
  ];

  it.each(cases)('$name bumps the version by one and expects the state it read', ({ from, run }) => {
    const { transitions } = setup();
    const order = anOrder({ state: from, version: 7 });
    const t = run(transitions, order);
    expect(t.next.version).toBe(8);
    expect(t.expectedState).toBe(from);
    expect(t.order).toBe(order);
    expect(t.at).toBe(at(1).toISOString());
  });

  it.each(cases)('$name does not change the order it was given', ({ from, run }) => {
    const { transitions } = setup();
    const order = anOrder({ state: from });
    const copy = structuredClone(order);
    run(transitions, order);
    expect(order).toEqual(copy);
  });

  it.each(cases)('$name keeps the identity and money fields of the order', ({ from, run }) => {
    const { transitions } = setup();
    const order = anOrder({ state: from, quantity: 2 });
    const { next } = run(transitions, order);
    for (const key of [
      'tenantId',
      'orderId',
      'listingId',
      'sellerId',
      'buyerId',
      'amount',
      'unitPrice',
    ] as const) {
      expect(next[key]).toEqual(order[key]);
    }
  });

  it.each(cases)('$name takes event ids from its id source, at the time of the change', ({ from, run }) => {
    const { transitions, eventTimes } = setup();
    const t = run(transitions, anOrder({ state: from }));
    expect(t.events.length).toBeGreaterThan(0);
    // Penalties draw theirs too (the seller.penalised webhook's ids).
    const drawn = [...t.penalties.map((p) => p.eventId), ...t.events.map((e) => e.eventId)];
    expect(drawn.sort()).toEqual(eventTimes.map((_, i) => `evt_${i + 1}`));
    expect(eventTimes.every((time) => time.getTime() === at(1).getTime())).toBe(true);
  });
});

describe('OrderTransitions.event', () => {
  it('records from -> to only when the state changes', () => {
    const { transitions } = setup();
    const order = anOrder({ state: 'revealed' });
    expect(transitions.event(order, at(5), 'report.rejected', 'buyer')).not.toHaveProperty('from');
    expect(transitions.event(order, at(5), 'order.redelivered', 'buyer', 'revealed')).not.toHaveProperty(
      'to',
    );
    expect(transitions.event(order, at(5), 'order.released', 'sweeper', 'released')).toMatchObject({
      from: 'revealed',
      to: 'released',
      at: plusSeconds(T0, 5),
    });
  });
});

describe('OrderTransitions.strike', () => {
  const order = anOrder({ state: 'revealed', quantity: 2 });
  const seller = (strikeTimes: string[], status: 'active' | 'suspended' = 'active') => ({
    sellerId: order.sellerId,
    status,
    strikeTimes,
    balance: {},
    unprovenRefunds: 0,
    usedAfterReveal: [],
  });
  const daysBefore = (days: number) => plusSeconds(at(300).toISOString(), -days * 86_400);

  it('leaves a transition without penalties as it is', () => {
    const { transitions } = setup();
    const t = transitions.release(order, at(300), 'sweeper');
    expect(transitions.strike(t, seller([]))).toBe(t);
  });

  it('guards a strike with the seller as read: its status and number of strikes', () => {
    const { transitions } = setup();
    const t = transitions.strike(
      transitions.refundReportedCard(order, 'crd_1', 'rpt_1', at(300)),
      seller([daysBefore(10)]),
    );
    expect(t.strikeGuard).toEqual({ sellerId: order.sellerId, status: 'active', strikeCount: 1 });
    expect(t.events.map((e) => e.type)).not.toContain('seller.suspended');
  });

  it('reads a seller never seen before as active with no strike', () => {
    const { transitions } = setup();
    const t = transitions.strike(transitions.refundReportedCard(order, 'crd_1', 'rpt_1', at(300)), undefined);
    expect(t.strikeGuard).toEqual({ sellerId: order.sellerId, status: 'active', strikeCount: 0 });
  });

  it('suspends the seller in the same transition when this strike reaches the limit, on the order trail', () => {
    const { transitions } = setup();
    const refund = transitions.refundReportedCard(order, 'crd_1', 'rpt_1', at(300));
    const t = transitions.strike(refund, seller([daysBefore(20), daysBefore(10)]));
    const event = t.events.find((e) => e.type === 'seller.suspended');
    expect(event).toMatchObject({
      orderId: order.orderId,
      actor: 'vault',
      at: at(300).toISOString(),
      data: { sellerId: order.sellerId, strikes: 3, orderId: order.orderId },
    });
    expect(t.strikeGuard).toEqual({
      sellerId: order.sellerId,
      status: 'active',
      strikeCount: 2,
      suspension: {
        eventId: event?.eventId,
        sellerId: order.sellerId,
        type: 'seller.suspended',
        by: 'vault',
        at: at(300).toISOString(),
        data: event?.data,
      },
    });
    // Everything else is the refund as decided.
    expect({ ...t, events: refund.events, strikeGuard: undefined }).toEqual({
      ...refund,
      strikeGuard: undefined,
    });
  });

  it('gives the suspension an id after every penalty that caused it, so a receiver hears of them first', () => {
    // Ids drawn in one millisecond tie-break at random: here each one drawn sorts below the last.
    let n = 0;
    const transitions = new OrderTransitions(() => `evt_0000000000000000000000000${'ZYXWV'[n++]}`);
    const two = anOrder({ state: 'paid', quantity: 2 });
    const refund = transitions.refundUnrevealed(two, at(300), {
      actor: 'vault',
      reason: 'code_dead_before_reveal',
      deadCardIds: ['crd_1', 'crd_2'],
    });
    const t = transitions.strike(refund, seller([daysBefore(1)]));
    const suspension = t.events.find((e) => e.type === 'seller.suspended');
    expect(t.penalties.map((p) => p.eventId)).toEqual([
      'evt_0000000000000000000000000Z',
      'evt_0000000000000000000000000Y',
    ]);
    expect(suspension?.eventId).toBe('evt_00000000000000000000000010');
    expect(t.strikeGuard?.suspension?.eventId).toBe(suspension?.eventId);
  });

  it('strikes an already suspended seller without suspending again', () => {
    const { transitions } = setup();
    const t = transitions.strike(
      transitions.refundReportedCard(order, 'crd_1', 'rpt_1', at(300)),
      seller([daysBefore(3), daysBefore(2), daysBefore(1)], 'suspended'),
    );
    expect(t.strikeGuard).toEqual({ sellerId: order.sellerId, status: 'suspended', strikeCount: 3 });
    expect(t.events.map((e) => e.type)).not.toContain('seller.suspended');
  });
});
