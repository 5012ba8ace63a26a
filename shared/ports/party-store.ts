import type { BuyerCredit } from '../domain/buyer-credit.js';
import type { Penalty, SellerEvent, SellerStanding } from '../domain/seller-standing.js';

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
  getBuyer(tenantId: string, buyerId: string): Promise<BuyerCredit | undefined>;
}
