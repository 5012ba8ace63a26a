import type { BuyerCredit } from '../domain/buyer-credit.js';
import type { Penalty, ReviewOutcome, SellerEvent, SellerStanding } from '../domain/seller-standing.js';
import type { Page, PageRequest } from './page.js';
import type { ReviewWorkKind } from './report-store.js';

/** Work a seller's review left to do (seller-review-service.ts). */
export interface ReviewWork {
  readonly tenantId: string;
  readonly sellerId: string;
  readonly kind: ReviewWorkKind;
  /** When it was left: finishing it is conditional on this, so newer work is never dropped. */
  readonly at: string;
}

/** Sellers' standing (status, strikes, balances, penalties) and buyers' report history. */
export interface PartyStore {
  getSeller(tenantId: string, sellerId: string): Promise<SellerStanding | undefined>;
  listPenalties(tenantId: string, sellerId: string): Promise<Penalty[]>;
  /**
   * Marks the seller suspended outside a strike (a strike suspends inside its own transaction),
   * with the cascade pending; false if already suspended.
   */
  suspendSeller(tenantId: string, sellerId: string, at: string): Promise<boolean>;
  /** Suspended sellers whose cascade is not finished, longest pending first (never a scan). */
  listPendingCascades(
    limit: number,
  ): Promise<Array<{ tenantId: string; sellerId: string; suspendedAt: string }>>;
  /** Clears the pending cascade of a seller still suspended since `suspendedAt`; false if not so. */
  finishCascade(tenantId: string, sellerId: string, suspendedAt: string): Promise<boolean>;
  /** Lifts a suspension (strikes and penalties kept) with its event; false if not suspended. */
  reinstateSeller(tenantId: string, event: SellerEvent): Promise<boolean>;
  /** The seller's own trail (suspensions, reinstatements), oldest first. */
  listSellerEvents(tenantId: string, sellerId: string): Promise<SellerEvent[]>;
  /** One page of the seller's own trail, oldest first (see `PageRequest`). */
  pageSellerEvents(tenantId: string, sellerId: string, page: PageRequest): Promise<Page<SellerEvent>>;
  getBuyer(tenantId: string, buyerId: string): Promise<BuyerCredit | undefined>;
  /**
   * Closes the seller's review opened at `since`, with its events and the work it leaves;
   * `suspended` also suspends the seller (cascade pending) unless already suspended. False if no
   * such review is open.
   */
  closeReview(input: {
    tenantId: string;
    sellerId: string;
    since: string;
    outcome: ReviewOutcome;
    at: string;
    events: readonly SellerEvent[];
  }): Promise<boolean>;
  getReviewWork(tenantId: string, sellerId: string): Promise<ReviewWork | undefined>;
  /** Pending review work across tenants, oldest first (never a scan). */
  listReviewWork(limit: number): Promise<ReviewWork[]>;
  /** Removes the work left at `at`; false if newer work replaced it. */
  finishReviewWork(tenantId: string, sellerId: string, at: string): Promise<boolean>;
}
