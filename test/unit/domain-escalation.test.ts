import { describe, expect, it } from 'vitest';
import {
  afterUnansweredReask,
  type Escalation,
  escalationDeadline,
  isPastDeadline,
  isReaskDue,
  nextEscalationCheckAt,
} from '../../shared/domain/escalation.js';
import { at, plusSeconds, T0 } from '../support/builders.js';

const BASE = 30;
const MAX = 3600;
const SEVEN_DAYS = 604_800;
const now = at(0);

const anEscalation = (overrides: Partial<Escalation> = {}): Escalation => ({
  reason: 'issuer_unavailable',
  deadline: plusSeconds(T0, SEVEN_DAYS),
  nextCheckAt: plusSeconds(T0, BASE),
  attempts: 0,
  ...overrides,
});

describe('nextEscalationCheckAt', () => {
  it.each([
    [0, 30],
    [1, 60],
    [2, 120],
    [3, 240],
    [6, 1920],
  ])('waits the base doubled per re-ask: after %i re-asks, %i s', (attempts, seconds) => {
    expect(nextEscalationCheckAt(attempts, now, BASE, MAX)).toBe(plusSeconds(T0, seconds));
  });

  it('caps the wait at the maximum (3840 s would be next, 1 h is the cap)', () => {
    expect(nextEscalationCheckAt(7, now, BASE, MAX)).toBe(plusSeconds(T0, MAX));
    expect(nextEscalationCheckAt(50, now, BASE, MAX)).toBe(plusSeconds(T0, MAX));
  });

  it('stays capped after any number of re-asks (no overflow to an invalid time)', () => {
    expect(nextEscalationCheckAt(5000, now, BASE, MAX)).toBe(plusSeconds(T0, MAX));
  });

  it('honours a configured base and cap', () => {
    expect(nextEscalationCheckAt(2, now, 10, 35)).toBe(plusSeconds(T0, 35));
    expect(nextEscalationCheckAt(1, now, 10, 35)).toBe(plusSeconds(T0, 20));
  });
});

describe('escalation deadline', () => {
  it('is the configured time after the escalation opened (7 days by default)', () => {
    expect(escalationDeadline(now, SEVEN_DAYS)).toBe('2030-01-08T00:00:00.000Z');
  });

  it('is reached at its own instant, not a second before', () => {
    const escalation = anEscalation();
    expect(isPastDeadline(escalation, at(SEVEN_DAYS - 1))).toBe(false);
    expect(isPastDeadline(escalation, at(SEVEN_DAYS))).toBe(true);
  });
});

describe('isReaskDue', () => {
  it('is due at nextCheckAt for an unreachable issuer, not a second before', () => {
    expect(isReaskDue(anEscalation(), at(BASE - 1))).toBe(false);
    expect(isReaskDue(anEscalation(), at(BASE))).toBe(true);
  });

  it('never re-asks for another reason: those wait for an operator or the deadline', () => {
    for (const reason of [
      'race_window',
      'buyer_credit_poor',
      'unproven_history',
      'invalid_after_reveal',
    ] as const) {
      expect(isReaskDue(anEscalation({ reason }), at(BASE))).toBe(false);
    }
  });

  it('stops re-asking once no check is planned or the deadline is reached', () => {
    const { nextCheckAt: _none, ...unplanned } = anEscalation();
    expect(isReaskDue(unplanned, at(BASE))).toBe(false);
    expect(isReaskDue(anEscalation(), at(SEVEN_DAYS))).toBe(false);
  });
});

describe('afterUnansweredReask', () => {
  it('counts the attempt and plans the next one twice as far', () => {
    const once = afterUnansweredReask(anEscalation(), at(BASE), BASE, MAX);
    expect(once).toMatchObject({ attempts: 1, nextCheckAt: plusSeconds(T0, BASE + 60) });
    const twice = afterUnansweredReask(once, at(BASE + 60), BASE, MAX);
    expect(twice).toMatchObject({ attempts: 2, nextCheckAt: plusSeconds(T0, BASE + 60 + 120) });
  });

  it('keeps the reason and the deadline', () => {
    const next = afterUnansweredReask(anEscalation(), at(BASE), BASE, MAX);
    expect(next).toMatchObject({ reason: 'issuer_unavailable', deadline: anEscalation().deadline });
  });
});
