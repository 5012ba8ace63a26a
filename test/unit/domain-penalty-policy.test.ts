import { describe, expect, it } from 'vitest';
import { money } from '../../shared/domain/money.js';
import {
  activeStrikes,
  fineFor,
  isCreditPoor,
  shouldSuspend,
  strikeSuspends,
  unprovenReportsIn90Days,
} from '../../shared/domain/penalty-policy.js';
import { at, eur } from '../support/builders.js';

const DAY = 86_400;
const now = at(400 * DAY);
/** An ISO time `days` before `now`. */
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY * 1000).toISOString();

describe('fineFor', () => {
  it('is 10% of the card price', () => {
    expect(fineFor(eur(4500))).toEqual(eur(450));
  });

  it('is exactly the minimum when 10% of the price is 100 minor units', () => {
    expect(fineFor(eur(1000))).toEqual(eur(100));
  });

  it('is 10% when that is just above the minimum', () => {
    expect(fineFor(eur(1010))).toEqual(eur(101));
  });

  it('is at least 100 minor units for a cheap card', () => {
    expect(fineFor(eur(500))).toEqual(eur(100));
    expect(fineFor(eur(999))).toEqual(eur(100));
    expect(fineFor(eur(1))).toEqual(eur(100));
  });

  it('is 100 minor units for a free card', () => {
    expect(fineFor(eur(0))).toEqual(eur(100));
  });

  it('rounds 10% half up to the minor unit', () => {
    expect(fineFor(eur(1004))).toEqual(eur(100)); // 100.4
    expect(fineFor(eur(1005))).toEqual(eur(101)); // 100.5
    expect(fineFor(eur(1015))).toEqual(eur(102)); // 101.5
    expect(fineFor(eur(12_345))).toEqual(eur(1235)); // 1234.5
    expect(fineFor(eur(12_344))).toEqual(eur(1234)); // 1234.4
  });

  it('is an integer number of minor units for any price', () => {
    for (let price = 0; price <= 5000; price += 7) {
      expect(Number.isInteger(fineFor(eur(price)).amount)).toBe(true);
    }
  });

  it('is in the currency of the price', () => {
    expect(fineFor(money(5000, 'JPY'))).toEqual(money(500, 'JPY'));
    expect(fineFor(money(10, 'USD'))).toEqual(money(100, 'USD'));
  });
});

describe('shouldSuspend', () => {
  it('suspends at 3 strikes within 90 days', () => {
    expect(shouldSuspend([daysAgo(1), daysAgo(30), daysAgo(89)], now)).toBe(true);
  });

  it('does not suspend at 2 strikes', () => {
    expect(shouldSuspend([daysAgo(1), daysAgo(2)], now)).toBe(false);
  });

  it('suspends above 3 strikes too', () => {
    expect(shouldSuspend([daysAgo(1), daysAgo(2), daysAgo(3), daysAgo(4)], now)).toBe(true);
  });

  it('does not count strikes older than 90 days', () => {
    expect(shouldSuspend([daysAgo(1), daysAgo(2), daysAgo(91)], now)).toBe(false);
    expect(shouldSuspend([daysAgo(100), daysAgo(200), daysAgo(300)], now)).toBe(false);
  });

  it('still counts a strike one millisecond short of 90 days old', () => {
    const almost90 = new Date(now.getTime() - 90 * DAY * 1000 + 1).toISOString();
    expect(shouldSuspend([daysAgo(1), daysAgo(2), almost90], now)).toBe(true);
  });

  it('no longer counts a strike exactly 90 days old (the window is the last 90 days, start excluded)', () => {
    expect(shouldSuspend([daysAgo(1), daysAgo(2), daysAgo(90)], now)).toBe(false);
  });

  it('lets a suspension-worthy history age out', () => {
    const strikes = [daysAgo(10), daysAgo(20), daysAgo(30)];
    expect(shouldSuspend(strikes, now)).toBe(true);
    const later = new Date(now.getTime() + 61 * DAY * 1000);
    expect(shouldSuspend(strikes, later)).toBe(false);
  });
});

describe('activeStrikes', () => {
  it('counts only the strikes of the last 90 days', () => {
    expect(activeStrikes([daysAgo(0), daysAgo(45), daysAgo(90), daysAgo(91), daysAgo(365)], now)).toBe(2);
  });

  it('is 0 with no strikes', () => {
    expect(activeStrikes([], now)).toBe(0);
  });
});

