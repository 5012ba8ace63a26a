import { describe, expect, it } from 'vitest';
import {
  assertCardTransition,
  type CardState,
  canTransitionCard,
  cardStates,
  fingerprintFreedOnWithdraw,
} from '../../shared/domain/card.js';
import { InvalidStateError } from '../../shared/domain/errors.js';

/**
 * The card life cycle, written out independently of the production table. A state added to
 * `cardStates` fails here (and in tsc) until it is classified.
 */
const allowed: Record<CardState, readonly CardState[]> = {
  pending_validation: ['available', 'void', 'withdrawn'],
  available: ['reserved', 'withdrawn', 'void'],
  reserved: ['available', 'sold', 'refunded', 'void'],
  sold: ['refunded'],
  refunded: [],
  withdrawn: [],
  void: [],
};

const pairs = cardStates.flatMap((from) => cardStates.map((to) => ({ from, to })));
const allowedPairs = pairs.filter(({ from, to }) => allowed[from]?.includes(to));
const refusedPairs = pairs.filter(({ from, to }) => !allowed[from]?.includes(to));

describe('card state machine', () => {
  it('classifies every card state in the expected table', () => {
    expect(Object.keys(allowed).sort()).toEqual([...cardStates].sort());
  });

  it.each(allowedPairs)('allows $from -> $to', ({ from, to }) => {
    expect(canTransitionCard(from, to)).toBe(true);
    expect(() => assertCardTransition(from, to)).not.toThrow();
  });

  it.each(refusedPairs)('refuses $from -> $to with InvalidStateError', ({ from, to }) => {
    expect(canTransitionCard(from, to)).toBe(false);
    let thrown: unknown;
    try {
      assertCardTransition(from, to);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidStateError);
    expect(thrown).toMatchObject({ code: 'invalid-state', details: { from, to } });
  });

  it('never puts a sold card back on sale (F6: one code, one sale)', () => {
    expect(canTransitionCard('sold', 'available')).toBe(false);
    expect(canTransitionCard('sold', 'reserved')).toBe(false);
    expect(canTransitionCard('refunded', 'available')).toBe(false);
  });
});

describe('fingerprintFreedOnWithdraw', () => {
  const freed: Record<CardState, boolean> = {
    pending_validation: true,
    available: true,
    reserved: false,
    sold: false,
    refunded: false,
    withdrawn: false,
    void: false,
  };

  it.each([...cardStates])('for a card withdrawn from %s is as the design says', (state) => {
    expect(Object.keys(freed)).toContain(state);
    expect(fingerprintFreedOnWithdraw(state)).toBe(freed[state]);
  });

  it('frees the fingerprint for exactly the states a card can be withdrawn from (never-sold cards)', () => {
    const withdrawable = cardStates.filter((s) => canTransitionCard(s, 'withdrawn'));
    const freeing = cardStates.filter((s) => fingerprintFreedOnWithdraw(s));
    expect(freeing.sort()).toEqual(withdrawable.sort());
  });
});
