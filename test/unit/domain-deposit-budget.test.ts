import { describe, expect, it } from 'vitest';
import {
  admit,
  type DepositBudget,
  emptyBudget,
  lockDue,
  lockOf,
} from '../../shared/domain/deposit-budget.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000).toISOString();
const slots = (...ages: number[]) => Object.fromEntries(ages.map((age, i) => [`hld_${i}`, ago(age)]));
const budget = (b: Partial<DepositBudget>): DepositBudget => ({ ...emptyBudget, ...b });

describe('deposit budget', () => {
  it('grants what is left of the budget, rejections and holds counted', () => {
    expect(admit(budget({ rejected: slots(10, 20), held: slots(1) }), NOW, 5, 10)).toEqual({
      kind: 'granted',
      count: 2,
    });
  });

  it('forgets rejections an hour old, to the second', () => {
    expect(admit(budget({ rejected: slots(3_600, 3_600) }), NOW, 2, 1)).toEqual({
      kind: 'granted',
      count: 1,
    });
    expect(admit(budget({ rejected: slots(3_599, 3_599) }), NOW, 2, 1).kind).toBe('exhausted');
  });

  it('waits while live checks hold the last slots, and counts a dead check as a rejection', () => {
    expect(admit(budget({ rejected: slots(10), held: slots(5) }), NOW, 2, 1)).toEqual({ kind: 'wait' });
    const dead = admit(budget({ rejected: slots(10), held: slots(61) }), NOW, 2, 1);
    expect(dead.kind).toBe('exhausted');
  });

  it('says when the oldest counted rejection leaves the hour', () => {
    const lock = lockOf(budget({ rejected: slots(600, 300) }), NOW, 2);
    expect(lock).toEqual({
      lockedUntil: new Date(NOW.getTime() + 3_000_000).toISOString(),
      operatorUnlockRequired: false,
      retryAfterSeconds: 3_000,
    });
  });

  it('locks once when rejections fill the budget, and the third lock in 7 days waits for an operator', () => {
    const full = budget({ rejected: slots(600, 300) });
    expect(lockDue(budget({ rejected: slots(600) }), NOW, 2)).toBeUndefined();
    expect(lockDue(full, NOW, 2)).toMatchObject({ operator: false, lockTimes: [NOW.toISOString()] });
    expect(lockDue({ ...full, lockedUntil: ago(-60) }, NOW, 2)).toBeUndefined();
    const third = lockDue({ ...full, lockTimes: [ago(86_400), ago(3 * 86_400)] }, NOW, 2);
    expect(third?.operator).toBe(true);
    const old = lockDue({ ...full, lockTimes: [ago(86_400), ago(7 * 86_400 + 1)] }, NOW, 2);
    expect(old?.operator).toBe(false);
    expect(lockOf({ ...full, operatorLockSince: ago(1) }, NOW, 2)).toMatchObject({
      operatorUnlockRequired: true,
    });
  });
});
