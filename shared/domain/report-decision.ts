import type { IssuerCheck } from './issuer-check.js';

export const reportDecisions = ['refunded', 'rejected', 'escalated'] as const;
export type ReportDecision = (typeof reportDecisions)[number];

export interface ReportDecisionInput {
  /** What the issuer says now; undefined when it could not be reached. */
  readonly issuer: IssuerCheck | undefined;
  readonly revealedAt: string;
  readonly raceWindowSeconds: number;
  readonly buyerCreditPoor: boolean;
}

export interface ReportDecisionResult {
  readonly decision: ReportDecision;
  /** Why, in words; stored with the report as evidence. */
  readonly rationale: string;
}

/** The decision table of docs/design.md "Report decision", one branch per row (F1, F5, F7). */
export function decideReport(input: ReportDecisionInput): ReportDecisionResult {
  const { issuer } = input;
  if (issuer === undefined) {
    return { decision: 'escalated', rationale: 'issuer unreachable; decided by an operator' };
  }
  if (issuer.state === 'active') {
    return { decision: 'rejected', rationale: 'the issuer reports the code as active' };
  }
  if (issuer.state === 'invalid') {
    return { decision: 'refunded', rationale: 'the issuer does not recognise the code' };
  }
  // An unparseable time is no time: the same doubt, the same rule.
  if (issuer.redeemedAt === undefined || Number.isNaN(Date.parse(issuer.redeemedAt))) {
    return input.buyerCreditPoor
      ? {
          decision: 'escalated',
          rationale: 'redeemed, no time given, and the buyer has 3+ rejected reports in 90 days',
        }
      : { decision: 'refunded', rationale: 'redeemed, no redemption time given' };
  }
  const redeemed = Date.parse(issuer.redeemedAt);
  const revealed = Date.parse(input.revealedAt);
  if (redeemed < revealed) {
    return { decision: 'refunded', rationale: 'redeemed before the vault revealed it to the buyer' };
  }
  if (redeemed - revealed <= input.raceWindowSeconds * 1000) {
    return { decision: 'escalated', rationale: 'redeemed within the race window after the reveal' };
  }
  return { decision: 'rejected', rationale: 'redeemed after the reveal, outside the race window' };
}
