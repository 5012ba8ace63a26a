import type { EscalationReason } from './escalation.js';
import type { IssuerCheck } from './issuer-check.js';
import type { Money } from './money.js';

/**
 * A report's decision. The table gives the first three; `refunded_unproven` is the default an
 * escalation gets at its deadline (refund, no seller penalty).
 */
export const reportDecisions = ['refunded', 'rejected', 'escalated', 'refunded_unproven'] as const;
export type ReportDecision = (typeof reportDecisions)[number];
/** What the table decides for a report, fresh or re-asked. */
export type TableDecision = ReportDecisionResult['decision'];

export interface ReportDecisionInput {
  /** What the issuer says now; undefined when it could not be reached. */
  readonly issuer: IssuerCheck | undefined;
  readonly revealedAt: string;
  readonly raceWindowSeconds: number;
  /** 3+ rejected reports in 90 days (penalty-policy `isCreditPoor`). */
  readonly buyerCreditPoor: boolean;
  // The fields below are optional only until the report service passes them (issue 7 service
  // work); absent, each leaves its row as it was before issue 7.
  /** ISSUER_CLOCK_SKEW_SECONDS: redemptions this close before the reveal count as in the race window. */
  readonly skewSeconds?: number;
  /** The issuer's balance at the reveal re-check, kept on the order's card; absent when unknown. */
  readonly balanceAtReveal?: Money;
  /** The issuer confirmed the code active at the reveal re-check. */
  readonly revealSucceeded?: boolean;
  /** The buyer's earlier reports upheld without a redemption time, last 90 days. */
  readonly unprovenReportsIn90Days?: number;
}

export type ReportDecisionResult =
  | {
      readonly decision: 'refunded' | 'rejected';
      /** Why, in words; stored with the report as evidence. */
      readonly rationale: string;
      readonly escalationReason?: undefined;
    }
  | {
      readonly decision: 'escalated';
      readonly rationale: string;
      readonly escalationReason: EscalationReason;
    };

const refunded = (rationale: string): ReportDecisionResult => ({ decision: 'refunded', rationale });
const rejected = (rationale: string): ReportDecisionResult => ({ decision: 'rejected', rationale });
const escalated = (escalationReason: EscalationReason, rationale: string): ReportDecisionResult => ({
  decision: 'escalated',
  escalationReason,
  rationale,
});

/** The decision table of docs/design.md "Report decision", one branch per row (F1, F5, F7). */
export function decideReport(input: ReportDecisionInput): ReportDecisionResult {
  const { issuer } = input;
  if (issuer === undefined) {
    return escalated('issuer_unavailable', 'issuer unreachable; asked again until it answers');
  }
  if (issuer.state === 'active') {
    return spentSinceReveal(issuer, input.balanceAtReveal)
      ? rejected('the buyer spent part of it: the issuer balance is below the one seen at the reveal')
      : rejected('the issuer reports the code as active with its balance: it works');
  }
  if (issuer.state === 'invalid') {
    return input.revealSucceeded === true
      ? escalated(
          'invalid_after_reveal',
          'the issuer does not recognise a code it confirmed active at the reveal: not proof the seller cheated',
        )
      : refunded('the issuer does not recognise the code');
  }
  // An unparseable time is no time: the same doubt, the same rule.
  if (issuer.redeemedAt === undefined || Number.isNaN(Date.parse(issuer.redeemedAt))) {
    if (input.buyerCreditPoor) {
      return escalated(
        'buyer_credit_poor',
        'redeemed, no time given, and the buyer has 3+ rejected reports in 90 days',
      );
    }
    if ((input.unprovenReportsIn90Days ?? 0) >= 1) {
      return escalated(
        'unproven_history',
        'redeemed, no time given, and the buyer had another report upheld without a time in 90 days',
      );
    }
    return refunded("redeemed, no redemption time given; the buyer's first such report in 90 days");
  }
  const redeemed = Date.parse(issuer.redeemedAt);
  const revealed = Date.parse(input.revealedAt);
  if (redeemed < revealed - (input.skewSeconds ?? 0) * 1000) {
    return refunded('redeemed before the vault revealed it, by more than the issuer clock skew');
  }
  if (redeemed - revealed <= input.raceWindowSeconds * 1000) {
    return escalated(
      'race_window',
      'redeemed within the clock skew before or the race window after the reveal',
    );
  }
  return rejected('redeemed after the reveal, outside the race window');
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

/**
 * A report upheld on a redemption the issuer gave no time for: proof of nothing but the buyer's
 * word, so it is counted on the buyer's record (`unprovenTimes`) and the next one escalates.
 */
export function isUnprovenUpheld(issuer: IssuerCheck | undefined, decision: ReportDecision): boolean {
  return (
    decision === 'refunded' &&
    issuer?.state === 'redeemed' &&
    (issuer.redeemedAt === undefined || Number.isNaN(Date.parse(issuer.redeemedAt)))
  );
}
