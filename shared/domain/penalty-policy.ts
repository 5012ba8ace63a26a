import { type Money, max, money, percentOf } from './money.js';
import type { SellerStanding } from './seller-standing.js';

export const STRIKE_WINDOW_DAYS = 90;
export const STRIKES_TO_SUSPEND = 3;
export const POOR_CREDIT_REJECTIONS = 3;
export const FINE_BASIS_POINTS = 1_000; // 10 %
export const MINIMUM_FINE_MINOR_UNITS = 100;

/** The fine for one upheld report: 10 % of the card's price, at least 100 minor units. */
export function fineFor(cardPrice: Money): Money {
  return max(percentOf(cardPrice, FINE_BASIS_POINTS), money(MINIMUM_FINE_MINOR_UNITS, cardPrice.currency));
}

function withinWindow(times: readonly string[], now: Date): number {
  const since = now.getTime() - STRIKE_WINDOW_DAYS * 86_400_000;
  return times.filter((t) => Date.parse(t) > since).length;
}

/**
 * Strikes counted toward suspension: those of the last 90 days, after the last reinstatement
 * (an operator who reinstates has judged the earlier ones; they stay in the history).
 */
export function activeStrikes(strikeTimes: readonly string[], now: Date, reinstatedAt?: string): number {
  const since = reinstatedAt === undefined ? Number.NEGATIVE_INFINITY : Date.parse(reinstatedAt);
  return withinWindow(
    strikeTimes.filter((t) => Date.parse(t) > since),
    now,
  );
}

export function shouldSuspend(strikeTimes: readonly string[], now: Date, reinstatedAt?: string): boolean {
  return activeStrikes(strikeTimes, now, reinstatedAt) >= STRIKES_TO_SUSPEND;
}

/**
 * Whether new strikes given at `now` to the seller as read reach the limit: only an active
 * seller is suspended, by the strike that reaches it (in that strike's own transaction).
 */
export function strikeSuspends(
  seller: Pick<SellerStanding, 'status' | 'strikeTimes' | 'reinstatedAt'>,
  newStrikes: readonly string[],
  now: Date,
): boolean {
  if (seller.status !== 'active' || newStrikes.length === 0) return false;
  return shouldSuspend([...seller.strikeTimes, ...newStrikes], now, seller.reinstatedAt);
}

/** The buyer's rejected reports in the last 90 days (withdrawn rejections already left out). */
export function rejectionsIn90Days(rejectionTimes: readonly string[], now: Date): number {
  return withinWindow(rejectionTimes, now);
}

/** F5: a buyer with 3+ rejected reports in 90 days is not auto-refunded on doubtful evidence. */
export function isCreditPoor(rejectionTimes: readonly string[], now: Date): boolean {
  return withinWindow(rejectionTimes, now) >= POOR_CREDIT_REJECTIONS;
}

/**
 * The buyer's reports upheld without an issuer redemption time in the last 90 days: from the
 * second, a report without a time is escalated, not refunded (redeem-then-report buyers).
 */
export function unprovenReportsIn90Days(unprovenTimes: readonly string[], now: Date): number {
  return withinWindow(unprovenTimes, now);
}