describe('activeStrikes after a reinstatement', () => {
  it('counts only the strikes after the last reinstatement', () => {
    const strikes = [daysAgo(30), daysAgo(20), daysAgo(10), daysAgo(1)];
    expect(activeStrikes(strikes, now, daysAgo(15))).toBe(2);
    expect(shouldSuspend(strikes, now, daysAgo(15))).toBe(false);
  });

  it('does not count a strike given at the very instant of the reinstatement', () => {
    expect(activeStrikes([daysAgo(5)], now, daysAgo(5))).toBe(0);
  });
});

describe('strikeSuspends', () => {
  const active = { status: 'active' as const, strikeTimes: [daysAgo(30), daysAgo(20)] };

  it('suspends an active seller by the strike that reaches 3 in 90 days', () => {
    expect(strikeSuspends(active, [now.toISOString()], now)).toBe(true);
  });

  it('does not suspend by a strike that stays under the limit', () => {
    expect(strikeSuspends({ ...active, strikeTimes: [daysAgo(20)] }, [now.toISOString()], now)).toBe(false);
  });

  it('does not count strikes aged out of the window', () => {
    expect(
      strikeSuspends({ ...active, strikeTimes: [daysAgo(95), daysAgo(20)] }, [now.toISOString()], now),
    ).toBe(false);
  });

  it('never suspends twice: an already suspended seller is struck, not suspended again', () => {
    expect(strikeSuspends({ ...active, status: 'suspended' }, [now.toISOString()], now)).toBe(false);
  });

  it('suspends when several strikes of one transaction reach the limit together', () => {
    const two = [now.toISOString(), now.toISOString()];
    expect(strikeSuspends({ status: 'active', strikeTimes: [daysAgo(3)] }, two, now)).toBe(true);
  });

  it('needs 3 new strikes after a reinstatement', () => {
    const reinstated = {
      ...active,
      strikeTimes: [daysAgo(30), daysAgo(20), daysAgo(10)],
      reinstatedAt: daysAgo(5),
    };
    expect(strikeSuspends(reinstated, [now.toISOString()], now)).toBe(false);
    expect(
      strikeSuspends(
        { ...reinstated, strikeTimes: [...reinstated.strikeTimes, daysAgo(2), daysAgo(1)] },
        [now.toISOString()],
        now,
      ),
    ).toBe(true);
  });

  it('does not suspend without a new strike', () => {
    expect(strikeSuspends({ ...active, strikeTimes: [daysAgo(3), daysAgo(2), daysAgo(1)] }, [], now)).toBe(
      false,
    );
  });
});

describe('isCreditPoor', () => {
  it('is poor at 3 rejected reports within 90 days', () => {
    expect(isCreditPoor([daysAgo(1), daysAgo(10), daysAgo(80)], now)).toBe(true);
  });

  it('is not poor at 2 rejected reports', () => {
    expect(isCreditPoor([daysAgo(1), daysAgo(10)], now)).toBe(false);
  });

  it('is not poor with no history', () => {
    expect(isCreditPoor([], now)).toBe(false);
  });

  it('ignores rejections older than 90 days', () => {
    expect(isCreditPoor([daysAgo(1), daysAgo(10), daysAgo(95)], now)).toBe(false);
  });

  it('ignores a rejection exactly 90 days old and counts one just younger', () => {
    const almost90 = new Date(now.getTime() - 90 * DAY * 1000 + 1).toISOString();
    expect(isCreditPoor([daysAgo(1), daysAgo(2), daysAgo(90)], now)).toBe(false);
    expect(isCreditPoor([daysAgo(1), daysAgo(2), almost90], now)).toBe(true);
  });
});

describe('unprovenReportsIn90Days', () => {
  it('counts reports upheld without a redemption time within 90 days', () => {
    expect(unprovenReportsIn90Days([daysAgo(1), daysAgo(45), daysAgo(89)], now)).toBe(3);
  });

  it('is zero for a buyer with none', () => {
    expect(unprovenReportsIn90Days([], now)).toBe(0);
  });

  it('no longer counts a report exactly 90 days old, and counts one a second younger', () => {
    const ninetyDays = daysAgo(90);
    const justInside = new Date(Date.parse(ninetyDays) + 1000).toISOString();
    expect(unprovenReportsIn90Days([ninetyDays], now)).toBe(0);
    expect(unprovenReportsIn90Days([justInside], now)).toBe(1);
  });
});
