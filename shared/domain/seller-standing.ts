import type { Money } from './money.js';
import type { SellerTrailType } from './trail-type.js';

export const sellerStatuses = ['active', 'suspended'] as const;
export type SellerStatus = (typeof sellerStatuses)[number];

export interface Penalty {
  readonly penaltyId: string;
  /** The `seller.penalised` webhook's id (absent on penalties written before webhooks). */
  readonly eventId?: string;
  readonly orderId: string;
  /** The buyer's report that proved the card dead; absent when the vault's own issuer check did. */
  readonly reportId?: string;
  readonly cardId: string;
  readonly fine: Money;
  readonly at: string;
}

/** How a penalty's dead card was found: the buyer's report, or the vault's check before a reveal or at the reveal deadline. */
export type PenaltyFoundBy = 'report' | 'issuer_check';

/**
 * Penalties stored before issue 23 name no report with the placeholder `pre-reveal-check`;
 * read as what it meant, so no reader ever shows it as a report id.
 */
export function penaltyReport(reportId: string | undefined): { reportId?: string; foundBy: PenaltyFoundBy } {
  return reportId === undefined || reportId === 'pre-reveal-check'
    ? { foundBy: 'issuer_check' }
    : { reportId, foundBy: 'report' };
}

/** Escrow ledger per currency: `held` until the dispute window closes, then `available`. */
export type SellerBalances = Record<string, { held: number; available: number }>;

export interface SellerStanding {
  readonly sellerId: string;
  readonly status: SellerStatus;
  readonly strikeTimes: readonly string[];
  readonly balance: SellerBalances;
  /** Escalations refunded by the deadline default (no strike): repeated ones stand out. */
  readonly unprovenRefunds: number;
  readonly suspendedAt?: string;
  /** Set by the strike that suspended the seller until the cascade has closed every open order. */
  readonly cascadePending?: boolean;
  /** The last reinstatement: strikes before it no longer count toward the next suspension. */
  readonly reinstatedAt?: string;
  /** Reports found "used after the reveal" on this seller's cards (seller-suspicion.ts), oldest first. */
  readonly usedAfterReveal: readonly UsedAfterRevealMark[];
  /** Open while the dispute desk has not decided: no release at the end of a dispute window. */
  readonly review?: SellerReview;
  /** The last review cleared: marks before it no longer count. */
  readonly suspicionResetAt?: string;
}

/** One report found "used after the reveal" (redeemed or spent after the race window). */
export interface UsedAfterRevealMark {
  readonly buyerId: string;
  readonly reportId: string;
  readonly orderId: string;
  readonly cardId: string;
  readonly at: string;
}

export const reviewOutcomes = ['cleared', 'suspended'] as const;
export type ReviewOutcome = (typeof reviewOutcomes)[number];

/** A seller under review: since when, and how many distinct buyers' reports opened it. */
export interface SellerReview {
  readonly status: 'under_review';
  readonly since: string;
  readonly buyers: number;
}

export { sellerTrailTypes as sellerEventTypes } from './trail-type.js';

/** The seller's own trail: suspensions, reinstatements and reviews (an order's trail has its own events). */
export interface SellerEvent {
  readonly eventId: string;
  readonly sellerId: string;
  readonly type: SellerTrailType;
  /** `vault` for a suspension or an opened review; the operator's id for a reinstatement or a closed review. */
  readonly by: string;
  readonly at: string;
  readonly data?: Record<string, unknown>;
}
