import type { Money } from './money.js';
import type { TableDecision } from './report-decision.js';

export interface Tenant {
  readonly tenantId: string;
  readonly name: string;
  readonly createdAt: string;
}

export interface Listing {
  readonly tenantId: string;
  readonly listingId: string;
  readonly sellerId: string;
  readonly brand: string;
  readonly faceValue: Money;
  readonly price: Money;
  readonly title?: string;
  readonly createdAt: string;
}

export type SellerStatus = 'active' | 'suspended';

export interface Penalty {
  readonly penaltyId: string;
  readonly orderId: string;
  readonly reportId: string;
  readonly cardId: string;
  readonly fine: Money;
  readonly at: string;
}

/** Escrow ledger per currency: `held` until the dispute window closes, then `available`. */
export type SellerBalances = Record<string, { held: number; available: number }>;

export interface SellerStanding {
  readonly sellerId: string;
  readonly status: SellerStatus;
  readonly strikeTimes: readonly string[];
  readonly balance: SellerBalances;
  readonly suspendedAt?: string;
}

export interface BuyerCredit {
  readonly buyerId: string;
  readonly reportsTotal: number;
  readonly upheld: number;
  readonly rejected: number;
  readonly escalated: number;
  readonly rejectionTimes: readonly string[];
}

export type ReportReason = 'already_redeemed';

export interface ReportEvidence {
  readonly issuerState: 'active' | 'redeemed' | 'invalid' | 'unreachable';
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
  // Widens to ReportDecision (refunded_unproven) with the escalation deadline (issue 7 services).
  readonly decision: TableDecision;
  readonly evidence: ReportEvidence;
  readonly refund?: Money;
  readonly sellerPenalty?: Money;
  readonly createdAt: string;
}

export type Actor = 'buyer' | 'seller' | 'marketplace' | 'vault' | 'sweeper' | 'issuer';

/** One line of an order's audit trail (F9). `data` never holds a plaintext code. */
export interface OrderEvent {
  readonly eventId: string;
  readonly orderId: string;
  readonly type: string;
  readonly actor: Actor;
  readonly from?: string;
  readonly to?: string;
  readonly at: string;
  readonly data?: Record<string, unknown>;
}
