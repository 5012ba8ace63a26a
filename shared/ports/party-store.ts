import type { BuyerCredit } from '../domain/buyer-credit.js';
import type { Penalty, SellerStanding } from '../domain/seller-standing.js';

/** Sellers' standing (status, strikes, balances, penalties) and buyers' report history. */
export interface PartyStore {
  getSeller(tenantId: string, sellerId: string): Promise<SellerStanding | undefined>;
  listPenalties(tenantId: string, sellerId: string): Promise<Penalty[]>;
  /** Marks the seller suspended; false if already suspended. */
  suspendSeller(tenantId: string, sellerId: string, at: string): Promise<boolean>;
  getBuyer(tenantId: string, buyerId: string): Promise<BuyerCredit | undefined>;
}
