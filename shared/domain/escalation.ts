/** Why a report could not be decided alone; the vocabulary of `report.escalation.reason`. */
export const ESCALATION_REASONS = [
  'issuer_unavailable',
  'race_window',
  'buyer_credit_poor',
  'unproven_history',
  'invalid_after_reveal',
  'seller_suspected',
] as const;
export type EscalationReason = (typeof ESCALATION_REASONS)[number];

/**
 * What an escalation's deadline does when nobody decided: never reward the party the vault
 * already doubts. Doubt about the buyer (a credit-poor buyer, a history of unproven reports)
 * rejects; doubt about the issuer or the seller (unreachable, unknown after a good reveal, a
 * race, a suspected seller) refunds without a penalty.
 */
export const DEADLINE_DEFAULTS = {
  issuer_unavailable: 'refund',
  invalid_after_reveal: 'refund',
  race_window: 'refund',
  seller_suspected: 'refund',
  buyer_credit_poor: 'reject',
  unproven_history: 'reject',
} as const satisfies Record<EscalationReason, 'refund' | 'reject'>;

export function deadlineDefault(reason: EscalationReason): 'refund' | 'reject' {
  return DEADLINE_DEFAULTS[reason];
}

/** How an escalation was ended: by an operator, by the deadline default, or by the issuer answering. */
export const SETTLEMENT_OUTCOMES = [
  'refund',
  'refund_without_penalty',
  'reject',
  'default_refund',
  'default_reject',
  'issuer_answered',
] as const;
export type SettlementOutcome = (typeof SETTLEMENT_OUTCOMES)[number];

/** The outcomes a marketplace operator may choose (API and admin CLI). */
export const OPERATOR_OUTCOMES = ['refund', 'refund_without_penalty', 'reject'] as const;
export type OperatorOutcome = (typeof OPERATOR_OUTCOMES)[number];

/** An open report's escalation. `nextCheckAt` only while the issuer is re-asked. */
export interface Escalation {
  readonly reason: EscalationReason;
  readonly deadline: string;
  readonly nextCheckAt?: string;
  /** Re-asks of the issuer made so far. */
  readonly attempts: number;
}

const at = (now: Date, seconds: number) => new Date(now.getTime() + seconds * 1000).toISOString();

/**
 * When to re-ask the issuer after `attempts` re-asks: `baseSeconds` doubled per attempt, capped at
 * `maxSeconds` (30 s, 1 min, 2 min ... 1 h by default), so a short outage ends fast and a long one
 * costs at most one issuer call an hour per report.
 */
export function nextEscalationCheckAt(
  attempts: number,
  now: Date,
  baseSeconds: number,
  maxSeconds: number,
): string {
  // 2 ** attempts overflows to Infinity, never NaN, so the cap still holds after any outage.
  const delay = Math.min(baseSeconds * 2 ** Math.max(0, attempts), maxSeconds);
  return at(now, delay);
}

/** The instant past which the default outcome applies to an escalation opened at `openedAt`. */
export function escalationDeadline(openedAt: Date, deadlineSeconds: number): string {
  return at(openedAt, deadlineSeconds);
}

/** The deadline is reached at its own instant: the default applies from then on. */
export function isPastDeadline(escalation: Pick<Escalation, 'deadline'>, now: Date): boolean {
  return Date.parse(escalation.deadline) <= now.getTime();
}

/** Only an unreachable issuer is re-asked; any other reason waits for an operator or the deadline. */
export function isReaskDue(escalation: Escalation, now: Date): boolean {
  return (
    escalation.reason === 'issuer_unavailable' &&
    escalation.nextCheckAt !== undefined &&
    Date.parse(escalation.nextCheckAt) <= now.getTime() &&
    !isPastDeadline(escalation, now)
  );
}

/** The escalation after one more unanswered re-ask. */
export function afterUnansweredReask(
  escalation: Escalation,
  now: Date,
  baseSeconds: number,
  maxSeconds: number,
): Escalation {
  const attempts = escalation.attempts + 1;
  return {
    ...escalation,
    attempts,
    nextCheckAt: nextEscalationCheckAt(attempts, now, baseSeconds, maxSeconds),
  };
}
