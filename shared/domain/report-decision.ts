import type { EscalationReason } from './escalation.js';
import type { IssuerCheck } from './issuer-check.js';
import type { Money } from './money.js';

/**
 * A report's decision. The table gives the first three; `refunded_unproven` and
 * `rejected_unproven` are the defaults an escalation gets at its deadline (`deadlineDefault`).
 */
export const reportDecisions = [
  'refunded',
  'rejected',
  'escalated',
  'refunded_unproven',
  'rejected_unproven',
] as const;
export type ReportDecision = (typeof reportDecisions)[number];
/** What the table decides for a report, fresh or re-asked. */
export type TableDecision = ReportDecisionResult['decision'];

export interface ReportDecisionInput {
  /** What the issuer says now; undefined when it could not be reached. */
  readonly issuer: IssuerCheck | undefined;
  readonly revealedAt: string;
  readonly raceWindowSeconds: number;
  /** ISSUER_CLOCK_SKEW_SECONDS: uses this close before the reveal count as in the race window. */
  readonly skewSeconds: number;
  /** 3+ rejected reports in 90 days (penalty-policy `isCreditPoor`). */
  readonly buyerCreditPoor: boolean;
  /** The issuer's balance at the reveal re-check, kept on the order's card; absent when unknown. */
  readonly balanceAtReveal?: Money;
  /** The issuer confirmed the code active at the reveal re-check. */
  readonly revealSucceeded: boolean;
  /** The buyer's earlier reports upheld without a use time, last 90 days. */
  readonly unprovenReportsIn90Days: number;
  /**
   * The seller is under review, or this report would make the distinct buyers whose cards died
   * after the reveal reach SELLER_SUSPICION_BUYERS (seller-suspicion.ts `isSellerSuspected`).
   */
  readonly sellerSuspected: boolean;
}

interface Basis {
  /** Why, in words; stored with the report as evidence. */
  readonly rationale: string;
  /** Decided on a use the issuer dated after the race window: counted against the seller too. */
  readonly usedAfterReveal?: true;
  /** Upheld on a use the issuer gave no time for: counted on the buyer's `unprovenTimes`. */
  readonly unproven?: true;
}

export type ReportDecisionResult =
  | (Basis & { readonly decision: 'refunded' | 'rejected'; readonly escalationReason?: undefined })
  | (Basis & { readonly decision: 'escalated'; readonly escalationReason: EscalationReason });

const refunded = (rationale: string, extra: Omit<Basis, 'rationale'> = {}): ReportDecisionResult => ({
  decision: 'refunded',
  rationale,
  ...extra,
});
const rejected = (rationale: string, extra: Omit<Basis, 'rationale'> = {}): ReportDecisionResult => ({
  decision: 'rejected',
  rationale,
  ...extra,
});
const escalated = (
  escalationReason: EscalationReason,
  rationale: string,
  extra: Omit<Basis, 'rationale'> = {},
): ReportDecisionResult => ({ decision: 'escalated', escalationReason, rationale, ...extra });

/** The decision table of docs/design.md "Report decision", one branch per row (F1, F5, F7). */
export function decideReport(input: ReportDecisionInput): ReportDecisionResult {
  const { issuer } = input;
  if (issuer === undefined) {
    return escalated('issuer_unavailable', 'issuer unreachable; asked again until it answers');
  }
  if (issuer.state === 'active') {
    // A balance that fell since the reveal is judged like a redemption, on when it was spent.
    return spentSinceReveal(issuer, input.balanceAtReveal)
      ? byUseTime(input, issuer.lastUsedAt, 'spent')
      : rejected('the issuer reports the code as active with its balance: it works');
  }
  if (issuer.state === 'invalid') {
    return input.revealSucceeded
      ? escalated(
          'invalid_after_reveal',
          'the issuer does not recognise a code it confirmed active at the reveal: not proof the seller cheated',
        )
      : refunded('the issuer does not recognise the code');
  }
  return byUseTime(input, issuer.redeemedAt ?? issuer.lastUsedAt, 'redeemed');
}

/** The rows shared by a redemption and a spend: before, around or after the reveal, or no time. */
function byUseTime(
  input: ReportDecisionInput,
  usedAt: string | undefined,
  use: 'redeemed' | 'spent',
): ReportDecisionResult {
  // An unparseable time is no time: the same doubt, the same rule.
  if (usedAt === undefined || Number.isNaN(Date.parse(usedAt))) {
    if (input.buyerCreditPoor) {
      return escalated(
        'buyer_credit_poor',
        `${use}, no time given, and the buyer has 3+ rejected reports in 90 days`,
      );
    }
    if (input.unprovenReportsIn90Days >= 1) {
      return escalated(
        'unproven_history',
        `${use}, no time given, and the buyer had another report upheld without a time in 90 days`,
      );
    }
    return refunded(`${use}, no time given; the buyer's first such report in 90 days`, { unproven: true });
  }
  const used = Date.parse(usedAt);
  const revealed = Date.parse(input.revealedAt);
  if (used < revealed - input.skewSeconds * 1000) {
    return refunded(`${use} before the vault revealed it, by more than the issuer clock skew`);
  }
  if (used - revealed <= input.raceWindowSeconds * 1000) {
    return escalated(
      'race_window',
      `${use} within the clock skew before or the race window after the reveal`,
    );
  }
  if (input.sellerSuspected) {
    return escalated(
      'seller_suspected',
      `${use} after the reveal, outside the race window, and the seller's cards died so after other buyers' reveals too`,
      { usedAfterReveal: true },
    );
  }
  return rejected(`${use} after the reveal, outside the race window`, { usedAfterReveal: true });
}

/** Only a comparable, lower balance is evidence of spending; anything else is "it works". */
function spentSinceReveal(issuer: IssuerCheck, atReveal: Money | undefined): boolean {
  const now = issuer.balance;
  return (
    now !== undefined &&
    atReveal !== undefined &&
    now.currency === atReveal.currency &&
    now.amount < atReveal.amount
  );
}
