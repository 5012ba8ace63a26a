import { describe, expect, it } from 'vitest';
import { InvalidStateError } from '../../shared/domain/errors.js';
import {
  assertOrderTransition,
  canTransitionOrder,
  dueTransition,
  nextDueAt,
  type OrderState,
  orderStates,
} from '../../shared/domain/order.js';
import { anOrder, at, plusSeconds, T0 } from '../support/builders.js';

/**
 * The order life cycle of docs/design.md "Order states", written out independently of the production table. A state
 * added to `orderStates` fails here (and in tsc) until it is classified.
 */
const allowed: Record<OrderState, readonly OrderState[]> = {
  pending_payment: ['paid', 'expired', 'cancelled'],
  paid: ['revealed', 'refunded', 'released'],
  revealed: ['released', 'refunded'],
  released: [],
  expired: [],
  cancelled: [],
  refunded: [],
};

const pairs = orderStates.flatMap((from) => orderStates.map((to) => ({ from, to })));
const allowedPairs = pairs.filter(({ from, to }) => allowed[from]?.includes(to));
const refusedPairs = pairs.filter(({ from, to }) => !allowed[from]?.includes(to));

describe('order state machine', () => {
  it('classifies every order state in the expected table', () => {
    expect(Object.keys(allowed).sort()).toEqual([...orderStates].sort());
  });

  it.each(allowedPairs)('allows $from -> $to', ({ from, to }) => {
    expect(canTransitionOrder(from, to)).toBe(true);
    expect(() => assertOrderTransition(from, to)).not.toThrow();
  });

  it.each(refusedPairs)('refuses $from -> $to with InvalidStateError', ({ from, to }) => {
    expect(canTransitionOrder(from, to)).toBe(false);
    let thrown: unknown;
    try {
      assertOrderTransition(from, to);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidStateError);
    expect(thrown).toMatchObject({ code: 'invalid-state', details: { from, to } });
  });

  it('has no way out of a closed order', () => {
    for (const closed of ['released', 'expired', 'cancelled', 'refunded'] as const) {
      expect(orderStates.filter((to) => canTransitionOrder(closed, to))).toEqual([]);
    }
  });
});

describe('dueTransition', () => {
  const pending = anOrder({ state: 'pending_payment', expiresAt: plusSeconds(T0, 900) });
  const revealed = anOrder({ state: 'revealed', disputeDeadline: plusSeconds(T0, 86_400) });

  it('does not expire an unpaid order before expiresAt', () => {
    expect(dueTransition(pending, at(900 - 0.001))).toBeUndefined();
  });

  it('expires an unpaid order exactly at expiresAt', () => {
    expect(dueTransition(pending, at(900))).toBe('expire');
  });

  it('expires an unpaid order after expiresAt', () => {
    expect(dueTransition(pending, at(901))).toBe('expire');
  });

  it('does not release a revealed order before the dispute deadline', () => {
    expect(dueTransition(revealed, at(86_400 - 0.001))).toBeUndefined();
  });

  it('releases a revealed order exactly at the dispute deadline', () => {
    expect(dueTransition(revealed, at(86_400))).toBe('release');
  });

  it('releases a revealed order after the dispute deadline', () => {
    expect(dueTransition(revealed, at(100_000))).toBe('release');
  });

  it('does not release a revealed order that has no dispute deadline', () => {
    const { disputeDeadline: _, ...noDeadline } = revealed;
    expect(dueTransition(noDeadline, at(10_000_000))).toBeUndefined();
  });

  it('does not release an unpaid order whose dispute deadline (if any) has passed', () => {
    const order = anOrder({ state: 'pending_payment', disputeDeadline: T0, expiresAt: plusSeconds(T0, 900) });
    expect(dueTransition(order, at(10))).toBeUndefined();
  });

  const dueWhenEverythingPassed: Record<OrderState, 'expire' | 'release' | undefined> = {
    pending_payment: 'expire',
    paid: undefined,
    revealed: 'release',
    released: undefined,
    expired: undefined,
    cancelled: undefined,
    refunded: undefined,
  };

  it.each([...orderStates])(
    'in state %s, with every deadline passed, makes only its own transition due',
    (state) => {
      expect(Object.keys(dueWhenEverythingPassed)).toContain(state);
      const order = anOrder({ state, expiresAt: T0, disputeDeadline: T0 });
      expect(dueTransition(order, at(10_000_000))).toBe(dueWhenEverythingPassed[state]);
    },
  );
});

describe('nextDueAt', () => {
  it('is expiresAt for an unpaid order', () => {
    expect(nextDueAt(anOrder({ state: 'pending_payment', expiresAt: '2030-01-01T00:15:00.000Z' }))).toBe(
      '2030-01-01T00:15:00.000Z',
    );
  });

  it('is the dispute deadline for a revealed order', () => {
    expect(nextDueAt(anOrder({ state: 'revealed', disputeDeadline: '2030-01-02T00:02:00.000Z' }))).toBe(
      '2030-01-02T00:02:00.000Z',
    );
  });

  it('is undefined for a revealed order without a dispute deadline', () => {
    expect(nextDueAt({ state: 'revealed', expiresAt: T0 })).toBeUndefined();
  });

  it.each(['paid', 'released', 'expired', 'cancelled', 'refunded'] as const)(
    'is undefined for a %s order: time changes nothing',
    (state) => {
      expect(nextDueAt({ state, expiresAt: T0, disputeDeadline: T0 })).toBeUndefined();
    },
  );

  it('names a time at which dueTransition makes the transition due', () => {
    for (const state of orderStates) {
      const order = anOrder({ state });
      const due = nextDueAt(order);
      if (due === undefined) continue;
      expect(dueTransition(order, new Date(Date.parse(due) - 1))).toBeUndefined();
      expect(dueTransition(order, new Date(due))).toBeDefined();
    }
  });
});
