import type { RecordedIssuerState } from './issuer-check.js';
import type { Money } from './money.js';
import type { ReportDecision } from './report-decision.js';

export const reportReasons = ['already_redeemed'] as const;
export type ReportReason = (typeof reportReasons)[number];

export interface ReportEvidence {
  readonly issuerState: RecordedIssuerState;
  readonly redeemedAt?: string;
  readonly revealedAt: string;
  readonly checkedAt: string;
  readonly rationale: string;
}

export interface Report {
  readonly tenantId: string;
  readonly reportId: string;
  readonly orderId: string;
  readonly cardId: string;
  readonly buyerId: string;
  readonly reason: ReportReason;
  readonly decision: ReportDecision;
  readonly evidence: ReportEvidence;
  readonly refund?: Money;
  readonly sellerPenalty?: Money;
  readonly createdAt: string;
}
