import type { Escalation, SettlementOutcome } from './escalation.js';
import type { AnswerSignature } from './issuer-answer.js';
import type { RecordedIssuerState } from './issuer-check.js';
import type { Money } from './money.js';
import type { ReportDecision } from './report-decision.js';

export const reportReasons = ['already_redeemed'] as const;
export type ReportReason = (typeof reportReasons)[number];

export interface ReportEvidence {
  readonly issuerState: RecordedIssuerState;
  readonly redeemedAt?: string;
  readonly lastUsedAt?: string;
  readonly revealedAt: string;
  readonly checkedAt: string;
  readonly rationale: string;
  /** The issuer's signature over the answer this rests on, when its brand signs answers. */
  readonly answerSignature?: AnswerSignature;
}

/** `open` while an escalation waits for the issuer, an operator or its deadline; `closed` once decided. */
export const reportStatuses = ['open', 'closed'] as const;
export type ReportStatus = (typeof reportStatuses)[number];

/** How an escalation ended, and who ended it (an operator's id, `issuer` or `sweeper`). */
export interface Settlement {
  readonly outcome: SettlementOutcome;
  readonly by: string;
  readonly note?: string;
  readonly at: string;
}

export interface Report {
  readonly tenantId: string;
  readonly reportId: string;
  readonly orderId: string;
  readonly cardId: string;
  readonly buyerId: string;
  /** The order's seller, kept so the desk's list needs no order read (absent on older reports). */
  readonly sellerId?: string;
  readonly reason: ReportReason;
  readonly decision: ReportDecision;
  readonly status: ReportStatus;
  /** Kept once escalated, also after the report is closed: why it could not be decided alone. */
  readonly escalation?: Escalation;
  readonly settlement?: Settlement;
  readonly evidence: ReportEvidence;
  readonly refund?: Money;
  readonly sellerPenalty?: Money;
  readonly createdAt: string;
}
