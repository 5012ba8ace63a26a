/**
 * A seller's budget of rejected codes (issue 19): deposits are not a code-guessing service. Each
 * issuer check holds a slot before it starts; a code the issuer calls `invalid` or `redeemed`
 * keeps its slot for an hour, any other answer (accepted, wrong value, no answer) gives it back.
 * With every slot taken by rejections the seller is locked until the oldest leaves the hour; the
 * third lock within 7 days lasts until an operator unlocks the seller.
 */
export const BUDGET_WINDOW_SECONDS = 3_600;
export const LOCKS_BEFORE_OPERATOR = 3;
export const LOCK_MEMORY_SECONDS = 7 * 86_400;
/**
 * A hold older than this belongs to a check whose process died (the deposit Lambda lives 29 s at
 * most): it is no longer waited for, and counts as a rejection until it leaves the hour.
 */
export const HOLD_STALE_SECONDS = 60;
/** What a deposit refused by an operator lock is told to wait before asking again. */
export const OPERATOR_LOCK_RETRY_SECONDS = 3_600;

export interface DepositBudget {
  /** Checks in flight: hold id -> when it was taken. */
  readonly held: Readonly<Record<string, string>>;
  /** Rejections counted: hold id -> when. */
  readonly rejected: Readonly<Record<string, string>>;
  /** The end of the current time lock, if one was written. */
  readonly lockedUntil?: string;
  /** When the seller was locked (the last 7 days' are kept). */
  readonly lockTimes: readonly string[];
  /** Set by the third lock in 7 days: locked until an operator unlocks the seller. */
  readonly operatorLockSince?: string;
  /** Bumped by every write that takes slots: taking is conditional on it. */
  readonly version: number;
}

export const emptyBudget: DepositBudget = { held: {}, rejected: {}, lockTimes: [], version: 0 };

/** Whether, and until when, the seller's deposits are locked. */
export interface DepositLock {
  readonly lockedUntil?: string;
  readonly operatorUnlockRequired: boolean;
  readonly retryAfterSeconds: number;
}

export type Admission =
  | { readonly kind: 'granted'; readonly count: number }
  /** Every slot is held by checks still in flight: one of them may give its slot back. */
  | { readonly kind: 'wait' }
  | { readonly kind: 'exhausted'; readonly lock: DepositLock };

const ms = (iso: string) => Date.parse(iso);
const inHour = (at: string, now: Date) => ms(at) > now.getTime() - BUDGET_WINDOW_SECONDS * 1000;

/** The slots that left the hour: dropped by the next write that takes slots. */
export function expiredSlots(b: DepositBudget, now: Date): { held: string[]; rejected: string[] } {
  const old = (slots: Readonly<Record<string, string>>) =>
    Object.entries(slots)
      .filter(([, at]) => !inHour(at, now))
      .map(([id]) => id);
  return { held: old(b.held), rejected: old(b.rejected) };
}

/** The lock in force now, if any: an operator's, a written time lock, or every slot counted as rejected. */
export function lockOf(b: DepositBudget, now: Date, budget: number): DepositLock | undefined {
  if (b.operatorLockSince !== undefined) {
    return { operatorUnlockRequired: true, retryAfterSeconds: OPERATOR_LOCK_RETRY_SECONDS };
  }
  const until = b.lockedUntil !== undefined && ms(b.lockedUntil) > now.getTime() ? b.lockedUntil : undefined;
  const counted = countedTimes(b, now, true);
  const full = counted.length >= budget ? freedAt(counted, counted.length - budget) : undefined;
  const end = [until, full]
    .filter((x): x is string => x !== undefined)
    .sort()
    .at(-1);
  if (end === undefined) return undefined;
  return { lockedUntil: end, operatorUnlockRequired: false, retryAfterSeconds: secondsUntil(end, now) };
}

/** How many of `wanted` slots a deposit may take now. */
export function admit(b: DepositBudget, now: Date, budget: number, wanted: number): Admission {
  const lock = lockOf(b, now, budget);
  if (lock) return { kind: 'exhausted', lock };
  const used = countedTimes(b, now, false).length;
  if (used < budget) return { kind: 'granted', count: Math.min(budget - used, wanted) };
  const staleBefore = now.getTime() - HOLD_STALE_SECONDS * 1000;
  const live = Object.values(b.held).some((at) => ms(at) > staleBefore);
  if (live) return { kind: 'wait' };
  // Every slot is a rejection or a dead check's hold: the first to leave the hour frees one.
  const counted = countedTimes(b, now, true);
  const end = freedAt(counted, 0);
  return {
    kind: 'exhausted',
    lock: { lockedUntil: end, operatorUnlockRequired: false, retryAfterSeconds: secondsUntil(end, now) },
  };
}

/**
 * A lock to write after a rejection: the hour's rejections fill the budget and no lock is in
 * force yet. It lasts until the oldest of them leaves the hour; the third in 7 days waits for an operator.
 */
export function lockDue(
  b: DepositBudget,
  now: Date,
  budget: number,
): { lockedUntil: string; operator: boolean; lockTimes: string[] } | undefined {
  if (b.operatorLockSince !== undefined) return undefined;
  if (b.lockedUntil !== undefined && ms(b.lockedUntil) > now.getTime()) return undefined;
  const rejections = Object.values(b.rejected)
    .filter((at) => inHour(at, now))
    .sort();
  if (rejections.length < budget) return undefined;
  const lockedUntil = freedAt(rejections, rejections.length - budget);
  const lockTimes = [
    ...b.lockTimes.filter((at) => ms(at) > now.getTime() - LOCK_MEMORY_SECONDS * 1000),
    now.toISOString(),
  ];
  return { lockedUntil, operator: lockTimes.length >= LOCKS_BEFORE_OPERATOR, lockTimes };
}

/** Rejections, and holds (all, or only those of dead checks), within the hour, oldest first. */
function countedTimes(b: DepositBudget, now: Date, onlyStaleHolds: boolean): string[] {
  const staleBefore = now.getTime() - HOLD_STALE_SECONDS * 1000;
  const holds = Object.values(b.held).filter((at) => !onlyStaleHolds || ms(at) <= staleBefore);
  return [...Object.values(b.rejected), ...holds].filter((at) => inHour(at, now)).sort();
}

/** When the slot at `index` of these sorted times leaves the hour. */
function freedAt(sorted: readonly string[], index: number): string {
  const at = sorted[index] ?? sorted[0] ?? new Date(0).toISOString();
  return new Date(ms(at) + BUDGET_WINDOW_SECONDS * 1000).toISOString();
}

function secondsUntil(iso: string, now: Date): number {
  return Math.max(1, Math.ceil((ms(iso) - now.getTime()) / 1000));
}
