import { describe, expect, it } from 'vitest';
import { isCardDeadAtReveal } from '../../shared/domain/issuer-check.js';
import { money } from '../../shared/domain/money.js';
import { isRevealOverdue, revealDeadlineOf } from '../../shared/domain/reveal-deadline.js';
import { anOrder, at, eur, plusSeconds, T0 } from '../support/builders.js';

const THIRTY_DAYS = 2_592_000;

describe('reveal deadline of a paid order', () => {
  const paid = anOrder({ state: 'paid', paidAt: T0 });
  const { revealedAt: _never, ...unrevealed } = paid;

  it('is the configured time after payment (30 days by default)', () => {
    expect(revealDeadlineOf(T0, THIRTY_DAYS)).toBe(plusSeconds(T0, THIRTY_DAYS));
  });

  it('is overdue at the deadline itself, not a second before', () => {
    expect(isRevealOverdue(unrevealed, at(THIRTY_DAYS - 1), THIRTY_DAYS)).toBe(false);
    expect(isRevealOverdue(unrevealed, at(THIRTY_DAYS), THIRTY_DAYS)).toBe(true);
  });

  it('never applies to a revealed order or to one in another state', () => {
    expect(isRevealOverdue({ ...unrevealed, revealedAt: T0 }, at(THIRTY_DAYS), THIRTY_DAYS)).toBe(false);
    for (const state of ['pending_payment', 'released', 'refunded'] as const) {
      expect(isRevealOverdue({ ...unrevealed, state }, at(THIRTY_DAYS), THIRTY_DAYS)).toBe(false);
    }
  });
});

describe('isCardDeadAtReveal', () => {
  const faceValue = eur(5000);

  it('is alive when active with the full face value', () => {
    expect(isCardDeadAtReveal({ state: 'active', balance: eur(5000) }, faceValue)).toBe(false);
  });

  it('is dead when active with one minor unit less than the face value (spent in part)', () => {
    expect(isCardDeadAtReveal({ state: 'active', balance: eur(4999) }, faceValue)).toBe(true);
  });

  it('is dead when redeemed or unknown to the issuer', () => {
    expect(isCardDeadAtReveal({ state: 'redeemed', balance: eur(0) }, faceValue)).toBe(true);
    expect(isCardDeadAtReveal({ state: 'invalid' }, faceValue)).toBe(true);
  });

  it('is alive when active and the issuer gives no balance: no evidence of spending', () => {
    expect(isCardDeadAtReveal({ state: 'active' }, faceValue)).toBe(false);
  });

  it('is dead when the balance is in another currency than the face value', () => {
    expect(isCardDeadAtReveal({ state: 'active', balance: money(5000, 'USD') }, faceValue)).toBe(true);
  });
});
